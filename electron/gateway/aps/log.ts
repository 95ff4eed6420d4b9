/**
 * The logger seam: anything pino-like (pino's Logger fits). Entries carry command, our reference,
 * outcome kind, response code and duration; never card data and never a full token name, because
 * a token is a reusable charge credential for this merchant.
 */
export interface ApsLogger {
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
}

export const noopLogger: ApsLogger = { info() {}, warn() {} };

/** "…a42f": enough to tell tokens apart in a log, not enough to charge one. */
export function maskToken(tokenName: string | undefined): string | undefined {
  if (!tokenName) return undefined;
  return tokenName.length <= 8 ? '****' : `****${tokenName.slice(-4)}`;
}
