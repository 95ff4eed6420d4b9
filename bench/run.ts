/**
 * `npm run bench [-- suite…]`: runs the suites (default: all), prints a table, and writes
 * bench/results/latest.json (see bench/lib/results.ts for the shape). docs/performance.md
 * explains each measure and keeps the latest table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { ensureDataset, protector, ROOT, type Dataset } from './lib/dataset';
import { openLedger } from '../electron/core/db/database';
import { buildReport, machineInfo, notMeasured, toJson, toMarkdownTable, validateReport, type BenchResult } from './lib/results';
import { bulkSuite } from './suites/bulk';
import { coreSuite } from './suites/core';
import { forwardSuite } from './suites/forward';
import { lookupSuite, memorySuite } from './suites/lookup';
import { diagnostics as rendererDiagnostics, rendererSuite } from './suites/renderer';
import { SHOP_MILLION, shopSuite } from './suites/shop';
import { scanSuite } from './suites/scan';
import { startSuite, yearSuite } from './suites/year';
import { ensureYearLedger, type YearLedger } from './lib/year-ledger';

// The browser suites run before the shop suite: right after its teardown (a PostgreSQL cluster and
// ~3 GB of ledgers deleted) the scan's p95 was 59–64 ms in 4 of 5 runs against 39–47 ms alone or
// 40 s later (docs/performance.md, sixth session).
const ALL = ['lookup', 'memory', 'core', 'forward', 'renderer', 'scan', 'shop', 'bulk', 'year', 'start'] as const;
type Suite = (typeof ALL)[number];

const started = new Date();
const t0 = performance.now();
const log = (s: string) => console.error(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${s}`);

async function main(): Promise<void> {
  const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = asked.filter((a) => !(ALL as readonly string[]).includes(a));
  if (unknown.length) throw new Error(`unknown suite(s): ${unknown.join(', ')} (have: ${ALL.join(', ')})`);
  const suites: Suite[] = asked.length ? (asked as Suite[]) : [...ALL];
  const m = machineInfo(started);
  log(`machine: ${m.cpuModel}, ${m.cores} cores, ${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB, Node ${m.node}, load average ${m.loadavg.join(' / ')}`);

  const results: BenchResult[] = [];
  const extra: Record<string, unknown> = {};
  let ds: Dataset | null = null;
  const needsData = suites.some((s) => s === 'lookup' || s === 'memory' || s === 'renderer' || s === 'year' || s === 'start' || (s === 'shop' && SHOP_MILLION));
  if (needsData) {
    const td = performance.now();
    ds = await ensureDataset(log);
    extra.dataset = { ...ds.meta, cached: ds.cached, readyInMs: Math.round(performance.now() - td) };
    log(`dataset ${ds.cached ? '(cached)' : '(generated)'}: ${ds.meta.customers.toLocaleString('en')} customers, ${ds.meta.cards.toLocaleString('en')} cards, ${ds.meta.terms.toLocaleString('en')} search terms`);
  }

  let year: YearLedger | null = null;
  if (suites.some((s) => s === 'year' || s === 'start')) {
    const ty = performance.now();
    year = await ensureYearLedger(ds!, log);
    extra.yearLedger = { ...year.meta, samples: undefined, cached: year.cached, readyInMs: Math.round(performance.now() - ty) };
    // Once, untimed: a migration newer than the cached ledger runs here (as on a station that
    // upgrades), not inside the first timed open of the year or start suites.
    const tu = performance.now();
    (await openLedger({ dir: year.dir, protector: protector() })).close();
    extra.yearLedgerUpgradeMs = Math.round(performance.now() - tu);
    log(`year ledger ${year.cached ? '(cached)' : `(generated in ${(year.meta.generatedInMs / 1000).toFixed(1)} s)`}: ${year.meta.payments.toLocaleString('en')} payments, ${year.meta.operations.toLocaleString('en')} operations, ${year.meta.audit.toLocaleString('en')} audit entries, ${year.meta.closedDays} closed days`);
  }

  const suiteLoad: Record<string, { seconds: number; loadavgAtEnd: number[] }> = {};
  extra.suiteLoad = suiteLoad;
  const guard = async (name: Suite, fn: () => Promise<BenchResult[]>) => {
    const ts = performance.now();
    try {
      results.push(...(await fn()));
    } catch (e) {
      console.error(e);
      results.push(notMeasured(name, 'suite failed', '', null, (e as Error).message.split('\n')[0]!.slice(0, 200)));
    }
    const la = loadavg().map((x) => Number(x.toFixed(2)));
    suiteLoad[name] = { seconds: Math.round((performance.now() - ts) / 100) / 10, loadavgAtEnd: la };
    log(`${name} done in ${((performance.now() - ts) / 1000).toFixed(1)} s (load average ${la.join(' / ')})`);
  };

  for (const s of suites) {
    switch (s) {
      case 'lookup':
        await guard(s, async () => {
          const r = await lookupSuite(ds!, log);
          extra.lookupSlowest = r.detail.slowest;
          extra.lookupBaselineLoadMs = Math.round(r.detail.baselineLoadMs);
          return r.results;
        });
        break;
      case 'memory':
        await guard(s, async () => {
          const r = await memorySuite(ds!, log);
          extra.memory = r.detail;
          return r.results;
        });
        break;
      case 'core':
        await guard(s, () => coreSuite(log));
        break;
      case 'forward':
        await guard(s, () => forwardSuite(log));
        break;
      case 'bulk':
        await guard(s, () => bulkSuite(log));
        break;
      case 'renderer':
        await guard(s, () => rendererSuite(ds, log));
        extra.renderer = rendererDiagnostics;
        break;
      case 'shop':
        await guard(s, () => shopSuite(log, SHOP_MILLION ? ds : null));
        break;
      case 'scan':
        await guard(s, () => scanSuite(log));
        break;
      case 'year':
        await guard(s, async () => {
          const r = await yearSuite(year!, log);
          extra.year = r.detail;
          return r.results;
        });
        break;
      case 'start':
        await guard(s, () => startSuite(year!, log));
        break;
    }
  }

  const report = { ...buildReport(results, started, performance.now() - t0, m), loadavgAtEnd: loadavg().map((x) => Number(x.toFixed(2))), suites, detail: extra };
  const errors = validateReport(report);
  if (errors.length) throw new Error(`malformed results: ${errors.join('; ')}`);
  mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/results/latest.json'), toJson(report));
  console.log(toMarkdownTable(results));
  const missed = results.filter((r) => r.pass === false).length;
  const unmeasured = results.filter((r) => r.goal !== null && r.value === null).length;
  console.log(`\n${results.length} measures, ${results.filter((r) => r.pass).length} pass, ${missed} miss, ${unmeasured} not measured; ${((performance.now() - t0) / 1000).toFixed(0)} s; bench/results/latest.json written.`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
