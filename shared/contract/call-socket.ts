import { isEnvelope, type Envelope } from './errors';

/**
 * Web mode's call socket, both ends (electron/web/socket.ts, renderer/platform/web-transport.ts).
 * No zod here: the page's first JavaScript stays free of it.
 */
export const CALL_SOCKET_PATH = '/api/socket';
export const CALL_SOCKET_PROTOCOL = 'pos.call.v1';

/** A call: its number on this socket, the channel, the input. */
export interface CallFrame {
  i: number;
  c: string;
  d: unknown;
}

/** The answer to call `i`. */
export interface CallAnswer {
  i: number;
  e: Envelope<unknown>;
}

const CHANNEL = /^[A-Za-z][\w.]{0,99}$/;

function jsonObject(text: string): Record<string, unknown> | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** A call frame, or null when the text is not one (the dispatcher judges the channel and input). */
export function parseCallFrame(text: string): CallFrame | null {
  const v = jsonObject(text);
  if (!v) return null;
  const { i, c, d } = v;
  if (typeof i !== 'number' || !Number.isSafeInteger(i) || i < 1) return null;
  if (typeof c !== 'string' || !CHANNEL.test(c)) return null;
  return { i, c, d: d ?? {} };
}

/** An answer frame, or null when the text is not one. */
export function parseCallAnswer(text: string): CallAnswer | null {
  const v = jsonObject(text);
  if (!v) return null;
  const { i, e } = v;
  if (typeof i !== 'number' || !Number.isSafeInteger(i)) return null;
  return isEnvelope(e) ? { i, e } : null;
}
