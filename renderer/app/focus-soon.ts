/**
 * Focuses `selector` once it is drawn: the next frame for a screen whose code is in, a few frames
 * later for one still being fetched (app/screens.tsx), so a shortcut pressed early still lands there.
 *
 * If the clerk has already typed into a field since the shortcut (the new screen focused its own
 * field on mount, and keys came before this frame), focus and selection are left alone: moving
 * them then would send the next keys elsewhere or select, and so overwrite, what was just typed
 * (F3 then a fast "Nobody-Such" became "obody-Such").
 */
export function focusSoon(selector: string, then?: (el: HTMLElement) => void): void {
  let typed = false;
  const onInput = () => {
    typed = true;
  };
  document.addEventListener('input', onInput, true);
  let frames = 0;
  const tick = () => {
    const el = document.querySelector<HTMLElement>(selector);
    if (!el && ++frames < 300) return void requestAnimationFrame(tick);
    document.removeEventListener('input', onInput, true);
    if (!el || (typed && isTextField(document.activeElement))) return;
    el.focus();
    then?.(el);
  };
  requestAnimationFrame(tick);
}

function isTextField(el: Element | null): boolean {
  if (!el || el === document.body) return false;
  return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || (el instanceof HTMLElement && el.isContentEditable);
}
