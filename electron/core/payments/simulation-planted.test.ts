/**
 * The simulation's checks are strong enough to matter: with a known bug planted (planted-bugs.ts,
 * a test-only switch), the simulation must fail within a few seeds and name the seed that replays
 * the failure. The refund verdict is the one a 5-seed run of the earlier simulation let through.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { plantBug, type PlantedBug } from './planted-bugs';
import { simulate } from './simulation';

/** Seeds tried per bug (each is found well within: the first failing seeds today are 1–5). */
const WITHIN = 10;

const CASES: [PlantedBug, RegExp][] = [
  ['refund-verdict', /refund/],
  ['capture-verdict', /capture/],
  ['void-verdict', /void/],
  ['resend-sent', /money moved twice/],
];

async function firstFailure(bug: PlantedBug): Promise<{ seed: number; message: string } | null> {
  plantBug(bug);
  for (let seed = 1; seed <= WITHIN; seed++) {
    try {
      await simulate({ seed, steps: 60 });
    } catch (e) {
      return { seed, message: e instanceof Error ? e.message : String(e) };
    }
  }
  return null;
}

describe('planted bugs: the simulation finds each one and prints the seed that replays it', () => {
  afterEach(() => plantBug(null));

  it.each(CASES)('%s is found within the first seeds', async (bug, what) => {
    const found = await firstFailure(bug);
    expect(found, `${bug} went unnoticed through ${WITHIN} seeds`).not.toBeNull();
    expect(found!.message).toContain(`simulation seed ${found!.seed} failed`);
    expect(found!.message).toContain(`npm run simulate -- --seed ${found!.seed}`);
    expect(found!.message).toMatch(what);
    // The seed replays the failure exactly.
    const again = await simulate({ seed: found!.seed, steps: 60 }).then(
      () => 'passed',
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
    expect(again).toBe(found!.message);
  }, 300_000);

  it('without a planted bug the same seeds pass', async () => {
    await expect(simulate({ seed: 1, steps: 60 })).resolves.toMatchObject({ seed: 1 });
  }, 120_000);
});
