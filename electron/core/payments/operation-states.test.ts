/**
 * The operation state machine (issue 15, items 1-2): every illegal move is refused by the table
 * (moveOperation) and by the ledger (migration 009's triggers); the trigger's list is the table's;
 * a stale `from` fails loudly; docs/architecture.md shows the diagram rendered from the table; and
 * no public method can resend an UNKNOWN without a status check.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { OperationState as OperationStateSchema } from '../../../shared/contract';
import { migrate } from '../db/database';
import { OPERATION_STATE_GUARD } from '../db/migrations/009-operation-state-guard';
import { appendOperation, getOperation, type OperationState } from './operation-log';
import { IllegalTransitionError, isLegalMove, moveOperation, nextState, OPERATION_TRANSITIONS, stateDiagram, StateMismatchError, type OperationEvent } from './operation-states';
import { startHarness, type Harness } from './test-harness';

const STATES = OperationStateSchema.options as readonly OperationState[];
const EVENTS = [...new Set(OPERATION_TRANSITIONS.map((t) => t.event))] as OperationEvent[];
const AT = '2026-12-01T10:00:00.000Z';

function ledger(): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db);
  db.prepare(`INSERT INTO orders (id, reference, channel, currency, lines_json, net, tax, total, status, created_at, created_by, created_by_name, updated_at) VALUES ('ord_1', 'R-1', 'phone', 'USD', '[]', 1000, 0, 1000, 'awaiting_payment', ?, 'u', 'U', ?)`).run(AT, AT);
  db.prepare(`INSERT INTO payments (id, order_id, reference, method, kind, currency, amount, status, created_at, created_by, updated_at) VALUES ('pay_1', 'ord_1', 'R-1-P', 'card', 'authorization', 'USD', 1000, 'authorized', ?, 'u', ?)`).run(AT, AT);
  return db;
}

/** A row brought to `state` by legal moves only (the triggers are on). */
function rowIn(db: Database.Database, state: OperationState): string {
  const start: OperationState = state === 'pending' ? 'pending' : state === 'queued' || state === 'needs_attention' ? 'queued' : state === 'succeeded' ? 'succeeded' : 'sent';
  const op = appendOperation(db, { paymentId: 'pay_1', type: 'capture', amount: 1, reference: 'R-1-P', state: start, userId: null, userName: null }, AT);
  const path: Partial<Record<OperationState, OperationEvent>> = { unknown: 'no_answer', declined: 'refused', needs_attention: 'recheck_failed' };
  const ev = path[state];
  if (ev) moveOperation(db, op.id, start, ev, {}, AT);
  expect(getOperation(db, op.id)!.state).toBe(state);
  return op.id;
}

describe('the operation state machine', () => {
  it('the table refuses every move it does not name, and the ledger refuses every state change the table does not allow', () => {
    const db = ledger();
    let refusedByTable = 0;
    let refusedByLedger = 0;
    for (const from of STATES) {
      for (const event of EVENTS) {
        const named = OPERATION_TRANSITIONS.some((t) => t.from === from && t.event === event);
        if (named) continue;
        const id = rowIn(db, from);
        expect(() => moveOperation(db, id, from, event, {}, AT), `${from} --${event}`).toThrow(IllegalTransitionError);
        expect(getOperation(db, id)!.state).toBe(from);
        refusedByTable++;
      }
      for (const to of STATES) {
        const id = rowIn(db, from);
        // The raw SQL any future code might write, bypassing the module.
        const write = () => db.prepare('UPDATE operations SET state = ? WHERE id = ?').run(to, id);
        const legal = isLegalMove(from, to) && from !== 'succeeded';
        if (legal) {
          expect(write, `${from} -> ${to}`).not.toThrow();
        } else {
          expect(write, `${from} -> ${to}`).toThrow(/operation state machine/);
          expect(getOperation(db, id)!.state).toBe(from);
          refusedByLedger++;
        }
      }
    }
    expect(refusedByTable).toBeGreaterThan(50);
    expect(refusedByLedger).toBeGreaterThan(25);
  });

  it('final states are final in the ledger: a succeeded row never changes, a declined one only by the named exit', () => {
    const db = ledger();
    const ok = rowIn(db, 'succeeded');
    expect(() => db.prepare(`UPDATE operations SET message = 'edited' WHERE id = ?`).run(ok)).toThrow(/final/);
    expect(() => db.prepare(`UPDATE operations SET attempts = 9 WHERE id = ?`).run(ok)).toThrow(/final/);
    const no = rowIn(db, 'declined');
    expect(() => db.prepare(`UPDATE operations SET response_code = '00000' WHERE id = ?`).run(no)).toThrow(/final/);
    expect(() => db.prepare(`UPDATE operations SET state = 'queued' WHERE id = ?`).run(no)).toThrow(/operation state machine/);
    expect(moveOperation(db, no, 'declined', 'forwarded_refused', { message: 'needs a person' }, AT)).toBe('needs_attention');
    expect(() => db.prepare('DELETE FROM operations WHERE id = ?').run(ok)).toThrow(/never deleted/);
    expect(() => appendOperation(db, { paymentId: 'pay_1', type: 'capture', amount: 1, reference: 'R', state: 'unknown', userId: null, userName: null }, AT)).toThrow(IllegalTransitionError);
  });

  it('a move from a state the row is not in fails loudly and writes nothing', () => {
    const db = ledger();
    const id = rowIn(db, 'unknown');
    const before = getOperation(db, id);
    expect(() => moveOperation(db, id, 'sent', 'approved', { message: 'stale view' }, AT)).toThrow(StateMismatchError);
    expect(getOperation(db, id)).toEqual(before);
    expect(() => moveOperation(db, 'op_missing', 'sent', 'approved', {}, AT)).toThrow(StateMismatchError);
  });

  it("migration 009's list of moves is exactly the table's", () => {
    const listed = [...OPERATION_STATE_GUARD.up.matchAll(/'([a-z_]+)>([a-z_]+)'/g)].map((m) => `${m[1]}>${m[2]}`).sort();
    const table = [...new Set(OPERATION_TRANSITIONS.map((t) => `${t.from}>${t.to}`))].sort();
    expect(listed).toEqual(table);
    for (const t of OPERATION_TRANSITIONS) expect(nextState(t.from, t.event)).toBe(t.to);
  });

  it('docs/architecture.md shows the state diagram rendered from the table', () => {
    const doc = readFileSync(join(__dirname, '../../../docs/architecture.md'), 'utf8');
    const block = /```mermaid\n(stateDiagram-v2[\s\S]*?)\n```/.exec(doc);
    expect(block?.[1], 'run: npx tsx scripts/state-diagram.ts (prints the block for docs/architecture.md)').toBe(stateDiagram());
  });
});

describe('no resend of an UNKNOWN without a status check, through any public method', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('send refuses an UNKNOWN (with or without markedSent) and a final operation; resolve asks check status before the one resend', async () => {
    h = await startHarness({ retryDelaysMs: [] });
    const handle = await h.hostedCard();
    const order = await h.call('orders.create', { channel: 'phone', currency: 'USD', newCustomer: { name: 'Ada Lovelace', email: 'ada@example.com', phone: '' }, lines: [{ description: 'Item', quantity: 1, unitPrice: 1000, taxRateBp: 0 }] });
    const paid = await h.call('payments.charge', { orderId: order.id, mode: 'authorize', source: { kind: 'new_card', handle, save: false } });
    expect(paid.outcome).toBe('approved');
    // A capture whose request never reached the gateway (connection reset before it was read), left UNKNOWN.
    h.sb.control.injectFault({ kind: 'reset_before_commit', match: { command: 'CAPTURE' }, times: 1 });
    // Every request the core makes, recorded on its way to the real sandbox.
    const seen: string[] = [];
    const gw = h.deps.gateway as unknown as Record<string, (...a: unknown[]) => unknown>;
    for (const m of ['authorize', 'purchase', 'capture', 'voidAuthorization', 'refund', 'checkStatus']) {
      const real = gw[m]!.bind(gw);
      gw[m] = (...a: unknown[]) => {
        seen.push(m);
        return real(...a);
      };
    }
    const cap = await h.call('payments.capture', { paymentId: paid.payment.id, amount: 1000 });
    expect(cap.outcome).toBe('unknown');
    const op = h.db.prepare(`SELECT * FROM operations WHERE payment_id = ? AND type = 'capture'`).get(paid.payment.id) as { id: string; state: string; attempts: number };
    expect(op.state).toBe('unknown');
    const calls = () => seen;
    const before = calls().length;

    // The runner's public send refuses it, and nothing goes out.
    await expect(h.feature.service.runner.send(op.id)).rejects.toThrow(IllegalTransitionError);
    await expect(h.feature.service.runner.send(op.id, undefined, { markedSent: true })).rejects.toThrow(IllegalTransitionError);
    // The screen's channels refuse a new operation while one is unknown.
    await expect(h.call('payments.capture', { paymentId: paid.payment.id, amount: 1000 })).rejects.toThrow();
    expect(calls().length).toBe(before);

    // resolve: CHECK_STATUS first, then (past the capture grace) the one resend.
    h.advance(60_000);
    const r = await h.feature.service.runner.resolve(op.id);
    expect(r).toMatchObject({ state: 'succeeded', resent: true });
    expect(calls().slice(before)).toEqual(['checkStatus', 'capture']);
    // Final now: send refuses it too.
    await expect(h.feature.service.runner.send(op.id)).rejects.toThrow(IllegalTransitionError);
  });
});
