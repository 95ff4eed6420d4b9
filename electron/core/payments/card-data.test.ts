/**
 * No card number or CVV anywhere we keep things (DESIGN "Card data"): after a full run with hosted
 * captures of the three sandbox success cards, the encrypted database file, its WAL and every log
 * line are scanned for the card numbers (ASCII, UTF-16LE, UTF-16BE) and the CVVs; the decrypted
 * contents are scanned too. And without the key the file does not open.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../gateway/sandbox';
import { LedgerOpenError, openWithKey } from '../db/database';
import { startHarness, type Harness } from './test-harness';

const CARDS = [
  { number: '4005550000000001', cvv: '123' },
  { number: '5123456789012346', cvv: '123' },
  { number: '345678901234564', cvv: '1234' },
];

function encodings(s: string): Buffer[] {
  const le = Buffer.from(s, 'utf16le');
  const be = Buffer.from(le);
  be.swap16();
  return [Buffer.from(s, 'ascii'), le, be];
}

/** The card number in any of its encodings, also with the usual 4-4-4-4 spacing. */
function findPan(buf: Buffer, pan: string): string | null {
  const spaced = pan.replace(/(\d{4})(?=\d)/g, '$1 ');
  for (const form of [pan, spaced]) for (const b of encodings(form)) if (buf.includes(b)) return form;
  return null;
}

/**
 * A CVV is three or four digits, which random ciphertext and ordinary timestamps contain by chance;
 * so CVVs are searched where they could only be a CVV: next to a CVV field name, in any encoding.
 */
const CVV_KEYS = ['card_security_code', 'security_code', 'cvv', 'cvc', 'cvv2'];
function findCvv(buf: Buffer, cvv: string): string | null {
  for (const key of CVV_KEYS) {
    for (const sep of ['=', '":"', '": "', ':', '" : "']) {
      for (const b of encodings(`${key}${sep}${cvv}`)) if (buf.includes(b)) return `${key}${sep}${cvv}`;
    }
  }
  return null;
}

let sb: SandboxHandle | undefined;
let h: Harness | undefined;
afterAll(async () => {
  await h?.close();
  await sb?.close();
});

describe('card data never lands on our disk or in our logs', () => {
  it('scans the ledger, its WAL and the logs after hosted captures with the sandbox cards', async () => {
    const logDir = mkdtempSync(join(tmpdir(), 'payments-logs-'));
    const logFile = join(logDir, 'core.log');
    const sandboxLogFile = join(logDir, 'sandbox.log');
    const logger = pino({ level: 'debug' }, pino.destination({ dest: logFile, sync: true }));
    const sandboxLogger = pino({ level: 'debug' }, pino.destination({ dest: sandboxLogFile, sync: true }));
    sb = await startSandbox({ logger: sandboxLogger });
    h = await startHarness({ sandbox: sb, log: logger, settings: { refundApprovalLimit: 9_999_999_999 } });

    for (const [i, card] of CARDS.entries()) {
      const order = await h.call('orders.create', { channel: 'phone', currency: 'USD', newCustomer: { name: `Card Holder ${i}`, email: `h${i}@example.com`, phone: '' }, lines: [{ description: 'goods', quantity: 2, unitPrice: 2_500, taxRateBp: 500 }] });
      const handle = await h.hostedCard({ number: card.number, cvv: card.cvv, holder: `Holder ${i}` });
      const auth = await h.call('payments.charge', { orderId: order.id, mode: 'authorize', source: { kind: 'new_card', handle, save: true } });
      expect(auth.outcome).toBe('approved');
      await h.call('payments.capture', { paymentId: auth.payment.id, amount: 3_000 });
      h.sb.control.injectFault({ kind: 'timeout_after_commit', match: { command: 'CAPTURE' }, times: 1 });
      await h.call('payments.capture', { paymentId: auth.payment.id, amount: 2_250 });
      await h.feature.service.settle();
      await h.call('payments.refund', { paymentId: auth.payment.id, amount: 1_000, reason: 'scan test' });
      await h.call('payments.checkStatus', { paymentId: auth.payment.id });
      const again = await h.call('orders.create', { channel: 'mail', currency: 'USD', customerId: order.customerId, lines: [{ description: 'repeat', quantity: 1, unitPrice: 990, taxRateBp: 0 }] });
      await h.call('payments.charge', { orderId: again.id, mode: 'purchase', source: { kind: 'card_on_file', cardId: auth.cardSaved!.id } });
      await h.call('cards.updateExpiry', { cardId: auth.cardSaved!.id, expiry: '3203' });
      await h.call('cards.deactivate', { cardId: auth.cardSaved!.id });
    }
    // a failed tokenization leaves its trace in the logs too
    await expect(h.hostedCard({ number: '4000000000000127' })).rejects.toThrow();

    // Scan while the ledger is open, so its -wal is there, and again after it is closed.
    const dbPath = join(h.dir, 'ledger.db');
    const scan = (label: string, buf: Buffer) => {
      for (const c of CARDS) {
        expect(findPan(buf, c.number), `${label}: card number`).toBeNull();
        expect(findCvv(buf, c.cvv), `${label}: CVV`).toBeNull();
      }
    };
    // The detectors themselves work (a scan that can never fire proves nothing).
    expect(findPan(Buffer.from('x4005 5500 0000 0001y', 'utf16le'), CARDS[0]!.number)).not.toBeNull();
    expect(findCvv(Buffer.from('{"card_security_code":"1234"}'), '1234')).not.toBeNull();
    expect(existsSync(`${dbPath}-wal`)).toBe(true);
    scan('ledger.db-wal', readFileSync(`${dbPath}-wal`));
    scan('ledger.db (open)', readFileSync(dbPath));

    // The decrypted contents: no cell holds a card number or looks like a stored CVV column.
    const columns = h.db.prepare(`SELECT m.name AS tbl, p.name AS col FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table'`).all() as { tbl: string; col: string }[];
    expect(columns.filter((c) => /cvv|cvc|security_code|card_number|pan/i.test(c.col))).toEqual([]);
    const tables = [...new Set(columns.map((c) => c.tbl))];
    const dump = tables.map((t) => JSON.stringify(h!.db.prepare(`SELECT * FROM "${t}"`).all())).join('\n');
    scan('decrypted ledger', Buffer.from(dump));
    expect((h.db.prepare('SELECT COUNT(*) AS n FROM cards').get() as { n: number }).n).toBe(3);
    // Tokens are charge credentials: never in the audit log or the log output, not even once.
    const tokens = (h.db.prepare('SELECT token_name FROM cards').all() as { token_name: string }[]).map((r) => r.token_name);
    const auditDump = JSON.stringify(h.db.prepare('SELECT * FROM audit').all());
    for (const t of tokens) expect(auditDump.includes(t)).toBe(false);

    await h.close();
    h = undefined;
    scan('ledger.db (closed)', readFileSync(dbPath));
    logger.flush();
    const log = readFileSync(logFile);
    expect(log.length).toBeGreaterThan(1000); // the run did log (gateway calls, sandbox requests)
    scan('core log', log);
    for (const t of tokens) expect(log.includes(Buffer.from(t)), 'full token name in the core log').toBe(false);
    // The embedded sandbox logs in the same process in web mode: no card data there either.
    sandboxLogger.flush();
    scan('sandbox log', readFileSync(sandboxLogFile));

    // Unreadable without the key.
    const raw = readFileSync(dbPath);
    expect(raw.subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\u0000');
    expect(() => openWithKey(dbPath, randomBytes(32))).toThrow(LedgerOpenError);
    const plain = new Database(dbPath);
    expect(() => plain.prepare('SELECT count(*) FROM sqlite_master').get()).toThrow();
    plain.close();
  }, 60_000);
});
