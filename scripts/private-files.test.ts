/**
 * The data directory and everything in it are private to the user, whoever creates it first
 * (issue 15, item 7): the embedded sandbox used to create it 0755 and its database 0644.
 */
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MERCHANT, startSandbox } from '../electron/gateway/sandbox';
import { openLedger } from '../electron/core/db/database';
import { PassphraseKeyProtector } from '../electron/core/db/key-protector';
import { ConfSettingsStore } from '../electron/core/settings/conf-store';

const posix = process.platform !== 'win32';

/** Every directory and file under root with a mode that lets anyone else in. */
function notPrivate(root: string): string[] {
  const bad: string[] = [];
  const walk = (p: string): void => {
    const st = statSync(p);
    const mode = st.mode & 0o777;
    if (st.isDirectory()) {
      if (mode !== 0o700) bad.push(`${p} ${mode.toString(8)}`);
      for (const e of readdirSync(p)) walk(join(p, e));
    } else if (mode !== 0o600) bad.push(`${p} ${mode.toString(8)}`);
  };
  walk(root);
  return bad;
}

describe.runIf(posix)('the data directory is private (0700 / 0600) whoever creates it', () => {
  it('web mode: the sandbox creates the directory first, then the settings and the ledger; nothing is readable by others', async () => {
    const old = process.umask(0o022);
    try {
      const dataDir = join(mkdtempSync(join(tmpdir(), 'private-')), 'data');
      const sandbox = await startSandbox({ port: 0, dataDir: join(dataDir, 'sandbox'), merchants: [DEFAULT_MERCHANT] });
      try {
        new ConfSettingsStore(dataDir).update({ stationName: 'Desk 9' });
        const db = await openLedger({ dir: dataDir, protector: new PassphraseKeyProtector('private files passphrase', { N: 1 << 12 }) });
        db.prepare('CREATE TABLE IF NOT EXISTS t (x)').run();
        db.close();
        expect(readdirSync(join(dataDir, 'sandbox'))).toContain('sandbox.db');
        expect(readdirSync(join(dataDir, 'sandbox'))).toContain('sandbox.db-wal');
        expect(notPrivate(dataDir)).toEqual([]);
      } finally {
        await sandbox.close();
      }
    } finally {
      process.umask(old);
    }
  });

  it('a data directory and sandbox database left open to others by an earlier version are made private on the next start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'private-'));
    const sbDir = join(dataDir, 'sandbox');
    mkdirSync(sbDir, { mode: 0o755 });
    const { chmodSync } = await import('node:fs');
    chmodSync(dataDir, 0o755);
    chmodSync(sbDir, 0o755);
    const first = await startSandbox({ port: 0, dataDir: sbDir, merchants: [DEFAULT_MERCHANT] });
    await first.close();
    chmodSync(join(sbDir, 'sandbox.db'), 0o644);
    writeFileSync(join(sbDir, 'sandbox.db-journal'), '', { mode: 0o644 });
    chmodSync(join(sbDir, 'sandbox.db-journal'), 0o644);
    const again = await startSandbox({ port: 0, dataDir: sbDir, merchants: [DEFAULT_MERCHANT] });
    await again.close();
    const db = await openLedger({ dir: dataDir, protector: new PassphraseKeyProtector('private files passphrase', { N: 1 << 12 }) });
    db.close();
    expect(notPrivate(dataDir)).toEqual([]);
  });
});
