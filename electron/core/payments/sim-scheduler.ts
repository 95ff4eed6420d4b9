/**
 * The deterministic simulation's virtual time and event loop (test support, not product code).
 *
 * Every wait of the simulated parts is an event here: the core's timers (through Clock.setTimer:
 * retry backoff, probes, forwarder passes, recurring ticks, the notify coalescing) and the
 * simulated network's deliveries (sim-gateway.ts). Nothing waits on real time or real I/O, so the
 * whole run is a function of the seed: events run in time order, and events due at the same
 * virtual millisecond run in an order drawn from the seed (the "scheduler" of FoundationDB's
 * simulator / TigerBeetle's VOPR), so the same seed replays the same interleaving and other seeds
 * explore others. Between events the microtasks and the ledger's group commit (setImmediate) run
 * out, which is deterministic because nothing in them waits on the outside world.
 *
 * Each event belongs to a side: 'station' events die with a simulated crash (the process is
 * gone: its timers, its open sockets, its unanswered requests), 'gateway' events do not (a
 * request that reached the gateway is processed whether or not the station is still there).
 */
import { createHash } from 'node:crypto';
import type { Clock, Timer } from '../clock';

export type Side = 'station' | 'gateway';

interface SimEvent {
  at: number;
  /** Drawn from the seed when scheduled: breaks ties between events due at the same millisecond. */
  tie: number;
  seq: number;
  side: Side;
  label: string;
  fn: () => void;
  cancelled: boolean;
}

/** How many setImmediate turns run between two events (microtasks and group commits drain in them). */
const DRAIN_TURNS = 12;

export class SimScheduler implements Clock {
  private t: number;
  private seq = 0;
  private queue: SimEvent[] = [];
  /** Every event run, with its virtual time: equal for equal seeds (the replay test hashes it). */
  readonly trace: string[] = [];
  /** Events run so far (a bound against a run that never quiesces). */
  ran = 0;
  /** Called after every event (the simulation checks its invariants there). */
  afterEvent: ((label: string) => void) | null = null;

  constructor(
    private readonly random: () => number,
    start: string,
  ) {
    this.t = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.t);
  }

  nowMs(): number {
    return this.t;
  }

  /** Clock.setTimer: the core's timers are station events. */
  setTimer(fn: () => void, ms: number): Timer {
    return this.schedule(ms, 'station', 'timer', fn);
  }

  schedule(ms: number, side: Side, label: string, fn: () => void): Timer {
    const ev: SimEvent = { at: this.t + Math.max(0, Math.trunc(ms)), tie: this.random(), seq: this.seq++, side, label, fn, cancelled: false };
    this.queue.push(ev);
    return {
      clear: () => {
        ev.cancelled = true;
      },
    };
  }

  note(line: string): void {
    this.trace.push(`${this.t} ${line}`);
  }

  /** The station process dies: its pending timers and unanswered requests are gone. */
  crashStation(): number {
    const before = this.queue.length;
    this.queue = this.queue.filter((e) => e.side !== 'station' || e.cancelled);
    return before - this.queue.length;
  }

  /** Lets the microtasks and setImmediate work (group commits) of the current instant run out. */
  async drain(): Promise<void> {
    for (let i = 0; i < DRAIN_TURNS; i++) await new Promise<void>((r) => setImmediate(r));
  }

  private next(until: number): SimEvent | undefined {
    this.queue = this.queue.filter((e) => !e.cancelled);
    let best: SimEvent | undefined;
    for (const e of this.queue) {
      if (e.at > until) continue;
      if (!best || e.at < best.at || (e.at === best.at && (e.tie < best.tie || (e.tie === best.tie && e.seq < best.seq)))) best = e;
    }
    return best;
  }

  private async runOne(e: SimEvent): Promise<void> {
    this.queue.splice(this.queue.indexOf(e), 1);
    this.t = Math.max(this.t, e.at);
    this.ran++;
    if (e.label !== 'timer') this.note(e.label);
    e.fn();
    await this.drain();
    this.afterEvent?.(e.label);
  }

  /** Runs every event due within `ms` of virtual time, then stands at now + ms. */
  async runFor(ms: number): Promise<void> {
    const until = this.t + ms;
    await this.drain();
    for (let e = this.next(until); e; e = this.next(until)) await this.runOne(e);
    this.t = until;
    await this.drain();
  }

  /**
   * Runs events for at most `ms`, stopping right after the first one after which `hit()` holds
   * (the simulation crashes the station there: e.g. just after the gateway committed a request
   * whose reply is still on its way). True when it stopped there.
   */
  async runUntilAfter(hit: () => boolean, ms: number): Promise<boolean> {
    const until = this.t + ms;
    await this.drain();
    for (let e = this.next(until); e; e = this.next(until)) {
      await this.runOne(e);
      if (hit()) return true;
    }
    this.t = until;
    await this.drain();
    return false;
  }

  /** Runs events until `p` settles (the work it waits on happens in virtual time); throws if it cannot. */
  async runUntil<T>(p: Promise<T>, limitMs = 24 * 3_600_000): Promise<T> {
    let settled = false;
    const watched = p.finally(() => {
      settled = true;
    });
    watched.catch(() => undefined);
    const until = this.t + limitMs;
    await this.drain();
    while (!settled) {
      const e = this.next(until);
      if (!e) throw new Error(`simulation stuck at ${this.now().toISOString()}: waiting on work that no event will ever finish`);
      await this.runOne(e);
    }
    return watched;
  }

  /** Pending events (diagnostics). */
  pending(): number {
    return this.queue.filter((e) => !e.cancelled).length;
  }

  traceHash(): string {
    return createHash('sha256').update(this.trace.join('\n')).digest('hex');
  }
}
