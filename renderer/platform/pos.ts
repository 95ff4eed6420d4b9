import { buildPosApi, CHANNEL_NAMES, type PosApi } from '../../shared/contract';
import { createWebTransport } from './web-transport';

declare global {
  interface Window {
    /** Provided by the Electron preload (contextBridge); absent in web mode. */
    pos?: PosApi;
  }
}

let api: PosApi | null = null;

/**
 * The one way the screen reaches the core: Electron's preload API when present, otherwise the
 * same contract over web mode's local server. Both are built from the same channel list.
 */
export function getPos(): PosApi {
  api ??= window.pos ?? buildPosApi(CHANNEL_NAMES, createWebTransport());
  return api;
}

/** True when running in a browser against `npm run web` rather than inside Electron. */
export function isWebMode(): boolean {
  return !window.pos;
}
