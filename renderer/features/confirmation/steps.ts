import type { ConfirmationView } from '../order/order-store';
import i18next from 'i18next';
import { counted, fmtCount } from '../../lib/format';

/** The customer's path (seed 003, email_moto): mail sent → link opened → agreed → card charged. */
const step = (key: string) => i18next.t(`confirmation:steps.${key}`);
export const STEPS: { id: string; label: (c: ConfirmationView) => string }[] = [
  { id: 'sent', label: (c) => step(c.state === 'failed' ? 'notSent' : 'sent') },
  { id: 'opened', label: (c) => step(c.state === 'expired' && c.processState !== 'waiting_agreement' ? 'notOpened' : 'opened') },
  { id: 'agreed', label: (c) => step(c.state === 'refused' ? 'refused' : c.state === 'expired' ? 'noAnswer' : 'agreed') },
  { id: 'charged', label: (c) => step(c.mode === 'authorize' ? 'authorized' : 'charged') },
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
  const minutes = counted('confirmation:time.minutes', m);
  const secs = counted('confirmation:time.seconds', rest);
  if (m === 0) return secs;
  return rest ? i18next.t('confirmation:time.minutesSeconds', { minutes, seconds: secs }) : minutes;
}

/** A countdown as a clock reads: "9:05" (minutes:seconds). */
export function countdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${fmtCount(Math.floor(s / 60))}:${fmtCount(Math.floor((s % 60) / 10))}${fmtCount(s % 10)}`;
}
