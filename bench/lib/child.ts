import { spawn } from 'node:child_process';
import { ROOT } from './dataset';

const MARK = 'BENCH_JSON=';

/** Child side: hand the parent one JSON value. */
export function emit(value: unknown): void {
  process.stdout.write(`${MARK}${JSON.stringify(value)}\n`);
}

/**
 * Runs a bench script in its own Node process (so its memory and CPU are its own) and returns
 * what it emitted. stderr is passed through as progress.
 */
export function runChild<T>(script: string, args: string[] = [], opts: { timeoutMs?: number; nodeArgs?: string[] } = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', script, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} took longer than ${opts.timeoutMs} ms`));
    }, opts.timeoutMs ?? 300_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith(MARK));
      if (code !== 0 || !line) return reject(new Error(`${script} exited with ${code}${line ? '' : ' without a result'}`));
      resolve(JSON.parse(line.slice(MARK.length)) as T);
    });
  });
}
