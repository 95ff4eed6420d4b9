import { execFile } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * A PostgreSQL cluster of our own, started from the system's binaries (Debian's `postgresql`
 * package: /usr/lib/postgresql/15/bin), for tests and for trying a shop on one machine
 * (`npm run shop-server`). Not the production setup: a shop runs its own server
 * (docs/stations.md). initdb refuses to run as root, so as root the binaries run as the
 * `postgres` user on a data directory it owns.
 */

const run = promisify(execFile);

export const PG_BIN_DIR = process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';
/** The cluster's superuser; trust authentication on loopback only. */
export const LOCAL_CLUSTER_USER = 'pos';

export function pgBinariesPresent(binDir: string = PG_BIN_DIR): boolean {
  return ['initdb', 'pg_ctl', 'postgres'].every((b) => existsSync(join(binDir, b)));
}

export interface LocalClusterOptions {
  /** The cluster's data directory: created with initdb when it holds no cluster yet. */
  dataDir: string;
  /** Default: a free port on 127.0.0.1. */
  port?: number;
  /**
   * Tests: no fsync (a throwaway cluster; a restart or a SIGKILL of postgres still keeps every
   * commit, only a power cut would not).
   */
  throwaway?: boolean;
  binDir?: string;
  /**
   * TLS on (ssl=on) with this certificate and key (PEM files): copied into the data directory,
   * where PostgreSQL insists on owning the key with mode 0600. Tests of verify-full use it.
   */
  tls?: { certFile: string; keyFile: string };
}

export interface LocalCluster {
  readonly dataDir: string;
  readonly port: number;
  readonly user: string;
  /** postgres://pos@127.0.0.1:PORT/DB */
  url(database?: string): string;
  start(): Promise<void>;
  /** Fast shutdown: open connections are ended, every commit is kept. */
  stop(): Promise<void>;
  /** Stops the server and removes the data directory. */
  destroy(): Promise<void>;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** As root the binaries run as `postgres` (initdb refuses root); otherwise as ourselves. */
async function pgRun(binDir: string, bin: string, args: string[]): Promise<string> {
  const file = isRoot() ? 'runuser' : join(binDir, bin);
  const argv = isRoot() ? ['-u', 'postgres', '--', join(binDir, bin), ...args] : args;
  try {
    const { stdout } = await run(file, argv, { timeout: 60_000 });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`${bin} failed: ${(err.stderr ?? '').trim() || err.message}`, { cause: e });
  }
}

function postgresIds(): { uid: number; gid: number } | null {
  if (!isRoot()) return null;
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('Running as root needs a `postgres` user to run PostgreSQL as (Debian\'s postgresql package creates it)');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Creates the cluster if the directory holds none, then starts it and waits until it accepts connections. */
export async function startLocalCluster(opts: LocalClusterOptions): Promise<LocalCluster> {
  const binDir = opts.binDir ?? PG_BIN_DIR;
  if (!pgBinariesPresent(binDir)) {
    throw new Error(`PostgreSQL binaries not found in ${binDir} (install Debian's postgresql package, or set PG_BIN_DIR)`);
  }
  const dataDir = opts.dataDir;
  // The socket lives beside the data, not in /var/run/postgresql (which may not exist or be ours).
  const sockDir = join(dataDir, 'socket');
  const ids = postgresIds();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (ids) chownSync(dataDir, ids.uid, ids.gid);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    await pgRun(binDir, 'initdb', ['-D', dataDir, '-A', 'trust', '-U', LOCAL_CLUSTER_USER, '-E', 'UTF8', '--locale=C', ...(opts.throwaway ? ['--no-sync'] : [])]);
  }
  mkdirSync(sockDir, { recursive: true, mode: 0o700 });
  if (ids) chownSync(sockDir, ids.uid, ids.gid);
  if (opts.tls) {
    for (const [from, to] of [[opts.tls.certFile, 'server.crt'], [opts.tls.keyFile, 'server.key']] as const) {
      copyFileSync(from, join(dataDir, to));
      chmodSync(join(dataDir, to), 0o600);
      if (ids) chownSync(join(dataDir, to), ids.uid, ids.gid);
    }
  }
  let port = opts.port ?? (await freePort());
  const settings = [`-p ${port}`, `-k ${sockDir}`, '-c listen_addresses=127.0.0.1', ...(opts.throwaway ? ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off'] : []), ...(opts.tls ? ['-c ssl=on', '-c ssl_cert_file=server.crt', '-c ssl_key_file=server.key'] : [])];
  const start = async () => {
    await pgRun(binDir, 'pg_ctl', ['-D', dataDir, '-l', join(dataDir, 'server.log'), '-o', settings.join(' '), '-w', '-t', '60', 'start']);
  };
  const stop = async () => {
    if (!existsSync(join(dataDir, 'postmaster.pid'))) return;
    await pgRun(binDir, 'pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop']);
  };
  try {
    await start();
  } catch (e) {
    // The free port may have been taken between the probe and the start: try once more.
    if (opts.port !== undefined) throw e;
    port = await freePort();
    settings[0] = `-p ${port}`;
    await start();
  }
  return {
    dataDir,
    port,
    user: LOCAL_CLUSTER_USER,
    url: (database = 'postgres') => `postgres://${LOCAL_CLUSTER_USER}@127.0.0.1:${port}/${database}`,
    start,
    stop,
    destroy: async () => {
      await stop().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
