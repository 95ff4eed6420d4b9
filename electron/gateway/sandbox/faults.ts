import { z } from 'zod';
import type { FaultKind, FaultSpec } from './types';

/**
 * Fault injection for the paymentApi. A fault matches a request by command / merchant_reference /
 * merchant_identifier (absent criteria match everything), fires with its probability and is used
 * up after `times` hits (-1 or Infinity: never used up). The first matching fault that fires wins.
 */

export const FAULT_KINDS: readonly FaultKind[] = [
  'latency',
  'timeout_before_commit',
  'timeout_after_commit',
  'http_500',
  'http_503',
  'reset_before_commit',
  'reset_after_commit',
  'truncated',
  'bad_signature',
];

/** Default hold of the timeout faults: longer than any client waits; cut short when the server closes. */
export const DEFAULT_TIMEOUT_HOLD_MS = 30_000;
/** Default extra delay of the latency fault. */
export const DEFAULT_LATENCY_MS = 1_000;

export const faultSpecSchema = z
  .object({
    kind: z.enum(FAULT_KINDS as [FaultKind, ...FaultKind[]]),
    match: z
      .object({
        command: z.string().optional(),
        merchantReference: z.string().optional(),
        merchantIdentifier: z.string().optional(),
      })
      .strict()
      .optional(),
    delayMs: z.number().int().min(0).max(600_000).optional(),
    times: z.number().int().min(-1).optional().or(z.literal(Infinity)),
    probability: z.number().min(0).max(1).optional(),
  })
  .strict();

export interface RequestKey {
  command?: string;
  merchantReference?: string;
  merchantIdentifier?: string;
}

interface ActiveFault {
  spec: FaultSpec;
  remaining: number;
}

export class FaultRegistry {
  private faults: ActiveFault[] = [];

  constructor(private readonly random: () => number = Math.random) {}

  inject(spec: FaultSpec): void {
    const parsed = faultSpecSchema.parse(spec);
    const times = parsed.times ?? 1;
    this.faults.push({ spec: parsed, remaining: times < 0 || times === Infinity ? Infinity : times });
  }

  clear(): void {
    this.faults = [];
  }

  list(): FaultSpec[] {
    return this.faults.map((f) => ({ ...f.spec, times: f.remaining === Infinity ? -1 : f.remaining }));
  }

  /** The fault that hits this request, if any; it is used up by one. */
  take(key: RequestKey): FaultSpec | undefined {
    for (const f of this.faults) {
      if (f.remaining <= 0 || !matches(f.spec, key)) continue;
      if (this.random() >= (f.spec.probability ?? 1)) continue;
      f.remaining -= 1;
      this.faults = this.faults.filter((x) => x.remaining > 0);
      return f.spec;
    }
    return undefined;
  }
}

function matches(spec: FaultSpec, key: RequestKey): boolean {
  const m = spec.match;
  if (!m) return true;
  if (m.command !== undefined && m.command !== key.command) return false;
  if (m.merchantReference !== undefined && m.merchantReference !== key.merchantReference) return false;
  if (m.merchantIdentifier !== undefined && m.merchantIdentifier !== key.merchantIdentifier) return false;
  return true;
}
