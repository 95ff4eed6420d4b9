// Test fixtures for the catalog (imported by tests only): the catalog and payments features behind the real dispatcher.
import { channels, type ChannelName, type OutputOf } from '../../../shared/contract';
import type { Handlers } from '../context';
import { createDispatcher } from '../dispatch';
import { createPaymentsFeature } from '../payments';
import { silentLogger } from '../deps';
import { testDeps } from '../people/test-kit';
import { createCatalogFeature } from '.';

const ADMIN = { id: 'u_admin', name: 'Ada Admin', role: 'admin' as const };
const CLERK = { id: 'u_clerk', name: 'Chris Clerk', role: 'clerk' as const };

export function setup() {
  const deps = testDeps({ currency: 'USD' });
  const catalog = createCatalogFeature(deps);
  const payments = createPaymentsFeature(deps);
  const handlers = { ...payments.handlers, ...catalog.handlers } as unknown as Handlers;
  const dispatch = createDispatcher({ handlers, resolveCaller: (k) => (k === 'admin' ? ADMIN : k === 'clerk' ? CLERK : null), log: silentLogger, validateOutput: true });
  const call = async <K extends ChannelName>(name: K, input: unknown, as: 'admin' | 'clerk' = 'admin') => {
    const r = await dispatch(name, input, { sessionKey: as, origin: 'test' });
    if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code, fields: r.error.fields });
    return channels[name].output.parse(r.value) as OutputOf<K>;
  };
  const audit = () => deps.db.prepare(`SELECT action, target, user_name AS userName FROM audit ORDER BY seq`).all() as { action: string; target: string; userName: string }[];
  const count = (t: string) => (deps.db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
  return { deps, call, dispatch, audit, count };
}

