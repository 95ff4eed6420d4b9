import { createHash } from 'node:crypto';
import { ContractError, coreText } from '../../../shared/contract';
import { allowedAction, checkAmount, type PaymentTotals } from '../../../shared/domain/payment-state';
import { parseAmount } from '../../../shared/money';
import type { CoreDeps } from '../deps';
import { auditAs } from '../ledger/audit-as';
import { queuedOf } from '../payments';
import { effectiveTotals, type PaymentRow } from '../payments';
import type { CallerActor, PaymentService } from '../payments';
import { GroupCommit, newId, stmt, tx } from '../ledger/sql';
import type { OrderService } from '../orders';
import { refreshOrderStatus } from '../orders';
import { getOperation } from '../payments';
import { moveOperation } from '../payments';
import { updatePayment } from '../payments';
import { declinedNextStepText } from '../sync';
import { englishText, nested, operationText, storeText, type CoreText } from '../../../shared/contract/messages';
import { readText } from '../../../shared/contract/core-text-schema';

const CANCELLED = coreText('bulk.cancelledBeforeSent');
import { amountCheck, judgeCharge, type ChargeInputRow } from './bill-run';

/**
 * Bulk capture / void / refund (issue #19). Sent as individual operations through the payments
 * service's public functions (docs/decisions/bulk-operations.md): every row is an ordinary
 * operation with its own reference, exactly-once by the same write-ahead log, routed to its
 * payment's own gateway account, queued by the offline forwarder when offline.
 */

export type BulkKind = 'capture' | 'void' | 'refund' | 'charge';
export type RowState = 'waiting' | 'sending' | 'approved' | 'declined' | 'unknown' | 'queued' | 'refused' | 'cancelled';

export interface BulkInputRow extends ChargeInputRow {
  /** The payment's (or its order's) reference; for a bill run ('charge'), the customer's id or email. */
  reference: string;
  /** Decimal text in the payment's currency ("12.50"); empty = what remains (capture, refund). */
  amount?: string;
}

export interface BulkRowView {
  seq: number;
  reference: string;
  paymentId: string | null;
  amount: number | null;
  currency: string | null;
  verdict: 'ok' | 'refused';
  state: RowState;
  message: string;
  text: CoreText | null;
}

export interface BulkRunView {
  id: string;
  kind: BulkKind;
  state: 'ready' | 'running' | 'cancelled' | 'done';
  total: number;
  counts: Record<RowState, number>;
  createdAt: string;
  createdByName: string;
}

interface RowRecord {
  run_id: string;
  seq: number;
  row_key: string;
  reference: string;
  payment_id: string | null;
  amount: number | null;
  currency: string | null;
  verdict: 'ok' | 'refused';
  state: RowState;
  message: string;
  message_text?: string | null;
  marker: string;
  updated_at: string;
  customer_id: string | null;
  card_id: string | null;
  description: string;
  order_reference: string | null;
}

const MAX_ROWS = 20_000;

/** What a person does about a row our own checks refused when it was sent, in one sentence. */
export function refusedNextStep(kind: BulkKind, orderReference: string | null): CoreText {
  if (kind === 'charge') return orderReference ? coreText('bulk.refusedNextChargeOrder', { reference: orderReference }) : coreText('bulk.refusedNextCharge');
  return coreText('bulk.refusedNextPayment');
}
const STATES: RowState[] = ['waiting', 'sending', 'approved', 'declined', 'unknown', 'queued', 'refused', 'cancelled'];

function rowKey(kind: BulkKind, reference: string, amount: number | null, occurrence: number): string {
  return createHash('sha256').update(`${kind}\u0000${reference}\u0000${amount ?? ''}\u0000${occurrence}`).digest('base64url').slice(0, 32);
}

export interface BulkOptions {
  /** How many rows are in flight at once (different payments; one per payment by the service's mutex). */
  concurrency?: number;
  /** Bill runs make one order per row through it (absent: bill runs are refused). */
  orders?: OrderService;
  /** A failed row was handed to needs attention: the queue screen's counts changed. */
  onAttentionChange?: () => void;
}

export class BulkService {
  private readonly running = new Map<string, Promise<void>>();
  private closed = false;
  private readonly concurrency: number;

  constructor(
    private readonly deps: CoreDeps,
    private readonly payments: PaymentService,
    opts: BulkOptions = {},
  ) {
    // 16 in flight, as the forwarder (docs/decisions/bulk-operations.md, "Throughput").
    this.concurrency = opts.concurrency ?? 16;
    this.orders = opts.orders;
    this.group = new GroupCommit(deps.db);
    this.onAttentionChange = opts.onAttentionChange;
  }

  private readonly orders: OrderService | undefined;
  /** Rows in flight share fsyncs (each still waits for its own commit before its request). */
  private readonly group: GroupCommit;
  private readonly onAttentionChange: (() => void) | undefined;

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  // --- preview ---------------------------------------------------------------------------------

  /**
   * Judges every row before anything is sent: the payment exists and is a card payment, the action
   * is allowed, the amount fits what remains after the rows above it in the same file, and the same
   * row (same file) was not already run. Records the run as 'ready'; nothing reaches the gateway.
   */
  preview(kind: BulkKind, rows: BulkInputRow[], reason: string, actor: { id: string; name: string }): BulkRunView {
    if (rows.length === 0) throw new ContractError('VALIDATION', coreText('refuse.bulkNoRows'));
    if (rows.length > MAX_ROWS) throw new ContractError('VALIDATION', coreText('refuse.bulkTooManyRows', { n: MAX_ROWS }));
    const { db } = this.deps;
    const now = this.deps.clock.now();
    const at = now.toISOString();
    const id = newId('blk');
    const seen = new Map<string, number>();
    const planned = new Map<string, PaymentTotals>();
    if (kind === 'charge' && !this.orders) throw new ContractError('NOT_ALLOWED', 'Bill runs are not available on this station.');
    const records: RowRecord[] = rows.map((r, i) => {
      const seq = i + 1;
      const reference = (r.reference ?? '').trim();
      const base = { run_id: id, seq, reference, payment_id: null, amount: null, currency: null, marker: `bulk ${id} #${seq}`, updated_at: at, customer_id: null, card_id: null, description: '', order_reference: null };
      // The row's reason is kept as a sentence key beside its English (ledger migration 016): the screen says it in the reader's language.
      const refuse = (text: CoreText, extra: Partial<RowRecord> = {}): RowRecord => ({ ...base, row_key: `${id}:${seq}`, verdict: 'refused', state: 'refused', message: englishText(text), message_text: storeText(text), ...extra });
      if (!reference) return refuse(coreText('bulk.checkNoReference'));
      if (kind === 'charge') {
        const v = judgeCharge(this.deps, r, reason, now);
        if (!v.ok) return refuse(v.text, v.partial);
        const occurrenceKey = `${v.customerId}\u0000${v.cardId}\u0000${v.amount}\u0000${v.currency}\u0000${v.description}`;
        const occurrence = (seen.get(occurrenceKey) ?? 0) + 1;
        seen.set(occurrenceKey, occurrence);
        const key = rowKey(kind, occurrenceKey, v.amount, occurrence);
        const earlier = stmt(db, "SELECT run_id FROM bulk_rows WHERE row_key = ? AND verdict = 'ok'").get(key) as { run_id: string } | undefined;
        const found = { customer_id: v.customerId, card_id: v.cardId, amount: v.amount, currency: v.currency, description: v.description };
        if (earlier) return refuse(coreText('bulk.checkAlreadyCharged', { run: earlier.run_id }), found);
        // The row's own order reference, fixed now: a resumed row finds its order, never a second one.
        return { ...base, ...found, row_key: key, order_reference: `BR-${id.slice(4)}-${seq}`, verdict: 'ok', state: 'waiting', message: englishText(v.note), message_text: storeText(v.note) };
      }
      const p = stmt(db, "SELECT * FROM payments WHERE reference = ? OR (id IN (SELECT p.id FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.reference = ? AND p.method = 'card' AND p.declined = 0)) ORDER BY created_at DESC LIMIT 1").get(reference, reference) as PaymentRow | undefined;
      if (!p) return refuse(coreText('bulk.checkNoPayment'));
      if (p.method !== 'card') return refuse(coreText('bulk.checkCash'), { payment_id: p.id });
      const totals = planned.get(p.id) ?? effectiveTotals(p, queuedOf(db, p.id));
      let amount: number | null = null;
      if (kind !== 'void') {
        const text = (r.amount ?? '').trim();
        if (text) {
          try {
            amount = parseAmount(text, p.currency).amount;
          } catch (e) {
            return refuse(amountCheck(e, text, p.currency), { payment_id: p.id, currency: p.currency });
          }
        } else {
          const v = allowedAction(kind, totals, now);
          amount = v.allowed && v.max !== undefined ? v.max : null;
          if (!amount) return refuse(v.allowed ? coreText('bulk.checkNothingRemains') : v.text, { payment_id: p.id, currency: p.currency });
        }
      }
      const verdict = kind === 'void' ? allowedAction('void', totals, now) : checkAmount(kind, amount as number, totals, now);
      if (!verdict.allowed) return refuse(verdict.text, { payment_id: p.id, amount, currency: p.currency });
      const occurrenceKey = `${p.reference}\u0000${amount ?? ''}`;
      const occurrence = (seen.get(occurrenceKey) ?? 0) + 1;
      seen.set(occurrenceKey, occurrence);
      const key = rowKey(kind, p.reference, amount, occurrence);
      const earlier = stmt(db, "SELECT run_id FROM bulk_rows WHERE row_key = ? AND verdict = 'ok'").get(key) as { run_id: string } | undefined;
      if (earlier) return refuse(coreText('bulk.checkAlreadySent', { run: earlier.run_id }), { payment_id: p.id, amount, currency: p.currency });
      // Later rows of the same payment see this one as done.
      const next = { ...totals };
      if (kind === 'capture') next.captured += amount as number;
      else if (kind === 'refund') next.refunded += amount as number;
      else next.voided = true;
      planned.set(p.id, next);
      return { ...base, row_key: key, payment_id: p.id, amount, currency: p.currency, verdict: 'ok', state: 'waiting', message: '' };
    });
    tx(db, () => {
      stmt(db, 'INSERT INTO bulk_runs (id, kind, state, reason, created_by, created_by_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(id, kind, 'ready', reason, actor.id, actor.name, at, at);
      const ins = stmt(db, 'INSERT INTO bulk_rows (run_id, seq, row_key, reference, payment_id, amount, currency, verdict, state, message, message_text, marker, updated_at, customer_id, card_id, description, order_reference) VALUES (@run_id, @seq, @row_key, @reference, @payment_id, @amount, @currency, @verdict, @state, @message, @message_text, @marker, @updated_at, @customer_id, @card_id, @description, @order_reference)');
      for (const r of records) ins.run({ ...r, message_text: r.message_text ?? null });
      auditAs(this.deps, actor, { action: 'bulk.preview', target: id, outcome: 'success', detail: `${kind} ${records.length} rows, ${records.filter((r) => r.verdict === 'ok').length} accepted` });
    });
    return this.get(id);
  }

  // --- views -----------------------------------------------------------------------------------

  get(id: string): BulkRunView {
    this.flush();
    const run = stmt(this.deps.db, 'SELECT * FROM bulk_runs WHERE id = ?').get(id) as { id: string; kind: BulkKind; state: BulkRunView['state']; created_at: string; created_by_name: string } | undefined;
    if (!run) throw new ContractError('NOT_FOUND', 'No such bulk run.');
    const counts = Object.fromEntries(STATES.map((s) => [s, 0])) as Record<RowState, number>;
    let total = 0;
    for (const c of stmt(this.deps.db, 'SELECT state, COUNT(*) AS n FROM bulk_rows WHERE run_id = ? GROUP BY state').all(id) as { state: RowState; n: number }[]) {
      counts[c.state] = c.n;
      total += c.n;
    }
    return { id: run.id, kind: run.kind, state: run.state, total, counts, createdAt: run.created_at, createdByName: run.created_by_name };
  }

  rows(id: string, offset = 0, limit = 500): BulkRowView[] {
    this.flush();
    return (stmt(this.deps.db, 'SELECT * FROM bulk_rows WHERE run_id = ? ORDER BY seq LIMIT ? OFFSET ?').all(id, limit, offset) as RowRecord[]).map((r) => ({
      seq: r.seq, reference: r.reference, paymentId: r.payment_id, amount: r.amount, currency: r.currency, verdict: r.verdict, state: r.state, message: r.message, text: readText(r.message_text),
    }));
  }

  /** The result file: one line per row of the input, in order. */
  resultCsv(id: string): string {
    this.get(id);
    const cell = (v: string | number | null): string => {
      const s = v === null ? '' : String(v);
      // Quoted when needed; a leading = + - @ is neutralised so a spreadsheet never runs it.
      const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
      return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
    };
    const lines = ['row,reference,amount_minor,currency,verdict,state,message'];
    for (const r of stmt(this.deps.db, 'SELECT * FROM bulk_rows WHERE run_id = ? ORDER BY seq').all(id) as RowRecord[]) {
      lines.push([r.seq, r.reference, r.amount, r.currency, r.verdict, r.state, r.message].map(cell).join(','));
    }
    return `${lines.join('\n')}\n`;
  }

  // --- running ---------------------------------------------------------------------------------

  start(id: string, actor: CallerActor): BulkRunView {
    const run = this.get(id);
    if (run.state === 'done' || run.state === 'cancelled') throw new ContractError('NOT_ALLOWED', coreText('refuse.bulkFinished'));
    stmt(this.deps.db, "UPDATE bulk_runs SET state = 'running', updated_at = ? WHERE id = ? AND state IN ('ready', 'running')").run(this.now(), id);
    this.kick(id, actor);
    return this.get(id);
  }

  cancel(id: string, actor: { id: string; name: string }): BulkRunView {
    const { db } = this.deps;
    tx(db, () => {
      const run = this.get(id);
      if (run.state === 'done' || run.state === 'cancelled') throw new ContractError('NOT_ALLOWED', coreText('refuse.bulkFinished'));
      const at = this.now();
      stmt(db, "UPDATE bulk_runs SET state = 'cancelled', updated_at = ? WHERE id = ?").run(at, id);
      // Rows already sending finish; the ones not started are cancelled.
      stmt(db, "UPDATE bulk_rows SET state = 'cancelled', message = ?, message_text = ?, updated_at = ? WHERE run_id = ? AND state = 'waiting'").run(englishText(CANCELLED), storeText(CANCELLED), at, id);
      auditAs(this.deps, actor, { action: 'bulk.cancel', target: id, outcome: 'success' });
    });
    return this.get(id);
  }

  /** Resolves when the run has stopped (done, cancelled, or the service closed). */
  wait(id: string): Promise<void> {
    return this.running.get(id) ?? Promise.resolve();
  }

  private kick(id: string, actor: CallerActor): void {
    if (this.running.has(id) || this.closed) return;
    const p = this.work(id, actor).finally(() => this.running.delete(id));
    this.running.set(id, p);
  }

  private runState(id: string): string {
    return (stmt(this.deps.db, 'SELECT state FROM bulk_runs WHERE id = ?').get(id) as { state: string }).state;
  }

  private async work(id: string, actor: CallerActor): Promise<void> {
    const { db } = this.deps;
    const kind = this.get(id).kind;
    const claimed: RowRecord[] = [];
    const next = (): RowRecord | undefined => {
      if (this.closed || this.runState(id) !== 'running') return undefined;
      if (claimed.length === 0) {
        // Claim a batch in one commit: 'sending' is on disk before any of their operations start.
        // A claimed row never started is found without an operation after a crash and waits again.
        tx(db, () => {
          const rows = stmt(db, "SELECT * FROM bulk_rows WHERE run_id = ? AND state = 'waiting' ORDER BY seq LIMIT ?").all(id, this.concurrency * 4) as RowRecord[];
          const at = this.now();
          for (const r of rows) stmt(db, "UPDATE bulk_rows SET state = 'sending', updated_at = ? WHERE run_id = ? AND seq = ?").run(at, id, r.seq);
          claimed.push(...rows);
        });
      }
      return claimed.shift();
    };
    const worker = async (): Promise<void> => {
      for (let r = next(); r; r = next()) await this.send(kind, r, actor);
    };
    await Promise.all(Array.from({ length: this.concurrency }, worker));
    // Stopped (cancelled or closing) with rows claimed but not started: they were never sent.
    if (claimed.length > 0) {
      const cancelled = !this.closed && this.runState(id) === 'cancelled';
      for (const r of claimed.splice(0)) this.finishRow(r, cancelled ? 'cancelled' : 'waiting', cancelled ? englishText(CANCELLED) : '', cancelled ? CANCELLED : null);
    }
    this.flush();
    if (!this.closed && this.runState(id) === 'running') {
      const left = (stmt(db, "SELECT COUNT(*) AS n FROM bulk_rows WHERE run_id = ? AND state IN ('waiting', 'sending')").get(id) as { n: number }).n;
      if (left === 0) {
        stmt(db, "UPDATE bulk_runs SET state = 'done', updated_at = ? WHERE id = ?").run(this.now(), id);
        tx(db, () => auditAs(this.deps, actor, { action: 'bulk.done', target: id, outcome: 'success', detail: JSON.stringify(this.get(id).counts) }));
      }
    }
  }

  private pending: { state: RowState | null; message: string | null; text: string | null; paymentId: string | null; at: string; run: string; seq: number }[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | null = null;

  /**
   * Row results are written in groups (one commit for many rows). Losing a group in a crash is
   * harmless: those rows are still 'sending', and recovery takes their state from their operations.
   */
  private finishRow(r: RowRecord, state: RowState, message: string, text?: CoreText | null): void {
    this.pending.push({ state, message, text: storeText(text), paymentId: null, at: this.now(), run: r.run_id, seq: r.seq });
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.pending.length >= 64) this.flush();
    else this.flushTimer ??= setTimeout(() => this.flush(), 100);
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const batch = this.pending.splice(0);
    if (batch.length === 0 || !this.deps.db.open) return;
    tx(this.deps.db, () => {
      for (const b of batch) stmt(this.deps.db, 'UPDATE bulk_rows SET state = COALESCE(?, state), message = COALESCE(?, message), message_text = CASE WHEN ? IS NULL THEN message_text ELSE ? END, payment_id = COALESCE(?, payment_id), updated_at = ? WHERE run_id = ? AND seq = ?').run(b.state, b.message, b.state, b.text, b.paymentId, b.at, b.run, b.seq);
    });
  }

  private async send(kind: BulkKind, r: RowRecord, actor: CallerActor): Promise<void> {
    // The marker rides on the operation (its user_name), so the row finds its operation after a crash.
    const marked = { ...actor, name: `${actor.name} (${r.marker})` };
    try {
      if (kind === 'charge') return await this.sendCharge(r, marked);
      const reason = (stmt(this.deps.db, 'SELECT reason FROM bulk_runs WHERE id = ?').get(r.run_id) as { reason: string }).reason || `Bulk ${kind}`;
      const via = { commit: this.group.commit };
      const out =
        kind === 'capture'
          ? await this.payments.capture(r.payment_id as string, r.amount as number, marked, via)
          : kind === 'void'
            ? await this.payments.void(r.payment_id as string, reason, marked, via)
            : await this.payments.refund(r.payment_id as string, r.amount as number, reason, undefined, marked, via);
      if (out.outcome === 'declined') return await this.toAttention(r, r.payment_id as string);
      this.finishRow(r, out.outcome === 'approved' ? 'approved' : out.outcome, out.message, out.text);
    } catch (e) {
      // An operation was made after all (a failure after it was written): it decides the row.
      if (this.operationOf(r)) {
        this.reconcileRow(r);
        return;
      }
      // Closing mid-row: nothing was started, the row waits for the next start.
      if (this.closed) return this.finishRow(r, 'waiting', '');
      // Refused by our own checks before sending (the payment or card changed since the preview,
      // approval needed…): nothing moved, and no operation holds it, so the row itself does.
      this.holdForAttention(r, kind, e instanceof ContractError && e.text ? e.text : e instanceof Error ? e.message : String(e));
    }
  }

  /**
   * A row refused at send time goes to needs attention like a row the gateway refused: the Queue
   * screen lists it (from the row, as it has no operation) with the reason and a next step, until a
   * supervisor dismisses it. Its result is written now, in the same commit (not grouped).
   */
  private holdForAttention(r: RowRecord, kind: BulkKind, reason: string | CoreText): void {
    const { db } = this.deps;
    const at = this.now();
    const why = typeof reason === 'string' ? reason.trim().slice(0, 300) || 'Refused.' : englishText(reason);
    // Said in the reader's language (the row's note from the preview must not stay on it).
    const text = coreText('bulk.refusedAtSend', { why: typeof reason === 'string' ? why : nested(reason), next: nested(refusedNextStep(kind, r.order_reference)) });
    const message = englishText(text).slice(0, 500);
    tx(db, () => {
      stmt(db, "UPDATE bulk_rows SET state = 'declined', message = ?, message_text = ?, attention = 'open', attention_at = ?, attention_reason = ?, updated_at = ? WHERE run_id = ? AND seq = ?").run(message, storeText(text), at, why, at, r.run_id, r.seq);
      auditAs(this.deps, null, { action: 'bulk.needs_attention', target: r.payment_id ?? r.order_reference ?? r.reference, outcome: 'failure', detail: `run ${r.run_id} row ${r.seq}: ${message}`.slice(0, 500) });
    });
    // A grouped result written later must not overwrite this one.
    this.pending = this.pending.filter((b) => !(b.run === r.run_id && b.seq === r.seq && b.state !== null));
    this.onAttentionChange?.();
  }

  /** Takes a row refused at send time off needs attention (audited); nothing is sent. */
  dismissRow(runId: string, seq: number, actor: { id: string; name: string }): { ok: true } {
    const { db } = this.deps;
    tx(db, () => {
      const row = stmt(db, 'SELECT * FROM bulk_rows WHERE run_id = ? AND seq = ?').get(runId, seq) as (RowRecord & { attention: string | null; attention_reason: string | null }) | undefined;
      if (!row) throw new ContractError('NOT_FOUND', 'No such bulk row.');
      if (row.attention !== 'open') throw new ContractError('CONFLICT', coreText('refuse.queueNotWaiting'));
      const at = this.now();
      const held = readText(row.message_text);
      const why = held?.key === 'bulk.refusedAtSend' && held.params?.why !== undefined ? held.params.why : (row.attention_reason ?? '');
      const text = coreText('bulk.dismissedRow', { name: actor.name, why });
      const message = englishText(text).trim().slice(0, 500);
      stmt(db, "UPDATE bulk_rows SET attention = 'dismissed', message = ?, message_text = ?, updated_at = ? WHERE run_id = ? AND seq = ?").run(message, storeText(text), at, runId, seq);
      auditAs(this.deps, actor, { action: 'bulk.dismiss', target: row.payment_id ?? row.order_reference ?? row.reference, outcome: 'success', detail: `run ${runId} row ${seq} dismissed; was: ${row.attention_reason ?? ''}`.slice(0, 500) });
    });
    this.onAttentionChange?.();
    return { ok: true };
  }

  /**
   * One bill-run row: its order (made once, under the row's own reference) charged on the card on
   * file. An order takes one live payment, so a row resumed after a crash that already charged is
   * refused with CONFLICT and takes the existing payment's outcome instead.
   */
  private async sendCharge(r: RowRecord, marked: CallerActor): Promise<void> {
    const { db } = this.deps;
    const orders = this.orders as OrderService;
    const ref = r.order_reference as string;
    let order = stmt(db, 'SELECT id FROM orders WHERE reference = ?').get(ref) as { id: string } | undefined;
    // Through the group commit like the charge below: rows in flight share fsyncs; each still waits
    // for its own commit (the order under its fixed reference, then the payment and its SENT
    // operation) before its request is sent.
    order ??= await this.group.commit(() =>
      orders.create(
        { channel: 'mail', currency: r.currency as string, customerId: r.customer_id, newCustomer: null, lines: [{ description: r.description, quantity: 1, unitPrice: r.amount as number, taxRateBp: 0 }], note: `Bill run ${r.run_id}, row ${r.seq}` },
        marked,
        { reference: ref },
      ),
    );
    try {
      const out = await this.payments.charge({ orderId: order.id, mode: 'purchase', source: { kind: 'card_on_file', cardId: r.card_id as string } }, marked, { commit: this.group.commit });
      this.notePayment(r, out.payment.id);
      if (out.outcome === 'declined') return await this.toAttention(r, out.payment.id);
      this.finishRow(r, out.outcome, out.message, out.text);
    } catch (e) {
      if (e instanceof ContractError && e.code === 'CONFLICT') {
        // Charged before (a crash between the charge and this row's result): that payment is the row's.
        const p = stmt(db, 'SELECT id FROM payments WHERE order_id = ? AND declined = 0 ORDER BY created_at DESC LIMIT 1').get(order.id) as { id: string } | undefined;
        if (p) {
          this.notePayment(r, p.id);
          this.reconcileRow({ ...r, payment_id: p.id });
          return;
        }
      }
      throw e;
    }
  }

  /** Grouped with the row results (no commit of its own): lost in a crash, it is found again by the row's order reference. */
  private notePayment(r: RowRecord, paymentId: string): void {
    r.payment_id = paymentId;
    this.pending.push({ state: null, message: null, text: null, paymentId, at: this.now(), run: r.run_id, seq: r.seq });
    this.scheduleFlush();
  }

  /**
   * A row the gateway refused goes to needs attention (the Queue screen) with the next step: the
   * supervisor who started the run has moved on, as the clerk of a forwarded operation has, so the
   * operation takes the same named move (`forwarded_refused`) under its payment's mutex.
   */
  private async toAttention(r: RowRecord, paymentId: string): Promise<void> {
    const { db } = this.deps;
    let message = '';
    let said: CoreText | null = null;
    await this.payments.mutex.run(paymentId, () => {
      const row = stmt(db, 'SELECT id FROM operations WHERE payment_id = ? AND user_name LIKE ? ORDER BY seq DESC LIMIT 1').get(paymentId, `%(${r.marker})`) as { id: string } | undefined;
      const op = row ? getOperation(db, row.id) : undefined;
      if (!op || op.state !== 'declined') return Promise.resolve();
      const text = declinedNextStepText(op, op.response_code, op.message ?? '');
      said = text;
      message = englishText(text).slice(0, 500);
      const at = this.now();
      tx(db, () => {
        moveOperation(db, op.id, 'declined', 'forwarded_refused', { message, text }, at);
        const p = updatePayment(db, paymentId, {}, at);
        refreshOrderStatus(db, p.order_id, at);
        auditAs(this.deps, null, { action: 'bulk.needs_attention', target: op.reference, outcome: 'failure', detail: `run ${r.run_id} row ${r.seq}: ${message}`.slice(0, 500) });
      });
      return Promise.resolve();
    });
    const row = said ? coreText('bulk.needsAttention', { why: nested(said) }) : coreText('bulk.declined');
    this.finishRow(r, 'declined', message ? `Needs attention: ${message}` : 'Declined.', row);
    if (message) this.onAttentionChange?.();
  }

  /**
   * Start-up: a row left 'sending' by a crash is settled by its operation (found by the marker):
   * there → its state is the row's; not there → nothing was started, the row waits again. Then
   * runs left running resume.
   */
  recover(actorOf: (userId: string) => CallerActor | null): number {
    const { db } = this.deps;
    const stuck = this.reconcile();
    this.flush();
    const runs = stmt(db, "SELECT id, created_by FROM bulk_runs WHERE state = 'running'").all() as { id: string; created_by: string }[];
    for (const run of runs) {
      const actor = actorOf(run.created_by);
      if (actor) this.kick(run.id, actor);
    }
    return stuck;
  }

  /**
   * Brings rows up to date with their operations (found by marker): 'sending' rows without an
   * operation wait again; 'sending', 'unknown' and 'queued' rows take their operation's state, so a
   * row whose operation the payments core finished later (a resend after its grace period, the
   * offline forwarder) shows the final result. Returns how many 'sending' rows were settled.
   */
  reconcile(): number {
    const { db } = this.deps;
    const open = stmt(db, "SELECT * FROM bulk_rows WHERE state IN ('sending', 'unknown', 'queued')").all() as RowRecord[];
    let settled = 0;
    for (const r of open) {
      if (r.state === 'sending') settled += 1;
      this.reconcileRow(r);
    }
    this.flush();
    return settled;
  }

  /** The row's operation (found by its marker), if one was ever made. */
  private operationOf(r: RowRecord): { state: string; message: string | null; message_text: string | null; response_code: string | null; type: string } | undefined {
    const { db } = this.deps;
    // A bill-run row whose charge started but whose payment id was not noted: its order's payment.
    if (!r.payment_id && r.order_reference) {
      const p = stmt(db, 'SELECT p.id FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.reference = ? ORDER BY p.created_at DESC LIMIT 1').get(r.order_reference) as { id: string } | undefined;
      if (p) this.notePayment(r, p.id);
    }
    if (!r.payment_id) return undefined;
    return stmt(db, 'SELECT state, message, message_text, response_code, type FROM operations WHERE payment_id = ? AND user_name LIKE ? ORDER BY seq DESC LIMIT 1').get(r.payment_id, `%(${r.marker})`) as { state: string; message: string | null; message_text: string | null; response_code: string | null; type: string } | undefined;
  }

  private reconcileRow(r: RowRecord): void {
    const op = this.operationOf(r);
    if (!op) {
      if (r.state === 'sending') this.finishRow(r, 'waiting', '');
      return;
    }
    const state: RowState = op.state === 'succeeded' ? 'approved' : op.state === 'declined' || op.state === 'needs_attention' ? 'declined' : op.state === 'queued' ? 'queued' : 'unknown';
    const message = op.state === 'needs_attention' ? `Needs attention: ${op.message ?? ''}` : (op.message ?? '');
    const said = readText(op.message_text) ?? operationText({ message: op.message, responseCode: op.response_code, type: op.type });
    const text = said && op.state === 'needs_attention' ? coreText('bulk.needsAttention', { why: nested(said) }) : said;
    if (state !== r.state || message !== r.message) this.finishRow(r, state, message, text);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.running.values()]);
    this.flush();
  }
}
