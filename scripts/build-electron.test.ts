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
    if (String(options.outfile).endsWith('/main.cjs')) {
      // The receipt image's native module is loaded at run time from node_modules (unpacked from
      // asar), and the font's file is found from the bundle's own location (no empty import.meta).
      expect(text).toMatch(/import\(["']@napi-rs\/canvas["']\)|require\(["']@napi-rs\/canvas["']\)/);
      expect(text).not.toMatch(/import_meta\d*\.url/);
      expect(text).toContain('@fontsource/noto-sans-arabic');
    }
    if (String(options.outfile).endsWith('/preload.cjs')) {
      expect(text).toContain(EVENT_CHANNEL);
      expect(text).not.toMatch(/ZodError|better-sqlite3/);
    }
  });
});
