import { spawn } from 'node:child_process';
import { basename, join, resolve } from 'node:path';
import { build } from 'esbuild';
import { nodeBundleOptions } from '../../scripts/build-web';
import { ROOT } from './dataset';
import { MARK } from './emit';

/**
 * The script built as web mode is (one ES module for plain `node`, scripts/build-web.ts), so a
 * child that measures the core's process is launched like the product's. Written to bench/.cache/
 * (the same depth as bench/lib/, for modules that find the checkout from their own file).
 */
const bundles = new Map<string, Promise<string>>();

/** Once per script and bench run (the lookup and memory suites launch the same child three times). */
function bundleLikeWebMode(script: string): Promise<string> {
  let built = bundles.get(script);
  if (!built) {
    const out = join(ROOT, 'bench/.cache', basename(script).replace(/\.ts$/, '.mjs'));
    built = build(nodeBundleOptions(resolve(ROOT, script), out)).then(() => out);
    bundles.set(script, built);
  }
  return built;
}

/**
 * Runs a bench script in its own Node process (so its memory and CPU are its own) and returns
 * what it emitted. stderr is passed through as progress. `bundled`: built and launched like web
 * mode, with these Node flags (web mode's are WEB_NODE_FLAGS); otherwise run through tsx.
 */
export async function runChild<T>(script: string, args: string[] = [], opts: { timeoutMs?: number; nodeArgs?: string[]; bundled?: { nodeFlags: readonly string[] } } = {}): Promise<T> {
  const launch = opts.bundled ? [...opts.bundled.nodeFlags, await bundleLikeWebMode(script)] : ['--import', 'tsx', script];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), ...launch, ...args], {
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
