/**
 * `npm run web -- [options]`: the app without the Electron binary. Builds the renderer, starts the
 * embedded sandbox gateway and the core in this process, and serves the screen on 127.0.0.1.
 *
 * Machine-readable lines on stdout (the e2e harness parses them; logs go to stderr):
 *   POS_WEB_URL=http://127.0.0.1:<port>/#k=<secret>
 *   POS_SANDBOX_URL=<sandbox url>
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { LOG_REDACTION } from '../gateway/log-redaction';
import { embeddedSandboxGateway } from '../gateway/embedded';
import { DEFAULT_MERCHANT, startSandbox } from '../gateway/sandbox';
import { createCore, type Core } from '../core/app';
import { provisionGateway } from '../core/gateway-accounts';
import { PassphraseKeyProtector } from '../core/db/key-protector';
import { startWebServer } from './server';

/** Documented in electron/web/README.md. Anyone can read it: use --passphrase for data you care about. */
export const DEVELOPMENT_PASSPHRASE = 'moto-pos-web-development';

/** The embedded sandbox accepts any UUID as the email confirmation template (seed 003); this is ours. */
export { SANDBOX_CONFIRMATION_TEMPLATE_ID } from '../gateway/embedded';

/** The checkout: the nearest folder with a package.json (this file runs from electron/web/ under tsx, or bundled from dist-web/). */
function checkoutRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('web mode: no package.json above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

const ROOT = checkoutRoot();

const USAGE = `Usage: npm run web -- [options]
  --port N            web port (default 5180; 0 = any free port)
  --data DIR          data directory: ledger, settings, sandbox/ (default .data/web)
  --sandbox-port N    embedded sandbox gateway port (default 0 = any free port)
  --shared-sandbox URL  use another station's embedded sandbox (its POS_SANDBOX_URL) instead of
                      starting one: stations of one shop on one gateway (development and tests)
  --no-build          serve dist/renderer as it is (skip vite build)
  --passphrase P      protects the ledger key (or env POS_PASSPHRASE; default: a development passphrase)
  --station NAME      station name for the audit log (default: from settings)
  --gateway-config F  provision the gateway account from a 0600 JSON file (docs/going-live.md)
  --dev-gateway-urls  development/tests: APS test accounts may point at other URLs (or env POS_DEV_GATEWAY_URLS=1)
  --quiet             warnings and errors only
  --help`;

/** A mistake in the command line: the only kind of error that is answered with the usage text. */
class UsageError extends Error {}

function portArg(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`${flag} must be 0-65535, got ${value}`);
  return n;
}

async function buildRenderer(): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: resolve(ROOT, 'vite.config.ts'), root: resolve(ROOT, 'renderer'), logLevel: 'warn', mode: 'production' });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '5180' },
      data: { type: 'string', default: '.data/web' },
      'sandbox-port': { type: 'string', default: '0' },
      'shared-sandbox': { type: 'string' },
      build: { type: 'boolean', default: true },
      'no-build': { type: 'boolean', default: false },
      passphrase: { type: 'string' },
      station: { type: 'string' },
      'gateway-config': { type: 'string' },
      'dev-gateway-urls': { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowNegative: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = portArg(values.port, '--port');
  const sandboxPort = portArg(values['sandbox-port'], '--sandbox-port');
  const dataDir = resolve(values.data);
  // Logs on stderr keep stdout for the lines the harness parses.
  const log = pino({ level: values.quiet ? 'warn' : 'info', base: undefined, redact: LOG_REDACTION }, pino.destination(2));

  let passphrase = values.passphrase ?? process.env.POS_PASSPHRASE;
  if (!passphrase) {
    passphrase = DEVELOPMENT_PASSPHRASE;
    console.warn('WARNING: the ledger key is protected by the public development passphrase. Use --passphrase or POS_PASSPHRASE for real data.');
  }

  if (values.build && !values['no-build']) {
    console.error('Building the screen (vite build)…');
    await buildRenderer();
  }

  const sandbox = values['shared-sandbox'] ? sharedSandbox(values['shared-sandbox']) : await startSandbox({ port: sandboxPort, dataDir: resolve(dataDir, 'sandbox'), merchants: [DEFAULT_MERCHANT], logger: log.child({ svc: 'sandbox' }) });
  // Tests of the offline queue: start with the embedded gateway down (POST /__sandbox/reachable brings it back).
  if (process.env.POS_SANDBOX_UNREACHABLE === '1') sandbox.control?.setReachable(false);
  const closers: (() => Promise<void>)[] = [() => sandbox.close()];
  try {
    const gateway = embeddedSandboxGateway(sandbox, { logger: log.child({ svc: 'aps' }) });
    const sandboxOrigin = new URL(sandbox.paymentPageUrl).origin;
    let coreRef: Core | null = null;

    // The core's hosted return URL needs the server's port (unknown with --port 0), so the
    // server listens first and answers 503 until the core is ready.
    let coreReady!: (core: Core) => void;
    let coreFailed!: (e: unknown) => void;
    const corePromise = new Promise<Core>((res, rej) => {
      coreReady = res;
      coreFailed = rej;
    });
    const server = await startWebServer({
      core: corePromise,
      staticDir: resolve(ROOT, 'dist/renderer'),
      port,
      // Follows the station's gateway account (Settings → Gateway); the sandbox until the core is up.
      gatewayOrigin: () => coreRef?.accounts.hostedPageOrigin() ?? sandboxOrigin,
      log,
    });
    closers.unshift(() => server.close());

    let core: Core;
    try {
      core = await createCore({
        dataDir,
        protector: new PassphraseKeyProtector(passphrase),
        gateway,
        // The embedded sandbox plays the bank: the station's time follows the sandbox clock, so
        // moving it (POST /__sandbox/clock) ages authorizations on both sides alike (README).
        // Another station's sandbox is in another process: the system clock here (README).
        ...(sandbox.control ? { clock: sandbox.control.clock } : {}),
        ...(values.station ? { station: values.station } : {}),
        log,
        hostedReturnUrl: `${server.url}/hosted/return`,
        gatewayAccounts: {
          embeddedPageOrigin: sandboxOrigin,
          allowUrlOverride: values['dev-gateway-urls'] || process.env.POS_DEV_GATEWAY_URLS === '1',
          apsLogger: log.child({ svc: 'aps' }),
        },
      });
    } catch (e) {
      coreFailed(e);
      throw e;
    }
    closers.splice(1, 0, () => core.close());
    // Read once, before the first screen: a bad file stops the start with one line per field.
    if (values['gateway-config']) {
      const r = await provisionGateway(core.deps, core.accounts, resolve(values['gateway-config']));
      console.error(`Gateway account ${r.account} stored (connection test: ${r.test})${r.active ? ', new payments go to it' : ''}. Delete or lock away the file: it holds secrets.`);
    }
    coreRef = core;
    coreReady(core);

    const appUrl = `${server.url}/#k=${server.secret}`;
    console.log(`POS_WEB_URL=${appUrl}`);
    console.log(`POS_SANDBOX_URL=${sandbox.url}`);
    console.log(`Open this in a browser: ${appUrl}`);
    console.log(`(SANDBOX gateway, test cards only: ${sandbox.url} · data in ${dataDir} · Ctrl+C to stop)`);
  } catch (e) {
    await closeAll(closers);
    throw e;
  }

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.error(`${signal}: closing the ledger and stopping…`);
    closeAll(closers).then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/**
 * Another station's embedded sandbox, reached over HTTP like any gateway: a shop's stations on
 * one gateway, so a card saved at one desk is chargeable at another. Nothing to close; no
 * in-process controls (its clock and faults belong to the station that started it).
 */
function sharedSandbox(value: string): { url: string; paymentApiUrl: string; paymentPageUrl: string; confirmationApiUrl: string; control: null; close: () => Promise<void> } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--shared-sandbox must be a URL, got ${value}`);
  }
  if (url.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) throw new UsageError('--shared-sandbox must be an http:// URL on this machine (a development sandbox)');
  const base = url.origin;
  return { url: base, paymentApiUrl: `${base}/FortAPI/paymentApi`, paymentPageUrl: `${base}/FortAPI/paymentPage`, confirmationApiUrl: `${base}/confirmations`, control: null, close: () => Promise.resolve() };
}

/** Web server first (no new calls), then the core (ledger checkpoint + close), then the sandbox. */
async function closeAll(closers: (() => Promise<void>)[]): Promise<void> {
  for (const close of closers) {
    try {
      await close();
    } catch (e) {
      console.error(e instanceof Error ? e.message : e);
    }
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  const usage = e instanceof UsageError || String((e as { code?: unknown } | null)?.code ?? '').startsWith('ERR_PARSE_ARGS');
  if (usage) console.error(USAGE);
  process.exit(1);
});
