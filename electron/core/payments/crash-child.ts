/**
 * The process the crash test kills. It opens the station's ledger, runs the start-up sweep, then
 * works through random payment operations against the sandbox until it is SIGKILLed. Protocol on
 * stdout: "ready <report>" after recovery, "op" after each finished request. With CRASH_FINAL=1
 * it only recovers, waits for every unresolved operation to finish, prints "done" and exits.
 *
 * Run by payments.crash.test.ts with: node_modules/.bin/tsx crash-child.ts
 */
import { ContractError } from '../../../shared/contract';
import { ApsGateway } from '../../gateway/aps';
import { DEFAULT_MERCHANT } from '../../gateway/sandbox';
import { systemClock } from '../clock';
import type { CallContext } from '../context';
import { openLedger } from '../db/database';
import { PassphraseKeyProtector } from '../db/key-protector';
import type { CoreDeps } from '../deps';
import { CoreEvents } from '../events';
import { MemorySettingsStore } from '../settings';
import { createPaymentsFeature } from './index';

const env = (k: string): string => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is required`);
  return v;
};

async function main(): Promise<void> {
  const timeoutMs = Number(process.env.CRASH_TIMEOUT_MS ?? 200);
  const db = await openLedger({ dir: env('CRASH_DIR'), protector: new PassphraseKeyProtector(env('CRASH_PASSPHRASE'), { N: 1 << 12 }) });
  const deps: CoreDeps = {
    db,
    gateway: new ApsGateway({
      paymentApiUrl: env('CRASH_API_URL'),
      paymentPageUrl: env('CRASH_PAGE_URL'),
      accessCode: DEFAULT_MERCHANT.accessCode,
      merchantIdentifier: DEFAULT_MERCHANT.merchantIdentifier,
      requestPhrase: DEFAULT_MERCHANT.requestPhrase,
      responsePhrase: DEFAULT_MERCHANT.responsePhrase,
      shaType: DEFAULT_MERCHANT.shaType,
      timeoutMs,
      language: 'en',
      isSandbox: true,
      name: 'sandbox',
    }),
    clock: systemClock,
    station: 'D1',
    settings: new MemorySettingsStore({ stationName: 'D1', refundApprovalLimit: 9_999_999_999 }),
    events: new CoreEvents(),
    log: { info() {}, warn() {}, error() {}, debug() {} },
    hostedReturnUrl: 'http://127.0.0.1:9/hosted-return',
  };
  const feature = createPaymentsFeature(deps, { retryDelaysMs: [50, 100, 200, 400], captureResendGraceMs: 2 * timeoutMs });
  const report = await feature.recover();
  process.stdout.write(`ready ${JSON.stringify(report)}\n`);

  if (process.env.CRASH_FINAL === '1') {
    for (let round = 0; round < 100; round++) {
      await feature.service.settle();
      const open = db.prepare(`SELECT DISTINCT payment_id AS id FROM operations WHERE state IN ('pending', 'sent', 'unknown')`).all() as { id: string }[];
      if (open.length === 0) break;
      await new Promise((r) => setTimeout(r, 2 * timeoutMs));
      for (const { id } of open) await feature.service.mutex.run(id, () => feature.service.resolveUnfinished(id));
    }
    await feature.close();
    db.close();
    process.stdout.write('done\n');
    return;
  }

  const card = db.prepare(`SELECT id, customer_id FROM cards WHERE status = 'active' LIMIT 1`).get() as { id: string; customer_id: string };
  const user = db.prepare(`SELECT id, name FROM users WHERE role = 'supervisor' LIMIT 1`).get() as { id: string; name: string };
  const ctx: CallContext = { sessionKey: 'crash', origin: 'crash', user: { id: user.id, name: user.name, role: 'supervisor' } };
  const h = feature.handlers as Record<string, (input: unknown, ctx: CallContext) => Promise<unknown>>;
  const pickPayment = (where: string) =>
    db.prepare(`SELECT id, authorized, captured, refunded FROM payments WHERE method = 'card' AND open_ops = 0 AND ${where} ORDER BY random() LIMIT 1`).get() as
      | { id: string; authorized: number; captured: number; refunded: number }
      | undefined;
  const rand = (n: number) => Math.floor(Math.random() * n);

  for (;;) {
    const roll = Math.random();
    try {
      if (roll < 0.4) {
        const amount = (1 + rand(300)) * 100 + (Math.random() < 0.05 ? 77 : 0);
        const order = (await h['orders.create']!(
          { channel: 'phone', currency: 'USD', customerId: card.customer_id, newCustomer: null, note: '', lines: [{ description: 'crash', quantity: 1, unitPrice: amount, taxRateBp: 0 }] },
          ctx,
        )) as { id: string };
        await h['payments.charge']!({ orderId: order.id, mode: Math.random() < 0.6 ? 'authorize' : 'purchase', source: { kind: 'card_on_file', cardId: card.id } }, ctx);
      } else if (roll < 0.65) {
        const p = pickPayment(`kind = 'authorization' AND voided = 0 AND declined = 0 AND captured < authorized AND refunded = 0`);
        if (p) await h['payments.capture']!({ paymentId: p.id, amount: Math.max(1, rand(p.authorized - p.captured) + 1) }, ctx);
      } else if (roll < 0.85) {
        const p = pickPayment(`declined = 0 AND refunded < captured`);
        if (p) await h['payments.refund']!({ paymentId: p.id, amount: Math.max(1, rand(p.captured - p.refunded) + 1), reason: 'crash test' }, ctx);
      } else if (roll < 0.92) {
        const p = pickPayment(`kind = 'authorization' AND voided = 0 AND declined = 0 AND captured = 0 AND authorized > 0`);
        if (p) await h['payments.void']!({ paymentId: p.id, reason: '' }, ctx);
      } else {
        const p = pickPayment('1');
        if (p) await h['payments.checkStatus']!({ paymentId: p.id }, ctx);
      }
      process.stdout.write('op\n');
    } catch (e) {
      if (!(e instanceof ContractError)) throw e;
      process.stdout.write('refused\n');
    }
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`crash-child failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
