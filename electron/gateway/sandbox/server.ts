import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { OffsetClock } from './clock';
import { ConfirmationService, type ConfirmationJson } from './confirmations';
import { createControl, type ControlState } from './control';
import { FaultRegistry } from './faults';
import { handleCardSubmit, handlePaymentPage, type HostedPageDeps } from './hosted-page';
import { esc, page, SANDBOX_BANNER } from './html';
import { sendHtml, sendJson, sendText } from './http';
import { DEFAULT_MERCHANT } from './merchants';
import type { ApiContext } from './payment-api';
import { handleAnswer, handleCreateConfirmation, handleGetConfirmation, handleMailbox, handleOpenLink, type ConfirmationRouteDeps } from './routes/confirmations';
import { handleControl, type ControlRouteDeps } from './routes/control';
import { handlePaymentApi, type PaymentApiDeps } from './routes/payment-api';
import { PaymentLinkService } from './payment-links';
import { handleChallenge, handleLinkMessagesJson, handleLinkOutbox, handleOpenPayerPage, handlePay, type LinkRouteDeps } from './routes/payment-links';
import { STATIC_FILES } from './static';
import { Store } from './store';
import type { MerchantConfig, SandboxHandle, SandboxLogger, SandboxOptions } from './types';

/** Wires the sandbox together and serves it over node:http. */

const CLOCK_OFFSET_KEY = 'clock_offset_ms';

function validateMerchants(merchants: MerchantConfig[]): Map<string, MerchantConfig> {
  const map = new Map<string, MerchantConfig>();
  for (const m of merchants) {
    if (!/^[A-Za-z0-9]{1,20}$/.test(m.merchantIdentifier)) throw new Error(`merchantIdentifier "${m.merchantIdentifier}" must be 1-20 letters or digits`);
    if (!/^[A-Za-z0-9]{1,20}$/.test(m.accessCode)) throw new Error(`accessCode of ${m.merchantIdentifier} must be 1-20 letters or digits`);
    if (!m.requestPhrase || !m.responsePhrase) throw new Error(`${m.merchantIdentifier} needs request and response phrases`);
    if (map.has(m.merchantIdentifier)) throw new Error(`Duplicate merchantIdentifier "${m.merchantIdentifier}"`);
    map.set(m.merchantIdentifier, m);
  }
  return map;
}

/** Posts a finished confirmation to its callback_url, best effort and loopback only (no network). */
function confirmationCallback(shutdown: AbortSignal, logger?: SandboxLogger) {
  return (confirmation: ConfirmationJson, callbackUrl: string): void => {
    let url: URL;
    try {
      url = new URL(callbackUrl);
    } catch {
      return;
    }
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
      logger?.info({ confirmation: confirmation.id }, 'callback skipped: not a loopback URL');
      return;
    }
    fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ confirmation }),
      signal: AbortSignal.any([shutdown, AbortSignal.timeout(5_000)]),
    }).then(
      (r) => r.body?.cancel(),
      (e: unknown) => logger?.warn({ confirmation: confirmation.id, error: String(e) }, 'confirmation callback failed'),
    );
  };
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<SandboxHandle> {
  const merchantList = opts.merchants?.length ? opts.merchants : [DEFAULT_MERCHANT];
  const merchants = validateMerchants(merchantList);
  const logger = opts.logger;
  const store = new Store(opts.dataDir);
  const clock = new OffsetClock(Number(store.getMeta(CLOCK_OFFSET_KEY) ?? '0'), (offset) => store.setMeta(CLOCK_OFFSET_KEY, String(offset)));
  if (opts.startTime) clock.set(opts.startTime);
  store.secret(); // create the PAN-fingerprint key up front

  const shutdown = new AbortController();
  const faults = new FaultRegistry();
  const state: ControlState = { reachable: true };
  const control = createControl(store, clock, faults, state);
  let baseUrl = '';
  const links = new PaymentLinkService(store, clock, () => baseUrl, logger);
  const linkDeps: LinkRouteDeps = { service: links };
  const ctx: ApiContext = { store, clock, merchants, links };
  const confirmations = new ConfirmationService(store, clock, confirmationCallback(shutdown.signal, logger), logger);

  const apiDeps: PaymentApiDeps = { ctx, faults, isReachable: () => state.reachable, shutdown: shutdown.signal, logger };
  const pageDeps: HostedPageDeps = {
    store,
    clock,
    merchants,
    frameAncestors: ["'self'", 'http://127.0.0.1:*', 'http://localhost:*', ...(opts.frameAncestors ?? [])],
    logger,
  };
  const confirmationDeps: ConfirmationRouteDeps = { service: confirmations, merchants: merchantList };
  const controlDeps: ControlRouteDeps = { control, faults, clock, state, confirmations };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path === '/FortAPI/paymentApi') return handlePaymentApi(apiDeps, req, res);
    if (path === '/__sandbox/link-messages' && method === 'GET') return handleLinkMessagesJson(linkDeps, res);
    if (path.startsWith('/__sandbox/')) {
      if (await handleControl(controlDeps, req, res, url)) return;
      return sendJson(res, 404, { error: 'not_found' });
    }
    if (path === '/FortAPI/paymentPage') return handlePaymentPage(pageDeps, req, res, url);
    if (path === '/FortAPI/paymentPage/submit') return handleCardSubmit(pageDeps, req, res);
    const staticMatch = /^\/FortAPI\/static\/([a-z-]+\.js)$/.exec(path);
    if (staticMatch && method === 'GET') {
      const file = STATIC_FILES[staticMatch[1] as string];
      if (file !== undefined) {
        res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' });
        res.end(file);
        return;
      }
    }
    if (path === '/confirmations' && method === 'POST') return handleCreateConfirmation(confirmationDeps, req, res);
    const confirmation = /^\/confirmations\/([0-9a-fA-F-]{36})$/.exec(path);
    if (confirmation && method === 'GET') return handleGetConfirmation(confirmationDeps, req, res, confirmation[1] as string);
    if (path === '/mailbox' && method === 'GET') return handleMailbox(confirmationDeps, res);
    const link = /^\/confirm\/([0-9a-fA-F-]{36})(?:\/(agree|refuse))?$/.exec(path);
    if (link && method === 'GET' && !link[2]) return handleOpenLink(confirmationDeps, res, link[1] as string);
    if (link && method === 'POST' && link[2]) return handleAnswer(confirmationDeps, req, res, link[1] as string, link[2] as 'agree' | 'refuse');
    const payer = /^\/link\/([0-9a-fA-F-]{36})(\/pay)?$/.exec(path);
    if (payer && method === 'GET' && !payer[2]) return handleOpenPayerPage(linkDeps, res, payer[1] as string);
    if (payer && method === 'POST' && payer[2]) return handlePay(linkDeps, req, res, payer[1] as string);
    const challenge = /^\/link\/3ds\/([0-9a-fA-F-]{36})$/.exec(path);
    if (challenge && method === 'POST') return handleChallenge(linkDeps, req, res, challenge[1] as string);
    if (path === '/link-mailbox' && method === 'GET') return handleLinkOutbox(linkDeps, res, 'EMAIL');
    if (path === '/sms-outbox' && method === 'GET') return handleLinkOutbox(linkDeps, res, 'SMS');
    if (path === '/' && method === 'GET') return sendHtml(res, 200, homePage());
    sendText(res, 404, 'Not found');
  }

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      logger?.error({ error: String(error), path: req.url }, 'sandbox request failed');
      if (!res.headersSent && !res.destroyed) sendJson(res, 500, { error: 'internal', message: 'Sandbox internal error' });
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  baseUrl = url;

  function homePage(): string {
    const links = [
      ['Mailbox', '/mailbox'],
      ['Payment link mailbox', '/link-mailbox'],
      ['SMS outbox', '/sms-outbox'],
      ['Health', '/__sandbox/health'],
      ['Orders', '/__sandbox/orders'],
    ]
      .map(([label, href]) => `<li><a href="${esc(href)}">${esc(label)}</a></li>`)
      .join('');
    return page('APS sandbox', `${SANDBOX_BANNER}<div class="panel"><h1>APS-compatible sandbox gateway</h1><p>paymentApi: <code>${esc(url)}/FortAPI/paymentApi</code></p><p>paymentPage: <code>${esc(url)}/FortAPI/paymentPage</code></p><ul>${links}</ul></div>`, { wide: true });
  }

  let closing: Promise<void> | undefined;
  logger?.info({ url, merchants: [...merchants.keys()], dataDir: opts.dataDir ?? ':memory:' }, 'sandbox started');
  return {
    url,
    paymentApiUrl: `${url}/FortAPI/paymentApi`,
    paymentPageUrl: `${url}/FortAPI/paymentPage`,
    confirmationApiUrl: `${url}/confirmations`,
    mailboxUrl: `${url}/mailbox`,
    control,
    close(): Promise<void> {
      closing ??= new Promise<void>((resolve) => {
        // Release held requests first, then cut every connection so nothing hangs.
        shutdown.abort();
        server.close(() => {
          store.close();
          resolve();
        });
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
