import { describe, expect, it } from 'vitest';
import { buildReport, meets, notMeasured, result, toJson, toMarkdownTable, validateReport, type BenchReport } from './lib/results';

// The shape of bench/results/latest.json (documented in docs/performance.md). No timing here.
describe('bench results format', () => {
  const rows = [
    result('lookup', 'name prefix, 1 letter: p99', 1.23456, 'ms', { op: '<=', target: 5 }, { samples: 1000, baseline: 40.5, ratio: 32.8 }),
    result('core', 'raw fsync', 3000.4, 'commits/s'),
    result('memory', 'core RSS', 300, 'MB', { op: '<=', target: 250 }),
    notMeasured('forward', 'throughput', 'ops/s', { op: '>=', target: 500 }, 'forwarder not built'),
  ];
  const report = buildReport(rows, new Date('2026-01-15T10:00:00Z'), 12_345.6);
  const parsed = JSON.parse(toJson(report)) as BenchReport;

  it('writes machine info and one row per measure with suite, name, value, unit, goal, pass', () => {
    expect(parsed.machine).toEqual({
      cpuModel: expect.any(String),
      cores: expect.any(Number),
      memoryBytes: expect.any(Number),
      node: expect.stringMatching(/^v\d+/),
      platform: expect.any(String),
      date: expect.any(String),
      loadavg: expect.any(Array),
    });
    expect(parsed.startedAt).toBe('2026-01-15T10:00:00.000Z');
    expect(parsed.durationMs).toBe(12346);
    expect(parsed.results).toHaveLength(4);
    for (const r of parsed.results) {
      expect(Object.keys(r)).toEqual(expect.arrayContaining(['suite', 'name', 'value', 'unit', 'goal', 'pass']));
      expect(typeof r.suite).toBe('string');
      expect(typeof r.name).toBe('string');
      expect(r.value === null || typeof r.value === 'number').toBe(true);
      expect(typeof r.unit).toBe('string');
      expect(r.goal === null || typeof r.goal === 'string').toBe(true);
      expect(r.pass === null || typeof r.pass === 'boolean').toBe(true);
    }
    expect(validateReport(parsed)).toEqual([]);
  });

  it('derives pass from the goal, and null when there is no goal or no value', () => {
    expect(parsed.results.map((r) => [r.goal, r.pass])).toEqual([
      ['<= 5 ms', true],
      [null, null],
      ['<= 250 MB', false],
      ['>= 500 ops/s', null],
    ]);
    expect(parsed.results[0]!.value).toBe(1.235);
    expect(parsed.results[3]!.note).toBe('forwarder not built');
    expect(meets(0, { op: '==', target: 0 })).toBe(true);
  });

  it('rejects malformed rows', () => {
    const bad = { ...parsed, results: [{ ...parsed.results[1]!, pass: true }, { ...parsed.results[0]!, value: Number.NaN }] };
    expect(validateReport(bad)).toHaveLength(2);
  });

  it('renders the Markdown table used in docs/performance.md', () => {
    const md = toMarkdownTable(parsed.results);
    expect(md.split('\n')).toHaveLength(2 + 4);
    expect(md).toContain('| lookup | name prefix, 1 letter: p99 | 1.235 | ms | 40.5 (×32.8) | <= 5 ms | PASS |');
    expect(md).toContain('not measured: forwarder not built');
  });
});
