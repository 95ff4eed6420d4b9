/**
 * The machine-readable output of `npm run bench`: bench/results/latest.json.
 *
 *   { machine: {...}, startedAt, durationMs, results: [{ suite, name, value, unit, goal, pass, ... }] }
 *
 * `value` is null when a measure could not be taken (then `note` says why); `goal` is a readable
 * target ("<= 5 ms") or null for context rows (baselines, breakdowns); `pass` is true/false
 * against the goal, or null when there is no goal or nothing was measured.
 */
import { cpus, totalmem, platform, release, arch, loadavg } from 'node:os';

export type Comparator = '<=' | '>=' | '==';

export interface Goal {
  op: Comparator;
  target: number;
}

export interface BenchResult {
  suite: string;
  name: string;
  value: number | null;
  unit: string;
  goal: string | null;
  pass: boolean | null;
  /** Baseline measured in the same run, and value/baseline (context). */
  baseline?: number | null;
  ratio?: number | null;
  samples?: number;
  note?: string;
}

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryBytes: number;
  node: string;
  platform: string;
  date: string;
  /** 1/5/15-minute load averages when the run started: the machine may be shared. */
  loadavg: number[];
}

export interface BenchReport {
  machine: MachineInfo;
  startedAt: string;
  durationMs: number;
  results: BenchResult[];
}

export function machineInfo(now = new Date()): MachineInfo {
  const c = cpus();
  return {
    cpuModel: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    memoryBytes: totalmem(),
    node: process.version,
    platform: `${platform()} ${release()} ${arch()}`,
    date: now.toISOString(),
    loadavg: loadavg().map((x) => Number(x.toFixed(2))),
  };
}

export function goalText(g: Goal | null, unit: string): string | null {
  return g ? `${g.op} ${g.target} ${unit}` : null;
}

export function meets(value: number | null, g: Goal | null): boolean | null {
  if (!g || value === null || !Number.isFinite(value)) return null;
  switch (g.op) {
    case '<=':
      return value <= g.target;
    case '>=':
      return value >= g.target;
    case '==':
      return value === g.target;
  }
}

/** One result row; pass is derived from the goal so that it can never disagree with it. */
export function result(
  suite: string,
  name: string,
  value: number | null,
  unit: string,
  goal: Goal | null = null,
  extra: Omit<BenchResult, 'suite' | 'name' | 'value' | 'unit' | 'goal' | 'pass'> = {},
): BenchResult {
  const v = value === null || !Number.isFinite(value) ? null : round(value);
  return { suite, name, value: v, unit, goal: goalText(goal, unit), pass: meets(v, goal), ...extra };
}

export function notMeasured(suite: string, name: string, unit: string, goal: Goal | null, note: string): BenchResult {
  return { suite, name, value: null, unit, goal: goalText(goal, unit), pass: null, note };
}

export function round(v: number): number {
  const a = Math.abs(v);
  const digits = a >= 100 ? 1 : a >= 1 ? 3 : 4;
  return Number(v.toFixed(digits));
}

export function buildReport(results: BenchResult[], startedAt: Date, durationMs: number, machine = machineInfo(startedAt)): BenchReport {
  return { machine, startedAt: startedAt.toISOString(), durationMs: Math.round(durationMs), results };
}

/** Shape check used by the test and by run.ts before writing (a malformed row is a bench bug). */
export function validateReport(r: BenchReport): string[] {
  const errors: string[] = [];
  if (!r.machine || typeof r.machine.cpuModel !== 'string' || typeof r.machine.cores !== 'number') errors.push('machine info missing');
  r.results.forEach((x, i) => {
    const at = `results[${i}] (${x.suite}/${x.name})`;
    if (typeof x.suite !== 'string' || !x.suite) errors.push(`${at}: suite`);
    if (typeof x.name !== 'string' || !x.name) errors.push(`${at}: name`);
    if (!(x.value === null || (typeof x.value === 'number' && Number.isFinite(x.value)))) errors.push(`${at}: value`);
    if (typeof x.unit !== 'string') errors.push(`${at}: unit`);
    if (!(x.goal === null || typeof x.goal === 'string')) errors.push(`${at}: goal`);
    if (!(x.pass === null || typeof x.pass === 'boolean')) errors.push(`${at}: pass`);
    if (x.goal === null && x.pass !== null) errors.push(`${at}: pass without a goal`);
    if (x.value === null && x.pass !== null) errors.push(`${at}: pass without a value`);
  });
  return errors;
}

export function toJson(r: BenchReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

const fmtValue = (v: number | null) => (v === null ? '—' : v.toLocaleString('en', { maximumFractionDigits: v >= 100 ? 1 : 3 }));
const fmtPass = (p: boolean | null) => (p === null ? '—' : p ? 'PASS' : 'MISS');

/** A Markdown table (also what the console prints). */
export function toMarkdownTable(results: BenchResult[]): string {
  const rows = [
    '| suite | measure | value | unit | baseline (same run) | goal | result |',
    '|---|---|---:|---|---:|---|---|',
  ];
  for (const r of results) {
    const base = r.baseline === undefined || r.baseline === null ? '' : `${fmtValue(r.baseline)}${r.ratio ? ` (×${fmtValue(r.ratio)})` : ''}`;
    const value = r.value === null ? `not measured${r.note ? `: ${r.note}` : ''}` : fmtValue(r.value);
    rows.push(`| ${r.suite} | ${r.name} | ${value} | ${r.unit} | ${base} | ${r.goal ?? ''} | ${fmtPass(r.pass)} |`);
  }
  return rows.join('\n');
}
