import type { OutputOf, ParsedInputOf } from '../../../shared/contract';
import { ContractError, coreText } from '../../../shared/contract';
import type { CallContext, PartialHandlers } from '../context';
import type { CoreDeps } from '../deps';
import { appendAudit } from '../ledger/audit-log';
import { checkAuditAnchor, checkServerChains, type ShopAuditResult } from './audit-anchor';
import { ownRecord, shopState } from './outbox';
import { backgroundLease, isUnreachable, PaymentGuard } from './payment-guard';
import { ShopServer, type ShopServerOptions } from './server-client';
import { DuplicatePeopleError, refuseSamePeople } from './same-people';
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

/** TLS modes as the driver takes them. verify-full checks the certificate and the host name against the system's CAs. */
function sslFor(tls: Tls): ShopServerOptions['ssl'] {
  if (tls === 'disable') return false;
  if (tls === 'require') return { rejectUnauthorized: false };
  return { rejectUnauthorized: true };
}

function serverFor(c: ConnectionRow, connectTimeoutMs: number): ShopServer {
  return new ShopServer({ host: c.host, port: c.port, database: c.database, user: c.username, password: c.password, ssl: sslFor(c.tls), connectTimeoutMs });
}

export function createShopFeature(deps: CoreDeps, opts: ShopFeatureOptions = {}): ShopFeature {
  const { db } = deps;
  const timeout = opts.connectTimeoutMs ?? 5_000;
  let server: ShopServer | null = null;
  let sync: StationSync | null = null;
  let guard: PaymentGuard | null = null;

  // The name as the settings hold it now (an admin may have renamed the station since start-up).
  const stationName = () => deps.settings.get().stationName || deps.station;
  const readConnection = () => db.prepare('SELECT host, port, database, username, password, tls FROM shop_connection WHERE id = 1').get() as ConnectionRow | undefined;

  function run(s: ShopServer): void {
    server = s;
    const loop = new StationSync(db, s, {
      clock: deps.clock,
      stationName: stationName(),
      pollMs: opts.pollMs,
      heartbeatMs: opts.heartbeatMs,
      retryMs: opts.retryMs,
      onStatus: (st) => deps.log.info({ state: st.state, behind: st.behind, waiting: st.waiting }, 'shop server link'),
      // Open screens (a transaction, a customer) reload when another desk's change lands here.
      onApplied: (tables) => deps.events.emit('shop.changed', { tables }),
    });
    sync = loop;
    guard = new PaymentGuard(db, s, { leaseMs: opts.leaseMs, presentMs: opts.presentMs, catchUp: () => loop.syncOnce().then(() => undefined), lastContactAt: () => loop.lastContactAt(), knownUnreachable: () => loop.isUnreachable() });
    loop.start();
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
    if (!shopState(db)) return null;
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
      return { state: 'not_configured', stationId: st?.stationId ?? null, server: null, behind: 0, fetched: 0, waiting: 0, conflicts, unreachableSince: null, lastError: null, stations: [] };
    }
    const s = sync.status();
    let stations: ShopStatus['stations'] = [];
    if (s.state === 'connected' || s.state === 'catching_up') {
      try {
        stations = (await server.stations()).map((x) => ({ id: x.id, name: x.name, lastSeenAt: x.lastSeenAt.toISOString(), thisStation: x.id === st?.stationId }));
      } catch {
        /* the loop notices and says unreachable */
      }
    }
    return {
      state: s.state,
      stationId: s.stationId,
      server: { host: c.host, port: c.port, database: c.database, username: c.username, tls: c.tls, passwordSet: c.password !== '' },
      behind: s.behind,
      fetched: s.fetched,
      waiting: s.waiting,
      conflicts,
      unreachableSince: s.unreachableSince,
      lastError: s.lastError ? s.lastError.slice(0, 500) : null,
      stations,
    };
  }

  function record(ctx: CallContext, outcome: 'success' | 'failure', target: string, detail: string): void {
    appendAudit(db, { at: deps.clock.now().toISOString(), userId: ctx.user?.id ?? null, userName: ctx.user?.name ?? null, action: 'shop.connect', target, outcome, station: deps.station, detail });
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
    'shop.connect': async (input, ctx) => {
      const c: ConnectionRow = { host: input.host, port: input.port, database: input.database, username: input.username, password: input.password ?? readConnection()?.password ?? '', tls: input.tls };
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
        if (isUnreachable(e)) throw new ContractError('SHOP_SERVER_UNREACHABLE', coreText('refuse.shopUnreachable', params));
        throw new ContractError('NOT_ALLOWED', coreText('refuse.shopRefused', params));
      }
      db.prepare(`INSERT INTO shop_connection (id, host, port, database, username, password, tls, updated_at, updated_by) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET host = excluded.host, port = excluded.port, database = excluded.database, username = excluded.username,
          password = excluded.password, tls = excluded.tls, updated_at = excluded.updated_at, updated_by = excluded.updated_by`)
        .run(c.host, c.port, c.database, c.username, c.password, c.tls, deps.clock.now().toISOString(), ctx.user?.id ?? 'system');
      record(ctx, 'success', target, `joined as ${shopState(db)?.stationId ?? '?'}, tls ${c.tls}`);
      await stopRunning();
      run(candidate);
      return status();
    },
  };

  return {
    handlers,
    guard: () => guard,
    runsSchedule: (id) => ownRecord(db, 'recurring_schedules', id),
    followsLink: (id) => ownRecord(db, 'payment_links', id),
    auditCheck,
    stationsSeen,
    paymentLease: backgroundLease(() => guard, deps.log),
    start() {
      const c = readConnection();
      if (c && shopState(db)?.enabled) run(serverFor(c, timeout));
    },
    close: stopRunning,
  };
}
