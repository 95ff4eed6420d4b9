import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { LATER_NAMESPACES } from './renderer/i18n/later-namespaces';

/**
 * `locale-en` for renderer/i18n/locales/en/<namespace>.json, `locale-later-en` for the namespaces
 * loaded after the first screen (LATER_NAMESPACES); unlock.json and code: no group.
 */
function localeChunk(id: string): string | null {
  const m = /[\\/]i18n[\\/]locales[\\/]([a-z]{2,3})[\\/]([\w-]+)\.json$/.exec(id);
  if (!m || m[2] === 'unlock') return null;
  return LATER_NAMESPACES.includes(m[2]!) ? `locale-later-${m[1]}` : `locale-${m[1]}`;
}

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: false,
    target: 'chrome130',
    // The entry holds the sign-in screens and New order, where a desk opens; every other screen is
    // its own chunk, fetched when the desk is idle or on its shortcut (renderer/app/screens.tsx).
    // Its size is a benchmark goal: <= 150 KB gzip of initial JavaScript with the catalogue in
    // use, measured by `npm run bench -- renderer` (docs/performance.md).
    chunkSizeWarningLimit: 800,
    // Chromium has modulepreload; without the polyfill the two pages below share only Vite's small
    // dynamic-import helper (preload-helper, ~1 KB gzip): both load their language's catalogue
    // chunks with import() (renderer/i18n, renderer/unlock/text.ts).
    modulePreload: { polyfill: false },
    rolldownOptions: {
      // Two pages: the app, and the Electron unlock window's page (docs/decisions/electron-shell.md).
      // The unlock page shares no module with the app (its CSS @imports the app's stylesheet).
      input: {
        index: fileURLToPath(new URL('./renderer/index.html', import.meta.url)),
        unlock: fileURLToPath(new URL('./renderer/unlock.html', import.meta.url)),
      },
      output: {
        // A language's namespaces are loaded together (renderer/i18n): one chunk per language for
        // the first screen, `locale-<lang>-<hash>.js`, and one for the other screens',
        // `locale-later-<lang>-<hash>.js`; one request and one compression window each instead of
        // twenty. The unlock page's catalogue stays its own small chunk.
        codeSplitting: { groups: [{ name: localeChunk, debugName: 'locale' }] },
      },
    },
  },
  test: {
    root: '.',
    include: ['{shared,electron,renderer,build,bench,scripts}/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
