import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({}));

import i18next from 'i18next';
import { CONNECTION_TEST_MESSAGES, type ConnectionTestOutcome } from '../electron/gateway/aps/test-connection';
import { PassphraseKeyProtector } from '../electron/core/db/key-protector';
import { OnceKeyProtector, WrongPassphraseError, type PassphraseRequest } from '../electron/main/passphrase';
import { createUnlockController } from '../electron/main/unlock';
import { switchRefusal, testMessage } from '../renderer/features/settings/gateway-text';
import { errorMessage } from '../renderer/unlock/page';
import { translator } from '../renderer/unlock/text';
import type { UnlockEnvelope, UnlockError } from '../shared/unlock/api';

/**
 * The screen says the core's sentences from the catalogue, picked by code or outcome (issue #17).
 * Here the English catalogue is checked against what the core really writes, so a sentence changed
 * on one side only fails; and the Arabic is checked to be Arabic, with the core's detail kept.
 */

// The catalogues as the app loads them (a JSON import would need the tools project to list them).
const catalogues = import.meta.glob<Record<string, never>>('../renderer/i18n/locales/*/{gateway,unlock}.json', { eager: true, import: 'default' });
const catalogue = (lang: 'en' | 'ar', ns: 'gateway' | 'unlock') => catalogues[`../renderer/i18n/locales/${lang}/${ns}.json`]!;

async function gatewayT(lang: 'en' | 'ar') {
  const i18n = i18next.createInstance();
  await i18n.init({ lng: lang, resources: { [lang]: { gateway: catalogue(lang, 'gateway') } }, interpolation: { escapeValue: false } });
  return i18n.t;
}

const ARABIC = /[\u0600-\u06ff]/;

describe('connection test sentences', () => {
  const outcomes = Object.keys(CONNECTION_TEST_MESSAGES) as ConnectionTestOutcome[];

  it('read in English exactly as test-connection.ts writes them, detail included', async () => {
    const t = await gatewayT('en');
    for (const outcome of outcomes) expect(testMessage({ outcome, message: CONNECTION_TEST_MESSAGES[outcome] }, t), outcome).toBe(CONNECTION_TEST_MESSAGES[outcome]);
    const unreachable = `${CONNECTION_TEST_MESSAGES.unreachable} (HTTP 502)`;
    expect(testMessage({ outcome: 'unreachable', message: unreachable }, t)).toBe(unreachable);
    const refused = `${CONNECTION_TEST_MESSAGES.refused} (08002: Not enabled). Ask APS support to enable check status (query) on this account.`;
    expect(testMessage({ outcome: 'refused', message: refused }, t)).toBe(refused);
    expect(testMessage({ outcome: 'credentials_refused', message: 'Not sent: access_code is too long.' }, t)).toBe('Not sent: access_code is too long.');
  });

  it('read in Arabic, keeping only the technical detail as it came', async () => {
    const t = await gatewayT('ar');
    for (const outcome of outcomes) expect(testMessage({ outcome, message: CONNECTION_TEST_MESSAGES[outcome] }, t), outcome).toMatch(ARABIC);
    const said = testMessage({ outcome: 'unreachable', message: `${CONNECTION_TEST_MESSAGES.unreachable} (HTTP 502)` }, t);
    expect(said).toMatch(ARABIC);
    expect(said).toContain('(HTTP 502)');
    expect(said).not.toContain('could not be reached');
  });
});

describe('a refused gateway switch', () => {
  // electron/core/gateway-accounts/accounts.ts assertNothingWaiting and switchTo.
  const wait = (n: number, atLeast = false) => `Switching the gateway must wait: ${atLeast ? 'at least ' : ''}${n} operation(s) are queued, unknown or in flight and must finish on their own account first: P-1 refund 3000 USD (queued).`;

  it('keeps the list of what it waits for, in both languages', async () => {
    const en = await gatewayT('en');
    expect(switchRefusal('CONFLICT', wait(2), en)).toBe('Switching the gateway must wait: 2 operations are queued, unknown or in flight and must finish on their own account first: P-1 refund 3000 USD (queued).');
    expect(switchRefusal('CONFLICT', wait(1), en)).toContain('1 operation is queued');
    expect(switchRefusal('CONFLICT', wait(20, true), en)).toContain('at least 20 operations');
    const ar = await gatewayT('ar');
    expect(switchRefusal('CONFLICT', wait(1), ar)).toBe('يجب أن ينتظر تبديل بوابة الدفع: عملية واحدة في الانتظار أو مجهولة النتيجة أو قيد التنفيذ، ويجب أن تنتهي على حسابها أولًا: P-1 refund 3000 USD (queued).');
    expect(switchRefusal('CONFLICT', wait(3), ar)).toContain('3 عمليات');
  });

  it('says the other refusals from the catalogue, and leaves an unknown one to the caller', async () => {
    const en = await gatewayT('en');
    for (const [code, message] of [
      ['NOT_ALLOWED', 'No APS test account is saved yet: enter and test it first.'],
      ['NOT_ALLOWED', 'No APS production account is saved yet: enter and test it first.'],
      ['NOT_ALLOWED', 'The production account has not passed a connection test: test it first.'],
      ['VALIDATION', 'Type GO LIVE to confirm that real cards will be charged.'],
    ] as const) {
      expect(switchRefusal(code, message, en)).toBe(message);
    }
    expect(switchRefusal('INTERNAL', 'boom', en)).toBeNull();
  });
});

describe('unlock window sentences', () => {
  const RIGHT = 'correct horse battery staple';
  const en = translator('en', catalogue('en', 'unlock'));
  const ar = translator('ar', catalogue('ar', 'unlock'));

  function controllerFor(mode: 'create' | 'unlock', attempt?: PassphraseRequest['attempt']) {
    let clock = 1_000_000;
    const protector = new OnceKeyProtector(new PassphraseKeyProtector(RIGHT, { N: 1 << 10 }));
    const request: PassphraseRequest = {
      mode,
      reason: 'insecure-backend',
      attempt: attempt ?? (async (p) => {
        if (mode === 'unlock' && p !== RIGHT) throw new WrongPassphraseError();
        return protector;
      }),
    };
    const controller = createUnlockController(request, { onUnlocked: () => undefined, now: () => clock });
    return { controller, advance: (ms: number) => void (clock += ms) };
  }

  const errorOf = (e: UnlockEnvelope): UnlockError => {
    if (e.ok) throw new Error('expected a refusal');
    return e.error;
  };

  it("read in English exactly as main's controller writes them", async () => {
    const seen: [UnlockError, 'create' | 'unlock'][] = [];
    const unlock = controllerFor('unlock');
    seen.push([errorOf(await unlock.controller.unlock({})), 'unlock']);
    seen.push([errorOf(await unlock.controller.unlock({ passphrase: 'short' })), 'unlock']);
    for (let i = 0; i < 4; i++) seen.push([errorOf(await unlock.controller.unlock({ passphrase: 'wrong passphrase' })), 'unlock']); // the 4th waits 2 s
    seen.push([errorOf(await unlock.controller.unlock({ passphrase: RIGHT })), 'unlock']); // too soon: 2 seconds
    unlock.advance(1000);
    seen.push([errorOf(await unlock.controller.unlock({ passphrase: RIGHT })), 'unlock']); // too soon: 1 second
    seen.push([errorOf(await unlock.controller.create({ passphrase: RIGHT, confirm: RIGHT })), 'unlock']);
    unlock.advance(1000);
    expect((await unlock.controller.unlock({ passphrase: RIGHT })).ok).toBe(true);
    seen.push([errorOf(await unlock.controller.unlock({ passphrase: RIGHT })), 'unlock']); // done
    const create = controllerFor('create');
    seen.push([errorOf(await create.controller.create({ passphrase: RIGHT })), 'create']);
    seen.push([errorOf(await create.controller.create({ passphrase: 'short', confirm: 'short' })), 'create']);
    seen.push([errorOf(await create.controller.create({ passphrase: RIGHT, confirm: `${RIGHT}!` })), 'create']);
    seen.push([errorOf(await create.controller.unlock({ passphrase: RIGHT })), 'create']);
    const broken = controllerFor('unlock', async () => {
      throw new Error('disk');
    });
    seen.push([errorOf(await broken.controller.unlock({ passphrase: RIGHT })), 'unlock']);
    const slow = controllerFor('unlock', () => new Promise(() => undefined));
    void slow.controller.unlock({ passphrase: RIGHT });
    seen.push([errorOf(await slow.controller.unlock({ passphrase: RIGHT })), 'unlock']);

    expect(new Set(seen.map(([e]) => e.code))).toEqual(new Set(['VALIDATION', 'WRONG_PASSPHRASE', 'TOO_SOON', 'WRONG_MODE', 'DONE', 'MISMATCH', 'INTERNAL', 'BUSY']));
    for (const [error, mode] of seen) expect(errorMessage(error, mode, en), error.code).toBe(error.message);
    for (const [error, mode] of seen) expect(errorMessage(error, mode, ar), error.code).toMatch(ARABIC);
  });

  it('counts seconds with Arabic plurals', () => {
    const wrong = (ms: number): UnlockError => ({ code: 'WRONG_PASSPHRASE', message: '', retryAfterMs: ms });
    expect(errorMessage(wrong(1000), 'unlock', ar)).toBe('عبارة المرور هذه لا تفتح السجل. انتظر ثانية واحدة قبل المحاولة التالية.');
    expect(errorMessage(wrong(2000), 'unlock', ar)).toContain('ثانيتين');
    expect(errorMessage(wrong(4000), 'unlock', ar)).toContain('4 ثوانٍ');
    expect(errorMessage(wrong(16000), 'unlock', ar)).toContain('16 ثانية');
    expect(errorMessage({ code: 'TOO_SOON', message: '', retryAfterMs: 60000 }, 'unlock', en)).toBe('Too many wrong passphrases. Try again in 60 seconds.');
  });
});
