import { PASSPHRASE_MIN_LENGTH } from '../../shared/unlock/api';
import type { UnlockApi, UnlockEnvelope, UnlockError, UnlockMode, UnlockReason, UnlockState } from '../../shared/unlock/api';

/**
 * The unlock page's behaviour, plain DOM (no React: the page is a form and a few messages, and
 * stays a few kilobytes). Keyboard-first: the passphrase field has focus, Enter submits, Escape
 * does nothing. The passphrase is read from the field when submitted, handed to window.unlock and
 * the fields are emptied right after: it is kept in no variable, no storage, no history.
 */

const WHY: Record<UnlockReason, string> = {
  'insecure-backend':
    "This computer has no system keyring (such as GNOME Keyring or KWallet) to keep the key of the point of sale's encrypted ledger, so the app asks you to protect it with a passphrase instead.",
  'not-available':
    "This computer's secure storage is not available, so the app asks you to protect the key of its encrypted ledger with a passphrase instead.",
  'stored-with-passphrase':
    "This station's ledger is protected by a passphrase because the computer had no system keyring when it was set up. Enter that passphrase to open the point of sale.",
};

const TEXT: Record<UnlockMode, { title: string; label: string; hint: string; submit: string; busy: string; done: string }> = {
  create: {
    title: "Protect this station's ledger",
    label: `Choose a passphrase (${PASSPHRASE_MIN_LENGTH} or more characters)`,
    hint: 'A few unrelated words are easy to type and hard to guess.',
    submit: 'Create the ledger',
    busy: 'Creating…',
    done: 'Passphrase set. Creating the ledger and opening the point of sale…',
  },
  unlock: {
    title: 'Unlock the ledger',
    label: 'Passphrase',
    hint: 'It never leaves this computer.',
    submit: 'Unlock',
    busy: 'Checking…',
    done: 'Unlocked. Opening the point of sale…',
  },
};

const WARNING =
  'It is asked at every start. Keep it safe, away from this computer: nobody can recover a forgotten passphrase, and without it the ledger cannot be opened.';

const NO_API = 'This page only works inside the MOTO Point of Sale app.';

export interface UnlockPageOptions {
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

export function startUnlockPage(doc: Document, api: UnlockApi | undefined, opts: UnlockPageOptions = {}): void {
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
    const text = TEXT[mode];
    submit.disabled = busy || wait > 0;
    submit.setAttribute('aria-busy', busy ? 'true' : 'false');
    if (submitSpinner) submitSpinner.hidden = !busy;
    if (submitKbd) submitKbd.hidden = busy || wait > 0;
    submitLabel.textContent = busy ? text.busy : wait > 0 ? `Wait ${Math.ceil(wait / 1000)} s` : text.submit;
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

  const showError = (error: UnlockError) => {
    if (error.field) setFieldError(error.field, error.message);
    else showAlert(error.message);
    if (error.retryAfterMs) startWait(error.retryAfterMs);
    // Mismatch: start again from the first field; otherwise the field the message is about.
    (error.field === 'confirm' && error.code !== 'MISMATCH' ? confirm : passphrase).focus();
  };

  const showDone = () => {
    fields.hidden = true;
    warning.hidden = true;
    submit.hidden = true;
    el(doc, 'unlock-done-text').textContent = TEXT[mode].done;
    done.hidden = false;
  };

  const render = (state: UnlockState) => {
    mode = state.mode;
    const text = TEXT[mode];
    doc.title = `${text.title} — MOTO Point of Sale`;
    title.textContent = text.title;
    why.textContent = WHY[state.reason];
    passphraseLabel.textContent = text.label;
    passphraseHint.textContent = text.hint;
    confirmField.hidden = mode !== 'create';
    warning.hidden = mode !== 'create';
    el(doc, 'unlock-warning-text').textContent = WARNING;
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
      showError({ code: 'VALIDATION', message: 'Type the passphrase.', field: 'passphrase' });
      return;
    }
    if (passphrase.value.length < PASSPHRASE_MIN_LENGTH) {
      const message = mode === 'create' ? `Choose at least ${PASSPHRASE_MIN_LENGTH} characters.` : `The passphrase has at least ${PASSPHRASE_MIN_LENGTH} characters.`;
      wipeFields();
      showError({ code: 'VALIDATION', message, field: 'passphrase' });
      return;
    }
    if (mode === 'create' && passphrase.value !== confirm.value) {
      wipeFields();
      showError({ code: 'MISMATCH', message: 'The two passphrases differ. Type them again.', field: 'confirm' });
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
          showError({ code: 'INTERNAL', message: 'The app did not answer. Try again; if it keeps failing, restart the app.' });
        },
      )
      .catch(() => undefined);
  });

  if (!api) {
    loading.hidden = true;
    showAlert(NO_API);
    return;
  }
  api.state().then(
    (result) => {
      if (result.ok) render(result.value);
      else {
        loading.hidden = true;
        showAlert(result.error.message);
      }
    },
    () => {
      loading.hidden = true;
      showAlert('The app did not answer. Restart it.');
    },
  );
}
