import type { CoreDeps } from '../deps';
import type { CallContext } from '../context';
import { appendAudit } from '../ledger/audit-log';
import { getUserRecord } from './users-repo';

/**
 * Who is signed in on each window / browser session. In memory on purpose: a restart signs
 * everyone out. The idle lock is applied lazily: whenever a session is looked at, if the time
 * since its last activity (per the injected clock) has reached settings.idleLockMinutes it is
 * locked from then on, so no timer is needed and tests drive it with a ManualClock.
 */
export interface SessionState {
  userId: string;
  /** ISO time the screen locked, or null while unlocked. */
  lockedAt: string | null;
  /** Epoch ms of the last call or session.touch. */
  lastActivity: number;
}

export type CallerUser = NonNullable<CallContext['user']>;

type Deps = Pick<CoreDeps, 'db' | 'clock' | 'settings' | 'events' | 'station'>;

export class SessionManager {
  private readonly sessions = new Map<string, SessionState>();

  constructor(private readonly deps: Deps) {}

  idleLockMs(): number {
    return this.deps.settings.get().idleLockMinutes * 60_000;
  }

  /** The session as of `now`, idle-locked if it has been idle long enough; undefined when nobody is signed in. */
  get(sessionKey: string, now: Date = this.deps.clock.now()): Readonly<SessionState> | undefined {
    const s = this.sessions.get(sessionKey);
    if (!s) return undefined;
    if (s.lockedAt === null && now.getTime() - s.lastActivity >= this.idleLockMs()) {
      s.lockedAt = new Date(s.lastActivity + this.idleLockMs()).toISOString();
      const user = getUserRecord(this.deps.db, s.userId);
      appendAudit(this.deps.db, {
        at: now.toISOString(), userId: s.userId, userName: user?.name ?? null, action: 'session.lock', target: null,
        outcome: 'success', station: this.deps.station, detail: `idle for ${this.deps.settings.get().idleLockMinutes} min`,
      });
      this.deps.events.emit('session.changed', { locked: true, userId: s.userId });
    }
    return { ...s };
  }

  /**
   * For the dispatcher: the signed-in, unlocked user of this session (with their current role from
   * the users table, so a role change or deactivation applies at once), 'locked', or null.
   * Looking is not activity: the dispatcher reports activity separately (onActivity → touch) for
   * the calls of a signed-in user, so polling session.status never keeps a screen awake.
   */
  resolveCaller(sessionKey: string): CallerUser | 'locked' | null {
    const now = this.deps.clock.now();
    const s = this.get(sessionKey, now);
    if (!s) return null;
    const user = getUserRecord(this.deps.db, s.userId);
    if (!user || !user.active) {
      this.sessions.delete(sessionKey);
      return null;
    }
    if (s.lockedAt !== null) return 'locked';
    return { id: user.id, name: user.name, role: user.role };
  }

  /** Sign in (or switch user): replaces whoever was on this session. */
  start(sessionKey: string, userId: string, now: Date): void {
    this.sessions.set(sessionKey, { userId, lockedAt: null, lastActivity: now.getTime() });
    this.deps.events.emit('session.changed', { locked: false, userId });
  }

  end(sessionKey: string): void {
    if (this.sessions.delete(sessionKey)) this.deps.events.emit('session.changed', { locked: false, userId: null });
  }

  /** Sign a user out everywhere (deactivated by an admin). */
  endUser(userId: string): void {
    for (const [key, s] of this.sessions) if (s.userId === userId) this.end(key);
  }

  /** A user's name or role changed: their windows ask for their session again (the core already applies it). */
  userChanged(userId: string): void {
    for (const s of this.sessions.values()) {
      if (s.userId === userId) {
        this.deps.events.emit('session.changed', { locked: s.lockedAt !== null, userId });
        return;
      }
    }
  }

  lock(sessionKey: string, now: Date): void {
    const s = this.sessions.get(sessionKey);
    if (!s || s.lockedAt !== null) return;
    s.lockedAt = now.toISOString();
    this.deps.events.emit('session.changed', { locked: true, userId: s.userId });
  }

  unlock(sessionKey: string, now: Date): void {
    const s = this.sessions.get(sessionKey);
    if (!s) return;
    s.lockedAt = null;
    s.lastActivity = now.getTime();
    this.deps.events.emit('session.changed', { locked: false, userId: s.userId });
  }

  /** Activity for the idle lock: the dispatcher's onActivity and session.touch. A locked session stays locked. */
  touch(sessionKey: string, now: Date = this.deps.clock.now()): void {
    const s = this.sessions.get(sessionKey);
    if (s && s.lockedAt === null) s.lastActivity = Math.max(s.lastActivity, now.getTime());
  }
}
