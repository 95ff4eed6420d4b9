/**
 * "A year of a busy shop" (issue 21): the 1,000,000-card ledger (bench/lib/dataset.ts) copied,
 * then 1,000,000 payments with 3,000,000 operations spread over 365 days, 1,000,000 audit entries
 * on a valid hash chain (the product's auditHash) and 365 closed days (the product's
 * computeEndOfDay + insertClose). Opened and written with openLedger, so it is a real encrypted
 * ledger web mode can open (key.json of the 1M-card dataset, Bench Admin user with the renderer
 * suite's PIN). Seeded; cached in bench/.cache/year-<key>/.
 *
 * THE DATA SET OF A BUSY YEAR, NOT PAYMENT BEHAVIOUR: rows are written straight into the tables
 * (as bench/lib/seed-payments.ts does) with every operation final (succeeded / declined), the
 * stored status being the one payment-state.ts computes and every amount moved having its
 * operation row. Build-only pragmas (synchronous=OFF, journal in memory, big page cache) are
 * reset before the file is closed; the ledger a station opens has its normal settings.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openLedger, type Db } from '../../electron/core/db/database';
import { auditHash, GENESIS_HASH, type AuditInput } from '../../electron/core/ledger/audit-log';
import { insertUser } from '../../electron/core/people/users-repo';
import { hashSecret } from '../../electron/core/people/secrets';
import { computeEndOfDay } from '../../electron/core/reports/compute';
import { insertClose } from '../../electron/core/reports/snapshots';
import { CACHE_DIR, ROOT, protector, type Dataset } from './dataset';
import { prng } from './stats';

export const YEAR_PAYMENTS = 1_000_000;
export const YEAR_OPS_PER_PAYMENT = 3;
export const YEAR_AUDIT = 1_000_000;
export const YEAR_DAYS = 365;
/** The first day of the year; the ledger's "now" is the last day's evening (the measures' clock). */
export const YEAR_FIRST_DAY = '2025-01-01';
export const YEAR_STATION = 'Bench';
export const YEAR_ADMIN = { name: 'Bench Admin', pin: '135790' };
/** Bumped by hand when this file changes what it writes. */
const YEAR_FORMAT = 1;
const BATCH = 20_000;
const DAY = 86_400_000;

export interface YearMeta {
  key: string;
  payments: number;
  operations: number;
  audit: number;
  closedDays: number;
  busiestDay: { date: string; payments: number };
  /** The clock the measures use: 18:00 UTC on the last day. */
  now: string;
  generatedInMs: number;
  phasesMs: Record<string, number>;
  fileBytes: number;
  /** The same data exported to a plain (unencrypted) SQLite file with SQLite's default 4 KiB pages. */
  plainBytes: number | null;
  plainNote: string;
  /** Samples the measures filter on (taken from the data). */
  samples: { references: string[]; customers: string[] };
  createdAt: string;
}

export interface YearLedger {
  dir: string;
  meta: YearMeta;
  cached: boolean;
}

export function yearKey(ds: Dataset): string {
  const h = createHash('sha256');
  h.update(`year ${YEAR_FORMAT} ${YEAR_PAYMENTS} ${YEAR_OPS_PER_PAYMENT} ${YEAR_AUDIT} ${YEAR_DAYS} ${YEAR_FIRST_DAY} on ${ds.meta.key}\n`);
  h.update(readFileSync(join(ROOT, 'bench/lib/year-ledger.ts')));
  return h.digest('hex').slice(0, 16);
}

const iso = (ms: number) => new Date(ms).toISOString();
const B32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BRANDS = ['VISA', 'MASTERCARD', 'AMEX', 'MADA'];
const CURRENCIES = [
  { code: 'USD', prices: [499, 1250, 2999, 4500, 8999, 12000, 24950, 64000] },
  { code: 'KWD', prices: [1500, 4250, 12000, 35500, 99000] },
  { code: 'JPY', prices: [480, 1200, 3500, 9800, 25000, 128000] },
];
const ITEMS = ['Walnut side table', 'Linen curtains (pair)', 'Desk lamp', 'Oak bookcase', 'Wool rug 160x230', 'Ceramic vase', 'Office chair', 'Bed frame, queen', 'Mirror, round', 'Dining chairs (4)'];
const AUDIT_ACTIONS = ['payments.charge', 'payments.refund', 'payments.capture', 'orders.create', 'session.login', 'session.logout', 'payments.void', 'customers.update'];

/** Payments per day: a seasonal swell, busy Saturdays, quiet Sundays and one sale day; exactly `total`. */
export function paymentsPerDay(total: number, days: number, firstDay: string): number[] {
  const start = Date.parse(`${firstDay}T00:00:00Z`);
  const w = Array.from({ length: days }, (_, d) => {
    const dow = new Date(start + d * DAY).getUTCDay();
    const season = 1 + 0.35 * Math.sin((2 * Math.PI * (d - 120)) / days);
    const week = dow === 6 ? 1.5 : dow === 0 ? 0.6 : 1;
    const sale = d === days - 37 ? 1.9 : 1; // late November
    return season * week * sale;
  });
  const sum = w.reduce((a, b) => a + b, 0);
  const exact = w.map((x) => (x * total) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    out[i]!++;
  }
  return out;
}

export async function ensureYearLedger(ds: Dataset, log: (s: string) => void = () => {}): Promise<YearLedger> {
  const key = yearKey(ds);
  const dir = join(CACHE_DIR, `year-${key}`);
  const metaPath = join(dir, 'year.json');
  if (existsSync(metaPath)) return { dir, meta: JSON.parse(readFileSync(metaPath, 'utf8')) as YearMeta, cached: true };
  mkdirSync(CACHE_DIR, { recursive: true });
  for (const d of readdirSync(CACHE_DIR)) if (d.startsWith('year-') && d !== `year-${key}`) rmSync(join(CACHE_DIR, d), { recursive: true, force: true });
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true, mode: 0o700 });
  const t0 = performance.now();
  const phasesMs: Record<string, number> = {};
  let tp = performance.now();
  const phase = (name: string) => {
    phasesMs[name] = Math.round(performance.now() - tp);
    log(`year ledger: ${name} in ${(phasesMs[name] / 1000).toFixed(1)} s`);
    tp = performance.now();
  };
  log('year ledger: generating (1,000,000 cards + a year: 1,000,000 payments, 3,000,000 operations, 1,000,000 audit entries, 365 closed days); cached for later runs…');
  // The 1M-card ledger as the starting point (a copy: the lookup suites keep theirs).
  for (const f of ['ledger.db', 'ledger.db-wal', 'key.json']) if (existsSync(join(ds.dir, f))) copyFileSync(join(ds.dir, f), join(tmp, f));
  phase('copy of the 1,000,000-card ledger');
  const db = await openLedger({ dir: tmp, protector: protector() });
  phase('open (quick_check + migrations)');
  let meta: YearMeta;
  try {
    // Build only: one writer, a crash means regenerate.
    db.pragma('journal_mode = MEMORY');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -262144');
    db.pragma('temp_store = MEMORY');
    const startMs = Date.parse(`${YEAR_FIRST_DAY}T00:00:00Z`);
    const nowMs = startMs + (YEAR_DAYS - 1) * DAY + 18 * 3_600_000;
    const admin = ensureAdmin(db, iso(startMs - DAY), await hashSecret(YEAR_ADMIN.pin));
    const perDay = paymentsPerDay(YEAR_PAYMENTS, YEAR_DAYS, YEAR_FIRST_DAY);
    const samples = writePayments(db, admin, perDay, startMs, nowMs);
    phase('payments, orders, operations');
    writeAudit(db, admin, startMs, nowMs);
    phase('audit chain');
    closeDays(db, admin, startMs);
    phase('365 closed days');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('wal_checkpoint(TRUNCATE)');
    const busiest = perDay.reduce((b, n, d) => (n > perDay[b]! ? d : b), 0);
    const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    meta = {
      key,
      payments: one('SELECT COUNT(*) AS n FROM payments'),
      operations: one('SELECT COUNT(*) AS n FROM operations'),
      audit: one('SELECT COUNT(*) AS n FROM audit'),
      closedDays: one('SELECT COUNT(*) AS n FROM day_closes'),
      busiestDay: { date: iso(startMs + busiest * DAY).slice(0, 10), payments: perDay[busiest]! },
      now: iso(nowMs),
      generatedInMs: 0,
      phasesMs,
      fileBytes: 0,
      plainBytes: null,
      plainNote: '',
      samples,
      createdAt: new Date().toISOString(),
    };
    // The same data in plain SQLite: exported page by page with SQLite3 Multiple Ciphers'
    // sqlcipher_export into an unencrypted file (default 4 KiB pages, no reserved bytes).
    try {
      const plain = join(tmp, 'plain-copy.db');
      db.prepare(`ATTACH DATABASE ? AS plain KEY ''`).run(plain);
      db.prepare(`SELECT sqlcipher_export('plain')`).get();
      db.exec('DETACH DATABASE plain');
      meta.plainBytes = statSync(plain).size;
      meta.plainNote = 'sqlcipher_export into an unencrypted file, 4 KiB pages';
      rmSync(plain, { force: true });
    } catch (e) {
      meta.plainNote = `plain export failed: ${(e as Error).message}`;
    }
    phase('plain SQLite copy (size comparison)');
  } finally {
    db.close();
  }
  meta.generatedInMs = Math.round(performance.now() - t0);
  meta.fileBytes = statSync(join(tmp, 'ledger.db')).size;
  writeFileSync(join(tmp, 'year.json'), JSON.stringify(meta, null, 2));
  renameSync(tmp, dir);
  log(`year ledger generated in ${(meta.generatedInMs / 1000).toFixed(1)} s: ${meta.payments} payments, ${meta.operations} operations, ${meta.audit} audit entries, ${meta.closedDays} closed days; busiest ${meta.busiestDay.date} (${meta.busiestDay.payments}); ${(meta.fileBytes / 2 ** 20).toFixed(0)} MiB`);
  return { dir, meta, cached: false };
}

function ensureAdmin(db: Db, at: string, secretHash: string): { id: string; name: string } {
  const u = db.prepare(`SELECT id, name FROM users WHERE name = ? AND active = 1`).get(YEAR_ADMIN.name) as { id: string; name: string } | undefined;
  if (u) return u;
  const made = insertUser(db, { name: YEAR_ADMIN.name, role: 'admin', secretHash }, at);
  return { id: made.id, name: made.name };
}

type Kind = 'refunded-partly' | 'refunded' | 'captured-twice' | 'voided' | 'cash' | 'declined';
function kindOf(r: number): Kind {
  if (r < 0.25) return 'refunded-partly';
  if (r < 0.4) return 'refunded';
  if (r < 0.7) return 'captured-twice';
  if (r < 0.8) return 'voided';
  if (r < 0.92) return 'cash';
  return 'declined';
}

function writePayments(db: Db, admin: { id: string; name: string }, perDay: number[], startMs: number, nowMs: number): { references: string[]; customers: string[] } {
  const rnd = prng(2025);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const customers = db.prepare('SELECT id, name FROM customers ORDER BY id').raw().all() as [string, string][];
  const insOrder = db.prepare(
    `INSERT INTO orders (id, reference, channel, customer_id, customer_name, currency, lines_json, net, tax, total, note, status, created_at, created_by, created_by_name, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, '', ?, ?, ?, ?, ?)`,
  );
  const insPayment = db.prepare(
    `INSERT INTO payments (id, order_id, reference, method, kind, currency, amount, authorized, captured, refunded, voided, declined, open_ops, queued, status,
       fort_id, brand, last4, expiry, holder_name, customer_id, customer_name, authorization_code, tendered, change_due, refund_seq, created_at, authorized_at, expires_at, created_by, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insOp = db.prepare(
    `INSERT INTO operations (id, payment_id, seq, type, amount, state, reference, attempts, checks, response_code, message, user_id, user_name, reason, created_at, updated_at, sent_at, finished_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const samples = { references: [] as string[], customers: [] as string[] };
  let i = 0;
  const rows: (() => void)[] = [];
  const flush = () => {
    db.transaction(() => {
      for (const r of rows) r();
    })();
    rows.length = 0;
  };
  for (let d = 0; d < perDay.length; d++) {
    const n = perDay[d]!;
    const dayStart = startMs + d * DAY + 8 * 3_600_000;
    const ymd = iso(dayStart).slice(0, 10).replace(/-/g, '');
    for (let k = 0; k < n; k++, i++) {
      const t = dayStart + Math.floor(((k + rnd()) * 12 * 3_600_000) / n);
      const at = iso(t);
      const later = (ms: number) => iso(Math.min(nowMs - 1000, t + ms));
      const cur = rnd() < 0.7 ? CURRENCIES[0]! : rnd() < 0.67 ? CURRENCIES[1]! : CURRENCIES[2]!;
      const qty = 1 + Math.floor(rnd() * 3);
      const unit = pick(cur.prices);
      const total = unit * qty;
      const walkIn = rnd() < 0.12;
      const cust = walkIn ? null : customers[Math.floor(rnd() * customers.length)]!;
      let x = (Math.imul(i + 1, 2654435761) >>> 0) ^ 0x2c1b3c6d;
      let suffix = '';
      for (let s = 0; s < 6; s++) {
        suffix += B32[x & 31];
        x >>>= 5;
      }
      const orderRef = `D1-${ymd}-${suffix}`;
      const payRef = `${orderRef}-P1`;
      const kind = kindOf(rnd());
      const id36 = i.toString(36).padStart(4, '0');
      const orderId = `ord_y${id36}`;
      const payId = `pay_y${id36}`;
      const cash = kind === 'cash';
      const pkind = cash ? 'cash' : kind === 'captured-twice' || kind === 'voided' ? 'authorization' : 'purchase';
      type Op = [type: string, amount: number | null, state: string, code: string | null, message: string, reason: string | null, at: string, ref: string];
      let authorized = total;
      let captured = pkind === 'authorization' ? 0 : total;
      let refunded = 0;
      let voided = 0;
      let declined = 0;
      let refundSeq = 0;
      const ops: Op[] = [];
      switch (kind) {
        case 'refunded-partly': {
          const r = Math.max(1, Math.floor(total / 3));
          refunded = r;
          refundSeq = 1;
          ops.push(['purchase', total, 'succeeded', '14000', 'Success', null, at, payRef], ['check_status', null, 'succeeded', '12000', 'Success', null, later(600_000), payRef], ['refund', r, 'succeeded', '06000', 'Success', 'Returned by the customer', later(2 * DAY), `${payRef}-R1`]);
          break;
        }
        case 'refunded': {
          const r1 = Math.max(1, Math.floor(total / 2));
          refunded = total;
          refundSeq = 2;
          ops.push(['purchase', total, 'succeeded', '14000', 'Success', null, at, payRef], ['refund', r1, 'succeeded', '06000', 'Success', 'Part returned', later(DAY), `${payRef}-R1`], ['refund', total - r1, 'succeeded', '06000', 'Success', 'Rest returned', later(3 * DAY), `${payRef}-R2`]);
          break;
        }
        case 'captured-twice': {
          const c1 = Math.max(1, Math.floor(total / 2));
          captured = total;
          ops.push(['authorize', total, 'succeeded', '02000', 'Success', null, at, payRef], ['capture', c1, 'succeeded', '04000', 'Success', null, later(3_600_000), payRef], ['capture', total - c1, 'succeeded', '04000', 'Success', null, later(DAY), payRef]);
          break;
        }
        case 'voided':
          voided = 1;
          ops.push(['authorize', total, 'succeeded', '02000', 'Success', null, at, payRef], ['check_status', null, 'succeeded', '12000', 'Success', null, later(600_000), payRef], ['void', null, 'succeeded', '08000', 'Success', 'Customer cancelled', later(1_800_000), payRef]);
          break;
        case 'cash': {
          const r1 = Math.max(1, Math.floor(total / 4));
          refunded = 2 * r1;
          ops.push(['cash_sale', total, 'succeeded', null, 'Cash received', null, at, payRef], ['cash_refund', r1, 'succeeded', null, 'Cash returned', 'Part returned', later(DAY), `${payRef}-R1`], ['cash_refund', r1, 'succeeded', null, 'Cash returned', 'Part returned', later(2 * DAY), `${payRef}-R2`]);
          break;
        }
        case 'declined':
          authorized = 0;
          captured = 0;
          declined = 1;
          ops.push(['purchase', total, 'declined', '14016', 'Insufficient funds', null, at, payRef], ['check_status', null, 'succeeded', '12000', 'Success', null, later(300_000), payRef], ['check_status', null, 'succeeded', '12000', 'Success', null, later(900_000), payRef]);
          break;
      }
      const status = declined ? 'declined' : voided ? 'voided' : captured === 0 ? 'authorized' : refunded > 0 ? (refunded >= captured ? 'refunded' : 'partially_refunded') : captured >= authorized ? 'captured' : 'partially_captured';
      const orderStatus = declined ? 'awaiting_payment' : voided ? 'cancelled' : 'paid';
      const lastAt = ops[ops.length - 1]![6];
      const name = cust?.[1] ?? null;
      const tendered = cash ? Math.ceil(total / 1000) * 1000 : null;
      if (i % 20_011 === 7 && samples.references.length < 40) samples.references.push(orderRef);
      if (name && i % 19_997 === 3 && samples.customers.length < 40) samples.customers.push(name);
      const brand = cash ? null : pick(BRANDS);
      const last4 = cash ? null : String(1000 + Math.floor(rnd() * 9000));
      const expiry = cash ? null : `${28 + Math.floor(rnd() * 4)}${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}`;
      const authCode = authorized && !cash ? String(100000 + Math.floor(rnd() * 900000)) : null;
      const channel = cash ? 'counter' : rnd() < 0.8 ? 'phone' : 'mail';
      const item = pick(ITEMS);
      rows.push(() => {
        insOrder.run(orderId, orderRef, channel, cust?.[0] ?? null, name, cur.code, JSON.stringify([{ description: item, quantity: qty, unitPrice: unit, taxRateBp: 0 }]), total, total, orderStatus, at, admin.id, admin.name, lastAt);
        insPayment.run(payId, orderId, payRef, cash ? 'cash' : 'card', pkind, cur.code, total, authorized, captured, refunded, voided, declined, status,
          cash || declined ? null : `1700${String(100000 + i).padStart(12, '0')}`, brand, last4, expiry, cash ? null : (name ?? '').toUpperCase() || null,
          cust?.[0] ?? null, name, authCode, tendered, tendered === null ? null : tendered - total, refundSeq, at, authorized ? at : null,
          pkind === 'authorization' && authorized ? iso(t + 7 * DAY) : null, admin.id, lastAt);
        ops.forEach((op, s) => {
          const wire = op[0] !== 'cash_sale' && op[0] !== 'cash_refund';
          insOp.run(`op_y${id36}${s}`, payId, s + 1, op[0], op[1], op[2], op[7], wire ? 1 : 0, op[3], op[4], admin.id, admin.name, op[5], op[6], op[6], wire ? op[6] : null, op[6]);
        });
      });
      if (rows.length >= BATCH) flush();
    }
  }
  flush();
  return samples;
}

function writeAudit(db: Db, admin: { id: string; name: string }, startMs: number, nowMs: number): void {
  const head = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  let seq = head?.seq ?? 0;
  let prev = head?.hash ?? GENESIS_HASH;
  const ins = db.prepare(`INSERT INTO audit (seq, at, user_id, user_name, action, target, outcome, station, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const span = nowMs - startMs;
  for (let b = 0; b < YEAR_AUDIT; b += BATCH) {
    db.transaction(() => {
      for (let i = b; i < Math.min(YEAR_AUDIT, b + BATCH); i++) {
        const action = AUDIT_ACTIONS[i % AUDIT_ACTIONS.length]!;
        const e: AuditInput = {
          at: iso(startMs + Math.floor((i * span) / YEAR_AUDIT)),
          userId: admin.id,
          userName: admin.name,
          action,
          target: action.startsWith('session') ? null : `pay_y${(i % YEAR_PAYMENTS).toString(36).padStart(4, '0')}`,
          outcome: i % 97 === 0 ? 'failure' : 'success',
          station: YEAR_STATION,
          detail: action === 'payments.refund' ? 'refund 1250 USD: Returned by the customer' : '',
        };
        seq++;
        const hash = auditHash(prev, seq, e);
        ins.run(seq, e.at, e.userId, e.userName, e.action, e.target, e.outcome, e.station, e.detail, prev, hash);
        prev = hash;
      }
    })();
  }
}

function closeDays(db: Db, admin: { id: string; name: string }, startMs: number): void {
  db.transaction(() => {
    for (let d = 0; d < YEAR_DAYS; d++) {
      const date = iso(startMs + d * DAY).slice(0, 10);
      const closedAt = new Date(startMs + (d + 1) * DAY + 3_600_000);
      const report = computeEndOfDay(db, YEAR_STATION, { date, utcOffsetMinutes: 0, endUtcOffsetMinutes: 0 }, closedAt);
      insertClose(db, { date, station: YEAR_STATION, closedAt: closedAt.toISOString(), closedById: admin.id, closedBy: admin.name, report });
    }
  })();
}
