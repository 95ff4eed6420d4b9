/**
 * The sandbox gateway in its own Node process, for the forward suite. A real gateway is remote:
 * run in the bench's own thread, the sandbox's HTTP parsing, signing and SQLite work would be
 * charged to the core (one JavaScript thread, synchronous SQLite). Same sandbox, same options
 * (in memory, no added latency), reached over loopback HTTP; its test controls through its
 * `/__sandbox/` routes. `BENCH_SANDBOX=inprocess` keeps the old in-process arrangement
 * (diagnostic).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startSandbox } from '../../electron/gateway/sandbox';
import type { SandboxOrder } from '../../electron/gateway/sandbox/types';
import { ROOT } from './dataset';

export interface BenchSandbox {
  where: 'child process' | 'in process';
  url: string;
  paymentApiUrl: string;
  paymentPageUrl: string;
  setReachable(reachable: boolean): Promise<void>;
  operationCount(): Promise<number>;
  orders(): Promise<SandboxOrder[]>;
  close(): Promise<void>;
}

const MARK = 'SANDBOX_URL=';

/** Child side (`node --import tsx bench/lib/sandbox-process.ts child`). */
async function child(): Promise<void> {
  const sb = await startSandbox({ port: 0 });
  process.stdout.write(`${MARK}${sb.url}\n`);
  const stop = () => void sb.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.stdin.on('end', stop); // the parent went away
  process.stdin.resume();
}

export async function startBenchSandbox(): Promise<BenchSandbox> {
  if (process.env.BENCH_SANDBOX === 'inprocess') {
    const sb = await startSandbox({ port: 0 });
    return {
      where: 'in process',
      url: sb.url,
      paymentApiUrl: sb.paymentApiUrl,
      paymentPageUrl: sb.paymentPageUrl,
      setReachable: (r) => Promise.resolve(sb.control.setReachable(r)),
      operationCount: () => Promise.resolve(sb.control.operationCount()),
      orders: () => Promise.resolve(sb.control.orders()),
      close: () => sb.close(),
    };
  }
  const proc: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/lib/sandbox-process.ts'), 'child'], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('sandbox child did not start within 30 s')), 30_000);
    proc.stdout!.setEncoding('utf8');
    proc.stdout!.on('data', (d: string) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith(MARK));
      if (line) {
        clearTimeout(timer);
        resolve(line.slice(MARK.length).trim());
      }
    });
    proc.on('exit', (code) => reject(new Error(`sandbox child exited with ${code}`)));
  });
  const json = async <T>(path: string, init?: RequestInit): Promise<T> => {
    // Every control call is idempotent; one retry after a network error (under heavy load a
    // kept-alive connection the child had already closed failed the forward suite twice).
    const r = await fetch(`${url}${path}`, init).catch(async (e: unknown) => {
      if (!(e instanceof TypeError)) throw e;
      await new Promise((res) => setTimeout(res, 200));
      return fetch(`${url}${path}`, init);
    });
    if (!r.ok) throw new Error(`sandbox ${path}: HTTP ${r.status}`);
    return (await r.json()) as T;
  };
  return {
    where: 'child process',
    url,
    paymentApiUrl: `${url}/FortAPI/paymentApi`,
    paymentPageUrl: `${url}/FortAPI/paymentPage`,
    async setReachable(reachable) {
      await json('/__sandbox/reachable', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ reachable }) });
    },
    operationCount: async () => (await json<{ operations: number }>('/__sandbox/health')).operations,
    orders: async () => (await json<{ orders: SandboxOrder[] }>('/__sandbox/orders')).orders,
    close: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}

if (process.argv[2] === 'child' && process.argv[1]?.endsWith('sandbox-process.ts')) void child();
