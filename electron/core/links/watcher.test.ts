import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { startHarness, type Harness } from '../payments/test-harness';
import type { LinkRow } from './repo';
import { LinkWatcher } from './watcher';

/** The watcher's schedule on a real ledger: who is asked, when, and nothing while offline. */
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function linkRow(harness: Harness, ref: string, expiresAt: string): Promise<void> {
  const o = await harness.call('orders.create', { channel: 'phone', currency: 'USD', lines: [{ description: 'Lamp', quantity: 1, unitPrice: 1000, taxRateBp: 0 }], newCustomer: { name: 'W', email: 'w@example.com', phone: '' } });
  const at = '2026-01-15T10:00:00.000Z';
  harness.deps.db.prepare(`INSERT INTO payment_links (id, order_id, reference, gateway_account, gateway_link_id, url, state, amount, currency, customer_email, customer_phone, notify, language, description, expires_at, opened_count, payment_id, fort_id, message, attempts, checks, created_by, created_by_name, created_at, updated_at)
    VALUES (?, ?, ?, 'sandbox:SANDBOXMID', 'pl1', NULL, 'sent', 1000, 'USD', 'w@example.com', NULL, 'EMAIL', 'en', 'Lamp', ?, 0, NULL, NULL, '', 1, 0, 'u', 'U', ?, ?)`).run(`lnk_${ref}`, o.id, ref, expiresAt, at, at);
}

describe('LinkWatcher', () => {
  it('asks about each open link, one at a time, backing off while nothing changes; nothing while offline', async () => {
    h = await startHarness();
    await linkRow(h, 'R-1', '2026-01-16T10:00:00.000Z');
    await linkRow(h, 'R-2', '2026-01-16T10:00:00.000Z');
    const clock = new ManualClock('2026-01-15T10:00:00.000Z');
    const asked: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    let online = true;
    const w = new LinkWatcher(h.deps.db, clock, h.deps.log, async (row: LinkRow) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      asked.push(row.reference);
      await new Promise((r) => setTimeout(r, 5));
      inFlight -= 1;
      return row;
    }, () => online, { baseMs: 1_000, maxMs: 8_000 });

    expect(await w.tick()).toBe(2);
    expect(maxInFlight).toBe(1);
    // Not due yet.
    expect(await w.tick()).toBe(0);
    // Unchanged: the wait doubles (2 s), then 4 s, then 8 s (the cap).
    clock.advance(2_000);
    expect(await w.tick()).toBe(2);
    clock.advance(2_000);
    expect(await w.tick()).toBe(0);
    clock.advance(2_000);
    expect(await w.tick()).toBe(2);
    online = false;
    clock.advance(60_000);
    expect(await w.tick()).toBe(0);
    online = true;
    expect(await w.tick()).toBe(2);
    // A link no longer open is no longer asked about.
    h.deps.db.prepare(`UPDATE payment_links SET state = 'cancelled' WHERE reference = 'R-1'`).run();
    clock.advance(60_000);
    asked.length = 0;
    await w.tick();
    expect(asked).toEqual(['R-2']);
    await w.close();
  });

  it('never sleeps past a link\'s expiry', async () => {
    h = await startHarness();
    await linkRow(h, 'R-3', '2026-01-15T10:00:05.000Z');
    const clock = new ManualClock('2026-01-15T10:00:00.000Z');
    let n = 0;
    const w = new LinkWatcher(h.deps.db, clock, h.deps.log, (row: LinkRow) => { n += 1; return Promise.resolve(row); }, () => true, { baseMs: 60_000, maxMs: 600_000 });
    await w.tick();
    clock.advance(6_000);
    await w.tick();
    expect(n).toBe(2);
    await w.close();
  });
});
