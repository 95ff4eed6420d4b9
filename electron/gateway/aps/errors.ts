/**
 * Bad input is a programming or validation error of ours, not a gateway outcome: it is thrown
 * before anything is sent, so the gateway never sees a request we already know to be wrong (and
 * the operation log never records a SENT that could not have succeeded).
 */
export type ApsValidationCode =
  | 'REQUIRED'
  | 'TOO_LONG'
  | 'BAD_CHARSET'
  | 'BAD_FORMAT'
  | 'BAD_AMOUNT'
  | 'BAD_CURRENCY'
  | 'NOT_ALLOWED'
  | 'NOT_CONFIGURED';

export class ApsValidationError extends Error {
  constructor(
    readonly code: ApsValidationCode,
    /** The APS parameter name (e.g. merchant_reference) or config key at fault. */
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'ApsValidationError';
  }
}
