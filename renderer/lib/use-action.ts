import { useCallback, useEffect, useRef, useState } from 'react';
import { asApiError, type ApiError } from './api';

export interface ActionState<A extends unknown[]> {
  run: (...args: A) => Promise<void>;
  busy: boolean;
  error: ApiError | null;
  clearError: () => void;
}

/**
 * Runs an async action once at a time: `busy` turns on synchronously (the button disables and shows
 * its spinner text in the same frame), errors land in `error` as an ApiError.
 */
export function useAction<A extends unknown[]>(fn: (...args: A) => Promise<unknown>): ActionState<A> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const running = useRef(false);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const run = useCallback(async (...args: A) => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setError(null);
    try {
      await fnRef.current(...args);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);
  const clearError = useCallback(() => setError(null), []);
  return { run, busy, error, clearError };
}

export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}
