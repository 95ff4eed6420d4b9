import type { BrowserWindow, IpcMainInvokeEvent, WebContents } from 'electron';
import { CHANNEL_NAMES, EVENT_CHANNEL, EVENT_NAMES, events as eventSchemas } from '../../shared/contract';
import type { ChannelName, Envelope, EventName } from '../../shared/contract';
import type { Dispatch } from '../core/dispatch';
import type { CoreEvents } from '../core/events';
import { APP_ORIGIN, originOf } from './origins';

/** The slice of ipcMain we use; a structural type so tests can hand in a fake. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export type SenderCheck =
  | { ok: true; webContentsId: number }
  | { ok: false; reason: 'no-window' | 'foreign-sender' | 'no-frame' | 'subframe' | 'foreign-origin' };

/**
 * Only the main frame of our own window, showing our own app:// document, may call the core.
 * A cross-origin iframe (the gateway's card page), a page navigated elsewhere, another window or a
 * destroyed frame are all refused here, before the input is even looked at.
 */
export function checkSender(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'> | null | undefined, window: BrowserWindow | null): SenderCheck {
  if (!window || window.isDestroyed()) return { ok: false, reason: 'no-window' };
  const sender: WebContents | undefined = event?.sender;
  if (!sender || sender !== window.webContents) return { ok: false, reason: 'foreign-sender' };
  // senderFrame is null once the frame navigated away or was destroyed: nobody to answer for it.
  const frame = event?.senderFrame;
  if (!frame) return { ok: false, reason: 'no-frame' };
  const main = sender.mainFrame;
  if (frame.parent !== null || !main || frame.frameTreeNodeId !== main.frameTreeNodeId) return { ok: false, reason: 'subframe' };
  // Both the committed origin and the URL must be ours (the origin is what Chromium enforces;
  // the URL guards against an opaque origin such as a sandboxed document).
  if (frame.origin !== APP_ORIGIN || originOf(frame.url) !== APP_ORIGIN) return { ok: false, reason: 'foreign-origin' };
  return { ok: true, webContentsId: sender.id };
}

const BAD_SENDER: Envelope<never> = {
  ok: false,
  error: { code: 'BAD_SENDER', message: 'This call did not come from the point-of-sale window.' },
};

const INTERNAL: Envelope<never> = {
  ok: false,
  error: { code: 'INTERNAL', message: 'Something went wrong in the app. Try again.' },
};

export interface RegisterIpcOptions {
  ipcMain: IpcMainLike;
  /** The one window allowed to call; read on every call so a re-created window is honoured. */
  getWindow: () => BrowserWindow | null;
  /** createDispatcher's dispatch: validates input, resolves the caller's role, envelopes errors. */
  dispatch: Dispatch;
  /** Told about refused senders (never with the input, which may hold a PIN). */
  onRefused?: (channel: ChannelName, reason: string) => void;
  channels?: readonly ChannelName[];
}

/**
 * One `ipcMain.handle` per contract channel, all through the same wrapper. The wrapper never hands
 * the Electron event to the core or back to the page: the core sees only the channel, the raw
 * input (it validates it) and a session key derived from the window.
 */
export function registerIpc(opts: RegisterIpcOptions): () => void {
  const names = opts.channels ?? CHANNEL_NAMES;
  for (const channel of names) {
    opts.ipcMain.handle(channel, async (event, ...args) => {
      const check = checkSender(event, opts.getWindow());
      if (!check.ok) {
        opts.onRefused?.(channel, check.reason);
        return BAD_SENDER;
      }
      const key = `window:${check.webContentsId}`;
      try {
        // Only the first argument is the input; the preload never sends more.
        return await opts.dispatch(channel, args[0], { sessionKey: key, origin: key });
      } catch {
        // dispatch envelopes every error itself; this is the last line of defence so that no
        // stack trace or internal message crosses to the page.
        return INTERNAL;
      }
    });
  }
  return () => {
    for (const channel of names) opts.ipcMain.removeHandler(channel);
  };
}


/**
 * Forwards the core's contract events to the window's main frame. Payloads are re-parsed with the
 * contract's schema so only declared fields leave the main process.
 */
export function forwardEvents(coreEvents: CoreEvents, getWindow: () => BrowserWindow | null, names: readonly EventName[] = EVENT_NAMES): () => void {
  const offs = names.map((name) =>
    coreEvents.on(name, (payload) => {
      const parsed = eventSchemas[name].safeParse(payload);
      if (!parsed.success) return;
      const win = getWindow();
      if (!win || win.isDestroyed() || win.webContents.isDestroyed()) return;
      win.webContents.send(EVENT_CHANNEL, name, parsed.data);
    }),
  );
  return () => offs.forEach((off) => off());
}

