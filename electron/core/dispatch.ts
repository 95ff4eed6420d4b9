import type { z } from 'zod';
import { channels, ContractError, errorEnvelope, type ChannelDef, type ChannelName, type Envelope } from '../../shared/contract';
import { roleAtLeast, type Role } from '../../shared/domain/roles';
import type { CallContext, Handlers } from './context';
import type { Logger } from './deps';

/**
 * The one wrapper between a shell (Electron IPC, web mode HTTP) and the core's handlers. Every
 * call goes through the same gates in the same order, so a rejected call never reaches a handler
 * and therefore never changes anything:
 *
 *   size -> channel exists -> session / lock / role -> input schema -> handler -> output schema
 *
 * Authorization runs before input parsing on purpose: a caller without a session learns nothing
 * about a channel's schema, and we spend no work parsing payloads of callers we refuse anyway.
 * `dispatch` never throws; every outcome is an Envelope.
 */

export type CallerUser = { id: string; name: string; role: Role };
export type ResolvedCaller = CallerUser | 'locked' | null;

export interface DispatcherOptions {
  handlers: Handlers;
  /** Who is behind this session key: a signed-in user, 'locked' (signed in, screen locked) or null. */
  resolveCaller: (sessionKey: string) => ResolvedCaller;
  /** Called for every authorized call of a signed-in user (feeds the idle lock). */
  onActivity?: (sessionKey: string) => void;
  log: Logger;
  /** Check handlers' results against the output schema (tests and development). */
  validateOutput?: boolean;
  /** Largest accepted input, measured as JSON text. */
  maxInputBytes?: number;
}

export interface CallInfo {
  sessionKey: string;
  /** For the audit log, e.g. 'window:1' or 'web:127.0.0.1'. */
  origin: string;
}

export type Dispatch = (channel: string, rawInput: unknown, call: CallInfo) => Promise<Envelope<unknown>>;

export const MAX_INPUT_BYTES = 256 * 1024;

/** How large a channel's input may be: its own limit (a file of rows), else the default. Unknown channels get the default. */
export function inputLimit(channel: string): number {
  return (Object.hasOwn(channels, channel) ? channels[channel as ChannelName].maxInputBytes : undefined) ?? MAX_INPUT_BYTES;
}

/** The largest input any channel takes: what a transport that carries every channel must let through. */
export function largestInputLimit(): number {
  return Math.max(MAX_INPUT_BYTES, ...Object.keys(channels).map(inputLimit));
}

// Validation messages are bounded: zod may quote keys of the input ("Unrecognized key: ...") and
// we never echo a hostile payload back at its sender.
const MAX_FIELDS = 20;
const MAX_PATH_CHARS = 120;
const MAX_MESSAGE_CHARS = 200;

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** zod issues -> `fields` (path -> message), bounded in count and length. */
export function issuesToFields(issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  const entries: [string, string][] = [];
  for (const issue of issues) {
    if (entries.length >= MAX_FIELDS) break;
    const path = clip(issue.path.map((p) => (typeof p === 'symbol' ? '?' : String(p))).join('.'), MAX_PATH_CHARS);
    const key = path === '' ? '_' : path;
    if (entries.some(([k]) => k === key)) continue;
    entries.push([key, clip(issue.message, MAX_MESSAGE_CHARS)]);
  }
  // fromEntries defines own properties, so a path like "__proto__" cannot reach a prototype.
  return Object.fromEntries(entries);
}

/** JSON size of the input; unserializable input (cycles, BigInt, functions) is refused too. */
function jsonSize(value: unknown): number | null {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? 0 : Buffer.byteLength(text, 'utf8');
  } catch {
    return null;
  }
}

function shortKey(sessionKey: string): string {
  // Enough to correlate log lines, not enough to replay a session.
  return clip(sessionKey, 12);
}

export function createDispatcher(opts: DispatcherOptions): Dispatch {
  const { handlers, resolveCaller, onActivity, log } = opts;

  return async function dispatch(channel, rawInput, call) {
    // Own properties only: "constructor" or "__proto__" are not channels.
    if (typeof channel !== 'string' || !Object.hasOwn(channels, channel)) {
      return errorEnvelope('VALIDATION', 'Unknown channel');
    }
    const name = channel as ChannelName;
    const def: ChannelDef = channels[name];

    const size = jsonSize(rawInput);
    if (size === null) return errorEnvelope('VALIDATION', 'The input is not plain data');
    if (size > (opts.maxInputBytes ?? inputLimit(name))) return errorEnvelope('VALIDATION', 'The input is too large');

    let user: CallerUser | null;
    let caller: ResolvedCaller;
    try {
      caller = resolveCaller(call.sessionKey);
    } catch (e) {
      log.error({ channel: name, err: errInfo(e) }, 'resolveCaller failed');
      return errorEnvelope('INTERNAL', 'Something went wrong. Try again.');
    }
    if (def.minRole === 'none') {
      user = caller && caller !== 'locked' ? caller : null;
    } else {
      if (caller === null) return errorEnvelope('UNAUTHENTICATED', 'Sign in first');
      if (caller === 'locked') return errorEnvelope('SESSION_LOCKED', 'The screen is locked: unlock it first');
      if (!roleAtLeast(caller.role, def.minRole)) return errorEnvelope('FORBIDDEN', 'Your role may not do this');
      user = caller;
      // Only what a person does counts toward the idle lock: changes and the screen's own
      // activity heartbeat. Background reads (the top bar polls sync.status) must not keep a
      // station unlocked forever.
      try {
        if (def.mutates || name === 'session.touch') onActivity?.(call.sessionKey);
      } catch (e) {
        log.warn({ channel: name, err: errInfo(e) }, 'onActivity failed');
      }
    }

    const parsed = def.input.safeParse(rawInput);
    if (!parsed.success) {
      return errorEnvelope('VALIDATION', 'Some fields are not valid', issuesToFields(parsed.error.issues));
    }

    const ctx: CallContext = { sessionKey: call.sessionKey, user, origin: call.origin };
    const handler = handlers[name] as (input: unknown, ctx: CallContext) => unknown;
    let value: unknown;
    try {
      value = await handler(parsed.data, ctx);
    } catch (e) {
      if (e instanceof ContractError) return { ok: false, error: e.toShape() };
      // The stack goes to the log; the input never does (it may hold PINs).
      log.error({ channel: name, session: shortKey(call.sessionKey), err: errInfo(e) }, 'handler failed');
      return errorEnvelope('INTERNAL', 'Something went wrong. Try again.');
    }

    if (opts.validateOutput) {
      const out = def.output.safeParse(value);
      if (!out.success) {
        log.error({ channel: name, fields: issuesToFields(out.error.issues) }, 'handler returned an invalid output');
        return errorEnvelope('INTERNAL', 'The result did not match the contract');
      }
      // The parsed copy drops keys the contract does not declare (nothing extra reaches the screen).
      return { ok: true, value: out.data };
    }
    return { ok: true, value };
  };
}

function errInfo(e: unknown): { name: string; message: string; stack?: string } {
  if (e instanceof Error) return { name: e.name, message: e.message, ...(e.stack ? { stack: e.stack } : {}) };
  return { name: typeof e, message: clip(String(e), 200) };
}
