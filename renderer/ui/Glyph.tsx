import type { ReactNode } from 'react';

/**
 * A state's glyph beside its word. Characters that no commonly installed font has (⏸, U+23F8, is
 * missing from DejaVu and from many Windows fonts: it rendered as an empty box) are drawn as inline
 * SVG in the text colour, so they always render.
 */
const DRAWN: Readonly<Record<string, ReactNode>> = {
  '⏸': (
    <svg className="glyph-svg" viewBox="0 0 10 10" width="1em" height="1em" aria-hidden="true" focusable="false" data-glyph="pause">
      <rect x="1.5" y="1" width="2.5" height="8" rx="0.5" fill="currentColor" />
      <rect x="6" y="1" width="2.5" height="8" rx="0.5" fill="currentColor" />
    </svg>
  ),
};

export function Glyph({ char }: { char: string }) {
  return <>{DRAWN[char] ?? char}</>;
}
