import { z } from 'zod';
import { isCoreMessageKey, type CoreParam, type CoreText } from './messages';

/** The contract's schema of a core text (messages.ts holds the sentences and the type). */
const FlatParamSchema = z.union([
  z.string().max(400),
  z.number(),
  z.object({ amount: z.number().int(), currency: z.string().max(3) }),
  z.object({ responseCode: z.string().max(10).nullable(), message: z.string().max(400) }),
]);
export const CoreParamSchema: z.ZodType<CoreParam> = z.lazy(() => z.union([FlatParamSchema, z.object({ sentence: z.string().max(80), params: z.record(z.string(), CoreParamSchema).optional() })]));
export const CoreTextSchema = z.object({ key: z.string().max(80), params: z.record(z.string(), CoreParamSchema).optional() });

/** A stored core text read back; null for a row written before it was stored, or a key this build does not know. */
export function readText(json: string | null | undefined): CoreText | null {
  if (!json) return null;
  try {
    const parsed = CoreTextSchema.safeParse(JSON.parse(json));
    return parsed.success && isCoreMessageKey(parsed.data.key) ? (parsed.data as CoreText) : null;
  } catch {
    return null;
  }
}
