import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { offlineGateway } from '../../gateway/offline-gateway';
import { createCore, type Core } from '../app';
import { ManualClock } from '../clock';
import { PassphraseKeyProtector } from '../db/key-protector';
import { MemorySettingsStore } from '../settings';
import { CA_MESSAGES } from './ca-pem';
import { startLocalCluster, type LocalCluster } from './local-cluster';
import { describePg } from './test-pg';

/**
 * The shop's own CA (Settings → Shop server → CA certificate), for real: a CA and a server
 * certificate made with openssl here, a throwaway PostgreSQL with ssl=on serving that
 * certificate, and a desk joining it with verify-full, with and without the CA.
 */
const openssl = (dir: string, args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

function makeCa(dir: string, name: string): void {
  openssl(dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '2', '-subj', `/CN=${name}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
}

describePg('the shop server signed by the shop\'s own CA: verify-full with the CA certificate', () => {
  const protector = new PassphraseKeyProtector('shop ca tests', { N: 1 << 12 });
  let dir = '';
  let cluster: LocalCluster;
  let core: Core;
  let caPem = '';
  let otherCaPem = '';
  const k = { sessionKey: 'web:ca', origin: 'test' };
  const conn = (over: Record<string, unknown> = {}) => ({ host: '127.0.0.1', port: cluster.port, database: 'postgres', username: 'pos', password: 'x', tls: 'verify-full', ...over });
  const saved = () => core.db.prepare('SELECT COUNT(*) AS n FROM shop_connection').get();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shop-ca-'));
    makeCa(dir, 'Test Shop CA');
    makeCa(dir, 'Another CA');
    // The server's certificate, signed by the shop's CA, for the address the desk connects to.
    openssl(dir, ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=shop-server']);
    writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n');
    openssl(dir, ['x509', '-req', '-in', 'server.csr', '-CA', 'Test Shop CA.crt', '-CAkey', 'Test Shop CA.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'ext.cnf']);
    caPem = readFileSync(join(dir, 'Test Shop CA.crt'), 'utf8');
    otherCaPem = readFileSync(join(dir, 'Another CA.crt'), 'utf8');
    // Its own temp dir: PostgreSQL runs as `postgres` under root, and `dir` is root's alone.
    cluster = await startLocalCluster({ dataDir: mkdtempSync(join(tmpdir(), 'pos-pg-')), throwaway: true, tls: { certFile: join(dir, 'server.crt'), keyFile: join(dir, 'server.key') } });
    core = await createCore({ dataDir: join(dir, 'desk'), protector, gateway: offlineGateway, clock: new ManualClock(), station: 'Desk 1', settings: new MemorySettingsStore({ stationName: 'Desk 1' }), hostedReturnUrl: 'http://127.0.0.1:9/hosted/return' });
    await core.dispatch('session.setup', { name: 'Ann Admin', pin: '13572468' }, k);
  }, 120_000);
  afterAll(async () => {
    await core?.close();
    await cluster?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a bad CA certificate is refused with a clear field error, and nothing is saved or tried', async () => {
    const key = readFileSync(join(dir, 'server.key'), 'utf8');
    const broken = caPem.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!');
    for (const [text, message] of [[key, CA_MESSAGES.privateKey], [`${caPem}\n${key}`, CA_MESSAGES.privateKey], ['hello', CA_MESSAGES.notPem], [broken, CA_MESSAGES.unreadable]] as const) {
      expect(await core.dispatch('shop.connect', conn({ caCertificate: text }), k)).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { caCertificate: message } } });
    }
    expect(saved()).toEqual({ n: 0 });
    // The key never reaches the audit log either: a refused input is not an attempt.
    expect(JSON.stringify(core.db.prepare(`SELECT detail FROM audit WHERE action = 'shop.connect'`).all())).toBe('[]');
  });

  it('verify-full without the shop\'s CA (or with another CA) is refused with a clear error; with it the desk joins over TLS', async () => {
    const without = await core.dispatch('shop.connect', conn(), k);
    expect(without).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED', message: expect.stringMatching(/could not be verified: .*certificate.*If the shop has its own CA, paste its certificate/) } });
    const other = await core.dispatch('shop.connect', conn({ caCertificate: otherCaPem }), k);
    expect(other).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED', message: expect.stringMatching(/could not be verified with the shop's CA certificate set here/) } });
    expect(saved()).toEqual({ n: 0 });

    const joined = await core.dispatch('shop.connect', conn({ caCertificate: caPem }), k);
    expect(joined).toMatchObject({ ok: true, value: { server: { tls: 'verify-full', ca: { subject: 'CN=Test Shop CA' } } } });
    await expect.poll(async () => ((await core.dispatch('shop.status', {}, k)) as { value: { state: string } }).value.state, { timeout: 10_000, interval: 100 }).toBe('connected');
    // The desk's connections are encrypted (the server's own view of them).
    const admin = new pg.Client({ host: '127.0.0.1', port: cluster.port, database: 'postgres', user: 'pos', ssl: { rejectUnauthorized: true, ca: caPem } });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ n: string }>(`SELECT COUNT(*) AS n FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE s.ssl AND a.datname = 'postgres' AND a.pid <> pg_backend_pid()`);
      expect(Number(rows[0]!.n)).toBeGreaterThan(0);
      const plain = await admin.query<{ n: string }>(`SELECT COUNT(*) AS n FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE NOT s.ssl AND a.datname = 'postgres' AND a.backend_type = 'client backend'`);
      expect(Number(plain.rows[0]!.n)).toBe(0);
    } finally {
      await admin.end();
    }
    // Connecting again without sending the CA keeps it; sending an empty one removes it (and is refused here: system CAs only).
    expect(await core.dispatch('shop.connect', conn(), k)).toMatchObject({ ok: true, value: { server: { ca: { subject: 'CN=Test Shop CA' } } } });
    expect(await core.dispatch('shop.connect', conn({ caCertificate: '' }), k)).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
    expect(core.db.prepare('SELECT ca_pem IS NOT NULL AS has FROM shop_connection').get()).toEqual({ has: 1 });
  }, 60_000);
});
