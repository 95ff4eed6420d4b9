import { ContractError } from '../../../shared/contract';
import type { PartialHandlers } from '../context';
import type { CoreDeps } from '../deps';
import { auditAs, requireUser } from '../ledger/audit-as';
import { checkSecret, credentialError } from '../people';
import type { GatewayAccounts } from './accounts';
import { accountKey, describeAccount } from './model';

/** Settings → Gateway. Admin only (contract); every change audited without a secret. */
export function gatewayHandlers(deps: CoreDeps, accounts: GatewayAccounts): PartialHandlers {
  return {
    'gateway.get': () => accounts.state(),

    'gateway.test': async (input, ctx) => {
      const user = requireUser(ctx);
      const candidate = accounts.candidate(input, user.name);
      const r = await accounts.test(candidate);
      auditAs(deps, user, {
        action: 'gateway.test', outcome: r.outcome === 'ok' ? 'success' : 'failure',
        target: accountKey(candidate.environment, candidate.merchantIdentifier), detail: `connection test: ${r.outcome}${r.responseCode ? ` (${r.responseCode})` : ''}`,
      });
      return r;
    },

    'gateway.save': async (input, ctx) => {
      const user = requireUser(ctx);
      const candidate = accounts.candidate(input, user.name);
      const target = accountKey(candidate.environment, candidate.merchantIdentifier);
      const test = await accounts.test(candidate);
      if (candidate.environment === 'production' && test.outcome !== 'ok') {
        auditAs(deps, user, { action: 'gateway.save', outcome: 'failure', target, detail: `production not saved: connection test ${test.outcome}` });
        throw new ContractError('NOT_ALLOWED', `Production is saved only after a successful connection test. ${test.message}`);
      }
      const changes = accounts.changes(candidate);
      try {
        accounts.store(candidate, test);
      } catch (e) {
        auditAs(deps, user, { action: 'gateway.save', outcome: 'failure', target, detail: (e instanceof Error ? e.message : String(e)).slice(0, 400) });
        throw e;
      }
      auditAs(deps, user, { action: 'gateway.save', outcome: 'success', target, detail: `${changes.join('; ')}; connection test ${test.outcome}`.slice(0, 500) });
      return accounts.state();
    },

    'gateway.switch': async (input, ctx) => {
      const user = requireUser(ctx);
      // The PIN again: a session left open is not enough to move where money goes.
      const r = await checkSecret(deps, user.id, input.pin);
      if (!r.ok) {
        auditAs(deps, user, { action: 'gateway.switch', outcome: 'failure', target: input.environment, detail: 'wrong PIN' });
        throw credentialError(deps, r);
      }
      try {
        const { from, to } = accounts.switchTo(input.environment, input.confirmation, user.name);
        auditAs(deps, user, { action: 'gateway.switch', outcome: 'success', target: to, detail: `${describeAccount(from)} → ${describeAccount(to)}` });
      } catch (e) {
        auditAs(deps, user, { action: 'gateway.switch', outcome: 'failure', target: input.environment, detail: (e instanceof Error ? e.message : String(e)).slice(0, 400) });
        throw e;
      }
      return accounts.state();
    },
  };
}
