import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: false,
    target: 'chrome130',
    // One chunk on purpose (a desk app loads once), but for the language catalogues and the recurring
    // screen (its Temporal polyfill, features/recurring/LazyRecurringScreen.tsx); its size is a
    // benchmark goal: <= 250 KB gzip of initial JavaScript with the catalogues, measured by
    // `npm run bench` (docs/performance.md).
    chunkSizeWarningLimit: 800,
    // Chromium has modulepreload; without the polyfill the two pages below share only Vite's small
    // dynamic-import helper (preload-helper, ~1 KB gzip): both load their language's catalogue
    // chunks with import() (renderer/i18n, renderer/unlock/text.ts).
    modulePreload: { polyfill: false },
    rollupOptions: {
      // Two pages: the app, and the Electron unlock window's page (docs/decisions/electron-shell.md).
      // The unlock page shares no module with the app (its CSS @imports the app's stylesheet).
      input: {
        index: fileURLToPath(new URL('./renderer/index.html', import.meta.url)),
        unlock: fileURLToPath(new URL('./renderer/unlock.html', import.meta.url)),
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
