import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { SafeStorage } from 'electron';
import { createCore } from '../core/app';
import { PassphraseKeyProtector } from '../core/db/key-protector';
import type { KeyProtector } from '../core/db/key-protector';
import type { Logger } from '../core/deps';
import type { SettingsStore } from '../core/settings/defaults';
import { embeddedSandboxGateway } from '../gateway/embedded';
import { DEFAULT_MERCHANT, startSandbox } from '../gateway/sandbox';
import type { OpenedCore } from './lifecycle';
import { APP_ORIGIN } from './origins';
import { chooseKeyProtector, SafeStorageKeyProtector } from './safe-storage-protector';

/**
 * The desktop composition of the core: ledger in userData/ledger (key wrapped by safeStorage, or
 * by a passphrase where there is no real keyring), electron-store settings, and the embedded
 * sandbox gateway (state in userData/sandbox) behind the real APS adapter, exactly as web mode
 * does. Only this file knows which gateway a fresh install uses.
 */

export interface OpenCoreOptions {
  userData: string;
  hostedReturnUrl: string;
  safeStorage: SafeStorage;
  settings: SettingsStore;
  log: Logger;
  /** Asked only when safeStorage cannot protect the key (Linux without a keyring). */
  askPassphrase: (reason: string) => Promise<string>;
}

/** The backend recorded in key.json, or null on the first run. */
export function storedKeyBackend(ledgerDir: string): string | null {
  const file = path.join(ledgerDir, 'key.json');
  if (!existsSync(file)) return null;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { backend?: unknown };
  return typeof parsed.backend === 'string' ? parsed.backend : null;
}

export async function selectKeyProtector(ledgerDir: string, safeStorage: SafeStorage, askPassphrase: OpenCoreOptions['askPassphrase'], log: Logger): Promise<KeyProtector> {
  const platform = process.platform;
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
      return new PassphraseKeyProtector(await askPassphrase(choice.reason));
    case 'locked-out':
      throw new Error(`${choice.reason}. Sign in to the desktop session that holds the keyring and start the app again.`);
  }
}

export async function openDesktopCore(opts: OpenCoreOptions): Promise<OpenedCore> {
  const ledgerDir = path.join(opts.userData, 'ledger');
  const protector = await selectKeyProtector(ledgerDir, opts.safeStorage, opts.askPassphrase, opts.log);
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
    const core = await createCore({ dataDir: ledgerDir, protector, gateway, settings: opts.settings, log: opts.log, hostedReturnUrl: opts.hostedReturnUrl });
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
      gatewayOrigin: new URL(sandbox.paymentPageUrl).origin,
    };
  } catch (e) {
    await sandbox.close();
    throw e;
  }
}
