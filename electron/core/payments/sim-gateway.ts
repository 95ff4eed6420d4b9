/**
 * The simulated gateway of the deterministic simulation (test support, not product code): the
 * embedded sandbox's own logic (handleApiBody, its store, rules and fault registry) reached
 * in-process through the APS adapter's transport seam (ApsGatewayConfig.exchange), with the same
 * JSON bodies, signatures and response parsing as over HTTP. What HTTP and the network would add
 * comes from the seed, in virtual time (sim-scheduler.ts):
 *
 *   - latency each way; a reply later than the adapter's timeout is a timeout (the gateway has
 *     still processed the request);
 *   - a lost request (never processed: timeout) and a lost reply (processed: timeout);
 *   - a duplicated request (a charge or a status check delivered twice: the second charge meets
 *     "reference already exists", and whichever reply comes first is the answer);
 *   - the sandbox's injected faults (timeouts and resets before / after the commit, 5xx,
 *     truncated bodies, bad signatures, latency), with the same meaning as in routes/payment-api.ts;
 *   - unreachable: the connection is refused.
 *
 * Gateway-side events (processing a request that arrived) survive a station crash; replies and
 * timeouts do not. The real-HTTP tests (payments.test.ts, sync.test.ts, the sandbox's own tests)
 * keep covering the HTTP layer itself.
 */
import { sign } from '../../gateway/aps/signature';
import type { HttpRequest, TransportResult } from '../../gateway/aps/transport';
import { cardBin, maskPan, panFingerprint } from '../../gateway/sandbox/cards';
import { OffsetClock } from '../../gateway/sandbox/clock';
import { result, STATUS } from '../../gateway/sandbox/codes';
import { createControl, type ControlState } from '../../gateway/sandbox/control';
import { DEFAULT_LATENCY_MS, FaultRegistry } from '../../gateway/sandbox/faults';
import { DEFAULT_MERCHANT } from '../../gateway/sandbox/merchants';
import { handleApiBody, type ApiContext, type ApiResponse } from '../../gateway/sandbox/payment-api';
import { Store } from '../../gateway/sandbox/store';
import type { SandboxControl } from '../../gateway/sandbox/types';
import type { SimScheduler } from './sim-scheduler';

export interface NetworkProfile {
  /** One-way latency is drawn from 1..maxLatencyMs. */
  maxLatencyMs: number;
  /** Per mille of requests lost on the way (never processed). */
  requestLoss: number;
  /** Per mille of replies lost on the way back (processed, never answered). */
  replyLoss: number;
  /** Per mille of charges / status checks delivered twice. */
  duplicate: number;
}

/** The sandbox clock reading the simulation's virtual time (plus the sandbox's own offset, if moved). */
class VirtualSandboxClock extends OffsetClock {
  constructor(private readonly sched: SimScheduler) {
    super(0, () => undefined);
  }
  override now(): Date {
    return new Date(this.nowMs());
  }
  override nowMs(): number {
    return this.sched.nowMs() + this.offset;
  }
}

const REFUSED = 'fetch failed: ECONNREFUSED: connect ECONNREFUSED (simulated: gateway unreachable)';
const RESET = 'fetch failed: ECONNRESET: socket hang up (simulated)';
/** A transport result before its duration is known. */
type Reply = TransportResult extends infer R ? (R extends TransportResult ? Omit<R, 'durationMs'> : never) : never;

const DUPLICABLE = new Set(['AUTHORIZATION', 'PURCHASE', 'CHECK_STATUS']);

export class SimGateway {
  readonly store = new Store();
  readonly clock: VirtualSandboxClock;
  readonly faults: FaultRegistry;
  readonly state: ControlState = { reachable: true };
  readonly control: SandboxControl;
  private readonly ctx: ApiContext;
  private readonly names = new Map<string, string>();
  /** Requests processed by the gateway, in all and per command. */
  processed = 0;
  readonly processedBy = new Map<string, number>();

  constructor(
    private readonly sched: SimScheduler,
    private readonly random: () => number,
    readonly profile: NetworkProfile,
  ) {
    this.clock = new VirtualSandboxClock(sched);
    this.faults = new FaultRegistry(random);
    this.control = createControl(this.store, this.clock, this.faults, this.state);
    this.ctx = { store: this.store, clock: this.clock, merchants: new Map([[DEFAULT_MERCHANT.merchantIdentifier, DEFAULT_MERCHANT]]) };
    this.store.secret();
  }

  /** A stable short name for a reference (the trace must not carry random references). */
  name(reference: string | undefined, prefix = 'R'): string {
    if (!reference) return '-';
    let n = this.names.get(reference);
    if (!n) {
      n = `${prefix}${this.names.size + 1}`;
      this.names.set(reference, n);
    }
    return n;
  }

  private latency(): number {
    return 1 + Math.floor(this.random() * this.profile.maxLatencyMs);
  }

  private chance(perMille: number): boolean {
    return this.random() * 1000 < perMille;
  }

  /** The transport seam of the APS adapter: one exchange, in virtual time. */
  readonly exchange = (req: HttpRequest): Promise<TransportResult> =>
    new Promise<TransportResult>((resolve) => {
      const { sched } = this;
      const started = sched.nowMs();
      let done = false;
      const finish = (r: TransportResult): void => {
        if (done) return;
        done = true;
        timeout.clear();
        resolve(r);
      };
      const duration = (): number => sched.nowMs() - started;
      const timeout = sched.schedule(req.timeoutMs, 'station', 'client timeout', () => finish({ kind: 'timeout', detail: `no response within ${req.timeoutMs} ms`, durationMs: duration() }));
      /** The reply reaches the station after `ms` (a station event: it dies with a crash). */
      const reply = (ms: number, label: string, r: Reply): void => {
        sched.schedule(ms, 'station', label, () => finish({ ...r, durationMs: duration() }));
      };
      const up = this.latency();
      if (!this.state.reachable) return reply(up, 'connection refused', { kind: 'network', detail: REFUSED });
      if (req.method !== 'POST') return reply(up + this.latency(), 'probe answered', { kind: 'response', status: 405, body: '' });

      let body: Record<string, unknown>;
      try {
        body = JSON.parse(req.body ?? '') as Record<string, unknown>;
      } catch {
        return reply(up, 'unparsable request', { kind: 'response', status: 200, body: JSON.stringify(result('00', '073')) });
      }
      const command = String(body['command'] ?? body['query_command'] ?? body['service_command'] ?? '');
      const ref = this.name(typeof body['merchant_reference'] === 'string' ? body['merchant_reference'] : undefined);
      const mref = typeof body['maintenance_reference'] === 'string' ? ` ${this.name(body['maintenance_reference'], 'M')}` : '';
      const what = `${command} ${ref}${mref}${body['amount'] !== undefined ? ` ${String(body['amount'])}` : ''}`;
      if (this.chance(this.profile.requestLoss)) {
        sched.note(`net lost request ${what}`);
        return;
      }
      const fault = this.faults.take({ command, merchantReference: typeof body['merchant_reference'] === 'string' ? body['merchant_reference'] : undefined, merchantIdentifier: typeof body['merchant_identifier'] === 'string' ? body['merchant_identifier'] : undefined });
      const copies = DUPLICABLE.has(command) && this.chance(this.profile.duplicate) ? 2 : 1;
      for (let copy = 0; copy < copies; copy++) {
        const arrive = copy === 0 ? up : up + this.latency();
        sched.schedule(arrive, 'gateway', `gateway receives ${what}${copy ? ' (duplicate)' : ''}`, () => this.arrive(what, body, copy === 0 ? fault : undefined, reply));
      }
    });

  /** At the gateway: the fault's part before the commit, the commit, the fault's part after it, the reply. */
  private arrive(what: string, body: Record<string, unknown>, fault: ReturnType<FaultRegistry['take']>, reply: (ms: number, label: string, r: Reply) => void): void {
    const down = this.latency();
    if (!this.state.reachable) return reply(down, `reset ${what}`, { kind: 'network', detail: RESET });
    const hold = fault?.delayMs ?? 0;
    switch (fault?.kind) {
      case 'timeout_before_commit':
        this.sched.note(`fault ${fault.kind} ${what}`);
        return; // held until the client gives up; never processed
      case 'reset_before_commit':
        return reply(hold + down, `fault ${fault.kind} ${what}`, { kind: 'network', detail: RESET });
      case 'http_500':
      case 'http_503': {
        const status = fault.kind === 'http_500' ? 500 : 503;
        return reply(hold + down, `fault ${fault.kind} ${what}`, { kind: 'response', status, body: `<html><body><h1>${status}</h1></body></html>` });
      }
      case 'latency':
        // The delay happens before the commit, as in the HTTP route.
        this.sched.schedule(fault.delayMs ?? DEFAULT_LATENCY_MS, 'gateway', `gateway late ${what}`, () => this.commit(what, body, undefined, reply));
        return;
      default:
        return this.commit(what, body, fault, reply);
    }
  }

  private commit(what: string, body: Record<string, unknown>, fault: ReturnType<FaultRegistry['take']>, reply: (ms: number, label: string, r: Reply) => void): void {
    const response: ApiResponse = handleApiBody(this.ctx, body);
    this.processed++;
    const command = what.split(' ')[0]!;
    this.processedBy.set(command, (this.processedBy.get(command) ?? 0) + 1);
    const code = response['response_code'] ?? '?';
    this.sched.note(`gateway processed ${what} → ${code}${response['transaction_status'] ? ` status ${response['transaction_status']}` : ''}`);
    const down = this.latency() + (fault?.delayMs ?? 0);
    switch (fault?.kind) {
      case 'timeout_after_commit':
        return; // processed, never answered
      case 'reset_after_commit':
        return reply(down, `fault ${fault.kind} ${what}`, { kind: 'network', detail: RESET });
      case 'truncated': {
        const text = JSON.stringify(response);
        return reply(down, `fault ${fault.kind} ${what}`, { kind: 'truncated', status: 200, detail: `body cut at ${Math.floor(text.length / 2)} of ${text.length} bytes (simulated)` });
      }
      case 'bad_signature': {
        const sig = response['signature'] ?? '';
        const bad = sig ? `${sig[0] === '0' ? '1' : '0'}${sig.slice(1)}` : '0'.repeat(64);
        return reply(down, `fault ${fault.kind} ${what}`, { kind: 'response', status: 200, body: JSON.stringify({ ...response, signature: bad }) });
      }
      default:
        if (this.chance(this.profile.replyLoss)) {
          this.sched.note(`net lost reply ${what}`);
          return;
        }
        return reply(down, `reply ${what} → ${code}`, { kind: 'response', status: 200, body: JSON.stringify(response) });
    }
  }

  /**
   * What the sandbox's hosted page returns for a card it tokenized (hosted-page.ts `tokenize` +
   * `deliver`): the token in the sandbox's store and the signed return fields for the station.
   */
  tokenizationReturn(formFields: Record<string, string>, pan = '4005550000000001'): Record<string, string> {
    const m = DEFAULT_MERCHANT;
    const tokenName = `simtok${this.store.listOrders().length}${pan.slice(-4)}`;
    const nowMs = this.clock.nowMs();
    this.store.upsertToken({
      merchant_identifier: m.merchantIdentifier,
      token_name: tokenName,
      pan_hmac: panFingerprint(pan, this.store.secret()),
      card_bin: cardBin(pan),
      masked_card: maskPan(pan),
      brand: 'VISA',
      expiry_date: '3005',
      holder_name: 'Sim Holder',
      status: 'ACTIVE',
      behaviour: 'approve',
      created_at_ms: nowMs,
      updated_at_ms: nowMs,
    });
    const { signature: _ignored, ...echo } = formFields;
    const fields: Record<string, string> = {
      ...echo,
      token_name: tokenName,
      card_number: maskPan(pan),
      card_bin: cardBin(pan),
      expiry_date: '3005',
      card_holder_name: 'Sim Holder',
      remember_me: 'YES',
      payment_option: 'VISA',
      ...result(STATUS.TOKENIZATION_SUCCESS, '000'),
    };
    return { ...fields, signature: sign(fields, m.responsePhrase, m.shaType) };
  }

  close(): void {
    this.store.close();
  }
}
