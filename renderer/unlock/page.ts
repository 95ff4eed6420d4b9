import { PASSPHRASE_MIN_LENGTH } from '../../shared/unlock/api';
import type { UnlockApi, UnlockEnvelope, UnlockError, UnlockMode, UnlockReason, UnlockState } from '../../shared/unlock/api';
import type { Translate } from './text';

/**
 * The unlock page's behaviour, plain DOM (no React: the page is a form and a few messages, and
 * stays a few kilobytes). Keyboard-first: the passphrase field has focus, Enter submits, Escape
 * does nothing. The passphrase is read from the field when submitted, handed to window.unlock and
 * the fields are emptied right after: it is kept in no variable, no storage, no history.
 */

/** Catalogue keys of the sentence saying why a passphrase is needed. */
const WHY: Record<UnlockReason, string> = {
  'insecure-backend': 'why.insecureBackend',
  'not-available': 'why.notAvailable',
  'stored-with-passphrase': 'why.storedWithPassphrase',
};

/**
 * The sentence for an error main returned, from the catalogue: main's own English (the message)
 * is not shown, the code (and the delay) pick the words.
 */
export function errorMessage(error: UnlockError, mode: UnlockMode, t: Translate): string {
  const min = PASSPHRASE_MIN_LENGTH;
  const seconds = Math.ceil((error.retryAfterMs ?? 0) / 1000);
  switch (error.code) {
    case 'WRONG_PASSPHRASE':
      return `${t('unlock:error.wrong')} ${seconds > 0 ? t('unlock:error.waitBefore', { count: seconds }) : t('unlock:error.checkCaps')}`;
    case 'TOO_SOON':
      return t('unlock:error.tooSoon', { count: seconds });
    case 'MISMATCH':
      return t('unlock:error.mismatch');
    case 'VALIDATION':
      if (error.message === 'Type the passphrase twice.') return t('unlock:error.typeTwice');
      if (error.message === 'Type the passphrase.') return t('unlock:error.typePassphrase');
      return mode === 'create' ? t('unlock:error.chooseAtLeast', { min }) : t('unlock:error.hasAtLeast', { min });
    case 'BUSY':
      return t('unlock:error.busy');
    case 'DONE':
      return t('unlock:error.done');
    case 'WRONG_MODE':
      return mode === 'create' ? t('unlock:error.noLedgerYet') : t('unlock:error.ledgerExists');
    case 'BAD_SENDER':
      return t('unlock:error.badSender');
    default:
      return error.message === 'Something went wrong in the app. Try again.' ? t('unlock:error.internal') : t('unlock:error.checkFailed');
  }
}

export interface UnlockPageOptions {
  /** The page's words in the station's language (text.ts loadUnlockText). */
  t: Translate;
  now?: () => number;
  /** For tests: how the countdown ticks. */
  setInterval?: (fn: () => void, ms: number) => number;
  clearInterval?: (id: number) => void;
}

function el<T extends HTMLElement>(doc: Document, id: string): T {
  const found = doc.getElementById(id);
  if (!found) throw new Error(`unlock.html lacks #${id}`);
  return found as T;
}

export function startUnlockPage(doc: Document, api: UnlockApi | undefined, opts: UnlockPageOptions): void {
  const { t } = opts;
  const now = opts.now ?? (() => Date.now());
  const every = opts.setInterval ?? ((fn, ms) => window.setInterval(fn, ms));
  const stopEvery = opts.clearInterval ?? ((id) => window.clearInterval(id));

  const form = el<HTMLFormElement>(doc, 'unlock-form');
  const title = el(doc, 'unlock-title');
  const why = el(doc, 'unlock-why');
  const loading = el(doc, 'unlock-loading');
  const warning = el(doc, 'unlock-warning');
  const fields = el(doc, 'unlock-fields');
  const passphrase = el<HTMLInputElement>(doc, 'passphrase');
  const passphraseLabel = el(doc, 'passphrase-label');
  const passphraseHint = el(doc, 'passphrase-hint');
  const passphraseError = el(doc, 'passphrase-error');
  const confirmField = el(doc, 'confirm-field');
  const confirm = el<HTMLInputElement>(doc, 'confirm');
  const confirmError = el(doc, 'confirm-error');
  const caps = el(doc, 'caps-lock');
  const alertBox = el(doc, 'unlock-alert');
  const submit = el<HTMLButtonElement>(doc, 'unlock-submit');
  const submitLabel = el(doc, 'unlock-submit-label');
  const submitSpinner = submit.querySelector<HTMLElement>('.spinner');
  const submitKbd = submit.querySelector<HTMLElement>('.kbd-group');
  const done = el(doc, 'unlock-done');

  // The words unlock.html holds before the catalogue is there.
  el(doc, 'unlock-brand-name').textContent = t('unlock:brand');
  el(doc, 'unlock-loading-text').textContent = t('unlock:loading');
  el(doc, 'confirm-label').textContent = t('unlock:confirmLabel');
  caps.textContent = t('unlock:capsLock');
  for (const kbd of submit.querySelectorAll('kbd')) kbd.textContent = t('unlock:enterKey');
  title.textContent = t('unlock:unlock.title');
  doc.title = t('unlock:docTitle', { title: t('unlock:unlock.title') });

  let mode: UnlockMode = 'unlock';
  let busy = false;
  let waitUntil = 0;
  let ticker: number | null = null;

  const showAlert = (message: string | null) => {
    alertBox.hidden = message === null;
    el(doc, 'unlock-alert-text').textContent = message ?? '';
  };

  const setFieldError = (which: 'passphrase' | 'confirm', message: string | null) => {
    const input = which === 'passphrase' ? passphrase : confirm;
    const box = which === 'passphrase' ? passphraseError : confirmError;
    box.textContent = message ?? '';
    box.hidden = message === null;
    // Like the app's Field: the message takes the hint's place.
    if (which === 'passphrase') passphraseHint.hidden = message !== null;
    if (message === null) input.removeAttribute('aria-invalid');
    else input.setAttribute('aria-invalid', 'true');
  };

  const clearErrors = () => {
    setFieldError('passphrase', null);
    setFieldError('confirm', null);
    showAlert(null);
  };

  /** Empties both fields: called after every submission, whatever its outcome. */
  const wipeFields = () => {
    passphrase.value = '';
    confirm.value = '';
  };

  const renderButton = () => {
    const wait = Math.max(0, waitUntil - now());
    submit.disabled = busy || wait > 0;
    submit.setAttribute('aria-busy', busy ? 'true' : 'false');
    if (submitSpinner) submitSpinner.hidden = !busy;
    if (submitKbd) submitKbd.hidden = busy || wait > 0;
    submitLabel.textContent = busy ? t(`unlock:${mode}.busy`) : wait > 0 ? t('unlock:waitButton', { count: Math.ceil(wait / 1000) }) : t(`unlock:${mode}.submit`);
    if (wait <= 0 && ticker !== null) {
      stopEvery(ticker);
      ticker = null;
    }
  };

  const startWait = (ms: number) => {
    if (ms <= 0) return;
    waitUntil = now() + ms;
    if (ticker === null) ticker = every(renderButton, 250);
    renderButton();
  };

  const setBusy = (value: boolean) => {
    busy = value;
    passphrase.readOnly = value;
    confirm.readOnly = value;
    form.setAttribute('aria-busy', value ? 'true' : 'false');
    renderButton();
  };

  const showError = (error: UnlockError, message = errorMessage(error, mode, t)) => {
    if (error.field) setFieldError(error.field, message);
    else showAlert(message);
    if (error.retryAfterMs) startWait(error.retryAfterMs);
    // Mismatch: start again from the first field; otherwise the field the message is about.
    (error.field === 'confirm' && error.code !== 'MISMATCH' ? confirm : passphrase).focus();
  };

  const showDone = () => {
    fields.hidden = true;
    warning.hidden = true;
    submit.hidden = true;
    el(doc, 'unlock-done-text').textContent = t(`unlock:${mode}.done`);
    done.hidden = false;
  };

  const render = (state: UnlockState) => {
    mode = state.mode;
    const heading = t(`unlock:${mode}.title`);
    doc.title = t('unlock:docTitle', { title: heading });
    title.textContent = heading;
    why.textContent = t(`unlock:${WHY[state.reason]}`);
    passphraseLabel.textContent = t(`unlock:${mode}.label`, { min: PASSPHRASE_MIN_LENGTH });
    passphraseHint.textContent = t(`unlock:${mode}.hint`);
    confirmField.hidden = mode !== 'create';
    warning.hidden = mode !== 'create';
    el(doc, 'unlock-warning-text').textContent = t('unlock:warning');
    loading.hidden = true;
    fields.hidden = false;
    submit.hidden = false;
    renderButton();
    startWait(state.retryAfterMs);
    passphrase.focus();
  };

  const onCapsLock = (event: KeyboardEvent | MouseEvent) => {
    if (typeof event.getModifierState === 'function') caps.hidden = !event.getModifierState('CapsLock');
  };
  passphrase.addEventListener('keydown', onCapsLock);
  passphrase.addEventListener('keyup', onCapsLock);
  confirm.addEventListener('keydown', onCapsLock);
  confirm.addEventListener('keyup', onCapsLock);

  form.addEventListener('submit', (event) => {
    // Never a real submission (the CSP's form-action 'none' would refuse it anyway).
    event.preventDefault();
    if (!api || busy || submit.hidden || waitUntil > now()) return;
    clearErrors();
    // Checked here for a quick answer; main checks all of it again.
    if (passphrase.value.length === 0) {
      showError({ code: 'VALIDATION', message: 'Type the passphrase.', field: 'passphrase' }, t('unlock:error.typePassphrase'));
      return;
    }
    if (passphrase.value.length < PASSPHRASE_MIN_LENGTH) {
      wipeFields();
      const min = PASSPHRASE_MIN_LENGTH;
      showError({ code: 'VALIDATION', message: 'too short', field: 'passphrase' }, mode === 'create' ? t('unlock:error.chooseAtLeast', { min }) : t('unlock:error.hasAtLeast', { min }));
      return;
    }
    if (mode === 'create' && passphrase.value !== confirm.value) {
      wipeFields();
      showError({ code: 'MISMATCH', message: 'The two passphrases differ. Type them again.', field: 'confirm' }, t('unlock:error.mismatch'));
      return;
    }
    const pending: Promise<UnlockEnvelope> = mode === 'create' ? api.create(passphrase.value, confirm.value) : api.unlock(passphrase.value);
    wipeFields();
    setBusy(true);
    pending
      .then(
        (result) => {
          setBusy(false);
          if (result.ok) showDone();
          else showError(result.error);
        },
        () => {
          setBusy(false);
          showError({ code: 'INTERNAL', message: 'no answer' }, t('unlock:error.noAnswer'));
        },
      )
      .catch(() => undefined);
  });

  if (!api) {
    loading.hidden = true;
    showAlert(t('unlock:noApi'));
    return;
  }
  api.state().then(
    (result) => {
      if (result.ok) render(result.value);
      else {
        loading.hidden = true;
        showAlert(errorMessage(result.error, mode, t));
      }
    },
    () => {
      loading.hidden = true;
      showAlert(t('unlock:error.noAnswerRestart'));
    },
  );
}
