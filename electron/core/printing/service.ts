import { PAPER_COLUMNS, type PaperWidth, type PrinterConfig, type PrintOutcome, type PrintProblem, type ReceiptModel } from '../../../shared/contract';
import type { CoreDeps } from '../deps';
import { auditAs } from '../ledger/audit-as';
import type { PrinterConfigStore } from './config-store';
import { encodeJob, encodeRasterJob } from './escpos';
import { DEFAULT_TIMEOUTS, sendDeviceJob, sendJob, type LinkTimeouts } from './printer-link';
import { buildReceiptModel } from './receipt-model';
import { bitmapPng, PAPER_DOTS, rasterRows, type Bitmap } from './raster';
import { layoutReceipt, layoutTestPage, receiptRows, rowsPrintable, testPageRows, textLines, type PrintLine, type ReceiptRow } from './receipt-layout';
import { receiptLanguage, type ReceiptLanguage } from './receipt-words';

type Actor = { id: string; name: string };

type Paper =
  | { kind: 'text'; lang: ReceiptLanguage; lines: PrintLine[]; fellBack: boolean }
  | { kind: 'image'; lang: ReceiptLanguage; rows: ReceiptRow[]; image: Bitmap; lines: PrintLine[] };

export interface PrintingOptions {
  timeouts?: LinkTimeouts;
  /** How long after a sale its first print still opens the drawer (a later print is a reprint). */
  saleWindowMs?: number;
}

/** The printer can be reached: an address (network) or a device path (USB). */
const reachable = (c: PrinterConfig): boolean => (c.connection === 'usb' ? c.device.length > 0 : c.host.length > 0);

const outcome = (status: PrintOutcome['status'], problem: PrintProblem | null, detail = '', drawerOpened = false): PrintOutcome => ({ status, problem, detail, drawerOpened });

/**
 * Receipts and the cash drawer on this desk's ESC/POS printer. Printing happens after the sale was
 * committed, in its own call: it reads the ledger and never writes a payment, so a printer that is
 * off, refuses, times out or goes away mid-receipt changes nothing about the sale; the outcome
 * says what went wrong and the receipt can be printed again from the order at any time.
 * Jobs run one at a time per desk so two receipts never interleave on the paper.
 */
export class PrintingService {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly salesDone = new Set<string>();
  private last: (PrintOutcome & { at: string }) | null = null;
  private readonly timeouts: LinkTimeouts;
  private readonly saleWindowMs: number;

  constructor(private readonly deps: CoreDeps, private readonly store: PrinterConfigStore, opts: PrintingOptions = {}) {
    this.timeouts = opts.timeouts ?? DEFAULT_TIMEOUTS;
    this.saleWindowMs = opts.saleWindowMs ?? 15 * 60_000;
  }

  state() {
    const config = this.store.get();
    return { config, columns: PAPER_COLUMNS[config.width], last: this.last };
  }

  configure(config: PrinterConfig, actor: Actor) {
    const before = this.store.get();
    const after = this.store.set(config);
    const changed = (Object.keys(after) as (keyof PrinterConfig)[]).filter((k) => before[k] !== after[k]);
    auditAs(this.deps, actor, { action: 'printing.configure', outcome: 'success', target: null, detail: changed.length ? `changed ${changed.join(', ')}` : 'no change' });
    return this.state();
  }

  /**
   * What goes on paper: text in the code page when it can carry every character (an English
   * receipt or test page), else the same rows drawn as an image (Arabic, or English with an Arabic
   * name). Without the drawing engine (it failed to load) the English text, `fellBack`.
   */
  private async draw(lang: ReceiptLanguage, rows: ReceiptRow[], width: PaperWidth, english: () => PrintLine[]): Promise<Paper> {
    if (lang === 'en' && rowsPrintable(rows)) return { kind: 'text', lang, lines: english(), fellBack: false };
    try {
      const image = await rasterRows(rows, { width: PAPER_DOTS[width], direction: lang === 'ar' ? 'rtl' : 'ltr' });
      return { kind: 'image', lang, rows, image, lines: textLines(rows, PAPER_COLUMNS[width]) };
    } catch (e) {
      this.deps.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'receipt image could not be drawn; printing English text');
      return { kind: 'text', lang: 'en', lines: english(), fellBack: lang !== 'en' };
    }
  }

  private paper(model: ReceiptModel, width: PaperWidth): Promise<Paper> {
    const lang = receiptLanguage(this.deps.settings.get().locale);
    return this.draw(lang, receiptRows(model, { lang, codePage: false }), width, () => layoutReceipt(model, PAPER_COLUMNS[width]));
  }

  /** The receipt as printed (the screen's preview of the paper): its lines, and the image when it prints as one. */
  async preview(paymentId: string) {
    const model = buildReceiptModel(this.deps.db, paymentId, this.deps.settings.get());
    const width = this.store.get().width;
    const columns = PAPER_COLUMNS[width];
    const paper = await this.paper(model, width);
    const lines = paper.lines.map((l) => render(l, columns));
    const image = paper.kind === 'image' ? { png: `data:image/png;base64,${(await bitmapPng(paper.image)).toString('base64')}`, width: paper.image.width, height: paper.image.height } : null;
    return { model, lines, columns, language: paper.lang, fellBack: paper.kind === 'text' && paper.fellBack, image };
  }

  /** A test page in the station's language, on the printer as given (before or after saving it). */
  async test(config: PrinterConfig): Promise<PrintOutcome> {
    if (!reachable(config)) return outcome('failed', 'not_configured');
    const s = this.deps.settings.get();
    const lang = receiptLanguage(s.locale);
    const shop = { name: s.merchantName, station: s.stationName };
    const columns = PAPER_COLUMNS[config.width];
    const rows = testPageRows(shop, { width: config.width, columns, dots: PAPER_DOTS[config.width] }, { lang, codePage: false });
    const paper = await this.draw(lang, rows, config.width, () => layoutTestPage(shop, config.width, columns));
    return this.run(config, null, paperJob(paper, columns));
  }

  /**
   * Prints the receipt of the payment's order. `sale`: the print right after the sale: skipped
   * when auto-print is off, and opens the drawer when the order has a cash tender (once per order,
   * and only within the sale window: a later call is a reprint and leaves the drawer shut).
   */
  async receipt(paymentId: string, sale: boolean, actor: Actor): Promise<PrintOutcome> {
    const config = this.store.get();
    const model = buildReceiptModel(this.deps.db, paymentId, this.deps.settings.get());
    const firstPrint = sale && !this.salesDone.has(model.orderId) && this.deps.clock.now().getTime() - Date.parse(model.at) < this.saleWindowMs;
    const hasCash = model.tenders.some((t) => t.method === 'cash' && t.amount > 0);
    const kick = firstPrint && hasCash && config.enabled && config.drawer;
    if (sale) this.salesDone.add(model.orderId);
    if (!config.enabled || !reachable(config)) return outcome(sale ? 'skipped' : 'failed', 'not_configured');
    if (sale && !config.autoPrint && !kick) return outcome('skipped', null);
    const columns = PAPER_COLUMNS[config.width];
    const paper = sale && !config.autoPrint ? null : await this.paper(model, config.width);
    const body = paper ? paperJob(paper, columns) : null;
    const result = await this.run(config, kick ? encodeJob({ columns, kick: true, lines: [] }) : null, body);
    if (kick) auditAs(this.deps, actor, { action: 'drawer.open', outcome: result.drawerOpened ? 'success' : 'failure', target: model.orderId, detail: `cash sale ${model.orderReference}${result.problem ? `; printer ${result.problem}` : ''}` });
    auditAs(this.deps, actor, { action: sale ? 'receipt.print' : 'receipt.reprint', outcome: result.status === 'printed' || !body ? 'success' : 'failure', target: paymentId, detail: `${model.orderReference}${result.problem ? `: ${result.problem}` : ''}` });
    return body ? result : { ...result, status: result.drawerOpened ? 'skipped' : result.status };
  }

  /** An admin's "Open drawer": audited whether or not the printer answered. */
  async openDrawer(actor: Actor): Promise<PrintOutcome> {
    const config = this.store.get();
    if (!config.enabled || !reachable(config) || !config.drawer) {
      auditAs(this.deps, actor, { action: 'drawer.open', outcome: 'failure', target: null, detail: 'no drawer at this desk' });
      return outcome('failed', 'not_configured');
    }
    const result = await this.run(config, encodeJob({ columns: PAPER_COLUMNS[config.width], kick: true, lines: [] }), null);
    auditAs(this.deps, actor, { action: 'drawer.open', outcome: result.drawerOpened ? 'success' : 'failure', target: null, detail: result.problem ? `admin; printer ${result.problem}` : 'admin' });
    return result;
  }

  /** One job at a time; a failed job never blocks the next. */
  private run(config: PrinterConfig, drawer: Buffer | null, body: Buffer | null): Promise<PrintOutcome> {
    const job = this.queue.then(async () => {
      const r = config.connection === 'usb' ? await sendDeviceJob(config.device, { drawer, body }, this.timeouts) : await sendJob({ host: config.host, port: config.port }, { drawer, body }, this.timeouts);
      const o = r.ok ? outcome('printed', null, '', drawer !== null) : outcome('failed', r.problem, r.detail, r.drawerSent && r.problem === 'paper_out');
      this.last = { ...o, at: this.deps.clock.now().toISOString() };
      if (!r.ok) this.deps.log.warn({ problem: r.problem, detail: r.detail }, 'receipt printer problem');
      return o;
    });
    this.queue = job.catch(() => undefined);
    return job;
  }
}

/** The bytes of a job without the drawer: the image's bands, or the text lines; then the cut. */
function paperJob(paper: Paper, columns: number): Buffer {
  return paper.kind === 'image' ? encodeRasterJob(paper.image) : encodeJob({ columns, kick: false, lines: paper.lines });
}

/** A laid-out line as the paper shows it (centred lines padded like the printer centres them). */
export function render(l: PrintLine, columns: number): string {
  if (l.align !== 'center') return l.text;
  const pad = Math.floor((columns - l.text.length) / 2);
  return ' '.repeat(Math.max(0, pad)) + l.text;
}

