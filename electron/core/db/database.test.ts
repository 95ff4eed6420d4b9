import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLedger, LedgerOpenError } from './database';
import { PassphraseKeyProtector, KeyUnwrapError } from './key-protector';

const fast = { N: 1 << 12 };

describe('encrypted ledger', () => {
  it('creates an encrypted 0600 file that only the key opens', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-'));
    const db = await openLedger({ dir, protector: new PassphraseKeyProtector('correct horse', fast) });
    db.exec(`INSERT INTO meta(key, value) VALUES ('probe', 'visible-marker-123')`);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.close();
    expect(statSync(join(dir, 'ledger.db')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'key.json')).mode & 0o777).toBe(0o600);
    const raw = readFileSync(join(dir, 'ledger.db'));
    expect(raw.includes(Buffer.from('SQLite format 3'))).toBe(false);
    expect(raw.includes(Buffer.from('visible-marker-123'))).toBe(false);

    await expect(openLedger({ dir, protector: new PassphraseKeyProtector('wrong horse', fast) })).rejects.toBeInstanceOf(KeyUnwrapError);
    const again = await openLedger({ dir, protector: new PassphraseKeyProtector('correct horse', fast) });
    expect(again.prepare(`SELECT value FROM meta WHERE key='probe'`).get()).toEqual({ value: 'visible-marker-123' });
    again.close();
  });

  it('refuses a damaged file or a missing key file instead of starting empty', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-'));
    const db = await openLedger({ dir, protector: new PassphraseKeyProtector('correct horse', fast) });
    db.close();
    writeFileSync(join(dir, 'ledger.db'), Buffer.alloc(8192, 7));
    await expect(openLedger({ dir, protector: new PassphraseKeyProtector('correct horse', fast) })).rejects.toBeInstanceOf(LedgerOpenError);

    const dir2 = mkdtempSync(join(tmpdir(), 'ledger-'));
    writeFileSync(join(dir2, 'ledger.db'), 'x');
    await expect(openLedger({ dir: dir2, protector: new PassphraseKeyProtector('correct horse', fast) })).rejects.toMatchObject({ code: 'MISSING_KEY' });
  });
});
