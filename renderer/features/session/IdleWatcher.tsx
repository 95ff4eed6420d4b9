import { useEffect, useRef } from 'react';
import { call } from '../../lib/api';
import { useSession } from './session-store';

const TOUCH_EVERY_MS = 60_000;

/** Locks the screen after the idle time the core gives; tells the core about activity now and then. */
export function IdleWatcher() {
  const idleMs = useSession((s) => s.status?.idleLockMs ?? 15 * 60_000);
  const locked = useSession((s) => s.locked);
  const lock = useSession((s) => s.lock);
  const last = useRef(Date.now());
  const lastTouch = useRef(0);

  useEffect(() => {
    if (locked) return;
    last.current = Date.now();
    const activity = () => {
      last.current = Date.now();
      if (last.current - lastTouch.current > TOUCH_EVERY_MS) {
        lastTouch.current = last.current;
        call('session.touch', {}).catch(() => undefined);
      }
    };
    const events = ['keydown', 'pointerdown', 'pointermove', 'wheel'] as const;
    for (const ev of events) window.addEventListener(ev, activity, { passive: true });
    const timer = setInterval(() => {
      if (Date.now() - last.current >= idleMs) void lock();
    }, 5_000);
    return () => {
      for (const ev of events) window.removeEventListener(ev, activity);
      clearInterval(timer);
    };
  }, [idleMs, locked, lock]);

  return null;
}
