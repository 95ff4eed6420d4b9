import type { BrowserWindow, BrowserWindowConstructorOptions, IpcMainInvokeEvent } from 'electron';
import { z } from 'zod';
import { PASSPHRASE_MAX_LENGTH, PASSPHRASE_MIN_LENGTH, UNLOCK_CHANNELS } from '../../shared/unlock/api';
import type { UnlockEnvelope, UnlockError, UnlockStateEnvelope } from '../../shared/unlock/api';
import { checkSender } from './ipc';
import type { IpcMainLike, SenderCheck } from './ipc';
import { APP_UNLOCK_PATH, APP_UNLOCK_URL } from './origins';
import { retryDelayMs, UnlockCancelledError, WrongPassphraseError } from './passphrase';
import type { PassphrasePrompt, PassphraseRequest, ReleasableKeyProtector } from './passphrase';
import { buildUnlockWindowOptions } from './window';

/**
 * The unlock window: asked for a passphrase when the ledger key cannot be kept by the OS keyring
 * (DESIGN.md, "Ledger and vault"). Three layers, each testable on its own:
 *
 *  - createUnlockController: the rules (input schema, first-run confirmation, wrong passphrase,
 *    growing delay, one attempt at a time), returning envelopes; it never throws.
 *  - registerUnlockIpc: three ipcMain handlers behind a sender check (this window's main frame on
 *    app://pos/unlock.html), like registerIpc does for the contract.
 *  - createUnlockWindow: the hardened window and the PassphrasePrompt lifecycle.ts hands to the
 *    core's opener. The contract's channels are registered only after the ledger is open.
 */

const Passphrase = z.string().max(PASSPHRASE_MAX_LENGTH);
const UnlockInput = z.object({ passphrase: Passphrase }).strict();
const CreateInput = z.object({ passphrase: Passphrase, confirm: Passphrase }).strict();

export interface UnlockController {
  state(): UnlockStateEnvelope;
  unlock(input: unknown): Promise<UnlockEnvelope>;
  create(input: unknown): Promise<UnlockEnvelope>;
}

export interface UnlockControllerOptions {
  /** Called once, with the protector for the core, when a passphrase was accepted. */
  onUnlocked: (protector: ReleasableKeyProtector) => void;
  now?: () => number;
  /** Never given a passphrase: counts, codes and error names only. */
  log?: (msg: string, detail?: Record<string, unknown>) => void;
}

const fail = (error: UnlockError): { ok: false; error: UnlockError } => ({ ok: false, error });

const TOO_SHORT = `The passphrase has at least ${PASSPHRASE_MIN_LENGTH} characters.`;

function seconds(ms: number): string {
  const s = Math.ceil(ms / 1000);
  return s === 1 ? '1 second' : `${s} seconds`;
}

export function createUnlockController(request: PassphraseRequest, opts: UnlockControllerOptions): UnlockController {
  const now = opts.now ?? Date.now;
  const log = opts.log ?? (() => {});
  let failures = 0;
  let notBefore = 0;
  let busy = false;
  let done = false;

  const retryAfter = () => Math.max(0, notBefore - now());

  /** Shared by unlock and create: the checks every attempt goes through, then the attempt. */
  async function attempt(passphrase: string): Promise<UnlockEnvelope> {
    if (done) return fail({ code: 'DONE', message: 'The ledger is already unlocked; the point of sale is opening.' });
    if (busy) return fail({ code: 'BUSY', message: 'The passphrase is still being checked.' });
    const wait = retryAfter();
    if (wait > 0) return fail({ code: 'TOO_SOON', message: `Too many wrong passphrases. Try again in ${seconds(wait)}.`, field: 'passphrase', failures, retryAfterMs: wait });
    busy = true;
    let protector: ReleasableKeyProtector;
    try {
      protector = await request.attempt(passphrase);
    } catch (e) {
      if (e instanceof WrongPassphraseError) {
        failures += 1;
        const delay = retryDelayMs(failures);
        notBefore = now() + delay;
        log('wrong passphrase for the ledger key', { failures, retryAfterMs: delay });
        const then = delay > 0 ? ` Wait ${seconds(delay)} before the next try.` : ' Check Caps Lock and the keyboard layout, then try again.';
        return fail({ code: 'WRONG_PASSPHRASE', message: `That passphrase does not unlock the ledger.${then}`, field: 'passphrase', failures, retryAfterMs: delay });
      }
      // Not the passphrase's fault (damaged key file, out of memory…): the name only, as the
      // message of an unexpected error could in theory echo its input.
      log('passphrase check failed', { error: e instanceof Error ? e.name : typeof e });
      return fail({ code: 'INTERNAL', message: 'The passphrase could not be checked. Try again; if it keeps failing, restart the app.' });
    } finally {
      busy = false;
    }
    done = true;
    log('ledger key unlocked with a passphrase', { mode: request.mode, failures });
    opts.onUnlocked(protector);
    return { ok: true };
  }

  return {
    state() {
      return { ok: true, value: { mode: request.mode, reason: request.reason, failures, retryAfterMs: retryAfter() } };
    },

    async unlock(input) {
      if (request.mode !== 'unlock') return fail({ code: 'WRONG_MODE', message: 'This station has no ledger yet: choose a passphrase first.' });
      const parsed = UnlockInput.safeParse(input);
      if (!parsed.success) return fail({ code: 'VALIDATION', message: 'Type the passphrase.', field: 'passphrase' });
      // Too short can never be right: say so without counting it as a wrong passphrase.
      if (parsed.data.passphrase.length < PASSPHRASE_MIN_LENGTH) return fail({ code: 'VALIDATION', message: TOO_SHORT, field: 'passphrase' });
      return attempt(parsed.data.passphrase);
    },

    async create(input) {
      if (request.mode !== 'create') return fail({ code: 'WRONG_MODE', message: 'This station already has a ledger: enter its passphrase.' });
      const parsed = CreateInput.safeParse(input);
      if (!parsed.success) return fail({ code: 'VALIDATION', message: 'Type the passphrase twice.', field: 'passphrase' });
      const { passphrase, confirm } = parsed.data;
      if (passphrase.length < PASSPHRASE_MIN_LENGTH) return fail({ code: 'VALIDATION', message: `Choose at least ${PASSPHRASE_MIN_LENGTH} characters.`, field: 'passphrase' });
      if (passphrase !== confirm) return fail({ code: 'MISMATCH', message: 'The two passphrases differ. Type them again.', field: 'confirm' });
      return attempt(passphrase);
    },
  };
}

export type UnlockSenderCheck = SenderCheck | { ok: false; reason: 'foreign-page' };

/**
 * checkSender (our window's main frame, committed origin and URL app://pos), plus: the page must
 * be the unlock page itself, not another app:// document loaded into this window.
 */
export function checkUnlockSender(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'> | null | undefined, window: BrowserWindow | null): UnlockSenderCheck {
  const base = checkSender(event, window);
  if (!base.ok) return base;
  let pathname: string;
  try {
    pathname = new URL(event?.senderFrame?.url ?? '').pathname;
  } catch {
    return { ok: false, reason: 'foreign-page' };
  }
  return pathname === APP_UNLOCK_PATH ? base : { ok: false, reason: 'foreign-page' };
}

const BAD_SENDER = fail({ code: 'BAD_SENDER', message: 'This call did not come from the unlock window.' });
const INTERNAL = fail({ code: 'INTERNAL', message: 'Something went wrong in the app. Try again.' });

export interface RegisterUnlockIpcOptions {
  ipcMain: IpcMainLike;
  /** The unlock window; read on every call. */
  getWindow: () => BrowserWindow | null;
  controller: UnlockController;
  /** Told the channel and the reason, never the input (it holds the passphrase). */
  onRefused?: (channel: string, reason: string) => void;
}

/** One handler per unlock channel, each behind checkUnlockSender; returns the unregister function. */
export function registerUnlockIpc(opts: RegisterUnlockIpcOptions): () => void {
  const { controller } = opts;
  const handlers: Record<string, (input: unknown) => Promise<unknown> | unknown> = {
    [UNLOCK_CHANNELS.state]: () => controller.state(),
    [UNLOCK_CHANNELS.unlock]: (input) => controller.unlock(input),
    [UNLOCK_CHANNELS.create]: (input) => controller.create(input),
  };
  for (const [channel, handler] of Object.entries(handlers)) {
    opts.ipcMain.handle(channel, async (event, ...args) => {
      const check = checkUnlockSender(event, opts.getWindow());
      if (!check.ok) {
        opts.onRefused?.(channel, check.reason);
        return BAD_SENDER;
      }
      try {
        // Only the first argument is the input; the preload never sends more.
        return await handler(args[0]);
      } catch {
        return INTERNAL;
      }
    });
  }
  return () => {
    for (const channel of Object.keys(handlers)) opts.ipcMain.removeHandler(channel);
  };
}

export interface UnlockWindowDeps {
  ipcMain: IpcMainLike;
  createWindow: (options: BrowserWindowConstructorOptions) => BrowserWindow;
  /** Absolute path of dist-electron/unlock-preload.cjs. */
  preloadPath: string;
  isPackaged: boolean;
  log: (msg: string, detail?: Record<string, unknown>) => void;
  now?: () => number;
  /** The station's locale (its settings), so the page speaks the station's language. */
  stationLocale?: () => string | null;
}

/** The station's locale, or null when its settings cannot be read (the page then picks). */
function stationLocale(deps: UnlockWindowDeps): string | null {
  try {
    return deps.stationLocale?.() ?? null;
  } catch (e) {
    deps.log('the station locale could not be read for the unlock window', { error: e instanceof Error ? e.name : typeof e });
    return null;
  }
}

export interface UnlockWindow {
  /** Shows the window and resolves with the protector once a passphrase was accepted. */
  prompt: PassphrasePrompt;
  getWindow(): BrowserWindow | null;
  /** Closes the window; lifecycle.ts calls it once the main window exists (or on a fatal error). */
  close(): void;
}

/**
 * The passphrase prompt as a window. Closing the window before a passphrase was accepted rejects
 * with UnlockCancelledError (the app quits quietly). After success the window stays up, showing
 * "opening…", until lifecycle.ts closes it: closing it earlier would leave no window at all and
 * quit the app ('window-all-closed').
 */
export function createUnlockWindow(deps: UnlockWindowDeps): UnlockWindow {
  let win: BrowserWindow | null = null;
  let asking = false;
  const getWindow = () => (win && !win.isDestroyed() ? win : null);

  const prompt: PassphrasePrompt = (request) =>
    new Promise<ReleasableKeyProtector>((resolve, reject) => {
      if (asking) {
        reject(new Error('The passphrase is already being asked for'));
        return;
      }
      asking = true;
      let settled = false;
      let unregister = () => {};
      const settle = (then: () => void) => {
        if (settled) return;
        settled = true;
        asking = false;
        unregister();
        then();
      };
      const controller = createUnlockController(request, {
        log: deps.log,
        ...(deps.now ? { now: deps.now } : {}),
        onUnlocked: (protector) => settle(() => resolve(protector)),
      });
      unregister = registerUnlockIpc({
        ipcMain: deps.ipcMain,
        getWindow,
        controller,
        onRefused: (channel, reason) => deps.log('unlock call refused', { channel, reason }),
      });
      let w: BrowserWindow;
      try {
        w = deps.createWindow(buildUnlockWindowOptions({ preloadPath: deps.preloadPath, isPackaged: deps.isPackaged, locale: stationLocale(deps) }));
      } catch (e) {
        settle(() => reject(e));
        return;
      }
      win = w;
      // On top of the hardening every WebContents gets (window.ts): this page never navigates,
      // not even to another app:// document.
      w.webContents.on('will-navigate', (event) => event.preventDefault());
      w.once('ready-to-show', () => w.show());
      w.on('closed', () => {
        win = null;
        settle(() => reject(new UnlockCancelledError()));
      });
      w.loadURL(APP_UNLOCK_URL).catch((e: unknown) => deps.log('the unlock page did not load', { error: e instanceof Error ? e.message : String(e) }));
    });

  return {
    prompt,
    getWindow,
    close() {
      getWindow()?.close();
    },
  };
}
