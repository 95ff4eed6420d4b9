import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openInfo, openLedger, openWithKey, LedgerOpenError, LEGACY_LEDGER_FORMAT, NEW_LEDGER_FORMAT } from './database';
import { startFileCheck } from './integrity';
import { randomBytes } from 'node:crypto';
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

  it('records the format of a new ledger with its key: AEGIS-256, 2 KiB pages, the header encrypted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-'));
    const db = await openLedger({ dir, protector: new PassphraseKeyProtector('correct horse', fast) });
    expect(db.pragma('page_size', { simple: true })).toBe(2048);
    db.close();
    const keyFile = JSON.parse(readFileSync(join(dir, 'key.json'), 'utf8')) as { ledger: unknown; backend: string };
    expect(keyFile.ledger).toEqual(NEW_LEDGER_FORMAT);
    expect(keyFile.backend).toBe('passphrase-scrypt');
    // Opening the file as SQLCipher (what the format record prevents) cannot read it.
    const again = await openLedger({ dir, protector: new PassphraseKeyProtector('correct horse', fast) });
    again.close();
  });

  it('keeps opening a ledger made before the format was recorded (SQLCipher 4, 4 KiB) with its data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-'));
    const protector = new PassphraseKeyProtector('correct horse', fast);
    const key = randomBytes(32);
    // What the first releases wrote: key.json holds only the wrapped key.
    writeFileSync(join(dir, 'key.json'), JSON.stringify(await protector.wrap(key)));
    const old = openWithKey(join(dir, 'ledger.db'), key, LEGACY_LEDGER_FORMAT);
    old.exec(`INSERT INTO meta(key, value) VALUES ('probe', 'from-release-1')`);
    old.close();
    expect(() => openWithKey(join(dir, 'ledger.db'), key, NEW_LEDGER_FORMAT)).toThrow(LedgerOpenError);
    const db = await openLedger({ dir, protector });
    expect(db.pragma('page_size', { simple: true })).toBe(4096);
    expect(db.prepare(`SELECT value FROM meta WHERE key='probe'`).get()).toEqual({ value: 'from-release-1' });
    db.close();
    expect(JSON.parse(readFileSync(join(dir, 'key.json'), 'utf8'))).not.toHaveProperty('ledger');
  });

  it('refuses a format it does not know, and a second opener while the ledger is open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-'));
    const protector = new PassphraseKeyProtector('correct horse', fast);
    const db = await openLedger({ dir, protector });
    await expect(openLedger({ dir, protector })).rejects.toMatchObject({ code: 'IN_USE' });
    expect(db.prepare('SELECT count(*) AS n FROM meta').get()).toBeDefined();
    db.close();
    const keyPath = join(dir, 'key.json');
    const keyFile = JSON.parse(readFileSync(keyPath, 'utf8')) as Record<string, unknown>;
    writeFileSync(keyPath, JSON.stringify({ ...keyFile, ledger: { cipher: 'rot13', pageSize: 2048 } }));
    await expect(openLedger({ dir, protector })).rejects.toMatchObject({ code: 'UNKNOWN_FORMAT' });
    writeFileSync(keyPath, JSON.stringify(keyFile));
    (await openLedger({ dir, protector })).close();
  });

  it('refuses a ledger with one byte changed inside a page (the cipher authenticates every page)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-'));
    const protector = new PassphraseKeyProtector('correct horse', fast);
    const db = await openLedger({ dir, protector });
    db.exec(`INSERT INTO meta(key, value) VALUES ('probe', '${'x'.repeat(500)}')`);
    db.pragma('wal_checkpoint(TRUNCATE)');
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.close();
    const path = join(dir, 'ledger.db');
    const bytes = readFileSync(path);
    expect(bytes.length).toBe(pages * 2048);
    // A byte in the middle of the last page (not the header, not the reserved nonce/tag).
    const at = (pages - 1) * 2048 + 700;
    bytes[at] = bytes[at]! ^ 0x01;
    writeFileSync(path, bytes);
    // A clean close leaves no WAL, so the open itself need not read every page: the page is
    // refused when read, by the background check (ledger-integrity.test.ts) or by a full check.
    const reopened = await openLedger({ dir, protector }).catch((e: unknown) => e);
    if (reopened instanceof LedgerOpenError) expect(reopened.code).toMatch(/CORRUPT|WRONG_KEY/);
    else {
      const db2 = reopened as Awaited<ReturnType<typeof openLedger>>;
      const input = openInfo(db2)!.checkInput;
      db2.close();
      expect((await startFileCheck(input).done).kind).toBe('damaged');
      expect(() => openWithKey(path, input.key, NEW_LEDGER_FORMAT, { fullCheck: 'always' })).toThrow(LedgerOpenError);
    }
  });
});

