import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox } from './server';
import { api, charge, tokenName } from './test-support';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('persistence in dataDir/sandbox.db', () => {
  it('a restarted sandbox still knows yesterday’s authorizations, tokens and clock', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sandbox-'));
    dirs.push(dataDir);
    const first = await startSandbox({ dataDir });
    const token = await tokenName(first, { number: '5123456789012346' });
    const auth = charge('AUTHORIZATION', token, '10000');
    const res = await api(first, auth);
    expect(res['status']).toBe('02');
    first.control.clock.advance(24 * 3600 * 1000);
    const movedTo = first.control.clock.now().getTime();
    await first.close();

    const second = await startSandbox({ dataDir });
    try {
      expect(Math.abs(second.control.clock.now().getTime() - movedTo)).toBeLessThan(5_000);
      const order = second.control.order(auth['merchant_reference'] as string);
      expect(order).toMatchObject({ status: 'authorized', fortId: res['fort_id'] });
      const capture = await api(second, { command: 'CAPTURE', merchant_reference: auth['merchant_reference'] as string, amount: '10000', currency: 'USD' });
      expect(capture['status']).toBe('04');
      expect((await api(second, charge('PURCHASE', token, '100')))['status']).toBe('14');
      // Fort ids keep counting up across restarts.
      const next = await api(second, charge('PURCHASE', token, '100'));
      expect(BigInt(next['fort_id'] as string) % 100_000_000n).toBeGreaterThan(BigInt(res['fort_id'] as string) % 100_000_000n);
    } finally {
      await second.close();
    }
    // The card number is nowhere on disk (neither in the database nor its WAL).
    for (const file of readdirSync(dataDir)) {
      const bytes = readFileSync(join(dataDir, file));
      expect(bytes.includes(Buffer.from('5123456789012346'))).toBe(false);
    }
  });

  it('startTime sets the clock; in-memory sandboxes forget everything', async () => {
    const start = new Date('2029-06-01T12:00:00Z');
    const a = await startSandbox({ startTime: start });
    expect(Math.abs(a.control.clock.now().getTime() - start.getTime())).toBeLessThan(5_000);
    const token = await tokenName(a);
    const auth = charge('AUTHORIZATION', token, '100');
    await api(a, auth);
    await a.close();
    const b = await startSandbox();
    expect(b.control.order(auth['merchant_reference'] as string)).toBeUndefined();
    await b.close();
  });
});
