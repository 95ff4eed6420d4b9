import { CHANNEL_NAMES } from '../../shared/contract';
import type { Gateway } from '../gateway/types';
import { systemClock, type Clock } from './clock';
import type { Handlers, PartialHandlers } from './context';
import { openInfo, openLedger, type Db } from './db/database';
import type { KeyProtector } from './db/key-protector';
import { silentLogger, type CoreDeps, type Logger } from './deps';
import { createDispatcher, type Dispatch } from './dispatch';
import { CoreEvents } from './events';
import { createConfirmationsFeature } from './confirmations';
import { createBulkFeature } from './bulk';
import { createCatalogFeature } from './catalog';
import { createCustomersFeature } from './customers';
import { createLinksFeature, type LinkWatcherOptions } from './links';
import { createPaymentsFeature } from './payments';
import { ConfPrinterConfigStore, createPrintingFeature, type PrinterConfigStore } from './printing';
import type { PrintingOptions } from './printing/service';
import { createPeopleFeature, type SessionManager } from './people';
import { createRecurringFeature } from './recurring';
import { createReportsFeature } from './reports';
import { ConfSettingsStore } from './settings/conf-store';
import type { SettingsStore } from './settings/defaults';
import { createSettingsFeature } from './settings/handlers';
import { AccountRouter, GatewayAccounts, gatewayHandlers, type GatewayAccountsOptions } from './gateway-accounts';
import { createShopFeature, guardPaymentActions, type ShopFeatureOptions } from './shop';
import { Connectivity, createSyncFeature, type ConnectivityOptions, type SyncFeatureOptions } from './sync';
import { LedgerIntegrity, type IntegrityOptions } from './ledger-integrity';

/**
 * Assembles the payment core once, the same way for every shell: the ledger, CoreDeps, the
 * features' handlers composed into one complete Handlers map, and the dispatcher in front of it.
 * The shells (electron/main, electron/web) only translate their transport into `dispatch`.
 */

export interface CreateCoreOptions {
  /** Holds ledger.db + key.json (and settings.json unless `settings` is given). */
  dataDir: string;
  protector: KeyProtector;
  gateway: Gateway;
  clock?: Clock;
  /** Defaults to the settings' station name. */
  station?: string;
  /** Defaults to a conf store in dataDir (web mode); Electron passes its electron-store. */
  settings?: SettingsStore;
  log?: Logger;
  /** Where the hosted card page returns the cardholder (web endpoint or Electron's reserved URL). */
  hostedReturnUrl: string;
  /** Check every result against the contract's output schema. Default: on unless NODE_ENV=production. */
  validateOutput?: boolean;
  /** Offline queue tuning (probe backoff, forwarding concurrency); defaults in electron/core/sync. */
  sync?: ConnectivityOptions & SyncFeatureOptions;
  /** Background follow-up of sent payment links (issue #19); defaults in electron/core/links/watcher.ts. */
  linkWatch?: LinkWatcherOptions;
  /** Bulk runs: rows in flight at once (default in electron/core/bulk/service.ts). */
  bulkConcurrency?: number;
  /** Gateway accounts (docs/going-live.md): `gateway` above is the embedded sandbox; APS accounts are stored in the ledger. */
  gatewayAccounts?: Omit<GatewayAccountsOptions, 'embedded'>;
  /** This desk's receipt printer settings: defaults to printer.json in dataDir (both shells). */
  printer?: PrinterConfigStore;
  printing?: PrintingOptions;
  /** Shop server link timing (defaults in electron/core/shop); the soak test shortens them. */
  shop?: ShopFeatureOptions;
  /** When the background integrity check of the ledger runs (electron/core/ledger-integrity.ts). */
  integrity?: IntegrityOptions;
}

export interface HostedReturnResult {
  sessionId: string | null;
  ok: boolean;
  message: string;
}

export interface Core {
  dispatch: Dispatch;
  events: CoreEvents;
  /** The hosted card page's return (signature verified inside). */
  acceptHostedReturn(params: Record<string, string>): Promise<HostedReturnResult>;
  sessions: SessionManager;
  /** The station's gateway accounts: which one new payments go to, the card page's origin (CSP). */
  accounts: GatewayAccounts;
  db: Db;
  deps: CoreDeps;
  /** The ledger's integrity while running: background check, damaged state. */
  integrity: LedgerIntegrity;
  /** Checkpoints the WAL and closes the ledger; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Merges the features' handler maps. Two features claiming one channel, or a channel nobody
 * handles, is a start-up error: better than a screen that fails at the first click.
 */
export function composeHandlers(parts: { name: string; handlers: PartialHandlers }[]): Handlers {
  const merged: Record<string, unknown> = {};
  const owner: Record<string, string> = {};
  const duplicates: string[] = [];
  for (const part of parts) {
    for (const [channel, handler] of Object.entries(part.handlers)) {
      if (typeof handler !== 'function') continue;
      if (!(CHANNEL_NAMES as readonly string[]).includes(channel)) throw new Error(`Feature "${part.name}" handles "${channel}", which is not a contract channel`);
      if (Object.hasOwn(owner, channel)) duplicates.push(`${channel} (${owner[channel]} and ${part.name})`);
      owner[channel] = part.name;
      merged[channel] = handler;
    }
  }
  if (duplicates.length) throw new Error(`Channels handled twice: ${duplicates.join(', ')}`);
  const missing = CHANNEL_NAMES.filter((c) => !Object.hasOwn(merged, c));
  if (missing.length) throw new Error(`Channels without a handler: ${missing.join(', ')}`);
  return merged as Handlers;
}

export async function createCore(opts: CreateCoreOptions): Promise<Core> {
  const log = opts.log ?? silentLogger;
  // The key's derivation (scrypt, on libuv's threads) runs while the settings' validator is compiled.
  const opening = openLedger({ dir: opts.dataDir, protector: opts.protector });
  let settings: SettingsStore;
  try {
    settings = opts.settings ?? new ConfSettingsStore(opts.dataDir);
  } catch (e) {
    opening.then((db) => db.close(), () => undefined);
    throw e;
  }
  const db = await opening;
  try {
    const events = new CoreEvents();
    // Every gateway call of every feature is observed: its answer (or its silence) is connectivity.
    // New payments go to the active account; everything later to the payment's own (AccountRouter).
    const accounts = new GatewayAccounts(db, opts.clock ?? systemClock, { embedded: opts.gateway, ...(opts.log && !opts.gatewayAccounts?.apsLogger ? { apsLogger: log } : {}), ...opts.gatewayAccounts });
    const connectivity = new Connectivity(new AccountRouter(db, accounts), opts.sync);
    const deps: CoreDeps = {
      db,
      gateway: connectivity.gateway,
      clock: opts.clock ?? systemClock,
      // Read when used: a station renamed in Settings (Desk 2 of a shop) names its next orders and audit entries so.
      get station() {
        return opts.station ?? settings.get().stationName;
      },
      settings,
      events,
      log,
      hostedReturnUrl: opts.hostedReturnUrl,
      accounts,
    };

    const shop = createShopFeature(deps, opts.shop);
    const people = createPeopleFeature(deps, { shopAudit: () => shop.auditCheck() });
    const customers = createCustomersFeature(deps);
    const payments = createPaymentsFeature(deps);
    // In a shop the forwarder and the background resolver act on a payment only under its lease.
    payments.service.lease = shop.paymentLease;
    const settingsFeature = createSettingsFeature(deps, { shareWithShop: (after, by) => shop.publishSettings(after, by) });
    const sync = createSyncFeature(deps, payments.service, connectivity, opts.sync);
    const confirmations = createConfirmationsFeature(deps, payments);
    // A recurring charge that fails (or is resolved) changes what the Queue screen lists. In a
    // shop, a schedule is run by its own station only.
    const recurring = createRecurringFeature(deps, payments, { onAttentionChange: () => sync.notify(), runsSchedule: (id) => shop.runsSchedule(id) });
    const printing = createPrintingFeature(deps, opts.printer ?? new ConfPrinterConfigStore(opts.dataDir), opts.printing);
    // In a shop a link is followed (asked about, paid, resent) only by the desk that sent it.
    const links = createLinksFeature(deps, { ensureOnline: () => connectivity.ensureOnline(), isOnline: () => connectivity.isOnline(), followsLink: (id) => shop.followsLink(id), ...(opts.linkWatch ? { watch: opts.linkWatch } : {}) });
    const bulk = createBulkFeature(deps, payments.service, { orders: payments.orders, onAttentionChange: () => sync.notify(), ...(opts.bulkConcurrency ? { concurrency: opts.bulkConcurrency } : {}) });
    const parts = [
      { name: 'people', handlers: people.handlers },
      { name: 'customers', handlers: customers.handlers },
      { name: 'payments', handlers: payments.handlers },
      { name: 'settings', handlers: settingsFeature.handlers },
      { name: 'reports', handlers: createReportsFeature(deps, { shopStations: () => shop.stationsSeen() }).handlers },
      { name: 'confirmations', handlers: confirmations.handlers },
      { name: 'sync', handlers: sync.handlers },
      { name: 'recurring', handlers: recurring.handlers },
      { name: 'gateway', handlers: gatewayHandlers(deps, accounts) },
      { name: 'shop', handlers: shop.handlers },
      { name: 'links', handlers: links.handlers },
      { name: 'bulk', handlers: bulk.handlers },
      { name: 'printing', handlers: printing.handlers },
      { name: 'catalog', handlers: createCatalogFeature(deps).handlers },
    ];
    // What sends operations or changes payments on its own (reads keep working), in this order.
    const stopMoneyWork = async (): Promise<void> => {
      await links.close();
      await bulk.close();
      await recurring.close();
      await confirmations.close();
      await sync.close();
      await payments.close();
    };
    const checkpoints = checkpointWhenIdle(db, log);
    const info = openInfo(db);
    const integrity = new LedgerIntegrity(db, info?.checkInput ?? null, info?.fullCheck != null, {
      log,
      station: () => deps.station,
      now: () => deps.clock.now(),
      holdCheckpoints: (held) => checkpoints.hold(held),
      halt: stopMoneyWork,
    }, opts.integrity);
    // In a shop, capture, void and refund take the payment's lease first (docs/decisions/shop-money-semantics.md).
    // A damaged ledger refuses every change, leases included.
    const handlers = integrity.guard(guardPaymentActions(composeHandlers(parts), shop.guard));

    const dispatch = createDispatcher({
      handlers,
      resolveCaller: (key) => people.sessions.resolveCaller(key),
      onActivity: (key) => people.sessions.touch(key),
      log,
      validateOutput: opts.validateOutput ?? process.env.NODE_ENV !== 'production',
    });

    // The shop server link first, when one is configured (behind the desk, never on a payment's
    // path): the recovery sweep below takes each payment's lease through it.
    shop.start();
    // Operations left PENDING / SENT / UNKNOWN by a crash are resolved before the first call.
    // A gateway that is down is not a start-up failure: what is still unresolved stays queued.
    try {
      await payments.recover();
    } catch (e) {
      log.error({ err: e instanceof Error ? { name: e.name, message: e.message, stack: e.stack } : String(e) }, 'start-up recovery failed');
    }
    // Then the offline queue picks up where it stopped (it lives in the ledger, not in memory).
    sync.start();
    // Confirmations after payments: a confirmed one left uncharged is charged through payments.
    await confirmations.recover().catch((e: unknown) => log.error({ err: e instanceof Error ? e.message : String(e) }, 'confirmation recovery failed'));
    // Recurring after payments: periods left running are finished from the ledger; those that fell due while closed are listed as missed.
    await recurring.start();
    // Links after payments: one left unknown by a crash is settled by the status query, never re-sent blind.
    try {
      bulk.recover();
    } catch (e) {
      log.error({ err: e instanceof Error ? e.message : String(e) }, 'bulk recovery failed');
    }
    await links.recover().catch((e: unknown) => log.error({ err: e instanceof Error ? e.message : String(e) }, 'link recovery failed'));
    // Then sent links are followed while the app runs: one paid with no screen open becomes a payment.
    links.watcher.start();

    integrity.start();
    let closing: Promise<void> | null = null;
    return {
      dispatch,
      events,
      acceptHostedReturn: (params) => payments.acceptHostedReturn(params),
      sessions: people.sessions,
      accounts,
      db,
      deps,
      integrity,
      close() {
        closing ??= (async () => {
          integrity.close();
          checkpoints.stop();
          try {
            await shop.close();
            await stopMoneyWork();
          } finally {
            closeLedger(db, log);
          }
        })();
        return closing;
      },
    };
  } catch (e) {
    db.close();
    throw e;
  }
}

/**
 * WAL pages after which SQLite checkpoints inside the commit that crosses them: a safety valve for
 * when the idle timer cannot run (synchronous work that never yields to the event loop). The
 * core suite's busiest second (about 100 payment rounds a second) writes ~13,400 pages between two
 * timer checkpoints, so live traffic stays below it and never pays for a checkpoint.
 */
export const WAL_VALVE_PAGES = 20_000;

/**
 * SQLite's automatic checkpoint runs inside whichever commit crosses 1,000 WAL pages, adding
 * milliseconds to that payment operation (docs/performance.md, core p99). The core checkpoints
 * from a timer instead, between operations; PASSIVE never waits for readers or writers.
 *
 * The WAL must also stay bounded when the timer is starved: after a complete checkpoint SQLite
 * writes the next commits from the start of the WAL, overwriting it in place, but a commit past
 * the file's end appends, and an fsync that grows the file also commits its new size and blocks
 * to the file system's journal (about half the rate of an in-place write+fsync on this disk,
 * docs/performance.md). Without a bound, a burst that never yields grows the WAL for as long as
 * it lasts and every one of its commits appends. `wal_autocheckpoint` = WAL_VALVE_PAGES caps it;
 * `journal_size_limit` gives back what a one-off larger transaction (a migration) left behind,
 * never less than the working size, so the file keeps a stable size and commits overwrite it.
 */
function checkpointWhenIdle(db: Db, log: Logger, everyMs = 1_000): { stop(): void; hold(held: boolean): void } {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.pragma(`wal_autocheckpoint = ${WAL_VALVE_PAGES}`);
  db.pragma(`journal_size_limit = ${(WAL_VALVE_PAGES + 1_000) * (pageSize + 24)}`);
  let held = false;
  const timer = setInterval(() => {
    try {
      if (db.open && !held) db.pragma('wal_checkpoint(PASSIVE)');
    } catch (e) {
      log.warn({ err: e instanceof Error ? e.message : String(e) }, 'WAL checkpoint failed');
    }
  }, everyMs);
  timer.unref();
  return {
    stop: () => clearInterval(timer),
    // While the background integrity check reads the main file, nothing is written into it: the
    // WAL grows for that time (the valve too is off) and is folded in when the check ends.
    hold(h: boolean) {
      held = h;
      if (db.open) db.pragma(`wal_autocheckpoint = ${h ? 0 : WAL_VALVE_PAGES}`);
    },
  };
}

/** Folds the WAL into the main file so the ledger is one self-contained file at rest. */
function closeLedger(db: Db, log: Logger): void {
  if (!db.open) return;
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (e) {
    log.warn({ err: e instanceof Error ? e.message : String(e) }, 'WAL checkpoint failed');
  }
  db.close();
}
