/**
 * The deterministic whole-core simulation on a fixed set of seeds, as part of the unit tests
 * (issue 15). `npm run simulate -- --seeds N` runs many more; a failure names its seed.
 */
import { describe, expect, it } from 'vitest';
import { rng, simulate } from './simulation';

const SEEDS = (process.env.SIM_SEEDS ?? '101,202,303,404,505,606').split(',').map(Number);

describe('whole-core simulation (seeded)', () => {
  it('the seed alone decides every choice: the same seed makes the same choices, another seed others', async () => {
    expect(Array.from({ length: 5 }, rng(7))).toEqual(Array.from({ length: 5 }, rng(7)));
    const a = await simulate({ seed: 42, steps: 25 });
    const b = await simulate({ seed: 42, steps: 25 });
    const c = await simulate({ seed: 43, steps: 25 });
    expect(b.trace).toEqual(a.trace);
    expect(c.trace).not.toEqual(a.trace);
  }, 120_000);

  it.each(SEEDS)('seed %i: every invariant after every step, everything final or explained and equal to the sandbox at the end', async (seed) => {
    const r = await simulate({ seed, steps: 60 });
    expect(r.operations).toBeGreaterThan(10);
  }, 120_000);
});
