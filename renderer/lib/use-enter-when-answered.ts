import { useCallback, useEffect, useRef } from 'react';

/**
 * Enter pressed in a search box before the answer to what it holds has come: `take` runs once that
 * answer is shown (`answeredFor` is the query it answers), unless the box changed meanwhile (typing
 * on cancels it). Returns what to call on such an Enter, with the box's trimmed query.
 */
export function useEnterWhenAnswered(query: string, answeredFor: string, take: () => void): (pressedFor: string) => void {
  const pending = useRef<string | null>(null);
  const takeRef = useRef(take);
  takeRef.current = take;
  useEffect(() => {
    const q = pending.current;
    if (q === null) return;
    if (q !== query.trim()) pending.current = null;
    else if (answeredFor === q) {
      pending.current = null;
      takeRef.current();
    }
  });
  return useCallback((pressedFor: string) => {
    pending.current = pressedFor;
  }, []);
}
