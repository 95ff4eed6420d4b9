import { create } from 'zustand';
import type { OutputOf } from '../../../shared/contract';
import { useNav } from '../../app/nav-store';
import { call, onSessionLost } from '../../lib/api';
import { useCustomers } from '../customers/customers-store';
import { useOrder } from '../order/order-store';
import type { Digits, Language } from '../../i18n';
import { effectiveLanguage, hasLastUsed, rememberForSignIn, switchLanguage } from './language';

type Status = OutputOf<'session.status'>;
export type SessionUser = NonNullable<Status['user']>;

interface SessionState {
  phase: 'loading' | 'setup' | 'login' | 'ready' | 'error';
  status: Status | null;
  user: SessionUser | null;
  locked: boolean;
  loadError: string | null;
  load: () => Promise<void>;
  /** `language`: chosen on the set-up screen; it becomes the station's default. */
  setup: (name: string, pin: string, language?: Language) => Promise<void>;
  login: (userId: string, pin: string) => Promise<void>;
  unlock: (pin: string) => Promise<void>;
  lock: () => Promise<void>;
  logout: () => Promise<void>;
  markLocked: () => void;
  markSignedOut: () => void;
  recheck: () => Promise<void>;
  /** One's own language and digits (null = the station's); the screen switches at once. */
  setPreferences: (patch: { language?: Language | null; digits?: Digits | null }) => Promise<void>;
}

/**
 * The screen speaks the signed-in person's language (or the station's). Signed out, the sign-in
 * screen keeps the language last used here, or the station's when none was.
 */
function speak(user: SessionUser | null, status: Status | null): Promise<void> {
  if (!user && hasLastUsed()) return Promise.resolve();
  const { lang, digits } = effectiveLanguage(user, status?.locale);
  if (user) rememberForSignIn();
  return switchLanguage(lang, digits).catch(() => undefined);
}

/**
 * Before the desk shows: the person lands on a screen their role may use; for another person, the
 * previous one's finished order and customer search go too (an unfinished order stays).
 */
function arrive(user: SessionUser): void {
  if (!useNav.getState().signedIn(user.id, user.role)) return;
  useOrder.getState().startFresh();
  useCustomers.getState().setQuery('');
}

/** The first `session.status`, asked for while the code and the catalogues still load (main.tsx). */
let early: Promise<Status> | null = null;
let boot: Promise<void> | null = null;

/** Asks the core who is signed in now, so the first `load()` does not wait a round trip more. */
export function askSessionEarly(): void {
  early ??= call('session.status', {});
  early.catch(() => undefined); // load() reports it
}

/**
 * The page's first `load()`, once: main.tsx starts it as soon as the catalogues are in, so the
 * first render is already the screen the person lands on (not a "Starting…" frame before it);
 * the App's effect only joins it.
 */
export function bootSession(): Promise<void> {
  boot ??= useSession.getState().load();
  return boot;
}

function firstStatus(): Promise<Status> {
  const p = early;
  early = null;
  return p ?? call('session.status', {});
}

export const useSession = create<SessionState>((set, get) => ({
  phase: 'loading',
  status: null,
  user: null,
  locked: false,
  loadError: null,
  load: async () => {
    try {
      const status = await firstStatus();
      if (status.user) arrive(status.user);
      await speak(status.user, status);
      set({
        status,
        user: status.user,
        locked: status.locked,
        loadError: null,
        phase: status.setupRequired ? 'setup' : status.user ? 'ready' : 'login',
      });
    } catch (e) {
      set({ phase: 'error', loadError: e instanceof Error ? e.message : String(e) });
    }
  },
  setup: async (name, pin, language) => {
    const user = await call('session.setup', language ? { name, pin, language } : { name, pin });
    arrive(user);
    // The station's locale changed with the choice: read it before switching to the admin's language.
    const status = await call('session.status', {}).catch(() => get().status);
    await speak(user, status);
    set({ user, locked: false, phase: 'ready' });
    await get().load();
  },
  login: async (userId, pin) => {
    const user = await call('session.login', { userId, pin });
    arrive(user);
    await speak(user, get().status);
    set({ user, locked: false, phase: 'ready' });
    await get().load();
  },
  unlock: async (pin) => {
    const user = await call('session.unlock', { pin });
    arrive(user);
    await speak(user, get().status);
    set({ user, locked: false });
  },
  lock: async () => {
    set({ locked: true });
    try {
      await call('session.lock', {});
    } catch {
      /* already locked or signed out: the overlay is up either way */
    }
  },
  logout: async () => {
    try {
      await call('session.logout', {});
    } catch {
      /* signed out already */
    }
    set({ user: null, locked: false, phase: 'login' });
  },
  setPreferences: async (patch) => {
    const user = await call('session.preferences', patch);
    await speak(user, get().status);
    set({ user });
  },
  markLocked: () => set((s) => (s.phase === 'ready' ? { locked: true } : {})),
  markSignedOut: () => set({ user: null, locked: false, phase: 'login' }),
  /**
   * A session changed somewhere (core events go to every window): ask the core what this window's
   * session is now. Signed out if this user was deactivated, the new name or role if changed, and
   * untouched when it was another window's session.
   */
  recheck: async () => {
    if (get().phase !== 'ready') return;
    try {
      const status = await call('session.status', {});
      if (get().phase !== 'ready') return;
      if (status.user) await speak(status.user, status);
      set({ status, user: status.user, locked: status.user ? status.locked : false, phase: status.user ? 'ready' : 'login' });
    } catch {
      /* the core does not answer: the next call reports it */
    }
  },
}));

onSessionLost((code) => {
  const s = useSession.getState();
  if (code === 'SESSION_LOCKED') s.markLocked();
  else if (s.phase === 'ready') s.markSignedOut();
});
