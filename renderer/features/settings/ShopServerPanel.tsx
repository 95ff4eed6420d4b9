import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { OutputOf } from '../../../shared/contract';
import { call } from '../../lib/api';
import { describeError, fieldErrors } from '../../lib/error-text';
import { fmtDateTime } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { Alert, Spinner } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Field } from '../../ui/Field';

type ShopStatus = OutputOf<'shop.status'>;
type Tls = 'disable' | 'require' | 'verify-full';

/** How the link is doing, in the words a supervisor reads (docs/stations.md). Not the gateway's online/offline. */
function stateLine(s: ShopStatus): { tone: string; label: string; detail: string } {
  switch (s.state) {
    case 'not_configured':
      return { tone: 'neutral', label: 'Not in a shop', detail: 'This station works on its own. Connect it to the shop server to share customers, cards on file and payments with the other desks.' };
    case 'connecting':
      return { tone: 'info', label: 'Connecting', detail: 'Reaching the shop server…' };
    case 'connected':
      return { tone: 'success', label: 'Connected', detail: s.waiting > 0 ? `${s.waiting} change${s.waiting === 1 ? '' : 's'} of this desk being sent.` : 'Up to date with the shop.' };
    case 'catching_up':
      return { tone: 'info', label: 'Catching up', detail: `${s.behind.toLocaleString()} record${s.behind === 1 ? '' : 's'} of the shop still to fetch.` };
    case 'unreachable':
      return {
        tone: 'warning',
        label: 'Shop server unreachable',
        detail: `Since ${fmtDateTime(s.unreachableSince)}. This desk keeps taking payments; ${s.waiting} change${s.waiting === 1 ? '' : 's'} wait to be sent. Other desks' payments can be captured, voided or refunded when the server is back.`,
      };
  }
}

export function ShopServerPanel() {
  const [status, setStatus] = useState<ShopStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [host, setHost] = useState('');
  const [port, setPort] = useState('5432');
  const [database, setDatabase] = useState('shop');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [tls, setTls] = useState<Tls>('verify-full');
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
    const s = await call('shop.connect', { host: host.trim(), port: Number(port), database: database.trim(), username: username.trim(), tls, ...(password ? { password } : {}) });
    setPassword('');
    setStatus(s);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void connect.run();
  };
  const fields = fieldErrors(connect.error);
  const line = status ? stateLine(status) : null;
  return (
    <section className="panel" aria-labelledby="shop-h">
      <h2 id="shop-h">Shop server</h2>
      {error ? <Alert tone="danger">{error}</Alert> : null}
      {!status && !error ? <Spinner label="Loading the shop server link…" /> : null}
      {status && line ? (
        <div className="shop-status" role="status" aria-live="polite">
          <span className={`badge badge-${line.tone}`} data-state={status.state}>
            {line.label}
          </span>{' '}
          <span>{line.detail}</span>
          {status.conflicts > 0 ? <p className="field-hint">{status.conflicts} version{status.conflicts === 1 ? '' : 's'} of this desk were not taken by the server; they are kept in this desk&rsquo;s ledger.</p> : null}
          {status.lastError && status.state === 'unreachable' ? <p className="field-hint">Last error: {status.lastError}</p> : null}
        </div>
      ) : null}
      {status && status.stations.length > 0 ? (
        <table className="table" aria-label="Stations of the shop">
          <thead>
            <tr>
              <th scope="col">Station</th>
              <th scope="col">Last seen</th>
            </tr>
          </thead>
          <tbody>
            {status.stations.map((s) => (
              <tr key={s.id}>
                <td className="ellipsis" title={s.id}>
                  {s.name}
                  {s.thisStation ? ' (this desk)' : ''}
                </td>
                <td>{fmtDateTime(s.lastSeenAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <form onSubmit={submit} className="shop-connect" aria-labelledby="shop-connect-h">
        <h3 id="shop-connect-h">{status?.server ? 'Change the connection' : 'Connect to the shop server'}</h3>
        <div className="grid-2">
          <Field label="Server (host name or IP)" error={fields.host}>
            <input className="input" value={host} onChange={(e) => setHost(e.target.value)} maxLength={253} autoComplete="off" spellCheck={false} />
          </Field>
          <Field label="Port" error={fields.port}>
            <input className="input num" inputMode="numeric" value={port} onChange={(e) => setPort(e.target.value)} />
          </Field>
          <Field label="Database" error={fields.database}>
            <input className="input" value={database} onChange={(e) => setDatabase(e.target.value)} maxLength={63} autoComplete="off" spellCheck={false} />
          </Field>
          <Field label="User" error={fields.username}>
            <input className="input" value={username} onChange={(e) => setUsername(e.target.value)} maxLength={63} autoComplete="off" spellCheck={false} />
          </Field>
          <Field label="Password" hint={status?.server?.passwordSet ? 'Set; type a new one to change it' : 'Kept in this station’s encrypted ledger'} error={fields.password}>
            <input className="input" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" />
          </Field>
          <Field label="Encryption (TLS)" error={fields.tls}>
            <select className="input" value={tls} onChange={(e) => setTls(e.target.value as Tls)}>
              <option value="verify-full">Verify the server (recommended)</option>
              <option value="require">Encrypt, do not verify</option>
              <option value="disable">None (same machine only)</option>
            </select>
          </Field>
        </div>
        {connect.error && Object.keys(fields).length === 0 ? <Alert tone="danger">{describeError(connect.error)}</Alert> : null}
        <div className="actions">
          <Button type="submit" variant="primary" busy={connect.busy} busyText="Connecting…">
            {status?.server ? 'Connect again' : 'Join the shop'}
          </Button>
        </div>
      </form>
    </section>
  );
}
