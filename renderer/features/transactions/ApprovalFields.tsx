import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OutputOf } from '../../../shared/contract';
import { call } from '../../lib/api';
import { Field } from '../../ui/Field';
import { useSession } from '../session/session-store';
import { useSettings } from '../settings/settings-store';

type User = OutputOf<'session.users'>[number];

export interface Approval {
  supervisorId: string;
  pin: string;
}

const LAST_APPROVER_KEY = 'pos.lastApprover';

/** A user id, not a secret: who approved last at this desk. */
function readLastApprover(): string | null {
  try {
    return localStorage.getItem(LAST_APPROVER_KEY);
  } catch {
    return null;
  }
}

function rememberApprover(id: string): void {
  try {
    localStorage.setItem(LAST_APPROVER_KEY, id);
  } catch {
    /* storage unavailable: the next form preselects a supervisor */
  }
}

/** Supervisor picker + PIN for an approval (refunds above the admin's limit). */
export function ApprovalFields({ value, onChange, error }: { value: Approval; onChange: (a: Approval) => void; error?: string | undefined }) {
  const me = useSession((s) => s.user);
  const { t } = useTranslation('transactions');
  const allowSelf = useSettings((s) => s.settings?.allowSelfApproval ?? false);
  const [users, setUsers] = useState<User[]>([]);
  useEffect(() => {
    call('session.users', {}).then(setUsers, () => undefined);
  }, []);
  const supervisors = users.filter((u) => u.role !== 'clerk' && (allowSelf || u.id !== me?.id));
  // Preselected: the approver last chosen at this desk, else a supervisor before an admin. A wrong
  // guess costs a refused approval and counts against that person's PIN tries.
  useEffect(() => {
    if (value.supervisorId || supervisors.length === 0) return;
    const last = readLastApprover();
    const pick = supervisors.find((u) => u.id === last) ?? supervisors.find((u) => u.role === 'supervisor') ?? supervisors[0]!;
    onChange({ ...value, supervisorId: pick.id });
  }, [supervisors, value, onChange]);
  return (
    <fieldset className="approval">
      <legend>{t('approval.legend')}</legend>
      <div className="grid-2">
        <Field label={t('approval.supervisor')}>
          <select
            className="input"
            value={value.supervisorId}
            onChange={(e) => {
              rememberApprover(e.target.value);
              onChange({ ...value, supervisorId: e.target.value });
            }}
          >
            {supervisors.length === 0 ? <option value="">{t('approval.noSupervisor')}</option> : null}
            {supervisors.map((u) => (
              <option key={u.id} value={u.id}>
                {t('approval.option', { name: u.name, role: t(`approval.role.${u.role}`) })}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('approval.pin')} error={error}>
          <input className="input" type="password" inputMode="numeric" autoComplete="off" value={value.pin} onChange={(e) => onChange({ ...value, pin: e.target.value })} />
        </Field>
      </div>
    </fieldset>
  );
}
