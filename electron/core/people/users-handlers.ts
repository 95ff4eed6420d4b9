import type { CoreDeps } from '../deps';
import type { PartialHandlers } from '../context';
import { ContractError } from '../../../shared/contract/errors';
import { coreText } from '../../../shared/contract/messages';
import { auditAs, requireUser } from '../ledger/audit-as';
import { listAudit, verifyAudit } from '../ledger/audit-log';
import { hashSecret } from './secrets';
import type { SessionManager } from './sessions';
import { countActiveAdmins, getUserRecord, insertUser, listUsers, publicUser, updateUserRow } from './users-repo';

/** One station's chain as the shop server holds it. */
export interface StationChain {
  stationId: string;
  name: string;
  thisStation: boolean;
  checked: number;
  problem: string | null;
}

/** What the shop server says of the audit chains (null: this station is not in a shop). */
export type ShopAuditCheck = () => Promise<{
  reachable: boolean;
  /** This station's chain against the server's newest entry of it (null: not checked, unreachable). */
  anchor: { ok: true } | { ok: false; problem: 'cut_off'; anchoredSeq: number; localSeq: number } | { ok: false; problem: 'diverged'; anchoredSeq: number } | null;
  stations: StationChain[];
} | null>;

export interface PeopleOptions {
  /** In a shop, audit.verify also checks the chains against the server (docs/stations.md). */
  shopAudit?: ShopAuditCheck;
}

type Verdict = ReturnType<typeof verifyAudit> & { shop?: { reachable: boolean; stations: StationChain[] } | null };

/** The local verdict, then what the shop's server shows: the first problem found is the one reported. */
async function verifyWithShop(deps: CoreDeps, shopAudit: ShopAuditCheck | undefined): Promise<Verdict> {
  const local = verifyAudit(deps.db);
  if (!shopAudit) return local;
  const shop = await shopAudit();
  if (!shop) return local;
  const verdict: Verdict = { ...local, shop: { reachable: shop.reachable, stations: shop.stations } };
  if (!local.ok) return verdict;
  const a = shop.anchor;
  if (a && !a.ok) {
    return a.problem === 'cut_off'
      ? { ...verdict, ok: false, firstBadSeq: null, problem: `The newest entries were removed: this log ends at entry ${a.localSeq}, the shop server holds this station's entries up to ${a.anchoredSeq}` }
      : { ...verdict, ok: false, firstBadSeq: a.anchoredSeq, problem: `Entry ${a.anchoredSeq} differs from the shop server's copy: this log was rewritten from there on` };
  }
  const other = shop.stations.find((s) => s.problem !== null && !s.thisStation) ?? shop.stations.find((s) => s.problem !== null);
  if (other) return { ...verdict, ok: false, firstBadSeq: null, problem: `The shop server's copy of ${other.name}'s log: ${other.problem}` };
  return verdict;
}

export function usersHandlers(deps: CoreDeps, sessions: SessionManager, opts: PeopleOptions = {}): PartialHandlers {
  return {
    'users.list': () => listUsers(deps.db, false),

    'users.create': async (input, ctx) => {
      const admin = requireUser(ctx);
      // Hashed before the transaction: the hash is awaited (off the event loop), a transaction cannot be.
      const secretHash = await hashSecret(input.pin);
      return deps.db.transaction(() => {
        const u = insertUser(deps.db, { name: input.name, role: input.role, secretHash }, deps.clock.now().toISOString());
        auditAs(deps, admin, { action: 'user.create', outcome: 'success', target: u.id, detail: `${u.name} as ${u.role}` });
        return u;
      })();
    },

    'users.update': async (input, ctx) => {
      const admin = requireUser(ctx);
      const secretHash = input.pin !== undefined ? await hashSecret(input.pin) : undefined;
      const updated = deps.db.transaction(() => {
        const before = getUserRecord(deps.db, input.id);
        if (!before) throw new ContractError('NOT_FOUND', 'This user does not exist.');
        // One's own PIN is changed with the current one (session.changePin), never reset without it.
        if (input.pin !== undefined && before.id === admin.id) {
          throw new ContractError('NOT_ALLOWED', coreText('refuse.ownPin'));
        }
        const name = input.name?.trim() ?? before.name;
        const role = input.role ?? before.role;
        const active = input.active ?? before.active;
        // The station must always keep someone who can manage users and settings.
        const losesAdmin = before.role === 'admin' && before.active && (role !== 'admin' || !active);
        if (losesAdmin && countActiveAdmins(deps.db) <= 1) {
          throw new ContractError('NOT_ALLOWED', coreText('refuse.lastAdmin'));
        }
        updateUserRow(deps.db, before.id, { name: input.name, role: input.role, active: input.active, secretHash }, deps.clock.now().toISOString());
        const changes = [
          name !== before.name ? `name "${before.name}" → "${name}"` : '',
          role !== before.role ? `role ${before.role} → ${role}` : '',
          active !== before.active ? (active ? 'reactivated' : 'deactivated') : '',
          input.pin !== undefined ? 'PIN reset (lockout cleared)' : '',
        ].filter(Boolean);
        auditAs(deps, admin, { action: 'user.update', outcome: 'success', target: before.id, detail: `${before.name}: ${changes.join('; ') || 'no change'}` });
        return { user: publicUser({ ...before, name, role, active }), changed: name !== before.name || role !== before.role };
      })();
      // Their open windows follow at once: signed out when deactivated, new name or role otherwise.
      if (!updated.user.active) sessions.endUser(updated.user.id);
      else if (updated.changed) sessions.userChanged(updated.user.id);
      return updated.user;
    },

    'audit.list': (input) => listAudit(deps.db, input),

    'audit.verify': async (_input, ctx) => {
      const verdict = await verifyWithShop(deps, opts.shopAudit);
      // Checking the log is itself worth recording, especially when it fails.
      auditAs(deps, ctx.user, { action: 'audit.verify', outcome: verdict.ok ? 'success' : 'failure', detail: verdict.problem ?? `${verdict.checked} entries intact` });
      return verdict;
    },
  };
}
