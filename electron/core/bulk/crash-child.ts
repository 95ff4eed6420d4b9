/**
 * The process bulk.crash.test.ts kills: opens the station's ledger, recovers payments and bulk runs
 * (a run left running resumes), prints "ready", and "done" once every run has finished.
 * Run with: node_modules/.bin/tsx electron/core/bulk/crash-child.ts
 */
import { ApsGateway } from '../../gateway/aps';
import { DEFAULT_MERCHANT } from '../../gateway/sandbox';
import { systemClock } from '../clock';
import { openLedger } from '../db/database';
import { PassphraseKeyProtector } from '../db/key-protector';
import type { CoreDeps } from '../deps';
import { CoreEvents } from '../events';
import { createPaymentsFeature } from '../payments';
import { MemorySettingsStore } from '../settings';
import { BulkService } from './service';

const env = (k: string): string => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is required`);
  return v;
};

async function main(): Promise<void> {
  const db = await openLedger({ dir: env('CRASH_DIR'), protector: new PassphraseKeyProtector(env('CRASH_PASSPHRASE'), { N: 1 << 12 }) });
  const deps: CoreDeps = {
    db,
    gateway: new ApsGateway({
      paymentApiUrl: env('CRASH_API_URL'), paymentPageUrl: env('CRASH_PAGE_URL'),
      accessCode: DEFAULT_MERCHANT.accessCode, merchantIdentifier: DEFAULT_MERCHANT.merchantIdentifier,
      requestPhrase: DEFAULT_MERCHANT.requestPhrase, responsePhrase: DEFAULT_MERCHANT.responsePhrase, shaType: DEFAULT_MERCHANT.shaType,
      timeoutMs: 2_000, language: 'en', isSandbox: true, name: 'sandbox',
    }),
    clock: systemClock,
    station: 'D1',
    settings: new MemorySettingsStore({ stationName: 'D1', refundApprovalLimit: 9_999_999_999 }),
    events: new CoreEvents(),
    log: { info() {}, warn() {}, error() {}, debug() {} },
    hostedReturnUrl: 'http://127.0.0.1:9/hosted-return',
  };
  const payments = createPaymentsFeature(deps, { retryDelaysMs: [50, 100, 200], captureResendGraceMs: 4_000 });
  await payments.recover();
  const bulk = new BulkService(deps, payments.service, { concurrency: 8, orders: payments.orders });
  const actorOf = (id: string) => {
    const u = db.prepare('SELECT id, name, role FROM users WHERE id = ?').get(id) as { id: string; name: string; role: 'clerk' | 'supervisor' | 'admin' } | undefined;
    return u ?? null;
  };
  const settled = bulk.recover(actorOf);
  process.stdout.write(`ready ${settled}\n`);
  const runs = db.prepare("SELECT id FROM bulk_runs WHERE state = 'running'").all() as { id: string }[];
  for (const r of runs) await bulk.wait(r.id);
  // Operations the payments core left unknown (a capture cut by the kill waits a grace period
  // before it is resent): let it finish them, then bring the rows up to date.
  for (let round = 0; round < 60; round++) {
    await payments.service.settle();
    const open = db.prepare("SELECT DISTINCT payment_id AS id FROM operations WHERE state IN ('pending', 'sent', 'unknown')").all() as { id: string }[];
    if (open.length === 0) break;
    await new Promise((r) => setTimeout(r, 500));
    for (const { id } of open) await payments.service.mutex.run(id, () => payments.service.resolveUnfinished(id));
  }
  bulk.reconcile();
  await bulk.close();
  await payments.close();
  db.close();
  process.stdout.write('done\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
