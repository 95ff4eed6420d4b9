import { z } from 'zod';
import { PIN_MIN } from './limits';
import { isCurrencyCode } from '../money';
import { ROLES } from '../domain/roles';
import { CoreTextSchema } from './core-text-schema';

// Building blocks shared by the channels. Strings are bounded everywhere: the contract is the
// first line of defence against oversized or hostile payloads.

export const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Invalid id');
export const Currency = z.string().refine((c) => isCurrencyCode(c), 'Unknown currency code');
/** Integer minor units; APS allows at most 10 digits. */
export const MinorUnits = z.number().int().min(0).max(9_999_999_999);
export const PositiveMinorUnits = MinorUnits.refine((n) => n > 0, 'Amount must be more than zero');
export const MoneySchema = z.object({ amount: MinorUnits, currency: Currency });
export const IsoTime = z.string().max(40);
export const RoleSchema = z.enum(ROLES);
export const Channel = z.enum(['phone', 'mail', 'counter']);
export const Pin = z.string().min(PIN_MIN, `At least ${PIN_MIN} digits or characters`).max(128);
export const Text = (max: number) => z.string().max(max);
export const Email = z.string().max(254).regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'Invalid email address');
export const Phone = z.string().max(19).regex(/^[0-9+\-() ]*$/, 'Invalid phone number');

/** The languages the screen and what we send customers speak (renderer/i18n/languages.ts shows them). */
export const LanguageSchema = z.enum(['en', 'ar']);
/** Latin (0-9) or Arabic-Indic (٠-٩) digits. */
export const DigitsSchema = z.enum(['latn', 'arab']);

export const UserSchema = z.object({
  id: Id,
  name: Text(80),
  role: RoleSchema,
  active: z.boolean(),
});

export const LineSchema = z.object({
  description: z.string().trim().min(1, 'Describe the item').max(150),
  quantity: z.number().int().min(1).max(1_000_000),
  unitPrice: MinorUnits,
  taxRateBp: z.number().int().min(0).max(100_000),
  /** The catalog product the line was filled from; price and tax above are what it was sold at. */
  productId: Id.optional(),
  sku: z.string().max(64).optional(),
});

export const CustomerInput = z.object({
  name: z.string().trim().min(1, 'Name is required').max(80),
  email: Email.or(z.literal('')).default(''),
  phone: Phone.default(''),
  /** What we send them is in this language; null = the station's; left out on update = unchanged. */
  language: LanguageSchema.nullable().optional(),
});

export const CustomerSchema = z.object({
  id: Id,
  name: z.string(),
  email: z.string(),
  phone: z.string(),
  /** Preferred language for what we send (null = the station's). */
  language: LanguageSchema.nullable(),
  createdAt: IsoTime,
});

export const CardSchema = z.object({
  id: Id,
  customerId: Id,
  brand: z.string(),
  last4: z.string().regex(/^\d{4}$/),
  /** YYMM as the gateway keeps it. */
  expiry: z.string().regex(/^\d{4}$/),
  holderName: z.string(),
  status: z.enum(['active', 'inactive']),
  expired: z.boolean(),
  createdAt: IsoTime,
  /** The gateway account the card was saved on ("environment:merchant identifier"): usable only there. */
  account: z.string().optional(),
});

export const PaymentStatusSchema = z.enum([
  'pending',
  'authorized',
  'partially_captured',
  'captured',
  'partially_refunded',
  'refunded',
  'voided',
  'declined',
  'expired',
  'unknown',
]);

export const OperationType = z.enum(['authorize', 'purchase', 'capture', 'void', 'refund', 'check_status', 'cash_sale', 'cash_refund']);
export const OperationState = z.enum(['pending', 'sent', 'succeeded', 'declined', 'unknown', 'queued', 'needs_attention']);

export const OperationSchema = z.object({
  id: Id,
  paymentId: Id,
  type: OperationType,
  amount: MinorUnits.nullable(),
  state: OperationState,
  /** Our reference for this operation (merchant_reference or maintenance_reference). */
  reference: z.string(),
  responseCode: z.string().nullable(),
  message: z.string().nullable(),
  userId: z.string().nullable(),
  userName: z.string().nullable(),
  approvedBy: z.string().nullable(),
  reason: z.string().nullable(),
  /** `message` as a key for the screen's language (shared/contract/messages.ts operationText). */
  text: CoreTextSchema.nullable().optional(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});

export const OrderSchema = z.object({
  id: Id,
  reference: z.string(),
  channel: Channel,
  customerId: Id.nullable(),
  customerName: z.string().nullable(),
  currency: Currency,
  lines: z.array(LineSchema),
  net: MinorUnits,
  tax: MinorUnits,
  total: MinorUnits,
  note: z.string(),
  status: z.enum(['awaiting_payment', 'paid', 'authorized', 'cancelled']),
  createdAt: IsoTime,
  createdBy: z.string(),
});

export const PaymentSummarySchema = z.object({
  id: Id,
  orderId: Id,
  orderReference: z.string(),
  reference: z.string(),
  fortId: z.string().nullable(),
  method: z.enum(['card', 'cash']),
  kind: z.enum(['purchase', 'authorization', 'cash']),
  currency: Currency,
  amount: MinorUnits,
  authorized: MinorUnits,
  captured: MinorUnits,
  refunded: MinorUnits,
  status: PaymentStatusSchema,
  brand: z.string().nullable(),
  last4: z.string().nullable(),
  customerName: z.string().nullable(),
  authorizationCode: z.string().nullable(),
  createdAt: IsoTime,
  expiresAt: IsoTime.nullable(),
  /** Operations waiting to be forwarded (offline) for this payment. */
  queued: z.number().int(),
});

const Verdict = z.discriminatedUnion('allowed', [
  z.object({ allowed: z.literal(true), max: MinorUnits.optional() }),
  z.object({ allowed: z.literal(false), code: z.string(), reason: z.string(), text: CoreTextSchema }),
]);

export const PaymentDetailSchema = z.object({
  payment: PaymentSummarySchema,
  order: OrderSchema,
  operations: z.array(OperationSchema),
  actions: z.object({ capture: Verdict, void: Verdict, refund: Verdict, checkStatus: Verdict }),
  cash: z.object({ tendered: MinorUnits, change: MinorUnits }).nullable(),
  /** What is left and what becomes of it (shared/domain/payment-balance.ts): the one figure every screen shows. */
  balance: z.object({
    uncaptured: MinorUnits,
    fate: z.enum(['none', 'capturable', 'lapses', 'lapsed', 'void_queued', 'voided']),
    until: IsoTime.nullable(),
    canVoid: z.boolean(),
    refundable: MinorUnits,
    queuedCapture: MinorUnits,
    queuedRefund: MinorUnits,
  }),
});

export const PaymentListFilter = z.object({
  period: z.enum(['today', 'week', 'all']).default('all'),
  status: PaymentStatusSchema.optional(),
  view: z.enum(['all', 'uncaptured', 'expiring', 'unknown', 'queued']).default('all'),
  query: Text(100).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(500).default(100),
});

export const SearchHitSchema = z.object({
  customer: CustomerSchema,
  cards: z.array(CardSchema),
  /** Why it matched: 'name' | 'phone' | 'email' | 'last4' | 'order'. */
  matched: z.string(),
  orderReference: z.string().nullable(),
});

export const SyncStatusSchema = z.object({
  online: z.boolean(),
  queued: z.number().int(),
  oldestQueuedAt: IsoTime.nullable(),
  /** Everything a person must resolve: operations in "needs attention" plus failed recurring charges (never one thing twice). */
  needsAttention: z.number().int(),
  /** The part of needsAttention that is recurring charges (docs/recurring.md). */
  recurringAttention: z.number().int(),
  /** Payments with an operation the bank has not answered yet (outcome unknown, being checked). */
  inDoubt: z.number().int(),
  forwarding: z.boolean(),
  /** The core's clock when this was computed: the screen computes ages against it, not against its own clock. */
  now: IsoTime,
});

export const ApprovalInput = z.object({
  supervisorId: Id,
  pin: Pin,
});

/** One tender of an order (a payment) as the split-tender screens show it (shared/domain/tenders.ts). */
export const TenderSchema = z.object({
  paymentId: Id,
  reference: z.string(),
  method: z.enum(['card', 'cash']),
  kind: z.enum(['purchase', 'authorization', 'cash']),
  brand: z.string().nullable(),
  last4: z.string().nullable(),
  /** What this tender was for (minor units of the order's currency). */
  amount: MinorUnits,
  /** Cash only: what the customer handed over, and the change given back. */
  tendered: MinorUnits.nullable(),
  change: MinorUnits.nullable(),
  captured: MinorUnits,
  refunded: MinorUnits,
  /** What may still be refunded (shared/domain/payment-balance.ts). */
  refundable: MinorUnits,
  status: PaymentStatusSchema,
  standing: z.enum(['stands', 'in_doubt', 'void']),
  /** What it counts toward the order's total; what it holds back while its outcome is unknown. */
  counted: MinorUnits,
  held: MinorUnits,
  createdAt: IsoTime,
});

/** An order's tenders and the one "remaining" figure, computed by the core. */
export const OrderTendersSchema = z.object({
  orderId: Id,
  orderReference: z.string(),
  currency: Currency,
  total: MinorUnits,
  counted: MinorUnits,
  inDoubt: MinorUnits,
  remaining: MinorUnits,
  covered: z.boolean(),
  state: z.enum(['awaiting_payment', 'authorized', 'paid']),
  orderStatus: z.enum(['awaiting_payment', 'paid', 'authorized', 'cancelled']),
  /** In the order they were taken. */
  tenders: z.array(TenderSchema),
  /** What the order's tenders can still give back in all. */
  refundable: MinorUnits,
});
