import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHANNEL_NAMES, ContractError } from '../../shared/contract';
import type { Handlers } from './context';
import { openLedger, type Db } from './db/database';
import { PassphraseKeyProtector } from './db/key-protector';
import { silentLogger } from './deps';
import { createDispatcher, MAX_INPUT_BYTES, type ResolvedCaller } from './dispatch';

let dir: string;
let db: Db;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dispatch-'));
  db = await openLedger({ dir, protector: new PassphraseKeyProtector('dispatch tests', { N: 1 << 12 }) });
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = () => (db.prepare(`SELECT count(*) AS n FROM meta`).get() as { n: number }).n;

/** Every handler writes a row to the ledger, so "reached a handler" is visible on disk too. */
function spyHandlers() {
  const spy = vi.fn((channel: string) => {
    db.prepare(`INSERT INTO meta(key, value) VALUES (?, ?)`).run(`hit-${Math.random()}`, channel);
  });
  const handlers = Object.fromEntries(
    CHANNEL_NAMES.map((name) => [name, (input: unknown) => {
      spy(name);
      if (name === 'users.list') return [{ id: 'u1', name: 'Ann', role: 'admin', active: true, extra: 'dropped' }];
      if (name === 'sync.status') return { online: 'yes' };
      if (name === 'orders.get') throw new ContractError('NOT_FOUND', 'No such order');
      if (name === 'orders.cancel') throw new Error('db exploded');
      return { echoed: input };
    }]),
  ) as unknown as Handlers;
  return { handlers, spy };
}

const admin = { id: 'u1', name: 'Ann', role: 'admin' } as const;
const clerk = { id: 'u2', name: 'Bob', role: 'clerk' } as const;
const sessions: Record<string, ResolvedCaller> = { admin, clerk, locked: 'locked' };
const call = (sessionKey: string) => ({ sessionKey, origin: 'test' });

describe('createDispatcher', () => {
  let spy: ReturnType<typeof spyHandlers>['spy'];
  let dispatch: ReturnType<typeof createDispatcher>;
  const onActivity = vi.fn();
  const log = { ...silentLogger, error: vi.fn() };

  beforeEach(() => {
    const made = spyHandlers();
    spy = made.spy;
    onActivity.mockReset();
    log.error.mockReset();
    dispatch = createDispatcher({
      handlers: made.handlers,
      resolveCaller: (k) => sessions[k] ?? null,
      onActivity,
      log,
      validateOutput: true,
    });
  });

  const refusals: [string, string, unknown, string, string][] = [
    ['unknown channel', 'nope.nothing', {}, 'admin', 'VALIDATION'],
    ['prototype key as channel', '__proto__', {}, 'admin', 'VALIDATION'],
    ['constructor as channel', 'constructor', {}, 'admin', 'VALIDATION'],
    ['no session', 'users.list', {}, 'stranger', 'UNAUTHENTICATED'],
    ['locked session', 'users.list', {}, 'locked', 'SESSION_LOCKED'],
    ['role too low', 'users.create', { name: 'Eve', role: 'admin', pin: '123456' }, 'clerk', 'FORBIDDEN'],
    ['wrong type', 'users.create', { name: 5, role: 'admin', pin: '123456' }, 'admin', 'VALIDATION'],
    ['extra key on a strict schema', 'users.list', { sneaky: 1 }, 'admin', 'VALIDATION'],
    ['not an object', 'customers.search', 'hello', 'clerk', 'VALIDATION'],
    ['oversized input', 'customers.search', { query: 'x'.repeat(MAX_INPUT_BYTES) }, 'clerk', 'VALIDATION'],
    ['unserializable input', 'customers.search', { n: 1n }, 'clerk', 'VALIDATION'],
  ];

  it.each(refusals)('refuses %s without reaching a handler or the ledger', async (_what, channel, input, session, code) => {
    const before = count();
    const res = await dispatch(channel, input, call(session));
    expect(res).toMatchObject({ ok: false, error: { code } });
    expect(spy).not.toHaveBeenCalled();
    expect(count()).toBe(before);
  });

  it('takes a bulk file larger than the default input limit on bulk.preview only (20,000 rows)', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => ({ reference: `Desk1-${String(i).padStart(6, '0')}-P1`, amount: '12.50' }));
    expect(JSON.stringify({ kind: 'capture', rows }).length).toBeGreaterThan(MAX_INPUT_BYTES);
    const res = await dispatch('bulk.preview', { kind: 'capture', rows }, call('admin'));
    expect(res).not.toMatchObject({ error: { message: 'The input is too large' } });
    expect(spy).toHaveBeenCalledWith('bulk.preview');
    const big = await dispatch('customers.search', { query: 'x'.repeat(MAX_INPUT_BYTES) }, call('admin'));
    expect(big).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: 'The input is too large' } });
  });

  it('reports validation problems per field, bounded and without echoing the input', async () => {
    const hugeKey = 'k'.repeat(5000);
    const res = await dispatch('users.create', { name: '', role: 'god', pin: '1', [hugeKey]: 1 }, call('admin'));
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(Object.keys(res.error.fields ?? {})).toEqual(expect.arrayContaining(['name', 'role', 'pin']));
    expect(JSON.stringify(res).length).toBeLessThan(2000);
  });

  it('lets minRole "none" channels through without a session, and with a locked one', async () => {
    for (const s of ['stranger', 'locked']) {
      const res = await dispatch('session.unlock', { pin: '123456' }, call(s));
      expect(res.ok).toBe(false); // the output { echoed } is not a SessionUser: caught by output validation
    }
    expect(spy).toHaveBeenCalledTimes(2);
    expect(onActivity).not.toHaveBeenCalled();
  });

  it('passes parsed input and the caller to the handler, strips undeclared output keys', async () => {
    const res = await dispatch('users.list', {}, call('admin'));
    expect(res).toEqual({ ok: true, value: [{ id: 'u1', name: 'Ann', role: 'admin', active: true }] });
  });

  it('counts only changes and the activity heartbeat toward the idle lock, not background reads', async () => {
    await dispatch('users.list', {}, call('admin'));
    expect(onActivity).not.toHaveBeenCalled();
    await dispatch('session.touch', {}, call('admin'));
    expect(onActivity).toHaveBeenCalledWith('admin');
  });

  it('turns a ContractError into its envelope and any other error into a generic INTERNAL', async () => {
    expect(await dispatch('orders.get', { id: 'o1' }, call('clerk'))).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'No such order' } });
    const res = await dispatch('orders.cancel', { id: 'o1' }, call('clerk'));
    expect(res).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(res)).not.toContain('exploded');
    expect(log.error).toHaveBeenCalled();
  });

  it('treats an output that breaks the contract as INTERNAL', async () => {
    const res = await dispatch('sync.status', {}, call('clerk'));
    expect(res).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(log.error).toHaveBeenCalled();
  });
});
