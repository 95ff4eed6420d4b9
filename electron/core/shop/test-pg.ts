import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { pgBinariesPresent, PG_BIN_DIR, startLocalCluster, type LocalCluster } from './local-cluster';

/**
 * One throwaway PostgreSQL cluster per test file (a cluster starts in about a second; a fresh
 * database per test is a CREATE DATABASE away). Without the binaries a developer's run skips
 * with a message saying so; on CI (CI=true) missing binaries fail the run instead, because CI
 * installs them (.ci/run).
 */
export const pgPresent = pgBinariesPresent();

if (!pgPresent) {
  const msg = `PostgreSQL binaries not found in ${PG_BIN_DIR}: the shop server tests need Debian's postgresql package (or PG_BIN_DIR)`;
  if (process.env.CI === 'true') throw new Error(`${msg}; CI must install it (.ci/run)`);
  console.warn(`SKIPPED: ${msg}`);
}

/** `describe` when PostgreSQL can run here, `describe.skip` (with the warning above) when not. */
export const describePg: ReturnType<typeof describe.skipIf> = describe.skipIf(!pgPresent);

export interface PgHarness {
  cluster(): LocalCluster;
  /** A new empty database on the file's cluster; returns its URL. */
  freshDatabase(): Promise<string>;
}

/** Starts the file's cluster before its tests and removes it after them. Call inside describePg. */
export function usePg(): PgHarness {
  let cluster: LocalCluster | undefined;
  let n = 0;
  beforeAll(async () => {
    cluster = await startLocalCluster({ dataDir: mkdtempSync(join(tmpdir(), 'pos-pg-')), throwaway: true });
  }, 120_000);
  afterAll(async () => {
    await cluster?.destroy();
  }, 60_000);
  return {
    cluster: () => {
      if (!cluster) throw new Error('cluster not started');
      return cluster;
    },
    freshDatabase: async () => {
      if (!cluster) throw new Error('cluster not started');
      const name = `t${process.pid}_${++n}`;
      const admin = new pg.Client({ connectionString: cluster.url('postgres') });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return cluster.url(name);
    },
  };
}
