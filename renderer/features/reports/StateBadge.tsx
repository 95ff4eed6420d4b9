import { operationState } from '../../lib/operation-labels';

/** An operation's state as a badge (word and tone). */
export function StateBadge({ state }: { state: string }) {
  const { label, tone } = operationState(state);
  return <span className={`badge badge-${tone}`}>{label}</span>;
}
