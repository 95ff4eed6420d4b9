import { bankText } from '../../lib/format';
import type { OrderResult } from './order-store';

/** "Transaction declined" → "Transaction declined." */
function sentence(text: string): string {
  const t = text.trim();
  return t && !/[.!?]$/.test(t) ? `${t}.` : t;
}

/** Why the bank declined a charge or a tender, in the user's language: its APS message code's sentence (lib/format bankText). */
export function declineReason(result: Pick<OrderResult, 'text'>): string {
  const bank = result.text?.params?.['bank'];
  if (bank && typeof bank === 'object' && 'message' in bank) return sentence(bankText(bank.responseCode, bank.message));
  return '';
}
