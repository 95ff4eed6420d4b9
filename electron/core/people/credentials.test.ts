import { describe, expect, it } from 'vitest';
import { checkSecret, MAX_FAILED_ATTEMPTS } from './credentials';
import { hashSecret } from './secrets';
import { testDeps } from './test-kit';
import { getUserRecord, insertUser, updateUserRow } from './users-repo';

async function oneUser() {
  const deps = testDeps();
  const at = deps.clock.now().toISOString();
  const user = insertUser(deps.db, { name: 'Sam Super', role: 'supervisor', secretHash: await hashSecret('222222') }, at);
  return { deps, user };
}

// The PIN's hash is awaited, so checks of one user overlap: the verdict is applied to the user as
// stored after the hash (credentials.ts settle).
describe('checkSecret with overlapping checks', () => {
  it('counts every wrong PIN when they arrive together: ten at once lock the account', async () => {
    const { deps, user } = await oneUser();
    const results = await Promise.all(Array.from({ length: MAX_FAILED_ATTEMPTS }, () => checkSecret(deps, user.id, '999999')));
    expect(results.every((r) => !r.ok)).toBe(true);
    expect(results.filter((r) => !r.ok && r.justLocked)).toHaveLength(1);
    const after = getUserRecord(deps.db, user.id)!;
    expect(after.lockedUntil).not.toBeNull();
    // Locked: even the right PIN is refused now.
    expect(await checkSecret(deps, user.id, '222222')).toMatchObject({ ok: false, reason: 'locked' });
  });

  it('nine overlapping wrong PINs leave the counter at nine', async () => {
    const { deps, user } = await oneUser();
    await Promise.all(Array.from({ length: MAX_FAILED_ATTEMPTS - 1 }, () => checkSecret(deps, user.id, '999999')));
    expect(getUserRecord(deps.db, user.id)!.failedAttempts).toBe(MAX_FAILED_ATTEMPTS - 1);
  });

  it('a user deactivated while their PIN was being checked is refused', async () => {
    const { deps, user } = await oneUser();
    const pending = checkSecret(deps, user.id, '222222');
    updateUserRow(deps.db, user.id, { active: false }, deps.clock.now().toISOString());
    expect(await pending).toMatchObject({ ok: false, reason: 'inactive' });
  });

  it('the old PIN no longer works once a new one was set during its check', async () => {
    const { deps, user } = await oneUser();
    const newHash = await hashSecret('135790');
    const pending = checkSecret(deps, user.id, '222222');
    updateUserRow(deps.db, user.id, { secretHash: newHash }, deps.clock.now().toISOString());
    expect(await pending).toMatchObject({ ok: false, reason: 'wrong' });
    expect(await checkSecret(deps, user.id, '135790')).toMatchObject({ ok: true });
  });
});
