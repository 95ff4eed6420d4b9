import type { OutputOf, ParsedInputOf, Settings } from '../../../shared/contract';
import { ContractError, coreText } from '../../../shared/contract';
import type { CallContext, PartialHandlers } from '../context';
import type { CoreDeps } from '../deps';
import { appendAudit } from '../ledger/audit-log';
import { describeSettingChange } from '../settings';
import { describeCa, isCertificateProblem, parseCaPem } from './ca-pem';
import { checkAuditAnchor, checkServerChains, type ShopAuditResult } from './audit-anchor';
import { dropOutboxTriggers, installOutboxTriggers, outboxCount, ownRecord, shopState } from './outbox';
import { backgroundLease, isUnreachable, PaymentGuard } from './payment-guard';
import { ShopServer, type ShopServerOptions } from './server-client';
import { DuplicatePeopleError, refuseSamePeople } from './same-people';
import { adoptShopSettings, publishShopSettings } from './shop-settings';
import { StationSync } from './station-sync';

export { guardPaymentActions } from './guarded-handlers';
export { backgroundLease, PaymentGuard } from './payment-guard';
export { claimRecurringPeriod } from './period-claim';

/**
 * The shop feature (docs/stations.md): when this station has a shop server connection, the
 * replication loop runs beside the payment core and never in its way. Without one (the default)
 * nothing here runs and no trigger exists.
 */

type ShopStatus = OutputOf<'shop.status'>;
type Tls = ParsedInputOf<'shop.connect'>['tls'];

interface ConnectionRow {
  host: string;
  port: number;
  database: string;
  username: string;
  password: string;
  tls: Tls;
  ca_pem: string | null;
}

export interface ShopFeature {
  handlers: PartialHandlers;
  /** Present while a connection is configured: asked before capture, void and refund. */
  guard(): PaymentGuard | null;
  /** The forwarder's and the background resolver's lease on a payment (PaymentService.lease). */
  paymentLease: ReturnType<typeof backgroundLease>;
  /** Whether this station's recurring runner charges a schedule: in a shop, only its own station's. */
  runsSchedule(scheduleId: string): boolean;
  /** Whether this desk follows a payment link: in a shop, only the desk that sent it. */
  followsLink(linkId: string): boolean;
  /** The shop's stations for the whole-shop end of day: from the server, else as last seen; null when not in a shop. */
  stationsSeen(): Promise<{ id: string; name: string; lastSeenAt: string | null }[] | null>;
  /** settings.update's part in a shop: the shop-wide keys saved here go to the other desks; the keys sent. */
  publishSettings(after: Settings, by: string | null): string[];
  /** audit.verify's part in a shop: this chain against its anchor, every chain on the server. */
  auditCheck(): Promise<ShopAuditResult | null>;
  start(): void;
  close(): Promise<void>;
}

export interface ShopFeatureOptions {
  /** Connect timeout for the shop server (default 5 s). */
  connectTimeoutMs?: number;
  pollMs?: number;
  heartbeatMs?: number;
  retryMs?: readonly number[];
  /** The payment lease's length and the presence window (PaymentGuard's defaults: 60 s, 10 s). */
  leaseMs?: number;
  presentMs?: number;
}

/**
 * TLS modes as the driver takes them. verify-full checks the certificate and the host name
 * against the shop's own CA when one is set, else the system's CAs.
 */
function sslFor(tls: Tls, ca: string | null): ShopServerOptions['ssl'] {
  if (tls === 'disable') return false;
  if (tls === 'require') return { rejectUnauthorized: false };
  return ca ? { rejectUnauthorized: true, ca } : { rejectUnauthorized: true };
}

function serverFor(c: ConnectionRow, connectTimeoutMs: number): ShopServer {
  return new ShopServer({ host: c.host, port: c.port, database: c.database, user: c.username, password: c.password, ssl: sslFor(c.tls, c.ca_pem), connectTimeoutMs });
}

export function createShopFeature(deps: CoreDeps, opts: ShopFeatureOptions = {}): ShopFeature {
  const { db } = deps;
  const timeout = opts.connectTimeoutMs ?? 5_000;
  let server: ShopServer | null = null;
  let sync: StationSync | null = null;
  let guard: PaymentGuard | null = null;

  // The name as the settings hold it now (an admin may have renamed the station since start-up).
  const stationName = () => deps.settings.get().stationName || deps.station;
  const readConnection = () => db.prepare('SELECT host, port, database, username, password, tls, ca_pem FROM shop_connection WHERE id = 1').get() as ConnectionRow | undefined;

  function run(s: ShopServer): void {
    server = s;
    const loop = new StationSync(db, s, {
      clock: deps.clock,
      stationName: stationName(),
      pollMs: opts.pollMs,
      heartbeatMs: opts.heartbeatMs,
      retryMs: opts.retryMs,
      onStatus: (st) => deps.log.info({ state: st.state, behind: st.behind, waiting: st.waiting }, 'shop server link'),
      onSchemaProblem: (e) => deps.log.warn({ err: e.message.slice(0, 300) }, 'the shop server schema is older than this station: connect again with the owning role'),
      // Open screens (a transaction, a customer) reload when another desk's change lands here;
      // the shop's settings go into this desk's store first, so a screen reloading reads them.
      onApplied: (tables) => {
        if (tables.includes('shop_settings')) adoptSettings();
        deps.events.emit('shop.changed', { tables });
      },
    });
    sync = loop;
    guard = new PaymentGuard(db, s, { leaseMs: opts.leaseMs, presentMs: opts.presentMs, catchUp: () => loop.syncOnce().then(() => undefined), lastContactAt: () => loop.lastContactAt(), knownUnreachable: () => loop.isUnreachable() });
    loop.start();
  }

  /** The shop's values into this desk's settings store, each change audited here as the shop's. */
  function adoptSettings(): void {
    const { adopted, refused } = adoptShopSettings(db, deps.settings);
    if (adopted.length > 0) {
      const detail = `from the shop: changed ${adopted.map((a) => describeSettingChange(a.key, a.from, a.to)).join(', ')}`;
      appendAudit(db, { at: deps.clock.now().toISOString(), userId: null, userName: null, action: 'settings.update', target: null, outcome: 'success', station: deps.station, detail: detail.slice(0, 1000) });
    }
    for (const r of refused) deps.log.warn({ key: r.key, reason: r.reason.slice(0, 200) }, 'a shop-wide setting could not be taken at this desk');
  }

  async function stopRunning(): Promise<void> {
    const [loop, s] = [sync, server];
    sync = null;
    server = null;
    guard = null;
    await loop?.stop();
    await s?.close();
  }

  // The last list the server gave: names for the whole-shop report while it is unreachable.
  let lastStations: { id: string; name: string; lastSeenAt: string | null }[] = [];
  async function stationsSeen(): Promise<typeof lastStations | null> {
    const s = server;
    if (!shopState(db)?.enabled) return null;
    if (s && sync && !sync.isUnreachable()) {
      try {
        lastStations = (await s.stations()).map((x) => ({ id: x.id, name: x.name, lastSeenAt: x.lastSeenAt.toISOString() }));
      } catch (e) {
        // A report never fails for the names: the last list seen (or the ids) will do.
        deps.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'shop stations not listed for the report');
      }
    }
    return lastStations;
  }

  async function status(): Promise<ShopStatus> {
    const c = readConnection();
    const st = shopState(db);
    const conflicts = (db.prepare('SELECT COUNT(*) AS n FROM shop_conflicts').get() as { n: number }).n;
    if (!c || !sync || !server) {
      return { state: 'not_configured', stationId: st?.stationId ?? null, server: null, behind: 0, fetched: 0, waiting: 0, conflicts, unreachableSince: null, lastError: null, leftAt: st?.leftAt ?? null, stations: [] };
    }
    const s = sync.status();
    let stations: ShopStatus['stations'] = [];
    if (s.state === 'connected' || s.state === 'catching_up') {
      try {
        stations = (await server.stations()).map((x) => ({ id: x.id, name: x.name, lastSeenAt: x.lastSeenAt.toISOString(), thisStation: x.id === st?.stationId, leftAt: x.leftAt?.toISOString() ?? null }));
      } catch {
        /* the loop notices and says unreachable */
      }
    }
    return {
      state: s.state,
      stationId: s.stationId,
      server: { host: c.host, port: c.port, database: c.database, username: c.username, tls: c.tls, passwordSet: c.password !== '', ca: describeCa(c.ca_pem) },
      behind: s.behind,
      fetched: s.fetched,
      waiting: s.waiting,
      conflicts,
      unreachableSince: s.unreachableSince,
      lastError: s.lastError ? s.lastError.slice(0, 500) : null,
      leftAt: null,
      stations,
    };
  }

  function record(ctx: CallContext, outcome: 'success' | 'failure', target: string, detail: string, action: 'shop.connect' | 'shop.leave' = 'shop.connect'): void {
    appendAudit(db, { at: deps.clock.now().toISOString(), userId: ctx.user?.id ?? null, userName: ctx.user?.name ?? null, action, target, outcome, station: deps.station, detail });
  }

  /**
   * Leaving (docs/decisions/leaving-a-shop.md): everything of this station on the server first,
   * then the server marks it gone (no desk leases its payments any more, refused while one holds
   * such a lease), then a last pull, then the link stopped and the connection (with its password)
   * removed. The ledger keeps every record; shop_known keeps whose each is, so from now on this
   * station acts on its own only. Changes made while away stay noted in the outbox: joining
   * again sends them (the shop's copy of its payments is then current before anyone leases one).
   */
  async function leave(ctx: CallContext): Promise<void> {
    const st = shopState(db);
    const c = readConnection();
    const [s, loop] = [server, sync];
    if (!st?.enabled || !c || !s || !loop) throw new ContractError('NOT_ALLOWED', coreText('refuse.shopNotJoined'));
    const target = `${c.host}:${c.port}/${c.database}`;
    const refuse = (key: 'refuse.shopLeaveWaiting' | 'refuse.shopLeaveInFlight' | 'refuse.shopLeaveLeased', count: number): never => {
      record(ctx, 'failure', target, `${key.slice(7)}: ${count}`, 'shop.leave');
      throw new ContractError('NOT_ALLOWED', coreText(key, { count }));
    };
    const unreachable = (e: unknown): never => {
      if (!isUnreachable(e)) throw e;
      record(ctx, 'failure', target, 'server unreachable', 'shop.leave');
      throw new ContractError('SHOP_SERVER_UNREACHABLE', coreText('refuse.shopLeaveUnreachable', { target }));
    };
    await loop.syncOnce().catch(unreachable);
    const waiting = outboxCount(db);
    if (waiting > 0) refuse('refuse.shopLeaveWaiting', waiting);
    // Another desk's work in flight here would be settled by that desk on the server, unseen by this one.
    const inFlight = (db.prepare('SELECT COUNT(*) AS n FROM shop_deferred').get() as { n: number }).n;
    if (inFlight > 0) refuse('refuse.shopLeaveInFlight', inFlight);
    const gone = await s.leave(st.stationId).catch(unreachable);
    if (!gone.left) refuse('refuse.shopLeaveLeased', gone.leasedElsewhere);
    // What other desks committed up to now (no desk can act on this station's payments any more).
    await loop.syncOnce().catch((e: unknown) => deps.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'last pull before leaving the shop failed'));
    await stopRunning();
    const at = deps.clock.now().toISOString();
    db.transaction(() => {
      // Triggers of this version (they keep noting changes while away), whatever version joined.
      dropOutboxTriggers(db);
      db.prepare('UPDATE shop_state SET enabled = 0, left_at = ? WHERE id = 1').run(at);
      installOutboxTriggers(db);
      db.prepare('DELETE FROM shop_connection WHERE id = 1').run();
    })();
    const others = (db.prepare('SELECT COUNT(*) AS n FROM shop_known WHERE origin IS NOT NULL AND origin <> ?').get(st.stationId) as { n: number }).n;
    record(ctx, 'success', target, `left the shop as ${st.stationId}; ${others} records of other desks kept, read-only`, 'shop.leave');
  }

  const auditCheck = async (): Promise<ShopAuditResult | null> => {
    const s = server;
    const st = shopState(db);
    if (!s || !st || !readConnection()) return null;
    try {
      const anchor = await checkAuditAnchor(db, s);
      const [chains, seen] = await Promise.all([checkServerChains(s), s.stations()]);
      const names = new Map(seen.map((x) => [x.id, x.name]));
      return {
        reachable: true,
        anchor: anchor.ok ? { ok: true } : anchor,
        stations: chains.map((c) => ({ stationId: c.stationId, name: names.get(c.stationId) ?? c.stationId, thisStation: c.stationId === st.stationId, checked: c.checked, problem: c.problem })),
      };
    } catch (e) {
      if (!isUnreachable(e)) throw e;
      return { reachable: false, anchor: null, stations: [] };
    }
  };

  const handlers: PartialHandlers = {
    'shop.status': () => status(),
    'shop.leave': async (_input, ctx) => {
      await leave(ctx);
      return status();
    },
    'shop.connect': async (input, ctx) => {
      // A bad CA is refused before anything is tried or saved.
      const ca = input.caCertificate === undefined ? (readConnection()?.ca_pem ?? null) : input.caCertificate.trim() === '' ? null : parseCaPem(input.caCertificate, deps.clock.now()).pem;
      const c: ConnectionRow = { host: input.host, port: input.port, database: input.database, username: input.username, password: input.password ?? readConnection()?.password ?? '', tls: input.tls, ca_pem: ca };
      const target = `${c.host}:${c.port}/${c.database}`;
      const candidate = serverFor(c, timeout);
      try {
        // Joining needs the server: the schema, this station's registration and its outbox filled
        // with everything it holds. Pushing it happens in the loop, behind the desk.
        await refuseSamePeople(db, candidate);
        await new StationSync(db, candidate, { clock: deps.clock, stationName: stationName() }).join();
      } catch (e) {
        await candidate.close().catch(() => undefined);
        const msg = (e as Error).message;
        record(ctx, 'failure', target, msg.slice(0, 200));
        // Names only: they are data, the sentence around them is the screen's (errors catalogue).
        if (e instanceof DuplicatePeopleError) throw new ContractError('SHOP_DUPLICATE_PEOPLE', e.people.map((p) => p.name).join(', '));
        const params = { target: target.slice(0, 400), detail: msg.slice(0, 400) };
        if (isCertificateProblem(e)) throw new ContractError('NOT_ALLOWED', coreText(c.ca_pem ? 'refuse.shopCertificate' : 'refuse.shopCertificateNoCa', params));
        if (isUnreachable(e)) throw new ContractError('SHOP_SERVER_UNREACHABLE', coreText('refuse.shopUnreachable', params));
        throw new ContractError('NOT_ALLOWED', coreText('refuse.shopRefused', params));
      }
      db.prepare(`INSERT INTO shop_connection (id, host, port, database, username, password, tls, ca_pem, updated_at, updated_by) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET host = excluded.host, port = excluded.port, database = excluded.database, username = excluded.username,
          password = excluded.password, tls = excluded.tls, ca_pem = excluded.ca_pem, updated_at = excluded.updated_at, updated_by = excluded.updated_by`)
        .run(c.host, c.port, c.database, c.username, c.password, c.tls, c.ca_pem, deps.clock.now().toISOString(), ctx.user?.id ?? 'system');
      record(ctx, 'success', target, `joined as ${shopState(db)?.stationId ?? '?'}, tls ${c.tls}${c.ca_pem ? `, shop CA ${describeCa(c.ca_pem)?.subject ?? '?'}` : ''}`);
      // The first desk's settings seed the shop's; a desk joining later takes the shop's with its first pull.
      try {
        if (!(await candidate.hasShopSettings())) publishShopSettings(db, deps.settings.get(), deps.clock.now().toISOString(), ctx.user?.id ?? null);
      } catch (e) {
        // Joined all the same: the next save of the settings here publishes them.
        deps.log.warn({ err: (e as Error).message.slice(0, 200) }, 'shop-wide settings not seeded on joining');
      }
      await stopRunning();
      run(candidate);
      return status();
    },
  };

  // After leaving: no server, and only this station's own payments are its to act on.
  const leftGuard = new PaymentGuard(db, null, { lastContactAt: () => 0, catchUp: async () => undefined });
  const currentGuard = () => guard ?? (shopState(db)?.leftAt ? leftGuard : null);
  return {
    handlers,
    guard: currentGuard,
    runsSchedule: (id) => ownRecord(db, 'recurring_schedules', id),
    followsLink: (id) => ownRecord(db, 'payment_links', id),
    publishSettings: (after, by) => publishShopSettings(db, after, deps.clock.now().toISOString(), by),
    auditCheck,
    stationsSeen,
    paymentLease: backgroundLease(currentGuard, deps.log),
    start() {
      const c = readConnection();
      if (c && shopState(db)?.enabled) {
        // A table this version replicates that the version which joined did not (shop_settings)
        // gets its outbox triggers now; the rest exist already.
        installOutboxTriggers(db);
        // A pull applied just before the process stopped may not have reached the settings store.
        adoptSettings();
        run(serverFor(c, timeout));
      }
    },
    close: stopRunning,
  };
}
