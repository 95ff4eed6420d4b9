import { createHash } from 'node:crypto';
import type { Db } from '../core/db/database';
import type { Gateway, Outcome } from '../gateway/types';

/** Test support: a digest of every row of every ledger table, to prove "nothing changed". */
export function ledgerDigest(db: Db): string {
  const hash = createHash('sha256');
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[];
  for (const { name } of tables) {
    const quoted = `"${name.replace(/"/g, '""')}"`;
    let rows: unknown[];
    try {
      rows = db.prepare(`SELECT * FROM ${quoted} ORDER BY rowid`).all();
    } catch {
      rows = db.prepare(`SELECT * FROM ${quoted}`).all(); // WITHOUT ROWID tables keep key order
    }
    hash.update(name).update('\0').update(JSON.stringify(rows)).update('\0');
  }
  return hash.digest('hex');
}

function unreachable<T>(ref: string): Promise<Outcome<T>> {
  return Promise.resolve({ kind: 'pending', refs: { merchantReference: ref }, reason: 'network', detail: 'offline (fuzz gateway)' });
}

/** A gateway that is always offline: fuzzed calls must never depend on the network. */
export const offlineGateway: Gateway = {
  name: 'Fuzz gateway (offline)',
  isSandbox: true,
  hostedForm: (req) => ({ action: 'http://127.0.0.1:9/paymentPage', method: 'POST', fields: { merchant_reference: req.merchantReference } }),
  verifyTokenizationReturn: () => ({ ok: false, reason: 'bad_signature', message: 'Bad signature' }),
  authorize: (r) => unreachable(r.merchantReference),
  purchase: (r) => unreachable(r.merchantReference),
  capture: (r) => unreachable(r.merchantReference),
  voidAuthorization: (r) => unreachable(r.merchantReference),
  refund: (r) => unreachable(r.merchantReference),
  checkStatus: (r) => unreachable(r.merchantReference),
  updateToken: (r) => unreachable(r.merchantReference),
  startConfirmation: () => unreachable('confirmation'),
  getConfirmation: () => unreachable('confirmation'),
  probe: () => Promise.resolve(false),
};
