/**
 * `npm run shop-server -- --data DIR [--port N] [--database NAME]`: a local PostgreSQL cluster for
 * trying a shop of stations on one machine (docs/stations.md). Creates the cluster in DIR on
 * first use (initdb from the system's binaries), starts it on 127.0.0.1, creates the shop
 * database, applies the shop server's schema, prints the URL, and stops the cluster cleanly on
 * Ctrl+C. Development only: a shop's real server is its own PostgreSQL (docs/stations.md).
 *
 * Machine-readable line on stdout: SHOP_SERVER_URL=postgres://pos@127.0.0.1:<port>/<database>
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startLocalCluster } from '../electron/core/shop/local-cluster';
import { migrateShopServer } from '../electron/core/shop/server-schema';

const USAGE = `Usage: npm run shop-server -- --data DIR [--port N] [--database NAME]
  --data DIR        the cluster's data directory (created on first use)
  --port N          port on 127.0.0.1 (default: 5433)
  --database NAME   the shop's database (default: shop)`;

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({ options: { data: { type: 'string' }, port: { type: 'string' }, database: { type: 'string' }, help: { type: 'boolean' } }, strict: true }));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.data) {
    console.error(`--data DIR is required\n${USAGE}`);
    process.exit(2);
  }
  const port = Number(values.port ?? 5433);
  const database = values.database ?? 'shop';
  if (!Number.isInteger(port) || port < 1 || port > 65535 || !/^[a-z_][a-z0-9_]{0,62}$/.test(database)) {
    console.error(`--port must be 1-65535 and --database a lowercase name\n${USAGE}`);
    process.exit(2);
  }
  const cluster = await startLocalCluster({ dataDir: resolve(values.data), port });
  const admin = new pg.Client({ connectionString: cluster.url('postgres') });
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const shop = new pg.Client({ connectionString: cluster.url(database) });
  await shop.connect();
  const applied = await migrateShopServer(shop);
  await shop.end();
  console.error(`shop server schema: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}`);
  console.log(`SHOP_SERVER_URL=${cluster.url(database)}`);
  console.error('Ctrl+C stops the cluster (its data stays in the directory).');
  const stop = () => {
    cluster.stop().then(
      () => process.exit(0),
      (e: Error) => {
        console.error(e.message);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // Keep the process alive while the cluster runs.
  setInterval(() => undefined, 1 << 30);
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
