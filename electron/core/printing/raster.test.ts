import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PAPER_COLUMNS, type ReceiptModel } from '../../../shared/contract';
import { startHarness, type Harness } from '../payments/test-harness';
import { MemoryPrinterConfigStore } from './config-store';
import { encodeRasterJob } from './escpos';
import { bitmapPng, drawRows, PAPER_DOTS, rasterEngine, rasterRows, type Bitmap } from './raster';
import { receiptRows, rowsPrintable, testPageRows, textLines } from './receipt-layout';
import { PrintingService } from './service';
import { sampleReceipt } from './test-helpers';
import { blackDots, EscPosDecoder, VirtualPrinter } from './virtual-printer';

/**
 * Arabic on the thermal printer (issue #17): the receipt drawn as a 1-bit image by a real font
 * engine (@napi-rs/canvas) with the font shipped in node_modules, sent as `GS v 0` bands to a real
 * TCP printer (the virtual printer decodes them), and a real ledger with sales through the sandbox.
 */

const FAST = { connectMs: 500, answerMs: 400 };

/** The sample receipt at an Arabic shop, with an Arabic-script customer and item name. */
const model = (over: Partial<ReceiptModel> = {}): ReceiptModel => sampleReceipt({
  shop: { name: 'متجر الصندوق', address: 'شارع السوق ١\nالكويت', station: 'مكتب 1' },
  customerName: 'سارة Al-Sabah',
  lines: [{ description: 'Reading lamp', quantity: 2, unitPrice: 4_250, taxRateBp: 0, amount: 8_500 }, { description: 'طاولة خشب', quantity: 1, unitPrice: 12_500, taxRateBp: 500, amount: 12_500 }],
  ...over,
});

/** Black dots per column range [x0, x1) over the whole image. */
function inkBetween(b: Bitmap, x0: number, x1: number): number {
  const stride = Math.ceil(b.width / 8);
  let n = 0;
  for (let y = 0; y < b.height; y++) for (let x = x0; x < x1; x++) if (b.bits[y * stride + (x >> 3)]! & (0x80 >> (x & 7))) n++;
  return n;
}

/** The leftmost and rightmost columns with ink. */
function inkExtent(b: Bitmap): [number, number] {
  let lo = b.width;
  let hi = -1;
  for (let x = 0; x < b.width; x++) {
    if (inkBetween(b, x, x + 1)) {
      lo = Math.min(lo, x);
      hi = x;
    }
  }
  return [lo, hi];
}

describe('the receipt drawn as an image (pure)', () => {
  it('an Arabic receipt has the text receipt\'s rows in the same order, Arabic words and the real names', () => {
    const rows = receiptRows(model(), { lang: 'ar', codePage: false });
    const text = textLines(rows, 48).map((l) => l.text);
    expect(text).toContain('-'.repeat(48));
    expect(rows.filter((r) => r.kind === 'pair').map((r) => (r.kind === 'pair' ? r.label : ''))).toEqual([
      'التاريخ', 'الطلب', 'العميل', '2 \u00d7 \u2068Reading lamp\u2069', '1 \u00d7 \u2068طاولة خشب\u2069', 'الصافي', 'الضريبة', 'الإجمالي',
      'نقدًا', 'المدفوع', 'الباقي', 'البطاقة \u2066VISA ****0001\u2069', 'رمز التفويض', 'المرجع', 'مرجع البوابة',
    ]);
    expect(rowsPrintable(rows)).toBe(false);
    // The English receipt has as many rows, in the same order (only the words differ).
    const en = receiptRows(model(), { lang: 'en', codePage: false });
    expect(en.map((r) => r.kind)).toEqual(rows.map((r) => r.kind));
  });

  it('draws at the paper\'s width (576 dots on 80 mm, 384 on 58 mm), black on white, a line of rows per row', async () => {
    const canvas = await rasterEngine();
    const rows = receiptRows(model(), { lang: 'ar', codePage: false });
    for (const [width, dots] of Object.entries(PAPER_DOTS)) {
      const b = drawRows(canvas, rows, { width: dots, direction: 'rtl' });
      expect(b.width, width).toBe(dots);
      expect(b.bits.length).toBe((dots / 8) * b.height);
      // Every row takes at least one line; nothing is drawn outside the margins.
      expect(b.height).toBeGreaterThanOrEqual(rows.length * 36);
      expect(blackDots(b.bits)).toBeGreaterThan(5_000);
      expect(inkBetween(b, 0, 6)).toBe(0);
      expect(inkBetween(b, dots - 6, dots)).toBe(0);
    }
  });

  it('right to left: an Arabic label starts at the right edge, its value (an amount) sits at the left; English is the mirror', async () => {
    const canvas = await rasterEngine();
    const ar = drawRows(canvas, [{ kind: 'pair', label: 'الإجمالي', value: '' }], { width: 576, direction: 'rtl' });
    expect(inkBetween(ar, 0, 288)).toBe(0);
    expect(inkExtent(ar)[1]).toBeGreaterThan(576 - 20);
    const en = drawRows(canvas, [{ kind: 'pair', label: 'Total', value: '' }], { width: 576, direction: 'ltr' });
    expect(inkBetween(en, 288, 576)).toBe(0);
    expect(inkExtent(en)[0]).toBeLessThan(20);
    const amount = drawRows(canvas, [{ kind: 'pair', label: '', value: 'KWD 21.625', code: true }], { width: 576, direction: 'rtl' });
    expect(inkBetween(amount, 288, 576)).toBe(0);
  });

  it('a Latin shop name, address or desk keeps its own direction on an Arabic receipt (no stop or number moved to the other end)', async () => {
    const canvas = await rasterEngine();
    for (const text of ['Sandbox Trading Co.', '1 Market Street', 'Desk 1']) {
      const rtl = drawRows(canvas, [{ kind: 'center', text }], { width: 576, direction: 'rtl' });
      const ltr = drawRows(canvas, [{ kind: 'center', text }], { width: 576, direction: 'ltr' });
      expect(Buffer.compare(Buffer.from(rtl.bits), Buffer.from(ltr.bits)), text).toBe(0);
    }
  });

  it('Arabic letters are joined (shaped): a word is narrower than its letters kept apart', async () => {
    const canvas = await rasterEngine();
    const width = (text: string) => {
      const [lo, hi] = inkExtent(drawRows(canvas, [{ kind: 'text', text }], { width: 576, direction: 'rtl' }));
      return hi - lo;
    };
    // ZWNJ keeps each letter in its isolated form; without shaping both would be drawn alike.
    const joined = width('ببببب');
    const apart = width('ب\u200cب\u200cب\u200cب\u200cب');
    expect(joined).toBeLessThan(apart * 0.75);
  });

  it('GS v 0 bands decode back to the same image, then one cut', async () => {
    const b = await rasterRows(receiptRows(model(), { lang: 'ar', codePage: false }), { width: 384, direction: 'rtl' });
    const d = new EscPosDecoder();
    const bytes = encodeRasterJob(b);
    for (let i = 0; i < bytes.length; i += 997) d.push(bytes.subarray(i, i + 997));
    expect(d.unknown).toEqual([]);
    const [image, ...more] = d.images;
    expect(more).toEqual([]);
    expect(image).toMatchObject({ width: 384, rows: b.height, bands: Math.ceil(b.height / 256) });
    expect(Buffer.compare(image!.bits, Buffer.from(b.bits))).toBe(0);
    expect(d.lines).toEqual([]);
    expect(d.cuts).toBe(1);
    expect(d.events.findIndex((e) => e.kind === 'cut')).toBeGreaterThan(d.events.findLastIndex((e) => e.kind === 'raster'));
  });

  it('the Arabic sample receipt, saved for the docs (docs/screenshots/receipt-arabic-thermal.png)', async () => {
    const b = await rasterRows(receiptRows(model(), { lang: 'ar', codePage: false }), { width: 576, direction: 'rtl' });
    const png = await bitmapPng(b);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const dir = join(import.meta.dirname, '../../../docs/screenshots');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'receipt-arabic-thermal.png'), png);
  });
});

describe('an image receipt on a real TCP printer', () => {
  let h: Harness;
  let printer: VirtualPrinter;
  beforeAll(async () => {
    h = await startHarness({ settings: { currency: 'KWD', merchantName: 'متجر الصندوق', merchantAddress: 'شارع السوق', stationName: 'مكتب 1', locale: 'ar-KW' } });
  });
  afterAll(async () => h.close());
  afterEach(async () => {
    h.deps.settings.update({ locale: 'ar-KW', merchantName: 'متجر الصندوق', merchantAddress: 'شارع السوق', stationName: 'مكتب 1' });
    await printer?.stop();
  });

  async function start(opts: ConstructorParameters<typeof VirtualPrinter>[0] = {}, width: '80mm' | '58mm' = '80mm') {
    printer = new VirtualPrinter(opts);
    const port = await printer.start();
    const store = new MemoryPrinterConfigStore({ enabled: true, host: '127.0.0.1', port, width, drawer: true, autoPrint: true });
    return { store, service: new PrintingService(h.deps, store, { timeouts: FAST }) };
  }
  const actor = { id: 'u1', name: 'سارة' };

  async function cashSale(description = 'مصباح قراءة', tendered = 10_000) {
    const order = await h.call('orders.create', { channel: 'counter', currency: 'KWD', customerId: null, lines: [{ description, quantity: 2, unitPrice: 4_250, taxRateBp: 0 }] });
    const r = await h.call('payments.charge', { orderId: order.id, mode: 'purchase', source: { kind: 'cash', tendered } });
    return { order, payment: r.payment };
  }

  for (const [width, dots] of [['80mm', 576], ['58mm', 384]] as const) {
    it(`${width}: an Arabic cash sale arrives as an image ${dots} dots wide with the preview's rows, then the cut, and the drawer opens exactly once`, async () => {
      const { service } = await start({}, width);
      const { payment } = await cashSale();
      const preview = await service.preview(payment.id);
      expect(preview).toMatchObject({ language: 'ar', fellBack: false, image: { width: dots } });
      expect(await service.receipt(payment.id, true, actor)).toEqual({ status: 'printed', problem: null, detail: '', drawerOpened: true });
      await printer.waitForJobs(1);
      expect(printer.receipts).toEqual([]);
      expect(printer.images).toHaveLength(1);
      const image = printer.images[0]!;
      expect(image.width).toBe(dots);
      expect(image.rows).toBe(preview.image!.height);
      expect(image.bands).toBe(Math.ceil(image.rows / 256));
      expect(blackDots(image.bits)).toBeGreaterThan(5_000);
      // The drawer pulse first (it opens while the receipt prints), then the image's bands and one cut.
      expect(printer.drawerKicks).toBe(1);
      const kinds = printer.jobs[0]!.decoder.events.map((e) => e.kind).filter((k) => k !== 'status');
      expect(kinds[0]).toBe('drawer');
      expect(kinds.at(-1)).toBe('cut');
      expect(kinds.slice(1, -1)).toEqual(Array(image.bands).fill('raster'));
      // A reprint: the same image again, the drawer stays shut.
      await service.receipt(payment.id, false, actor);
      await printer.waitForJobs(2);
      expect(printer.images).toHaveLength(2);
      expect(Buffer.compare(printer.images[1]!.bits, image.bits)).toBe(0);
      expect(printer.drawerKicks).toBe(1);
    });
  }

  for (const [width, dots] of [['80mm', 576], ['58mm', 384]] as const) {
    it(`${width}: an Arabic station's test print is an image ${dots} dots wide, right to left, in the catalogue's Arabic, then the cut; no drawer`, async () => {
      const { service, store } = await start({}, width);
      expect(await service.test(store.get())).toEqual({ status: 'printed', problem: null, detail: '', drawerOpened: false });
      await printer.waitForJobs(1);
      expect(printer.receipts).toEqual([]);
      expect(printer.images).toHaveLength(1);
      const image = printer.images[0]!;
      expect(image.width).toBe(dots);
      const rows = testPageRows({ name: 'متجر الصندوق', station: 'مكتب 1' }, { width, columns: PAPER_COLUMNS[width], dots }, { lang: 'ar', codePage: false });
      expect(rows).toContainEqual({ kind: 'center', text: 'طباعة تجريبية', bold: true });
      expect(rows).toContainEqual({ kind: 'text', text: `ورق ${width}: يُطبع صورةً بعرض ${dots} نقطة` });
      // The printer got exactly these rows drawn right to left: dot for dot, and not their mirror.
      const canvas = await rasterEngine();
      const expected = drawRows(canvas, rows, { width: dots, direction: 'rtl' });
      expect(image.rows).toBe(expected.height);
      expect(Buffer.compare(image.bits, Buffer.from(expected.bits))).toBe(0);
      expect(Buffer.compare(image.bits, Buffer.from(drawRows(canvas, rows, { width: dots, direction: 'ltr' }).bits))).not.toBe(0);
      const line = drawRows(canvas, rows.filter((r) => r.kind === 'text').slice(0, 1), { width: dots, direction: 'rtl' });
      expect(inkExtent(line)[1]).toBeGreaterThan(dots - 20);
      const kinds = printer.jobs[0]!.decoder.events.map((e) => e.kind).filter((k) => k !== 'status');
      expect(kinds).toEqual([...Array(image.bands).fill('raster'), 'cut']);
      expect(printer.drawerKicks).toBe(0);
    });
  }

  it('an English station\'s test print: text on the code page; with an Arabic shop name, an English image with the name as written', async () => {
    h.deps.settings.update({ locale: 'en-US', merchantName: 'Sandbox Trading Co.', stationName: 'Counter 1' });
    const { service, store } = await start();
    expect(await service.test(store.get())).toMatchObject({ status: 'printed' });
    await printer.waitForJobs(1);
    expect(printer.images).toEqual([]);
    expect(printer.receipts[0]).toEqual(expect.arrayContaining(['TEST PRINT', 'This printer is set up for Counter 1.', 'Paper 80mm: 48 characters a line']));

    h.deps.settings.update({ merchantName: 'متجر الصندوق' });
    expect(await service.test(store.get())).toMatchObject({ status: 'printed' });
    await printer.waitForJobs(2);
    expect(printer.images).toHaveLength(1);
    const rows = testPageRows({ name: 'متجر الصندوق', station: 'Counter 1' }, { width: '80mm', columns: 48, dots: 576 }, { lang: 'en', codePage: false });
    expect(rows).toContainEqual({ kind: 'center', text: 'متجر الصندوق', bold: true });
    expect(rows).toContainEqual({ kind: 'text', text: 'Paper 80mm: printed as an image 576 dots wide' });
    const expected = drawRows(await rasterEngine(), rows, { width: 576, direction: 'ltr' });
    expect(Buffer.compare(printer.images[0]!.bits, Buffer.from(expected.bits))).toBe(0);
  });

  it('an English station still prints text; an English receipt with an Arabic name prints as an image with the name', async () => {
    h.deps.settings.update({ locale: 'en-US', merchantName: 'Sandbox Trading Co.', merchantAddress: '1 Market Street', stationName: 'Counter 1' });
    const { service } = await start();
    const { payment } = await cashSale('Reading lamp');
    expect(await service.preview(payment.id)).toMatchObject({ language: 'en', image: null });
    expect(await service.receipt(payment.id, false, actor)).toMatchObject({ status: 'printed' });
    await printer.waitForJobs(1);
    expect(printer.images).toEqual([]);
    expect(printer.receipts[0]).toEqual(expect.arrayContaining(['RECEIPT', 'Thank you']));

    const arabicName = await cashSale('مصباح قراءة');
    const preview = await service.preview(arabicName.payment.id);
    expect(preview).toMatchObject({ language: 'en', image: { width: 576 } });
    expect(preview.lines.some((l) => l.includes('مصباح قراءة'))).toBe(true);
    expect(await service.receipt(arabicName.payment.id, false, actor)).toMatchObject({ status: 'printed' });
    await printer.waitForJobs(2);
    expect(printer.images).toHaveLength(1);
  });

  it('a printer that goes away in the middle of the image: not printed, the sale stands, and the receipt reprints in full', async () => {
    const { service, store } = await start({ hangUpAfter: 4_000 });
    const { payment } = await cashSale();
    const out = await service.receipt(payment.id, false, actor);
    expect(out).toMatchObject({ status: 'failed', problem: 'disconnected' });
    expect(printer.jobs[0]!.cutOff).toBe(true);
    expect(printer.jobs[0]!.decoder.cuts).toBe(0);
    expect((await h.call('payments.get', { paymentId: payment.id })).payment).toMatchObject({ status: 'captured', captured: 8_500 });

    await printer.stop();
    printer = new VirtualPrinter();
    store.set({ ...store.get(), port: await printer.start() });
    expect(await service.receipt(payment.id, false, actor)).toMatchObject({ status: 'printed' });
    await printer.waitForJobs(1);
    expect(printer.images).toHaveLength(1);
    expect(printer.images[0]!.rows).toBe((await service.preview(payment.id)).image!.height);
    expect(printer.jobs[0]!.decoder.cuts).toBe(1);
  });
});
