import type { Clock } from '../clock';
import type { Db } from '../db/database';
import type { Logger } from '../deps';
import { openLinks, type LinkRow } from './repo';

export interface LinkWatcherOptions {
  /** How often the watcher looks for links that are due (ms). */
  tickMs?: number;
  /** First wait after a link was seen to change (ms); doubled each unchanged check up to maxMs. */
  baseMs?: number;
  maxMs?: number;
}

export const DEFAULT_LINK_WATCH = { tickMs: 10_000, baseMs: 30_000, maxMs: 10 * 60_000 } as const;

interface Due {
  at: number;
  waitMs: number;
  seen: string;
}

/**
 * Follows sent links while the app runs (issue #19): a link the customer pays while nobody has the
 * order open still becomes a payment. One link at a time (the whole desk asks one question at a
 * time, so a hundred open links never burst at the gateway); each link backs off while nothing
 * changes (30 s, 1 min, 2 min … 10 min) and is asked again soon after it changed or as it expires.
 * Offline, nothing is asked: the sync feature's connectivity is the one judge of that.
 */
export class LinkWatcher {
  private readonly due = new Map<string, Due>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<number> | null = null;
  private readonly o: Required<LinkWatcherOptions>;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly refresh: (row: LinkRow) => Promise<LinkRow>,
    private readonly isOnline: () => boolean,
    opts: LinkWatcherOptions = {},
  ) {
    this.o = { ...DEFAULT_LINK_WATCH, ...opts };
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.o.tickMs);
    this.timer.unref?.();
  }

  /** One pass over the links that are due; resolves with how many were asked about. */
  tick(): Promise<number> {
    this.running ??= this.pass().finally(() => (this.running = null));
    return this.running;
  }

  private async pass(): Promise<number> {
    if (!this.isOnline() || !this.db.open) return 0;
    const now = this.clock.now().getTime();
    const open = openLinks(this.db);
    const live = new Set(open.map((r) => r.id));
    for (const id of this.due.keys()) if (!live.has(id)) this.due.delete(id);
    let asked = 0;
    for (const row of open) {
      if (this.stopped) break;
      const d = this.due.get(row.id) ?? { at: 0, waitMs: this.o.baseMs, seen: signature(row) };
      if (d.at > now) continue;
      if (!this.isOnline() || !this.db.open) break;
      let after = row;
      try {
        after = await this.refresh(row);
      } catch (e) {
        this.log.warn({ link: row.reference, err: e instanceof Error ? e.message : String(e) }, 'link watch failed');
      }
      asked += 1;
      const changed = signature(after) !== d.seen;
      const waitMs = changed ? this.o.baseMs : Math.min(d.waitMs * 2, this.o.maxMs);
      const at = this.clock.now().getTime();
      // Never sleep past the expiry: the link is asked about just after it lapses, so it shows expired.
      const expiry = Date.parse(after.expires_at);
      const next = Number.isFinite(expiry) && expiry > at ? Math.min(at + waitMs, expiry + 1_000) : at + waitMs;
      this.due.set(row.id, { at: next, waitMs, seen: signature(after) });
    }
    return asked;
  }

  async close(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}

function signature(r: LinkRow): string {
  return `${r.state}|${r.opened_count}|${r.expires_at}|${r.payment_id ?? ''}`;
}
