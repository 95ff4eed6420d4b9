import { z } from 'zod';
import { IsoTime, Text } from './schemas';

// The shop server (docs/stations.md): how this station reaches it and how the link is doing.
// The password goes in (shop.connect) and never comes out: the status says only whether one is set.

export const ShopTls = z.enum(['disable', 'require', 'verify-full']);

export const ShopConnectInput = z.object({
  host: z.string().trim().min(1).max(253).regex(/^[A-Za-z0-9.\-:[\]]+$/, 'A host name or IP address'),
  port: z.number().int().min(1).max(65535).default(5432),
  database: z.string().trim().min(1).max(63).regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'Letters, digits and _'),
  username: z.string().trim().min(1).max(63).regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'Letters, digits and _'),
  /** Left out: keep the password already set (none for a new connection). */
  password: z.string().max(200).optional(),
  tls: ShopTls.default('verify-full'),
  /**
   * The shop's own CA (PEM) for verify-full against a server whose certificate it signed. Left
   * out: keep the one set; empty: none (the system's CAs). Checked by the core (a bad one: a
   * field error, nothing changed).
   */
  caCertificate: z.string().max(64_000).optional(),
}).strict();

/** Leaving is asked for explicitly: the screen confirms first (docs/decisions/leaving-a-shop.md). */
export const ShopLeaveInput = z.object({ confirm: z.literal(true) }).strict();

export const ShopStatusSchema = z.object({
  /** not_configured: a single station; the rest is the replication loop's state. */
  state: z.enum(['not_configured', 'connecting', 'connected', 'catching_up', 'unreachable']),
  stationId: z.string().nullable(),
  server: z.object({
    host: z.string(),
    port: z.number().int(),
    database: z.string(),
    username: z.string(),
    tls: ShopTls,
    passwordSet: z.boolean(),
    /** The shop's own CA when one is set: its subject and when it expires. */
    ca: z.object({ subject: z.string(), validTo: IsoTime }).nullable().default(null),
  }).nullable(),
  /** Shop records not yet pulled here. */
  behind: z.number().int(),
  /** Records pulled since this catch-up began (0 when not catching up): with `behind`, the join's progress. */
  fetched: z.number().int().default(0),
  /** This station's changes not yet on the server. */
  waiting: z.number().int(),
  /** Versions the server did not take from this station, kept in its ledger. */
  conflicts: z.number().int(),
  unreachableSince: IsoTime.nullable(),
  lastError: Text(500).nullable(),
  /** When this station left a shop (null: never, or it joined again); its records of other desks stay, read-only. */
  leftAt: IsoTime.nullable().default(null),
  /** Stations seen by the server (empty when it cannot be asked). */
  stations: z.array(z.object({ id: z.string(), name: z.string(), lastSeenAt: IsoTime, thisStation: z.boolean(), leftAt: IsoTime.nullable().default(null) })),
});

/**
 * The settings that are the shop's, not the desk's (docs/decisions/shop-wide-settings.md): in a
 * shop, set at one desk they apply at every desk (the latest by the server's order wins). The
 * rest (station name, locale, scanner, printers) stay this desk's.
 */
export const SHOP_WIDE_SETTINGS = [
  'merchantName',
  'merchantAddress',
  'currency',
  'defaultTaxRateBp',
  'refundApprovalLimit',
  'allowSelfApproval',
  'idleLockMinutes',
  'confirmationTimeoutSeconds',
  'offlineCharges',
  'paymentLinks',
  'timeZone',
] as const;
export type ShopWideSetting = (typeof SHOP_WIDE_SETTINGS)[number];
