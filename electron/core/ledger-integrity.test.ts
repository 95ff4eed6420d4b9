import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { offlineGateway } from '../gateway/offline-gateway';
import { createCore, type Core } from './app';
import { ManualClock } from './clock';
import { openInfo, openLedger, openWithKey } from './db/database';
import { INTEGRITY_FILE, readIntegrityRecord, startFileCheck } from './db/integrity';
import { PassphraseKeyProtector } from './db/key-protector';
import { MemorySettingsStore } from './settings/defaults';

const protector = new PassphraseKeyProtector('integrity tests passphrase', { N: 1 << 12 });
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'integrity-'));
  dirs.push(d);
  return d;
};
const cores: Core[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

// The background check is started by hand in these tests (checkNow), never by the timer.
const start = async (dataDir: string) => {
  const core = await createCore({ dataDir, protector, gateway: offlineGateway, clock: new ManualClock(), settings: new MemorySettingsStore(), hostedReturnUrl: 'http://127.0.0.1:9/hosted/return', integrity: { delayMs: 3_600_000 } });
  cores.push(core);
  return core;
};
const call = { sessionKey: 'web:tab', origin: 'test' };
const signIn = async (core: Core) => {
  const users = await core.dispatch('session.users', {}, call);
  const ann = (users as { ok: true; value: { id: string; name: string }[] }).value.find((u) => u.name === 'Ann')!;
  expect(await core.dispatch('session.login', { userId: ann.id, pin: '13572468' }, call)).toMatchObject({ ok: true });
};

/**
 * A ledger with an admin and a table nothing reads at start (so its damage stays latent until a
 * full check), closed cleanly. Returns the byte offset inside one of that table's middle pages.
 */
async function ledgerWithLatentPages(dir: string): Promise<number> {
  const core = await start(dir);
  expect(await core.dispatch('session.setup', { name: 'Ann', pin: '13572468' }, call)).toMatchObject({ ok: true });
  core.db.exec('CREATE TABLE scratch (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const ins = core.db.prepare('INSERT INTO scratch (body) VALUES (?)');
  core.db.transaction(() => {
    for (let i = 0; i < 300; i++) ins.run(`row ${i} ${'y'.repeat(900)}`);
  })();
  const leaves = (core.db.prepare(`SELECT pageno FROM dbstat WHERE name = 'scratch' AND pagetype = 'leaf' ORDER BY pageno`).all() as { pageno: number }[]).map((r) => r.pageno);
  const pageSize = core.db.pragma('page_size', { simple: true }) as number;
  await core.close();
  cores.splice(cores.indexOf(core), 1);
  const page = leaves[Math.floor(leaves.length / 2)]!;
  return (page - 1) * pageSize + 700;
}

function flipByte(path: string, at: number): void {
  const bytes = readFileSync(path);
  bytes[at] = bytes[at]! ^ 0x01;
  writeFileSync(path, bytes);
}

describe('ledger integrity', () => {
  it('a cleanly closed ledger opens without the full check; the background check passes and holds checkpoints only while it runs', async () => {
    const dir = tmp();
    await ledgerWithLatentPages(dir);
    expect(existsSync(join(dir, 'ledger.db-wal'))).toBe(false);
    const core = await start(dir);
    expect(openInfo(core.db)?.fullCheck).toBeNull();
    expect(core.integrity.state).toBe('unchecked');
    await signIn(core);
    const running = core.integrity.checkNow();
    // While it runs: no checkpoint writes into the file it reads, and the station keeps writing.
    expect(core.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    expect(await core.dispatch('customers.create', { name: 'Bo Li', phone: '+44 20 7946 0000', email: 'bo@example.com' }, call)).toMatchObject({ ok: true });
    expect(await running).toMatchObject({ kind: 'ok' });
    expect(core.integrity.state).toBe('ok');
    expect(core.db.pragma('wal_autocheckpoint', { simple: true })).toBe(20_000);
  });

  it('closing the core while the check runs stops the checker and still folds the WAL into the file', async () => {
    const dir = tmp();
    await ledgerWithLatentPages(dir);
    const core = await start(dir);
    await signIn(core);
    const running = core.integrity.checkNow();
    expect(await core.dispatch('customers.create', { name: 'Cy Wu' }, call)).toMatchObject({ ok: true });
    await core.close();
    cores.splice(cores.indexOf(core), 1);
    expect(await running).toMatchObject({ kind: 'not-run' });
    expect(existsSync(join(dir, 'ledger.db-wal'))).toBe(false);
    const db = await openLedger({ dir, protector });
    expect(openInfo(db)?.fullCheck).toBeNull();
    expect(db.prepare(`SELECT name FROM customers WHERE name = 'Cy Wu'`).get()).toEqual({ name: 'Cy Wu' });
    db.close();
  });

  it('finds damage the open did not read: refuses every change with a plain sentence, audits it, and the next open refuses the file', async () => {
    const dir = tmp();
    const at = await ledgerWithLatentPages(dir);
    flipByte(join(dir, 'ledger.db'), at);
    const core = await start(dir);
    expect(openInfo(core.db)?.fullCheck).toBeNull();

    await signIn(core);
    const out = await core.integrity.checkNow();
    expect(out.kind).toBe('damaged');
    expect(core.integrity.state).toBe('damaged');
    const refused = await core.dispatch('customers.create', { name: 'Bo Li', phone: '+44 20 7946 0000', email: 'bo@example.com' }, call);
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED', text: { key: 'refuse.ledgerDamaged' } } });
    expect(await core.dispatch('payments.capture', { paymentId: 'p_x', amount: 100 }, call)).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
    // Reads still answer (the day's figures and the audit log can be taken out).
    expect(await core.dispatch('session.status', {}, call)).toMatchObject({ ok: true });
    expect(core.db.prepare(`SELECT action, outcome FROM audit WHERE action = 'ledger.damaged'`).all()).toEqual([{ action: 'ledger.damaged', outcome: 'failure' }]);
    expect(readIntegrityRecord(dir)).toMatchObject({ state: 'damaged' });
    await core.close();
    cores.splice(cores.indexOf(core), 1);

    await expect(openLedger({ dir, protector })).rejects.toMatchObject({ code: 'CORRUPT' });
  });

  it('a damaged page met by a read marks the ledger damaged as the check would', async () => {
    const dir = tmp();
    const at = await ledgerWithLatentPages(dir);
    flipByte(join(dir, 'ledger.db'), at);
    const core = await start(dir);
    let err: unknown = null;
    try {
      core.db.prepare('SELECT sum(length(body)) FROM scratch').get();
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: expect.stringMatching(/^SQLITE_(CORRUPT|NOTADB)/) });
    core.integrity.noteError(err);
    await new Promise((r) => setTimeout(r, 50));
    expect(core.integrity.state).toBe('damaged');
    await signIn(core);
    expect(await core.dispatch('customers.create', { name: 'Bo Li' }, call)).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
    expect(readIntegrityRecord(dir)).toMatchObject({ state: 'damaged' });
  });

  it('after a run that did not close the ledger, the open checks the whole file first and refuses a damaged one for good', async () => {
    const dir = tmp();
    const at = await ledgerWithLatentPages(dir);
    // A run that stops with the ledger open: its files as a crash leaves them (WAL included).
    const db = await openLedger({ dir, protector });
    db.exec(`INSERT INTO meta(key, value) VALUES ('probe', 'after the crash')`);
    const crashed = tmp();
    for (const f of ['ledger.db', 'ledger.db-wal', 'key.json']) copyFileSync(join(dir, f), join(crashed, f));
    db.close();

    const clean = await openLedger({ dir: crashed, protector });
    expect(openInfo(clean)?.fullCheck).toMatch(/did not close the ledger/);
    expect(clean.prepare(`SELECT value FROM meta WHERE key = 'probe'`).get()).toEqual({ value: 'after the crash' });
    clean.close();
    // Closed cleanly now: the next open trusts it and checks in the background.
    const again = await openLedger({ dir: crashed, protector });
    expect(openInfo(again)?.fullCheck).toBeNull();
    again.close();

    const damaged = tmp();
    for (const f of ['ledger.db', 'key.json']) copyFileSync(join(dir, f), join(damaged, f));
    const db2 = await openLedger({ dir: damaged, protector });
    db2.exec(`INSERT INTO meta(key, value) VALUES ('probe2', 'x')`);
    for (const f of ['ledger.db', 'ledger.db-wal']) copyFileSync(join(damaged, f), join(damaged, `${f}.crash`));
    db2.close();
    for (const f of ['ledger.db', 'ledger.db-wal']) copyFileSync(join(damaged, `${f}.crash`), join(damaged, f));
    flipByte(join(damaged, 'ledger.db'), at);
    await expect(openLedger({ dir: damaged, protector })).rejects.toMatchObject({ code: 'CORRUPT' });
    // Closing folded the WAL in, so only the record says it is damaged: the open still refuses.
    expect(existsSync(join(damaged, 'ledger.db-wal'))).toBe(false);
    expect(existsSync(join(damaged, INTEGRITY_FILE))).toBe(true);
    await expect(openLedger({ dir: damaged, protector })).rejects.toMatchObject({ code: 'CORRUPT' });
  });

  it('the file check reads the main file without the write-ahead log and answers for its pages', async () => {
    const dir = tmp();
    const at = await ledgerWithLatentPages(dir);
    const db = await openLedger({ dir, protector });
    const input = openInfo(db)!.checkInput;
    expect(await startFileCheck(input).done).toMatchObject({ kind: 'ok' });
    db.close();
    flipByte(join(dir, 'ledger.db'), at);
    expect(await startFileCheck(input).done).toMatchObject({ kind: 'damaged' });
    // A check stopped before its answer says nothing about the file.
    const stopped = startFileCheck(input);
    stopped.stop();
    expect(await stopped.done).toMatchObject({ kind: 'not-run' });
    // The same file checked in full on open is refused as before.
    expect(() => openWithKey(join(dir, 'ledger.db'), input.key, undefined, { fullCheck: 'always' })).toThrow(/integrity check|damaged/);
  });
});
