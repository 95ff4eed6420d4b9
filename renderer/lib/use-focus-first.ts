import { useEffect, useRef } from 'react';

/** An action form's first field: focused, its text selected, when the form opens. */
export function useFocusFirst() {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    ref.current?.focus();
    ref.current?.select();
  }, []);
  return ref;
}
