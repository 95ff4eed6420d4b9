import type { CoreDeps } from '../deps';
import type { PartialHandlers } from '../context';
import { ContractError } from '../../../shared/contract/errors';
import { coreText } from '../../../shared/contract/messages';
import { defaultStationName, isDefaultStationName, stationLanguage, stationLocaleFor } from '../../../shared/contract/locale';
import { auditAs, requireUser } from '../ledger/audit-as';
import { checkSecret, credentialError } from './credentials';
import { hashSecret } from './secrets';
import type { SessionManager } from './sessions';
import { EMBEDDED_ACCOUNT } from '../ledger/account-key';
import { countUsers, getUserRecord, insertUser, listUsers, setUserLanguage, updateUserRow, type UserDigits, type UserLanguage } from './users-repo';

const ok = { ok: true as const };

export function sessionHandlers(deps: CoreDeps, sessions: SessionManager): PartialHandlers {
  // The person's own language and digits ride along, so the screen switches to them at sign-in.
  const sessionUser = (u: { id: string; name: string; role: 'clerk' | 'supervisor' | 'admin'; language?: UserLanguage | null; digits?: UserDigits | null }) => ({
    id: u.id, name: u.name, role: u.role, language: u.language ?? null, digits: u.digits ?? null,
  });

  return {
    'session.status': (_input, ctx) => {
      const now = deps.clock.now();
      const s = sessions.get(ctx.sessionKey, now);
      const u = s ? getUserRecord(deps.db, s.userId) : undefined;
      const signedIn = u && u.active ? u : undefined;
      return {
        setupRequired: countUsers(deps.db) === 0,
        user: signedIn ? sessionUser(signedIn) : null,
        locked: !!signedIn && s!.lockedAt !== null,
        idleLockMs: sessions.idleLockMs(),
        station: deps.station,
        // The station's language and digits: the sign-in screen before anyone says theirs.
        locale: deps.settings.get().locale,
        gateway: {
          name: deps.gateway.name,
          sandbox: deps.gateway.isSandbox,
          environment: deps.accounts?.activeEnvironment() ?? 'sandbox',
          account: deps.accounts?.activeAccount() ?? EMBEDDED_ACCOUNT,
          confirmation: deps.accounts?.confirmationAvailable() ?? true,
        },
        now: now.toISOString(),
      };
    },

    'session.setup': async (input, ctx) => {
      const secretHash = await hashSecret(input.pin);
      const now = deps.clock.now();
      // The language chosen on the very first screen becomes the station's default (issue #17), and a
      // station name nobody typed yet ("Desk 1") follows it, before the first audit entry carries it.
      // A name someone chose is kept.
      if (input.language && countUsers(deps.db) === 0) {
        const settings = deps.settings.get();
        const locale = stationLocaleFor(settings.locale, input.language);
        const name = isDefaultStationName(settings.stationName) ? defaultStationName(input.language, stationLanguage(locale).digits) : settings.stationName;
        deps.settings.update({ locale, stationName: name });
      }
      // Check and insert in one transaction: two windows racing through first run make one admin.
      const admin = deps.db.transaction(() => {
        if (countUsers(deps.db) > 0) throw new ContractError('CONFLICT', coreText('refuse.alreadySetUp'));
        const u = insertUser(deps.db, { name: input.name, role: 'admin', secretHash }, now.toISOString());
        auditAs(deps, u, { action: 'session.setup', outcome: 'success', target: u.id, detail: `first admin created (${ctx.origin})${input.language ? `; station language ${input.language}` : ''}` });
        return u;
      })();
      sessions.start(ctx.sessionKey, admin.id, now);
      return sessionUser(admin);
    },

    'session.users': () => listUsers(deps.db, true).map(sessionUser),

    'session.preferences': (input, ctx) => {
      const user = requireUser(ctx);
      setUserLanguage(deps.db, user.id, input, deps.clock.now().toISOString());
      const changed = (['language', 'digits'] as const).filter((k) => input[k] !== undefined).map((k) => `${k} ${input[k] ?? 'station default'}`);
      auditAs(deps, user, { action: 'user.preferences', outcome: 'success', target: user.id, detail: changed.length ? changed.join(', ') : 'no change' });
      return sessionUser(getUserRecord(deps.db, user.id)!);
    },

    'session.login': async (input, ctx) => {
      const r = await checkSecret(deps, input.userId, input.pin);
      const now = deps.clock.now();
      if (!r.ok) {
        auditAs(deps, r.user ?? null, {
          action: 'session.login', outcome: 'failure', target: input.userId,
          detail: `${r.reason === 'locked' ? 'account locked' : r.reason === 'wrong' ? 'wrong PIN' : r.reason === 'inactive' ? 'inactive user' : 'unknown user'} (${ctx.origin})`,
        });
        throw credentialError(deps, r);
      }
      const previous = sessions.get(ctx.sessionKey, now);
      sessions.start(ctx.sessionKey, r.user.id, now);
      const switched = previous && previous.userId !== r.user.id ? `; replaced user ${previous.userId}` : '';
      auditAs(deps, r.user, { action: 'session.login', outcome: 'success', target: r.user.id, detail: `${ctx.origin}${switched}` });
      return sessionUser(r.user);
    },

    'session.logout': (_input, ctx) => {
      const user = requireUser(ctx);
      sessions.end(ctx.sessionKey);
      auditAs(deps, user, { action: 'session.logout', outcome: 'success', target: user.id });
      return ok;
    },

    'session.lock': (_input, ctx) => {
      const user = requireUser(ctx);
      sessions.lock(ctx.sessionKey, deps.clock.now());
      auditAs(deps, user, { action: 'session.lock', outcome: 'success', detail: 'by hand' });
      return ok;
    },

    'session.unlock': async (input, ctx) => {
      const s = sessions.get(ctx.sessionKey, deps.clock.now());
      if (!s) throw new ContractError('UNAUTHENTICATED', 'Nobody is signed in here: sign in first.');
      // Only the signed-in user's own PIN unlocks; someone else signs in with session.login instead.
      const r = await checkSecret(deps, s.userId, input.pin);
      const now = deps.clock.now();
      if (!r.ok) {
        auditAs(deps, r.user ?? null, { action: 'session.unlock', outcome: 'failure', detail: r.reason === 'locked' ? 'account locked' : 'wrong PIN' });
        if (r.reason === 'unknown' || r.reason === 'inactive') {
          sessions.end(ctx.sessionKey);
          throw new ContractError('UNAUTHENTICATED', 'This user can no longer sign in.');
        }
        throw credentialError(deps, r);
      }
      sessions.unlock(ctx.sessionKey, now);
      auditAs(deps, r.user, { action: 'session.unlock', outcome: 'success' });
      return sessionUser(r.user);
    },

    'session.changePin': async (input, ctx) => {
      const user = requireUser(ctx);
      // A wrong current PIN counts toward the lockout like any other: the desk may be left open.
      const r = await checkSecret(deps, user.id, input.currentPin);
      if (!r.ok) {
        auditAs(deps, user, { action: 'user.pin.change', outcome: 'failure', target: user.id, detail: r.reason === 'locked' ? 'account locked' : 'wrong current PIN' });
        if (r.lockedUntil) throw credentialError(deps, r);
        throw new ContractError('BAD_CREDENTIALS', 'Your current PIN is not right.');
      }
      if (input.newPin === input.currentPin) {
        throw new ContractError('VALIDATION', 'Choose a new PIN different from the current one.', { newPin: 'Choose a PIN different from the current one' });
      }
      updateUserRow(deps.db, user.id, { secretHash: await hashSecret(input.newPin) }, deps.clock.now().toISOString());
      auditAs(deps, user, { action: 'user.pin.change', outcome: 'success', target: user.id, detail: 'own PIN changed' });
      return ok;
    },

    'session.touch': (_input, ctx) => {
      sessions.touch(ctx.sessionKey, deps.clock.now());
      return ok;
    },
  };
}
