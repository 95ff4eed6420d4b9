import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
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

type User = OutputOf<'users.list'>[number];
type Role = User['role'];

const ROLE_LABEL: Record<Role, string> = { clerk: 'Clerk', supervisor: 'Supervisor', admin: 'Admin' };
const ROLE_HINT = 'Clerk: orders, customers, payments. Supervisor: also approves refunds and reads the audit log. Admin: also settings and people.';

type Editing = { kind: 'edit' | 'pin' | 'active'; user: User } | null;

export function UsersPanel() {
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
      <h2 id="users-h">People</h2>
      {error ? <Alert tone="danger">{error}</Alert> : null}
      {!users && !error ? <Spinner label="Loading people…" /> : null}
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {users ? (
        <table className="table users-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} className={u.active ? undefined : 'row-inactive'}>
                <td className="ellipsis" title={u.name}>
                  {u.name}
                  {u.id === me ? <span className="muted"> (you)</span> : null}
                </td>
                <td>{ROLE_LABEL[u.role]}</td>
                <td>{u.active ? 'Active' : 'Deactivated'}</td>
                <td className="user-actions">
                  <Button size="sm" variant="ghost" aria-label={`Edit ${u.name}`} onClick={() => open('edit', u)}>
                    Edit
                  </Button>
                  {u.id !== me ? (
                    <Button size="sm" variant="ghost" aria-label={`Set a new PIN for ${u.name}`} onClick={() => open('pin', u)}>
                      New PIN
                    </Button>
                  ) : null}
                  <Button size="sm" variant="ghost" aria-label={`${u.active ? 'Deactivate' : 'Reactivate'} ${u.name}`} onClick={() => open('active', u)}>
                    {u.active ? 'Deactivate' : 'Reactivate'}
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
  const [name, setName] = useState(user.name);
  const [role, setRole] = useState<Role>(user.role);
  const save = useAction(async () => {
    const u = await call('users.update', { id: user.id, name: name.trim(), role });
    onClose(`${u.name} saved: ${ROLE_LABEL[u.role]}.`);
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void save.run();
  };
  const fields = fieldErrors(save.error);
  return (
    <FormDialog labelledBy="edit-user-title" onCancel={() => onClose()} onSubmitShortcut={() => void save.run()}>
      <h2 id="edit-user-title" className="dialog-title">
        Edit {user.name}
      </h2>
      <form onSubmit={onSubmit} noValidate>
        <Field label="Name" error={fields.name}>
          <input className="input" dir="auto" value={name} onChange={(e) => setName(e.target.value)} maxLength={80} autoComplete="off" autoFocus />
        </Field>
        <Field label="Role" hint={ROLE_HINT}>
          <select className="input" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            <option value="clerk">Clerk</option>
            <option value="supervisor">Supervisor</option>
            <option value="admin">Admin</option>
          </select>
        </Field>
        {save.error && Object.keys(fields).length === 0 ? <Alert tone="danger">{describeError(save.error)}</Alert> : null}
        <div className="dialog-actions">
          <Button onClick={() => onClose()} shortcut="Esc">
            Cancel
          </Button>
          <Button type="submit" variant="primary" busy={save.busy} busyText="Saving…" shortcut="Ctrl+Enter">
            Save
          </Button>
        </div>
      </form>
    </FormDialog>
  );
}

/** An admin sets a new PIN for someone who forgot theirs (it also lifts a lockout). */
function ResetPinDialog({ user, onClose }: { user: User; onClose: (message?: string) => void }) {
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const save = useAction(async () => {
    await call('users.update', { id: user.id, pin });
    onClose(`New PIN set for ${user.name}: it works now, the old one no longer does. Give it to them in person.`);
  });
  const submit = () => {
    setMismatch(pin !== again);
    if (pin === again) void save.run();
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit();
  };
  const fields = fieldErrors(save.error);
  return (
    <FormDialog labelledBy="reset-pin-title" onCancel={() => onClose()} onSubmitShortcut={submit}>
      <h2 id="reset-pin-title" className="dialog-title">
        New PIN for {user.name}
      </h2>
      <p className="dialog-body">For someone who forgot their PIN or is locked out. The change is recorded in the audit log (never the PIN).</p>
      <form onSubmit={onSubmit} noValidate>
        <Field label="New PIN (6+ digits)" error={fields.pin}>
          <input className="input" type="password" inputMode="numeric" autoComplete="new-password" value={pin} onChange={(e) => setPin(e.target.value)} autoFocus />
        </Field>
        <Field label="New PIN again" error={mismatch ? 'The two PINs differ' : undefined}>
          <input className="input" type="password" inputMode="numeric" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} />
        </Field>
        {save.error && Object.keys(fields).length === 0 ? <Alert tone="danger">{describeError(save.error)}</Alert> : null}
        <div className="dialog-actions">
          <Button onClick={() => onClose()} shortcut="Esc">
            Cancel
          </Button>
          <Button type="submit" variant="primary" busy={save.busy} busyText="Saving…" shortcut="Ctrl+Enter">
            Set new PIN
          </Button>
        </div>
      </form>
    </FormDialog>
  );
}

function ActiveDialog({ user, self, onClose }: { user: User; self: boolean; onClose: (message?: string) => void }) {
  const deactivate = user.active;
  const save = useAction(async () => {
    await call('users.update', { id: user.id, active: !deactivate });
    if (deactivate && self) return; // signed out at once: the sign-in screen follows
    onClose(deactivate ? `${user.name} is deactivated and can no longer sign in.` : `${user.name} can sign in again.`);
  });
  return (
    <ConfirmDialog
      title={`${deactivate ? 'Deactivate' : 'Reactivate'} ${user.name}?`}
      confirmLabel={deactivate ? 'Deactivate' : 'Reactivate'}
      tone={deactivate ? 'danger' : 'primary'}
      busy={save.busy}
      onConfirm={() => void save.run()}
      onCancel={() => onClose()}
    >
      <p>
        {deactivate
          ? `${self ? 'You are' : 'They are'} signed out at once and can no longer sign in. Their name stays on past payments and in the audit log; you can reactivate them later.`
          : 'They can sign in again with their PIN, in the role they had.'}
      </p>
      {save.error ? <Alert tone="danger">{describeError(save.error)}</Alert> : null}
    </ConfirmDialog>
  );
}

function AddUserForm({ onAdded }: { onAdded: () => void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('clerk');
  const [pin, setPin] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const create = useAction(async () => {
    const u = await call('users.create', { name: name.trim(), role, pin });
    setCreated(`${u.name} can now sign in.`);
    setName('');
    setPin('');
    onAdded();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setCreated(null);
    void create.run();
  };
  const fields = fieldErrors(create.error);
  return (
    <form onSubmit={submit} className="add-user" aria-labelledby="add-user-h">
      <h3 id="add-user-h">Add a person</h3>
      <div className="grid-3">
        <Field label="Name" error={fields.name}>
          <input className="input" dir="auto" value={name} onChange={(e) => setName(e.target.value)} maxLength={80} autoComplete="off" />
        </Field>
        <Field label="Role">
          <select className="input" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            <option value="clerk">Clerk</option>
            <option value="supervisor">Supervisor</option>
            <option value="admin">Admin</option>
          </select>
        </Field>
        <Field label="PIN (6+ digits)" error={fields.pin}>
          <input className="input" type="password" inputMode="numeric" autoComplete="new-password" value={pin} onChange={(e) => setPin(e.target.value)} />
        </Field>
      </div>
      {create.error && Object.keys(fields).length === 0 ? <Alert tone="danger">{describeError(create.error)}</Alert> : null}
      {created ? <Alert tone="success">{created}</Alert> : null}
      <Button type="submit" busy={create.busy} busyText="Adding…">
        Add person
      </Button>
    </form>
  );
}
