import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { MESSAGES as APS_MESSAGES } from '../electron/gateway/sandbox/codes';
import { ContractError, CORE_MESSAGES, coreText, englishText, isCoreMessageKey, operationText, type CoreMessageKey } from '../shared/contract';
import { allowedAction, checkAmount, type PaymentTotals } from '../shared/domain/payment-state';
import { useTestLanguage } from '../renderer/i18n/test-i18n';
import { ApiError } from '../renderer/lib/api';
import { coreSentence } from '../renderer/lib/core-text';
import { describeError } from '../renderer/lib/error-text';
import { bankText, counted } from '../renderer/lib/format';
import { accountText } from '../electron/core/gateway-accounts/model';
import { linkText, nested } from '../shared/contract';

/**
 * Sentences the core writes travel as a key + params (shared/contract/messages.ts, issue #17): the
 * English catalogue is that list word for word, every key has every language, every key the core
 * uses exists, and the screen says them in the user's language and digits, with no English left.
 */
const DIR = resolve(import.meta.dirname, '../renderer/i18n/locales');
const CORE = resolve(import.meta.dirname, '../electron');
const flat = (obj: Record<string, Record<string, string>>) => new Map(Object.entries(obj).flatMap(([g, v]) => Object.entries(v).map(([k, s]) => [`${g}.${k}`, s] as const)));
const load = (lang: string, ns: string) => JSON.parse(readFileSync(join(DIR, lang, `${ns}.json`), 'utf8')) as Record<string, Record<string, string>>;
const LATIN_WORD = /[A-Za-z]{3,}/;
const LATIN_DIGIT = /[0-9]/;

const refunded: PaymentTotals = { method: 'card', authorized: 10_000, captured: 6_000, refunded: 1_000, voided: false, declined: false, unknown: false, expiresAt: null };

describe('core sentences in the catalogues', () => {
  it('en/core.json is shared/contract/messages.ts word for word, and Arabic has every key', () => {
    const en = flat(load('en', 'core'));
    expect(Object.fromEntries(en)).toEqual(CORE_MESSAGES);
    const ar = flat(load('ar', 'core'));
    expect([...ar.keys()].sort()).toEqual(Object.keys(CORE_MESSAGES).sort());
    for (const [k, v] of ar) expect(v, k).toMatch(/[\u0600-\u06ff]|^\{\{bank\}\}$/);
  });

  it('every key the core passes to coreText() exists', () => {
    const walk = (dir: string): string[] => readdirSync(dir).flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? walk(p) : /\.ts$/.test(f) ? [p] : [];
    });
    const used = new Set<string>();
    for (const file of [...walk(CORE), ...walk(resolve(import.meta.dirname, '../shared'))]) {
      for (const m of readFileSync(file, 'utf8').matchAll(/coreText\(\s*'([\w.]+)'|['"]((?:rule|outcome|refuse|note)\.\w+)['"]/g)) used.add(m[1] ?? m[2]!);
    }
    expect(used.size).toBeGreaterThan(80);
    expect([...used].filter((k) => !isCoreMessageKey(k))).toEqual([]);
  });

  it('every APS message code the sandbox answers has a sentence in every language', () => {
    for (const lang of ['en', 'ar']) {
      const bank = load(lang, 'bank').message!;
      for (const code of Object.keys(APS_MESSAGES)) expect(bank[code], `${lang} bank ${code}`).toBeTruthy();
    }
  });
});

describe('the core sends keys', () => {
  it('a payment rule refuses with a key and its English', () => {
    const v = allowedAction('capture', refunded, new Date());
    expect(v).toMatchObject({ allowed: false, code: 'NOT_ALLOWED', reason: 'A refund was made; no further capture.', text: { key: 'rule.refundedNoCapture' } });
    const over = checkAmount('refund', 9_000, refunded, new Date());
    expect(over).toMatchObject({ allowed: false, code: 'AMOUNT_EXCEEDS_CAPTURED', text: { key: 'rule.overCaptured' } });
  });

  it('a ContractError carries the key in its envelope and English in its message', () => {
    const e = new ContractError('OFFLINE_LIMIT', coreText('refuse.offlinePerCharge', { limit: { amount: 25_000, currency: 'KWD' } }));
    expect(e.message.replace(/\u00a0/g, ' ')).toBe('Above the offline limit per charge (KWD 25.000). Keep the order awaiting payment until the station is online.');
    expect(e.toShape()).toEqual({ code: 'OFFLINE_LIMIT', message: e.message, text: { key: 'refuse.offlinePerCharge', params: { limit: { amount: 25_000, currency: 'KWD' } } } });
    expect(new ContractError('NOT_FOUND', 'No such payment.').toShape()).toEqual({ code: 'NOT_FOUND', message: 'No such payment.' });
  });

  it('an operation row reads back as a key: our stored sentences, the bank by its code', () => {
    expect(operationText({ message: englishText(coreText('note.cashReceived')), responseCode: null, type: 'cash_sale' })).toEqual({ key: 'note.cashReceived' });
    expect(operationText({ message: 'Cash received', responseCode: null, type: 'cash_sale' })).toEqual({ key: 'note.cashReceived' });
    expect(operationText({ message: 'Success', responseCode: '02000', type: 'authorize' })).toEqual({ key: 'note.bank', params: { bank: { responseCode: '02000', message: 'Success' } } });
    expect(operationText({ message: 'Repaired from the gateway: captured 0 → 500.', responseCode: '04000', type: 'check_status' })).toEqual({ key: 'outcome.repaired' });
    // The runner's technical notes: by their shape, the detail kept as a param (old rows too); a
    // socket error inside is a sentence of its own (tech.*), one of a shape we do not know stays as written.
    expect(operationText({ message: 'No definite answer (timeout): socket hang up', responseCode: null, type: 'capture' })).toEqual({ key: 'note.noDefiniteAnswer', params: { reason: 'timeout', detail: 'socket hang up' } });
    expect(operationText({ message: 'Not sent: the gateway could not be reached (connect ECONNREFUSED 127.0.0.1:1). Queued.', responseCode: null, type: 'refund' })).toEqual({ key: 'note.notSentQueued', params: { detail: { sentence: 'tech.refused', params: { detail: 'ECONNREFUSED 127.0.0.1:1' } } } });
    expect(operationText({ message: 'Retried by Sam.', responseCode: null, type: 'refund' })).toEqual({ key: 'attention.retried', params: { name: 'Sam' } });
    expect(operationText({ message: 'Confirmed by check status.', responseCode: '04000', type: 'capture' })).toEqual({ key: 'note.confirmedByCheck' });
    expect(operationText({ message: 'Something only support reads', responseCode: null, type: 'capture' })).toBeNull();
  });

  it('technical notes in the timeline are said in Arabic (not hidden), the technical detail isolated as it is', async () => {
    await useTestLanguage('ar', 'arab');
    const said = coreSentence(operationText({ message: 'No definite answer (timeout): socket hang up', responseCode: null, type: 'capture' }));
    expect(said).toBe('لا جواب قاطع (\u2068timeout\u2069): \u2068socket hang up\u2069');
    const land = coreSentence(operationText({ message: 'Not applied at the gateway yet; the last attempt could still land until 2026-12-05T10:00:00.000Z, then it is sent again.', responseCode: null, type: 'capture' }));
    expect(land).toMatch(/^لم تُطبَّق لدى البوابة بعد/);
    expect(land).not.toMatch(/[0-9]/);
  });
});

describe('the screen says them in the user language and digits', () => {
  beforeAll(() => useTestLanguage('en'));

  const say = (key: CoreMessageKey, params?: Parameters<typeof coreText>[1]) => coreSentence(coreText(key, params));

  it('English reads as the core wrote it, values formatted', async () => {
    await useTestLanguage('en', 'latn');
    for (const key of Object.keys(CORE_MESSAGES) as CoreMessageKey[]) {
      if (!CORE_MESSAGES[key].includes('{{')) expect(say(key), key).toBe(CORE_MESSAGES[key]);
    }
    expect(say('refuse.offlineCount', { n: 12, limit: 10 })).toBe('Already 12 offline charges waiting (limit 10). Keep the order awaiting payment.');
    expect(say('outcome.chargeDeclined', { bank: { responseCode: '13029', message: 'Insufficient funds' } })).toBe('Declined: Insufficient funds');
  });

  it('Arabic with Arabic-Indic digits: numbers, amounts and times inside sentences use them; no English word', async () => {
    await useTestLanguage('ar', 'arab');
    const count = say('refuse.offlineCount', { n: 12, limit: 10 })!;
    expect(count).toContain('١٢');
    expect(count).toContain('١٠');
    expect(count).not.toMatch(LATIN_DIGIT);
    const limit = say('refuse.offlinePerCharge', { limit: { amount: 25_000, currency: 'KWD' } })!;
    expect(limit).toContain('KWD');
    expect(limit).toMatch(/٢٥٫٠٠٠/);
    const when = say('refuse.recurringNextAfterPeriod', { period: 3, at: '2026-12-04T10:30:00.000Z' })!;
    expect(when).toContain('٣');
    expect(when).toContain('٢٠٢٦');
    expect(when).not.toMatch(LATIN_DIGIT);
    // A plural's count too (it went in as a bare number before; now the formatter writes it).
    expect(counted('common:age.minutes', 25)).toContain('٢٥');
    // Every core sentence without values is Arabic, with no English word left.
    for (const key of Object.keys(CORE_MESSAGES) as CoreMessageKey[]) {
      if (!CORE_MESSAGES[key].includes('{{')) expect(say(key), key).not.toMatch(LATIN_WORD);
    }
  });

  it('Arabic with Latin digits keeps Latin digits', async () => {
    await useTestLanguage('ar', 'latn');
    expect(say('refuse.offlineCount', { n: 12, limit: 10 })).toContain('12');
  });

  it('the bank answer by its APS message code; its own English only when the code is unknown', async () => {
    await useTestLanguage('ar', 'arab');
    expect(bankText('13666', 'Transaction declined')).toBe('رُفضت المعاملة');
    expect(bankText('02000', 'Success')).toBe('تمت بنجاح');
    expect(say('outcome.chargeDeclined', { bank: { responseCode: '13029', message: 'Insufficient funds' } })).toBe('مرفوضة: الرصيد غير كافٍ');
    expect(bankText('13999', 'Something new')).toBe('Something new');
    await useTestLanguage('en');
    expect(bankText('13666', 'Transaction declined')).toBe('Transaction declined');
  });

  it('an error the core sent as a key reads in Arabic; one without a key never shows its English', async () => {
    await useTestLanguage('ar', 'arab');
    const v = allowedAction('capture', refunded, new Date());
    if (v.allowed) throw new Error('allowed');
    const keyed = new ApiError(new ContractError(v.code, v.text).toShape());
    expect(describeError(keyed)).toBe('تم استرداد مبلغ، فلا يمكن تحصيل المزيد.');
    const plain = new ApiError({ code: 'NOT_ALLOWED', message: 'Some English detail from an older core.' });
    expect(describeError(plain)).not.toMatch(LATIN_WORD);
    await useTestLanguage('en');
    expect(describeError(plain)).toContain('Some English detail from an older core.');
    await useTestLanguage('en');
    expect(i18next.language).toBe('en');
  });

  it('refusals that were English only (gateway accounts, shop server, catalog, cards) carry keys, with an account named inside in Arabic', async () => {
    const currency = new ContractError('NOT_ALLOWED', coreText('refuse.accountCurrency', { account: nested(accountText('test:MID42')), currencies: 'SAR, AED', currency: 'KWD' }));
    expect(currency.message).toBe('APS test account MID42 accepts SAR, AED, not KWD.');
    const shop = new ContractError('SHOP_SERVER_UNREACHABLE', coreText('refuse.shopUnreachable', { target: 'pos@10.0.0.2:5432/shop', detail: 'connect ECONNREFUSED' }));
    await useTestLanguage('ar', 'latn');
    expect(describeError(new ApiError(currency.toShape()))).toBe('حساب الاختبار \u2068MID42\u2069 يقبل SAR, AED فقط، لا KWD.');
    expect(describeError(new ApiError(shop.toShape()))).toBe('تعذّر الوصول إلى خادم المتجر \u2068pos@10.0.0.2:5432/shop\u2069: \u2068connect ECONNREFUSED\u2069');
    expect(describeError(new ApiError(new ContractError('CARD_EXPIRED', coreText('refuse.expiryPast')).toShape()))).toBe('تاريخ الانتهاء هذا في الماضي.');
  });

  it('payment-link and email-confirmation panel messages read as keys, old stored English included', async () => {
    expect(linkText('Invalid expiry date (14032)')).toEqual({ key: 'note.bank', params: { bank: { responseCode: '14032', message: 'Invalid expiry date' } } });
    expect(linkText('No answer from the gateway (timeout); checking.')).toEqual({ key: 'link.noAnswerChecking', params: { reason: 'timeout' } });
    expect(linkText('The gateway never made this link.')).toEqual({ key: 'link.neverMade' });
    expect(linkText('socket hang up')).toBeNull();
    expect(operationText({ message: 'Paid by the customer through the payment link', responseCode: null, type: 'purchase' })).toEqual({ key: 'note.paidByLink' });
    await useTestLanguage('ar', 'arab');
    expect(coreSentence({ key: 'confirm.expired', params: { seconds: 600 } })).toBe('لم يُجب العميل في الوقت المحدد (٦٠٠ ثانية). لم يُخصم أي مبلغ؛ ما زال الطلب بانتظار الدفع.');
    expect(englishText({ key: 'confirm.expired', params: { seconds: 600 } })).toBe('The customer did not answer in time (600 s). Nothing was charged; the order is still awaiting payment.');
  });
});
