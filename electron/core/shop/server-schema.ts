import type pg from 'pg';
import { SERVER_MIGRATIONS, type ServerMigration } from './server-migrations';

export class ShopSchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShopSchemaError';
  }
}

/**
 * Brings the shop server's schema up to date: each missing migration in its own transaction,
 * recorded in `shop_schema_migrations`. Stations of several versions may start at once, so the
 * whole run holds an advisory lock; a server migrated by a newer version is refused (this
 * version would not know its rules) rather than written to.
 */
export async function migrateShopServer(client: pg.ClientBase, migrations: readonly ServerMigration[] = SERVER_MIGRATIONS): Promise<number[]> {
  const applied: number[] = [];
  await client.query('SELECT pg_advisory_lock(1800)');
  try {
    // Asked first, so that a station with a least-privilege role (no CREATE) can check an up-to-date server.
    const { rows: t } = await client.query<{ t: string | null }>(`SELECT to_regclass('shop_schema_migrations')::text AS t`);
    if (t[0]?.t == null) await client.query(`CREATE TABLE shop_schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM shop_schema_migrations ORDER BY version');
    const have = new Set(rows.map((r) => r.version));
    const latest = migrations.at(-1)?.version ?? 0;
    const newest = rows.at(-1)?.version ?? 0;
    if (newest > latest) {
      throw new ShopSchemaError(`The shop server's schema was written by a newer version (schema ${newest} > ${latest}); update this station first`);
    }
    for (const m of migrations) {
      if (have.has(m.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO shop_schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw new ShopSchemaError(`Shop server migration ${m.version} (${m.name}) failed: ${(e as Error).message}`);
      }
      applied.push(m.version);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(1800)');
  }
  return applied;
}
