/**
 * Bundles web mode (`npm run web`): electron/web/cli.ts → dist-web/web.mjs, started through
 * electron/web/launch.ts → dist-web/cli.mjs (Node's compile cache, then the app), run by plain `node`
 * with WEB_NODE_FLAGS. A built process starts without compiling TypeScript through tsx's loader
 * hooks and without tsx's loader thread (a second V8 isolate): see docs/decisions/web-mode-bundle.md.
 * The end-to-end tests and the start, memory, lookup, renderer and scan benchmarks launch the same
 * bundle the same way.
 */
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { builtinModules } from 'node:module';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What `node` is given: the launcher, which turns on the compile cache and imports WEB_APP. */
export const WEB_BUNDLE = path.join(ROOT, 'dist-web/cli.mjs');
export const WEB_APP = path.join(ROOT, 'dist-web/web.mjs');

/**
 * V8 flags of the web-mode process, given at launch (V8 takes them only there). The core's young
 * generation stays at 2 MiB semi-spaces instead of Node 24's 16 MiB: the default keeps ~12-14 MB
 * more RSS for nothing the core needs; 1 MiB saved 2 MB more but scavenged often enough to add
 * to the core's p99 (docs/performance.md, "The young generation's size").
 */
export const WEB_NODE_FLAGS = ['--max-semi-space-size=2'];

/** The exact `npm run web` script: scripts/build-web.test.ts holds package.json to it. */
export const WEB_NPM_SCRIPT = `tsx scripts/build-web.ts && node ${WEB_NODE_FLAGS.join(' ')} dist-web/cli.mjs`;

/**
 * Native modules (SQLite with its cipher, the receipt image's canvas) load their .node binaries
 * from node_modules; vite is only imported to build the screen and is large.
 */
export const NODE_EXTERNALS = ['better-sqlite3-multiple-ciphers', '@napi-rs/canvas', 'vite'];

const BUILTINS = new Set(builtinModules);

/**
 * Node's own modules are loaded with require(), not import. Importing a builtin from an ES module
 * builds its ES facade, which reads every export, lazy getters included: node:http's loads Node's
 * internal undici (WebSocket, fetch) and node:fs's its streams, ~40-60 ms of the start that nothing
 * uses (measured, docs/performance.md). esbuild then treats each as CommonJS and reads the names
 * it is asked for.
 */
export const BUILTINS_BY_REQUIRE: Plugin = {
  name: 'builtins-by-require',
  setup(b) {
    b.onResolve({ filter: /^[a-z_:/]+$/ }, (args) => {
      const name = args.path.startsWith('node:') ? args.path.slice(5) : args.path;
      if (!BUILTINS.has(name) || args.namespace === 'builtin-by-require') return undefined;
      return { path: `node:${name}`, namespace: 'builtin-by-require' };
    });
    b.onLoad({ filter: /.*/, namespace: 'builtin-by-require' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

/** Shared by the web bundle and the benchmarks' child bundles (bench/lib/child.ts). */
export function nodeBundleOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    sourcemap: false,
    minify: false, // readable stack traces in support logs matter more than bytes here
    legalComments: 'none',
    logLevel: 'warning',
    external: NODE_EXTERNALS,
    // Bundled CommonJS packages call require() for Node's own modules; an ES module has none.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    plugins: [BUILTINS_BY_REQUIRE],
  };
}

export async function buildWeb(): Promise<string> {
  mkdirSync(path.dirname(WEB_BUNDLE), { recursive: true });
  await Promise.all([
    build(nodeBundleOptions(path.join(ROOT, 'electron/web/cli.ts'), WEB_APP)),
    build({ ...nodeBundleOptions(path.join(ROOT, 'electron/web/launch.ts'), WEB_BUNDLE), banner: {}, plugins: [] }),
  ]);
  return WEB_BUNDLE;
}

/** The arguments of `node` that start web mode as `npm run web` does (after buildWeb). */
export function webModeArgs(args: readonly string[]): string[] {
  return [...WEB_NODE_FLAGS, WEB_BUNDLE, ...args];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildWeb().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
