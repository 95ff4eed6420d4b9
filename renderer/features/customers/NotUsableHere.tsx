import { useSession } from '../session/session-store';

const ENV: Record<string, string> = { sandbox: 'the embedded sandbox', test: 'APS test', production: 'APS production' };

/** A card on file belongs to the gateway account it was saved on: elsewhere it cannot be charged. */
export function NotUsableHere({ account }: { account: string | undefined }) {
  const here = useSession((s) => s.status?.gateway.account);
  if (!account || !here || account === here) return null;
  const [env, mid] = account.split(':');
  return (
    <span className="badge badge-neutral" title={`Saved on ${ENV[env ?? ''] ?? env} (${mid}); this station now uses another gateway account.`}>
      Not usable here · {ENV[env ?? ''] ?? env}
    </span>
  );
}
