/**
 * Web mode's entry (dist-web/cli.mjs): turns on Node's compile cache, then loads the app's bundle
 * (dist-web/web.mjs). A start after the first reads V8's compiled code from disk instead of
 * compiling the 3.6 MB bundle again (docs/decisions/web-mode-bundle.md). The cache sits beside the
 * bundle it was made from, and Node drops an entry whose source changed; NODE_DISABLE_COMPILE_CACHE=1
 * turns it off. It must be on before the bundle is compiled, hence this separate first module.
 */
import { enableCompileCache } from 'node:module';
import { fileURLToPath } from 'node:url';

enableCompileCache(fileURLToPath(new URL('compile-cache/', import.meta.url)));

// A name, not a literal: the bundler leaves this import to run time.
const app = './web.mjs';
await import(app);
