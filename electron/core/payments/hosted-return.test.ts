/**
 * A return that does not verify never changes any card session (issue 15, item 7): a forged,
 * unsigned /hosted/return carrying a card number and a live session's reference used to fail that
 * genuine session, because the card-data check ran before the signature check.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../deps';
import { startHarness, type Harness } from './test-harness';

describe('hosted card return: only a verified return touches a session', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('a forged unsigned return with a card number and a live reference leaves the session waiting; the genuine card then lands', async () => {
    const info: unknown[] = [];
    const log: Logger = { info: (o: unknown) => info.push(o), warn() {}, error() {}, debug() {} };
    h = await startHarness({ log });
    const form = await h.call('payments.hostedForm', {});
    const reference = form.fields['merchant_reference']!;
    const forgeries: Record<string, string>[] = [
      // No signature at all, a full card number: the outside test's exact shape.
      { ...form.fields, status: '18', response_code: '18000', card_number: '4005550000000001', expiry_date: '3005', token_name: 'x' },
      // A CVV and a made-up signature.
      { merchant_reference: reference, card_security_code: '123', signature: 'a'.repeat(64) },
      // A failure status, unsigned: would mark the session failed if it were believed.
      { merchant_reference: reference, status: '17', response_code: '17666', response_message: 'declined' },
    ];
    for (const f of forgeries) {
      const r = await h.feature.acceptHostedReturn(f);
      expect(r).toMatchObject({ ok: false, sessionId: null });
      expect(await h.call('payments.hostedResult', { sessionId: form.sessionId })).toMatchObject({ state: 'waiting' });
    }
    const row = h.db.prepare('SELECT state, message, returned_at FROM hosted_sessions WHERE id = ?').get(form.sessionId);
    expect(row).toEqual({ state: 'waiting', message: 'Waiting for the card page', returned_at: null });
    // The session reference is not in any info line (it is what a forger would aim at).
    expect(JSON.stringify(info)).not.toContain(reference);

    // The genuine card for another session still goes through, and its reference is not logged either.
    const handle = await h.hostedCard();
    expect((await h.call('payments.hostedResult', { sessionId: handle })).state).toBe('ready');
    const genuineRef = (h.db.prepare('SELECT merchant_reference FROM hosted_sessions WHERE id = ?').get(handle) as { merchant_reference: string }).merchant_reference;
    expect(JSON.stringify(info)).not.toContain(genuineRef);
  });
});
