import { lazy, Suspense, useState, type ComponentType, type JSX } from 'react';
import { useTranslation } from 'react-i18next';
import { loadLaterNamespaces } from '../i18n';
import { Spinner } from '../ui/Alert';

export interface LazyScreen<P extends object> {
  Screen: (props: P) => JSX.Element;
  /** Fetches the screen's code now (idle, hover, its shortcut); safe to call often. */
  preload: () => Promise<void>;
}

/**
 * A screen whose code is fetched apart from the entry (docs/performance.md, initial JavaScript):
 * preloaded when the desk is idle, so the keyboard-first clerk normally never sees the spinner.
 * Once the code is in, a newly shown screen renders directly, not through React.lazy, so an F-key
 * never shows a fallback frame for code already loaded.
 */
export function lazyScreen<P extends object>(load: () => Promise<ComponentType<P>>): LazyScreen<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;
  const fetchCode = (): Promise<ComponentType<P>> => {
    // The screen's words come with its code: it never renders before its catalogue namespace.
    pending ??= Promise.all([load(), loadLaterNamespaces()]).then(
      ([c]) => (loaded = c),
      (e: unknown) => {
        pending = null; // a failed fetch (the server restarting) is tried again next time
        throw e;
      },
    );
    return pending;
  };
  const Lazy = lazy(() => fetchCode().then((c) => ({ default: c })));
  function Screen(props: P) {
    // Chosen once per mount: switching from the lazy wrapper to the loaded component later would
    // remount the screen and lose what the clerk typed.
    const [Comp] = useState<ComponentType<P>>(() => loaded ?? Lazy);
    return (
      <Suspense fallback={<Loading />}>
        <Comp {...props} />
      </Suspense>
    );
  }
  return { Screen, preload: () => fetchCode().then(() => undefined) };
}

function Loading() {
  const { t } = useTranslation('common');
  return <Spinner label={t('actions.loading')} />;
}

/** Runs `fn` when the page has nothing else to do (or after `timeoutMs` at the latest). */
export function whenIdle(fn: () => void, timeoutMs = 2_000): () => void {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(fn, { timeout: timeoutMs });
    return () => cancelIdleCallback(id);
  }
  const id = setTimeout(fn, 50);
  return () => clearTimeout(id);
}
