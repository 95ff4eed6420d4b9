/**
 * `npm run simulate -- --seeds N [--from S] [--steps K] [--verbose] [--plant BUG]` runs N seeded
 * whole-core simulations (electron/core/payments/simulation.ts) and prints the seed of any
 * failure; `--seed S` replays one seed exactly (same events in the same order: the trace hash
 * printed for it is the same on every run). `--trace` prints the replayed seed's whole event trace.
 * `--plant BUG` switches on one of the planted bugs (electron/core/payments/planted-bugs.ts) to see
 * the simulation find it.
 */
import { parseArgs } from 'node:util';
import { PLANTED_BUGS, plantBug, type PlantedBug } from '../electron/core/payments/planted-bugs';
import { simulate } from '../electron/core/payments/simulation';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '10' },
    from: { type: 'string', default: '1' },
    seed: { type: 'string' },
    steps: { type: 'string', default: '60' },
    verbose: { type: 'boolean', default: false },
    trace: { type: 'boolean', default: false },
    plant: { type: 'string' },
  },
});
if (values.plant !== undefined) {
  if (!PLANTED_BUGS.includes(values.plant as PlantedBug)) throw new Error(`--plant: one of ${PLANTED_BUGS.join(', ')}`);
  plantBug(values.plant as PlantedBug);
}
const steps = Number(values.steps);
const seeds = values.seed !== undefined ? [Number(values.seed)] : Array.from({ length: Number(values.seeds) }, (_, i) => Number(values.from) + i);
const failed: number[] = [];
for (const seed of seeds) {
  const t0 = Date.now();
  try {
    const r = await simulate({ seed, steps, ...(values.verbose ? { onStep: (i: number, what: string) => console.log(`  ${seed}#${i} ${what}`) } : {}) });
    if (values.trace) for (const line of r.trace) console.log(`  ${line}`);
    console.log(
      `seed ${seed}: ok in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${r.events} events, ${r.payments} payments, ${r.operations} operations, ${r.faults} faults, ${r.offlinePeriods} offline periods, ${r.restarts} restarts, ${r.crashes} crashes; trace ${r.traceHash.slice(0, 16)}`,
    );
  } catch (e) {
    failed.push(seed);
    console.log(`seed ${seed}: FAILED: ${e instanceof Error ? e.message : String(e)}`);
  }
}
console.log(failed.length ? `${failed.length} of ${seeds.length} seeds failed: ${failed.join(' ')} (replay one: npm run simulate -- --seed ${failed[0]}${steps !== 60 ? ` --steps ${steps}` : ''})` : `all ${seeds.length} seeds passed`);
process.exit(failed.length ? 1 : 0);
