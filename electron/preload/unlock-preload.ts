/**
 * The unlock window's preload (bundled to dist-electron/unlock-preload.cjs), sandboxed like the
 * main one. It exposes exactly one thing, `window.unlock`, with three functions: the window's
 * state, unlock with a passphrase, and (first run) create with a passphrase and its confirmation;
 * and the station's locale (for the page's language), which main put on this renderer's argv.
 * Not the point-of-sale contract, no generic invoke, no ipcRenderer, no events. Main checks the
 * sender and validates the input (electron/main/unlock.ts); this only shapes the call. Nothing
 * here keeps the passphrase.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { localeFromArgv, UNLOCK_CHANNELS } from '../../shared/unlock/api';
import type { UnlockApi, UnlockEnvelope, UnlockStateEnvelope } from '../../shared/unlock/api';

const locale = localeFromArgv(process.argv);

const api: UnlockApi = Object.freeze({
  ...(locale ? { locale } : {}),
  state: () => ipcRenderer.invoke(UNLOCK_CHANNELS.state) as Promise<UnlockStateEnvelope>,
  unlock: (passphrase: string) => ipcRenderer.invoke(UNLOCK_CHANNELS.unlock, { passphrase }) as Promise<UnlockEnvelope>,
  create: (passphrase: string, confirm: string) => ipcRenderer.invoke(UNLOCK_CHANNELS.create, { passphrase, confirm }) as Promise<UnlockEnvelope>,
});

contextBridge.exposeInMainWorld('unlock', api);
