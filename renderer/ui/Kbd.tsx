/** A key cap: "Ctrl+Enter" → [Ctrl]+[Enter]. Decorative; the button carries aria-keyshortcuts. */
export function Kbd({ keys }: { keys: string }) {
  const parts = keys.split(' / ');
  return (
    <span className="kbd-group" aria-hidden="true">
      {parts.map((p, i) => (
        <span key={p}>
          {i > 0 ? <span className="kbd-sep">/</span> : null}
          <kbd className="kbd">{p === 'Enter' ? '↵ Enter' : p.replace(/\+/g, ' + ')}</kbd>
        </span>
      ))}
    </span>
  );
}
