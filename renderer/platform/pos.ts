// Types only: the channel list lives beside the contract's schemas (zod), which the screen does
// not need at run time (docs/performance.md, initial JavaScript); the core checks every name.
import type { ChannelName, PosApi, Transport } from '../../shared/contract';
import { createWebTransport } from './web-transport';

declare global {
  interface Window {
    /** Provided by the Electron preload (contextBridge); absent in web mode. */
    pos?: PosApi;
  }
}

let api: PosApi | null = null;

/**
 * Web mode's `window.pos`: `pos.<area>.<action>(input)` sends channel "<area>.<action>" over the
 * transport, as the preload's (buildPosApi) does, without the list of names: TypeScript allows
 * only contract channels, and the core's dispatcher refuses any other name.
 */
export function webPosApi(transport: Transport): PosApi {
  const areas = new Map<string, object>();
  const area = (name: string) =>
    new Proxy(
      {},
      {
        get: (_, action) =>
          typeof action === 'string' && action !== 'then'
            ? (input: unknown) => transport.call(`${name}.${action}` as ChannelName, input ?? {})
            : undefined,
      },
    );
  return new Proxy({} as PosApi, {
    get: (_, name) => {
      if (name === 'on') return transport.on;
      if (typeof name !== 'string' || name === 'then') return undefined;
      let a = areas.get(name);
      if (!a) areas.set(name, (a = area(name)));
      return a;
    },
  });
}

/**
 * The one way the screen reaches the core: Electron's preload API when present, otherwise the
 * same contract over web mode's local server.
 */
export function getPos(): PosApi {
  api ??= window.pos ?? webPosApi(createWebTransport());
  return api;
}

/** True when running in a browser against `npm run web` rather than inside Electron. */
export function isWebMode(): boolean {
  return !window.pos;
}
