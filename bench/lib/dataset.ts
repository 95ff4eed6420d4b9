/**
 * The 1,000,000-card ledger shared by the lookup and memory suites: generated once with the
 * project's own generator (electron/core/customers/generate.ts) into a real SQLCipher ledger
 * (openLedger: WAL, synchronous=FULL) and cached under bench/.cache/, keyed by a hash of the code
 * that decides its content (generator, search index, customer ids; DATASET_FORMAT for this file).
 * Change any of them and the next `npm run bench` regenerates (about 3-5 minutes on 2 cores).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NEW_LEDGER_FORMAT, openLedger } from '../../electron/core/db/database';
import { PassphraseKeyProtector } from '../../electron/core/db/key-protector';
import { generateCustomers } from '../../electron/core/customers/generate';
import { indexOrder } from '../../electron/core/customers/search-index';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CACHE_DIR = join(ROOT, 'bench/.cache');
export const BENCH_PASSPHRASE = 'bench passphrase (not secret)';
/** Low scrypt cost: the key wrap is not what is measured. */
export const BENCH_KEY_COST = { N: 1 << 12 };
export const protector = () => new PassphraseKeyProtector(BENCH_PASSPHRASE, BENCH_KEY_COST);

export const TARGET_CARDS = 1_000_000;
/** ~1.4 cards per customer with the generator's default mix: 720,000 customers give just over 1,000,000 cards. */
export const CUSTOMERS = 720_000;
export const SEED = 42;
/** Customers that also get an order reference in the search index (kind 'order'). */
export const ORDER_REFS = 200_000;
/** Bumped by hand when this file changes what it writes. */
const DATASET_FORMAT = 1;

export interface DatasetMeta {
  key: string;
  customers: number;
  cards: number;
  terms: number;
  orderRefs: number;
  generatedInMs: number;
  createdAt: string;
  fileBytes: number;
}

export interface Dataset {
  dir: string;
  meta: DatasetMeta;
  cached: boolean;
}

/**
 * What decides the dataset's content. Migrations are deliberately not part of the key: opening
 * the cached ledger runs any newer migration on it, exactly as on a station that upgrades.
 */
function sourceFiles(): string[] {
  return ['electron/core/customers/generate.ts', 'electron/core/customers/search-index.ts', 'electron/core/customers/ids.ts'];
}

export function datasetKey(): string {
  const h = createHash('sha256');
  // The ledger's on-disk format is part of the key: a new station's ledger is what gets measured.
  h.update(`format ${DATASET_FORMAT} customers ${CUSTOMERS} seed ${SEED} orders ${ORDER_REFS} ledger ${JSON.stringify(NEW_LEDGER_FORMAT)}\n`);
  for (const f of sourceFiles()) {
    h.update(f);
    h.update(readFileSync(join(ROOT, f)));
  }
  return h.digest('hex').slice(0, 16);
}

/** Deterministic order references in the app's format (STATION-YYYYMMDD-XXXXXX, Crockford base32). */
export function orderRefFor(i: number): string {
  const A = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let x = (Math.imul(i + 1, 2654435761) >>> 0) ^ 0x5bd1e995;
  let s = '';
  for (let k = 0; k < 6; k++) {
    s += A[x & 31];
    x >>>= 5;
  }
  const day = new Date(Date.UTC(2025, 0, 1) + (i % 365) * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
  return `D${1 + (i % 3)}-${day}-${s}`;
}

export async function ensureDataset(log: (s: string) => void = () => {}): Promise<Dataset> {
  const key = datasetKey();
  const dir = join(CACHE_DIR, `ledger-${key}`);
  const metaPath = join(dir, 'dataset.json');
  if (existsSync(metaPath)) {
    return { dir, meta: JSON.parse(readFileSync(metaPath, 'utf8')) as DatasetMeta, cached: true };
  }
  mkdirSync(CACHE_DIR, { recursive: true });
  // Older datasets (another generator version) are dropped: each is several hundred MB.
  for (const d of readdirSync(CACHE_DIR)) if (d.startsWith('ledger-') && d !== `ledger-${key}`) rmSync(join(CACHE_DIR, d), { recursive: true, force: true });
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  log(`generating ${CUSTOMERS.toLocaleString('en')} customers (~1,000,000 cards) into an encrypted ledger; cached for later runs…`);
  const t0 = performance.now();
  const db = await openLedger({ dir: tmp, protector: protector() });
  const made = generateCustomers(db, { customers: CUSTOMERS, seed: SEED });
  if (made.cards < TARGET_CARDS) throw new Error(`generator made ${made.cards} cards, fewer than ${TARGET_CARDS}`);
  // Order references, through the app's own indexer, for a random fifth of the customers.
  const ids = db.prepare(`SELECT id FROM customers ORDER BY id LIMIT ? OFFSET 0`).pluck().all(CUSTOMERS) as string[];
  db.transaction(() => {
    for (let i = 0; i < ORDER_REFS; i++) {
      const customerId = ids[(Math.imul(i, 7919) >>> 0) % ids.length]!;
      indexOrder(db, { reference: orderRefFor(i), customerId });
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  // No ANALYZE: the app never runs it, so the query plans measured are the ones a station gets.
  db.close();
  const generatedInMs = performance.now() - t0;
  const meta: DatasetMeta = {
    key,
    customers: made.customers,
    cards: made.cards,
    terms: made.terms + ORDER_REFS,
    orderRefs: ORDER_REFS,
    generatedInMs: Math.round(generatedInMs),
    createdAt: new Date().toISOString(),
    fileBytes: statSync(join(tmp, 'ledger.db')).size,
  };
  writeFileSync(join(tmp, 'dataset.json'), JSON.stringify(meta, null, 2));
  renameSync(tmp, dir);
  log(`generated in ${(generatedInMs / 1000).toFixed(1)} s: ${made.customers} customers, ${made.cards} cards, ${meta.terms} search terms, ${(meta.fileBytes / 2 ** 20).toFixed(0)} MiB`);
  return { dir, meta, cached: false };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await ensureDataset((s) => console.error(s)), null, 2));
}
