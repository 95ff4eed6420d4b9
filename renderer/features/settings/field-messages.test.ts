import i18next, { type TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { GatewayAccountInput, GatewaySwitchInput } from '../../../shared/contract';
import { MoneyError, parseAmount } from '../../../shared/money';
import { amountProblem, fieldMessage, translateFields } from './field-messages';

// The catalogues as the app loads them (a JSON import would need the tools project to list them).
const settings = import.meta.glob<Record<string, unknown>>('../../i18n/locales/*/settings.json', { eager: true, import: 'default' });

async function tIn(lang: 'en' | 'ar'): Promise<TFunction> {
  const i18n = i18next.createInstance();
  await i18n.init({ lng: lang, resources: { [lang]: { settings: settings[`../../i18n/locales/${lang}/settings.json`]! } }, interpolation: { escapeValue: false } });
  return i18n.t;
}

/** The station settings' own messages (shared/contract/settings-fields.ts on main, issue 15). */
const SETTINGS_FIELD_MESSAGES = ['No control characters', 'One line, no control characters', 'This looks like a card number', 'Not a known locale (for example en-US, fr-FR, ar-AE)'];

/** Every message the gateway account schema can put under a field the screen shows. */
function gatewayMessages(): string[] {
  const bad = GatewayAccountInput.safeParse({
    environment: 'test',
    merchantIdentifier: 'has space!',
    accessCode: 'x'.repeat(21),
    requestPhrase: ' padded ',
    responsePhrase: 'ünïcode',
    shaType: 'SHA-256',
    currencies: [],
    confirmation: { url: 'ftp://x', templateId: 'not-a-uuid', apiKey: 'a b' },
    urlOverride: null,
  });
  const tooLong = GatewayAccountInput.safeParse({ environment: 'test', merchantIdentifier: 'M', shaType: 'SHA-256', currencies: ['XXX'], requestPhrase: 'p'.repeat(101), responsePhrase: '' });
  const pin = GatewaySwitchInput.safeParse({ environment: 'test', pin: '12' });
  return [bad, tooLong, pin].flatMap((r) => (r.success ? [] : r.error.issues.map((i) => i.message)));
}

describe('the core field messages on the Settings screens', () => {
  it('every message the schemas give reads, in English, exactly as the core wrote it', async () => {
    const t = await tIn('en');
    const messages = gatewayMessages();
    expect(messages.length).toBeGreaterThanOrEqual(10);
    for (const m of [...messages, 'Required', 'Not allowed', 'Name is required', 'Type GO LIVE', 'Choose a PIN different from the current one', ...SETTINGS_FIELD_MESSAGES]) expect(fieldMessage(m, t)).toBe(m);
  });

  it('and in Arabic, each has its own words (none falls through as English)', async () => {
    const t = await tIn('ar');
    for (const m of [...gatewayMessages(), 'Required', 'Not allowed', 'Type GO LIVE', 'Choose a PIN different from the current one', ...SETTINGS_FIELD_MESSAGES]) {
      const said = fieldMessage(m, t);
      expect(said, m).not.toContain(m);
      expect(said, m).toMatch(/[\u0600-\u06ff]/);
    }
    expect(fieldMessage('Type GO LIVE', t)).toBe('اكتب GO LIVE');
  });

  it("zod's own wording becomes a plain word; an unknown message keeps its English, marked in Arabic", async () => {
    const en = await tIn('en');
    const ar = await tIn('ar');
    expect(fieldMessage('Too small: expected string to have >=1 characters', en)).toBe('Required');
    expect(fieldMessage('Something new', en)).toBe('Something new');
    expect(fieldMessage('Something new', ar)).toBe('قيمة غير صالحة (Something new)');
    expect(translateFields({ pin: 'At least 6 digits or characters', 'currencies.0': 'Unknown currency code' }, ar)).toEqual({
      pin: '6 أرقام أو أحرف على الأقل',
      'currencies.0': 'رمز عملة غير معروف',
    });
  });

  it("says why a typed amount is not one, in English exactly as shared/money's errors", async () => {
    const t = await tIn('en');
    for (const [input, currency] of [['1.2345', 'USD'], ['1.5', 'JPY'], ['-3', 'USD'], ['abc', 'KWD'], ['99999999999', 'USD']] as const) {
      let err: unknown;
      try {
        parseAmount(input, currency);
      } catch (e) {
        err = e;
      }
      expect(err, input).toBeInstanceOf(MoneyError);
      expect(amountProblem(err, input, currency, t)).toBe((err as Error).message);
    }
    const ar = await tIn('ar');
    expect(amountProblem(new MoneyError('TOO_MANY_DECIMALS', 'x'), '1.2345', 'KWD', ar)).toBe('KWD: 3 منازل عشرية على الأكثر');
  });
});
