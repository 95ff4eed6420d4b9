/**
 * year + start (issue 21): a year of a busy shop (bench/lib/year-ledger.ts) measured in a child
 * process (bench/suites/year-child.ts), and the start of web mode on the same ledger: process
 * start → the served page fetched → the sign-in screen shown in Chromium.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { BENCH_PASSPHRASE, ROOT } from '../lib/dataset';
import { runChild } from '../lib/child';
import { result, type BenchResult } from '../lib/results';
import { nowMs, p50, percentile } from '../lib/stats';
import type { YearLedger } from '../lib/year-ledger';
import { plainSize } from '../lib/plain-size';
import { buildWeb, WEB_NODE_FLAGS, webModeArgs } from '../../scripts/build-web';

const CHILD = join(ROOT, 'bench/suites/year-child.ts');

interface YearOut {
  openMs: number[];
  ledgerOpenMs: number;
  quickCheckMs: number;
  fullCheckOnOpen: string | null;
  integrityDuringMeasures: string;
  filters: { kind: string; label: string; samples: number; p50: number; p99: number; max: number; meanRows: number; meanTotal: number; warmMs: number[] }[];
  eod: { samples: number; p50: number; max: number; operations: number };
  verify: { ms: number; checked: number }[];
  fileBytes: number;
}

export async function yearSuite(y: YearLedger, log: (s: string) => void): Promise<{ results: BenchResult[]; detail: YearOut }> {
  const m = y.meta;
  log(`year: ${m.payments.toLocaleString('en')} payments, ${m.operations.toLocaleString('en')} operations, ${m.audit.toLocaleString('en')} audit entries, ${m.closedDays} closed days (child process)…`);
  const plain = await plainSize(y.dir, log);
  const out = await runChild<YearOut>(CHILD, [y.dir, JSON.stringify(m)], { timeoutMs: 900_000 });
  const rows: BenchResult[] = [];
  const S = 'year';
  for (const f of out.filters) {
    rows.push(result(S, `Transactions, filter by ${f.label}: first page p99`, f.p99, 'ms', { op: '<=', target: 50 }, { samples: f.samples, note: `p50 ${f.p50.toFixed(1)} ms, max ${f.max.toFixed(1)} ms; payments.list through dispatch, page of 200 as the screen; mean ${f.meanRows.toFixed(0)} rows, total ${f.meanTotal.toFixed(0)}; the 5 untimed warm-up queries (for state: each status's first count after start, kept afterwards): ${f.warmMs.map((x) => x.toFixed(0)).join(', ')} ms` }));
  }
  rows.push(result(S, `end of day for the busiest day (${m.busiestDay.date}, ${m.busiestDay.payments.toLocaleString('en')} payments)`, out.eod.p50, 'ms', { op: '<=', target: 500 }, { samples: out.eod.samples, note: `p50 of ${out.eod.samples} (max ${out.eod.max.toFixed(0)} ms); reports.endOfDay through dispatch; ${out.eod.operations} operations counted` }));
  const rates = out.verify.map((v) => (v.checked * 1000) / v.ms);
  rows.push(result(S, 'audit log: verify the whole chain', p50(rates), 'entries/s', { op: '>=', target: 200_000 }, { samples: rates.length, note: `${out.verify[0]!.checked.toLocaleString('en')} entries; ${out.verify.map((v) => `${(v.ms / 1000).toFixed(2)} s`).join(', ')}; audit.verify through dispatch` }));
  rows.push(result(S, 'ledger open + start-up recovery, nothing unfinished (createCore)', p50(out.openMs), 'ms', { op: '<=', target: 1000 }, { samples: out.openMs.length, note: `runs ${out.openMs.map((x) => x.toFixed(0)).join(', ')} ms; openLedger alone ${out.ledgerOpenMs.toFixed(0)} ms (full check on open: ${out.fullCheckOnOpen ?? 'no, clean close'}); the background integrity check (quick_check in its own process) ${(out.quickCheckMs / 1000).toFixed(1)} s, timed on its own; core's check state at the end of the measures: ${out.integrityDuringMeasures}; ${(out.fileBytes / 1e9).toFixed(2)} GB file` }));
  const perK = (bytes: number) => bytes / (m.payments / 1000) / 1e6;
  rows.push(result(S, 'ledger file size per 1,000 payments (whole file: cards, audit, closed days included)', perK(out.fileBytes), 'MB', null, { baseline: perK(plain.bytes), ratio: out.fileBytes / plain.bytes, note: `${(out.fileBytes / 1e9).toFixed(2)} GB encrypted (AEGIS-256, 2 KiB pages); baseline = the same data in plain SQLite (${plain.note}): ${(plain.bytes / 1e9).toFixed(2)} GB` }));
  rows.push(result(S, 'year ledger generation (context; cached afterwards)', m.generatedInMs / 1000, 's', null, { note: `${y.cached ? 'cached; time of the run that generated it' : 'generated in this run'}: ${Object.entries(m.phasesMs).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join('; ')}` }));
  return { results: rows, detail: out };
}

/** Spawns web mode on `dataDir` and resolves its URL line; `t0` is taken just before the spawn. */
function spawnWeb(dataDir: string): { proc: ReturnType<typeof spawn>; t0: number; url: Promise<{ url: string; at: number }> } {
  const t0 = nowMs();
  const proc = spawn(process.execPath, webModeArgs(['--port', '0', '--sandbox-port', '0', '--no-build', '--quiet', '--data', dataDir, '--passphrase', BENCH_PASSPHRASE]), {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const url = new Promise<{ url: string; at: number }>((res, rej) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => rej(new Error(`web mode did not start within 120 s: ${err.slice(-300)}`)), 120_000);
    proc.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    proc.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /POS_WEB_URL=(\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        res({ url: m[1]!, at: nowMs() });
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`web mode exited (${code}): ${err.slice(-500)}`));
    });
  });
  return { proc, t0, url };
}

function stop(proc: ReturnType<typeof spawn>): Promise<void> {
  return new Promise((res) => {
    if (proc.exitCode !== null) return res();
    const t = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    proc.once('exit', () => {
      clearTimeout(t);
      res();
    });
    proc.kill('SIGTERM');
  });
}

export async function startSuite(y: YearLedger, log: (s: string) => void): Promise<BenchResult[]> {
  const RUNS = 3;
  log(`start: web mode on the year ledger, ${RUNS} starts, sign-in screen in Chromium…`);
  await buildWeb(); // untimed, as `npm run web` builds before it starts the process
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  const listening: number[] = [];
  const fetched: number[] = [];
  const signIn: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const ctx = await browser.newContext({ viewport: { width: 1366, height: 800 } });
      const page = await ctx.newPage();
      const w = spawnWeb(y.dir);
      try {
        const { url, at } = await w.url;
        listening.push(at - w.t0);
        await page.goto(url, { waitUntil: 'commit' });
        fetched.push(nowMs() - w.t0);
        await page.waitForSelector('#login-title', { timeout: 60_000 });
        signIn.push(nowMs() - w.t0);
      } finally {
        await ctx.close();
        await stop(w.proc);
      }
    }
  } finally {
    await browser.close();
  }
  const S = 'start';
  const runs = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
  return [
    result(S, 'process start → sign-in screen shown (web mode, year ledger)', p50(signIn), 'ms', { op: '<=', target: 1500 }, { samples: signIn.length, note: `p50 of ${RUNS} starts (${runs(signIn)} ms; max ${percentile(signIn, 100).toFixed(0)}); node ${WEB_NODE_FLAGS.join(' ')} dist-web/cli.mjs, as \`npm run web\` launches it; #login-title in headless Chromium` }),
    result(S, 'process start → server listening (POS_WEB_URL printed; context)', p50(listening), 'ms', null, { samples: listening.length, note: `${runs(listening)} ms` }),
    result(S, 'process start → served page fetched (context)', p50(fetched), 'ms', null, { samples: fetched.length, note: `${runs(fetched)} ms; page.goto until the response arrives` }),
  ];
}
