import type { ConfirmationView } from '../order/order-store';

/** The customer's path (seed 003, email_moto): mail sent → link opened → agreed → card charged. */
export const STEPS: { id: string; label: (c: ConfirmationView) => string }[] = [
  { id: 'sent', label: (c) => (c.state === 'failed' ? 'Email not sent' : 'Email sent') },
  { id: 'opened', label: (c) => (c.state === 'expired' && c.processState !== 'waiting_agreement' ? 'Link not opened in time' : 'Customer opened the link') },
  { id: 'agreed', label: (c) => (c.state === 'refused' ? 'Customer refused' : c.state === 'expired' ? 'No answer in time' : 'Customer agreed') },
  { id: 'charged', label: (c) => (c.mode === 'authorize' ? 'Card authorized' : 'Card charged') },
];

/** Nothing more will change: refused / expired / failed, or confirmed with its charge recorded. */
export function isFinal(c: Pick<ConfirmationView, 'state' | 'chargeState'>): boolean {
  if (c.state === 'confirmed') return c.chargeState === 'done';
  return c.state === 'refused' || c.state === 'expired' || c.state === 'failed';
}

/** Which step is current, and whether it is where things stopped. */
export function confirmationStep(c: Pick<ConfirmationView, 'state' | 'processState' | 'chargeState' | 'charge'>): { index: number; failed: boolean } {
  switch (c.state) {
    case 'confirmed':
      return c.chargeState === 'done' ? { index: 3, failed: !c.charge } : { index: 3, failed: false };
    case 'refused':
      return { index: 2, failed: true };
    case 'expired':
      return { index: c.processState === 'waiting_agreement' ? 2 : 1, failed: true };
    case 'failed':
      return { index: 0, failed: true };
    default:
      return { index: c.processState === 'waiting_agreement' ? 2 : 1, failed: false };
  }
}

/** How long the customer has to answer, in words: "10 minutes", "1 minute 30 seconds", "45 seconds". */
export function timeToAnswer(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  const rest = s % 60;
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (m === 0) return unit(rest, 'second');
  return rest ? `${unit(m, 'minute')} ${unit(rest, 'second')}` : unit(m, 'minute');
}

/** A countdown as a clock reads: "9:05" (minutes:seconds). */
export function countdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
