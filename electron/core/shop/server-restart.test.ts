import pg from 'pg';
import { expect, it } from 'vitest';
import { ShopServer } from './server-client';
import { describePg, usePg } from './test-pg';

/**
 * PostgreSQL restarted (fast shutdown: "terminating connection due to administrator command")
 * while a desk's calls are in flight: every call fails or succeeds, nothing kills the process.
 * A client emitting 'error' with no listener would; that once ended a soak desk at start-up (the
 * pool handed a client to the schema check inside the chunk that ended it, server-client.ts).
 */
describePg('shop server restarted under load', () => {
  const harness = usePg();

  it('calls of every kind, restarts in between: no client error goes unheard, the server answers after', async () => {
    const unheard: string[] = [];
    const emit = pg.Client.prototype.emit;
    // Caught here rather than as the process's uncaught exception, so the test names it.
    pg.Client.prototype.emit = function (this: pg.Client, event: string | symbol, ...args: unknown[]) {
      if (event === 'error' && this.listenerCount('error') === 0) {
        unheard.push(String((args[0] as Error).message));
        return true;
      }
      return emit.call(this, event, ...args);
    };
    const srv = new ShopServer({ connectionString: await harness.freshDatabase(), connectTimeoutMs: 2_000, poolSize: 2 });
    try {
      await srv.migrate();
      let stop = false;
      let ok = 0;
      const loop = async (fn: () => Promise<unknown>) => {
        while (!stop) {
          await fn().then(
            () => ok++,
            () => new Promise((r) => setTimeout(r, 20)),
          );
        }
      };
      let unlisten: (() => Promise<void>) | null = null;
      const listen = async () => {
        unlisten ??= await srv.listen(
          () => undefined,
          () => {
            const u = unlisten;
            unlisten = null;
            void u?.();
          },
        );
        await new Promise((r) => setTimeout(r, 30));
      };
      // More callers than connections: a client released by one is handed straight to a waiting one.
      const loops = [loop(() => srv.latestSeq()), loop(() => srv.latestSeq()), loop(() => srv.stations()), loop(() => srv.migrate()), loop(() => srv.heartbeat('st-x', 0)), loop(listen)];
      for (let i = 0; i < 8; i++) {
        await new Promise((r) => setTimeout(r, 300 + ((i * 397) % 700)));
        await harness.cluster().stop();
        await new Promise((r) => setTimeout(r, 200 + ((i * 211) % 600)));
        await harness.cluster().start();
      }
      stop = true;
      await Promise.all(loops);
      await (unlisten as (() => Promise<void>) | null)?.();
      expect(unheard).toEqual([]);
      expect(ok).toBeGreaterThan(100);
      expect(await srv.latestSeq()).toBe(0);
    } finally {
      pg.Client.prototype.emit = emit;
      await srv.close();
    }
  }, 90_000);
});
