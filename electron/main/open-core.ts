import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createCore } from '../core/app';
import { provisionGateway } from '../core/gateway-accounts';
import type { KeyProtector } from '../core/db/key-protector';
import type { Logger } from '../core/deps';
import type { SettingsStore } from '../core/settings/defaults';
import { embeddedSandboxGateway } from '../gateway/embedded';
import { DEFAULT_MERCHANT, startSandbox } from '../gateway/sandbox';
import type { OpenedCore } from './lifecycle';
import { APP_ORIGIN } from './origins';
import { isReleasable, passphraseRequest } from './passphrase';
import type { PassphrasePrompt, PassphraseRequestOptions } from './passphrase';
import { chooseKeyProtector, SafeStorageKeyProtector } from './safe-storage-protector';
import type { SafeStorageLike } from './safe-storage-protector';

/**
 * The desktop composition of the core: ledger in userData/ledger (key wrapped by safeStorage, or
 * by a passphrase where there is no real keyring), electron-store settings, and the embedded
 * sandbox gateway (state in userData/sandbox) behind the real APS adapter, exactly as web mode
 * does. Only this file knows which gateway a fresh install uses.
 */

export interface OpenCoreOptions {
  userData: string;
  hostedReturnUrl: string;
  safeStorage: SafeStorageLike;
  settings: SettingsStore;
  log: Logger;
  /**
   * Asked only when the key needs a passphrase (Linux without a keyring, or a ledger created
   * that way): POS_PASSPHRASE or the unlock window (lifecycle.ts). Resolves once a passphrase
   * unwrapped the key (or, on the first run, was chosen and confirmed).
   */
  askPassphrase: PassphrasePrompt;
  /** Tests: a cheaper scrypt for first-run keys. */
  passphraseOptions?: PassphraseRequestOptions;
  /** Tests: defaults to process.platform. */
  platform?: NodeJS.Platform;
  /** Development only (never packaged): APS test accounts may point at other URLs. */
  allowGatewayUrlOverride?: boolean;
  /** `--gateway-config FILE`: provision the gateway account from a 0600 file at start (docs/going-live.md). */
  gatewayConfigFile?: string;
}

/** The backend recorded in key.json, or null on the first run. */
export function storedKeyBackend(ledgerDir: string): string | null {
  const file = path.join(ledgerDir, 'key.json');
  if (!existsSync(file)) return null;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { backend?: unknown };
  return typeof parsed.backend === 'string' ? parsed.backend : null;
}

export type SelectKeyProtectorOptions = Pick<OpenCoreOptions, 'safeStorage' | 'askPassphrase' | 'log' | 'passphraseOptions' | 'platform'>;

export async function selectKeyProtector(ledgerDir: string, opts: SelectKeyProtectorOptions): Promise<KeyProtector> {
  const { safeStorage, askPassphrase, log, passphraseOptions } = opts;
  const platform = opts.platform ?? process.platform;
  const choice = chooseKeyProtector({
    platform,
    ...(platform === 'linux' ? { linuxBackend: safeStorage.getSelectedStorageBackend() } : {}),
    asyncEncryptionAvailable: await safeStorage.isAsyncEncryptionAvailable(),
    storedBackend: storedKeyBackend(ledgerDir),
  });
  log.info({ choice }, 'key protector chosen');
  switch (choice.kind) {
    case 'safe-storage':
      return new SafeStorageKeyProtector(safeStorage, platform);
    case 'passphrase':
      // The passphrase never reaches this function: the prompt hands back a protector.
      return askPassphrase(passphraseRequest(ledgerDir, choice.reason, passphraseOptions));
    case 'locked-out':
      throw new Error(`${choice.reason}. Sign in to the desktop session that holds the keyring and start the app again.`);
  }
}

export async function openDesktopCore(opts: OpenCoreOptions): Promise<OpenedCore> {
  const ledgerDir = path.join(opts.userData, 'ledger');
  const protector = await selectKeyProtector(ledgerDir, opts);
  try {
    return await openWithProtector(opts, ledgerDir, protector);
  } finally {
    // The ledger is open (or failed to): the unwrapped key / the passphrase protector is not
    // needed any more.
    if (isReleasable(protector)) protector.release();
  }
}

async function openWithProtector(opts: OpenCoreOptions, ledgerDir: string, protector: KeyProtector): Promise<OpenedCore> {
  const sandbox = await startSandbox({
    port: 0,
    dataDir: path.join(opts.userData, 'sandbox'),
    merchants: [DEFAULT_MERCHANT],
    // The card page is framed by our app:// document.
    frameAncestors: [APP_ORIGIN],
    logger: opts.log,
  });
  try {
    const gateway = embeddedSandboxGateway(sandbox, { logger: opts.log });
    const sandboxOrigin = new URL(sandbox.paymentPageUrl).origin;
    const core = await createCore({
      dataDir: ledgerDir, protector, gateway, settings: opts.settings, log: opts.log, hostedReturnUrl: opts.hostedReturnUrl,
      // The URL override of an APS test account is for development only: never in a packaged app.
      gatewayAccounts: { embeddedPageOrigin: sandboxOrigin, allowUrlOverride: opts.allowGatewayUrlOverride === true },
    });
    if (opts.gatewayConfigFile) {
      // Read once, before the window: a bad file stops the start (one line per bad field).
      try {
        await provisionGateway(core.deps, core.accounts, opts.gatewayConfigFile);
      } catch (e) {
        await core.close();
        throw e;
      }
    }
    return {
      core: {
        dispatch: core.dispatch,
        events: core.events,
        acceptHostedReturn: (params) => core.acceptHostedReturn(params),
        close: async () => {
          try {
            await core.close();
          } finally {
            await sandbox.close();
          }
        },
      },
      gatewayOrigin: sandboxOrigin,
      currentGatewayOrigin: () => core.accounts.hostedPageOrigin() ?? sandboxOrigin,
    };
  } catch (e) {
    await sandbox.close();
    throw e;
  }
}
