import { currencyExponent, MoneyError } from '../../shared/money';
import { i18next } from '../i18n';

/**
 * Why a typed amount could not be read (parseAmount threw), in the user's language: one set of
 * sentences for every amount field (catalogue 'transactions', amount.*).
 */
export function amountErrorText(e: unknown, text: string, currency: string): string {
  if (!text.trim()) return i18next.t('transactions:amount.missing');
  if (e instanceof MoneyError) {
    switch (e.code) {
      case 'TOO_MANY_DECIMALS': {
        const count = currencyExponent(currency);
        return count === 0 ? i18next.t('transactions:amount.noDecimals', { currency }) : i18next.t('transactions:amount.tooManyDecimals', { currency, count });
      }
      case 'NEGATIVE_AMOUNT':
        return i18next.t('transactions:amount.negative');
      case 'AMOUNT_TOO_LARGE':
        return i18next.t('transactions:amount.tooLarge');
      default:
        break;
    }
  }
  return i18next.t('transactions:amount.notAmount', { text: text.trim() });
}
