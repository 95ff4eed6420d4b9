import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_PRINTER_PORT } from '../../../shared/contract/limits';
import { DEVICE_PATH, type OutputOf, type PaperWidth, type PrinterConfig, type PrinterConnection, type PrintOutcome } from '../../../shared/contract';
import { call } from '../../lib/api';
import { technicalDetail } from '../../lib/core-text';
import { describeError, fieldErrors } from '../../lib/error-text';
import { fmtDateTime } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { Alert, Spinner } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Field } from '../../ui/Field';
import { outcomeText } from './print-text';

type State = OutputOf<'printing.state'>;
interface Form {
  enabled: boolean;
  connection: PrinterConnection;
  device: string;
  host: string;
  port: string;
  width: PaperWidth;
  drawer: boolean;
  autoPrint: boolean;
}

const HOST = /^[A-Za-z0-9.\-:[\]]*$/;

function toForm(c: PrinterConfig): Form {
  return { enabled: c.enabled, connection: c.connection, device: c.device, host: c.host, port: String(c.port), width: c.width, drawer: c.drawer, autoPrint: c.autoPrint };
}

/**
 * This desk's receipt printer (issue #20, docs/printing.md): address, paper width, drawer,
 * auto-print; Test print tries the values as typed; Open drawer is an admin's, audited.
 */
/** The usual Linux device of a USB receipt printer (a path, never localised digits). */
const USB_EXAMPLE = '/dev/usb/lp0';

export function PrinterPanel() {
  const { t } = useTranslation('printing');
  const [state, setState] = useState<State | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [form, setForm] = useState<Form | null>(null);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const [result, setResult] = useState<{ kind: 'test' | 'drawer'; outcome: PrintOutcome } | null>(null);

  useEffect(() => {
    call('printing.state', {}).then(
      (s) => {
        setState(s);
        setForm(toForm(s.config));
      },
      (e: unknown) => setLoadError(describeError(e)),
    );
  }, []);

  /** The form as a config, or the fields' problems in the user's language. */
  const parse = (f: Form): PrinterConfig | null => {
    const p: Record<string, string> = {};
    const host = f.host.trim();
    const device = f.device.trim();
    const port = Number(f.port);
    const usb = f.connection === 'usb';
    if (!HOST.test(host) || (f.enabled && !usb && !host)) p.host = t('field.host');
    if ((device && !DEVICE_PATH.test(device)) || (f.enabled && usb && !device)) p.device = t('field.device', { example: USB_EXAMPLE });
    if (!Number.isInteger(port) || port < 1 || port > 65535) p.port = t('field.port', { min: 1, max: 65535 });
    setProblems(p);
    return Object.keys(p).length ? null : { enabled: f.enabled, connection: f.connection, device, host, port, width: f.width, drawer: f.drawer, autoPrint: f.autoPrint };
  };
  /** The core's field errors, by field: the screen has its own sentence for each. */
  const serverProblems = (e: unknown) => {
    const fields = fieldErrors(e);
    const p: Record<string, string> = {};
    if (fields.host) p.host = t('field.host');
    if (fields.port) p.port = t('field.port', { min: 1, max: 65535 });
    if (fields.device) p.device = t('field.device', { example: USB_EXAMPLE });
    setProblems(p);
  };

  const save = useAction(async () => {
    if (!form) return;
    const config = parse(form);
    if (!config) return;
    try {
      const s = await call('printing.configure', config);
      setState(s);
      setForm(toForm(s.config));
      setSaved(true);
    } catch (e) {
      serverProblems(e);
      throw e;
    }
  });
  const test = useAction(async () => {
    if (!form) return;
    const config = parse(form);
    if (!config) return;
    setResult({ kind: 'test', outcome: await call('printing.test', { ...config, enabled: true }) });
  });
  const drawer = useAction(async () => {
    setResult({ kind: 'drawer', outcome: await call('printing.openDrawer', {}) });
  });

  const set = <K extends keyof Form>(k: K) => (v: Form[K]) => {
    setSaved(false);
    setForm((f) => (f ? { ...f, [k]: v } : f));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save.run();
  };
  const error = save.error ?? test.error ?? drawer.error;

  return (
    <section className="panel" aria-labelledby="printer-h" data-testid="printer-panel">
      <h2 id="printer-h">{t('panel.title')}</h2>
      <p className="field-hint">{t('panel.intro', { port: DEFAULT_PRINTER_PORT, example: USB_EXAMPLE })}</p>
      {loadError ? <Alert tone="danger">{loadError}</Alert> : null}
      {!form && !loadError ? <Spinner label={t('preview.loading')} /> : null}
      {form ? (
        <form onSubmit={submit} noValidate>
          <label className="check">
            <input type="checkbox" checked={form.enabled} onChange={(e) => set('enabled')(e.target.checked)} />
            {t('panel.enabled')}
          </label>
          <div className="grid-2">
            <Field label={t('panel.connection')}>
              <select className="input" value={form.connection} onChange={(e) => set('connection')(e.target.value as PrinterConnection)}>
                <option value="network">{t('panel.connectionNetwork', { port: DEFAULT_PRINTER_PORT })}</option>
                <option value="usb">{t('panel.connectionUsb')}</option>
              </select>
            </Field>
            {form.connection === 'usb' ? (
              <Field label={t('panel.device')} hint={t('panel.deviceHint', { example: USB_EXAMPLE })} error={problems.device}>
                <input className="input" dir="ltr" value={form.device} onChange={(e) => set('device')(e.target.value)} maxLength={130} autoComplete="off" spellCheck={false} placeholder={t('panel.devicePlaceholder', { example: USB_EXAMPLE })} />
              </Field>
            ) : (
              <>
                <Field label={t('panel.host')} error={problems.host}>
                  <input className="input" dir="ltr" value={form.host} onChange={(e) => set('host')(e.target.value)} maxLength={253} autoComplete="off" spellCheck={false} />
                </Field>
                <Field label={t('panel.port')} error={problems.port}>
                  <input className="input num" inputMode="numeric" value={form.port} onChange={(e) => set('port')(e.target.value)} />
                </Field>
              </>
            )}
            <Field label={t('panel.width')}>
              <select className="input" value={form.width} onChange={(e) => set('width')(e.target.value as PaperWidth)}>
                <option value="80mm">{t('panel.width80', { mm: 80, chars: 48 })}</option>
                <option value="58mm">{t('panel.width58', { mm: 58, chars: 32 })}</option>
              </select>
            </Field>
          </div>
          <label className="check">
            <input type="checkbox" checked={form.drawer} onChange={(e) => set('drawer')(e.target.checked)} />
            {t('panel.drawer')}
          </label>
          <label className="check">
            <input type="checkbox" checked={form.autoPrint} onChange={(e) => set('autoPrint')(e.target.checked)} />
            {t('panel.autoPrint')}
          </label>
          <p className="field-hint">{t('panel.arabicNote')}</p>
          {error && !Object.keys(problems).length ? <Alert tone="danger">{describeError(error)}</Alert> : null}
          {saved ? <p role="status" data-testid="printer-saved">{t('panel.saved')}</p> : null}
          {result ? (
            <div role="status" data-testid="printer-result" data-status={result.outcome.status} data-problem={result.outcome.problem ?? ''}>
              {result.outcome.status === 'failed' ? (
                <Alert tone="warning">
                  {outcomeText(result.outcome)}
                  {result.outcome.detail ? <span className="field-hint"> {technicalDetail(result.outcome.detail)}</span> : null}
                </Alert>
              ) : (
                <Alert tone="success">{result.kind === 'test' ? t('panel.testOk') : t('panel.drawerOpened')}</Alert>
              )}
            </div>
          ) : null}
          {state?.last ? <p className="field-hint">{t('panel.last', { when: fmtDateTime(state.last.at), what: outcomeText(state.last) })}</p> : null}
          <div className="actions">
            <Button type="submit" variant="primary" busy={save.busy} busyText={t('panel.saving')}>
              {t('panel.save')}
            </Button>
            <Button onClick={() => void test.run()} busy={test.busy} busyText={t('panel.testing')}>
              {t('panel.test')}
            </Button>
            {state?.config.enabled && state.config.drawer ? (
              <Button variant="ghost" onClick={() => void drawer.run()} busy={drawer.busy} busyText={t('panel.opening')}>
                {t('panel.openDrawer')}
              </Button>
            ) : null}
          </div>
        </form>
      ) : null}
    </section>
  );
}
