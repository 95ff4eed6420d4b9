import { CharacterSet, PrinterTypes, ThermalPrinter } from 'node-thermal-printer';
import { rasterBands, type Bitmap } from './raster';
import type { PrintLine } from './receipt-layout';

/**
 * ESC/POS bytes through node-thermal-printer (docs/decisions/receipt-printer.md): the library
 * knows the commands (init, code page, bold, alignment, cut, drawer pulse); the bytes go to the
 * printer through our own link (printer-link.ts), which knows when a printer went away.
 */
export interface EscPosJob {
  columns: number;
  /** Pulse the cash drawer first: it opens while the receipt prints, even if the paper jams. */
  kick: boolean;
  /** The receipt's lines; none for a drawer-only job. */
  lines: readonly PrintLine[];
}

function builder(columns: number): ThermalPrinter {
  // The interface string is never used: the buffer is taken with getBuffer() and sent by printer-link.
  return new ThermalPrinter({
    type: PrinterTypes.EPSON,
    interface: 'tcp://127.0.0.1:9',
    width: columns,
    characterSet: CharacterSet.PC858_EURO,
    removeSpecialCharacters: false,
  });
}

/** ESC p 0 25 250: pulse on drawer connector pin 2 for 25 × 2 ms, then 250 × 2 ms off. */
export const DRAWER_PULSE = Buffer.from([0x1b, 0x70, 0x00, 25, 250]);

export function encodeJob(job: EscPosJob): Buffer {
  const p = builder(job.columns);
  // ESC @ resets what a previous job left (bold, alignment), then the code page again.
  p.setBuffer(Buffer.from([0x1b, 0x40]));
  p.setCharacterSet(CharacterSet.PC858_EURO);
  // Not the library's openCashDrawer(): it sends ESC p m without the two pulse-time bytes the
  // command takes (ESC p m t1 t2), so a printer reads the next command's bytes as pulse times
  // (the virtual printer's decoder caught it). Pin 2, 50 ms on, 500 ms off: what drawers expect.
  if (job.kick) p.add(DRAWER_PULSE);
  if (job.lines.length) {
    for (const l of job.lines) {
      if (l.align === 'center') p.alignCenter();
      else p.alignLeft();
      if (l.bold) p.bold(true);
      // The layout already fits the paper; the library encodes the text in the code page.
      p.print(l.text);
      if (l.bold) p.bold(false);
      p.newLine();
    }
    p.alignLeft();
    p.cut();
  }
  return p.getBuffer();
}

/**
 * A receipt drawn as an image (raster.ts): `GS v 0` bands at the paper's width, then the same feed
 * and cut as a text receipt. The drawer pulse, when there is one, goes in its own job first (as
 * for text).
 */
export function encodeRasterJob(image: Bitmap): Buffer {
  const p = builder(Math.floor(image.width / 12));
  p.setBuffer(Buffer.concat([Buffer.from([0x1b, 0x40]), ...rasterBands(image)]));
  p.cut();
  return p.getBuffer();
}

/** ESC/POS status requests: the printer answers one byte each. */
export const STATUS = {
  /** DLE EOT 4: real-time roll paper sensor status, answered even while the printer is offline. */
  paperNow: Buffer.from([0x10, 0x04, 0x04]),
  /** GS r 1: paper status, answered after everything before it was processed. */
  paperAfter: Buffer.from([0x1d, 0x72, 0x01]),
};

/** DLE EOT 4 answer: bits 5 and 6 set = roll paper end detected. */
export function paperOutNow(b: number): boolean {
  return (b & 0x60) === 0x60;
}

/** GS r 1 answer: bits 2 and 3 set = roll paper end detected. */
export function paperOutAfter(b: number): boolean {
  return (b & 0x0c) !== 0;
}
