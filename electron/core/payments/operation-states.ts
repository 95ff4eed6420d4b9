import { storeText, type CoreText } from '../../../shared/contract/messages';
import type { z } from 'zod';
import type { OperationState as OperationStateSchema } from '../../../shared/contract';
import type { Db } from '../db/database';
import { stmt } from '../ledger/sql';

/** The contract's operation states (operation-log.ts re-exports the same type). */
export type OperationState = z.infer<typeof OperationStateSchema>;

/**
 * The one place an operation's life is written down (issue 15): every state an operation can be
 * in, and the named event that allows each move. Every UPDATE of operations.state goes through
 * `moveOperation`, which checks the move against this table and the state it leaves against the
 * row (`WHERE id = ? AND state = ?`) and throws when either does not hold. The ledger refuses the
 * same illegal moves itself (migration 009's triggers, kept equal to this table by a test), and
 * docs/architecture.md's state diagram is rendered from it (a test keeps the two equal).
 *
 * States:
 *   pending          written, never sent (older rows; live operations are written as SENT)
 *   queued           offline queue: waiting for the forwarder, reference already on disk
 *   sent             may have reached the gateway (committed before each request)
 *   unknown          no definite answer: only a status check moves it on
 *   succeeded        final
 *   declined         final; the one exit is `forwarded_refused` (a queued operation the gateway
 *                    refused after the clerk had moved on needs a person)
 *   needs_attention  held for a person: retried (back to the queue) or dismissed (declined)
 */
export const OPERATION_TRANSITIONS = [
  { from: 'pending', event: 'send', to: 'sent' },
  { from: 'queued', event: 'send', to: 'sent' },
  { from: 'sent', event: 'approved', to: 'succeeded' },
  { from: 'sent', event: 'refused', to: 'declined' },
  { from: 'sent', event: 'no_answer', to: 'unknown' },
  { from: 'sent', event: 'not_connected', to: 'queued' },
  { from: 'sent', event: 'check_happened', to: 'succeeded' },
  { from: 'sent', event: 'check_refused', to: 'declined' },
  { from: 'sent', event: 'check_unclear', to: 'unknown' },
  { from: 'sent', event: 'check_not_received', to: 'sent' },
  { from: 'unknown', event: 'check_happened', to: 'succeeded' },
  { from: 'unknown', event: 'check_refused', to: 'declined' },
  { from: 'unknown', event: 'check_unclear', to: 'unknown' },
  { from: 'unknown', event: 'check_not_received', to: 'sent' },
  { from: 'queued', event: 'recheck_failed', to: 'needs_attention' },
  { from: 'declined', event: 'forwarded_refused', to: 'needs_attention' },
  { from: 'needs_attention', event: 'retry', to: 'queued' },
  { from: 'needs_attention', event: 'dismiss', to: 'declined' },
] as const satisfies readonly { from: OperationState; event: string; to: OperationState }[];

export type OperationEvent = (typeof OPERATION_TRANSITIONS)[number]['event'];

/** States an operation may be written in (appendOperation). */
export const INITIAL_STATES: ReadonlySet<OperationState> = new Set<OperationState>(['pending', 'queued', 'sent', 'succeeded']);

/** Never left (succeeded), or left only by the named `forwarded_refused` (declined). */
export const FINAL_STATES: ReadonlySet<OperationState> = new Set<OperationState>(['succeeded', 'declined']);

export class IllegalTransitionError extends Error {
  constructor(
    readonly from: OperationState,
    readonly event: string,
  ) {
    super(`operation state machine: no move "${event}" from ${from}`);
    this.name = 'IllegalTransitionError';
  }
}

/** The row was not in the state the caller left: someone else moved it, or the caller's view was stale. */
export class StateMismatchError extends Error {
  constructor(
    readonly opId: string,
    readonly expected: OperationState,
    readonly actual: OperationState | null,
  ) {
    super(`operation ${opId} is ${actual ?? 'missing'}, not ${expected}: refusing to move it`);
    this.name = 'StateMismatchError';
  }
}

/** Where `event` takes an operation in state `from`, or throws. */
export function nextState(from: OperationState, event: OperationEvent): OperationState {
  const t = OPERATION_TRANSITIONS.find((x) => x.from === from && x.event === event);
  if (!t) throw new IllegalTransitionError(from, event);
  return t.to;
}

/** Whether any event takes `from` to `to` (the ledger trigger's rule). */
export function isLegalMove(from: OperationState, to: OperationState): boolean {
  return OPERATION_TRANSITIONS.some((t) => t.from === from && t.to === to);
}

/** What a move writes besides the state. */
export interface MoveFields {
  responseCode?: string | null;
  message?: string | null;
  /** `message` as a key + params (the screen's language); a message given without it clears the old one. */
  text?: CoreText | null;
  /** +1: one more request may have reached the gateway (with sent_at = at); -1: it provably did not. */
  attempts?: 1 | -1;
  approvedBy?: { id: string; name: string };
}

/**
 * Moves one operation by `event` from the state the caller saw. Throws IllegalTransitionError
 * when the table has no such move and StateMismatchError when the row is not in `from` (nothing
 * is written in either case). finished_at is set on entering a final state and cleared on
 * entering the queue or needs-attention. A move that keeps the state (a resend after a status
 * check proved the request never arrived) leaves the state column out of the SET list: SQLite
 * rewrites every index naming a SET column even when the value is unchanged (docs/performance.md).
 */
export function moveOperation(db: Db, opId: string, from: OperationState, event: OperationEvent, fields: MoveFields, at: string): OperationState {
  const to = nextState(from, event);
  const set: string[] = [];
  if (to !== from) set.push('state = @to');
  if (fields.responseCode !== undefined) set.push('response_code = COALESCE(@responseCode, response_code)');
  if (fields.message !== undefined) set.push('message = COALESCE(@message, message)');
  if (fields.message != null || fields.text !== undefined) set.push('message_text = @text');
  if (fields.attempts === 1) set.push('attempts = attempts + 1', 'sent_at = @at');
  if (fields.attempts === -1) set.push('attempts = MAX(attempts - 1, 0)');
  if (fields.approvedBy) set.push('approved_by = @approvedById', 'approved_by_name = @approvedByName');
  if (FINAL_STATES.has(to) && to !== from) set.push('finished_at = @at');
  if (to === 'queued' || to === 'needs_attention') set.push('finished_at = NULL');
  // Taken out of the queue: on disk in the same commit as SENT (a refusal found after a crash still
  // reaches a person). Cleared when the outcome needs no one, or once a person has it.
  if (from === 'queued' && event === 'send') set.push('forwarded = 1');
  else if (to === 'succeeded' || to === 'queued' || to === 'needs_attention') set.push('forwarded = 0');
  set.push('updated_at = @at');
  const r = stmt(db, `UPDATE operations SET ${set.join(', ')} WHERE id = @id AND state = @from`).run({
    id: opId,
    from,
    to,
    at,
    responseCode: fields.responseCode ?? null,
    message: fields.message ?? null,
    text: storeText(fields.text),
    approvedById: fields.approvedBy?.id ?? null,
    approvedByName: fields.approvedBy?.name ?? null,
  });
  if (r.changes !== 1) {
    const actual = stmt(db, 'SELECT state FROM operations WHERE id = ?').get(opId) as { state: OperationState } | undefined;
    throw new StateMismatchError(opId, from, actual?.state ?? null);
  }
  return to;
}

/**
 * The state diagram (mermaid) rendered from the table: docs/architecture.md carries exactly this
 * text, checked by operation-states.test.ts, so the picture cannot drift from the code.
 */
export function stateDiagram(): string {
  const lines = ['stateDiagram-v2'];
  for (const s of INITIAL_STATES) lines.push(`  [*] --> ${s}`);
  // One arrow per (from, to) pair, naming every event that makes it.
  const arrows = new Map<string, string[]>();
  for (const t of OPERATION_TRANSITIONS) {
    const key = `${t.from} --> ${t.to}`;
    arrows.set(key, [...(arrows.get(key) ?? []), t.event]);
  }
  for (const [key, events] of arrows) lines.push(`  ${key}: ${events.join(', ')}`);
  lines.push('  succeeded --> [*]');
  return lines.join('\n');
}
