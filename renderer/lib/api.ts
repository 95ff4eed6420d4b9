import type { ChannelName, ContractErrorShape, CoreText, Envelope, ErrorCode, EventName, EventPayload, InputOf, OutputOf } from '../../shared/contract';
import { getPos } from '../platform/pos';

/** A refused call: the envelope's error, thrown so screens can `try/catch` one way. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly fields: Record<string, string>;
  /** The core's sentence as a key and params, for the screen's language (lib/core-text.ts). */
  readonly text: CoreText | null;
  constructor(shape: ContractErrorShape) {
    super(shape.message);
    this.name = 'ApiError';
    this.code = shape.code;
    this.fields = shape.fields ?? {};
    this.text = shape.text ?? null;
  }
}

type RawCall = (input: unknown) => Promise<Envelope<unknown>>;
type SessionListener = (code: 'SESSION_LOCKED' | 'UNAUTHENTICATED') => void;

const sessionListeners = new Set<SessionListener>();

/** The session store learns here that the core locked or signed us out (idle, elsewhere). */
export function onSessionLost(listener: SessionListener): () => void {
  sessionListeners.add(listener);
  return () => sessionListeners.delete(listener);
}

/**
 * Channels that never change a payment, an order or an operation: reads (`mutates: false` in the
 * contract) and the few writes of other records the desk makes on its own (the hosted card page's
 * session, the heartbeat). api.test.ts holds this list to the contract. Any other call may have
 * changed what Transactions shows: see `paymentsStamp`.
 */
export const LEAVES_PAYMENTS_ALONE: ReadonlySet<ChannelName> = new Set<ChannelName>([
  'session.status', 'session.touch', 'session.users', 'settings.get', 'sync.status', 'shop.status',
  'payments.list', 'payments.get', 'payments.expiringSummary', 'payments.hostedForm', 'payments.hostedResult',
  'links.expiringSummary', 'customers.search', 'customers.get', 'catalog.search', 'catalog.byBarcode', 'printing.state',
]);

let stamp = 0;
const stampListeners = new Set<() => void>();

/**
 * Moves on whenever the payments may have changed under what this window shows: a call that can
 * change them finished (whatever its answer), the queue moved, or another desk's records arrived.
 * A list drawn ahead from rows read at an older stamp must not show them as current.
 */
export function paymentsStamp(): number {
  return stamp;
}
export function onPaymentsStamp(listener: () => void): () => void {
  stampListeners.add(listener);
  return () => stampListeners.delete(listener);
}
function paymentsMayHaveChanged(): void {
  stamp++;
  for (const l of stampListeners) l();
}

const ownCallListeners = new Set<() => void>();
/**
 * After each of this window's own payment or order calls that may have changed payments (not on
 * another desk's or the queue's news): the person just acted, so a read that follows is not
 * "looking" at an idle desk (which would lock it by the core's clock).
 */
export function onOwnPaymentCall(listener: () => void): () => void {
  ownCallListeners.add(listener);
  return () => ownCallListeners.delete(listener);
}

/**
 * Calls one contract channel through `getPos()` and unwraps the envelope: the value, or an
 * `ApiError` with the stable code. Network failures of the transport become `INTERNAL`.
 */
export async function call<K extends ChannelName>(name: K, input: InputOf<K>): Promise<OutputOf<K>> {
  const [area, action] = name.split('.') as [string, string];
  const pos = getPos() as unknown as Record<string, Record<string, RawCall>>;
  const fn = pos[area]?.[action];
  if (!fn) throw new ApiError({ code: 'INTERNAL', message: `The app has no channel ${name}.` });
  let envelope: Envelope<unknown>;
  try {
    envelope = await fn(input);
  } catch (e) {
    throw new ApiError({ code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) });
  } finally {
    if (!LEAVES_PAYMENTS_ALONE.has(name)) {
      paymentsMayHaveChanged();
      if (area === 'payments' || area === 'orders') for (const l of ownCallListeners) l();
    }
  }
  if (!envelope.ok) {
    const code = envelope.error.code;
    if (code === 'SESSION_LOCKED' || code === 'UNAUTHENTICATED') {
      for (const l of sessionListeners) l(code);
    }
    throw new ApiError(envelope.error);
  }
  return envelope.value as OutputOf<K>;
}

export function subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  try {
    return getPos().on(event, listener);
  } catch {
    return () => undefined;
  }
}

/** A `shop.changed` that may change what Transactions shows. */
export function touchesPayments(tables: readonly string[]): boolean {
  return tables.some((x) => x === 'payments' || x === 'operations' || x === 'orders');
}

let watching = false;
/** Starts hearing the core's events that move `paymentsStamp` (once, by the first screen that reads it). */
export function watchPayments(): void {
  if (watching) return;
  watching = true;
  subscribe('sync.changed', paymentsMayHaveChanged);
  subscribe('shop.changed', ({ tables }) => {
    if (touchesPayments(tables)) paymentsMayHaveChanged();
  });
}

export function asApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  return new ApiError({ code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) });
}
