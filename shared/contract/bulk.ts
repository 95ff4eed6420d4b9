import { z } from 'zod';
import { Currency, Id, IsoTime } from './schemas';
import { CoreTextSchema } from './core-text-schema';

/** Bulk capture / void / refund, and bill runs on cards on file ('charge') (docs/decisions/bulk-operations.md). */
export const BulkKind = z.enum(['capture', 'void', 'refund', 'charge']);
export const BulkRowState = z.enum(['waiting', 'sending', 'approved', 'declined', 'unknown', 'queued', 'refused', 'cancelled']);

export const BulkPreviewInput = z
  .object({
    kind: BulkKind,
    rows: z
      .array(
        z
          .object({
            /** Payment or order reference; for a bill run, the customer's id or email. */
            reference: z.string().trim().max(254),
            amount: z.string().trim().max(20).optional(),
            /** Bill run only: card id or last 4 digits, currency, description of the charge. */
            card: z.string().trim().max(64).optional(),
            currency: z.string().trim().max(3).optional(),
            description: z.string().trim().max(150).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(20_000),
    reason: z.string().trim().max(200).default(''),
  })
  .strict();

export const BulkRunSchema = z.object({
  id: Id,
  kind: BulkKind,
  state: z.enum(['ready', 'running', 'cancelled', 'done']),
  total: z.number().int().min(0),
  counts: z.record(BulkRowState, z.number().int().min(0)),
  createdAt: IsoTime,
  createdByName: z.string(),
});

export const BulkRowSchema = z.object({
  seq: z.number().int().positive(),
  reference: z.string(),
  paymentId: Id.nullable(),
  amount: z.number().int().nullable(),
  currency: Currency.nullable(),
  verdict: z.enum(['ok', 'refused']),
  state: BulkRowState,
  message: z.string(),
  /** `message` as a key for the screen's language; null for a row checked by the preview or written before keys. */
  text: CoreTextSchema.nullable(),
});
