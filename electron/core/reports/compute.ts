import {
  dayBounds,
  type BreakdownRow,
  type CurrencyTotals,
  type Drawer,
  type EndOfDayReport,
  type OpenOperation,
  type ReportedType,
  type ReportScope,
  type Tally,
} from '../../../shared/contract/reports';
import type { Db } from '../db/database';
import { stmt } from '../ledger/sql';
import { splitOrders } from './split-orders';

/**
 * The end-of-day computation, read-only over the ledger:
 * - counted: operations that SUCCEEDED and whose finished_at lies in [from, to) — a sale belongs to
 *   the day its outcome became final, so a closed day's totals cannot change once the day is over;
 * - open: operations whose outcome is not final (pending, sent, unknown, queued, needs attention),
 *   whatever day they were made, with their age;
 * - repairs: check-status runs of the day that corrected local totals from the gateway.
 * Every sum is per currency.
 */

export interface DaySpec {
  date: string;
  utcOffsetMinutes: number;
  endUtcOffsetMinutes: number;
}

interface CountedRow {
  type: ReportedType;
  amount: number | null;
  user_id: string | null;
  user_name: string | null;
  currency: string;
  brand: string | null;
  method: 'card' | 'cash';
  authorized: number;
  payment_amount: number;
  channel: 'phone' | 'mail' | 'counter';
  done_at: string;
}

interface OpenRow {
  id: string;
  payment_id: string;
  order_reference: string;
  type: OpenOperation['type'];
  state: OpenOperation['state'];
  amount: number | null;
  currency: string;
  user_name: string | null;
  created_at: string;
  updated_at: string;
  message: string | null;
}

const TAKEN: ReadonlySet<ReportedType> = new Set(['purchase', 'capture', 'cash_sale']);
const REFUNDED: ReadonlySet<ReportedType> = new Set(['refund', 'cash_refund']);

const FIELD: Record<ReportedType, keyof Pick<CurrencyTotals, 'sales' | 'authorizations' | 'captures' | 'voids' | 'refunds' | 'cashSales' | 'cashRefunds'>> = {
  purchase: 'sales',
  authorize: 'authorizations',
  capture: 'captures',
  void: 'voids',
  refund: 'refunds',
  cash_sale: 'cashSales',
  cash_refund: 'cashRefunds',
};

const CHANNEL_LABEL: Record<CountedRow['channel'], string> = { phone: 'Phone', mail: 'Mail', counter: 'Counter' };

const tally = (): Tally => ({ count: 0, amount: 0 });
const add = (t: Tally, amount: number): void => {
  t.count += 1;
  t.amount += amount;
};

function emptyTotals(currency: string): CurrencyTotals {
  return {
    currency,
    sales: tally(),
    authorizations: tally(),
    captures: tally(),
    voids: tally(),
    refunds: tally(),
    cashSales: tally(),
    cashRefunds: tally(),
    taken: tally(),
    refunded: tally(),
    net: 0,
  };
}

/** What an operation moved: its amount; a void's is what the authorization held. */
function amountOf(r: CountedRow): number {
  if (r.amount !== null) return r.amount;
  if (r.type === 'void') return r.authorized > 0 ? r.authorized : r.payment_amount;
  return 0;
}

class Breakdown {
  private readonly rows = new Map<string, BreakdownRow>();
  add(key: string, label: string, currency: string, type: ReportedType, amount: number): void {
    const k = `${key}\u0000${currency}`;
    let row = this.rows.get(k);
    if (!row) this.rows.set(k, (row = { key, label, currency, operations: 0, taken: tally(), refunded: tally(), net: 0 }));
    row.operations += 1;
    if (TAKEN.has(type)) {
      add(row.taken, amount);
      row.net += amount;
    } else if (REFUNDED.has(type)) {
      add(row.refunded, amount);
      row.net -= amount;
    }
  }
  list(): BreakdownRow[] {
    return [...this.rows.values()].sort((a, b) => a.currency.localeCompare(b.currency) || b.taken.amount - a.taken.amount || a.label.localeCompare(b.label));
  }
}

/**
 * In a shop (docs/stations.md) the ledger also holds other desks' replicated operations: a
 * station's day counts only those done here (shop_known names the desk each record came from;
 * a single station has no such rows, so nothing is left out).
 */
const DONE_HERE = `AND NOT EXISTS (SELECT 1 FROM shop_known k WHERE k.tbl = 'operations' AND k.pk = o.id AND k.origin IS NOT NULL
  AND k.origin <> COALESCE((SELECT station_id FROM shop_state WHERE id = 1), ''))`;

/** A station of the shop as the server last listed it (names for the per-station breakdown). */
export interface ShopStationSeen {
  id: string;
  name: string;
  lastSeenAt: string | null;
}

export interface ReportOptions {
  /** 'shop': every station's operations in this ledger, with a per-station breakdown. */
  scope?: ReportScope;
  /** The shop's stations (from the server, or as last seen); names otherwise fall back to ids. */
  stations?: readonly ShopStationSeen[];
}

/** The station an operation was done at: the desk it was pulled from, else this one. */
const DONE_AT = `COALESCE((SELECT k.origin FROM shop_known k WHERE k.tbl = 'operations' AND k.pk = o.id), (SELECT station_id FROM shop_state WHERE id = 1), '')`;

export function computeEndOfDay(db: Db, station: string, day: DaySpec, now: Date, opts: ReportOptions = {}): EndOfDayReport {
  const { from, to } = dayBounds(day.date, day.utcOffsetMinutes, day.endUtcOffsetMinutes);
  const shop = opts.scope === 'shop';
  // Whole shop: no filter on the desk, every replicated operation of the day counts.
  const whose = shop ? '' : DONE_HERE;

  const counted = stmt(
    db,
    `SELECT o.type, o.amount, o.user_id, o.user_name, p.currency, p.brand, p.method, p.authorized, p.amount AS payment_amount, ord.channel,
            ${DONE_AT} AS done_at
     FROM operations o
     JOIN payments p ON p.id = o.payment_id
     JOIN orders ord ON ord.id = p.order_id
     WHERE o.state = 'succeeded' AND o.finished_at >= ? AND o.finished_at < ?
       AND o.type IN ('purchase', 'authorize', 'capture', 'void', 'refund', 'cash_sale', 'cash_refund')
       ${whose}
     ORDER BY o.finished_at, o.id`,
  ).all(from, to) as CountedRow[];

  const ownId = (db.prepare('SELECT station_id FROM shop_state WHERE id = 1').get() as { station_id: string } | undefined)?.station_id ?? '';
  const seen = new Map((opts.stations ?? []).map((x) => [x.id, x]));
  const nameOf = (id: string): string => (id === ownId || id === '' ? station : (seen.get(id)?.name ?? id));
  const byStation = new Breakdown();

  const totals = new Map<string, CurrencyTotals>();
  const drawers = new Map<string, Drawer>();
  const brands = new Breakdown();
  const users = new Breakdown();
  const channels = new Breakdown();

  for (const r of counted) {
    const amount = amountOf(r);
    let t = totals.get(r.currency);
    if (!t) totals.set(r.currency, (t = emptyTotals(r.currency)));
    add(t[FIELD[r.type]], amount);
    if (TAKEN.has(r.type)) {
      add(t.taken, amount);
      t.net += amount;
    } else if (REFUNDED.has(r.type)) {
      add(t.refunded, amount);
      t.net -= amount;
    }
    if (r.type === 'cash_sale' || r.type === 'cash_refund') {
      let d = drawers.get(r.currency);
      if (!d) drawers.set(r.currency, (d = { currency: r.currency, cashIn: tally(), cashOut: tally(), expected: 0 }));
      if (r.type === 'cash_sale') {
        add(d.cashIn, amount);
        d.expected += amount;
      } else {
        add(d.cashOut, amount);
        d.expected -= amount;
      }
    }
    const brand = r.method === 'cash' ? 'CASH' : (r.brand ?? 'UNKNOWN').toUpperCase();
    brands.add(brand, brandLabel(brand), r.currency, r.type, amount);
    users.add(r.user_id ?? 'system', r.user_name ?? 'system', r.currency, r.type, amount);
    channels.add(r.channel, CHANNEL_LABEL[r.channel] ?? r.channel, r.currency, r.type, amount);
    if (shop) byStation.add(r.done_at || ownId, nameOf(r.done_at), r.currency, r.type, amount);
  }

  // Found through indexes, never by reading every operation (a year is millions of rows): pending,
  // sent and unknown ones are counted on their payment (payments.open_ops, partial index
  // payments_unknown), queued and needs-attention ones have operations_waiting, whose WHERE is
  // written as the same OR so that SQLite can use it (migration 007). CROSS JOIN keeps payments
  // the outer loop (SQLite has no statistics; the app never runs ANALYZE).
  const open = (
    stmt(
      db,
      `SELECT o.id, o.payment_id, ord.reference AS order_reference, o.type, o.state, o.amount, p.currency, o.user_name,
              o.created_at, o.updated_at, o.message
       FROM payments p
       CROSS JOIN operations o ON o.payment_id = p.id
       JOIN orders ord ON ord.id = p.order_id
       WHERE p.open_ops > 0 AND o.state IN ('pending', 'sent', 'unknown')
       UNION ALL
       SELECT o.id, o.payment_id, ord.reference AS order_reference, o.type, o.state, o.amount, p.currency, o.user_name,
              o.created_at, o.updated_at, o.message
       FROM operations o
       JOIN payments p ON p.id = o.payment_id
       JOIN orders ord ON ord.id = p.order_id
       WHERE (o.state = 'queued' OR o.state = 'needs_attention')
       ORDER BY 9, 1`,
    ).all() as OpenRow[]
  ).map(
    (o): OpenOperation => ({
      id: o.id,
      paymentId: o.payment_id,
      orderReference: o.order_reference,
      type: o.type,
      state: o.state,
      amount: o.amount,
      currency: o.currency,
      userName: o.user_name,
      createdAt: o.created_at,
      updatedAt: o.updated_at,
      ageSeconds: Math.max(0, Math.floor((now.getTime() - Date.parse(o.created_at)) / 1000)),
      message: o.message,
    }),
  );

  const repairs = (
    stmt(
      db,
      `SELECT o.payment_id, ord.reference AS order_reference, p.currency, o.finished_at AS at, o.message
       FROM operations o
       JOIN payments p ON p.id = o.payment_id
       JOIN orders ord ON ord.id = p.order_id
       WHERE o.state = 'succeeded' AND o.type = 'check_status' AND o.finished_at >= ? AND o.finished_at < ?
         AND o.message LIKE 'Repaired%'
         ${whose}
       ORDER BY o.finished_at, o.id`,
    ).all(from, to) as { payment_id: string; order_reference: string; currency: string; at: string; message: string }[]
  ).map((r) => ({ paymentId: r.payment_id, orderReference: r.order_reference, currency: r.currency, at: r.at, message: r.message }));

  const byCurrency = (c: { currency: string }, d: { currency: string }) => c.currency.localeCompare(d.currency);
  const shopPart = shop ? { scope: 'shop' as const, byStation: byStation.list(), stations: reportStations(ownId, station, opts.stations ?? [], byStation.list()) } : {};
  return {
    station,
    ...shopPart,
    ...(ownId !== '' ? { inShop: true } : {}),
    date: day.date,
    utcOffsetMinutes: day.utcOffsetMinutes,
    endUtcOffsetMinutes: day.endUtcOffsetMinutes,
    from,
    to,
    generatedAt: now.toISOString(),
    operationCount: counted.length,
    byCurrency: [...totals.values()].sort(byCurrency),
    byBrand: brands.list(),
    byUser: users.list(),
    byChannel: channels.list(),
    drawer: [...drawers.values()].sort(byCurrency),
    open,
    repairs,
    splitOrders: splitOrders(db, from, to),
  };
}

const BRANDS: Record<string, string> = { VISA: 'Visa', MASTERCARD: 'Mastercard', AMEX: 'Amex', MADA: 'mada', MEEZA: 'Meeza', CASH: 'Cash', UNKNOWN: 'Card (brand unknown)' };

function brandLabel(brand: string): string {
  return BRANDS[brand] ?? brand;
}

/** Every station of the shop: those the server lists, and any whose operations are here but not listed. */
function reportStations(ownId: string, ownName: string, listed: readonly ShopStationSeen[], rows: BreakdownRow[]) {
  const out = new Map<string, { id: string; name: string; thisStation: boolean; lastSeenAt: string | null }>();
  for (const s of listed) out.set(s.id, { id: s.id, name: s.id === ownId ? ownName : s.name, thisStation: s.id === ownId, lastSeenAt: s.lastSeenAt });
  if (!out.has(ownId)) out.set(ownId, { id: ownId, name: ownName, thisStation: true, lastSeenAt: null });
  for (const r of rows) if (!out.has(r.key)) out.set(r.key, { id: r.key, name: r.label, thisStation: false, lastSeenAt: null });
  return [...out.values()].sort((a, b) => Number(b.thisStation) - Number(a.thisStation) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}
