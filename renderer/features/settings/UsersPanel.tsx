import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { OutputOf } from '../../../shared/contract';
import { call } from '../../lib/api';
import { describeError, fieldErrors } from '../../lib/error-text';
import { useAction } from '../../lib/use-action';
import { Alert, Spinner } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { Field } from '../../ui/Field';

type User = OutputOf<'users.list'>[number];
type Role = User['role'];

export function UsersPanel() {
  const [users, setUsers] = useState<User[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('clerk');
  const [pin, setPin] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const load = useCallback(() => {
    call('users.list', {}).then(setUsers, (e) => setError(describeError(e)));
  }, []);
  useEffect(load, [load]);
  const create = useAction(async () => {
    const u = await call('users.create', { name: name.trim(), role, pin });
    setCreated(`${u.name} can now sign in.`);
    setName('');
    setPin('');
    load();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setCreated(null);
    void create.run();
  };
  const fields = fieldErrors(create.error);
  return (
    <section className="panel" aria-labelledby="users-h">
      <h2 id="users-h">People</h2>
      {error ? <Alert tone="danger">{error}</Alert> : null}
      {!users && !error ? <Spinner label="Loading people…" /> : null}
      {users ? (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td className="ellipsis" title={u.name}>{u.name}</td>
                <td className="cap">{u.role}</td>
                <td>{u.active ? 'Active' : 'Disabled'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <form onSubmit={submit} className="add-user" aria-labelledby="add-user-h">
        <h3 id="add-user-h">Add a person</h3>
        <div className="grid-3">
          <Field label="Name" error={fields.name}>
            <input className="input" value={name} onChange={(e) => setName(e.target.value)} maxLength={80} autoComplete="off" />
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
    </section>
  );
}
