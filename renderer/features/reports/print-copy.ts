import { createContext, useContext } from 'react';

/** True inside the print copy: no ids or test ids there, so the screen's stay unique. */
export const PrintCopy = createContext(false);

/** Element ids and test ids that exist once: on the screen, not in its print copy. */
export function useIds() {
  const print = useContext(PrintCopy);
  return {
    id: (v: string) => (print ? `print-${v}` : v),
    tid: (v: string) => (print ? undefined : v),
  };
}
