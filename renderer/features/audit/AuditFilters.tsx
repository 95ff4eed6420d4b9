import { useTranslation } from 'react-i18next';
import type { OutputOf } from '../../../shared/contract';
import { Button } from '../../ui/Button';
import { ACTION_GROUPS, actionLabel, groupLabel, type AuditFilter } from './audit-data';

type User = OutputOf<'session.users'>[number];

/** Beside the outcome's word, so it never depends on colour alone. */
const GLYPH = { success: '\u2713', failure: '\u2715' } as const;

interface Props {
  filter: AuditFilter;
  onFilter: (f: AuditFilter) => void;
  /** The search box's text as typed (the filter takes it after a pause). */
  text: string;
  onText: (text: string) => void;
  users: User[];
  filtered: boolean;
  onClear: () => void;
}

/** The audit filters form: text search, action, user, outcome, and clear. */
export function AuditFilters({ filter, onFilter, text, onText, users, filtered, onClear }: Props) {
  const { t } = useTranslation('audit');
  return (
    <div className="panel audit-filters" role="search" aria-label={t('filters.label')}>
      <div className="field audit-filter-text">
        <label className="field-label" htmlFor="audit-text">
          {t('filters.search')}
        </label>
        <input
          id="audit-text"
          className="input"
          type="search"
          dir="auto"
          placeholder={t('filters.searchPlaceholder')}
          value={text}
          onChange={(e) => onText(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              const first = document.querySelector<HTMLElement>('#audit-entries tbody tr[data-seq]');
              if (first) {
                e.preventDefault();
                first.focus();
              }
            }
          }}
        />
      </div>
      <div className="field">
        <label className="field-label" htmlFor="audit-action">
          {t('filters.action')}
        </label>
        <select id="audit-action" className="input" value={filter.action} onChange={(e) => onFilter({ ...filter, action: e.target.value })}>
          <option value="">{t('filters.anyAction')}</option>
          {ACTION_GROUPS.map((g) => (
            <optgroup key={g.key} label={groupLabel(g.key)}>
              {g.actions.map(([value]) => (
                <option key={value} value={value}>
                  {actionLabel(value)}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </div>
      <div className="field">
        <label className="field-label" htmlFor="audit-user">
          {t('filters.user')}
        </label>
        <select id="audit-user" className="input" value={filter.userId} onChange={(e) => onFilter({ ...filter, userId: e.target.value })}>
          <option value="">{t('filters.anyone')}</option>
          {users.map((u) => (
            <option key={u.id} value={u.id}>
              {t('filters.userOption', { name: u.name, role: t(`filters.role.${u.role}`) })}
            </option>
          ))}
          <option value="system">{t('filters.system')}</option>
        </select>
      </div>
      <div className="field">
        <label className="field-label" htmlFor="audit-outcome">
          {t('filters.outcome')}
        </label>
        <select id="audit-outcome" className="input" value={filter.outcome} onChange={(e) => onFilter({ ...filter, outcome: e.target.value as AuditFilter['outcome'] })}>
          <option value="">{t('filters.anyOutcome')}</option>
          <option value="success">
            {GLYPH.success} {t('outcome.success')}
          </option>
          <option value="failure">
            {GLYPH.failure} {t('outcome.failure')}
          </option>
        </select>
      </div>
      {filtered ? (
        <Button size="sm" variant="ghost" className="audit-clear" onClick={onClear}>
          {t('filters.clear')}
        </Button>
      ) : null}
    </div>
  );
}
