import type { LinkViewShape } from '../../../shared/contract';

/** States in which the screen keeps asking the core (which asks the gateway). */
export function isLive(l: Pick<LinkViewShape, 'state' | 'paymentId'>): boolean {
  return l.state === 'sending' || l.state === 'unknown' || l.state === 'sent' || l.state === 'opened' || (l.state === 'paid' && !l.paymentId);
}

/** An open link this close to its expiry warns, like an authorization about to lapse. */
export function isExpiring(l: Pick<LinkViewShape, 'state' | 'expiresAt' | 'expiry'>, now: number): boolean {
  if (l.state !== 'sent' && l.state !== 'opened') return false;
  const left = Date.parse(l.expiresAt) - now;
  return left > 0 && left <= l.expiry.warnMinutes * 60_000;
}

export function minutesLeft(expiresAt: string, now: number): number {
  return Math.max(0, Math.ceil((Date.parse(expiresAt) - now) / 60_000));
}
