import { beforeEach, describe, expect, it } from 'vitest';
import type { ChannelName, InputOf, OutputOf } from '../../../shared/contract';
import type { Handlers } from '../context';
import { createDispatcher } from '../dispatch';
import { createCustomersFeature } from '../customers';
import { createPeopleFeature } from './index';
import { MIN, testDeps, type TestDeps } from './test-kit';
import { verifyAudit } from '../ledger/audit-log';

const ADMIN_PIN = '111111';
const SUP_PIN = '222222';
const CLERK_PIN = '333333';

function setup(settings: Parameters<typeof testDeps>[0] = {}) {
  const deps = testDeps(settings);
  const people = createPeopleFeature(deps);
  const customers = createCustomersFeature(deps);
  const dispatch = createDispatcher({
    handlers: { ...people.handlers, ...customers.handlers } as Handlers,
    resolveCaller: (k) => people.sessions.resolveCaller(k),
    onActivity: (k) => people.sessions.touch(k),
    log: deps.log,
    validateOutput: true,
  });
  async function call<K extends ChannelName>(channel: K, input: InputOf<K>, sessionKey = 'w1') {
    return dispatch(channel, input, { sessionKey, origin: `test:${sessionKey}` });
  }
  /** Calls and returns the value, or fails the test with the error. */
  async function ok<K extends ChannelName>(channel: K, input: InputOf<K>, sessionKey = 'w1') {
    const r = await call(channel, input, sessionKey);
    if (!r.ok) throw new Error(`${channel} failed: ${r.error.code} ${r.error.message}`);
    return r.value as OutputOf<K>;
  }
  async function code<K extends ChannelName>(channel: K, input: InputOf<K>, sessionKey = 'w1') {
    const r = await call(channel, input, sessionKey);
    return r.ok ? 'ok' : r.error.code;
  }
  return { deps, people, call, ok, code };
}

type Kit = ReturnType<typeof setup>;

/** Admin (session w1), supervisor and clerk created; only the admin is signed in. */
async function staffed(k: Kit) {
  const admin = await k.ok('session.setup', { name: 'Ada Admin', pin: ADMIN_PIN });
  const sup = await k.ok('users.create', { name: 'Sam Super', role: 'supervisor', pin: SUP_PIN });
  const clerk = await k.ok('users.create', { name: 'Cleo Clerk', role: 'clerk', pin: CLERK_PIN });
  return { admin, sup, clerk };
}

function auditText(deps: TestDeps): string {
  return JSON.stringify(deps.db.prepare('SELECT * FROM audit').all());
}

describe('first-run setup', () => {
  it('creates the admin once, signs them in, and refuses a second setup', async () => {
    const k = setup();
    const before = await k.ok('session.status', {});
    expect(before).toMatchObject({ setupRequired: true, user: null, locked: false, station: 'Desk 1', gateway: { name: 'APS sandbox', sandbox: true } });
    expect(before.idleLockMs).toBe(15 * MIN);
    const admin = await k.ok('session.setup', { name: '  Ada Admin ', pin: ADMIN_PIN });
    expect(admin).toMatchObject({ name: 'Ada Admin', role: 'admin' });
    expect(await k.ok('session.status', {})).toMatchObject({ setupRequired: false, user: admin, locked: false });
    expect(await k.code('session.setup', { name: 'Mallory', pin: '999999' }, 'w2')).toBe('CONFLICT');
    expect(await k.ok('session.users', {}, 'w2')).toEqual([admin]);
  });

  it('refuses a PIN shorter than 6', async () => {
    const k = setup();
    expect(await k.code('session.setup', { name: 'Ada', pin: '12345' })).toBe('VALIDATION');
  });
});

describe('sign-in and lockout (10 failures, 30 minutes)', () => {
  let k: Kit;
  let clerkId: string;
  beforeEach(async () => {
    k = setup();
    clerkId = (await staffed(k)).clerk.id;
  });

  it('signs in with the right PIN and lists only active users for the sign-in screen', async () => {
    expect(await k.ok('session.login', { userId: clerkId, pin: CLERK_PIN }, 'w2')).toMatchObject({ name: 'Cleo Clerk', role: 'clerk' });
    expect((await k.ok('session.users', {}, 'w3')).map((u) => u.name)).toEqual(['Ada Admin', 'Cleo Clerk', 'Sam Super']);
    expect(await k.code('session.login', { userId: 'nobody', pin: CLERK_PIN }, 'w3')).toBe('BAD_CREDENTIALS');
  });

  it('locks after the 10th wrong PIN; 29:59 later still locked, 30:00 later open', async () => {
    for (let i = 1; i <= 9; i++) expect(await k.code('session.login', { userId: clerkId, pin: '000000' }, 'w2')).toBe('BAD_CREDENTIALS');
    expect(await k.code('session.login', { userId: clerkId, pin: '000000' }, 'w2')).toBe('ACCOUNT_LOCKED');
    // The right PIN does not help while locked.
    expect(await k.code('session.login', { userId: clerkId, pin: CLERK_PIN }, 'w2')).toBe('ACCOUNT_LOCKED');
    const row = k.deps.db.prepare('SELECT locked_until FROM users WHERE id = ?').get(clerkId) as { locked_until: string };
    expect(row.locked_until).toBe('2026-01-15T10:30:00.000Z');

    k.deps.clock.advance(30 * MIN - 1000);
    expect(await k.code('session.login', { userId: clerkId, pin: CLERK_PIN }, 'w2')).toBe('ACCOUNT_LOCKED');
    // Persisted in the users table: a restart (new feature, same ledger) keeps it.
    const restarted = createPeopleFeature(k.deps);
    await expect(async () => (restarted.handlers['session.login'] as Handlers['session.login'])({ userId: clerkId, pin: CLERK_PIN }, { sessionKey: 'x', user: null, origin: 't' })).rejects.toThrow(/locked/);
    k.deps.clock.advance(1000);
    expect(await k.code('session.login', { userId: clerkId, pin: CLERK_PIN }, 'w2')).toBe('ok');

    const actions = (k.deps.db.prepare(`SELECT action, outcome FROM audit WHERE target = ? ORDER BY seq`).all(clerkId) as { action: string; outcome: string }[]).map((a) => `${a.action}:${a.outcome}`);
    expect(actions.filter((a) => a === 'session.login:failure')).toHaveLength(13); // 10 wrong + 3 refused while locked
    expect(actions).toContain('user.lockout:failure');
    expect(actions.at(-1)).toBe('session.login:success');
  });

  it('a success resets the count; the count starts again after a lockout', async () => {
    for (let i = 0; i < 9; i++) await k.code('session.login', { userId: clerkId, pin: '000000' }, 'w2');
    expect(await k.code('session.login', { userId: clerkId, pin: CLERK_PIN }, 'w2')).toBe('ok');
    for (let i = 0; i < 9; i++) expect(await k.code('session.login', { userId: clerkId, pin: '000000' }, 'w2')).toBe('BAD_CREDENTIALS');
    expect(await k.code('session.login', { userId: clerkId, pin: '000000' }, 'w2')).toBe('ACCOUNT_LOCKED');
  });

  it('an admin setting a new PIN lifts the lockout', async () => {
    for (let i = 0; i < 10; i++) await k.code('session.login', { userId: clerkId, pin: '000000' }, 'w2');
    await k.ok('users.update', { id: clerkId, pin: '444444' });
    expect(await k.code('session.login', { userId: clerkId, pin: '444444' }, 'w2')).toBe('ok');
  });
});

describe('idle lock, lock and unlock', () => {
  it('locks at exactly settings.idleLockMinutes after the last activity', async () => {
    const k = setup({ idleLockMinutes: 5 });
    await staffed(k);
    k.deps.clock.advance(3 * MIN);
    await k.ok('session.touch', {}); // activity: the 5 minutes start again
    k.deps.clock.advance(5 * MIN - 1);
    // session.status is polling, not activity.
    expect(await k.ok('session.status', {})).toMatchObject({ locked: false, idleLockMs: 5 * MIN });
    expect(await k.ok('session.status', {})).toMatchObject({ locked: false });
    k.deps.clock.advance(1);
    expect(await k.ok('session.status', {})).toMatchObject({ locked: true, user: { name: 'Ada Admin' } });
    expect(await k.code('customers.search', { query: 'x' })).toBe('SESSION_LOCKED');
    expect(await k.code('session.touch', {})).toBe('SESSION_LOCKED');
    expect(auditText(k.deps)).toContain('idle for 5 min');
  });

  it('the activity heartbeat and changes count as activity; background reads do not', async () => {
    const k = setup();
    await staffed(k);
    k.deps.clock.advance(14 * MIN);
    await k.ok('session.touch', {});
    k.deps.clock.advance(14 * MIN);
    expect(await k.ok('session.status', {})).toMatchObject({ locked: false });
    k.deps.clock.advance(MIN / 2);
    await k.ok('customers.search', { query: 'a' }); // 14.5 minutes after the last activity
    k.deps.clock.advance(MIN);
    expect(await k.ok('session.status', {})).toMatchObject({ locked: true });
  });

  it('unlocks only with the signed-in user’s PIN; wrong PINs count toward the lockout', async () => {
    const k = setup();
    await staffed(k);
    await k.ok('session.lock', {});
    expect(await k.ok('session.status', {})).toMatchObject({ locked: true });
    expect(await k.code('users.list', {})).toBe('SESSION_LOCKED');
    expect(await k.code('session.unlock', { pin: SUP_PIN })).toBe('BAD_CREDENTIALS');
    expect(await k.code('session.unlock', { pin: '000000' })).toBe('BAD_CREDENTIALS');
    expect(await k.ok('session.unlock', { pin: ADMIN_PIN })).toMatchObject({ name: 'Ada Admin' });
    expect(await k.code('users.list', {})).toBe('ok');
    const failures = k.deps.db.prepare(`SELECT failed_attempts FROM users WHERE role = 'admin'`).get() as { failed_attempts: number };
    expect(failures.failed_attempts).toBe(0); // reset by the success
    expect(await k.code('session.unlock', { pin: ADMIN_PIN }, 'nobody-here')).toBe('UNAUTHENTICATED');
  });

  it('switch user: another user signs in on the locked session and replaces it', async () => {
    const k = setup();
    const { clerk } = await staffed(k);
    await k.ok('session.lock', {});
    await k.ok('session.login', { userId: clerk.id, pin: CLERK_PIN });
    expect(await k.ok('session.status', {})).toMatchObject({ locked: false, user: { id: clerk.id, role: 'clerk' } });
    expect(await k.code('users.list', {})).toBe('FORBIDDEN');
    expect(auditText(k.deps)).toMatch(/replaced user/);
  });

  it('logout ends the session', async () => {
    const k = setup();
    await staffed(k);
    await k.ok('session.logout', {});
    expect(await k.ok('session.status', {})).toMatchObject({ user: null, locked: false });
    expect(await k.code('customers.search', { query: 'a' })).toBe('UNAUTHENTICATED');
  });
});

describe('what each role may do', () => {
  const probes: { [K in ChannelName]?: (ids: { clerkId: string }) => InputOf<K> } = {
    'session.touch': () => ({}),
    'customers.search': () => ({ query: 'a' }),
    'customers.create': () => ({ name: 'Zed' }),
    'audit.list': () => ({}),
    'audit.verify': () => ({}),
    'users.list': () => ({}),
    'users.create': () => ({ name: 'New', role: 'clerk', pin: '555555' }),
    'users.update': ({ clerkId }) => ({ id: clerkId, role: 'clerk' }),
  };
  const allowed: Record<string, string[]> = {
    clerk: ['session.touch', 'customers.search', 'customers.create'],
    supervisor: ['session.touch', 'customers.search', 'customers.create', 'audit.list', 'audit.verify'],
    admin: Object.keys(probes),
  };

  for (const role of ['clerk', 'supervisor', 'admin'] as const) {
    it(`${role}`, async () => {
      const k = setup();
      const staff = await staffed(k);
      const user = role === 'admin' ? staff.admin : role === 'supervisor' ? staff.sup : staff.clerk;
      const pin = role === 'admin' ? ADMIN_PIN : role === 'supervisor' ? SUP_PIN : CLERK_PIN;
      await k.ok('session.login', { userId: user.id, pin }, 'r');
      for (const [channel, make] of Object.entries(probes)) {
        const got = await k.code(channel as ChannelName, (make as (x: { clerkId: string }) => never)({ clerkId: staff.clerk.id }), 'r');
        expect(`${channel}: ${got}`).toBe(`${channel}: ${allowed[role]!.includes(channel) ? 'ok' : 'FORBIDDEN'}`);
      }
    });
  }
});

describe('user management', () => {
  it('keeps at least one active admin', async () => {
    const k = setup();
    const { admin, sup } = await staffed(k);
    expect(await k.code('users.update', { id: admin.id, role: 'clerk' })).toBe('NOT_ALLOWED');
    expect(await k.code('users.update', { id: admin.id, active: false })).toBe('NOT_ALLOWED');
    await k.ok('users.update', { id: sup.id, role: 'admin' });
    expect(await k.ok('users.update', { id: admin.id, role: 'clerk' })).toMatchObject({ role: 'clerk', active: true });
    expect(await k.code('users.update', { id: 'missing', role: 'clerk' }, 'w1')).toBe('FORBIDDEN'); // the demoted admin's own session
  });

  it('a role change applies at once; deactivation signs the user out and blocks sign-in', async () => {
    const k = setup();
    const { clerk } = await staffed(k);
    await k.ok('session.login', { userId: clerk.id, pin: CLERK_PIN }, 'c');
    expect(await k.code('audit.list', {}, 'c')).toBe('FORBIDDEN');
    await k.ok('users.update', { id: clerk.id, role: 'supervisor' });
    expect(await k.code('audit.list', {}, 'c')).toBe('ok');
    await k.ok('users.update', { id: clerk.id, active: false });
    expect(await k.code('audit.list', {}, 'c')).toBe('UNAUTHENTICATED');
    expect(await k.code('session.login', { userId: clerk.id, pin: CLERK_PIN }, 'c')).toBe('BAD_CREDENTIALS');
    expect((await k.ok('users.list', {})).find((u) => u.id === clerk.id)).toMatchObject({ active: false, role: 'supervisor' });
    expect(await k.code('users.update', { id: 'missing', role: 'clerk' })).toBe('NOT_FOUND');
  });
});

describe('managing people (issue 13, item 11)', () => {
  it('renames a user: the sign-in list and their own session show the new name, the audit keeps both', async () => {
    const k = setup();
    const { clerk } = await staffed(k);
    await k.ok('session.login', { userId: clerk.id, pin: CLERK_PIN }, 'c');
    const seen: unknown[] = [];
    k.deps.events.on('session.changed', (p) => seen.push(p));
    expect(await k.ok('users.update', { id: clerk.id, name: '  Cleo Clark ' })).toMatchObject({ name: 'Cleo Clark', role: 'clerk', active: true });
    expect((await k.ok('session.users', {}, 'x')).map((u) => u.name)).toContain('Cleo Clark');
    expect((await k.ok('session.status', {}, 'c')).user).toMatchObject({ name: 'Cleo Clark' });
    expect(seen).toEqual([{ locked: false, userId: clerk.id }]); // their window asks again at once
    const entry = (await k.ok('audit.list', {})).find((e) => e.action === 'user.update')!;
    expect(entry).toMatchObject({ userName: 'Ada Admin', target: clerk.id, detail: 'Cleo Clerk: name "Cleo Clerk" → "Cleo Clark"' });
    expect(await k.code('users.update', { id: clerk.id, name: '   ' })).toBe('VALIDATION');
  });

  it('a demoted user’s open session takes the new role on its next call', async () => {
    const k = setup();
    const { sup } = await staffed(k);
    await k.ok('session.login', { userId: sup.id, pin: SUP_PIN }, 's');
    expect(await k.code('audit.list', {}, 's')).toBe('ok');
    await k.ok('users.update', { id: sup.id, role: 'clerk' });
    expect(await k.code('audit.list', {}, 's')).toBe('FORBIDDEN');
    expect((await k.ok('session.status', {}, 's')).user).toMatchObject({ role: 'clerk' });
  });

  it('deactivates (history kept, gone from sign-in, cannot sign in) and reactivates', async () => {
    const k = setup();
    const { clerk } = await staffed(k);
    await k.ok('session.login', { userId: clerk.id, pin: CLERK_PIN }, 'c');
    await k.ok('users.update', { id: clerk.id, active: false });
    expect((await k.ok('session.status', {}, 'c')).user).toBeNull();
    expect((await k.ok('session.users', {}, 'x')).map((u) => u.id)).not.toContain(clerk.id);
    expect(await k.code('session.login', { userId: clerk.id, pin: CLERK_PIN }, 'c')).toBe('BAD_CREDENTIALS');
    const audit = await k.ok('audit.list', {});
    expect(audit.find((e) => e.action === 'session.login' && e.outcome === 'success')).toMatchObject({ userId: clerk.id, userName: 'Cleo Clerk' });
    expect(audit.find((e) => e.action === 'user.update')).toMatchObject({ detail: 'Cleo Clerk: deactivated', userName: 'Ada Admin' });
    await k.ok('users.update', { id: clerk.id, active: true });
    expect((await k.ok('session.users', {}, 'x')).map((u) => u.id)).toContain(clerk.id);
    await k.ok('session.login', { userId: clerk.id, pin: CLERK_PIN }, 'c');
  });

  it('an admin’s PIN reset works at once, the old PIN no longer does; never one’s own PIN that way', async () => {
    const k = setup();
    const { admin, clerk } = await staffed(k);
    await k.ok('users.update', { id: clerk.id, pin: '424242' });
    expect(await k.code('session.login', { userId: clerk.id, pin: CLERK_PIN }, 'c')).toBe('BAD_CREDENTIALS');
    await k.ok('session.login', { userId: clerk.id, pin: '424242' }, 'c');
    expect(await k.code('users.update', { id: admin.id, pin: '999999' })).toBe('NOT_ALLOWED');
    expect(await k.code('session.login', { userId: admin.id, pin: ADMIN_PIN }, 'a2')).toBe('ok');
  });

  it('changes one’s own PIN only with the current PIN; wrong ones count toward the lockout; audited without PINs', async () => {
    const k = setup();
    const { clerk } = await staffed(k);
    await k.ok('session.login', { userId: clerk.id, pin: CLERK_PIN }, 'c');
    expect(await k.code('session.changePin', { currentPin: '913579', newPin: '565656' }, 'c')).toBe('BAD_CREDENTIALS');
    expect(await k.code('session.changePin', { currentPin: CLERK_PIN, newPin: '123' }, 'c')).toBe('VALIDATION');
    expect(await k.code('session.changePin', { currentPin: CLERK_PIN, newPin: CLERK_PIN }, 'c')).toBe('VALIDATION');
    await k.ok('session.changePin', { currentPin: CLERK_PIN, newPin: '565656' }, 'c');
    expect(await k.code('session.login', { userId: clerk.id, pin: CLERK_PIN }, 'd')).toBe('BAD_CREDENTIALS');
    await k.ok('session.login', { userId: clerk.id, pin: '565656' }, 'd');
    expect(await k.code('session.changePin', { currentPin: 'x', newPin: '565656' }, 'nobody')).toBe('UNAUTHENTICATED');

    // Ten wrong current PINs lock the account like ten wrong sign-ins.
    for (let i = 0; i < 10; i++) await k.code('session.changePin', { currentPin: `99999${i}`, newPin: '676767' }, 'c');
    expect(await k.code('session.changePin', { currentPin: '565656', newPin: '676767' }, 'c')).toBe('ACCOUNT_LOCKED');

    const changes = (await k.ok('audit.list', {})).filter((e) => e.action === 'user.pin.change');
    expect(changes.filter((e) => e.outcome === 'success')).toHaveLength(1);
    expect(changes.every((e) => e.userId === clerk.id && e.target === clerk.id)).toBe(true);
    const everything = auditText(k.deps) + k.deps.log.lines.join('\n');
    for (const secret of [CLERK_PIN, '565656', '913579', '676767']) expect(everything).not.toContain(secret);
  });

  it('only an admin manages people; anyone signed in changes their own PIN', async () => {
    const k = setup();
    const { sup, clerk } = await staffed(k);
    await k.ok('session.login', { userId: sup.id, pin: SUP_PIN }, 's');
    for (const patch of [{ name: 'X' }, { role: 'admin' as const }, { active: false }, { pin: '818181' }]) {
      expect(await k.code('users.update', { id: clerk.id, ...patch }, 's')).toBe('FORBIDDEN');
    }
    await k.ok('session.changePin', { currentPin: SUP_PIN, newPin: '828282' }, 's');
  });
});

describe('audit of people actions', () => {
  it('records sign-in, failures, locks, user changes; never a PIN or a hash; and verifies', async () => {
    const k = setup();
    const { clerk } = await staffed(k);
    await k.code('session.login', { userId: clerk.id, pin: '987654' }, 'c');
    await k.ok('session.login', { userId: clerk.id, pin: CLERK_PIN }, 'c');
    await k.ok('session.lock', {}, 'c');
    await k.code('session.unlock', { pin: '876543' }, 'c');
    await k.ok('session.unlock', { pin: CLERK_PIN }, 'c');
    await k.ok('users.update', { id: clerk.id, pin: '765432' });
    await k.ok('session.logout', {}, 'c');
    const list = await k.ok('audit.list', {});
    const actions = list.map((e) => `${e.action}:${e.outcome}`).reverse();
    expect(actions).toEqual([
      'session.setup:success', 'user.create:success', 'user.create:success',
      'session.login:failure', 'session.login:success', 'session.lock:success',
      'session.unlock:failure', 'session.unlock:success', 'user.update:success', 'session.logout:success',
    ]);
    expect(list.every((e) => e.station === 'Desk 1')).toBe(true);
    expect(await k.ok('audit.verify', {})).toMatchObject({ ok: true, checked: 10, firstBadSeq: null });

    const everything = auditText(k.deps) + k.deps.log.lines.join('\n');
    for (const secret of [ADMIN_PIN, SUP_PIN, CLERK_PIN, '987654', '876543', '765432', 'scrypt$']) expect(everything).not.toContain(secret);
    const hashes = k.deps.db.prepare('SELECT secret_hash FROM users').all() as { secret_hash: string }[];
    for (const h of hashes) expect(everything).not.toContain(h.secret_hash.split('$')[5]);
    expect(verifyAudit(k.deps.db).ok).toBe(true);
  });
});
