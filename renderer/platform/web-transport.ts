// Types only: the contract's schemas (zod) stay out of the screen's initial JavaScript.
import type { ChannelName, Envelope, EventName, Transport } from '../../shared/contract';
import { CALL_SOCKET_PATH, CALL_SOCKET_PROTOCOL, parseCallAnswer } from '../../shared/contract/call-socket';
import { errorEnvelope, isEnvelope } from '../../shared/contract/errors';

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


const NOT_ANSWERING = 'The point-of-sale service is not answering. Is `npm run web` still running?';

/** Larger inputs (a file of rows) go over HTTP: the socket is for the desk's many small calls. */
const SOCKET_MAX_CHARS = 64 * 1024;
/** After a socket fails to open or drops, calls go over HTTP for this long before it is tried again. */
const SOCKET_RETRY_MS = 5_000;

/**
 * The calls' WebSocket (electron/web/socket.ts): opened by the first call, used once open. Until
 * then, and whenever it is down, calls go over HTTP, so opening it never delays a call. A call in
 * flight when the socket drops is answered "not answering", as a fetch cut off is: it is never
 * sent again by the transport, since the core may already have acted on it.
 */
class CallSocket {
  private ws: WebSocket | null = null;
  private open = false;
  private nextId = 1;
  private readonly pending = new Map<number, (e: Envelope<unknown>) => void>();
  private retryAt = 0;

  /** The answer's promise, or null when the socket cannot take this call now (use HTTP). */
  send(secret: string, channel: ChannelName, text: string): Promise<Envelope<unknown>> | null {
    if (!this.open || !this.ws) {
      this.connect(secret);
      return null;
    }
    if (text.length > SOCKET_MAX_CHARS) return null;
    const i = this.nextId++;
    const ws = this.ws;
    return new Promise((resolve) => {
      this.pending.set(i, resolve);
      ws.send(`{"i":${i},"c":${JSON.stringify(channel)},"d":${text}}`);
    });
  }

  private connect(secret: string): void {
    if (this.ws || Date.now() < this.retryAt || typeof WebSocket === 'undefined') return;
    const url = new URL(CALL_SOCKET_PATH, window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    let ws: WebSocket;
    try {
      ws = new WebSocket(url, [CALL_SOCKET_PROTOCOL, `k.${secret}`, `s.${sessionId()}`]);
    } catch {
      this.retryAt = Date.now() + SOCKET_RETRY_MS;
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      this.open = ws.protocol === CALL_SOCKET_PROTOCOL;
      if (!this.open) ws.close();
    };
    ws.onmessage = (ev: MessageEvent) => {
      const answer = typeof ev.data === 'string' ? parseCallAnswer(ev.data) : null;
      const done = answer ? this.pending.get(answer.i) : undefined;
      if (!answer || !done) return;
      this.pending.delete(answer.i);
      done(answer.e);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.open = false;
      this.retryAt = Date.now() + SOCKET_RETRY_MS;
      const cut = [...this.pending.values()];
      this.pending.clear();
      for (const done of cut) done(errorEnvelope('INTERNAL', NOT_ANSWERING));
    };
  }
}

const socket = new CallSocket();

async function call(channel: ChannelName, input: unknown): Promise<Envelope<unknown>> {
  const secret = sessionStorage.getItem(SECRET_KEY);
  if (!secret) return errorEnvelope('BAD_SENDER', 'Open the address printed by `npm run web`: it carries this launch\'s key.');
  const body = JSON.stringify(input ?? {});
  const viaSocket = socket.send(secret, channel, body);
  if (viaSocket) return viaSocket;
  let res: Response;
  try {
    res = await fetch(`/api/call/${encodeURIComponent(channel)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Pos-Secret': secret, 'X-Pos-Session': sessionId() },
      body,
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    return errorEnvelope('INTERNAL', NOT_ANSWERING);
  }
  // Refusals (401, 413, ...) carry an envelope too; anything else is reported by its status.
  const answer: unknown = await res.json().catch(() => null);
  return isEnvelope(answer) ? answer : errorEnvelope('INTERNAL', `Unexpected answer from the service (HTTP ${res.status}).`);
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
