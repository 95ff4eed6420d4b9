import type { TFunction } from 'i18next';
import { PIN_MIN } from '../../../shared/contract/limits';
import { GO_LIVE_CONFIRMATION, LINK_EXPIRY_ORDER } from '../../../shared/contract/constants';
import { currencyExponent, MoneyError } from '../../../shared/money';

/**
 * The core's field messages (zod schemas in shared/contract and the services' own checks) arrive
 * as English sentences keyed by the input path. The screen shows them in the user's language: each
 * known sentence maps to a catalogue key whose English is the very same sentence (field-messages
 * test checks that against the schemas). An unknown one keeps its English, marked as such.
 */
const KNOWN: Readonly<Record<string, string | readonly [string, Record<string, number>]>> = {
  Required: 'settings:fieldError.required',
  'Name is required': 'settings:fieldError.nameRequired',
  'Unknown currency code': 'settings:fieldError.unknownCurrency',
  [`At least ${PIN_MIN} digits or characters`]: ['settings:fieldError.pinTooShort', { n: PIN_MIN }],
  'Letters and digits only, at most 20 (as in the APS back office)': ['settings:fieldError.lettersDigits20', { max: 20 }],
  'At most 100 characters': ['settings:fieldError.atMost100', { max: 100 }],
  'No spaces at the start or end': 'settings:fieldError.noEdgeSpaces',
  'Printable characters only': 'settings:fieldError.printableOnly',
  'No spaces': 'settings:fieldError.noSpaces',
  'Must be an http(s) URL': 'settings:fieldError.httpUrl',
  'At least one currency': 'settings:fieldError.oneCurrency',
  'A template id is a UUID': 'settings:fieldError.templateUuid',
  'Not allowed': 'settings:fieldError.notAllowed',
  'Choose a PIN different from the current one': 'settings:fieldError.pinSameAsCurrent',
  // shared/contract/settings-fields.ts (printed text and locale of the station's settings).
  'No control characters': 'settings:fieldError.noControl',
  'One line, no control characters': 'settings:fieldError.oneLine',
  'This looks like a card number': 'settings:fieldError.looksLikeCard',
  'Not a known locale (for example en-US, fr-FR, ar-AE)': 'settings:fieldError.unknownLocale',
  [LINK_EXPIRY_ORDER]: 'settings:fieldError.linkExpiryOrder',
};

/** zod's own wording, when a schema gives none ("Too small: expected string to have >=1 characters"). */
function zodDefault(message: string): string | null {
  if (/^Too small: expected string to have >=1 characters?$/.test(message)) return 'settings:fieldError.required';
  if (message.startsWith('Too small')) return 'settings:fieldError.tooShort';
  if (message.startsWith('Too big')) return 'settings:fieldError.tooLong';
  return null;
}

/** One field message in the user's language. */
export function fieldMessage(message: string, t: TFunction): string {
  if (message === `Type ${GO_LIVE_CONFIRMATION}`) return t('settings:fieldError.typeConfirmation', { word: GO_LIVE_CONFIRMATION });
  const known = KNOWN[message] ?? zodDefault(message);
  if (typeof known === 'string') return t(known);
  if (known) return t(known[0], known[1]);
  return t('settings:fieldError.unknown', { message });
}

/** fieldErrors(e) with every message in the user's language. */
export function translateFields(fields: Readonly<Record<string, string>>, t: TFunction): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([path, message]) => [path, fieldMessage(message, t)]));
}

/** Why typed text is not an amount (parseAmount's MoneyError), in the user's language. */
export function amountProblem(err: unknown, input: string, currency: string, t: TFunction): string {
  if (!(err instanceof MoneyError)) return t('settings:amount.notAmount');
  switch (err.code) {
    case 'TOO_MANY_DECIMALS': {
      const exponent = currencyExponent(currency);
      return exponent === 0 ? t('settings:amount.noDecimals', { currency }) : t('settings:amount.tooManyDecimals', { currency, exponent });
    }
    case 'AMOUNT_TOO_LARGE':
      return t('settings:amount.tooLarge');
    case 'NEGATIVE_AMOUNT':
      return t('settings:amount.negative');
    case 'UNKNOWN_CURRENCY':
      return t('settings:amount.unknownCurrency', { currency });
    default:
      return t('settings:amount.invalid', { input });
  }
}
