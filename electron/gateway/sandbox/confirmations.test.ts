import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfirmationJson } from './confirmations';
import { startSandbox } from './server';
import { M, tokenName } from './test-support';
import type { SandboxHandle } from './types';

let sb: SandboxHandle;
let token: string;
beforeAll(async () => {
  sb = await startSandbox();
  token = await tokenName(sb);
});
afterAll(() => sb.close());

const KEY = M.confirmationApiKey as string;
const base = {
  confirmation_template_id: '15be8861-597a-4b7b-a0aa-b7486ba3de7e',
  email_address: 'john@example.com',
  amount: '3.56',
  currency: 'USD',
  order_description: 'Hand pruners And loppers',
  first_name: 'John',
  last_name: 'Doe',
};

async function create(fields: Record<string, string>, opts: { json?: boolean; key?: string } = {}): Promise<{ status: number; body: { confirmation: ConfirmationJson; errors?: Record<string, string[]> } }> {
  const res = await fetch(sb.confirmationApiUrl, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${opts.key ?? KEY}`,
      'Content-Type': opts.json ? 'application/json' : 'application/x-www-form-urlencoded',
    },
    body: opts.json ? JSON.stringify(fields) : new URLSearchParams(fields).toString(),
  });
  return { status: res.status, body: (await res.json()) as { confirmation: ConfirmationJson } };
}

async function get(id: string): Promise<ConfirmationJson> {
  const res = await fetch(`${sb.confirmationApiUrl}/${id}`, { headers: { Authorization: `Bearer ${KEY}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { confirmation: ConfirmationJson }).confirmation;
}

const withCard = { ...base, card_number: '4005550000000001', card_expiry_month: '05', card_expiry_year: '2030' };
const withToken = () => ({ ...base, token_name: token, merchant_identifier: M.merchantIdentifier });

describe('email confirmation service (seed 003)', () => {
  it('creates a confirmation shaped like the seed: processing / waiting_click', async () => {
    const { status, body } = await create({ ...withCard, timeout_seconds: '600' });
    expect(status).toBe(201);
    const c = body.confirmation;
    expect(Object.keys(c).sort()).toEqual(['callback_url', 'confirmation_actions', 'created_at', 'id', 'process', 'process_name', 'state', 'updated_at']);
    expect(c).toMatchObject({ state: 'processing', callback_url: null, process_name: 'email_moto' });
    expect(c.process).toMatchObject({ state: 'waiting_click', email_address: 'john@example.com', timeout_seconds: 600, fail_reason: null, user_response: null });
    expect(Object.keys(c.process).sort()).toEqual(['created_at', 'email_address', 'fail_reason', 'id', 'state', 'timeout_seconds', 'updated_at', 'user_response']);
    expect(c.confirmation_actions[0]).toMatchObject({ action_name: 'start', actor: 'merchant', executed: true, error_message: null });
    expect(c.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(JSON.stringify(c)).not.toContain('4005550000000001');
    expect((await get(c.id)).id).toBe(c.id);
  });

  it('mailbox → link → disclaimer (waiting_agreement) → I agree → confirmed', async () => {
    const { body } = await create(withToken(), { json: true });
    const id = body.confirmation.id;
    const mailbox = await (await fetch(sb.mailboxUrl)).text();
    const link = `/confirm/${body.confirmation.process.id}`;
    expect(mailbox).toContain(link);
    expect(mailbox).toContain('Please confirm your payment of USD 3.56 for Hand pruners And loppers');
    // The description is not put behind a second "Order" label (issue #13: "Order Order Desk1-…").
    expect(mailbox).not.toMatch(/>Order<\/span>/);
    expect(mailbox).toContain('Hand pruners And loppers');
    const page = await (await fetch(`${sb.url}${link}`)).text();
    expect(page).toContain('I agree');
    expect(page).toContain('I refuse');
    expect(page).toContain('card ending 0001');
    expect((await get(id)).process.state).toBe('waiting_agreement');
    const agreed = await fetch(`${sb.url}${link}/agree`, { method: 'POST' });
    expect(await agreed.text()).toContain('You confirmed this payment');
    const c = await get(id);
    expect(c).toMatchObject({ state: 'confirmed', process: { state: 'finished', user_response: 'agreed' } });
    expect(c.confirmation_actions.map((a) => a.action_name)).toEqual(['start', 'send_email', 'click', 'agree']);
    // Answering again changes nothing.
    await fetch(`${sb.url}${link}/refuse`, { method: 'POST' });
    expect((await get(id)).state).toBe('confirmed');
  });

  it('speaks the customer\'s language: language=ar gives an Arabic, right-to-left page and mail', async () => {
    const { body } = await create({ ...withToken(), language: 'ar' }, { json: true });
    const link = `/confirm/${body.confirmation.process.id}`;
    const mailbox = await (await fetch(sb.mailboxUrl)).text();
    expect(mailbox).toContain('يرجى تأكيد دفع');
    const page = await (await fetch(`${sb.url}${link}`)).text();
    expect(page).toContain('<html lang="ar" dir="rtl">');
    expect(page).toContain('أكّد عملية الدفع');
    expect(page).toContain('>أوافق</button>');
    expect(page).toContain('من البطاقة المنتهية بـ 0001');
    const bad = await create({ ...withToken(), language: 'fr' }, { json: true });
    expect(bad.status).toBe(422);
  });

  it('I refuse → refused', async () => {
    const { body } = await create(withCard);
    await fetch(`${sb.url}/confirm/${body.confirmation.process.id}`);
    await fetch(`${sb.url}/confirm/${body.confirmation.process.id}/refuse`, { method: 'POST' });
    expect(await get(body.confirmation.id)).toMatchObject({ state: 'refused', process: { state: 'finished', user_response: 'refused' } });
  });

  it('expires after timeout_seconds of sandbox time (default 60), evaluated on read', async () => {
    const { body } = await create(withCard);
    expect(body.confirmation.process.timeout_seconds).toBe(60);
    sb.control.clock.advance(61_000);
    const c = await get(body.confirmation.id);
    expect(c).toMatchObject({ state: 'expired', process: { state: 'failed', fail_reason: 'Timeout' } });
    const page = await (await fetch(`${sb.url}/confirm/${c.process.id}`)).text();
    expect(page).toContain('expired');
    await fetch(`${sb.url}/confirm/${c.process.id}/agree`, { method: 'POST' });
    expect((await get(c.id)).state).toBe('expired');
  });

  it('an address containing "bounce" fails with Delivery Error and never reaches the mailbox', async () => {
    const { body } = await create({ ...withCard, email_address: 'bounce@example.com' });
    expect(body.confirmation).toMatchObject({ state: 'failed', process: { state: 'failed', fail_reason: 'Delivery Error' } });
    expect(body.confirmation.confirmation_actions[1]).toMatchObject({ action_name: 'send_email', executed: false, error_message: 'Delivery Error' });
    expect(await (await fetch(sb.mailboxUrl)).text()).not.toContain('bounce@example.com');
  });

  it('requires the Bearer key; another key cannot read it', async () => {
    expect((await create(withCard, { key: 'wrong' })).status).toBe(401);
    const { body } = await create(withCard);
    expect((await fetch(`${sb.confirmationApiUrl}/${body.confirmation.id}`)).status).toBe(401);
    expect((await fetch(`${sb.confirmationApiUrl}/00000000-0000-0000-0000-000000000000`, { headers: { Authorization: `Bearer ${KEY}` } })).status).toBe(404);
  });

  it('validates fields: 422 with per-field errors', async () => {
    const bad = await create({ ...base, amount: '3.567', email_address: 'nope', confirmation_template_id: 'x', card_number: '4111', card_expiry_month: '13', card_expiry_year: '21' });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.errors ?? {}).sort()).toEqual(['amount', 'card_expiry_month', 'card_expiry_year', 'card_number', 'confirmation_template_id', 'email_address']);
    const both = await create({ ...withCard, token_name: token, merchant_identifier: M.merchantIdentifier });
    expect(both.body.errors?.['token_name']).toBeDefined();
    const unknownToken = await create({ ...withToken(), token_name: 'nope' });
    expect(unknownToken.body.errors?.['token_name']).toBeDefined();
    expect((await create({ ...withCard, amount: '1.250', currency: 'KWD' })).status).toBe(201);
    expect((await create({ ...withCard, amount: '1.5', currency: 'JPY' })).status).toBe(422);
  });

  it('posts the final confirmation to a loopback callback_url', async () => {
    const received: unknown[] = [];
    const server = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        received.push(JSON.parse(text));
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cb`;
      const { body } = await create({ ...withCard, callback_url: url });
      expect(body.confirmation.callback_url).toBe(url);
      await fetch(`${sb.url}/confirm/${body.confirmation.process.id}/agree`, { method: 'POST' });
      for (let i = 0; i < 50 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(received[0]).toMatchObject({ confirmation: { id: body.confirmation.id, state: 'confirmed' } });
    } finally {
      server.close();
    }
  });
});
