/**
 * A new station's first pull as its own process, for first-pull-index.test.ts: it joins the
 * shop and pulls, and SIGKILLs itself at the point FP_KILL names, as a crash or power cut would:
 *   FP_KILL=mid     after the second batch is written (rows half there, index owed)
 *   FP_KILL=pulled  after the last batch is written, before the index is built
 * Environment: FP_DB (ledger file), FP_KEY (hex), FP_PG_URL, FP_BATCH (records per pull).
 */
import { systemClock } from '../clock';
import { openWithKey } from '../db/database';
import { ShopServer } from './server-client';
import { StationSync } from './station-sync';

const env = (k: string): string => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is required`);
  return v;
};

const db = openWithKey(env('FP_DB'), Buffer.from(env('FP_KEY'), 'hex'));
const server = new ShopServer({ connectionString: env('FP_PG_URL') });
const kill = env('FP_KILL');
let batches = 0;
const sync = new StationSync(db, server, {
  clock: systemClock,
  stationName: 'Crashing desk',
  pullBatch: Number(env('FP_BATCH')),
  deferIndexFrom: 0,
  onStatus: (s) => {
    if (s.fetched === 0) return;
    batches++;
    if ((kill === 'mid' && batches === 2) || (kill === 'pulled' && s.behind === 0)) process.kill(process.pid, 'SIGKILL');
  },
});
await sync.join();
await sync.syncOnce();
process.stdout.write('finished without being killed\n');
process.exit(3);
