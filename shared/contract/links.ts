import { z } from 'zod';
import { Currency, Id, IsoTime, PositiveMinorUnits } from './schemas';
import { CoreTextSchema } from './core-text-schema';
import { LINK_EXPIRY_ORDER } from './constants';

/** Pay by link (docs/payment-links.md): what the screen sends and follows. */

export const LINK_STATES = ['sending', 'unknown', 'sent', 'opened', 'paid', 'expired', 'cancelled', 'failed'] as const;
export type LinkState = (typeof LINK_STATES)[number];
/** States in which the link may still be paid: the order has at most one. */
export const OPEN_LINK_STATES: readonly LinkState[] = ['sending', 'unknown', 'sent', 'opened'];

export const LinkNotify = z.enum(['EMAIL', 'SMS', 'EMAIL_SMS']);

export { LINK_EXPIRY_ORDER };

/** Expiry limits in minutes; the station's own values live in settings.paymentLinks. */
export const LinkExpirySettings = z.object({
  defaultMinutes: z.number().int().min(15).max(43_200),
  minMinutes: z.number().int().min(15).max(43_200),
  maxMinutes: z.number().int().min(15).max(43_200),
  /** An open link this close to its expiry is shown as expiring. */
  warnMinutes: z.number().int().min(1).max(1_440),
})
  // A default outside its own limits would make every link without an expiry refused.
  .refine((o) => o.minMinutes <= o.defaultMinutes && o.defaultMinutes <= o.maxMinutes, { message: LINK_EXPIRY_ORDER, path: ['defaultMinutes'] });
export type LinkExpirySettingsShape = z.infer<typeof LinkExpirySettings>;
export const DEFAULT_LINK_EXPIRY: LinkExpirySettingsShape = { defaultMinutes: 1_440, minMinutes: 15, maxMinutes: 10_080, warnMinutes: 60 };

const Phone = z.string().trim().regex(/^\+?[0-9]{6,19}$/, 'Digits, with an optional leading +');

export const LinkSendInput = z
  .object({
    orderId: Id,
    email: z.string().trim().max(254).email(),
    phone: Phone.optional(),
    notify: LinkNotify,
    expiresInMinutes: z.number().int().positive().optional(),
  })
  .strict();

export const LinkView = z.object({
  id: Id,
  orderId: Id,
  orderReference: z.string(),
  reference: z.string(),
  state: z.enum(LINK_STATES),
  amount: PositiveMinorUnits,
  currency: Currency,
  email: z.string(),
  phone: z.string().nullable(),
  notify: LinkNotify,
  url: z.string().nullable(),
  expiresAt: IsoTime,
  openedCount: z.number().int().min(0),
  paymentId: Id.nullable(),
  gatewayAccount: z.string(),
  message: z.string(),
  /** `message` as a key for the screen's language (linkText); null for a technical detail. */
  text: CoreTextSchema.nullable(),
  createdAt: IsoTime,
  createdByName: z.string(),
  expiry: LinkExpirySettings,
});
export type LinkViewShape = z.infer<typeof LinkView>;
