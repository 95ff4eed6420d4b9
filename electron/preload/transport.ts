import type { IpcRenderer, IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, EVENT_NAMES } from '../../shared/contract/channels';
import type { ChannelName, EventName } from '../../shared/contract/channels';
import type { Transport } from '../../shared/contract/client';
import type { Envelope } from '../../shared/contract/errors';


/**
 * The Electron transport behind `window.pos`. It holds ipcRenderer in the isolated world and
 * hands the page only plain data: the envelope of a call, or an event's payload, never the
 * IpcRendererEvent (whose `sender` is ipcRenderer itself).
 */
export function createIpcTransport(ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>): Transport {
  return {
    call(channel: ChannelName, input: unknown): Promise<Envelope<unknown>> {
      return ipc.invoke(channel, input) as Promise<Envelope<unknown>>;
    },
    on(event: EventName, listener: (payload: unknown) => void): () => void {
      if (!EVENT_NAMES.includes(event)) throw new TypeError(`Unknown event: ${String(event)}`);
      if (typeof listener !== 'function') throw new TypeError('The listener must be a function');
      const relay = (_e: IpcRendererEvent, name: unknown, payload: unknown) => {
        if (name === event) listener(payload);
      };
      ipc.on(EVENT_CHANNEL, relay);
      return () => {
        ipc.removeListener(EVENT_CHANNEL, relay);
      };
    },
  };
}
