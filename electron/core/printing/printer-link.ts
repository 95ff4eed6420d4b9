import { constants as fsConstants } from 'node:fs';
import { open as fsOpen, type FileHandle } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import type { PrintProblem } from '../../../shared/contract';
import { paperOutAfter, paperOutNow, STATUS } from './escpos';

/**
 * Sends one job to an ESC/POS printer on TCP (port 9100, "raw" / JetDirect) and finds out whether
 * it got there. node-thermal-printer's own network interface closes the socket as soon as the
 * bytes are in the kernel's buffer, so a printer that went away mid-receipt would look printed.
 * Here every job is framed by status requests the printer must answer:
 *   1. DLE EOT 4 (real time): is the printer there, does it have paper?
 *   2. the receipt, then GS r 1: answered only after everything before it was taken in.
 * No answer = not printed; the caller says so and offers a reprint.
 */

export interface LinkTarget {
  host: string;
  port: number;
}

export interface LinkTimeouts {
  /** Connecting (an address where nothing answers at all). */
  connectMs: number;
  /** Each status answer. */
  answerMs: number;
}

export const DEFAULT_TIMEOUTS: LinkTimeouts = { connectMs: 3_000, answerMs: 5_000 };

export type LinkResult = { ok: true } | { ok: false; problem: Exclude<PrintProblem, 'not_configured'>; detail: string; drawerSent: boolean };

class LinkFailure extends Error {
  constructor(readonly problem: Exclude<PrintProblem, 'not_configured'>, detail: string) {
    super(detail);
  }
}

/** One socket with "wait for the next byte from the printer" on top. */
class Conversation {
  private received: number[] = [];
  private waiting: { resolve: (b: number) => void; reject: (e: Error) => void; timer: NodeJS.Timeout } | null = null;
  private closedWith: LinkFailure | null = null;

  constructor(private readonly socket: Socket, private readonly name: string) {
    socket.on('data', (chunk: Buffer) => {
      this.received.push(...chunk);
      this.deliver();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => this.fail(new LinkFailure('disconnected', `${e.code ?? e.message} ${name}`)));
    socket.on('close', () => this.fail(new LinkFailure('disconnected', `connection closed by ${name}`)));
  }

  private deliver(): void {
    if (this.waiting && this.received.length) {
      const w = this.waiting;
      this.waiting = null;
      clearTimeout(w.timer);
      w.resolve(this.received.shift()!);
    }
  }

  private fail(e: LinkFailure): void {
    this.closedWith ??= e;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      clearTimeout(w.timer);
      w.reject(this.closedWith);
    }
  }

  write(bytes: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.closedWith) return reject(this.closedWith);
      this.socket.write(bytes, (e) => (e ? reject(this.closedWith ?? new LinkFailure('disconnected', `${e.message} ${this.name}`)) : resolve()));
    });
  }

  /** The printer's next byte, or a failure when it closes or stays silent for `ms`. */
  answer(ms: number): Promise<number> {
    return new Promise((resolve, reject) => {
      if (this.received.length) return resolve(this.received.shift()!);
      if (this.closedWith) return reject(this.closedWith);
      const timer = setTimeout(() => {
        this.waiting = null;
        reject(new LinkFailure('timeout', `no answer from ${this.name} in ${ms} ms`));
      }, ms);
      this.waiting = { resolve, reject, timer };
    });
  }
}

function open(target: LinkTarget, ms: number): Promise<Socket> {
  const name = `${target.host}:${target.port}`;
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.host, port: target.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new LinkFailure('timeout', `no connection to ${name} in ${ms} ms`));
    }, ms);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.setNoDelay(true);
      resolve(socket);
    });
    socket.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      const problem = e.code === 'ECONNREFUSED' ? 'refused' : e.code === 'ETIMEDOUT' ? 'timeout' : 'unreachable';
      reject(new LinkFailure(problem, `${e.code ?? e.message} ${name}`));
    });
  });
}

/**
 * Prints `body` (already ESC/POS bytes). `drawer` holds the drawer pulse, sent even when the
 * paper is out (a cash sale still needs its drawer).
 */
export async function sendJob(target: LinkTarget, job: { drawer: Buffer | null; body: Buffer | null }, t: LinkTimeouts = DEFAULT_TIMEOUTS): Promise<LinkResult> {
  let socket: Socket | null = null;
  let drawerSent = false;
  try {
    socket = await open(target, t.connectMs);
    const talk = new Conversation(socket, `${target.host}:${target.port}`);
    await talk.write(STATUS.paperNow);
    const now = await talk.answer(t.answerMs);
    if (job.drawer) {
      await talk.write(job.drawer);
      drawerSent = true;
    }
    if (paperOutNow(now)) {
      if (job.drawer) await talk.write(STATUS.paperAfter).then(() => talk.answer(t.answerMs));
      return { ok: false, problem: 'paper_out', detail: 'the printer reports no paper', drawerSent };
    }
    if (job.body) {
      await talk.write(Buffer.concat([job.body, STATUS.paperAfter]));
      const after = await talk.answer(t.answerMs);
      if (paperOutAfter(after)) return { ok: false, problem: 'paper_out', detail: 'the paper ran out during the receipt', drawerSent };
    } else if (job.drawer) {
      await talk.write(STATUS.paperAfter);
      await talk.answer(t.answerMs);
    }
    return { ok: true };
  } catch (e) {
    if (e instanceof LinkFailure) return { ok: false, problem: e.problem, detail: e.message.slice(0, 300), drawerSent };
    return { ok: false, problem: 'unreachable', detail: (e instanceof Error ? e.message : String(e)).slice(0, 300), drawerSent };
  } finally {
    socket?.end();
    socket?.destroy();
  }
}

/**
 * A printer on a USB port, written to as a character device (Linux's usblp: `/dev/usb/lp0`).
 * There is no status channel here (usblp only forwards what a bidirectional printer volunteers),
 * so "printed" means the kernel driver took every byte; a printer that is unplugged (no such
 * device), in use by another program (busy), or not taking bytes within the time is said plainly.
 * The path is opened without O_CREAT, so a wrong path never creates a file.
 */
export async function sendDeviceJob(path: string, job: { drawer: Buffer | null; body: Buffer | null }, t: LinkTimeouts = DEFAULT_TIMEOUTS): Promise<LinkResult> {
  let drawerSent = false;
  let handle: FileHandle | null = null;
  const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new LinkFailure('timeout', `${what} ${path}: no progress in ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
  };
  try {
    const opening = fsOpen(path, fsConstants.O_WRONLY | fsConstants.O_NOCTTY);
    // An open still pending when the time is up is closed as soon as it completes.
    opening.catch(() => undefined);
    handle = await within(opening, t.connectMs, 'opening').catch((e: unknown) => {
      void opening.then((h) => h.close(), () => undefined);
      throw e;
    });
    if (job.drawer) {
      await within(handle.write(job.drawer), t.answerMs, 'writing to');
      drawerSent = true;
    }
    if (job.body) await within(handle.write(job.body), t.answerMs, 'writing to');
    return { ok: true };
  } catch (e) {
    if (e instanceof LinkFailure) return { ok: false, problem: e.problem, detail: e.message.slice(0, 300), drawerSent };
    const code = (e as NodeJS.ErrnoException).code ?? '';
    // ENOENT/ENODEV/ENXIO: not plugged in (or a FIFO with no reader); EBUSY/EACCES: taken or not allowed; EIO mid-job: pulled out.
    const problem = drawerSent || code === 'EIO' || code === 'EPIPE' ? 'disconnected' : code === 'EBUSY' || code === 'EACCES' || code === 'EPERM' ? 'refused' : 'unreachable';
    return { ok: false, problem, detail: `${code || (e instanceof Error ? e.message : String(e))} ${path}`.slice(0, 300), drawerSent };
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
