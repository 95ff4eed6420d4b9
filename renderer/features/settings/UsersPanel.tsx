import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PIN_MIN } from '../../../shared/contract/limits';
import type { OutputOf } from '../../../shared/contract';
import { call } from '../../lib/api';
import { describeError, fieldErrors } from '../../lib/error-text';
import { useAction } from '../../lib/use-action';
import { Alert, Spinner } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { Field } from '../../ui/Field';
import { FormDialog } from '../../ui/FormDialog';
import { useSession } from '../session/session-store';
import { translateFields } from './field-messages';
import { samePin } from '../../../shared/domain/digits';

type User = OutputOf<'users.list'>[number];
type Role = User['role'];

const ROLES: readonly Role[] = ['clerk', 'supervisor', 'admin'];

/** The three roles as options of a select, in the user's language. */
function RoleOptions() {
  const { t } = useTranslation('people');
  return (
    <>
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {t(`role.${r}`)}
        </option>
      ))}
    </>
  );
}

type Editing = { kind: 'edit' | 'pin' | 'active'; user: User } | null;

export function UsersPanel() {
  const { t } = useTranslation('people');
  const me = useSession((s) => s.user?.id);
  const [users, setUsers] = useState<User[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const returnTo = useRef<HTMLElement | null>(null);
  // A modal <dialog> sits in the top layer, above the lock screen: a lock closes it (and any PIN typed).
  const locked = useSession((s) => s.locked);
  useEffect(() => {
    if (locked) setEditing(null);
  }, [locked]);
  const load = useCallback(() => {
    call('users.list', {}).then(setUsers, (e) => setError(describeError(e)));
  }, []);
  useEffect(load, [load]);

  const open = (kind: 'edit' | 'pin' | 'active', user: User) => {
    returnTo.current = document.activeElement as HTMLElement | null;
    setNotice(null);
    setEditing({ kind, user });
  };
  const close = (message?: string) => {
    setEditing(null);
    if (message) {
      setNotice(message);
      load();
    }
  };
  // The dialog is removed, not closed, so the focus goes back to the button that opened it, once
  // the dialog is gone (while a modal dialog is open the rest of the page cannot take the focus).
  useEffect(() => {
    if (editing || !returnTo.current) return;
    if (returnTo.current.isConnected) returnTo.current.focus();
    returnTo.current = null;
  }, [editing]);

  return (
    <section className="panel" aria-labelledby="users-h">
      <h2 id="users-h">{t('heading')}</h2>
      {error ? <Alert tone="danger">{error}</Alert> : null}
      {!users && !error ? <Spinner label={t('loading')} /> : null}
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {users ? (
        <table className="table users-table">
          <thead>
            <tr>
              <th scope="col">{t('table.name')}</th>
              <th scope="col">{t('table.role')}</th>
              <th scope="col">{t('table.status')}</th>
              <th scope="col">
                <span className="sr-only">{t('table.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} className={u.active ? undefined : 'row-inactive'}>
                <td className="ellipsis" title={u.name}>
                  <bdi>{u.name}</bdi>
                  {u.id === me ? <span className="muted"> {t('table.you')}</span> : null}
                </td>
                <td>{t(`role.${u.role}`)}</td>
                <td>{u.active ? t('table.active') : t('table.deactivated')}</td>
                <td className="user-actions">
                  <Button size="sm" variant="ghost" aria-label={t('action.editUser', { name: u.name })} onClick={() => open('edit', u)}>
                    {t('action.edit')}
                  </Button>
                  {u.id !== me ? (
                    <Button size="sm" variant="ghost" aria-label={t('action.newPinFor', { name: u.name })} onClick={() => open('pin', u)}>
                      {t('action.newPin')}
                    </Button>
                  ) : null}
                  <Button size="sm" variant="ghost" aria-label={u.active ? t('action.deactivateUser', { name: u.name }) : t('action.reactivateUser', { name: u.name })} onClick={() => open('active', u)}>
                    {u.active ? t('action.deactivate') : t('action.reactivate')}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {!locked && editing?.kind === 'edit' ? <EditUserDialog user={editing.user} onClose={close} /> : null}
      {!locked && editing?.kind === 'pin' ? <ResetPinDialog user={editing.user} onClose={close} /> : null}
      {!locked && editing?.kind === 'active' ? <ActiveDialog user={editing.user} self={editing.user.id === me} onClose={close} /> : null}
      <AddUserForm onAdded={load} />
    </section>
  );
}

function EditUserDialog({ user, onClose }: { user: User; onClose: (message?: string) => void }) {
  const { t } = useTranslation('people');
  const [name, setName] = useState(user.name);
  const [role, setRole] = useState<Role>(user.role);
  const save = useAction(async () => {
    const u = await call('users.update', { id: user.id, name: name.trim(), role });
    onClose(t('edit.saved', { name: u.name, role: t(`role.${u.role}`) }));
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void save.run();
  };
  const fields = translateFields(fieldErrors(save.error), t);
  return (
    <FormDialog labelledBy="edit-user-title" onCancel={() => onClose()} onSubmitShortcut={() => void save.run()}>
      <h2 id="edit-user-title" className="dialog-title">
        {t('edit.title', { name: user.name })}
      </h2>
      <form onSubmit={onSubmit} noValidate>
        <Field label={t('edit.name')} error={fields.name}>
          <input className="input" dir="auto" value={name} onChange={(e) => setName(e.target.value)} maxLength={80} autoComplete="off" autoFocus />
        </Field>
        <Field label={t('edit.role')} hint={t('roleHint')}>
          <select className="input" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            <RoleOptions />
          </select>
        </Field>
        {save.error && Object.keys(fields).length === 0 ? <Alert tone="danger">{describeError(save.error)}</Alert> : null}
        <div className="dialog-actions">
          <Button onClick={() => onClose()} shortcut="Esc">
            {t('cancel')}
          </Button>
          <Button type="submit" variant="primary" busy={save.busy} busyText={t('saving')} shortcut="Ctrl+Enter">
            {t('save')}
          </Button>
        </div>
      </form>
    </FormDialog>
  );
}

/** An admin sets a new PIN for someone who forgot theirs (it also lifts a lockout). */
function ResetPinDialog({ user, onClose }: { user: User; onClose: (message?: string) => void }) {
  const { t } = useTranslation('people');
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const save = useAction(async () => {
    await call('users.update', { id: user.id, pin });
    onClose(t('pin.done', { name: user.name }));
  });
  const submit = () => {
    setMismatch(!samePin(pin, again));
    if (samePin(pin, again)) void save.run();
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit();
  };
  const fields = translateFields(fieldErrors(save.error), t);
  return (
    <FormDialog labelledBy="reset-pin-title" onCancel={() => onClose()} onSubmitShortcut={submit}>
      <h2 id="reset-pin-title" className="dialog-title">
        {t('pin.title', { name: user.name })}
      </h2>
      <p className="dialog-body">{t('pin.body')}</p>
      <form onSubmit={onSubmit} noValidate>
        <Field label={t('pin.newPin', { n: PIN_MIN })} error={fields.pin}>
          <input className="input" type="password" inputMode="numeric" autoComplete="new-password" value={pin} onChange={(e) => setPin(e.target.value)} autoFocus />
        </Field>
        <Field label={t('pin.again')} error={mismatch ? t('pin.differ') : undefined}>
          <input className="input" type="password" inputMode="numeric" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} />
        </Field>
        {save.error && Object.keys(fields).length === 0 ? <Alert tone="danger">{describeError(save.error)}</Alert> : null}
        <div className="dialog-actions">
          <Button onClick={() => onClose()} shortcut="Esc">
            {t('cancel')}
          </Button>
          <Button type="submit" variant="primary" busy={save.busy} busyText={t('saving')} shortcut="Ctrl+Enter">
            {t('pin.submit')}
          </Button>
        </div>
      </form>
    </FormDialog>
  );
}

function ActiveDialog({ user, self, onClose }: { user: User; self: boolean; onClose: (message?: string) => void }) {
  const { t } = useTranslation('people');
  const deactivate = user.active;
  const save = useAction(async () => {
    await call('users.update', { id: user.id, active: !deactivate });
    if (deactivate && self) return; // signed out at once: the sign-in screen follows
    onClose(deactivate ? t('active.deactivated', { name: user.name }) : t('active.reactivated', { name: user.name }));
  });
  return (
    <ConfirmDialog
      title={deactivate ? t('active.deactivateTitle', { name: user.name }) : t('active.reactivateTitle', { name: user.name })}
      confirmLabel={deactivate ? t('action.deactivate') : t('action.reactivate')}
      tone={deactivate ? 'danger' : 'primary'}
      busy={save.busy}
      onConfirm={() => void save.run()}
      onCancel={() => onClose()}
    >
      <p>
        {deactivate ? (self ? t('active.deactivateSelf') : t('active.deactivateOther')) : t('active.reactivateBody')}
      </p>
      {save.error ? <Alert tone="danger">{describeError(save.error)}</Alert> : null}
    </ConfirmDialog>
  );
}

function AddUserForm({ onAdded }: { onAdded: () => void }) {
  const { t } = useTranslation('people');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('clerk');
  const [pin, setPin] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const create = useAction(async () => {
    const u = await call('users.create', { name: name.trim(), role, pin });
    setCreated(t('add.created', { name: u.name }));
    setName('');
    setPin('');
    onAdded();
    // Ready for the next person: the emptied PIN field is no place to leave the caret.
    nameRef.current?.focus();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setCreated(null);
    void create.run();
  };
  const fields = translateFields(fieldErrors(create.error), t);
  return (
    <form onSubmit={submit} className="add-user" aria-labelledby="add-user-h">
      <h3 id="add-user-h">{t('add.heading')}</h3>
      <div className="grid-3">
        <Field label={t('add.name')} error={fields.name}>
          <input ref={nameRef} className="input" dir="auto" value={name} onChange={(e) => setName(e.target.value)} maxLength={80} autoComplete="off" />
        </Field>
        <Field label={t('add.role')}>
          <select className="input" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            <RoleOptions />
          </select>
        </Field>
        <Field label={t('add.pin', { n: PIN_MIN })} error={fields.pin}>
          <input className="input" type="password" inputMode="numeric" autoComplete="new-password" value={pin} onChange={(e) => setPin(e.target.value)} />
        </Field>
      </div>
      {create.error && Object.keys(fields).length === 0 ? <Alert tone="danger">{describeError(create.error)}</Alert> : null}
      {created ? <Alert tone="success">{created}</Alert> : null}
      <Button type="submit" busy={create.busy} busyText={t('add.adding')}>
        {t('add.submit')}
      </Button>
    </form>
  );
}
