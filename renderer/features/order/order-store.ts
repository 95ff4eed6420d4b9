import { create } from 'zustand';
import i18next from 'i18next';
import { amountProblem } from '../../lib/error-text';
import { linkFormErrors, useLinks } from '../links/link-store';
import type { InputOf, OutputOf } from '../../../shared/contract';
import { formatTaxRate, parseAmount } from '../../../shared/money';
import { call } from '../../lib/api';
import { useSettings } from '../settings/settings-store';
import { isBlank, lineProduct, newLine, parseLines, parseQuantity, type DraftLine } from './draft';
import { priceText, taxText } from '../catalog/catalog-csv';

type Customer = OutputOf<'customers.get'>['customer'];
type Card = OutputOf<'customers.get'>['cards'][number];
export type HostedCard = NonNullable<OutputOf<'payments.hostedResult'>['card']>;
export type ChargeResult = OutputOf<'payments.charge'>;
export type Channel = InputOf<'orders.create'>['channel'];
export type OrderTenders = OutputOf<'orders.tenders'>;

export type CustomerChoice =
  | { kind: 'none' }
  | { kind: 'existing'; customer: Customer; cards: Card[] }
  | { kind: 'new'; name: string; email: string; phone: string };

/** 'email_confirm': a card on file, charged only once the customer agrees by email (seed 003). */
/** 'link': a payment link the customer pays on their own device (renderer/features/links). */
export type PayMethod = 'card_on_file' | 'email_confirm' | 'new_card' | 'cash' | 'link';
export type ConfirmationView = OutputOf<'confirmations.get'>;

export interface OrderResult extends ChargeResult {
  /** Still asking the bank (outcome unknown). */
  resolving: boolean;
  checks: number;
  /** Set when the charge followed the customer's email confirmation (their address). */
  confirmedBy?: string;
}

interface OrderState {
  currency: string;
  channel: Channel;
  customer: CustomerChoice;
  lines: DraftLine[];
  note: string;
  method: PayMethod;
  cardId: string | null;
  hostedCard: HostedCard | null;
  saveCard: boolean;
  tendered: string;
  /** This tender's amount as typed (split tender); empty = what remains. */
  tenderAmount: string;
  /** The clerk asked to pay in parts: the tender amount field shows (always once a tender stands). */
  splitOpen: boolean;
  /** The order's tenders from the core once one stands and the order is not covered yet (split tender in progress). */
  tenders: OrderTenders | null;
  /** The last tender's answer while the split goes on (approved part, or a declined card). */
  lastTender: ChargeResult | null;
  mode: 'purchase' | 'authorize';
  /** The order already recorded for this draft (reused on a retry), and what it was made from. */
  createdOrder: { id: string; reference: string; signature: string } | null;
  errors: Record<string, string>;
  result: OrderResult | null;
  /** The email confirmation being followed (method 'email_confirm'), until its charge result. */
  confirmation: ConfirmationView | null;

  set: (patch: Partial<Pick<OrderState, 'channel' | 'note' | 'method' | 'cardId' | 'saveCard' | 'tendered' | 'tenderAmount' | 'splitOpen' | 'mode' | 'hostedCard'>>) => void;
  /** Reads the order's tenders again (after a declined card is retried, or an outcome became known). */
  refreshTenders: () => Promise<void>;
  setCustomer: (c: CustomerChoice) => void;
  updateLine: (key: string, patch: Partial<DraftLine>) => void;
  /** A product chosen on a line: its name, price and tax are copied into that line. */
  fillLine: (key: string, product: Product) => void;
  /** A scanned product: one more on its line if it is on the order at its price, else a new line. Returns the line's index. */
  addProduct: (product: Product) => number;
  addLine: () => string;
  removeLine: (key: string) => string | null;
  reset: () => void;
  /**
   * F2: a fresh order unless one is in progress. A finished charge (approved, declined, queued) or a
   * confirmation the core follows by itself is dropped (it stays in Transactions); an unfinished
   * draft and an outcome still being asked of the bank are kept.
   */
  startFresh: () => void;
  /** "Charge again": a new order for this customer with these lines (or an empty amount line). */
  prefill: (customer: Customer, cards: Card[], lines: DraftLine[]) => void;
  submit: () => Promise<void>;
  setResult: (r: OrderResult | null) => void;
  setConfirmation: (c: ConfirmationView | null) => void;
}

function defaults() {
  const s = useSettings.getState().settings;
  return { currency: s?.currency ?? 'USD', taxRate: s ? formatTaxRate(s.defaultTaxRateBp).replace(' %', '') : '0' };
}

function blankState() {
  const { currency, taxRate } = defaults();
  return {
    currency,
    channel: 'phone' as Channel,
    customer: { kind: 'none' } as CustomerChoice,
    lines: [newLine(taxRate)],
    note: '',
    method: 'new_card' as PayMethod,
    cardId: null,
    hostedCard: null,
    saveCard: true,
    tendered: '',
    tenderAmount: '',
    splitOpen: false,
    tenders: null as OrderTenders | null,
    lastTender: null as ChargeResult | null,
    mode: 'purchase' as const,
    createdOrder: null,
    errors: {},
    result: null,
    confirmation: null,
  };
}

type Product = OutputOf<'catalog.byBarcode'> & object;

/** A product's fields on an order line: what it is sold at now, copied (the order keeps them). */
function productFields(p: Product): Pick<DraftLine, 'description' | 'unitPrice' | 'taxRate' | 'productId' | 'sku' | 'productName'> {
  return { description: p.name, unitPrice: priceText(p), taxRate: taxText(p.taxRateBp), productId: p.id, sku: p.sku, productName: p.name };
}

function firstActiveCard(cards: Card[]): string | null {
  return cards.find((c) => c.status === 'active' && !c.expired)?.id ?? null;
}

export const useOrder = create<OrderState>((set, get) => ({
  ...blankState(),

  set: (patch) => set((s) => ({ ...patch, errors: clearErrors(s.errors, Object.keys(patch)) })),
  setCustomer: (customer) =>
    set((s) => {
      // A card taken while another known customer was on the line is not carried over to this one.
      const before = s.customer.kind === 'existing' ? s.customer.customer.id : null;
      const after = customer.kind === 'existing' ? customer.customer.id : null;
      const hostedCard = before !== null && before !== after ? null : s.hostedCard;
      const cardId = customer.kind === 'existing' ? firstActiveCard(customer.cards) : null;
      const onFile = s.method === 'card_on_file' || s.method === 'email_confirm';
      const method: PayMethod = cardId ? (s.method === 'email_confirm' ? 'email_confirm' : 'card_on_file') : onFile ? 'new_card' : s.method;
      return { customer, cardId, method, hostedCard, createdOrder: null, errors: clearErrors(s.errors, ['customer', 'name', 'email', 'phone']) };
    }),
  // A field typed again loses the error the last submit gave it: what it says now is checked live.
  updateLine: (key, patch) =>
    set((s) => {
      const i = s.lines.findIndex((l) => l.key === key);
      return { lines: s.lines.map((l) => (l.key === key ? { ...l, ...patch } : l)), createdOrder: null, errors: clearErrors(s.errors, Object.keys(patch).map((f) => `lines.${i}.${f}`)) };
    }),
  fillLine: (key, product) => set((s) => ({ lines: s.lines.map((l) => (l.key === key ? { ...l, ...productFields(product) } : l)), createdOrder: null })),
  addProduct: (product) => {
    const lines = get().lines;
    const fields = productFields(product);
    const same = lines.findIndex((l) => lineProduct(l)?.productId === product.id && l.unitPrice === fields.unitPrice && l.taxRate === fields.taxRate && parseQuantity(l.quantity) !== null);
    if (same >= 0) {
      const line = lines[same]!;
      set({ lines: lines.map((l) => (l === line ? { ...l, quantity: String(parseQuantity(l.quantity)! + 1) } : l)), createdOrder: null });
      return same;
    }
    const blank = lines.findIndex((l) => isBlank(l));
    if (blank >= 0) {
      set({ lines: lines.map((l, i) => (i === blank ? { ...l, ...fields, quantity: '1' } : l)), createdOrder: null });
      return blank;
    }
    set({ lines: [...lines, newLine(fields.taxRate, { ...fields, quantity: '1' })], createdOrder: null });
    return lines.length;
  },
  addLine: () => {
    const { taxRate } = defaults();
    const line = newLine(taxRate);
    set((s) => ({ lines: [...s.lines, line] }));
    return line.key;
  },
  removeLine: (key) => {
    const lines = get().lines;
    const i = lines.findIndex((l) => l.key === key);
    if (i < 0) return null;
    const next = lines.length === 1 ? [newLine(defaults().taxRate)] : lines.filter((l) => l.key !== key);
    // The last submit's line errors name lines by position, which just moved.
    const errors = Object.fromEntries(Object.entries(get().errors).filter(([k]) => !k.startsWith('lines.')));
    set({ lines: next, createdOrder: null, errors });
    return (next[Math.min(i, next.length - 1)] ?? next[0])?.key ?? null;
  },
  reset: () => set(blankState()),
  startFresh: () => {
    const { result, confirmation } = get();
    if (result ? result.outcome !== 'unknown' : confirmation !== null) set(blankState());
  },
  prefill: (customer, cards, lines) =>
    set({
      ...blankState(),
      customer: { kind: 'existing', customer, cards },
      cardId: firstActiveCard(cards),
      method: firstActiveCard(cards) ? 'card_on_file' : 'new_card',
      lines: lines.length ? lines : [newLine(defaults().taxRate)],
    }),
  setResult: (result) => set({ result }),
  refreshTenders: async () => {
    const order = get().createdOrder;
    if (!order) return;
    const tenders = await call('orders.tenders', { orderId: order.id });
    set({ tenders: tenders.tenders.some((x) => x.standing !== 'void') ? tenders : null });
  },
  setConfirmation: (confirmation) => set({ confirmation }),

  submit: async () => {
    const s = get();
    const parsed = parseLines(s.lines, s.currency);
    const errors: Record<string, string> = { ...parsed.errors };
    if (parsed.lines.length === 0 && !errors.lines) errors['lines.0.description'] = i18next.t('order:lines.atLeastOne');
    const c = s.customer;
    if (c.kind === 'new' && !c.name.trim()) errors.name = i18next.t('order:check.nameRequired');
    if ((s.method === 'card_on_file' || s.method === 'email_confirm') && !s.cardId) errors.payment = i18next.t('order:check.chooseCard');
    if (s.method === 'email_confirm' && c.kind === 'existing' && !c.customer.email) errors.payment = i18next.t('order:check.noEmail');
    if (s.method === 'new_card' && !s.hostedCard) errors.payment = i18next.t('order:check.enterCard');
    if (s.method === 'link') Object.assign(errors, linkFormErrors());
    // Split tender: this tender's amount (default what remains, from the core once the order exists).
    const remaining = s.tenders ? s.tenders.remaining : parsed.totals.total.amount;
    let amount: number | undefined;
    if (s.tenderAmount.trim()) {
      try {
        amount = parseAmount(s.tenderAmount, s.currency).amount;
        if (amount <= 0) errors.tenderAmount = i18next.t('order:tenders.moreThanZero');
        else if (amount > remaining && s.method !== 'cash') errors.tenderAmount = i18next.t('order:tenders.moreThanRemaining');
      } catch (e) {
        errors.tenderAmount = amountProblem(e, s.currency);
      }
    }
    if (s.method === 'link' && (amount !== undefined || s.tenders)) errors.payment = i18next.t('order:tenders.linkWhole');
    if (s.method === 'email_confirm' && (amount !== undefined || s.tenders)) errors.payment = i18next.t('order:tenders.emailWhole');
    let tendered = 0;
    if (s.method === 'cash') {
      try {
        tendered = parseAmount(s.tendered, s.currency).amount;
        if (tendered < Math.min(amount ?? remaining, remaining)) errors.tendered = i18next.t(amount !== undefined || s.tenders ? 'order:tenders.lessThanTender' : 'order:check.lessThanTotal');
      } catch (e) {
        errors.tendered = s.tendered.trim() ? amountProblem(e, s.currency) : i18next.t('order:check.enterTendered');
      }
    }
    if (parsed.totals.total.amount <= 0 && Object.keys(errors).length === 0) errors['lines.0.unitPrice'] = i18next.t('order:lines.moreThanZero');
    set({ errors });
    if (Object.keys(errors).length > 0) throw new FormInvalid(errors);

    const input: InputOf<'orders.create'> = {
      channel: s.channel,
      currency: s.currency,
      customerId: c.kind === 'existing' ? c.customer.id : null,
      newCustomer: c.kind === 'new' ? { name: c.name.trim(), email: c.email.trim(), phone: c.phone.trim() } : null,
      lines: parsed.lines,
      note: s.note.trim(),
    };
    let signature = JSON.stringify(input);
    let order = s.createdOrder;
    // Once a tender stands the order is fixed (the lines are locked on the screen): never re-created.
    if (order && s.tenders) signature = order.signature;
    if (!order || order.signature !== signature) {
      if (order) call('orders.cancel', { id: order.id }).catch(() => undefined);
      const created = await call('orders.create', input);
      order = { id: created.id, reference: created.reference, signature };
      set({ createdOrder: order });
    }
    if (s.method === 'link') {
      await useLinks.getState().send(order.id);
      return;
    }
    if (s.method === 'email_confirm') {
      // The core emails the customer and charges only once they agree; the screen follows it.
      const confirmation = await call('confirmations.start', { orderId: order.id, cardId: s.cardId ?? '', mode: s.mode });
      set({ confirmation });
      return;
    }
    const source: InputOf<'payments.charge'>['source'] =
      s.method === 'cash'
        ? { kind: 'cash', tendered }
        : s.method === 'card_on_file'
          ? { kind: 'card_on_file', cardId: s.cardId ?? '' }
          : { kind: 'new_card', handle: s.hostedCard?.handle ?? '', save: s.saveCard && c.kind !== 'none' };
    const result = await call('payments.charge', { orderId: order.id, mode: s.method === 'cash' ? 'purchase' : s.mode, source, ...(amount !== undefined ? { amount } : {}) });
    const tenders = await call('orders.tenders', { orderId: order.id }).catch(() => null);
    const standing = tenders ? tenders.tenders.some((x) => x.standing === 'stands') : false;
    // Split tender goes on while something stands and a part remains: the form stays, showing the tenders and what remains.
    if (tenders && standing && tenders.remaining > 0 && (result.outcome === 'approved' || result.outcome === 'declined')) {
      set({ tenders, lastTender: result, hostedCard: null, tendered: '', tenderAmount: '' });
      return;
    }
    set({ tenders: tenders && tenders.tenders.length > 1 ? tenders : null, lastTender: null, result: { ...result, resolving: result.outcome === 'unknown', checks: 0 } });
  },
}));

export class FormInvalid extends Error {
  constructor(readonly fields: Record<string, string>) {
    super('The order form has problems');
  }
}

function clearErrors(errors: Record<string, string>, keys: string[]): Record<string, string> {
  const touched = keys.some((k) => k in errors) || (keys.includes('hostedCard') && 'payment' in errors) || (keys.includes('cardId') && 'payment' in errors) || keys.includes('method');
  if (!touched) return errors;
  const next = { ...errors };
  for (const k of keys) delete next[k];
  if (keys.includes('hostedCard') || keys.includes('cardId') || keys.includes('method')) delete next.payment;
  return next;
}
