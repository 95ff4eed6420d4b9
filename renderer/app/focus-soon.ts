/**
 * Focuses `selector` once it is drawn: the next frame for a screen whose code is in, a few frames
 * later for one still being fetched (app/screens.tsx), so a shortcut pressed early still lands there.
 *
 * If the clerk has already typed into a field since the shortcut (the new screen focused its own
 * field on mount, and keys came before this frame), focus and selection are left alone: moving
 * them then would send the next keys elsewhere or select, and so overwrite, what was just typed
 * (F3 then a fast "Nobody-Such" became "obody-Such"). The same if the caret was put in another
 * field since the shortcut: the keys about to be typed belong there (an e2e's fill lost its text to
 * the customer field this way).
 */
export function focusSoon(selector: string, then?: (el: HTMLElement) => void): void {
  let typed = false;
  const onInput = () => {
    typed = true;
  };
  document.addEventListener('input', onInput, true);
  let movedTo: Element | null = null;
  const onFocusIn = (e: FocusEvent) => {
    const t = e.target instanceof Element ? e.target : null;
    if (t && isTextField(t) && !t.matches(selector)) movedTo = t;
  };
  document.addEventListener('focusin', onFocusIn, true);
  let frames = 0;
  const tick = () => {
    const el = document.querySelector<HTMLElement>(selector);
    if (!el && ++frames < 300) return void requestAnimationFrame(tick);
    document.removeEventListener('input', onInput, true);
    document.removeEventListener('focusin', onFocusIn, true);
    const active = document.activeElement;
    if (!el || (isTextField(active) && (typed || active === movedTo))) return;
    el.focus();
    then?.(el);
  };
  requestAnimationFrame(tick);
}

function isTextField(el: Element | null): boolean {
  if (!el || el === document.body) return false;
  return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || (el instanceof HTMLElement && el.isContentEditable);
}
