import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { GatewayAccountInput } from '../../../shared/contract';
import type { CoreDeps } from '../deps';
import { auditAs } from '../ledger/audit-as';
import type { GatewayAccounts } from './accounts';
import { accountKey, describeAccount } from './model';

/**
 * Provisioning a station without the screen (docs/going-live.md): `--gateway-config FILE`. The
 * file holds secrets, so it must be readable by its owner only (0600 or stricter); it is read once
 * at start, validated field by field, its secrets go into the encrypted ledger, and a production
 * account is stored only after a successful connection test. Nothing of it is logged.
 */
export const GatewayConfigFile = z
  .object({
    account: GatewayAccountInput.and(
      z.object({ accessCode: z.string(), requestPhrase: z.string(), responsePhrase: z.string() }),
    ),
    /** Send new payments to this account once stored (default true). */
    activate: z.boolean().default(true),
  })
  .strict();

export class GatewayConfigError extends Error {
  constructor(file: string, problems: string[]) {
    super(`Gateway config ${file} not used:\n  - ${problems.join('\n  - ')}`);
    this.name = 'GatewayConfigError';
  }
}

/** Reads and validates the file (no side effect). Throws GatewayConfigError with one line per bad field. */
export function readGatewayConfig(file: string): z.output<typeof GatewayConfigFile> {
  let st;
  try {
    st = statSync(file);
  } catch (e) {
    throw new GatewayConfigError(file, [`cannot read it (${(e as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  if (!st.isFile()) throw new GatewayConfigError(file, ['not a regular file']);
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
    throw new GatewayConfigError(file, [`its permissions are ${(st.mode & 0o777).toString(8)}: it holds secrets, make it readable by its owner only (chmod 600 ${file})`]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new GatewayConfigError(file, ['not valid JSON']);
  }
  const r = GatewayConfigFile.safeParse(parsed);
  // Field names and rules only: zod issues never carry the rejected value here.
  if (!r.success) throw new GatewayConfigError(file, r.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`));
  return r.data;
}

export interface ProvisionResult {
  account: string;
  test: string;
  active: boolean;
}

/** Imports the file into the ledger (audited as "provisioning", never a secret). */
export async function provisionGateway(deps: CoreDeps, accounts: GatewayAccounts, file: string): Promise<ProvisionResult> {
  const cfg = readGatewayConfig(file);
  const actor = { id: 'provisioning', name: `provisioning (${file})`.slice(0, 80) };
  const candidate = accounts.candidate(cfg.account, actor.name);
  const target = accountKey(candidate.environment, candidate.merchantIdentifier);
  const test = await accounts.test(candidate);
  if (candidate.environment === 'production' && test.outcome !== 'ok') {
    auditAs(deps, actor, { action: 'gateway.save', outcome: 'failure', target, detail: `provisioning: production not saved, connection test ${test.outcome}` });
    throw new GatewayConfigError(file, [`production is stored only after a successful connection test: ${test.message}`]);
  }
  const changes = accounts.changes(candidate);
  accounts.store(candidate, test);
  auditAs(deps, actor, { action: 'gateway.save', outcome: 'success', target, detail: `provisioning: ${changes.join('; ')}; connection test ${test.outcome}`.slice(0, 500) });
  if (cfg.activate) {
    const { from, to } = accounts.switchTo(candidate.environment, 'GO LIVE', actor.name);
    auditAs(deps, actor, { action: 'gateway.switch', outcome: 'success', target: to, detail: `provisioning: ${describeAccount(from)} → ${describeAccount(to)}` });
  }
  return { account: target, test: test.outcome, active: cfg.activate };
}
