import type { ChannelName, EventName, EventPayload, InputOf, OutputOf } from './channels';
import type { Envelope } from './errors';

/** Splits 'payments.capture' into the area and the action of `window.pos.payments.capture`. */
type AreaOf<K extends string> = K extends `${infer A}.${string}` ? A : never;
type ActionOf<K extends string, A extends string> = K extends `${A}.${infer B}` ? B : never;

type Call<K extends ChannelName> = (input: InputOf<K>) => Promise<Envelope<OutputOf<K>>>;

export type PosApi = {
  [A in AreaOf<ChannelName>]: {
    [B in ActionOf<ChannelName, A>]: Call<Extract<`${A}.${B}`, ChannelName>>;
  };
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

/** The raw transport each shell provides: Electron's preload or web mode's fetch. */
export interface Transport {
  call(channel: ChannelName, input: unknown): Promise<Envelope<unknown>>;
  on(event: EventName, listener: (payload: unknown) => void): () => void;
}

/** Builds `window.pos` from the channel names: one function per channel, nothing else. */
export function buildPosApi(names: readonly ChannelName[], transport: Transport): PosApi {
  const api: Record<string, Record<string, (input: unknown) => Promise<Envelope<unknown>>>> = {};
  for (const name of names) {
    const [area, action] = name.split('.') as [string, string];
    api[area] ??= {};
    api[area][action] = (input: unknown) => transport.call(name, input ?? {});
  }
  return Object.freeze({ ...api, on: transport.on }) as unknown as PosApi;
}
