import type { Harness } from '../payments/test-harness';

/** Test and bench helper: n real authorizations on one card on file, through the sandbox. */
export async function seedAuthorizations(h: Harness, n: number, amount = 2_000, concurrency = 16): Promise<{ id: string; reference: string }[]> {
  const first = await h.call('orders.create', { channel: 'phone', currency: 'USD', lines: [{ description: 'First', quantity: 1, unitPrice: 500, taxRateBp: 0 }], newCustomer: { name: 'Bulk Buyer', email: 'bulk@example.com', phone: '' } });
  const handle = await h.hostedCard();
  const r = await h.call('payments.charge', { orderId: first.id, mode: 'purchase', source: { kind: 'new_card', handle, save: true } });
  const cardId = r.cardSaved!.id;
  const out: { id: string; reference: string }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next += 1;
      const o = await h.call('orders.create', { channel: 'mail', currency: 'USD', customerId: first.customerId, lines: [{ description: 'Parcel', quantity: 1, unitPrice: amount, taxRateBp: 0 }] });
      const c = await h.call('payments.charge', { orderId: o.id, mode: 'authorize', source: { kind: 'card_on_file', cardId } });
      let ok = c.outcome === 'approved';
      // Under load a reply can time out: the check settles it (the payment core's own resolution).
      for (let i = 0; !ok && c.outcome === 'unknown' && i < 5; i++) {
        const checked = await h.call('payments.checkStatus', { paymentId: c.payment.id });
        ok = checked.detail.payment.authorized > 0 && checked.detail.payment.status === 'authorized';
      }
      if (!ok) throw new Error(`seed authorization ${c.outcome}: ${c.message}`);
      out.push({ id: c.payment.id, reference: c.payment.reference });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return out;
}

/** Test helper: a customer with one card saved through the hosted card page (a first real purchase). */
export async function customerWithCard(h: Harness, name: string, email: string): Promise<{ customerId: string; cardId: string; last4: string }> {
  const o = await h.call('orders.create', { channel: 'phone', currency: 'USD', lines: [{ description: 'First', quantity: 1, unitPrice: 500, taxRateBp: 0 }], newCustomer: { name, email, phone: '' } });
  const handle = await h.hostedCard();
  const r = await h.call('payments.charge', { orderId: o.id, mode: 'purchase', source: { kind: 'new_card', handle, save: true } });
  // Under load the first reply can time out: the status check settles it (and the card it saved).
  if (r.outcome === 'unknown') await h.call('payments.checkStatus', { paymentId: r.payment.id });
  const card = h.db.prepare('SELECT id, last4 FROM cards WHERE customer_id = ?').get(o.customerId) as { id: string; last4: string } | undefined;
  if (!card) throw new Error(`no card saved for ${name} (${r.outcome}: ${r.message})`);
  return { customerId: o.customerId!, cardId: card.id, last4: card.last4 };
}
