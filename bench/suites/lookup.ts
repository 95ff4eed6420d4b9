/**
 * lookup + memory. Both run against the cached 1,000,000-card ledger (bench/lib/dataset.ts), each
 * in a child process of its own: lookup so that its timings are not disturbed by the rest of the
 * bench, memory so that the RSS is the core's own and not the bench's (or the baseline's arrays).
 */
import { join } from 'node:path';
import type { Dataset } from '../lib/dataset';
import { ROOT } from '../lib/dataset';
import { runChild } from '../lib/child';
import { pageCachedPercent } from '../lib/page-cache';
import { WEB_NODE_FLAGS } from '../../scripts/build-web';
import { result, type BenchResult } from '../lib/results';
import type { QueryKind } from './lookup-queries';

const CHILD = join(ROOT, 'bench/suites/lookup-child.ts');

interface LookupOut {
  stats: { kind: QueryKind; samples: number; p50: number; p99: number; max: number; meanHits: number; baselineP50: number; baselineSamples: number }[];
  overall: { samples: number; p50: number; p99: number };
  warmQueries: number;
  warmMs: number;
  baselineLoadMs: number;
  records: { customers: number; cards: number; orders: number };
  slowest: { kind: QueryKind; text: string; ms: number }[];
}

interface MemoryOut {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  rssBeforeCore: number;
  rssAfterOpen: number;
  queries: number;
}

const LABEL: Record<QueryKind, string> = {
  'name-1': 'name prefix, 1 letter',
  'name-2': 'name prefix, 2 letters',
  'name-3': 'name prefix, 3 letters',
  'name-4': 'name prefix, 4 letters',
  phone: 'phone (as given)',
  email: 'email',
  last4: 'card last 4',
  order: 'order reference',
};

export async function lookupSuite(ds: Dataset, log: (s: string) => void): Promise<{ results: BenchResult[]; detail: LookupOut }> {
  log(`lookup: ${ds.meta.cards.toLocaleString('en')} cards / ${ds.meta.customers.toLocaleString('en')} customers; 1,000 queries per kind…`);
  const cachedBefore = pageCachedPercent(join(ds.dir, 'ledger.db'));
  const out = await runChild<LookupOut>(CHILD, ['lookup', ds.dir, '1000'], { timeoutMs: 240_000, bundled: { nodeFlags: WEB_NODE_FLAGS } });
  const goal = { op: '<=' as const, target: 5 };
  const rows: BenchResult[] = [];
  for (const s of out.stats) {
    rows.push(result('lookup', `${LABEL[s.kind]}: p50`, s.p50, 'ms', null, { samples: s.samples, baseline: s.baselineP50, ratio: s.baselineP50 / s.p50, note: `baseline = Array.filter scan p50 (${s.baselineSamples} samples); mean hits ${s.meanHits.toFixed(1)}` }));
    rows.push(result('lookup', `${LABEL[s.kind]}: p99`, s.p99, 'ms', goal, { samples: s.samples, note: `max ${s.max.toFixed(2)} ms` }));
  }
  const cached = cachedBefore === null ? 'not known (no fincore)' : `${cachedBefore.toFixed(0)} % before the suite, ${pageCachedPercent(join(ds.dir, 'ledger.db'))?.toFixed(0)} % after`;
  rows.push(result('lookup', 'all kinds: p99', out.overall.p99, 'ms', goal, { samples: out.overall.samples, note: `the ledger file in the OS page cache: ${cached}` }));
  return { results: rows, detail: out };
}

export async function memorySuite(ds: Dataset, log: (s: string) => void): Promise<{ results: BenchResult[]; detail: { webMode: MemoryOut; v8Defaults: MemoryOut } }> {
  log('memory: createCore on the 1,000,000-card ledger, a lookup run, then RSS (child process launched as web mode)…');
  // As `npm run web` launches the core: the bundle under plain node with its V8 flags.
  const webMode = await runChild<MemoryOut>(CHILD, ['memory', ds.dir, '1000'], { timeoutMs: 180_000, bundled: { nodeFlags: WEB_NODE_FLAGS } });
  // The same bundle with V8's default young generation, as the desktop app's main process has it.
  const v8Defaults = await runChild<MemoryOut>(CHILD, ['memory', ds.dir, '1000'], { timeoutMs: 180_000, bundled: { nodeFlags: [] } });
  const MB = 1e6; // the goal is in MB (10^6 bytes)
  const note = (o: MemoryOut, launch: string) =>
    `${launch}; baseline = RSS of the same process before createCore; heapUsed ${(o.heapUsed / MB).toFixed(1)} MB, heapTotal ${(o.heapTotal / MB).toFixed(1)} MB, external ${(o.external / MB).toFixed(1)} MB, ${o.queries} queries`;
  return {
    results: [
      result('memory', 'core RSS after a lookup run (1,000,000 cards)', webMode.rss / MB, 'MB', { op: '<=', target: 150 }, { baseline: webMode.rssBeforeCore / MB, note: note(webMode, `launched as web mode: node ${WEB_NODE_FLAGS.join(' ')} on the bundle`) }),
      result('memory', "core RSS after a lookup run, V8's default young generation (the desktop app's main process; context)", v8Defaults.rss / MB, 'MB', null, { baseline: v8Defaults.rssBeforeCore / MB, note: note(v8Defaults, 'the same bundle, no V8 flags') }),
    ],
    detail: { webMode, v8Defaults },
  };
}
