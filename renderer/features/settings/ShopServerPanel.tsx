import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { OutputOf } from '../../../shared/contract';
import { call } from '../../lib/api';
import { technicalDetail } from '../../lib/core-text';
import { describeError, fieldErrors } from '../../lib/error-text';
import { fmtDateTime, fmtNumber } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { Alert, Spinner } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { Field } from '../../ui/Field';

type ShopStatus = OutputOf<'shop.status'>;
type Tls = 'disable' | 'require' | 'verify-full';

/** How the link is doing, in the words a supervisor reads (docs/stations.md). Not the gateway's online/offline. */
function stateLine(s: ShopStatus, t: TFunction<'shop'>): { tone: string; label: string; detail: string } {
  switch (s.state) {
    case 'not_configured':
      return { tone: 'neutral', label: t('state.notConfigured'), detail: t('state.notConfiguredDetail') };
    case 'connecting':
      return { tone: 'info', label: t('state.connecting'), detail: t('state.connectingDetail') };
    case 'connected':
      return { tone: 'success', label: t('state.connected'), detail: s.waiting > 0 ? t('state.sending', { count: s.waiting, n: fmtNumber(s.waiting) }) : t('state.upToDate') };
    case 'catching_up':
      return { tone: 'info', label: t('state.catchingUp'), detail: t('state.behind', { count: s.behind, n: fmtNumber(s.behind) }) };
    case 'unreachable':
      return {
        tone: 'warning',
        label: t('state.unreachable'),
        detail: t('state.unreachableDetail', { count: s.waiting, n: fmtNumber(s.waiting), since: fmtDateTime(s.unreachableSince) }),
      };
  }
}

export function ShopServerPanel() {
  const { t } = useTranslation('shop');
  const [status, setStatus] = useState<ShopStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [host, setHost] = useState('');
  const [port, setPort] = useState('5432');
  const [database, setDatabase] = useState('shop');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [tls, setTls] = useState<Tls>('verify-full');
  /** Empty: keep the CA already set (or none). */
  const [ca, setCa] = useState('');
  const [removeCa, setRemoveCa] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const load = useCallback(() => {
    call('shop.status', {}).then(
      (s) => {
        setStatus(s);
        setError(null);
      },
      (e) => setError(describeError(e)),
    );
  }, []);
  useEffect(() => {
    load();
    // The link changes on its own (the server goes away, records arrive): look again every 2 s while shown.
    const t = setInterval(load, 2_000);
    return () => clearInterval(t);
  }, [load]);
  useEffect(() => {
    if (status?.server) {
      setHost(status.server.host);
      setPort(String(status.server.port));
      setDatabase(status.server.database);
      setUsername(status.server.username);
      setTls(status.server.tls);
    }
    // Only when the configured server changes, not on every poll.
  }, [status?.server?.host, status?.server?.port, status?.server?.database, status?.server?.username, status?.server?.tls]);
  const connect = useAction(async () => {
    // An empty password field keeps the one already set.
    const caCertificate = removeCa ? '' : ca.trim() ? ca : undefined;
    const s = await call('shop.connect', { host: host.trim(), port: Number(port), database: database.trim(), username: username.trim(), tls, ...(password ? { password } : {}), ...(caCertificate !== undefined ? { caCertificate } : {}) });
    setPassword('');
    setCa('');
    setRemoveCa(false);
    setStatus(s);
  });
  const leave = useAction(async () => {
    const s = await call('shop.leave', { confirm: true });
    setLeaving(false);
    setStatus(s);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void connect.run();
  };
  const fields = fieldErrors(connect.error);
  const line = status ? stateLine(status, t) : null;
  return (
    <section className="panel" aria-labelledby="shop-h">
      <h2 id="shop-h">{t('title')}</h2>
      {error ? <Alert tone="danger">{error}</Alert> : null}
      {!status && !error ? <Spinner label={t('loading')} /> : null}
      {status && line ? (
        <div className="shop-status" role="status" aria-live="polite">
          <span className={`badge badge-${line.tone}`} data-state={status.state}>
            {line.label}
          </span>{' '}
          <span>{line.detail}</span>
          {status.state === 'catching_up' && status.behind > 0 ? (
            <progress className="shop-progress" max={status.fetched + status.behind} value={status.fetched} aria-label={t('progress')} />
          ) : null}
          {status.conflicts > 0 ? <p className="field-hint">{t('conflicts', { count: status.conflicts, n: fmtNumber(status.conflicts) })}</p> : null}
          {status.lastError && status.state === 'unreachable' ? <p className="field-hint">{t('lastError', { error: technicalDetail(status.lastError) })}</p> : null}
          {status.leftAt && status.state === 'not_configured' ? <p className="field-hint">{t('leftAt', { at: fmtDateTime(status.leftAt) })}</p> : null}
        </div>
      ) : null}
      {status && status.stations.length > 0 ? (
        <table className="table" aria-label={t('stations')}>
          <thead>
            <tr>
              <th scope="col">{t('station')}</th>
              <th scope="col">{t('lastSeen')}</th>
            </tr>
          </thead>
          <tbody>
            {status.stations.map((s) => (
              <tr key={s.id}>
                <td className="ellipsis" title={s.id}>
                  <bdi>{s.name}</bdi>
                  {s.thisStation ? ` ${t('thisDesk')}` : ''}
                  {s.leftAt ? ` ${t('stationLeft')}` : ''}
                </td>
                <td>{fmtDateTime(s.lastSeenAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <form onSubmit={submit} className="shop-connect" aria-labelledby="shop-connect-h">
        <h3 id="shop-connect-h">{status?.server ? t('changeConnection') : t('connectTitle')}</h3>
        <div className="grid-2">
          <Field label={t('host')} error={fields.host}>
            <input className="input" dir="ltr" value={host} onChange={(e) => setHost(e.target.value)} maxLength={253} autoComplete="off" spellCheck={false} />
          </Field>
          <Field label={t('port')} error={fields.port}>
            <input className="input num" inputMode="numeric" value={port} onChange={(e) => setPort(e.target.value)} />
          </Field>
          <Field label={t('database')} error={fields.database}>
            <input className="input" value={database} onChange={(e) => setDatabase(e.target.value)} maxLength={63} autoComplete="off" spellCheck={false} />
          </Field>
          <Field label={t('user')} error={fields.username}>
            <input className="input" value={username} onChange={(e) => setUsername(e.target.value)} maxLength={63} autoComplete="off" spellCheck={false} />
          </Field>
          <Field label={t('password')} hint={status?.server?.passwordSet ? t('passwordSet') : t('passwordKept')} error={fields.password}>
            <input className="input" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" />
          </Field>
          <Field label={t('tls')} error={fields.tls}>
            <select className="input" value={tls} onChange={(e) => setTls(e.target.value as Tls)}>
              <option value="verify-full">{t('tlsVerify')}</option>
              <option value="require">{t('tlsRequire')}</option>
              <option value="disable">{t('tlsDisable')}</option>
            </select>
          </Field>
        </div>
        {tls === 'verify-full' ? (
          <Field
            label={t('ca')}
            hint={status?.server?.ca ? t('caSet', { subject: status.server.ca.subject, until: fmtDateTime(status.server.ca.validTo) }) : t('caHint')}
            error={fields.caCertificate}
          >
            <textarea className="input mono" dir="ltr" rows={4} value={ca} onChange={(e) => setCa(e.target.value)} disabled={removeCa} spellCheck={false} autoComplete="off" placeholder={t('caPlaceholder')} />
          </Field>
        ) : null}
        {tls === 'verify-full' && status?.server?.ca ? (
          <label className="check">
            <input type="checkbox" checked={removeCa} onChange={(e) => setRemoveCa(e.target.checked)} />
            {t('caRemove')}
          </label>
        ) : null}
        {connect.error && Object.keys(fields).length === 0 ? <Alert tone="danger">{describeError(connect.error)}</Alert> : null}
        <div className="actions">
          <Button type="submit" variant="primary" busy={connect.busy} busyText={t('connectingBusy')}>
            {status?.server ? t('connectAgain') : t('join')}
          </Button>
        </div>
      </form>
      {status?.server ? (
        <div className="shop-leave" aria-labelledby="shop-leave-h">
          <h3 id="shop-leave-h">{t('leave.title')}</h3>
          <p className="muted small">{t('leave.explain')}</p>
          {leave.error && !leaving ? <Alert tone="danger">{describeError(leave.error)}</Alert> : null}
          <div className="actions">
            <Button variant="danger" onClick={() => setLeaving(true)}>
              {t('leave.button')}
            </Button>
          </div>
        </div>
      ) : null}
      {leaving ? (
        <ConfirmDialog title={t('leave.confirmTitle')} confirmLabel={t('leave.confirm')} tone="danger" busy={leave.busy} onConfirm={() => void leave.run()} onCancel={() => setLeaving(false)}>
          <p>{t('leave.confirmBody')}</p>
          {leave.error ? <Alert tone="danger">{describeError(leave.error)}</Alert> : null}
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
