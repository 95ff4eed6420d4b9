/**
 * `npm start`: builds the screen (vite) and the Electron bundles, then launches Electron on them.
 *
 * Where the Electron binary is not installed (our build machines: its postinstall download is
 * denied), it says so in ONE line, points to web mode and exits 0: a missing optional runtime is
 * not a failure of the project, and `npm start` in CI must not turn red for it. The check runs
 * before the build so nobody waits for a build they cannot run.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const MISSING_BINARY_MESSAGE = "Electron's binary is not installed here; run the app in a browser with: npm run web";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface LocateDeps {
  /** Directory of the installed `electron` npm package, or null when it is not installed. */
  packageDir: string | null;
  env: NodeJS.ProcessEnv;
  exists: (p: string) => boolean;
  readText: (p: string) => string;
}

/**
 * The path of the Electron executable, or null. This mirrors what `require('electron')` computes
 * (path.txt + dist/, or ELECTRON_OVERRIDE_DIST_PATH) WITHOUT requiring it: since Electron 36ish,
 * requiring the package when the binary is missing starts a download, which here would only fail
 * noisily after a network timeout.
 */
export function locateElectron(deps: LocateDeps): string | null {
  if (!deps.packageDir) return null;
  const pathFile = path.join(deps.packageDir, 'path.txt');
  const exe = deps.exists(pathFile) ? deps.readText(pathFile).trim() : '';
  const override = deps.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const bin = path.join(override, exe || 'electron');
    return deps.exists(bin) ? bin : null;
  }
  if (!exe) return null;
  const bin = path.join(deps.packageDir, 'dist', exe);
  return deps.exists(bin) ? bin : null;
}

function electronPackageDir(): string | null {
  try {
    return path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const bin = locateElectron({ packageDir: electronPackageDir(), env: process.env, exists: existsSync, readText: (p) => readFileSync(p, 'utf8') });
  if (!bin) {
    console.log(MISSING_BINARY_MESSAGE);
    return;
  }
  const { build } = await import('vite');
  await build({ configFile: path.join(ROOT, 'vite.config.ts'), root: path.join(ROOT, 'renderer'), logLevel: 'warn', mode: 'production' });
  const { buildElectron } = await import('./build-electron');
  await buildElectron();
  const child = spawn(bin, [ROOT, ...process.argv.slice(2)], { stdio: 'inherit', cwd: ROOT, env: { ...process.env, NODE_ENV: 'development' } });
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
