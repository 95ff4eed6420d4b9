// Key names as printed on the keys (Latin on Gulf keyboards too): not translated.
function cap(key: string): string {
  return key === 'Enter' ? '↵ Enter' : key.replace(/\+/g, ' + ');
}

/** A key cap: "Ctrl+Enter" → [Ctrl]+[Enter]. Decorative; the button carries aria-keyshortcuts. */
export function Kbd({ keys }: { keys: string }) {
  const parts = keys.split(' / ');
  return (
    <span className="kbd-group" aria-hidden="true">
      {parts.map((p, i) => (
        <span key={p}>
          {i > 0 ? <span className="kbd-sep">/</span> : null}
          <kbd className="kbd">{cap(p)}</kbd>
        </span>
      ))}
    </span>
  );
}
