import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as CanvasModule from '@napi-rs/canvas';
import type { SKRSContext2D } from '@napi-rs/canvas';
import type { ReceiptRow } from './receipt-layout';

/**
 * A receipt drawn as a 1-bit image for the thermal printer (ESC/POS `GS v 0`), for text its code
 * page cannot carry: Arabic letters must be joined and laid out right to left, which only a font
 * engine does. @napi-rs/canvas (Skia, with HarfBuzz shaping and the Unicode bidi algorithm) draws
 * the same rows the text receipt prints, with a font shipped with the app
 * (docs/decisions/receipt-printer.md). Loaded on first use: a station that never prints an image
 * never loads the native module.
 */

/** Dots across the paper at 203 dpi: 80 mm paper prints 72 mm (576 dots), 58 mm prints 48 mm (384). */
export const PAPER_DOTS = { '80mm': 576, '58mm': 384 } as const;

export interface Bitmap {
  width: number;
  height: number;
  /** Rows of width/8 bytes, most significant bit first; 1 = a black dot. */
  bits: Uint8Array;
}

type Canvas = typeof CanvasModule;

const FAMILY_LATIN = 'POS Receipt Latin';
const FAMILY_ARABIC = 'POS Receipt Arabic';
/** The font's package and its files (OFL): Arabic and Latin, regular and bold. */
export const FONT_PACKAGE = '@fontsource/noto-sans-arabic';
const FONT_FILES: readonly [file: string, family: string, weight: 400 | 700][] = [
  ['noto-sans-arabic-arabic-400-normal.woff2', FAMILY_ARABIC, 400],
  ['noto-sans-arabic-arabic-700-normal.woff2', FAMILY_ARABIC, 700],
  ['noto-sans-arabic-latin-400-normal.woff2', FAMILY_LATIN, 400],
  ['noto-sans-arabic-latin-700-normal.woff2', FAMILY_LATIN, 700],
];

let engine: Promise<Canvas> | null = null;

/**
 * The drawing engine with the receipt font registered. The font files are read with Node's fs
 * (which reads inside Electron's asar archive) and handed over as bytes.
 */
export function rasterEngine(): Promise<Canvas> {
  engine ??= import('@napi-rs/canvas').then((canvas) => {
    const require = createRequire(import.meta.url);
    for (const [file, family, weight] of FONT_FILES) {
      const bytes = readFileSync(require.resolve(`${FONT_PACKAGE}/files/${file}`));
      if (!canvas.GlobalFonts.register(bytes, family, { weight })) throw new Error(`the receipt font ${file} could not be loaded`);
    }
    return canvas;
  });
  // A failed load is tried again next time (and the receipt falls back to the code page meanwhile).
  engine.catch(() => {
    engine = null;
  });
  return engine;
}

export interface RasterStyle {
  /** Dots across the paper. */
  width: number;
  direction: 'ltr' | 'rtl';
}

const SIZE = 24;
const LINE = 36;
const MARGIN = 8;
const INDENT = 24;
const GAP = 16;

/** A value's own direction: the first strong character decides (names may be Latin or Arabic). */
function ownDirection(text: string): 'ltr' | 'rtl' {
  const m = /[A-Za-z\u00C0-\u024F]|[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/.exec(text);
  return m && /[^A-Za-z\u00C0-\u024F]/.test(m[0]) ? 'rtl' : 'ltr';
}

interface Op {
  text: string;
  x: number;
  y: number;
  align: 'left' | 'right' | 'center';
  direction: 'ltr' | 'rtl';
  bold: boolean;
}

function font(bold: boolean): string {
  return `${bold ? 'bold ' : ''}${SIZE}px "${FAMILY_LATIN}", "${FAMILY_ARABIC}"`;
}

/** Greedy word wrap by measured width; a word wider than the line is left whole (it is clipped). */
function wrapMeasured(ctx: SKRSContext2D, text: string, width: number): string[] {
  const words = text.split(/ +/).filter(Boolean);
  const out: string[] = [];
  let line = '';
  for (const w of words) {
    const next = line ? `${line} ${w}` : w;
    if (line && ctx.measureText(next).width > width) {
      out.push(line);
      line = w;
    } else line = next;
  }
  if (line) out.push(line);
  return out.length ? out : [''];
}

/** Draws the rows at the paper's width and thresholds them to black and white dots. */
export function drawRows(canvas: Canvas, rows: readonly ReceiptRow[], style: RasterStyle): Bitmap {
  const { width, direction } = style;
  const measure = canvas.createCanvas(width, 8).getContext('2d');
  const rtl = direction === 'rtl';
  const inner = width - 2 * MARGIN;
  const start = rtl ? width - MARGIN : MARGIN;
  const end = rtl ? MARGIN : width - MARGIN;
  const startAlign = rtl ? 'right' : 'left';
  const endAlign = rtl ? 'left' : 'right';
  const ops: Op[] = [];
  const rules: number[] = [];
  let y = MARGIN;
  const line = (text: string, x: number, align: Op['align'], dir: Op['direction'], bold: boolean) => ops.push({ text, x, y, align, direction: dir, bold });

  for (const row of rows) {
    const bold = row.kind !== 'rule' && (row.bold ?? false);
    measure.font = font(bold);
    measure.direction = direction;
    if (row.kind === 'rule') {
      rules.push(y + LINE / 2);
      y += LINE;
    } else if (row.kind === 'center' || row.kind === 'text') {
      if (!row.text) continue;
      // A centred row is the shop's own name, address or desk (or our title): it keeps its own
      // direction, so "Sandbox Trading Co." never reads ".Sandbox Trading Co" on an Arabic receipt.
      const dir = row.kind === 'center' ? ownDirection(row.text) : direction;
      for (const t of wrapMeasured(measure, row.text, inner)) {
        line(t, row.kind === 'center' ? width / 2 : start, row.kind === 'center' ? 'center' : startAlign, dir, bold);
        y += LINE;
      }
    } else {
      const indent = row.indent ? INDENT : 0;
      const room = inner - indent;
      const valueDir = row.code ? 'ltr' : ownDirection(row.value);
      measure.direction = valueDir;
      const valueWidth = measure.measureText(row.value).width;
      measure.direction = direction;
      const labelX = rtl ? start - indent : start + indent;
      if (measure.measureText(row.label).width + GAP + valueWidth <= room) {
        line(row.label, labelX, startAlign, direction, bold);
      } else {
        // The label on its own line(s), the value under it at the end (as the text receipt does).
        for (const t of wrapMeasured(measure, row.label, room)) {
          line(t, labelX, startAlign, direction, bold);
          y += LINE;
        }
      }
      line(row.value, end, endAlign, valueDir, bold);
      y += LINE;
    }
  }
  const height = y + MARGIN;

  const c = canvas.createCanvas(width, height);
  const ctx = c.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#000';
  ctx.textBaseline = 'middle';
  for (const op of ops) {
    ctx.font = font(op.bold);
    ctx.direction = op.direction;
    ctx.textAlign = op.align;
    ctx.fillText(op.text, op.x, op.y + LINE / 2);
  }
  // A dashed rule across the paper, as the text receipt's row of hyphens.
  for (const ry of rules) for (let x = MARGIN; x < width - MARGIN; x += 12) ctx.fillRect(x, ry - 1, 7, 2);
  return threshold(ctx.getImageData(0, 0, width, height).data, width, height);
}

/** Grey to black and white at half: a dot is black when its luminance is below 128. */
function threshold(rgba: Uint8ClampedArray, width: number, height: number): Bitmap {
  const stride = Math.ceil(width / 8);
  const bits = new Uint8Array(stride * height);
  for (let yy = 0; yy < height; yy++) {
    for (let x = 0; x < width; x++) {
      const i = (yy * width + x) * 4;
      const lum = 0.2126 * rgba[i]! + 0.7152 * rgba[i + 1]! + 0.0722 * rgba[i + 2]!;
      const at = yy * stride + (x >> 3);
      if (lum < 128) bits[at] = (bits[at] ?? 0) | (0x80 >> (x & 7));
    }
  }
  return { width, height, bits };
}

/** Draws the rows (loading the engine and the font on first use). */
export async function rasterRows(rows: readonly ReceiptRow[], style: RasterStyle): Promise<Bitmap> {
  return drawRows(await rasterEngine(), rows, style);
}

/** The bitmap as a PNG (the screen's preview of the paper, and the docs' sample). */
export async function bitmapPng(b: Bitmap): Promise<Buffer> {
  const canvas = await rasterEngine();
  const c = canvas.createCanvas(b.width, b.height);
  const ctx = c.getContext('2d');
  const img = ctx.createImageData(b.width, b.height);
  const stride = Math.ceil(b.width / 8);
  for (let y = 0; y < b.height; y++) {
    for (let x = 0; x < b.width; x++) {
      const on = (b.bits[y * stride + (x >> 3)]! & (0x80 >> (x & 7))) !== 0;
      const i = (y * b.width + x) * 4;
      const v = on ? 0 : 255;
      img.data[i] = v;
      img.data[i + 1] = v;
      img.data[i + 2] = v;
      img.data[i + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
  return c.encode('png');
}

/**
 * `GS v 0` raster commands, in bands of at most `bandRows` rows: printers take a band at a time
 * into their buffer, and a long receipt in one command exceeds what many accept.
 */
export function rasterBands(b: Bitmap, bandRows = 256): Buffer[] {
  const stride = Math.ceil(b.width / 8);
  const out: Buffer[] = [];
  for (let y0 = 0; y0 < b.height; y0 += bandRows) {
    const rows = Math.min(bandRows, b.height - y0);
    const head = Buffer.from([0x1d, 0x76, 0x30, 0x00, stride & 0xff, stride >> 8, rows & 0xff, rows >> 8]);
    out.push(Buffer.concat([head, b.bits.subarray(y0 * stride, (y0 + rows) * stride)]));
  }
  return out;
}
