import type { Db } from './db/database';
import type { Gateway } from '../gateway/types';
import type { Clock } from './clock';
import type { CoreEvents } from './events';
import type { SettingsStore } from './settings/defaults';
import type { GatewayAccounts } from './gateway-accounts/accounts';

/** Minimal structured logger (pino-compatible). Never log card data, PINs or full tokens. */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };

/** What every feature of the core is built from; assembled once in electron/core/app.ts. */
export interface CoreDeps {
  db: Db;
  gateway: Gateway;
  clock: Clock;
  /** This station's name, recorded in the audit log and in references. */
  station: string;
  settings: SettingsStore;
  events: CoreEvents;
  log: Logger;
  /** Where the hosted card page sends the cardholder back (web mode endpoint or Electron's reserved https URL). */
  hostedReturnUrl: string;
  /** The station's gateway accounts (absent in unit harnesses: everything is the embedded sandbox). */
  accounts?: GatewayAccounts;
}
