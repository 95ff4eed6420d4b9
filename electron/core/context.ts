import type { ChannelName, OutputOf, ParsedInputOf } from '../../shared/contract';
import type { Role } from '../../shared/domain/roles';

/** Who is calling: resolved by the dispatcher from the shell's session key before a handler runs. */
export interface CallContext {
  /** One per window (Electron) or per browser session (web mode). */
  sessionKey: string;
  /** The signed-in, unlocked user, or null for channels with minRole 'none'. */
  user: { id: string; name: string; role: Role } | null;
  /** Where the call came from, for the audit log (e.g. 'window:1', 'web:127.0.0.1'). */
  origin: string;
}

export type Handler<K extends ChannelName> = (input: ParsedInputOf<K>, ctx: CallContext) => Promise<OutputOf<K>> | OutputOf<K>;
export type Handlers = { [K in ChannelName]: Handler<K> };
export type PartialHandlers = Partial<Handlers>;
