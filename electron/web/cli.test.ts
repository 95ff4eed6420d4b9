import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * `npm run web` as the e2e harness uses it: start, parse the machine-readable lines, call the
 * API with the secret from the URL fragment, stop with SIGTERM and find the ledger closed.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'web-cli-'));
let child: ChildProcess | undefined;

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function waitForLines(proc: ChildProcess, names: string[], timeoutMs: number): Promise<Record<string, string>> {
  return new Promise((resolveLines, reject) => {
    const found: Record<string, string> = {};
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`no ${names.join('/')} within ${timeoutMs} ms\n${out}\n${err}`)), timeoutMs);
    proc.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      for (const line of out.split('\n')) {
        const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
        if (m && names.includes(m[1]!)) found[m[1]!] = m[2]!;
      }
      if (names.every((n) => n in found)) {
        clearTimeout(timer);
        resolveLines(found);
      }
    });
    proc.on('exit', (code) => reject(new Error(`exited with ${code}\n${out}\n${err}`)));
  });
}

describe('npm run web', () => {
  it('prints the URL lines, serves the contract behind the secret, stops cleanly on SIGTERM', async () => {
    const data = join(dir, 'data');
    child = spawn(process.execPath, ['--import', 'tsx', 'electron/web/cli.ts', '--no-build', '--port', '0', '--data', data, '--passphrase', 'cli test passphrase', '--quiet'], {
      cwd: ROOT,
      env: { ...process.env, POS_PASSPHRASE: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines = await waitForLines(child, ['POS_WEB_URL', 'POS_SANDBOX_URL'], 30_000);
    const m = /^(http:\/\/127\.0\.0\.1:\d+)\/#k=([A-Za-z0-9_-]{43})$/.exec(lines.POS_WEB_URL!);
    expect(m, lines.POS_WEB_URL).not.toBeNull();
    const [, base, secret] = m!;
    expect(lines.POS_SANDBOX_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const call = (headers: Record<string, string>) =>
      fetch(`${base}/api/call/session.status`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Pos-Session': 'cli_test', ...headers }, body: '{}' });
    expect((await call({})).status).toBe(401);
    const ok = await call({ 'X-Pos-Secret': secret! });
    expect(await ok.json()).toMatchObject({ ok: true, value: { setupRequired: true, gateway: { name: 'APS sandbox (embedded)', sandbox: true } } });

    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const wal = join(data, 'ledger.db-wal');
    expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
    expect(existsSync(join(data, 'sandbox'))).toBe(true);
    expect(existsSync(join(data, 'settings.json'))).toBe(true);
  });
});
