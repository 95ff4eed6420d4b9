import { z } from 'zod';
import { Currency, IsoTime, Pin } from './schemas';

/**
 * Settings → Gateway (docs/going-live.md). Secrets go in (access code, both SHA phrases, the
 * confirmation service's API key) and never come out: the screen only ever sees when each was set,
 * by whom, and its last 2 characters.
 */
export const GATEWAY_ENVIRONMENTS = ['sandbox', 'test', 'production'] as const;
export const GatewayEnvironment = z.enum(GATEWAY_ENVIRONMENTS);
export type GatewayEnvironmentName = z.infer<typeof GatewayEnvironment>;
export const ApsEnvironment = z.enum(['test', 'production']);
export const ShaTypeSchema = z.enum(['SHA-256', 'SHA-512', 'HMAC-SHA256', 'HMAC-SHA512']);

export { GO_LIVE_CONFIRMATION } from './constants';

// APS field rules (docs/aps-gateway.md §2.1): merchant_identifier and access_code alphanumeric ≤ 20.
const MerchantIdentifier = z.string().trim().regex(/^[A-Za-z0-9]{1,20}$/, 'Letters and digits only, at most 20 (as in the APS back office)');
const AccessCode = z.string().trim().regex(/^[A-Za-z0-9]{1,20}$/, 'Letters and digits only, at most 20 (as in the APS back office)');
// Phrases are chosen by the merchant in the back office; printable, no surrounding spaces.
const Phrase = z.string().min(1, 'Required').max(100, 'At most 100 characters').regex(/^\S(.*\S)?$/, 'No spaces at the start or end').regex(/^[\x20-\x7e]+$/, 'Printable characters only');
const ApiKey = z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'No spaces');
const HttpUrl = z.string().trim().max(400).pipe(z.url({ protocol: /^https?$/, error: 'Must be an http(s) URL' }));

export const GatewayAccountInput = z
  .object({
    environment: ApsEnvironment,
    merchantIdentifier: MerchantIdentifier,
    /** Omitted = keep the stored one (the screen never has it to send back). */
    accessCode: AccessCode.optional(),
    requestPhrase: Phrase.optional(),
    responsePhrase: Phrase.optional(),
    shaType: ShaTypeSchema,
    currencies: z.array(Currency).min(1, 'At least one currency').max(20),
    /** The email confirmation service (seed 003); null = none (the method is hidden). */
    confirmation: z
      .object({ url: HttpUrl, templateId: z.string().trim().uuid('A template id is a UUID'), apiKey: ApiKey.optional() })
      .strict()
      .nullable()
      .default(null),
    /** Development and tests only: where this "APS" really is. Refused for production and when the station does not allow it. */
    urlOverride: z.object({ paymentApiUrl: HttpUrl, paymentPageUrl: HttpUrl }).strict().nullable().default(null),
  })
  .strict();
export type GatewayAccountInputShape = z.output<typeof GatewayAccountInput>;

export const SecretMetaSchema = z.object({ setAt: IsoTime, setBy: z.string(), last2: z.string().max(2) });

export const GatewayAccountView = z.object({
  environment: ApsEnvironment,
  /** environment:merchant identifier, as payments and cards record it. */
  account: z.string(),
  merchantIdentifier: z.string(),
  shaType: ShaTypeSchema,
  currencies: z.array(z.string()),
  secrets: z.object({ accessCode: SecretMetaSchema, requestPhrase: SecretMetaSchema, responsePhrase: SecretMetaSchema }),
  confirmation: z.object({ url: z.string(), templateId: z.string(), apiKey: SecretMetaSchema.nullable() }).nullable(),
  urlOverride: z.object({ paymentApiUrl: z.string(), paymentPageUrl: z.string() }).nullable(),
  lastTest: z.object({ at: IsoTime, outcome: z.string() }).nullable(),
  updatedAt: IsoTime,
  updatedBy: z.string(),
});

export const GatewayBlocker = z.object({
  paymentReference: z.string(),
  type: z.string(),
  state: z.string(),
  amount: z.number().int().nullable(),
  currency: z.string(),
});

export const GatewayStateSchema = z.object({
  active: GatewayEnvironment,
  /** The account new payments go to (environment:merchant identifier). */
  activeAccount: z.string(),
  accounts: z.array(GatewayAccountView),
  urlOverrideAllowed: z.boolean(),
  /** Operations that make a switch wait (queued, unknown, in flight). */
  blockers: z.array(GatewayBlocker),
});

export const ConnectionTestSchema = z.object({
  outcome: z.enum(['ok', 'unreachable', 'credentials_refused', 'request_phrase', 'response_phrase', 'sha_type', 'refused']),
  message: z.string(),
  responseCode: z.string().optional(),
});

export const GatewaySwitchInput = z
  .object({ environment: GatewayEnvironment, pin: Pin, confirmation: z.string().max(40).optional() })
  .strict();
