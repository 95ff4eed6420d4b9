import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryPrinterConfigStore } from './config-store';
import { encodeJob } from './escpos';
import { sendDeviceJob } from './printer-link';
import { layoutTestPage } from './receipt-layout';
import { EscPosDecoder } from './virtual-printer';

/**
 * A USB receipt printer as Linux shows it: a character device (/dev/usb/lp0) the core writes raw
 * ESC/POS bytes to. A real FIFO stands in for the device (a reader on the other end, like the
 * printer), and a plain file for one that takes everything; what arrived is decoded by the same
 * decoder as the virtual network printer's.
 */

const dir = mkdtempSync(join(tmpdir(), 'pos-usb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FAST = { connectMs: 500, answerMs: 500 };
const lines = layoutTestPage({ name: 'Sandbox Trading Co.', station: 'Counter 1' }, '58mm', 32);
const job = { drawer: encodeJob({ columns: 32, kick: true, lines: [] }), body: encodeJob({ columns: 32, kick: false, lines }) };

function decode(bytes: Buffer): EscPosDecoder {
  const d = new EscPosDecoder();
  d.push(bytes);
  return d;
}

describe('USB printer (device path)', () => {
  it('through a FIFO read like a printer reads its port: the test page line by line, one cut, one drawer pulse', async () => {
    const fifo = join(dir, 'lp0');
    execFileSync('mkfifo', [fifo]);
    const got: Buffer[] = [];
    const reader = createReadStream(fifo);
    reader.on('data', (b) => got.push(Buffer.from(b)));
    const closed = new Promise<void>((r) => reader.on('close', () => r()));
    const out = await sendDeviceJob(fifo, job, FAST);
    await closed;
    expect(out).toEqual({ ok: true });
    const d = decode(Buffer.concat(got));
    expect(d.lines).toEqual(lines.map((l) => l.text));
    expect(d.lines).toEqual(expect.arrayContaining(['TEST PRINT', 'Paper 58mm: 32 characters a line']));
    expect(d.drawerKicks).toBe(1);
    expect(d.cuts).toBe(1);
    expect(d.unknown).toEqual([]);
  });

  it('into a device that takes everything (a file): the same bytes, drawer first', async () => {
    const path = join(dir, 'device');
    writeFileSync(path, '');
    expect(await sendDeviceJob(path, job, FAST)).toEqual({ ok: true });
    const bytes = readFileSync(path);
    expect(bytes.equals(Buffer.concat([job.drawer, job.body]))).toBe(true);
    expect(decode(bytes).lines).toEqual(lines.map((l) => l.text));
  });

  it('unplugged (no such device): said plainly, nothing created at the path', async () => {
    const path = join(dir, 'usb', 'lp9');
    const out = await sendDeviceJob(path, job, FAST);
    expect(out).toMatchObject({ ok: false, problem: 'unreachable', drawerSent: false });
    expect(out.ok ? '' : out.detail).toContain('ENOENT');
    expect(() => readFileSync(path)).toThrow();
  });

  it('a device that never takes the job (a FIFO nobody reads): a timeout within the time allowed, not "printed"', async () => {
    const fifo = join(dir, 'stuck');
    execFileSync('mkfifo', [fifo]);
    const t0 = Date.now();
    const out = await sendDeviceJob(fifo, job, { connectMs: 300, answerMs: 300 });
    expect(out).toMatchObject({ ok: false, problem: 'timeout' });
    expect(Date.now() - t0).toBeLessThan(2_000);
    // Let the pending open finish so the test leaves no thread blocked on the FIFO.
    const r = createReadStream(fifo);
    r.resume();
    await new Promise<void>((done) => r.on('close', () => done()).on('error', () => done()));
  });

  it('settings: a device path only under /dev, required when USB is chosen; the network needs no path', () => {
    const store = new MemoryPrinterConfigStore();
    const base = store.get();
    expect(base).toMatchObject({ connection: 'network', device: '' });
    expect(store.set({ ...base, enabled: true, connection: 'usb', device: '/dev/usb/lp0' })).toMatchObject({ connection: 'usb', device: '/dev/usb/lp0', host: '' });
    const kept = store.get();
    for (const device of ['', '/tmp/x', '/dev/../etc/passwd', 'lp0', '/dev/usb/lp0; rm -rf /']) {
      expect(() => store.set({ ...kept, device }), device).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    }
    expect(store.get()).toEqual(kept);
    // Stored before USB existed (no connection, no device): read as a network printer.
    const old = new MemoryPrinterConfigStore({ enabled: true, host: '10.0.0.9', port: 9100 });
    expect(old.get()).toMatchObject({ connection: 'network', device: '', host: '10.0.0.9' });
  });
});
