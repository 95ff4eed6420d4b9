import { createHash } from 'node:crypto';
import {
  EndOfDayReportSchema,
  reportFigures,
  type CompareResult,
  type DaySnapshot,
  type DaySnapshotSummary,
  type EndOfDayReport,
  type Figure,
  type FigureDiff,
} from '../../../shared/contract/reports';
import type { Db } from '../db/database';
import { stmt } from '../ledger/sql';

/**
 * Closed days: the canonical JSON of what was closed and its sha256, in an append-only table
 * (migration 003: UPDATE and DELETE are refused by triggers). `intact` re-hashes on every read.
 */

/** JSON with object keys sorted at every level and no whitespace: the same bytes for the same value. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortKeys(x);
    }
    return out;
  }
  return v;
}

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** What is hashed and stored: who closed which day when, and the report as it stood. */
interface StoredSnapshot {
  version: 1;
  date: string;
  station: string;
  closedAt: string;
  closedById: string;
  closedBy: string;
  report: EndOfDayReport;
}

interface CloseRow {
  date: string;
  station: string;
  utc_offset_minutes: number;
  end_utc_offset_minutes: number;
  from_at: string;
  to_at: string;
  closed_at: string;
  closed_by: string;
  closed_by_name: string;
  snapshot_json: string;
  hash: string;
}

export function getCloseRow(db: Db, date: string): CloseRow | undefined {
  return stmt(db, 'SELECT * FROM day_closes WHERE date = ?').get(date) as CloseRow | undefined;
}

export function insertClose(db: Db, snap: Omit<StoredSnapshot, 'version'>): DaySnapshot {
  const stored: StoredSnapshot = { version: 1, ...snap };
  const json = canonicalJson(stored);
  const hash = sha256(json);
  const r = snap.report;
  stmt(
    db,
    `INSERT INTO day_closes (date, station, utc_offset_minutes, end_utc_offset_minutes, from_at, to_at, closed_at, closed_by, closed_by_name, snapshot_json, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(r.date, snap.station, r.utcOffsetMinutes, r.endUtcOffsetMinutes, r.from, r.to, snap.closedAt, snap.closedById, snap.closedBy, json, hash);
  return toSnapshot(getCloseRow(db, r.date)!);
}

export function toSnapshot(row: CloseRow): DaySnapshot {
  const stored = JSON.parse(row.snapshot_json) as StoredSnapshot;
  // The stored report went through the contract schema when it was computed; re-parse so an old
  // or damaged row fails loudly here rather than on the screen.
  const report = EndOfDayReportSchema.parse(stored.report);
  return {
    date: row.date,
    station: row.station,
    closedAt: row.closed_at,
    closedById: row.closed_by,
    closedBy: row.closed_by_name,
    hash: row.hash,
    intact: sha256(row.snapshot_json) === row.hash,
    totals: report.byCurrency,
    report,
  };
}

export function listCloses(db: Db, limit: number): DaySnapshotSummary[] {
  const rows = stmt(db, 'SELECT * FROM day_closes ORDER BY date DESC LIMIT ?').all(limit) as CloseRow[];
  return rows.map((row) => {
    const { report: _report, ...summary } = toSnapshot(row);
    return summary;
  });
}

const figureKey = (f: Figure) => `${f.section}\u0000${f.key}\u0000${f.currency}`;

/**
 * Figures of the day that differ between the closed report and a fresh one (a figure missing on
 * one side counts as zero). The open operations are of any day, so they are compared one by one
 * (resolvedSince), not as figures: a new unknown tomorrow is no change to a closed day.
 */
export function diffFigures(closed: EndOfDayReport, now: EndOfDayReport): FigureDiff[] {
  const ofDay = (r: EndOfDayReport) => reportFigures(r).filter((f) => f.section !== 'open');
  const before = new Map(ofDay(closed).map((f) => [figureKey(f), f]));
  const after = new Map(ofDay(now).map((f) => [figureKey(f), f]));
  const keys = [...before.keys(), ...[...after.keys()].filter((k) => !before.has(k))];
  const out: FigureDiff[] = [];
  for (const k of keys) {
    const a = before.get(k);
    const b = after.get(k);
    const ref = (a ?? b)!;
    const closedT = { count: a?.count ?? 0, amount: a?.amount ?? 0 };
    const nowT = { count: b?.count ?? 0, amount: b?.amount ?? 0 };
    if (closedT.count !== nowT.count || closedT.amount !== nowT.amount) {
      out.push({ section: ref.section, key: ref.key, currency: ref.currency, closed: closedT, now: nowT });
    }
  }
  return out;
}

/** Operations that were open when the day was closed and have an outcome (or another state) now. */
export function resolvedSince(db: Db, closed: EndOfDayReport): CompareResult['resolvedSinceClose'] {
  const get = db.prepare('SELECT state, finished_at FROM operations WHERE id = ?');
  const out: CompareResult['resolvedSinceClose'] = [];
  for (const o of closed.open) {
    const now = get.get(o.id) as { state: string; finished_at: string | null } | undefined;
    if (now && now.state === o.state) continue;
    out.push({
      id: o.id,
      paymentId: o.paymentId,
      orderReference: o.orderReference,
      type: o.type,
      amount: o.amount,
      currency: o.currency,
      stateAtClose: o.state,
      stateNow: now?.state ?? 'gone',
      finishedAt: now?.finished_at ?? null,
    });
  }
  return out;
}
