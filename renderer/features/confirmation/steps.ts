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
