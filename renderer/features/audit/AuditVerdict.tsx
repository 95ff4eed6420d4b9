import { useTranslation } from 'react-i18next';
import { fmtNumber } from '../../lib/format';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import type { AuditVerdict as Verdict } from './audit-data';

const GLYPH = { intact: '\u2713', altered: '\u2715' } as const;

/** The log's state after "Verify the log", in the screen's head. */
export function VerdictBadge({ verdict }: { verdict: Verdict }) {
  const { t } = useTranslation('audit');
  return verdict.ok ? (
    <span className="badge badge-success" data-testid="audit-state">
      <span aria-hidden="true" className="badge-glyph">
        {GLYPH.intact}
      </span>
      {t('state.intact')}
    </span>
  ) : (
    <span className="badge badge-danger" data-testid="audit-state">
      <span aria-hidden="true" className="badge-glyph">
        {GLYPH.altered}
      </span>
      {t('state.altered')}
    </span>
  );
}

/** What "Verify the log" found: intact, or the first altered or missing entry and what to do. */
export function VerdictPanel({ verdict, onShow }: { verdict: Verdict; onShow: (seq: number) => void }) {
  const { t } = useTranslation('audit');
  const checked = { count: verdict.checked, n: fmtNumber(verdict.checked) };
  // In a shop the server's anchor shows a cut at the end, which the chain alone cannot.
  const shop = verdict.shop ?? null;
  const shopLine = shop ? (shop.reachable ? t('verify.shopChecked', { count: shop.stations.length, n: fmtNumber(shop.stations.length) }) : t('verify.shopUnreachable')) : null;
  if (verdict.ok) {
    return (
      <Alert tone="success" title={t('verify.intactTitle', checked)} className="audit-verdict">
        {shop?.reachable ? shopLine : t('verify.intactBody')}
        {shop && !shop.reachable ? <p data-testid="audit-shop">{shopLine}</p> : null}
      </Alert>
    );
  }
  return (
    <Alert tone="danger" title={t('verify.alteredTitle')} className="audit-verdict">
      <p data-testid="audit-problem" dir="auto">
        {verdict.problem}
      </p>
      <p className="muted small">{t('verify.alteredBody', checked)}</p>
      {verdict.firstBadSeq !== null ? (
        <Button size="sm" onClick={() => onShow(verdict.firstBadSeq!)}>
          {t('verify.showEntry', { seq: verdict.firstBadSeq })}
        </Button>
      ) : null}
    </Alert>
  );
}
