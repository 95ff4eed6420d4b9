import { createServer, type Server, type Socket } from 'node:net';
import iconv from 'iconv-lite';

/**
 * A virtual ESC/POS printer for tests and demos (issue #20): a TCP server that decodes what it is
 * sent into printed lines, raster images (`GS v 0`), cuts and drawer pulses, and answers the status requests like a real
 * printer. Variants: `refuse` (nothing listening), `hangUpAfter` bytes (goes away mid-receipt),
 * `silent` (never answers), `paperOut`. Never started by the product itself: unit tests, e2e and
 * `npm run virtual-printer` start it.
 */

export interface PrintedLine {
  text: string;
  bold: boolean;
  align: 'left' | 'center' | 'right';
}

export type PrinterEvent =
  | { kind: 'line'; line: PrintedLine }
  | { kind: 'cut' }
  /** One drawer opening: consecutive ESC p pulses (pin 2 and pin 5) count as one. */
  | { kind: 'drawer'; pins: number[] }
  | { kind: 'status'; request: 'paperNow' | 'paperAfter' }
  /** One `GS v 0` band: `rows` rows of `width` dots, 1 bit a dot (most significant first, 1 = black). */
  | { kind: 'raster'; width: number; rows: number; mode: number; bits: Buffer };

/** ESC t n → the iconv name of the code pages we decode. */
const CODE_PAGES: Record<number, string> = { 0: 'cp437', 2: 'cp850', 19: 'cp858', 16: 'win1252' };

/** Decodes an ESC/POS byte stream. Unknown commands are recorded, not guessed at. */
export class EscPosDecoder {
  readonly events: PrinterEvent[] = [];
  readonly unknown: number[] = [];
  private text: number[] = [];
  private bold = false;
  private align: PrintedLine['align'] = 'left';
  private codePage = 0;
  private pending = Buffer.alloc(0);

  constructor(private readonly onStatus: (request: 'paperNow' | 'paperAfter') => void = () => {}) {}

  /** Feeds bytes as they arrive (a command may be split across two packets). */
  push(chunk: Buffer): void {
    const buf = Buffer.concat([this.pending, chunk]);
    let i = 0;
    const need = (n: number) => i + n <= buf.length;
    while (i < buf.length) {
      const b = buf[i]!;
      if (b === 0x0a) {
        this.endLine();
        i += 1;
      } else if (b === 0x1b) {
        if (!need(2)) break;
        const cmd = buf[i + 1]!;
        if (cmd === 0x40) {
          this.bold = false;
          this.align = 'left';
          this.codePage = 0;
          i += 2;
        } else if (cmd === 0x70) {
          if (!need(5)) break;
          const pin = buf[i + 2]! & 1;
          const last = this.events[this.events.length - 1];
          // ESC p 0 then ESC p 1 back to back is one opening on either connector.
          if (last?.kind === 'drawer' && !last.pins.includes(pin) && this.lastWasKick) last.pins.push(pin);
          else this.events.push({ kind: 'drawer', pins: [pin] });
          i += 5;
          this.lastWasKick = true;
          continue;
        } else if (cmd === 0x74 || cmd === 0x61 || cmd === 0x45 || cmd === 0x21 || cmd === 0x64 || cmd === 0x4d || cmd === 0x2d || cmd === 0x47) {
          if (!need(3)) break;
          const n = buf[i + 2]!;
          if (cmd === 0x74) this.codePage = n;
          else if (cmd === 0x61) this.align = n === 1 || n === 49 ? 'center' : n === 2 || n === 50 ? 'right' : 'left';
          else if (cmd === 0x45) this.bold = (n & 1) === 1;
          else if (cmd === 0x21) this.bold = (n & 0x08) !== 0;
          i += 3;
        } else {
          this.unknown.push(0x1b, cmd);
          i += 2;
        }
      } else if (b === 0x1d) {
        if (!need(2)) break;
        const cmd = buf[i + 1]!;
        if (cmd === 0x56) {
          if (!need(3)) break;
          const m = buf[i + 2]!;
          const len = m === 65 || m === 66 ? 4 : 3;
          if (!need(len)) break;
          this.endLine(true);
          this.events.push({ kind: 'cut' });
          i += len;
        } else if (cmd === 0x72) {
          if (!need(3)) break;
          this.events.push({ kind: 'status', request: 'paperAfter' });
          this.onStatus('paperAfter');
          i += 3;
        } else if (cmd === 0x21) {
          if (!need(3)) break;
          i += 3;
        } else if (cmd === 0x76) {
          // GS v 0 m xL xH yL yH d1…dk: a raster band, (xL + xH·256) bytes a row, (yL + yH·256) rows.
          if (!need(8)) break;
          if (buf[i + 2] !== 0x30) {
            this.unknown.push(0x1d, cmd, buf[i + 2]!);
            i += 3;
            continue;
          }
          const stride = buf[i + 4]! + buf[i + 5]! * 256;
          const rows = buf[i + 6]! + buf[i + 7]! * 256;
          if (!need(8 + stride * rows)) break;
          this.endLine(true);
          this.events.push({ kind: 'raster', width: stride * 8, rows, mode: buf[i + 3]!, bits: Buffer.from(buf.subarray(i + 8, i + 8 + stride * rows)) });
          i += 8 + stride * rows;
        } else {
          this.unknown.push(0x1d, cmd);
          i += 2;
        }
      } else if (b === 0x10) {
        if (!need(3)) break;
        if (buf[i + 1] === 0x04) {
          this.events.push({ kind: 'status', request: 'paperNow' });
          this.onStatus('paperNow');
        } else this.unknown.push(0x10, buf[i + 1]!);
        i += 3;
      } else if (b < 0x20) {
        this.unknown.push(b);
        i += 1;
      } else {
        this.text.push(b);
        // A line is bold when its text was printed in bold (ESC E 0 may come before the LF).
        if (this.bold) this.lineBold = true;
        i += 1;
      }
      this.lastWasKick = false;
    }
    this.pending = buf.subarray(i);
  }

  private lastWasKick = false;
  private lineBold = false;

  private endLine(onlyIfText = false): void {
    if (onlyIfText && this.text.length === 0) return;
    const text = iconv.decode(Buffer.from(this.text), CODE_PAGES[this.codePage] ?? 'cp437');
    this.events.push({ kind: 'line', line: { text, bold: this.lineBold, align: this.align } });
    this.text = [];
    this.lineBold = false;
  }

  /** Printed lines as text (trailing spaces kept: they are what the paper shows). */
  get lines(): string[] {
    return this.events.flatMap((e) => (e.kind === 'line' ? [e.line.text] : []));
  }

  get cuts(): number {
    return this.events.filter((e) => e.kind === 'cut').length;
  }

  get drawerKicks(): number {
    return this.events.filter((e) => e.kind === 'drawer').length;
  }

  /**
   * The raster bands received, put together as one image (bands of another width start a new
   * one): what the paper shows of an image receipt.
   */
  get images(): { width: number; rows: number; bits: Buffer; bands: number }[] {
    const out: { width: number; rows: number; bits: Buffer; bands: number }[] = [];
    let last: PrinterEvent | undefined;
    for (const e of this.events) {
      if (e.kind === 'raster') {
        const cur = out[out.length - 1];
        if (cur && last?.kind === 'raster' && cur.width === e.width) {
          cur.bits = Buffer.concat([cur.bits, e.bits]);
          cur.rows += e.rows;
          cur.bands += 1;
        } else out.push({ width: e.width, rows: e.rows, bits: e.bits, bands: 1 });
      }
      last = e;
    }
    return out;
  }
}

/** How many dots of an image are black (a blank image has none). */
export function blackDots(bits: Uint8Array): number {
  let n = 0;
  for (const b of bits) for (let v = b; v; v &= v - 1) n++;
  return n;
}

export interface VirtualPrinterOptions {
  /** Close the connection after this many bytes of a job (the printer disappears mid-receipt). */
  hangUpAfter?: number;
  /** Accept connections but never answer a status request. */
  silent?: boolean;
  /** Report the paper roll as empty. */
  paperOut?: boolean;
}

/** One connection's worth of bytes, decoded. */
export interface ReceivedJob {
  bytes: Buffer;
  decoder: EscPosDecoder;
  /** Closed by the printer (hangUpAfter) rather than by the sender. */
  cutOff: boolean;
  /** The connection is over. */
  closed: boolean;
}

export class VirtualPrinter {
  readonly jobs: ReceivedJob[] = [];
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private waiters: (() => void)[] = [];
  port = 0;

  constructor(public options: VirtualPrinterOptions = {}) {}

  /** Listens on 127.0.0.1 (port 0 = any free port). */
  async start(port = 0): Promise<number> {
    const server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as { port: number }).port;
    return this.port;
  }

  /** Switched off: the port refuses connections (the printer's power is off). */
  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    for (const sock of this.sockets) sock.destroy();
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }

  /** Every job's printed lines, one array per connection that printed something. */
  get receipts(): string[][] {
    return this.jobs.map((j) => j.decoder.lines).filter((l) => l.length > 0);
  }

  get drawerKicks(): number {
    return this.jobs.reduce((n, j) => n + j.decoder.drawerKicks, 0);
  }

  /** Every image received (an image receipt), in order. */
  get images(): EscPosDecoder['images'] {
    return this.jobs.flatMap((j) => j.decoder.images);
  }

  get allBytes(): Buffer {
    return Buffer.concat(this.jobs.map((j) => j.bytes));
  }

  clear(): void {
    this.jobs.length = 0;
  }

  /** Resolves when a connection has closed with at least `count` jobs received in all. */
  async waitForJobs(count: number, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.jobs.filter((j) => j.bytes.length > 0).length < count || this.sockets.size > 0) {
      if (Date.now() > deadline) throw new Error(`virtual printer: ${this.jobs.length} jobs, waited for ${count}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    }
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    const job: ReceivedJob = { bytes: Buffer.alloc(0), decoder: null as unknown as EscPosDecoder, cutOff: false, closed: false };
    const { silent, paperOut } = this.options;
    job.decoder = new EscPosDecoder((request) => {
      if (silent || socket.destroyed) return;
      // DLE EOT 4: 0x12 is "paper present" (bits 1 and 4 always set); 0x72 adds paper end (bits 5, 6).
      if (request === 'paperNow') socket.write(Buffer.from([paperOut ? 0x72 : 0x12]));
      else socket.write(Buffer.from([paperOut ? 0x0c : 0x00]));
    });
    this.jobs.push(job);
    socket.on('data', (chunk: Buffer) => {
      const limit = this.options.hangUpAfter;
      if (limit !== undefined && job.bytes.length + chunk.length >= limit) {
        const take = chunk.subarray(0, Math.max(0, limit - job.bytes.length));
        job.bytes = Buffer.concat([job.bytes, take]);
        job.decoder.push(take);
        job.cutOff = true;
        socket.destroy();
        return;
      }
      job.bytes = Buffer.concat([job.bytes, chunk]);
      job.decoder.push(chunk);
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      job.closed = true;
      this.sockets.delete(socket);
      for (const w of this.waiters.splice(0)) w();
    });
  }
}
