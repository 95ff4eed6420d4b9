import { dirname } from 'node:path';
import { channels, ContractError, type ChannelName } from '../../shared/contract';
import { coreText } from '../../shared/contract/messages';
import type { CallContext, Handlers } from './context';
import type { Db } from './db/database';
import { isCorruptionError, startFileCheck, writeIntegrityRecord, type CheckInput, type CheckOutcome, type RunningCheck } from './db/integrity';
import type { Logger } from './deps';
import { appendAudit } from './ledger';

/**
 * The ledger's integrity while the station runs (docs/decisions/ledger-integrity-check.md): the
 * background `quick_check` after start and every day, and what happens when the file is found
 * damaged — by that check or by SQLite while reading it: recorded for the next open (which then
 * checks in full and refuses the file), audited, the background work that moves money stopped,
 * and every call that would change the ledger refused with a plain sentence. Reads stay open, so
 * the day's figures and the audit log can still be seen and exported.
 */

/** Still allowed on a damaged ledger: signing in and out and locking write only the sessions. */
const ALLOWED_WHEN_DAMAGED = new Set<ChannelName>(['session.login', 'session.logout', 'session.lock', 'session.unlock']);

export interface IntegrityOptions {
  /** First background check this long after start (default 60 s: not while the station starts and signs in). */
  delayMs?: number;
  /** Then again this often while the app runs (default 24 h). */
  everyMs?: number;
  /** After a check that could not run (no process, file busy), try again after this long (default 10 min). */
  retryMs?: number;
}

export interface IntegrityHooks {
  log: Logger;
  station: () => string;
  now: () => Date;
  /** The core's WAL checkpoints stop while the check reads the main file, and resume after. */
  holdCheckpoints(held: boolean): void;
  /** Stops the background work that sends operations or changes payments. */
  halt(): Promise<void>;
}

export type IntegrityState = 'unchecked' | 'checking' | 'ok' | 'damaged';

export class LedgerIntegrity {
  state: IntegrityState;
  detail: string | null = null;
  lastCheck: CheckOutcome | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: RunningCheck | null = null;
  private closed = false;
  private readonly opts: Required<IntegrityOptions>;

  constructor(
    private readonly db: Db,
    private readonly input: CheckInput | null,
    /** The open already checked the whole file. */
    checkedOnOpen: boolean,
    private readonly hooks: IntegrityHooks,
    opts: IntegrityOptions = {},
  ) {
    this.opts = { delayMs: 60_000, everyMs: 24 * 3_600_000, retryMs: 600_000, ...opts };
    this.state = checkedOnOpen ? 'ok' : 'unchecked';
  }

  start(): void {
    this.schedule(this.state === 'ok' ? this.opts.everyMs : this.opts.delayMs);
  }

  private schedule(ms: number): void {
    if (this.closed || this.state === 'damaged' || !this.input) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.checkNow(), ms);
    this.timer.unref();
  }

  /** Runs the background check now (tests; the timer). */
  async checkNow(): Promise<CheckOutcome> {
    if (!this.input) return { kind: 'not-run', detail: 'no file to check', ms: 0 };
    if (this.running) return this.running.done;
    if (this.state === 'damaged') return { kind: 'damaged', detail: this.detail ?? '', ms: 0 };
    // The checker reads the main file without the WAL: everything committed goes into it first,
    // and nothing more until the check ends. One connection and no reader: PASSIVE copies it all.
    const ck = this.db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    const c = ck[0];
    if (!c || c.busy !== 0 || c.log !== c.checkpointed) {
      this.schedule(this.opts.retryMs);
      return { kind: 'not-run', detail: 'the write-ahead log could not be folded in', ms: 0 };
    }
    this.hooks.holdCheckpoints(true);
    const previous = this.state;
    this.state = 'checking';
    let out: CheckOutcome;
    try {
      this.running = startFileCheck(this.input);
      out = await this.running.done;
    } catch (e) {
      out = { kind: 'not-run', detail: e instanceof Error ? e.message : String(e), ms: 0 };
    } finally {
      this.running = null;
      if (!this.closed) this.hooks.holdCheckpoints(false);
    }
    this.lastCheck = out;
    if (this.closed) return out;
    if (out.kind === 'damaged') {
      await this.damaged(`background check: ${out.detail}`);
    } else if (out.kind === 'ok') {
      this.state = 'ok';
      this.hooks.log.info({ ms: out.ms }, 'ledger integrity check passed');
      this.schedule(this.opts.everyMs);
    } else {
      this.state = previous === 'checking' ? 'unchecked' : previous;
      this.hooks.log.warn({ detail: out.detail }, 'ledger integrity check could not run; trying again later');
      this.schedule(this.opts.retryMs);
    }
    return out;
  }

  /** An error from SQLite while serving a call: a damaged file stops the station like a failed check. */
  noteError(e: unknown): void {
    if (isCorruptionError(e)) void this.damaged(`read error: ${(e as Error).message}`);
  }

  private async damaged(detail: string): Promise<void> {
    if (this.state === 'damaged') return;
    this.state = 'damaged';
    this.detail = detail.slice(0, 500);
    const at = this.hooks.now().toISOString();
    this.hooks.log.error({ detail: this.detail }, 'the ledger is damaged: changes refused until it is repaired');
    try {
      // The next open checks the whole file and refuses it while it is damaged.
      if (this.input) writeIntegrityRecord(dirname(this.input.dbPath), { state: 'damaged', at, detail: this.detail });
    } catch (e) {
      this.hooks.log.error({ err: e instanceof Error ? e.message : String(e) }, 'could not record the damaged ledger');
    }
    try {
      appendAudit(this.db, { at, userId: null, userName: null, action: 'ledger.damaged', target: null, outcome: 'failure', station: this.hooks.station(), detail: this.detail });
    } catch (e) {
      // The damage may be where the audit log lives; the record above and the log still say it.
      this.hooks.log.error({ err: e instanceof Error ? e.message : String(e) }, 'could not audit the damaged ledger');
    }
    try {
      await this.hooks.halt();
    } catch (e) {
      this.hooks.log.error({ err: e instanceof Error ? e.message : String(e) }, 'stopping background work failed');
    }
  }

  /** Refuses every call that changes the ledger while it is damaged; notes corruption errors of any call. */
  guard(handlers: Handlers): Handlers {
    const out: Record<string, unknown> = { ...handlers };
    for (const name of Object.keys(handlers) as ChannelName[]) {
      const inner = handlers[name] as unknown as (input: unknown, ctx: CallContext) => unknown;
      const refuses = channels[name].mutates && !ALLOWED_WHEN_DAMAGED.has(name);
      const wrapped = async (input: unknown, ctx: CallContext) => {
        if (refuses && this.state === 'damaged') throw new ContractError('NOT_ALLOWED', coreText('refuse.ledgerDamaged'));
        try {
          return await inner(input, ctx);
        } catch (e) {
          this.noteError(e);
          throw e;
        }
      };
      out[name] = wrapped;
    }
    return out as Handlers;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.running?.stop();
  }
}
