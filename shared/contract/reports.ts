import { z } from 'zod';
import { Currency, Id, IsoTime, OperationType } from './schemas';

// End-of-day report and day close (docs/reports.md). Every amount is integer minor units next to
// its currency; sums are per currency and never mix currencies.

/** A calendar day, 'YYYY-MM-DD', in the station's local time. */
export const ReportDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Date is YYYY-MM-DD')
  .refine((d) => {
    const [y, m, day] = d.split('-').map(Number) as [number, number, number];
    const t = new Date(Date.UTC(y, m - 1, day));
    return y >= 2000 && y <= 2999 && t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === day;
  }, 'Not a calendar date');

/** Minutes to add to UTC to get the station's local time (UTC+02:00 = 120, UTC-05:00 = -300). */
export const UtcOffsetMinutes = z.number().int().min(-840).max(840);

/**
 * The day is [local midnight of `date`, local midnight of the next day). The screen sends the
 * offset in force at each of the two midnights (they differ on a daylight-saving change), so
 * consecutive days meet exactly. Default 0 = the UTC day.
 */
export const DayInput = z
  .object({
    date: ReportDate,
    utcOffsetMinutes: UtcOffsetMinutes.default(0),
    /** Offset at the end of the day; defaults to utcOffsetMinutes. */
    endUtcOffsetMinutes: UtcOffsetMinutes.optional(),
  })
  .strict()
  .refine((v) => Math.abs((v.endUtcOffsetMinutes ?? v.utcOffsetMinutes) - v.utcOffsetMinutes) <= 180, {
    message: 'The two offsets differ by more than 3 hours',
    path: ['endUtcOffsetMinutes'],
  });

/**
 * Which operations a report counts: this station's (the default; what a day close seals) or, in a
 * shop (docs/stations.md), every station's as replicated into this ledger.
 */
export const ReportScope = z.enum(['station', 'shop']);
export type ReportScope = z.infer<typeof ReportScope>;

/** reports.endOfDay: a day, and whose operations. Closing a day stays per station (DayInput). */
export const EndOfDayInput = z
  .object({
    date: ReportDate,
    utcOffsetMinutes: UtcOffsetMinutes.default(0),
    endUtcOffsetMinutes: UtcOffsetMinutes.optional(),
    scope: ReportScope.default('station'),
  })
  .strict()
  .refine((v) => Math.abs((v.endUtcOffsetMinutes ?? v.utcOffsetMinutes) - v.utcOffsetMinutes) <= 180, {
    message: 'The two offsets differ by more than 3 hours',
    path: ['endUtcOffsetMinutes'],
  });

/** Signed sums (net, drawer) may be negative; counts never are. */
const Sum = z.number().int().safe();
const Count = z.number().int().min(0);

export const TallySchema = z.object({ count: Count, amount: Sum });
export type Tally = z.infer<typeof TallySchema>;

/** Operation types the report counts (check_status moves no money of its own). */
export const REPORTED_TYPES = ['purchase', 'authorize', 'capture', 'void', 'refund', 'cash_sale', 'cash_refund'] as const;
export type ReportedType = (typeof REPORTED_TYPES)[number];

export const CurrencyTotalsSchema = z.object({
  currency: Currency,
  /** Card sales (purchase: authorized and captured at once). */
  sales: TallySchema,
  authorizations: TallySchema,
  captures: TallySchema,
  /** Amount = what the voided authorizations had held. */
  voids: TallySchema,
  refunds: TallySchema,
  cashSales: TallySchema,
  cashRefunds: TallySchema,
  /** sales + captures + cash sales: money actually taken. */
  taken: TallySchema,
  /** refunds + cash refunds. */
  refunded: TallySchema,
  /** taken − refunded. */
  net: Sum,
});
export type CurrencyTotals = z.infer<typeof CurrencyTotalsSchema>;

/** One row of a breakdown (brand, user, channel) in one currency. */
export const BreakdownRowSchema = z.object({
  key: z.string().max(100),
  label: z.string().max(100),
  currency: Currency,
  /** Every counted operation of this key, authorizations and voids included. */
  operations: Count,
  taken: TallySchema,
  refunded: TallySchema,
  net: Sum,
});
export type BreakdownRow = z.infer<typeof BreakdownRowSchema>;

export const DrawerSchema = z.object({
  currency: Currency,
  cashIn: TallySchema,
  cashOut: TallySchema,
  /** What the drawer should hold on top of its float: cash taken − cash paid back. */
  expected: Sum,
});
export type Drawer = z.infer<typeof DrawerSchema>;

export const OpenStateSchema = z.enum(['pending', 'sent', 'unknown', 'queued', 'needs_attention']);

/** An operation whose outcome is not final, whatever day it was made. */
export const OpenOperationSchema = z.object({
  id: Id,
  paymentId: Id,
  orderReference: z.string(),
  type: OperationType,
  state: OpenStateSchema,
  amount: z.number().int().min(0).nullable(),
  currency: Currency,
  userName: z.string().nullable(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
  /** Seconds since the operation was made, when the report was computed. */
  ageSeconds: Count,
  message: z.string().nullable(),
});
export type OpenOperation = z.infer<typeof OpenOperationSchema>;

/** A check-status run that corrected the local totals from the gateway during the day. */
export const RepairSchema = z.object({
  paymentId: Id,
  orderReference: z.string(),
  currency: Currency,
  at: IsoTime,
  message: z.string(),
});

/** One tender of an order paid several ways (split tender), as the end of day lists it. */
export const SplitTenderSchema = z.object({
  paymentId: Id,
  method: z.enum(['card', 'cash']),
  brand: z.string().nullable(),
  last4: z.string().nullable(),
  amount: Count,
  /** Cash only: handed over and given back. */
  tendered: Count.nullable(),
  change: Count.nullable(),
  refunded: Count,
});

/** An order of the day paid by more than one tender, with each tender. */
export const SplitOrderSchema = z.object({
  orderId: Id,
  orderReference: z.string(),
  currency: Currency,
  total: Count,
  tenders: z.array(SplitTenderSchema),
});

/** A station of the shop as a whole-shop report names it: when the server last saw it (null: not known here). */
export const ReportStationSchema = z.object({
  id: z.string().max(64),
  name: z.string().max(200),
  thisStation: z.boolean(),
  lastSeenAt: IsoTime.nullable(),
});

export const EndOfDayReportSchema = z.object({
  station: z.string(),
  /** Absent in reports made before the whole-shop report existed: 'station'. */
  scope: ReportScope.optional(),
  /** Whole shop only: the figures per station (key = station id), and the stations of the shop. */
  byStation: z.array(BreakdownRowSchema).optional(),
  stations: z.array(ReportStationSchema).optional(),
  /** True when this station is in a shop (the screen then offers the whole-shop report). */
  inShop: z.boolean().optional(),
  date: ReportDate,
  utcOffsetMinutes: UtcOffsetMinutes,
  endUtcOffsetMinutes: UtcOffsetMinutes,
  /** The day in UTC: from inclusive, to exclusive; operations count by when they finished. */
  from: IsoTime,
  to: IsoTime,
  generatedAt: IsoTime,
  /** Succeeded operations counted. */
  operationCount: Count,
  byCurrency: z.array(CurrencyTotalsSchema),
  byBrand: z.array(BreakdownRowSchema),
  byUser: z.array(BreakdownRowSchema),
  byChannel: z.array(BreakdownRowSchema),
  drawer: z.array(DrawerSchema),
  open: z.array(OpenOperationSchema),
  repairs: z.array(RepairSchema),
  /** Orders taken this day and paid by several tenders (split tender); absent in days closed before it existed. */
  splitOrders: z.array(SplitOrderSchema).optional(),
});
export type EndOfDayReport = z.infer<typeof EndOfDayReportSchema>;

export const DaySnapshotSummarySchema = z.object({
  date: ReportDate,
  station: z.string(),
  closedAt: IsoTime,
  closedById: z.string(),
  closedBy: z.string(),
  /** sha256 (hex) of the stored canonical JSON. */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  /** The stored JSON still hashes to `hash`. */
  intact: z.boolean(),
  totals: z.array(CurrencyTotalsSchema),
});
export type DaySnapshotSummary = z.infer<typeof DaySnapshotSummarySchema>;

export const DaySnapshotSchema = DaySnapshotSummarySchema.extend({ report: EndOfDayReportSchema });
export type DaySnapshot = z.infer<typeof DaySnapshotSchema>;

/** One figure that differs between the closed snapshot and a fresh computation. */
export const FigureDiffSchema = z.object({
  section: z.string(),
  key: z.string(),
  currency: Currency,
  closed: TallySchema,
  now: TallySchema,
});
export type FigureDiff = z.infer<typeof FigureDiffSchema>;

export const ResolvedSinceCloseSchema = z.object({
  id: Id,
  paymentId: Id,
  orderReference: z.string(),
  type: OperationType,
  amount: z.number().int().min(0).nullable(),
  currency: Currency,
  stateAtClose: OpenStateSchema,
  /** 'succeeded' | 'declined' | still open in another state; 'gone' when no longer in the ledger. */
  stateNow: z.string(),
  finishedAt: IsoTime.nullable(),
});

export const CompareSchema = z.object({
  snapshot: DaySnapshotSchema,
  current: EndOfDayReportSchema,
  differences: z.array(FigureDiffSchema),
  resolvedSinceClose: z.array(ResolvedSinceCloseSchema),
  /** No figure differs and nothing open at close has been resolved since. */
  same: z.boolean(),
});
export type CompareResult = z.infer<typeof CompareSchema>;

export const ClosedDaysInput = z.object({ limit: z.number().int().min(1).max(3660).default(366) }).strict();

// ---------- figures: one flat row per number (CSV export and comparison) ----------

export interface Figure {
  section: string;
  key: string;
  currency: string;
  count: number;
  amount: number;
}

const OP_KEYS: [keyof CurrencyTotals, string][] = [
  ['sales', 'sales'],
  ['authorizations', 'authorizations'],
  ['captures', 'captures'],
  ['voids', 'voids'],
  ['refunds', 'refunds'],
  ['cashSales', 'cash_sales'],
  ['cashRefunds', 'cash_refunds'],
  ['taken', 'taken'],
  ['refunded', 'refunded'],
];

/**
 * Every figure of a report as (section, key, currency, count, amount), in a stable order: the
 * rows of the CSV export and the unit of comparison with a closed day.
 */
export function reportFigures(r: EndOfDayReport): Figure[] {
  const out: Figure[] = [];
  for (const t of r.byCurrency) {
    for (const [field, key] of OP_KEYS) {
      const v = t[field] as Tally;
      out.push({ section: 'operations', key, currency: t.currency, count: v.count, amount: v.amount });
    }
    out.push({ section: 'operations', key: 'net', currency: t.currency, count: t.taken.count + t.refunded.count, amount: t.net });
  }
  const breakdown = (section: string, rows: BreakdownRow[]) => {
    for (const b of rows) {
      out.push({ section, key: `${b.label} taken`, currency: b.currency, count: b.taken.count, amount: b.taken.amount });
      out.push({ section, key: `${b.label} refunded`, currency: b.currency, count: b.refunded.count, amount: b.refunded.amount });
      out.push({ section, key: `${b.label} net`, currency: b.currency, count: b.operations, amount: b.net });
    }
  };
  if (r.byStation) breakdown('station', r.byStation);
  breakdown('brand', r.byBrand);
  breakdown('user', r.byUser);
  breakdown('channel', r.byChannel);
  for (const d of r.drawer) {
    out.push({ section: 'drawer', key: 'cash in', currency: d.currency, count: d.cashIn.count, amount: d.cashIn.amount });
    out.push({ section: 'drawer', key: 'cash out', currency: d.currency, count: d.cashOut.count, amount: d.cashOut.amount });
    out.push({ section: 'drawer', key: 'expected', currency: d.currency, count: d.cashIn.count + d.cashOut.count, amount: d.expected });
  }
  const open = new Map<string, Figure>();
  for (const o of r.open) {
    const k = `${o.state}|${o.currency}`;
    const f = open.get(k) ?? { section: 'open', key: o.state, currency: o.currency, count: 0, amount: 0 };
    f.count += 1;
    f.amount += o.amount ?? 0;
    open.set(k, f);
  }
  out.push(...[...open.values()].sort((a, b) => a.key.localeCompare(b.key) || a.currency.localeCompare(b.currency)));
  return out;
}

/** The UTC instants a day starts (inclusive) and ends (exclusive) at, for the given offsets. */
export function dayBounds(date: string, utcOffsetMinutes: number, endUtcOffsetMinutes = utcOffsetMinutes): { from: string; to: string } {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const from = Date.UTC(y, m - 1, d) - utcOffsetMinutes * 60_000;
  const to = Date.UTC(y, m - 1, d + 1) - endUtcOffsetMinutes * 60_000;
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}
