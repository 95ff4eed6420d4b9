import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { channels, PAPER_COLUMNS } from '../../../shared/contract';
import { startHarness, type Harness } from '../payments/test-harness';
import { listAudit } from '../ledger/audit-log';
import { MemoryPrinterConfigStore } from './config-store';
import { encodeJob } from './escpos';
import { layoutReceipt, printable } from './receipt-layout';
import { PrintingService, render } from './service';
import { sampleReceipt } from './test-helpers';
import { EscPosDecoder, VirtualPrinter } from './virtual-printer';

/**
 * Receipt printing against a real TCP printer (the virtual ESC/POS printer decodes what it gets)
 * and a real ledger with sales made through the sandbox gateway.
 */

const TEST_PAN = '4005550000000001';
const FAST = { connectMs: 500, answerMs: 400 };

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** Digit runs of 13 to 19 that pass Luhn: what a card number looks like, whoever wrote it. */
export function panLikeRuns(text: string, allowed: readonly string[] = []): string[] {
  return [...text.matchAll(/\d{13,19}/g)].map((m) => m[0]).filter((d) => luhn(d) && !allowed.includes(d));
}

const model = sampleReceipt;

describe('receipt layout (pure)', () => {
  for (const [width, columns] of Object.entries(PAPER_COLUMNS)) {
    it(`${width}: every line fits ${columns} columns and the code page can print it`, () => {
      const lines = layoutReceipt(model(), columns).map((l) => render(l, columns));
      for (const l of lines) {
        expect(l.length, l).toBeLessThanOrEqual(columns);
        expect(printable(l), l).toBe(true);
      }
      expect(lines).toContain('-'.repeat(columns));
    });
  }

  it('says each tender: cash with tendered and change, card with brand, last 4, auth code and both references', () => {
    const lines = layoutReceipt(model(), 48).map((l) => l.text);
    expect(lines).toEqual(expect.arrayContaining([
      `2 x Reading lamp${' '.repeat(48 - 16 - 9)}KWD 8.500`,
      // Arabic the code page cannot print: the line says which item, never garbage.
      `1 x Item 2${' '.repeat(48 - 10 - 10)}KWD 12.500`,
      `Total${' '.repeat(48 - 5 - 10)}KWD 21.625`,
      'Paid by',
      `Cash${' '.repeat(48 - 4 - 10)}KWD 10.000`,
      `  Tendered${' '.repeat(48 - 10 - 10)}KWD 20.000`,
      `  Change${' '.repeat(48 - 8 - 10)}KWD 10.000`,
      `Card VISA ****0001${' '.repeat(48 - 18 - 10)}KWD 11.625`,
      `  Auth code${' '.repeat(48 - 11 - 6)}123456`,
      `  Reference${' '.repeat(48 - 11 - 8)}D1-42-P2`,
      `  Gateway ref${' '.repeat(48 - 13 - 18)}176000000000000012`,
    ]));
    expect(lines.join('\n')).not.toMatch(/[\u0600-\u06FF]/);
  });

  it('a cash tender without tendered/change (not known) prints only its amount', () => {
    const m = model({ tenders: [{ ...model().tenders[0]!, tendered: null, change: null }] });
    const text = layoutReceipt(m, 32).map((l) => l.text).join('\n');
    expect(text).toContain('Cash');
    expect(text).not.toContain('Tendered');
    expect(text).not.toContain('Change');
  });
});

describe('ESC/POS bytes and the decoder', () => {
  it('what the layout says is what the decoder reads back: lines, bold, centre, one cut, one drawer opening', () => {
    const lines = layoutReceipt(model(), 32);
    const bytes = Buffer.concat([encodeJob({ columns: 32, kick: true, lines: [] }), encodeJob({ columns: 32, kick: false, lines })]);
    const d = new EscPosDecoder();
    // In uneven pieces, as TCP may deliver them.
    for (let i = 0; i < bytes.length; i += 7) d.push(bytes.subarray(i, i + 7));
    expect(d.lines).toEqual(lines.map((l) => l.text));
    expect(d.events.filter((e) => e.kind === 'line').map((e) => (e.kind === 'line' ? [e.line.align === 'center', e.line.bold] : null))).toEqual(lines.map((l) => [l.align === 'center', l.bold]));
    expect(d.cuts).toBe(1);
    expect(d.drawerKicks).toBe(1);
    expect(d.unknown).toEqual([]);
  });

  it('Latin-1 accents go through the code page and come back', () => {
    const d = new EscPosDecoder();
    d.push(encodeJob({ columns: 32, kick: false, lines: [{ text: 'Café Müller £ 3', align: 'left', bold: false }] }));
    expect(d.lines).toEqual(['Café Müller £ 3']);
  });
});

describe('printing a sale on a real TCP printer', () => {
  let h: Harness;
  let printer: VirtualPrinter;
  beforeAll(async () => {
    h = await startHarness({ settings: { currency: 'USD', merchantName: 'Sandbox Trading Co.', merchantAddress: '1 Market Street', stationName: 'Counter 1' } });
  });
  afterAll(async () => h.close());
  afterEach(async () => printer?.stop());

  async function start(opts: ConstructorParameters<typeof VirtualPrinter>[0] = {}) {
    printer = new VirtualPrinter(opts);
    const port = await printer.start();
    const store = new MemoryPrinterConfigStore({ enabled: true, host: '127.0.0.1', port, width: '58mm', drawer: true, autoPrint: true });
    return { store, service: new PrintingService(h.deps, store, { timeouts: FAST }) };
  }
  const actor = { id: 'u1', name: 'Clara Clerk' };

  async function cashSale(total = 8_500, tendered = 10_000) {
    const order = await h.call('orders.create', { channel: 'counter', currency: 'USD', customerId: null, lines: [{ description: 'Reading lamp', quantity: total / 4_250, unitPrice: 4_250, taxRateBp: 0 }] });
    const r = await h.call('payments.charge', { orderId: order.id, mode: 'purchase', source: { kind: 'cash', tendered } });
    return { order, payment: r.payment };
  }

  it('a cash sale prints line by line and opens the drawer exactly once; a reprint leaves it shut', async () => {
    const { service } = await start();
    const { order, payment } = await cashSale();
    const out = await service.receipt(payment.id, true, actor);
    expect(out).toEqual({ status: 'printed', problem: null, detail: '', drawerOpened: true });
    await printer.waitForJobs(1);
    const printed = printer.receipts.flat();
    const expected = layoutReceipt((await service.preview(payment.id)).model, 32).map((l) => l.text);
    expect(printed).toEqual(expected);
    expect(printed).toEqual(expect.arrayContaining([
      'Sandbox Trading Co.', 'RECEIPT', `Order${' '.repeat(32 - 5 - order.reference.length)}${order.reference}`,
      `2 x Reading lamp${' '.repeat(32 - 16 - 9)}USD 85.00`,
      `Cash${' '.repeat(32 - 4 - 9)}USD 85.00`, `  Tendered${' '.repeat(32 - 10 - 10)}USD 100.00`, `  Change${' '.repeat(32 - 8 - 9)}USD 15.00`, 'Thank you',
    ]));
    expect(printer.drawerKicks).toBe(1);
    expect(printer.jobs.reduce((n, j) => n + j.decoder.cuts, 0)).toBe(1);

    // The same sale asked again (a second click, a reload) and a reprint: paper, no drawer.
    await service.receipt(payment.id, true, actor);
    await service.receipt(payment.id, false, actor);
    await printer.waitForJobs(3);
    expect(printer.receipts).toHaveLength(3);
    expect(printer.drawerKicks).toBe(1);
    const audit = listAudit(h.db, { limit: 50 }).map((e) => `${e.action}:${e.outcome}:${e.target}`);
    expect(audit).toContain(`drawer.open:success:${order.id}`);
    expect(audit).toContain(`receipt.reprint:success:${payment.id}`);
  });

  it('a card sale: brand and last 4 only, auth code and references, no drawer, and no card number in the bytes', async () => {
    const { service } = await start();
    const order = await h.call('orders.create', { channel: 'counter', currency: 'USD', customerId: null, lines: [{ description: 'Desk', quantity: 1, unitPrice: 12_000, taxRateBp: 500 }] });
    const handle = await h.hostedCard({ number: TEST_PAN });
    const r = await h.call('payments.charge', { orderId: order.id, mode: 'purchase', source: { kind: 'new_card', handle, save: false } });
    expect(r.outcome).toBe('approved');
    expect(await service.receipt(r.payment.id, true, actor)).toMatchObject({ status: 'printed', drawerOpened: false });
    await printer.waitForJobs(1);
    const printed = printer.receipts.flat();
    const detail = await h.call('payments.get', { paymentId: r.payment.id });
    expect(printed).toEqual(expect.arrayContaining([
      `Card VISA ****0001${' '.repeat(32 - 18 - 10)}USD 126.00`,
      `  Auth code${' '.repeat(32 - 11 - detail.payment.authorizationCode!.length)}${detail.payment.authorizationCode}`,
    ]));
    expect(printed.some((l) => l.includes(detail.payment.fortId!))).toBe(true);
    expect(printer.drawerKicks).toBe(0);
    // The PAN scan: nothing on the wire to the printer looks like a card number (the gateway's own
    // transaction id is a long number by design and is the one run allowed), nor holds its BIN.
    const wire = printer.allBytes.toString('latin1');
    expect(panLikeRuns(wire, [detail.payment.fortId!])).toEqual([]);
    expect(wire).not.toContain(TEST_PAN.slice(0, 6));
    expect(wire).not.toContain(TEST_PAN);
  });

  it('the scan itself finds a card number when one is there', () => {
    expect(panLikeRuns(`Card ${TEST_PAN} x`)).toEqual([TEST_PAN]);
    expect(panLikeRuns('Ref 12345678 and 176000000000000012', ['176000000000000012'])).toEqual([]);
  });

  it('printer switched off (connection refused): the sale stands, the problem is named, the reprint works once it is back', async () => {
    const { service, store } = await start();
    const port = printer.port;
    await printer.stop();
    const { payment } = await cashSale();
    const out = await service.receipt(payment.id, true, actor);
    expect(out).toMatchObject({ status: 'failed', problem: 'refused', drawerOpened: false });
    expect(out.detail).toContain(`127.0.0.1:${port}`);
    expect((await h.call('payments.get', { paymentId: payment.id })).payment).toMatchObject({ status: 'captured', captured: 8_500 });
    expect(service.state().last).toMatchObject({ status: 'failed', problem: 'refused' });

    printer = new VirtualPrinter();
    await printer.start(port);
    expect(store.get().port).toBe(port);
    expect(await service.receipt(payment.id, false, actor)).toMatchObject({ status: 'printed' });
    await printer.waitForJobs(1);
    expect(printer.receipts).toHaveLength(1);
    // A reprint: the drawer stays shut (the failed sale print already counted as the sale's print).
    expect(printer.drawerKicks).toBe(0);
  });

  it('a printer that goes away mid-receipt is reported as such, not as printed', async () => {
    const { service } = await start({ hangUpAfter: 120 });
    const { payment } = await cashSale();
    const out = await service.receipt(payment.id, false, actor);
    expect(out).toMatchObject({ status: 'failed', problem: 'disconnected' });
    expect(printer.jobs[0]!.cutOff).toBe(true);
    expect(printer.jobs[0]!.decoder.cuts).toBe(0);
  });

  it('a printer that never answers: timeout, within the time allowed', async () => {
    const { service } = await start({ silent: true });
    const { payment } = await cashSale();
    const t0 = Date.now();
    expect(await service.receipt(payment.id, false, actor)).toMatchObject({ status: 'failed', problem: 'timeout' });
    expect(Date.now() - t0).toBeLessThan(3_000);
  });

  it('out of paper: said plainly, and the drawer of a cash sale still opens', async () => {
    const { service } = await start({ paperOut: true });
    const { payment } = await cashSale();
    expect(await service.receipt(payment.id, true, actor)).toMatchObject({ status: 'failed', problem: 'paper_out', drawerOpened: true });
    await printer.waitForJobs(1);
    expect(printer.drawerKicks).toBe(1);
    expect(printer.receipts).toEqual([]);
  });

  it('auto-print off: the sale prints nothing but a cash sale still opens the drawer; no drawer attached: never a pulse', async () => {
    const { service, store } = await start();
    store.set({ ...store.get(), autoPrint: false });
    const first = await cashSale();
    expect(await service.receipt(first.payment.id, true, actor)).toMatchObject({ status: 'skipped', drawerOpened: true });
    await printer.waitForJobs(1);
    expect(printer.receipts).toEqual([]);
    expect(printer.drawerKicks).toBe(1);
    store.set({ ...store.get(), autoPrint: true, drawer: false });
    const second = await cashSale();
    expect(await service.receipt(second.payment.id, true, actor)).toMatchObject({ status: 'printed', drawerOpened: false });
    await printer.waitForJobs(2);
    expect(printer.drawerKicks).toBe(1);
  });

  it('no printer at this desk: a sale print is skipped, a reprint says there is none', async () => {
    const service = new PrintingService(h.deps, new MemoryPrinterConfigStore(), { timeouts: FAST });
    const { payment } = await cashSale();
    expect(await service.receipt(payment.id, true, actor)).toMatchObject({ status: 'skipped', problem: 'not_configured' });
    expect(await service.receipt(payment.id, false, actor)).toMatchObject({ status: 'failed', problem: 'not_configured' });
  });

  it('open drawer: one pulse, audited; refused and audited without a drawer; admins only by contract', async () => {
    const { service, store } = await start();
    expect(await service.openDrawer(actor)).toMatchObject({ status: 'printed', drawerOpened: true });
    await printer.waitForJobs(1);
    expect(printer.drawerKicks).toBe(1);
    expect(printer.receipts).toEqual([]);
    store.set({ ...store.get(), drawer: false });
    expect(await service.openDrawer(actor)).toMatchObject({ status: 'failed', problem: 'not_configured' });
    const opens = listAudit(h.db, { action: 'drawer.open', limit: 10 }).map((e) => `${e.outcome}:${e.detail}`);
    expect(opens.slice(0, 2)).toEqual(['failure:no drawer at this desk', 'success:admin']);
    expect(channels['printing.openDrawer'].minRole).toBe('admin');
    expect(channels['printing.configure'].minRole).toBe('admin');
  });

  it('a test print prints the test page on the printer as given', async () => {
    const { service, store } = await start();
    expect(await service.test({ ...store.get(), width: '80mm' })).toMatchObject({ status: 'printed' });
    await printer.waitForJobs(1);
    expect(printer.receipts[0]).toEqual(expect.arrayContaining(['TEST PRINT', 'Paper 80mm: 48 characters a line', '012345678901234567890123456789012345678901234567']));
    expect(printer.drawerKicks).toBe(0);
  });
});

describe('printer settings are validated', () => {
  it('refuses a bad port, a missing host when on, a made-up width, and keeps what was stored', () => {
    const store = new MemoryPrinterConfigStore({ enabled: true, host: 'printer.local', port: 9100 });
    const base = store.get();
    expect(() => store.set({ ...base, port: 0 })).toThrow(expect.objectContaining({ code: 'VALIDATION', fields: { port: 'A port number from 1 to 65535' } }));
    expect(() => store.set({ ...base, host: '' })).toThrow(expect.objectContaining({ fields: { host: 'The printer\'s host name or IP address' } }));
    expect(() => store.set({ ...base, host: 'bad host;rm' })).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    expect(() => store.set({ ...base, width: '76mm' as '80mm' })).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
    expect(store.get()).toEqual(base);
    expect(store.set({ ...base, enabled: false, host: '' })).toMatchObject({ enabled: false, host: '' });
  });
});

describe('through the core as the shells assemble it', () => {
  it('the drawer and the printer settings are an admin\'s (a clerk is refused by the dispatcher, nothing opens); a clerk may reprint', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { createCore } = await import('../app');
    const { PassphraseKeyProtector } = await import('../db/key-protector');
    const { MemorySettingsStore } = await import('../settings/defaults');
    const { offlineGateway } = await import('../../gateway/offline-gateway');
    const printer = new VirtualPrinter();
    const port = await printer.start();
    const dir = mkdtempSync(join(tmpdir(), 'printing-core-'));
    const core = await createCore({
      dataDir: dir, protector: new PassphraseKeyProtector('printing test passphrase', { N: 1 << 12 }), gateway: offlineGateway,
      settings: new MemorySettingsStore({ locale: 'ar-KW' }), hostedReturnUrl: 'http://127.0.0.1:9/hosted/return',
      printer: new MemoryPrinterConfigStore({ enabled: true, host: '127.0.0.1', port, drawer: true }), printing: { timeouts: FAST },
    });
    try {
      const admin = { sessionKey: 'admin-tab', origin: 'test' };
      const clerk = { sessionKey: 'clerk-tab', origin: 'test' };
      const ok = async (name: Parameters<typeof core.dispatch>[0], input: unknown, ctx = admin) => {
        const r = await core.dispatch(name, input, ctx);
        if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
        return r.value as never;
      };
      await ok('session.setup', { name: 'Ann Admin', pin: '13572468' });
      const c = await ok('users.create', { name: 'Clara Clerk', role: 'clerk', pin: '24681357' }) as { id: string };
      await ok('session.login', { userId: c.id, pin: '24681357' }, clerk);

      for (const name of ['printing.openDrawer', 'printing.configure', 'printing.test'] as const) {
        const input = name === 'printing.openDrawer' ? {} : { enabled: true, host: '127.0.0.1', port, width: '80mm', drawer: true, autoPrint: true };
        expect(await core.dispatch(name, input, clerk), name).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      }
      expect(printer.jobs).toHaveLength(0);
      expect(await ok('printing.openDrawer', {})).toMatchObject({ status: 'printed', drawerOpened: true });
      await printer.waitForJobs(1);
      expect(printer.drawerKicks).toBe(1);

      // A clerk's cash sale on an Arabic station: Arabic on paper, as an image (raster.test.ts has the rest).
      const order = await ok('orders.create', { channel: 'counter', currency: 'USD', customerId: null, lines: [{ description: 'مصباح', quantity: 1, unitPrice: 500, taxRateBp: 0 }] }, clerk) as { id: string };
      const sale = await ok('payments.charge', { orderId: order.id, mode: 'purchase', source: { kind: 'cash', tendered: 500 } }, clerk) as { payment: { id: string } };
      const preview = await ok('printing.preview', { paymentId: sale.payment.id }, clerk) as { lines: string[]; fellBack: boolean; language: string; image: { width: number; height: number; png: string } | null };
      expect(preview).toMatchObject({ fellBack: false, language: 'ar', image: { width: 576 } });
      expect(preview.lines.some((l) => l.includes('مصباح') && l.includes('USD 5.00'))).toBe(true);
      expect(await ok('printing.receipt', { paymentId: sale.payment.id, sale: true }, clerk)).toMatchObject({ status: 'printed', drawerOpened: true });
      await printer.waitForJobs(2);
      expect(printer.receipts).toEqual([]);
      expect(printer.images.map((i) => [i.width, i.rows])).toEqual([[576, preview.image!.height]]);
      expect(printer.drawerKicks).toBe(2);
      const audit = (await ok('audit.list', { limit: 50 })) as { action: string; outcome: string; userName: string | null }[];
      expect(audit.filter((e) => e.action === 'drawer.open').map((e) => `${e.userName}:${e.outcome}`)).toEqual(['Clara Clerk:success', 'Ann Admin:success']);
    } finally {
      await printer.stop();
      await core.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
