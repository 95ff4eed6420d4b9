// Types only: the contract's schemas (zod) stay out of the screen's initial JavaScript.
import type { ChannelName, Envelope, EventName, Transport } from '../../shared/contract';

/**
 * Web mode's transport: the same contract as Electron's preload, over the local server.
 *
 * The per-launch secret arrives in the URL fragment (`#k=...`): a fragment is never sent to a
 * server, so it appears in no request line or log. It is moved to sessionStorage on load and
 * wiped from the address bar. Each tab makes its own session id (sessionStorage is per tab), so
 * two tabs are two sign-ins, like two windows.
 */

const SECRET_KEY = 'pos.web.secret';
const SESSION_KEY = 'pos.web.session';

function takeSecretFromFragment(): void {
  const hash = window.location.hash;
  if (!hash.startsWith('#k=')) return;
  const secret = new URLSearchParams(hash.slice(1)).get('k');
  if (secret) sessionStorage.setItem(SECRET_KEY, secret);
  window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
}

function sessionId(): string {
  let id = sessionStorage.getItem(SESSION_KEY);
  if (!id || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
    const bytes = crypto.getRandomValues(new Uint8Array(24));
    id = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    sessionStorage.setItem(SESSION_KEY, id);
  }
  return id;
}

function failure(code: 'BAD_SENDER' | 'INTERNAL', message: string): Envelope<never> {
  return { ok: false, error: { code, message } };
}

function isEnvelope(v: unknown): v is Envelope<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { ok?: unknown }).ok === 'boolean';
}

async function call(channel: ChannelName, input: unknown): Promise<Envelope<unknown>> {
  const secret = sessionStorage.getItem(SECRET_KEY);
  if (!secret) return failure('BAD_SENDER', 'Open the address printed by `npm run web`: it carries this launch\'s key.');
  let res: Response;
  try {
    res = await fetch(`/api/call/${encodeURIComponent(channel)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Pos-Secret': secret, 'X-Pos-Session': sessionId() },
      body: JSON.stringify(input ?? {}),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    return failure('INTERNAL', 'The point-of-sale service is not answering. Is `npm run web` still running?');
  }
  // Refusals (401, 413, ...) carry an envelope too; anything else is reported by its status.
  const body: unknown = await res.json().catch(() => null);
  return isEnvelope(body) ? body : failure('INTERNAL', `Unexpected answer from the service (HTTP ${res.status}).`);
}

type Listener = (payload: unknown) => void;

/**
 * One EventSource shared by all listeners, opened on the first and closed after the last.
 * EventSource retries by itself after a dropped connection, but gives up for good on an HTTP
 * error (e.g. the server restarted with a new secret); then we retry with a growing delay.
 */
class EventChannel {
  private readonly listeners = new Map<EventName, Set<Listener>>();
  private source: EventSource | null = null;
  /** The events the open source has a listener for: each added the first time someone listens to it. */
  private readonly heard = new Set<EventName>();
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private delayMs = 1000;

  on(event: EventName, listener: Listener): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    this.ensureOpen();
    this.hear(event);
    return () => {
      set.delete(listener);
      if (this.count() === 0) this.stop();
    };
  }

  private count(): number {
    let n = 0;
    for (const s of this.listeners.values()) n += s.size;
    return n;
  }

  private ensureOpen(): void {
    if (this.source || this.retryTimer) return;
    const secret = sessionStorage.getItem(SECRET_KEY);
    if (!secret) return;
    const es = new EventSource(`/api/events?k=${encodeURIComponent(secret)}&s=${encodeURIComponent(sessionId())}`);
    this.source = es;
    es.onopen = () => {
      this.delayMs = 1000;
    };
    es.onerror = () => {
      if (es.readyState !== EventSource.CLOSED) return; // the browser is reconnecting by itself
      es.close();
      this.source = null;
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        if (this.count() > 0) this.ensureOpen();
      }, this.delayMs);
      this.delayMs = Math.min(this.delayMs * 2, 30_000);
    };
    this.heard.clear();
    for (const name of this.listeners.keys()) this.hear(name);
  }

  private hear(name: EventName): void {
    const es = this.source;
    if (!es || this.heard.has(name)) return;
    this.heard.add(name);
    es.addEventListener(name, (e) => {
      let payload: unknown;
      try {
        payload = JSON.parse((e as MessageEvent<string>).data);
      } catch {
        return;
      }
      for (const l of this.listeners.get(name) ?? []) {
        try {
          l(payload);
        } catch {
          /* one screen's bug does not stop the others from hearing the event */
        }
      }
    });
  }

  private stop(): void {
    this.source?.close();
    this.source = null;
    this.heard.clear();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}

export function createWebTransport(): Transport {
  takeSecretFromFragment();
  const events = new EventChannel();
  return { call, on: (event, listener) => events.on(event, listener) };
}
