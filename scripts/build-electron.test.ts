import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { EVENT_CHANNEL } from '../shared/contract/channels';
import { BUNDLES } from './build-electron';

/** The Electron bundles build (the binary cannot run here, but its code must bundle). */
describe('Electron bundles', () => {
  it.each(BUNDLES.map((b) => [String(b.outfile).split('/').pop()!, b] as const))('%s builds', async (_name, options) => {
    const out = await build({ ...options, write: false, logLevel: 'silent' });
    expect(out.errors).toEqual([]);
    const text = out.outputFiles.map((f) => f.text).join('\n');
    expect(text.length).toBeGreaterThan(500);
    if (String(options.outfile).endsWith('/preload.cjs')) {
      expect(text).toContain(EVENT_CHANNEL);
      expect(text).not.toMatch(/ZodError|better-sqlite3/);
    }
  });
});
