import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScannerSettingsT } from '../../../shared/contract';
import { DEFAULT_SCANNER } from '../../../shared/contract/constants';
import { describeError } from '../../lib/error-text';
import { useAction } from '../../lib/use-action';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Field } from '../../ui/Field';
import { useSettings } from '../settings/settings-store';

const SUFFIXES: ScannerSettingsT['suffix'][] = ['Enter', 'Tab', 'none'];

/** This station's keyboard-wedge scanner (station settings, like the printer: each desk has its own device). */
export function ScannerSettingsPanel() {
  const { t } = useTranslation('catalog');
  const current = useSettings((s) => s.settings?.scanner ?? DEFAULT_SCANNER);
  const update = useSettings((s) => s.update);
  const [form, setForm] = useState({ enabled: current.enabled, gap: String(current.maxKeyGapMs), min: String(current.minLength), suffix: current.suffix });
  const [saved, setSaved] = useState(false);
  const save = useAction(async () => {
    setSaved(false);
    await update({ scanner: { enabled: form.enabled, maxKeyGapMs: Number(form.gap), minLength: Number(form.min), suffix: form.suffix } });
    setSaved(true);
  });
  return (
    <section className="panel" aria-labelledby="scanner-settings-h">
      <h2 id="scanner-settings-h">{t('scanner.title')}</h2>
      <p className="muted small">{t('scanner.help')}</p>
      <label className="check">
        <input type="checkbox" checked={form.enabled} onChange={(e) => setForm({ ...form, enabled: e.target.checked })} />
        {t('scanner.enabled')}
      </label>
      <Field label={t('scanner.maxKeyGap')}>
        <input className="input num" inputMode="numeric" value={form.gap} onChange={(e) => setForm({ ...form, gap: e.target.value })} autoComplete="off" />
      </Field>
      <Field label={t('scanner.minLength')}>
        <input className="input num" inputMode="numeric" value={form.min} onChange={(e) => setForm({ ...form, min: e.target.value })} autoComplete="off" />
      </Field>
      <Field label={t('scanner.suffix')}>
        <select className="input" value={form.suffix} onChange={(e) => setForm({ ...form, suffix: e.target.value as ScannerSettingsT['suffix'] })}>
          {SUFFIXES.map((s) => (
            <option key={s} value={s}>
              {t(`scanner.suffixes.${s}`)}
            </option>
          ))}
        </select>
      </Field>
      {save.error ? <Alert tone="danger">{describeError(save.error)}</Alert> : null}
      {saved ? <div role="status" className="muted small">{t('scanner.saved')}</div> : null}
      <Button onClick={() => void save.run()} busy={save.busy}>
        {t('scanner.save')}
      </Button>
    </section>
  );
}
