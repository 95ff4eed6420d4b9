import { z } from 'zod';
import type { Role } from '../domain/roles';
import {
  ApprovalInput, CardSchema, Channel, Currency, CustomerInput, CustomerSchema, DigitsSchema, Id, IsoTime, LanguageSchema, LineSchema,
  MinorUnits, OperationSchema, OrderSchema, PaymentDetailSchema, PaymentListFilter, PaymentSummarySchema,
  Pin, PositiveMinorUnits, RoleSchema, SearchHitSchema, SyncStatusSchema, Text, UserSchema,
} from './schemas';
import { CoreTextSchema } from './core-text-schema';
import { ConnectionTestSchema, GatewayAccountInput, GatewayEnvironment, GatewayStateSchema, GatewaySwitchInput } from './gateway-accounts';
import { Locale, PrintedText, TimeZoneSetting } from './settings-fields';
import { BulkKind, BulkPreviewInput, BulkRowSchema, BulkRunSchema } from './bulk';
import { DEFAULT_LINK_EXPIRY, LinkExpirySettings, LinkSendInput, LinkView } from './links';
import { ClosedDaysInput, CompareSchema, DayInput, EndOfDayInput, DaySnapshotSchema, DaySnapshotSummarySchema, EndOfDayReportSchema, ReportDate } from './reports';
import { ShopConnectInput, ShopLeaveInput, ShopStatusSchema } from './shop';
import { PrinterConfigSchema, PrinterStateSchema, PrintOutcomeSchema, PrintReceiptInput, ReceiptPreviewSchema } from './printing';
import { CatalogImportInput, DEFAULT_SCANNER, ImportPreviewSchema, ImportResultSchema, ProductInput, ProductSchema, ProductSearchInput, ScannerSettings } from './catalog';
import { OrderTendersSchema } from './schemas';

/** 'none' = callable before login (status, setup, login). Everything else needs a session. */
export type MinRole = Role | 'none';

export interface ChannelDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  minRole: MinRole;
  /** Changes recorded state (ledger, settings, users): used by fuzz tests and the audit log. */
  mutates: boolean;
  summary: string;
  /** Input size limit in bytes of JSON when a channel needs more than the core's default (a whole file of rows). */
  maxInputBytes?: number;
}

function ch<I extends z.ZodType, O extends z.ZodType>(def: ChannelDef<I, O>): ChannelDef<I, O> {
  return def;
}

const Empty = z.object({}).strict();
const Ok = z.object({ ok: z.literal(true) });

/** The signed-in person, with their own language and digits (null = the station's default). */
const SessionUser = UserSchema.pick({ id: true, name: true, role: true }).extend({
  language: LanguageSchema.nullable(),
  digits: DigitsSchema.nullable(),
});

const SettingsSchema = z.object({
  stationName: PrintedText(60),
  merchantName: PrintedText(80),
  merchantAddress: PrintedText(200, { multiline: true, optional: true }),
  currency: Currency,
  locale: Locale,
  defaultTaxRateBp: z.number().int().min(0).max(100_000),
  idleLockMinutes: z.number().int().min(1).max(15),
  /** Refunds at or above this amount (minor units) need a supervisor's PIN; 0 = every refund. */
  refundApprovalLimit: MinorUnits,
  allowSelfApproval: z.boolean(),
  confirmationTimeoutSeconds: z.number().int().min(30).max(3600),
  offlineCharges: z.object({
    enabled: z.boolean(),
    perCharge: MinorUnits,
    totalOutstanding: MinorUnits,
    maxCount: z.number().int().min(0).max(10_000),
    maxAgeHours: z.number().int().min(1).max(168),
  }).refine((o) => o.perCharge <= o.totalOutstanding, { message: 'One charge cannot be more than the total allowed outstanding', path: ['perCharge'] }),
  /** Pay by link expiry (docs/payment-links.md). */
  paymentLinks: LinkExpirySettings.default(DEFAULT_LINK_EXPIRY),
  /** This station's barcode scanner (README "Barcode scanners"). */
  scanner: ScannerSettings.default(DEFAULT_SCANNER),
  /** The shop's IANA time zone for recurring schedules; null = the station's own zone. */
  timeZone: TimeZoneSetting.default(null),
});
export type Settings = z.infer<typeof SettingsSchema>;
export { SettingsSchema };
/**
 * settings.update changes only what it is sent: zod 4 fills a default in for an absent key even
 * inside .partial(), which reset the link expiry (and would reset the shop's time zone) whenever
 * any other setting was saved.
 */
const SettingsPatch = SettingsSchema.extend({ paymentLinks: LinkExpirySettings.optional(), timeZone: TimeZoneSetting.optional() }).partial();

const ChargeSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('card_on_file'), cardId: Id }),
  z.object({ kind: z.literal('new_card'), handle: Id, save: z.boolean() }),
  z.object({ kind: z.literal('cash'), tendered: MinorUnits }),
]);

/** A refund of an order shared among its tenders (shared/domain/tenders.ts planOrderRefund). */
const OrderRefundResult = z.object({
  parts: z.array(z.object({ paymentId: Id, amount: MinorUnits, outcome: z.enum(['approved', 'declined', 'unknown', 'queued']), message: z.string() })),
  tenders: OrderTendersSchema,
});

const ChargeResult = z.object({
  outcome: z.enum(['approved', 'declined', 'unknown', 'queued']),
  message: z.string(),
  /** `message` as a key for the screen's language (shared/contract/messages.ts). */
  text: CoreTextSchema.optional(),
  payment: PaymentSummarySchema,
  cardSaved: CardSchema.nullable(),
  change: MinorUnits.nullable(),
});

const OperationResult = z.object({
  outcome: z.enum(['approved', 'declined', 'unknown', 'queued']),
  message: z.string(),
  text: CoreTextSchema.optional(),
  detail: PaymentDetailSchema,
});

/** Email confirmation (seed 003) as the screen follows it; `charge` is the normal charge result once made. */
const ConfirmationView = z.object({
  id: Id,
  orderId: Id,
  orderReference: z.string(),
  mode: z.enum(['purchase', 'authorize']),
  state: z.enum(['idle', 'processing', 'confirmed', 'refused', 'failed', 'expired']),
  processState: z.string(),
  failReason: z.string().nullable(),
  emailAddress: z.string(),
  amount: MinorUnits,
  currency: Currency,
  timeoutSeconds: z.number().int(),
  createdAt: IsoTime,
  /** When the customer's link stops working (created + timeout), by the station clock. */
  deadline: IsoTime,
  chargeState: z.enum(['none', 'charging', 'done']),
  charge: ChargeResult.nullable(),
  /** A plain sentence for the screen (English), and the same as a key for the screen's language. */
  message: z.string(),
  text: CoreTextSchema,
});

const HostedCard = z.object({
  handle: Id,
  brand: z.string(),
  last4: z.string(),
  expiry: z.string(),
  holderName: z.string(),
});

const AuditEntrySchema = z.object({
  seq: z.number().int(),
  at: IsoTime,
  userId: z.string().nullable(),
  userName: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  outcome: z.enum(['success', 'failure']),
  station: z.string(),
  detail: z.string(),
  hash: z.string(),
});

/** Recurring charges (seed 001; docs/recurring.md). */
const RecurringFrequency = z.enum(['daily', 'weekly', 'monthly', 'yearly']);
const RecurringPeriodSchema = z.object({
  id: Id,
  scheduleId: Id,
  period: z.number().int().min(1),
  dueAt: IsoTime,
  state: z.enum(['missed', 'due', 'running', 'charged', 'skipped', 'needs_attention']),
  /** Derived from the schedule and the period; the order's reference (the gateway sees it + "-P<attempt>"). */
  reference: z.string(),
  /** What this period is (or was) charged: its order's total once the order exists (fixed for good), else the schedule's amount. */
  amount: MinorUnits,
  orderId: Id.nullable(),
  paymentId: Id.nullable(),
  paymentReference: z.string().nullable(),
  paymentStatus: z.string().nullable(),
  attempts: z.number().int(),
  reason: z.string().nullable(),
  /** `reason` as a key for the screen's language; null when a person typed it or the row is older. */
  reasonText: CoreTextSchema.nullable(),
  actedBy: z.string().nullable(),
  startedAt: IsoTime.nullable(),
  finishedAt: IsoTime.nullable(),
});
const RecurringScheduleSchema = z.object({
  id: Id,
  shortId: z.string(),
  customerId: Id,
  customerName: z.string(),
  cardId: Id,
  cardBrand: z.string(),
  cardLast4: z.string(),
  /** Null when the card can be charged; else why not (expired, deactivated). */
  cardProblem: z.string().nullable(),
  amount: PositiveMinorUnits,
  currency: Currency,
  frequency: RecurringFrequency,
  startAt: IsoTime,
  endAt: IsoTime.nullable(),
  count: z.number().int().nullable(),
  description: z.string(),
  state: z.enum(['active', 'paused', 'cancelled', 'completed']),
  nextDueAt: IsoTime.nullable(),
  nextPeriod: z.number().int().nullable(),
  totalPeriods: z.number().int().nullable(),
  charged: z.number().int(),
  missed: z.number().int(),
  attention: z.number().int(),
  running: z.number().int(),
  createdAt: IsoTime,
  createdBy: z.string(),
});
const RecurringDetail = z.object({
  schedule: RecurringScheduleSchema,
  periods: z.array(RecurringPeriodSchema),
  upcoming: z.array(z.object({ period: z.number().int(), dueAt: IsoTime })),
});
const RecurringId = z.object({ id: Id }).strict();
const PeriodId = z.object({ periodId: Id }).strict();
const RecurringDescription = z.string().trim().min(1, 'Describe the charge').max(100);

/** The Queue screen's list (docs/offline.md): queued operations, and what needs a person. */
const QueueSection = z.enum(['attention', 'queued']);
const QueueOperationEntry = OperationSchema.extend({
  kind: z.literal('operation'),
  orderReference: z.string(),
  currency: Currency,
  /** Set when the operation is the charge of a recurring schedule's period (queued offline). */
  recurring: z.object({ scheduleId: Id, shortId: z.string(), period: z.number().int() }).nullable(),
});
const QueueRecurringEntry = z.object({
  kind: z.literal('recurring'),
  /** The period's id. */
  id: Id,
  scheduleId: Id,
  shortId: z.string(),
  description: z.string(),
  customerName: z.string(),
  period: z.number().int(),
  /** The period's reference (its order's). */
  reference: z.string(),
  dueAt: IsoTime,
  /** Since when it needs attention. */
  since: IsoTime,
  amount: MinorUnits,
  currency: Currency,
  reason: z.string().nullable(),
  /** `reason` as a key for the screen's language; null when a person typed it or the row is older. */
  reasonText: CoreTextSchema.nullable(),
  /** What a person does about it, in one sentence. */
  nextStep: z.string(),
  nextStepText: CoreTextSchema,
  paymentId: Id.nullable(),
  attempts: z.number().int(),
});
/**
 * A bulk row our own checks refused when it was sent (the payment or card changed after the
 * preview): no operation was made, so the row itself waits for a person (dismissed on the Queue screen).
 */
const QueueBulkEntry = z.object({
  kind: z.literal('bulk'),
  /** `<run id>-<row>`. */
  id: Id,
  runId: Id,
  seq: z.number().int(),
  bulkKind: BulkKind,
  /** The row's reference as given in the file (payment, order, or the bill run's customer). */
  reference: z.string(),
  paymentId: Id.nullable(),
  /** The bill-run row's own order, made before its charge was refused (null for capture, void, refund). */
  orderReference: z.string().nullable(),
  amount: MinorUnits.nullable(),
  currency: Currency.nullable(),
  /** Why our checks refused it (the core's sentence, in English). */
  reason: z.string(),
  /** Who ran the run. */
  runBy: z.string(),
  since: IsoTime,
});
const QueueEntrySchema = z.discriminatedUnion('kind', [QueueOperationEntry, QueueRecurringEntry, QueueBulkEntry]);

/** Every channel of the app, declared once. Name = `<area>.<action>`. */
export const channels = {
  // --- session and people ---
  'session.status': ch({
    input: Empty,
    output: z.object({
      setupRequired: z.boolean(),
      user: SessionUser.nullable(),
      locked: z.boolean(),
      idleLockMs: z.number().int(),
      station: z.string(),
      /** The station's default language and digits (settings locale), for the sign-in screen. */
      locale: z.string(),
      gateway: z.object({ name: z.string(), sandbox: z.boolean(), environment: GatewayEnvironment, account: z.string(), confirmation: z.boolean() }),
      now: IsoTime,
    }),
    minRole: 'none', mutates: false, summary: 'Who is signed in, whether first-run setup is needed, which gateway.',
  }),
  'session.setup': ch({
    /** `language`: the one chosen on the first screen, which becomes the station's default (settings locale). */
    input: z.object({ name: z.string().trim().min(1).max(80), pin: Pin, language: LanguageSchema.optional() }),
    output: SessionUser,
    minRole: 'none', mutates: true, summary: 'First run: create the admin and sign in.',
  }),
  'session.users': ch({
    input: Empty,
    output: z.array(SessionUser),
    minRole: 'none', mutates: false, summary: 'Active users for the sign-in screen (names and roles only).',
  }),
  'session.login': ch({
    input: z.object({ userId: Id, pin: z.string().min(1).max(128) }),
    output: SessionUser,
    minRole: 'none', mutates: true, summary: 'Sign in with a PIN or password; locks the account after 10 failures for 30 minutes.',
  }),
  'session.logout': ch({ input: Empty, output: Ok, minRole: 'clerk', mutates: true, summary: 'Sign out.' }),
  'session.lock': ch({ input: Empty, output: Ok, minRole: 'clerk', mutates: true, summary: 'Lock the screen (idle or by hand).' }),
  'session.unlock': ch({
    input: z.object({ pin: z.string().min(1).max(128) }),
    output: SessionUser,
    minRole: 'none', mutates: true, summary: 'Unlock with the signed-in user\'s PIN.',
  }),
  'session.preferences': ch({
    input: z.object({ language: LanguageSchema.nullable().optional(), digits: DigitsSchema.nullable().optional() }).strict(),
    output: SessionUser,
    minRole: 'clerk', mutates: true, summary: 'Change one\'s own language and digits (null = the station\'s default).',
  }),
  'session.touch': ch({ input: Empty, output: Ok, minRole: 'clerk', mutates: false, summary: 'Activity heartbeat for the idle lock.' }),
  'users.list': ch({ input: Empty, output: z.array(UserSchema), minRole: 'admin', mutates: false, summary: 'All users.' }),
  'users.create': ch({
    input: z.object({ name: z.string().trim().min(1).max(80), role: RoleSchema, pin: Pin }),
    output: UserSchema,
    minRole: 'admin', mutates: true, summary: 'Add a user.',
  }),
  'users.update': ch({
    input: z.object({ id: Id, name: z.string().trim().min(1, 'Name is required').max(80).optional(), role: RoleSchema.optional(), active: z.boolean().optional(), pin: Pin.optional() }),
    output: UserSchema,
    minRole: 'admin', mutates: true, summary: 'Change a user\'s name or role, deactivate or reactivate them, or set a new PIN (not one\'s own: see session.changePin).',
  }),
  'session.changePin': ch({
    input: z.object({ currentPin: z.string().min(1).max(128), newPin: Pin }),
    output: Ok,
    minRole: 'clerk', mutates: true, summary: 'Change one\'s own PIN; the current PIN is asked (wrong ones count toward the lockout).',
  }),

  // --- customers and cards on file ---
  'customers.search': ch({
    input: z.object({ query: Text(100), limit: z.number().int().min(1).max(50).default(20), offset: z.number().int().min(0).max(10_000).default(0) }),
    output: z.object({ hits: z.array(SearchHitSchema), more: z.boolean() }),
    minRole: 'clerk', mutates: false, summary: 'Search-as-you-type by name, phone, email, last 4 or order reference.',
  }),
  'customers.get': ch({
    input: z.object({ id: Id }),
    output: z.object({
      customer: CustomerSchema, cards: z.array(CardSchema), orders: z.array(OrderSchema), payments: z.array(PaymentSummarySchema),
      /** What "Charge again" repeats: the newest order whose payment stands (not voided, declined or refunded), or null. */
      repeat: z.object({ order: OrderSchema, payment: PaymentSummarySchema }).nullable(),
    }),
    minRole: 'clerk', mutates: false, summary: 'A customer with cards on file, recent orders, and the order "Charge again" repeats.',
  }),
  'customers.create': ch({ input: CustomerInput, output: CustomerSchema, minRole: 'clerk', mutates: true, summary: 'Add a customer.' }),
  'customers.update': ch({
    input: CustomerInput.extend({ id: Id }),
    output: CustomerSchema,
    minRole: 'clerk', mutates: true, summary: 'Change a customer\'s name, email or phone.',
  }),
  'cards.deactivate': ch({
    input: z.object({ cardId: Id }),
    output: CardSchema,
    minRole: 'clerk', mutates: true, summary: 'Deactivate a card on file (UPDATE_TOKEN INACTIVE at the gateway).',
  }),
  'cards.updateExpiry': ch({
    input: z.object({ cardId: Id, expiry: z.string().regex(/^\d{4}$/, 'Expiry is YYMM') }),
    output: CardSchema,
    minRole: 'clerk', mutates: true, summary: 'Record a new expiry date for a card on file.',
  }),

  // --- orders and payments ---
  'orders.create': ch({
    input: z.object({
      channel: Channel,
      currency: Currency,
      customerId: Id.nullable().default(null),
      newCustomer: CustomerInput.nullable().default(null),
      lines: z.array(LineSchema).min(1, 'Add at least one line').max(200),
      note: Text(500).default(''),
    }),
    output: OrderSchema,
    minRole: 'clerk', mutates: true, summary: 'Record an order awaiting payment.',
  }),
  'orders.get': ch({ input: z.object({ id: Id }), output: OrderSchema, minRole: 'clerk', mutates: false, summary: 'One order.' }),
  'orders.cancel': ch({ input: z.object({ id: Id }), output: OrderSchema, minRole: 'clerk', mutates: true, summary: 'Cancel an order that has no payment.' }),
  'orders.tenders': ch({
    input: z.object({ orderId: Id }),
    output: OrderTendersSchema,
    minRole: 'clerk', mutates: false, summary: 'The tenders of an order and what remains to pay (split tender).',
  }),
  'orders.refund': ch({
    input: z.object({
      orderId: Id, amount: PositiveMinorUnits, reason: z.string().trim().min(1, 'Give a reason').max(200), approval: ApprovalInput.optional(),
      /** The tender to refund; left out: the last tender first, then the one before. */
      paymentId: Id.optional(),
    }),
    output: OrderRefundResult,
    minRole: 'clerk', mutates: true, summary: 'Refund an order back to its tenders, last tender first, or to the tender chosen.',
  }),
  'payments.hostedForm': ch({
    input: z.object({
      orderId: Id.optional(), customerId: Id.optional(),
      /** The clerk's one "save card" answer, passed to the gateway's page (remember_me) so it is asked once. */
      save: z.boolean().optional(),
    }),
    output: z.object({ sessionId: Id, action: z.string(), fields: z.record(z.string(), z.string()) }),
    minRole: 'clerk', mutates: true, summary: 'A signed form for the gateway\'s hosted card page (no card data).',
  }),
  'payments.hostedResult': ch({
    input: z.object({ sessionId: Id }),
    output: z.object({ state: z.enum(['waiting', 'ready', 'failed']), card: HostedCard.nullable(), message: z.string() }),
    minRole: 'clerk', mutates: false, summary: 'What the hosted card page returned: a card handle, never a card number.',
  }),
  'payments.charge': ch({
    /** `amount`: this tender's part of the order (split tender); default what remains. */
    input: z.object({ orderId: Id, mode: z.enum(['purchase', 'authorize']), source: ChargeSource, amount: PositiveMinorUnits.optional() }),
    output: ChargeResult,
    minRole: 'clerk', mutates: true, summary: 'Charge now or authorize only, with a card on file, a new card or cash.',
  }),
  'payments.capture': ch({
    input: z.object({ paymentId: Id, amount: PositiveMinorUnits }),
    output: OperationResult,
    minRole: 'clerk', mutates: true, summary: 'Capture part or all of what remains authorized.',
  }),
  'payments.void': ch({
    input: z.object({ paymentId: Id, reason: Text(200).default('') }),
    output: OperationResult,
    minRole: 'clerk', mutates: true, summary: 'Void an authorization with nothing captured.',
  }),
  'payments.refund': ch({
    input: z.object({ paymentId: Id, amount: PositiveMinorUnits, reason: z.string().trim().min(1, 'Give a reason').max(200), approval: ApprovalInput.optional() }),
    output: OperationResult,
    minRole: 'clerk', mutates: true, summary: 'Refund part or all of what was captured; a supervisor approves with a PIN.',
  }),
  'payments.checkStatus': ch({
    input: z.object({ paymentId: Id }),
    output: OperationResult,
    minRole: 'clerk', mutates: true, summary: 'Ask the gateway and reconcile the local totals.',
  }),
  'payments.list': ch({
    input: PaymentListFilter,
    output: z.object({ rows: z.array(PaymentSummarySchema), nextCursor: z.string().nullable(), total: z.number().int() }),
    minRole: 'clerk', mutates: false, summary: 'Transactions, newest first, filtered and paged.',
  }),
  'payments.expiringSummary': ch({
    input: Empty,
    output: z.object({ total: z.number().int(), soonest: PaymentSummarySchema.nullable() }),
    minRole: 'clerk', mutates: false, summary: 'How many authorizations lapse within 48 hours, and the first of them to lapse.',
  }),
  'payments.get': ch({
    input: z.object({ paymentId: Id }),
    output: PaymentDetailSchema,
    minRole: 'clerk', mutates: false, summary: 'A payment with its operation timeline and what may be done next.',
  }),

  // --- offline queue ---
  'sync.status': ch({ input: Empty, output: SyncStatusSchema, minRole: 'clerk', mutates: false, summary: 'Online or offline, queued work and its age.' }),
  'sync.queue': ch({
    input: z.object({
      /** 'attention': operations in needs attention and failed recurring charges, oldest first; 'queued': operations waiting to be sent, oldest first. */
      section: QueueSection.default('attention'),
      cursor: z.string().max(200).optional(),
      limit: z.number().int().min(1).max(500).default(200),
    }).strict(),
    output: z.object({
      section: QueueSection,
      rows: z.array(QueueEntrySchema),
      nextCursor: z.string().nullable(),
      /** Exact counts of both sections (not of the page). attention includes recurringAttention. */
      counts: z.object({ attention: z.number().int(), recurringAttention: z.number().int(), queued: z.number().int() }),
      /** The core's clock: ages are computed against it. */
      now: IsoTime,
    }),
    minRole: 'clerk', mutates: false, summary: 'Operations waiting to be forwarded and what needs attention (failed recurring charges too), paged.',
  }),
  'sync.resolve': ch({
    input: z.object({ operationId: Id, action: z.enum(['retry', 'dismiss']) }),
    output: Ok,
    minRole: 'supervisor', mutates: true, summary: 'Retry or dismiss an operation in "needs attention".',
  }),

  // --- settings and audit ---
  'settings.get': ch({ input: Empty, output: SettingsSchema, minRole: 'clerk', mutates: false, summary: 'Station settings.' }),
  'settings.update': ch({ input: SettingsPatch, output: SettingsSchema, minRole: 'admin', mutates: true, summary: 'Change station settings.' }),
  'audit.list': ch({
    input: z.object({
      action: Text(60).optional(), userId: Id.optional(), limit: z.number().int().min(1).max(1000).default(200), beforeSeq: z.number().int().optional(),
      // Optional narrowing (all additive): outcome, a plain-text substring, and an ISO time range [from, to).
      outcome: z.enum(['success', 'failure']).optional(), text: Text(100).optional(), from: IsoTime.optional(), to: IsoTime.optional(),
    }),
    output: z.array(AuditEntrySchema),
    minRole: 'supervisor', mutates: false, summary: 'Read the audit log.',
  }),
  'audit.verify': ch({
    input: Empty,
    output: z.object({
      ok: z.boolean(), checked: z.number().int(), firstBadSeq: z.number().int().nullable(), problem: z.string().nullable(),
      // In a shop (docs/stations.md): this station's chain against the server's anchor, and every station's chain on the server.
      shop: z.object({
        reachable: z.boolean(),
        stations: z.array(z.object({ stationId: z.string(), name: z.string(), thisStation: z.boolean(), checked: z.number().int(), problem: z.string().nullable() })),
      }).nullable().optional(),
    }),
    minRole: 'supervisor', mutates: false, summary: 'Check the hash chain (in a shop: against the server\'s anchor and every station\'s chain there); point at the first altered or missing entry.',
  }),

  // --- end-of-day reports (docs/reports.md) ---
  'reports.endOfDay': ch({
    input: EndOfDayInput,
    output: EndOfDayReportSchema,
    minRole: 'clerk', mutates: false, summary: 'End-of-day figures for a station-local day, per currency, for this station or (in a shop) the whole shop with a per-station breakdown; open operations of any day.',
  }),
  'reports.closeDay': ch({
    input: DayInput,
    output: DaySnapshotSchema,
    minRole: 'supervisor', mutates: true, summary: 'Close the day: store an immutable, hashed snapshot of its report (once per day).',
  }),
  'reports.closedDays': ch({
    input: ClosedDaysInput,
    output: z.array(DaySnapshotSummarySchema),
    minRole: 'clerk', mutates: false, summary: 'Closed days, newest first, with their totals and hash.',
  }),
  'reports.compare': ch({
    input: z.object({ date: ReportDate }).strict(),
    output: CompareSchema,
    minRole: 'clerk', mutates: false, summary: 'A closed day\'s snapshot next to a fresh computation, with the differences.',
  }),
  // --- email confirmation of a MOTO charge by the cardholder (seed 003; docs/email-confirmation.md) ---
  'confirmations.start': ch({
    input: z.object({ orderId: Id, cardId: Id, mode: z.enum(['purchase', 'authorize']) }),
    output: ConfirmationView,
    minRole: 'clerk', mutates: true, summary: 'Email the customer a link to confirm the charge on a card on file; the core charges once they agree.',
  }),
  'confirmations.get': ch({
    input: z.object({ id: Id }),
    output: ConfirmationView,
    minRole: 'clerk', mutates: true, summary: 'Where a confirmation stands (asks the service); charges exactly once when it is confirmed.',
  }),
  // --- recurring charges on a card on file (seed 001; docs/recurring.md) ---
  'recurring.create': ch({
    input: z.object({
      customerId: Id,
      cardId: Id,
      amount: PositiveMinorUnits,
      currency: Currency,
      frequency: RecurringFrequency,
      /** Period 1; null = now. At most a year ahead; never in the past. */
      startAt: IsoTime.nullable().default(null),
      /** Last instant a period may fall due (the screen sends the end of the chosen day); or null. */
      endAt: IsoTime.nullable().default(null),
      count: z.number().int().min(1).max(1000).nullable().default(null),
      description: RecurringDescription,
    }).strict(),
    output: RecurringDetail,
    minRole: 'clerk', mutates: true, summary: 'Set up a recurring charge on a card on file (eci RECURRING); period 1 is charged when due.',
  }),
  'recurring.update': ch({
    input: z.object({
      id: Id,
      /** From the next charge on; periods that already fell due keep the amount they had. */
      amount: PositiveMinorUnits.optional(),
      description: RecurringDescription.optional(),
      frequency: RecurringFrequency.optional(),
      /** When the next charge falls due (the new rhythm counts from it). Never in the past; after the last period that fell due. */
      nextAt: IsoTime.optional(),
      /** Another active card on file of the same customer. */
      cardId: Id.optional(),
    }).strict(),
    output: RecurringDetail,
    minRole: 'clerk', mutates: true, summary: 'Change an active or paused schedule from its next charge on; history is never rewritten.',
  }),
  'recurring.list': ch({
    input: z.object({ customerId: Id.optional(), state: z.enum(['active', 'paused', 'cancelled', 'completed']).optional() }).strict(),
    output: z.object({ schedules: z.array(RecurringScheduleSchema), missed: z.number().int(), attention: z.number().int() }),
    minRole: 'clerk', mutates: false, summary: 'Recurring schedules, with how many periods were missed or need attention.',
  }),
  'recurring.get': ch({ input: RecurringId, output: RecurringDetail, minRole: 'clerk', mutates: false, summary: 'A recurring schedule with its periods and the next due dates.' }),
  'recurring.pause': ch({ input: RecurringId, output: RecurringDetail, minRole: 'clerk', mutates: true, summary: 'Pause a schedule: nothing is charged until it is resumed.' }),
  'recurring.resume': ch({ input: RecurringId, output: RecurringDetail, minRole: 'clerk', mutates: true, summary: 'Resume a paused schedule; periods that fell due while paused are listed as missed.' }),
  'recurring.cancel': ch({ input: RecurringId, output: RecurringDetail, minRole: 'supervisor', mutates: true, summary: 'Cancel a schedule for good; periods not charged are skipped.' }),
  'recurring.runPeriod': ch({ input: PeriodId, output: RecurringDetail, minRole: 'supervisor', mutates: true, summary: 'Charge a missed period now, or retry one that needs attention (same period reference).' }),
  'recurring.skipPeriod': ch({
    input: z.object({ periodId: Id, reason: z.string().trim().max(200).default('') }).strict(),
    output: RecurringDetail,
    minRole: 'supervisor', mutates: true, summary: 'Skip a missed period, or one that needs attention: it is never charged.',
  }),
  'recurring.runDue': ch({
    input: z.object({}).strict(),
    output: z.object({ charged: z.number().int(), attention: z.number().int(), running: z.number().int(), missed: z.number().int() }),
    minRole: 'clerk', mutates: true, summary: 'Charge the periods that fell due while the station was running (the runner also does this every minute).',
  }),

  // --- gateway account (docs/going-live.md): secrets go in, never come out ---
  'gateway.get': ch({ input: Empty, output: GatewayStateSchema, minRole: 'admin', mutates: false, summary: 'The gateway accounts (no secrets: when set, by whom, last 2 characters).' }),
  'gateway.test': ch({ input: GatewayAccountInput, output: ConnectionTestSchema, minRole: 'admin', mutates: false, summary: 'Test an APS account: a signed check status on a fresh reference.' }),
  'gateway.save': ch({ input: GatewayAccountInput, output: GatewayStateSchema, minRole: 'admin', mutates: true, summary: 'Store an APS account (production only after a successful test).' }),
  'gateway.switch': ch({ input: GatewaySwitchInput, output: GatewayStateSchema, minRole: 'admin', mutates: true, summary: 'Send new payments to another account (PIN again; production also a typed confirmation).' }),
  // --- the shop server (docs/stations.md) ---
  'shop.status': ch({ input: Empty, output: ShopStatusSchema, minRole: 'supervisor', mutates: false, summary: 'The shop server link: connected, catching up or unreachable since when; the stations seen.' }),
  'shop.connect': ch({ input: ShopConnectInput, output: ShopStatusSchema, minRole: 'admin', mutates: true, summary: 'Join the shop server (its password is kept in the encrypted ledger); everything this station holds is shared.' }),
  'shop.leave': ch({ input: ShopLeaveInput, output: ShopStatusSchema, minRole: 'admin', mutates: true, summary: "Leave the shop: this station stops sharing, keeps everything it recorded, and acts on its own payments only (docs/decisions/leaving-a-shop.md)." }),
  // --- pay by link (issue #19; docs/payment-links.md) ---
  'links.send': ch({ input: LinkSendInput, output: LinkView, minRole: 'clerk', mutates: true, summary: 'Send the customer a payment link for the order total (written ahead; exactly one link per order at a time).' }),
  'links.get': ch({ input: z.object({ id: Id }).strict(), output: LinkView, minRole: 'clerk', mutates: true, summary: 'Where a link stands (asks the gateway); a paid link becomes a payment, exactly once.' }),
  'links.forOrder': ch({ input: z.object({ orderId: Id }).strict(), output: LinkView.nullable(), minRole: 'clerk', mutates: false, summary: 'The latest link of an order, as recorded.' }),
  'links.resend': ch({ input: z.object({ id: Id }).strict(), output: LinkView, minRole: 'clerk', mutates: true, summary: 'Send the same link to the customer again (audited).' }),
  'links.cancel': ch({ input: z.object({ id: Id }).strict(), output: LinkView, minRole: 'clerk', mutates: true, summary: 'Close an open link so it can no longer be paid (audited).' }),
  'links.extend': ch({ input: z.object({ id: Id, expiresInMinutes: z.number().int().positive() }).strict(), output: LinkView, minRole: 'clerk', mutates: true, summary: 'Give an open or expired link a new expiry (audited).' }),
  'links.expiringSummary': ch({ input: Empty, output: z.object({ total: z.number().int().min(0), soonest: LinkView.nullable() }), minRole: 'clerk', mutates: false, summary: 'Open links that lapse within the warning window: how many, and the first to lapse.' }),
  // --- bulk capture / void / refund (issue #19; docs/decisions/bulk-operations.md) ---
  // 20,000 rows of references, amounts, cards and descriptions: a few MB of JSON, not the default 256 KiB.
  'bulk.preview': ch({ input: BulkPreviewInput, output: BulkRunSchema, minRole: 'supervisor', mutates: true, summary: 'Judge every row (what will happen, what is refused and why); nothing is sent.', maxInputBytes: 8 * 1024 * 1024 }),
  'bulk.start': ch({ input: z.object({ id: Id }).strict(), output: BulkRunSchema, minRole: 'supervisor', mutates: true, summary: 'Send the accepted rows of a previewed run, each as its own operation.' }),
  'bulk.get': ch({ input: z.object({ id: Id }).strict(), output: BulkRunSchema, minRole: 'supervisor', mutates: false, summary: 'Progress of a run: counts per row state.' }),
  'bulk.rows': ch({ input: z.object({ id: Id, offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(1000).default(200) }).strict(), output: z.array(BulkRowSchema), minRole: 'supervisor', mutates: false, summary: 'Rows of a run with their verdict and result.' }),
  'bulk.cancel': ch({ input: z.object({ id: Id }).strict(), output: BulkRunSchema, minRole: 'supervisor', mutates: true, summary: 'Stop a run: rows not yet sent are cancelled.' }),
  'bulk.dismissRow': ch({ input: z.object({ runId: Id, seq: z.number().int().min(1) }).strict(), output: Ok, minRole: 'supervisor', mutates: true, summary: 'Dismiss a row refused at send time from needs attention (audited); nothing is sent.' }),
  'bulk.resultCsv': ch({ input: z.object({ id: Id }).strict(), output: z.object({ csv: z.string() }), minRole: 'supervisor', mutates: false, summary: 'The result file of a run, one line per input row.' }),
  // --- receipt printer and cash drawer (issue #20; docs/printing.md) ---
  'printing.state': ch({ input: Empty, output: PrinterStateSchema, minRole: 'clerk', mutates: false, summary: 'This desk\'s receipt printer: its settings and the last job\'s outcome.' }),
  'printing.configure': ch({ input: PrinterConfigSchema, output: PrinterStateSchema, minRole: 'admin', mutates: true, summary: 'Set this desk\'s receipt printer (host, port, paper width, drawer, auto-print).' }),
  // Not read-only: it sends a page to a device on the network (a fuzzer must not print on every printer it names).
  'printing.test': ch({ input: PrinterConfigSchema, output: PrintOutcomeSchema, minRole: 'admin', mutates: true, summary: 'Print a test page on the printer as given (before or after saving it).' }),
  'printing.receipt': ch({ input: PrintReceiptInput, output: PrintOutcomeSchema, minRole: 'clerk', mutates: true, summary: 'Print (or reprint) the receipt of a payment\'s order on this desk\'s printer; never changes the sale.' }),
  'printing.preview': ch({ input: z.object({ paymentId: Id }).strict(), output: ReceiptPreviewSchema, minRole: 'clerk', mutates: false, summary: 'The receipt as the thermal printer prints it: its lines, and the image when it prints as one.' }),
  'printing.openDrawer': ch({ input: Empty, output: PrintOutcomeSchema, minRole: 'admin', mutates: true, summary: 'Open the cash drawer (audited).' }),
  // --- the product catalog (issue #20; README "Product catalog") ---
  'catalog.search': ch({ input: ProductSearchInput, output: z.array(ProductSchema), minRole: 'clerk', mutates: false, summary: 'Products whose barcode, SKU or name matches what is typed (barcode and SKU first).' }),
  'catalog.byBarcode': ch({ input: z.object({ barcode: z.string().trim().min(1).max(64) }).strict(), output: ProductSchema.nullable(), minRole: 'clerk', mutates: false, summary: 'The active product with this barcode, or null: what a scan adds.' }),
  'catalog.save': ch({ input: ProductInput, output: ProductSchema, minRole: 'admin', mutates: true, summary: 'Add a product, or change one (audited); price in the shop currency.' }),
  'catalog.setActive': ch({ input: z.object({ id: Id, active: z.boolean() }).strict(), output: ProductSchema, minRole: 'admin', mutates: true, summary: 'Deactivate or reactivate a product (audited); never deleted.' }),
  'catalog.importPreview': ch({ input: CatalogImportInput, output: ImportPreviewSchema, minRole: 'admin', mutates: false, summary: 'Judge every row of a CSV file (add, update, unchanged, refused and why); nothing is written.' }),
  'catalog.importApply': ch({ input: CatalogImportInput, output: ImportResultSchema, minRole: 'admin', mutates: true, summary: 'Write the accepted rows of the file in one transaction (audited); the same file again changes nothing.' }),
  'catalog.export': ch({ input: Empty, output: z.array(ProductSchema), minRole: 'admin', mutates: false, summary: 'Every product, active or not, for the CSV export.' }),
} as const satisfies Record<string, ChannelDef>;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type InputOf<K extends ChannelName> = z.input<Channels[K]['input']>;
export type ParsedInputOf<K extends ChannelName> = z.output<Channels[K]['input']>;
export type OutputOf<K extends ChannelName> = z.output<Channels[K]['output']>;

export const CHANNEL_NAMES = Object.keys(channels) as ChannelName[];

/** Events from the main side to the screen. */
export const events = {
  'sync.changed': SyncStatusSchema,
  'session.changed': z.object({ locked: z.boolean(), userId: Id.nullable() }),
  'hosted.returned': z.object({ sessionId: Id }),
  // In a shop: other desks' records were written into this ledger (docs/stations.md); open screens reload what they show.
  'shop.changed': z.object({ tables: z.array(z.string().max(64)).max(64) }),
} as const;
export type EventName = keyof typeof events;
export type EventPayload<K extends EventName> = z.output<(typeof events)[K]>;
export const EVENT_NAMES = Object.keys(events) as EventName[];

/** The one Electron IPC channel main pushes contract events on (electron/main/ipc.ts → the preload). */
export const EVENT_CHANNEL = 'pos:event';
