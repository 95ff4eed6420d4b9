import { ContractError, coreText } from '../../../shared/contract';
import { dayBounds } from '../../../shared/contract/reports';
import type { PartialHandlers } from '../context';
import type { CoreDeps } from '../deps';
import { auditAs, requireUser } from '../ledger/audit-as';
import { tx } from '../ledger/sql';
import { computeEndOfDay, type DaySpec, type ShopStationSeen } from './compute';
import { diffFigures, getCloseRow, insertClose, listCloses, resolvedSince, toSnapshot } from './snapshots';

export { computeEndOfDay } from './compute';
export { canonicalJson, sha256 } from './snapshots';

/**
 * reports.endOfDay / closeDay / closedDays / compare (docs/reports.md). Reading is for every
 * signed-in user (a desk clerk prints the day's report); closing is for supervisors and happens
 * once per station-local date.
 */
export interface ReportsOptions {
  /** In a shop: its stations as the server lists them (or as last seen); null when not in a shop. */
  shopStations?: () => Promise<readonly ShopStationSeen[] | null>;
}

export function createReportsFeature(deps: CoreDeps, opts: ReportsOptions = {}): { handlers: PartialHandlers } {
  const spec = (i: { date: string; utcOffsetMinutes: number; endUtcOffsetMinutes?: number | undefined }): DaySpec => ({
    date: i.date,
    utcOffsetMinutes: i.utcOffsetMinutes,
    endUtcOffsetMinutes: i.endUtcOffsetMinutes ?? i.utcOffsetMinutes,
  });

  return {
    handlers: {
      'reports.endOfDay': async (input) => {
        if (input.scope !== 'shop') return computeEndOfDay(deps.db, deps.station, spec(input), deps.clock.now());
        const stations = (await opts.shopStations?.()) ?? [];
        return computeEndOfDay(deps.db, deps.station, spec(input), deps.clock.now(), { scope: 'shop', stations });
      },

      'reports.closeDay': (input, ctx) => {
        const user = requireUser(ctx);
        const day = spec(input);
        const now = deps.clock.now();
        const refuse = (code: 'CONFLICT' | 'NOT_ALLOWED', message: string): never => {
          // Outside any transaction, so the refused attempt stays in the audit log.
          auditAs(deps, user, { action: 'reports.closeDay', outcome: 'failure', target: day.date, detail: message });
          throw new ContractError(code, message);
        };
        const { from } = dayBounds(day.date, day.utcOffsetMinutes, day.endUtcOffsetMinutes);
        if (Date.parse(from) > now.getTime()) refuse('NOT_ALLOWED', `${day.date} has not started yet.`);
        // One synchronous transaction: check, compute, insert and audit cannot interleave with
        // another close of the same day (and the primary key refuses a second row anyway).
        const result = tx(deps.db, () => {
          const existing = getCloseRow(deps.db, day.date);
          if (existing) return { kind: 'conflict', row: existing } as const;
          const report = computeEndOfDay(deps.db, deps.station, day, now);
          const snap = insertClose(deps.db, { date: day.date, station: deps.station, closedAt: now.toISOString(), closedById: user.id, closedBy: user.name, report });
          const totals = report.byCurrency.map((t) => `${t.currency} net ${t.net} (${t.taken.count} taken, ${t.refunded.count} refunded)`).join('; ') || 'no operations';
          auditAs(deps, user, {
            action: 'reports.closeDay',
            outcome: 'success',
            target: day.date,
            detail: `closed ${day.date} [${report.from}, ${report.to}); ${totals}; ${report.open.length} open; sha256 ${snap.hash}`,
          });
          return { kind: 'closed', snapshot: snap } as const;
        });
        if (result.kind === 'conflict') {
          return refuse('CONFLICT', `${day.date} was already closed by ${result.row.closed_by_name} at ${result.row.closed_at}.`);
        }
        return result.snapshot;
      },

      'reports.closedDays': (input) => listCloses(deps.db, input.limit),

      'reports.compare': (input) => {
        const row = getCloseRow(deps.db, input.date);
        if (!row) throw new ContractError('NOT_FOUND', coreText('refuse.dayNotClosed', { date: input.date }));
        const snapshot = toSnapshot(row);
        const r = snapshot.report;
        const current = computeEndOfDay(deps.db, deps.station, { date: r.date, utcOffsetMinutes: r.utcOffsetMinutes, endUtcOffsetMinutes: r.endUtcOffsetMinutes }, deps.clock.now());
        const differences = diffFigures(r, current);
        const resolvedSinceClose = resolvedSince(deps.db, r);
        return { snapshot, current, differences, resolvedSinceClose, same: differences.length === 0 && resolvedSinceClose.length === 0 };
      },
    },
  };
}
