/**
 * Child process of the year suite (bench/suites/year.ts), on the year ledger
 * (bench/lib/year-ledger.ts), with the core assembled as web mode does (createCore) and a clock
 * fixed at the ledger's last evening:
 *   - ledger open + start-up recovery: createCore, three times (closed in between);
 *   - Transactions filters: `payments.list` through dispatch, first page as the screen asks it;
 *   - end of day for the busiest day: `reports.endOfDay` through dispatch;
 *   - audit: `audit.verify` through dispatch (the whole chain).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { unusedGateway as gateway } from '../lib/unused-gateway';
import { createCore, type Core } from '../../electron/core/app';
import { openInfo, openLedger } from '../../electron/core/db/database';
import { startFileCheck } from '../../electron/core/db/integrity';
import type { CallInfo } from '../../electron/core/dispatch';
import { MemorySettingsStore } from '../../electron/core/settings/defaults';
import { emit } from '../lib/emit';
import { protector } from '../lib/dataset';
import { nowMs, p50, p99, percentile } from '../lib/stats';
import { YEAR_ADMIN, YEAR_STATION, type YearMeta } from '../lib/year-ledger';

const [dir, metaJson] = process.argv.slice(2) as [string, string];
const meta = JSON.parse(metaJson) as YearMeta;
const PAGE = 200; // renderer/features/transactions/tx-store.ts
const PER_KIND = Number(process.env.BENCH_YEAR_N ?? 60);
const OPEN_RUNS = 3;


const clock = { now: () => new Date(meta.now) };
const open = () =>
  createCore({
    dataDir: dir,
    protector: protector(),
    gateway: gateway(),
    clock,
    settings: new MemorySettingsStore({ stationName: YEAR_STATION }),
    hostedReturnUrl: 'http://127.0.0.1:9/hosted/return',
    validateOutput: false,
  });

async function main(): Promise<void> {
  // Breakdown of the open: the ledger alone (key unwrap, cipher, migrations; the full check only
  // after an unclean stop) and the integrity check the core runs in the background after start
  // (docs/decisions/ledger-integrity-check.md), timed on its own: the checker process, whole file.
  const tl = nowMs();
  const raw = await openLedger({ dir, protector: protector() });
  const ledgerOpenMs = nowMs() - tl;
  const fullCheckOnOpen = openInfo(raw)?.fullCheck ?? null;
  const check = await startFileCheck(openInfo(raw)!.checkInput).done;
  if (check.kind !== 'ok') throw new Error(`year ledger background check: ${check.kind} ${'detail' in check ? check.detail : ''}`);
  const quickCheckMs = check.ms;
  raw.close();

  const openMs: number[] = [];
  let core: Core | null = null;
  for (let i = 0; i < OPEN_RUNS; i++) {
    const t = nowMs();
    core = await open();
    openMs.push(nowMs() - t);
    if (i < OPEN_RUNS - 1) await core.close();
  }
  const c = core!;
  const who: CallInfo = { sessionKey: 'bench-year', origin: 'bench' };
  const call = async <T>(channel: string, input: unknown): Promise<T> => {
    const env = await c.dispatch(channel, input, who);
    if (!env.ok) throw new Error(`${channel}: ${env.error.code} ${env.error.message}`);
    return env.value as T;
  };
  const users = await call<{ id: string; name: string }[]>('session.users', {});
  const admin = users.find((u) => u.name === YEAR_ADMIN.name);
  if (!admin) throw new Error('no Bench Admin on the year ledger');
  await call('session.login', { userId: admin.id, pin: YEAR_ADMIN.pin });

  // Transactions: what the screen sends (tx-store.ts input()), first page.
  type Filter = { period: 'today' | 'week' | 'all'; view: 'all'; status?: string; query?: string; limit: number };
  const statuses = ['refunded', 'voided', 'declined', 'partially_refunded', 'captured'];
  const kinds: { kind: string; label: string; inputs: Filter[] }[] = [
    { kind: 'reference', label: 'reference (order reference as typed)', inputs: meta.samples.references.map((q) => ({ period: 'all', view: 'all', query: q, limit: PAGE })) },
    { kind: 'customer', label: 'customer (name)', inputs: meta.samples.customers.map((q) => ({ period: 'all', view: 'all', query: q, limit: PAGE })) },
    { kind: 'state', label: 'state (status)', inputs: statuses.map((s) => ({ period: 'all', view: 'all', status: s, limit: PAGE })) },
    { kind: 'date', label: 'date range (today / last 7 days)', inputs: (['today', 'week'] as const).map((p) => ({ period: p, view: 'all', limit: PAGE })) },
  ];
  const filters: { kind: string; label: string; samples: number; p50: number; p99: number; max: number; meanRows: number; meanTotal: number; warmMs: number[] }[] = [];
  for (const k of kinds) {
    const times: number[] = [];
    const warm: number[] = [];
    let rows = 0;
    let total = 0;
    for (let i = 0; i < PER_KIND + 5; i++) {
      const f = k.inputs[i % k.inputs.length]!;
      const t = nowMs();
      const r = await call<{ rows: unknown[]; total: number }>('payments.list', f);
      const ms = nowMs() - t;
      if (i < 5) warm.push(ms);
      if (i >= 5) {
        times.push(ms);
        rows += r.rows.length;
        total += r.total;
      }
    }
    filters.push({ kind: k.kind, label: k.label, samples: times.length, p50: p50(times), p99: p99(times), max: percentile(times, 100), meanRows: rows / times.length, meanTotal: total / times.length, warmMs: warm });
    console.error(`year: filter ${k.kind}: p50 ${p50(times).toFixed(1)} ms, p99 ${p99(times).toFixed(1)} ms`);
  }

  // End of day for the busiest day (station-local = UTC here).
  const eod: number[] = [];
  let eodOps = 0;
  for (let i = 0; i < 6; i++) {
    const t = nowMs();
    const r = await call<{ byCurrency: { taken: { count: number }; refunded: { count: number } }[] }>('reports.endOfDay', { date: meta.busiestDay.date, utcOffsetMinutes: 0 });
    if (i > 0) eod.push(nowMs() - t);
    eodOps = r.byCurrency.reduce((a, x) => a + x.taken.count + x.refunded.count, 0);
  }

  // Audit: the whole chain.
  const verify: { ms: number; checked: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const t = nowMs();
    const r = await call<{ ok: boolean; checked: number }>('audit.verify', {});
    if (!r.ok) throw new Error('audit chain does not verify');
    verify.push({ ms: nowMs() - t, checked: r.checked });
  }
  // Whether the core's own background check (60 s after start) overlapped the measures above.
  const integrityDuringMeasures = c.integrity.state;
  await c.close();
  emit({
    openMs,
    ledgerOpenMs,
    fullCheckOnOpen,
    integrityDuringMeasures,
    quickCheckMs,
    filters,
    eod: { samples: eod.length, p50: p50(eod), max: percentile(eod, 100), operations: eodOps },
    verify,
    fileBytes: statSync(join(dir, 'ledger.db')).size,
  });
}

await main();
