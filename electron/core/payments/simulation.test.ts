/**
 * The deterministic whole-core simulation on a fixed set of seeds, as part of the unit tests
 * (issue 15). `npm run simulate -- --seeds N` runs many more; a failure names its seed, and
 * `npm run simulate -- --seed S` replays it exactly.
 */
import { describe, expect, it } from 'vitest';
import { prng } from '../prng';
import { simulate } from './simulation';

const SEEDS = (process.env.SIM_SEEDS ?? '101,202,303,404').split(',').map(Number);

describe('whole-core simulation (seeded, virtual time)', () => {
  it('the same seed replays the same run event for event (byte-identical trace); another seed runs differently', async () => {
    expect(Array.from({ length: 5 }, prng(7))).toEqual(Array.from({ length: 5 }, prng(7)));
    const a = await simulate({ seed: 42, steps: 40 });
    const b = await simulate({ seed: 42, steps: 40 });
    const c = await simulate({ seed: 43, steps: 40 });
    // Not only the choices: every gateway arrival, reply, timeout and crash at the same virtual millisecond.
    expect(a.events).toBeGreaterThan(100);
    expect(a.trace.some((l) => / gateway processed /.test(l))).toBe(true);
    expect(b.traceHash).toBe(a.traceHash);
    expect(b.trace).toEqual(a.trace);
    expect(c.traceHash).not.toBe(a.traceHash);
  }, 120_000);

  it.each(SEEDS)('seed %i: the ledger agrees with the gateway after every event, across crashes; everything final or explained and equal to the gateway at the end', async (seed) => {
    const r = await simulate({ seed, steps: 60 });
    expect(r.operations).toBeGreaterThan(10);
    expect(r.crashes + r.restarts).toBeGreaterThan(0);
  }, 120_000);
});
