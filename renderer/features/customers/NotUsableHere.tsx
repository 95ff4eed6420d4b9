import { useSession } from '../session/session-store';
import { useTranslation } from 'react-i18next';

const ENVS = new Set(['sandbox', 'test', 'production']);

/** A card on file belongs to the gateway account it was saved on: elsewhere it cannot be charged. */
export function NotUsableHere({ account }: { account: string | undefined }) {
  const here = useSession((s) => s.status?.gateway.account);
  const { t } = useTranslation('customers');
  if (!account || !here || account === here) return null;
  const [env = '', mid] = account.split(':');
  const envName = ENVS.has(env) ? t(`notUsable.env.${env}`) : env;
  return (
    <span className="badge badge-neutral" title={t('notUsable.title', { env: envName, merchant: mid })}>
      {t('notUsable.badge', { env: envName })}
    </span>
  );
}
