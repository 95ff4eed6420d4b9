/**
 * Bad input is a programming or validation error of ours, not a gateway outcome: it is thrown
 * before anything is sent, so the gateway never sees a request we already know to be wrong (and
 * the operation log never records a SENT that could not have succeeded).
 */
import { GatewayInputRefused, type InputRefusedCode } from '../types';

export type ApsValidationCode = InputRefusedCode;

/** The APS adapter's kind of GatewayInputRefused: `field` is the APS parameter or config key. */
export class ApsValidationError extends GatewayInputRefused {
  constructor(code: ApsValidationCode, field: string, message: string) {
    super(code, field, message);
    this.name = 'ApsValidationError';
  }
}
