import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Gateway } from '../electron/gateway/types';
import { buildCsp } from '../electron/main/protocol';
import { isNavigationAllowed } from '../electron/main/window';
import { startWebServer } from '../electron/web/server';
import { raw } from '../electron/web/test-helpers';
import { ManualClock } from '../electron/core/clock';
import { openLedger, type Db } from '../electron/core/db/database';
import { PassphraseKeyProtector } from '../electron/core/db/key-protector';
import { CoreEvents } from '../electron/core/events';
import { GatewayAccounts } from '../electron/core/gateway-accounts/accounts';
import type { StoredAccount } from '../electron/core/gateway-accounts/model';
import { saveActive, upsertAccount } from '../electron/core/gateway-accounts/store';

/**
 * The hosted card page follows the station's account: its origin, the CSP's frame-src and
 * form-action (web mode and Electron's app:// page), and Electron's frame navigation allow-list.
 * Tested for each environment, with the APS hosts fixed per environment (docs/aps-gateway.md §1).
 */

const SANDBOX_ORIGIN = 'http://127.0.0.1:5181';
let dir: string;
let db: Db;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'card-page-origin-'));
  db = await openLedger({ dir, protector: new PassphraseKeyProtector('origin test', { N: 1 << 12 }) });
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function account(environment: 'test' | 'production', over: Partial<StoredAccount> = {}): StoredAccount {
  const meta = { setAt: '2026-01-01T00:00:00.000Z', setBy: 'Ann', last2: 'xx' };
  return {
    environment, merchantIdentifier: environment === 'test' ? 'TESTMID' : 'LIVEMID', shaType: 'SHA-256', currencies: ['AED'], confirmation: null, urlOverride: null,
    secrets: { accessCode: 'Access1', requestPhrase: 'req', responsePhrase: 'resp' },
    secretsMeta: { accessCode: meta, requestPhrase: meta, responsePhrase: meta },
    lastTest: { at: meta.setAt, outcome: 'ok' }, updatedAt: meta.setAt, updatedBy: 'Ann', ...over,
  };
}

const accountsNow = () => new GatewayAccounts(db, new ManualClock(), { embedded: { name: 'embedded', isSandbox: true } as Gateway, embeddedPageOrigin: SANDBOX_ORIGIN });

describe('the card page follows the configured environment', () => {
  const cases = [
    { env: 'sandbox', origin: SANDBOX_ORIGIN },
    { env: 'test', origin: 'https://sbcheckout.payfort.com' },
    { env: 'production', origin: 'https://checkout.payfort.com' },
  ] as const;

  it.each(cases)('$env: origin $origin in the web page CSP, the Electron CSP and the frame allow-list', async ({ env, origin }) => {
    upsertAccount(db, account('test'));
    upsertAccount(db, account('production'));
    saveActive(db, env, '2026-01-01T00:00:00.000Z', 'Ann');
    const accounts = accountsNow();
    expect(accounts.hostedPageOrigin()).toBe(origin);

    const staticDir = mkdtempSync(join(tmpdir(), 'origin-static-'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>POS</title>');
    mkdirSync(join(staticDir, 'assets'));
    const server = await startWebServer({
      core: { dispatch: vi.fn(), events: new CoreEvents(), acceptHostedReturn: vi.fn() },
      staticDir, port: 0, gatewayOrigin: () => accounts.hostedPageOrigin()!, secret: 'origin-test-secret-0123456789abcdefghijkl',
    });
    try {
      const res = await raw({ port: server.port, path: '/', headers: { Host: `127.0.0.1:${server.port}` } });
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain(`frame-src ${origin} `);
      expect(csp).toContain(`form-action ${origin};`);
      for (const other of cases.filter((c) => c.origin !== origin)) expect(csp).not.toContain(other.origin);
    } finally {
      await server.close();
      rmSync(staticDir, { recursive: true, force: true });
    }
    const electronCsp = buildCsp(origin);
    expect(electronCsp).toContain(`form-action ${origin}`);
    expect(isNavigationAllowed({ url: `${origin}/FortAPI/paymentPage`, isMainFrame: false }, accounts.hostedPageOrigin())).toBe(true);
    for (const other of cases.filter((c) => c.origin !== origin)) {
      expect(isNavigationAllowed({ url: `${other.origin}/FortAPI/paymentPage`, isMainFrame: false }, accounts.hostedPageOrigin())).toBe(false);
    }
  });

  it('a development URL override moves the test account only; production always uses the fixed host', () => {
    upsertAccount(db, account('test', { urlOverride: { paymentApiUrl: 'http://127.0.0.1:6001/FortAPI/paymentApi', paymentPageUrl: 'http://127.0.0.1:6001/FortAPI/paymentPage' } }));
    saveActive(db, 'test', '2026-01-01T00:00:00.000Z', 'Ann');
    expect(accountsNow().hostedPageOrigin()).toBe('http://127.0.0.1:6001');
    // The schema itself refuses an override stored for production (migration 008 CHECK).
    expect(() => upsertAccount(db, account('production', { urlOverride: { paymentApiUrl: 'http://127.0.0.1:6001/x', paymentPageUrl: 'http://127.0.0.1:6001/y' } }))).toThrow(/CHECK constraint/);
  });
});
