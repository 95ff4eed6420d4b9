/**
 * Bundles the Electron side (part of `npm run build`, after `vite build`):
 *   electron/main/main.ts        → dist-electron/main.cjs
 *   electron/preload/preload.ts  → dist-electron/preload.cjs
 *   electron/preload/unlock-preload.ts → dist-electron/unlock-preload.cjs (the unlock window's)
 * CommonJS because Electron loads main as CJS here and a sandboxed preload must be a single CJS
 * file (it cannot require our modules). 'electron' is provided by the runtime; the native modules
 * (SQLite, and @napi-rs/canvas for the receipt image) stay external so their .node binaries are
 * loaded from node_modules (unpacked from asar).
 */
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { CHANNEL_NAMES, EVENT_CHANNEL, EVENT_NAMES } from '../shared/contract/channels';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = path.join(ROOT, 'dist-electron');

const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22', // Electron 45 ships Node 22
  sourcemap: false,
  minify: false, // readable stack traces in support logs matter more than bytes here
  legalComments: 'none',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
};

/**
 * The preload needs only the channel and event NAMES, not the zod schemas behind them. This swaps
 * the contract module for its names, computed from the same declaration at build time, which
 * keeps zod (and ~750 KB) out of every window's preload.
 */
export const contractNamesOnly: Plugin = {
  name: 'contract-names-only',
  setup(b) {
    b.onResolve({ filter: /shared[\\/]contract[\\/]channels$/ }, (args) => ({ path: args.path, namespace: 'contract-names' }));
    b.onLoad({ filter: /.*/, namespace: 'contract-names' }, () => ({
      contents: `export const CHANNEL_NAMES = ${JSON.stringify(CHANNEL_NAMES)};\nexport const EVENT_NAMES = ${JSON.stringify(EVENT_NAMES)};\nexport const EVENT_CHANNEL = ${JSON.stringify(EVENT_CHANNEL)};\n`,
      loader: 'js',
    }));
  },
};

export const BUNDLES: BuildOptions[] = [
  {
    ...common,
    entryPoints: [path.join(ROOT, 'electron/main/main.ts')],
    outfile: path.join(OUT_DIR, 'main.cjs'),
    // @napi-rs/canvas (the receipt image) loads its platform's .node package at run time.
    external: ['electron', 'better-sqlite3-multiple-ciphers', '@napi-rs/canvas'],
    // The core resolves the receipt font's file from its package (createRequire(import.meta.url)):
    // in this CommonJS bundle that is the bundle's own file, inside the asar archive.
    define: { ...common.define, 'import.meta.url': '__bundleUrl' },
    banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  },
  {
    ...common,
    entryPoints: [path.join(ROOT, 'electron/preload/preload.ts')],
    outfile: path.join(OUT_DIR, 'preload.cjs'),
    // The sandboxed preload may only require 'electron' (and a few Node shims): everything else
    // (zod, the contract) is bundled in.
    external: ['electron'],
    platform: 'browser',
    mainFields: ['module', 'main'],
    plugins: [contractNamesOnly],
  },
  {
    ...common,
    entryPoints: [path.join(ROOT, 'electron/preload/unlock-preload.ts')],
    outfile: path.join(OUT_DIR, 'unlock-preload.cjs'),
    // Three channel names and nothing else: it imports no contract and no zod.
    external: ['electron'],
    platform: 'browser',
    mainFields: ['module', 'main'],
  },
];

export async function buildElectron(): Promise<void> {
  rmSync(OUT_DIR, { recursive: true, force: true });
  for (const options of BUNDLES) await build(options);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildElectron().then(
    () => console.log(`Electron bundles written to ${path.relative(process.cwd(), OUT_DIR) || OUT_DIR}`),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
