import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Envelope } from '../../shared/contract';
import { errorEnvelope } from '../../shared/contract/errors';
import { CALL_SOCKET_PATH, CALL_SOCKET_PROTOCOL, parseCallFrame, type CallAnswer } from '../../shared/contract/call-socket';
import { largestInputLimit, type Dispatch } from '../core/dispatch';
import { hostAllowed, originAllowed, secretMatches, SESSION_ID } from './guards';

/**
 * Web mode's call socket: the contract's calls over one WebSocket per tab, beside `POST
 * /api/call/<channel>` (which stays, and is what the page falls back to). A call over HTTP costs
 * Chromium ~8 ms of its own (a URL loader per request through the network service), a message on
 * an open socket ~2 ms (docs/decisions/web-mode-call-socket.md).
 *
 * The upgrade is checked like a call: Host, Origin, the launch's secret and the tab's session id.
 * A browser cannot set headers on a WebSocket, so the page offers them as subprotocols
 * (`pos.call.v1`, `k.<secret>`, `s.<session>`); the server answers with `pos.call.v1` only.
 */

export interface CallSocketOptions {
  hosts(): Set<string>;
  secret: string;
  /** The core once it is ready (the server's WebCore). */
  core(): { dispatch: Dispatch } | null;
  log?: { error(obj: object, msg?: string): void };
}

export interface CallSockets {
  /** Handles `upgrade` for CALL_SOCKET_PATH; false when the path is not ours. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  close(): void;
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** The offered subprotocols: `pos.call.v1`, `k.<secret>`, `s.<session>`. */
function offered(req: IncomingMessage): { version: boolean; secret?: string; session?: string } {
  const raw = req.headers['sec-websocket-protocol'];
  const list = typeof raw === 'string' ? raw.split(',').map((p) => p.trim()) : [];
  return {
    version: list.includes(CALL_SOCKET_PROTOCOL),
    secret: list.find((p) => p.startsWith('k.'))?.slice(2),
    session: list.find((p) => p.startsWith('s.'))?.slice(2),
  };
}

export function createCallSockets(opts: CallSocketOptions): CallSockets {
  // Per-message deflate off: the answers are small and loopback is fast; compression costs CPU.
  const wss = new WebSocketServer({ noServer: true, maxPayload: largestInputLimit() + 1024, perMessageDeflate: false, handleProtocols: () => CALL_SOCKET_PROTOCOL });

  function serve(ws: WebSocket, session: string, remote: string): void {
    ws.on('message', (data: RawData, isBinary: boolean) => {
      // A Buffer as received (binaryType 'nodebuffer'), read without a copy.
      const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      const frame = isBinary ? null : parseCallFrame(bytes.toString('utf8'));
      // Not our protocol at all: nothing can be answered, the page is broken or hostile.
      if (!frame) return ws.close(1008, 'Malformed call');
      const send = (envelope: Envelope<unknown>) => {
        if (ws.readyState !== ws.OPEN) return;
        const answer: CallAnswer = { i: frame.i, e: envelope };
        ws.send(JSON.stringify(answer));
      };
      // The dispatcher judges the channel, the input's size and shape, and the caller, as for HTTP.
      const core = opts.core();
      if (!core) return send(errorEnvelope('INTERNAL', 'Starting up: try again in a moment'));
      core.dispatch(frame.c, frame.d, { sessionKey: `web:${session}`, origin: `web:${remote}` }).then(send, (e: unknown) => {
        opts.log?.error({ err: e instanceof Error ? { name: e.name, message: e.message, stack: e.stack } : String(e) }, 'web socket call failed');
        send(errorEnvelope('INTERNAL', 'Something went wrong'));
      });
    });
    ws.on('error', () => ws.terminate());
  }

  return {
    upgrade(req, socket, head) {
      const path = (req.url ?? '').split('?')[0];
      if (path !== CALL_SOCKET_PATH) return false;
      socket.on('error', () => socket.destroy());
      const hosts = opts.hosts();
      if (!hostAllowed(req, hosts)) return (refuseUpgrade(socket, 421, 'Misdirected Request'), true);
      if (!originAllowed(req, hosts)) return (refuseUpgrade(socket, 403, 'Forbidden'), true);
      const o = offered(req);
      if (!o.version) return (refuseUpgrade(socket, 400, 'Bad Request'), true);
      if (!secretMatches(o.secret, opts.secret)) return (refuseUpgrade(socket, 401, 'Unauthorized'), true);
      if (!o.session || !SESSION_ID.test(o.session)) return (refuseUpgrade(socket, 400, 'Bad Request'), true);
      if (!opts.core()) return (refuseUpgrade(socket, 503, 'Service Unavailable'), true);
      const session = o.session;
      const remote = req.socket.remoteAddress ?? '?';
      wss.handleUpgrade(req, socket, head, (ws) => serve(ws, session, remote));
      return true;
    },
    close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
