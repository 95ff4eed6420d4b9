import type { z } from 'zod';
import type { CardSchema } from '../../../shared/contract';
import { coreText, englishText, type CoreText } from '../../../shared/contract';
import { toCard, type CardRow } from '../cards';
import type { OpResult } from './executor';
import type { PaymentSummary } from './payments-repo';
import type { PaymentDetail } from './queries';

// The gateway's reply (an OpResult from the runner) as what the clerk is told: the outcome, the
// core's sentence as a key (shared/contract/messages.ts) and its English text for logs and tests.

export type Outcome = 'approved' | 'declined' | 'unknown' | 'queued';

export interface ChargeOutput {
  outcome: Outcome;
  message: string;
  text?: CoreText;
  payment: PaymentSummary;
  cardSaved: z.output<typeof CardSchema> | null;
  change: number | null;
}

export interface OperationOutput {
  outcome: Outcome;
  message: string;
  text?: CoreText;
  detail: PaymentDetail;
}

export function toOutcome(state: OpResult['state']): Outcome {
  return state === 'succeeded' ? 'approved' : state;
}

export function chargeMessage(r: OpResult): CoreText {
  switch (r.state) {
    case 'succeeded':
      return coreText('outcome.approved');
    case 'declined':
      return coreText('outcome.chargeDeclined', { bank: { responseCode: r.responseCode, message: r.message } });
    case 'unknown':
      return coreText('outcome.chargeUnknown');
    case 'queued':
      return coreText('outcome.chargeQueued');
  }
}

export function opMessage(r: OpResult): CoreText {
  switch (r.state) {
    case 'succeeded':
      return coreText('outcome.done');
    case 'declined':
      return coreText('outcome.opRefused', { bank: { responseCode: r.responseCode, message: r.message } });
    case 'unknown':
      return coreText('outcome.opUnknown');
    case 'queued':
      return coreText('outcome.opQueued');
  }
}

const QUEUED_CHARGE_MESSAGE = englishText(coreText('outcome.chargeQueued'));

export function queuedChargeReply(payment: PaymentSummary): ChargeOutput {
  return { outcome: 'queued', message: QUEUED_CHARGE_MESSAGE, text: coreText('outcome.chargeQueued'), payment, cardSaved: null, change: null };
}

export function cashChargeReply(payment: PaymentSummary, change: number | null): ChargeOutput {
  return { outcome: 'approved', message: 'Cash received.', text: coreText('outcome.cashReceived'), payment, cardSaved: null, change };
}

export function cardChargeReply(result: OpResult, payment: PaymentSummary, saved: CardRow | undefined, now: Date): ChargeOutput {
  const text = chargeMessage(result);
  return { outcome: toOutcome(result.state), message: englishText(text), text, payment, cardSaved: saved ? toCard(saved, now) : null, change: null };
}

export function operationReply(result: OpResult, detail: PaymentDetail): OperationOutput {
  const text = opMessage(result);
  return { outcome: toOutcome(result.state), message: englishText(text), text, detail };
}
