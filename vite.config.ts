import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: false,
    target: 'chrome130',
    // One chunk on purpose (a desk app loads once); its size is a benchmark goal: <= 250 KB gzip
    // of initial JavaScript, measured by `npm run bench` (docs/performance.md).
    chunkSizeWarningLimit: 800,
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
