/**
 * `npm run simulate -- --seeds N [--from S] [--steps K] [--verbose]` runs N seeded whole-core
 * simulations (electron/core/payments/simulation.ts) and prints the seed of any failure;
 * `--seed S` replays one seed's actions exactly.
 */
import { parseArgs } from 'node:util';
import { simulate } from '../electron/core/payments/simulation';

const { values } = parseArgs({
  options: { seeds: { type: 'string', default: '10' }, from: { type: 'string', default: '1' }, seed: { type: 'string' }, steps: { type: 'string', default: '60' }, verbose: { type: 'boolean', default: false } },
});
const steps = Number(values.steps);
const seeds = values.seed !== undefined ? [Number(values.seed)] : Array.from({ length: Number(values.seeds) }, (_, i) => Number(values.from) + i);
const failed: number[] = [];
for (const seed of seeds) {
  const t0 = Date.now();
  try {
    const r = await simulate({ seed, steps, ...(values.verbose ? { onStep: (i: number, what: string) => console.log(`  ${seed}#${i} ${what}`) } : {}) });
    console.log(`seed ${seed}: ok in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${r.payments} payments, ${r.operations} operations, ${r.faults} faults, ${r.offlinePeriods} offline periods, ${r.restarts} restarts`);
  } catch (e) {
    failed.push(seed);
    console.log(`seed ${seed}: FAILED: ${e instanceof Error ? e.message : String(e)}`);
  }
}
console.log(failed.length ? `${failed.length} of ${seeds.length} seeds failed: ${failed.join(' ')} (replay one: npm run simulate -- --seed ${failed[0]})` : `all ${seeds.length} seeds passed`);
process.exit(failed.length ? 1 : 0);
