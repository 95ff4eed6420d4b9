/**
 * Child process of the lookup and memory suites (bench/suites/lookup.ts). Modes:
 *   lookup  — p50/p99 per query kind through the app's customers.search handler, and the baseline:
 *             a linear scan (Array.filter) of the same records held in memory.
 *   memory  — the real core (createCore) on the same ledger, a lookup run through the same search,
 *             then process.memoryUsage().rss of this process: the core's own footprint.
 */
import { unusedGateway as gateway } from '../lib/unused-gateway';
import { createCore } from '../../electron/core/app';
import { systemClock } from '../../electron/core/clock';
import { createCustomersFeature } from '../../electron/core/customers';
import { foldTerm, nameWords, digitsOf } from '../../electron/core/customers/search-index';
import { searchCustomers } from '../../electron/core/customers/search';
import { openLedger } from '../../electron/core/db/database';
import { silentLogger, type CoreDeps } from '../../electron/core/deps';
import { CoreEvents } from '../../electron/core/events';
import { MemorySettingsStore } from '../../electron/core/settings/defaults';
import type { CallContext } from '../../electron/core/context';
import { emit } from '../lib/emit';
import { protector } from '../lib/dataset';
import { nowMs, p50, p99, percentile } from '../lib/stats';
import { buildQueries, KINDS, type Query, type QueryKind } from './lookup-queries';

const [mode, dir, perKindArg] = process.argv.slice(2) as ['lookup' | 'memory', string, string | undefined];
const PER_KIND = Number(perKindArg ?? 1000);
const PAGE = { limit: 20, offset: 0 }; // the contract's default page (customers.search limit 20)


interface KindStats {
  kind: QueryKind;
  samples: number;
  p50: number;
  p99: number;
  max: number;
  meanHits: number;
  baselineP50?: number;
  baselineSamples?: number;
}

async function lookup(): Promise<void> {
  const db = await openLedger({ dir, protector: protector() });
  const deps: CoreDeps = {
    db,
    gateway: gateway(),
    clock: systemClock,
    station: 'BENCH',
    settings: new MemorySettingsStore({}),
    events: new CoreEvents(),
    log: silentLogger,
    hostedReturnUrl: 'http://127.0.0.1:9/hosted/return',
  };
  const search = createCustomersFeature(deps).handlers['customers.search']!;
  const ctx: CallContext = { sessionKey: 'bench', origin: 'bench', user: { id: 'u_bench', name: 'Bench', role: 'clerk' } };
  const run = async (q: Query) => (await search({ query: q.text, ...PAGE }, ctx)).hits.length;

  const warm = buildQueries(db, 250, 7);
  const queries = buildQueries(db, PER_KIND, 1);
  const tw = nowMs();
  for (const q of warm) await run(q);
  const warmMs = nowMs() - tw;

  const times = new Map<QueryKind, number[]>(KINDS.map((k) => [k, []]));
  const hits = new Map<QueryKind, number>(KINDS.map((k) => [k, 0]));
  const elapsed: number[] = [];
  for (const q of queries) {
    const t = nowMs();
    const n = await run(q);
    const ms = nowMs() - t;
    elapsed.push(ms);
    times.get(q.kind)!.push(ms);
    hits.set(q.kind, hits.get(q.kind)! + n);
  }

  // Baseline: the same records as plain JS objects, scanned with Array.filter (no index).
  const tl = nowMs();
  const customers = (db.prepare('SELECT id, name, email, phone FROM customers').all() as { id: string; name: string; email: string; phone: string }[]).map((c) => ({
    id: c.id,
    words: nameWords(c.name),
    email: foldTerm(c.email),
    phone: digitsOf(c.phone),
  }));
  const cards = db.prepare('SELECT customer_id, last4 FROM cards').all() as { customer_id: string; last4: string }[];
  const orders = (db.prepare(`SELECT customer_id, ref FROM search_terms WHERE kind = 'order'`).all() as { customer_id: string; ref: string }[]).map((o) => ({ customerId: o.customer_id, ref: foldTerm(o.ref) }));
  const loadMs = nowMs() - tl;
  const scan = (q: Query): number => {
    const f = foldTerm(q.text);
    switch (q.kind) {
      case 'phone': {
        const d = digitsOf(q.text);
        return customers.filter((c) => c.phone.startsWith(d) || c.phone.endsWith(d)).slice(0, 20).length;
      }
      case 'email':
        return customers.filter((c) => c.email.startsWith(f)).slice(0, 20).length;
      case 'last4':
        return cards.filter((c) => c.last4 === q.text).slice(0, 20).length;
      case 'order':
        return orders.filter((o) => o.ref.startsWith(f)).slice(0, 20).length;
      default:
        return customers.filter((c) => c.words.some((w) => w.startsWith(f))).slice(0, 20).length;
    }
  };
  const BASE_N = 25;
  const baseTimes = new Map<QueryKind, number[]>(KINDS.map((k) => [k, []]));
  for (const k of KINDS) {
    const qs = queries.filter((q) => q.kind === k);
    scan(qs[qs.length - 1]!); // warm-up
    for (const q of qs.slice(0, BASE_N)) {
      const t = nowMs();
      scan(q);
      baseTimes.get(k)!.push(nowMs() - t);
    }
  }

  const stats: KindStats[] = KINDS.map((k) => {
    const s = times.get(k)!;
    return {
      kind: k,
      samples: s.length,
      p50: p50(s),
      p99: p99(s),
      max: percentile(s, 100),
      meanHits: hits.get(k)! / s.length,
      baselineP50: p50(baseTimes.get(k)!),
      baselineSamples: baseTimes.get(k)!.length,
    };
  });
  const all = [...times.values()].flat();
  // The slowest individual queries, for the report (what to profile).
  const slowest = queries
    .map((q, i) => ({ kind: q.kind, text: q.text, ms: elapsed[i]! }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 12);
  emit({ stats, overall: { samples: all.length, p50: p50(all), p99: p99(all) }, warmQueries: warm.length, warmMs, baselineLoadMs: loadMs, records: { customers: customers.length, cards: cards.length, orders: orders.length }, slowest });
  db.close();
}

async function memory(): Promise<void> {
  const rssBefore = process.memoryUsage().rss;
  const core = await createCore({
    dataDir: dir,
    protector: protector(),
    gateway: gateway(),
    settings: new MemorySettingsStore({}),
    hostedReturnUrl: 'http://127.0.0.1:9/hosted/return',
    validateOutput: false,
  });
  const rssOpen = process.memoryUsage().rss;
  const queries = buildQueries(core.db, PER_KIND, 3);
  let hits = 0;
  for (const q of queries) hits += searchCustomers(core.db, q.text, PAGE, systemClock).hits.length;
  const mu = process.memoryUsage();
  emit({ rss: mu.rss, heapUsed: mu.heapUsed, heapTotal: mu.heapTotal, external: mu.external, arrayBuffers: mu.arrayBuffers, rssBeforeCore: rssBefore, rssAfterOpen: rssOpen, queries: queries.length, hits });
  await core.close();
}

(mode === 'memory' ? memory() : lookup()).catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
