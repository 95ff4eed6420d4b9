import type { Gateway, Outcome } from '../../gateway/types';
import { startTimer, systemClock, type Clock, type Timer } from '../clock';

/**
 * Online / offline from real gateway calls plus a light probe (DESIGN "Offline-first").
 *
 *   - Any HTTP answer of a real call (approved, declined, 5xx, unreadable reply) → online.
 *   - A 'network' failure of a real call, or a failed probe → offline, at once.
 *   - A timeout says nothing by itself (the gateway may just be slow), so it probes at once: a
 *     gateway that is gone shows as offline within the probe's own timeout, not at the next tick.
 *   - Offline: probe with exponential backoff (1 s → 30 s); online: a probe every 3 s when no real
 *     call has been heard from in that time (a HEAD without a body: a clerk must not see "Online"
 *     for long while the gateway is down; issue #13 measured 15 s before).
 *
 * Transitions are reported to listeners (audit 'gateway.offline' / 'gateway.online' and the
 * 'sync.changed' event are wired in ./index.ts). Timers and staleness run on `timers` (real time
 * unless the simulation gives its virtual clock); timestamps for the ledger come from the core's Clock.
 */
export interface ConnectivityOptions {
  /** First probe delay after going offline; doubles up to probeMaxMs. */
  probeMinMs?: number;
  probeMaxMs?: number;
  /** Probe interval while online (skipped when a real call answered meanwhile). */
  onlineProbeMs?: number;
  /** ensureOnline() probes first when nothing was heard from the gateway for this long. */
  staleMs?: number;
  /** Whose time probes wait in and staleness is measured by (the simulation's virtual clock). */
  timers?: Clock;
}

export const DEFAULT_CONNECTIVITY: Required<ConnectivityOptions> = {
  probeMinMs: 1_000,
  probeMaxMs: 30_000,
  onlineProbeMs: 3_000,
  staleMs: 5_000,
  timers: systemClock,
};

export interface Transition {
  online: boolean;
  /** What showed it: 'probe', or the gateway call and its outcome. */
  cause: string;
}

type Listener = (t: Transition) => void;

export class Connectivity {
  readonly opts: Required<ConnectivityOptions>;
  /** The gateway to give the rest of the core: the same calls, observed. */
  readonly gateway: Gateway;
  private online = true;
  /** Whether we have ever heard (true after the first answer or probe). */
  private known = false;
  private lastContactMs = 0;
  private backoffMs: number;
  private timer: Timer | null = null;
  private probing: Promise<boolean> | null = null;
  private readonly listeners = new Set<Listener>();
  private started = false;
  private closed = false;

  constructor(
    private readonly raw: Gateway,
    opts: ConnectivityOptions = {},
  ) {
    this.opts = { ...DEFAULT_CONNECTIVITY, ...opts };
    this.backoffMs = this.opts.probeMinMs;
    this.gateway = this.observe(raw);
  }

  private nowMs(): number {
    return this.opts.timers.now().getTime();
  }

  isOnline(): boolean {
    return this.online;
  }

  onTransition(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** First probe now, then the schedule above. */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    void this.probe();
  }

  close(): void {
    this.closed = true;
    if (this.timer) this.timer.clear();
    this.timer = null;
  }

  /**
   * For a caller about to send: false when known offline; when online but nothing was heard for
   * staleMs (or never), a probe decides first, so an operation is queued rather than sent into a
   * dead connection (whose reset could not prove that nothing was sent).
   */
  async ensureOnline(): Promise<boolean> {
    if (!this.online) return false;
    if (!this.known || this.nowMs() - this.lastContactMs > this.opts.staleMs) return this.probe();
    return true;
  }

  /** One probe at a time; concurrent callers share it. */
  probe(): Promise<boolean> {
    this.probing ??= (async () => {
      let ok: boolean;
      try {
        ok = await this.raw.probe();
      } catch {
        ok = false;
      }
      if (ok) this.heard('probe');
      else this.lost('probe');
      return ok;
    })().finally(() => {
      this.probing = null;
    });
    return this.probing;
  }

  /** A real call got an HTTP answer. */
  heard(cause: string): void {
    this.lastContactMs = this.nowMs();
    this.known = true;
    this.backoffMs = this.opts.probeMinMs;
    if (!this.online) this.set(true, cause);
    // Online with a probe already due: it sees this contact when it fires and waits longer (one
    // timer per gateway answer was a measurable share of forwarding 10,000 operations).
    else if (!this.timer) this.schedule(this.opts.onlineProbeMs);
  }

  /** A real call or the probe could not reach the gateway. */
  lost(cause: string): void {
    this.known = true;
    if (this.online) {
      this.backoffMs = this.opts.probeMinMs;
      this.set(false, cause);
    } else {
      this.backoffMs = Math.min(this.backoffMs * 2, this.opts.probeMaxMs);
      this.schedule(this.backoffMs);
    }
  }

  private set(online: boolean, cause: string): void {
    this.online = online;
    this.schedule(online ? this.opts.onlineProbeMs : this.backoffMs);
    for (const l of this.listeners) {
      try {
        l({ online, cause });
      } catch {
        /* a listener never breaks connectivity */
      }
    }
  }

  private schedule(ms: number): void {
    if (this.closed || !this.started) return;
    if (this.timer) this.timer.clear();
    this.timer = startTimer(this.opts.timers, () => {
      this.timer = null;
      // Online and a real call answered recently: no need to probe yet.
      if (this.online && this.nowMs() - this.lastContactMs < this.opts.onlineProbeMs) {
        this.schedule(this.opts.onlineProbeMs - (this.nowMs() - this.lastContactMs));
        return;
      }
      void this.probe();
    }, Math.max(ms, 1));
  }

  private note(method: string, outcome: Outcome<unknown>): void {
    if (outcome.kind === 'pending') {
      if (outcome.reason === 'network') this.lost(`${method}: ${outcome.detail}`.slice(0, 200));
      else if (outcome.reason === 'timeout') void this.probe(); // slow, or gone: the probe tells which
      else this.heard(method); // an HTTP answer, even a bad one
      return;
    }
    this.heard(method);
  }

  private observe(raw: Gateway): Gateway {
    const seen = <T>(method: string, p: Promise<Outcome<T>>): Promise<Outcome<T>> =>
      p.then((outcome) => {
        this.note(method, outcome);
        return outcome;
      });
    return {
      get name() {
        return raw.name;
      },
      get isSandbox() {
        return raw.isSandbox;
      },
      hostedForm: (req) => raw.hostedForm(req),
      verifyTokenizationReturn: (params) => raw.verifyTokenizationReturn(params),
      authorize: (req) => seen('authorize', raw.authorize(req)),
      purchase: (req) => seen('purchase', raw.purchase(req)),
      capture: (req) => seen('capture', raw.capture(req)),
      voidAuthorization: (req) => seen('voidAuthorization', raw.voidAuthorization(req)),
      refund: (req) => seen('refund', raw.refund(req)),
      checkStatus: (req) => seen('checkStatus', raw.checkStatus(req)),
      updateToken: (req) => seen('updateToken', raw.updateToken(req)),
      startConfirmation: (req) => seen('startConfirmation', raw.startConfirmation(req)),
      getConfirmation: (id) => seen('getConfirmation', raw.getConfirmation(id)),
      probe: () => this.probe(),
    };
  }
}
