import type { ServerResponse } from 'node:http';
import { EVENT_NAMES } from '../../shared/contract';
import type { CoreEvents } from '../core/events';

/**
 * Forwards the core's contract events to every open EventSource. One subscription per event name
 * for the whole server (not per client), so a reconnecting page never leaks core listeners.
 */
export class EventHub {
  private readonly clients = new Set<ServerResponse>();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly heartbeat: NodeJS.Timeout;

  constructor(heartbeatMs = 15_000) {
    // Comments keep idle proxies and the browser from dropping the stream.
    this.heartbeat = setInterval(() => this.broadcast(': ping\n\n'), heartbeatMs);
    this.heartbeat.unref();
  }

  /** Starts forwarding a core's events (once the core is up). */
  subscribe(events: CoreEvents): void {
    for (const name of EVENT_NAMES) {
      this.unsubscribe.push(events.on(name, (payload) => this.broadcast(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`)));
    }
  }

  attach(res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    // The browser waits this long before reconnecting after a drop.
    res.write('retry: 2000\n: connected\n\n');
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
  }

  get size(): number {
    return this.clients.size;
  }

  private broadcast(text: string): void {
    for (const res of this.clients) {
      if (!res.writableEnded) res.write(text);
    }
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const u of this.unsubscribe) u();
    for (const res of this.clients) res.end();
    this.clients.clear();
  }
}
