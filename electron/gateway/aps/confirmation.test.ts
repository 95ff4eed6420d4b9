import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { money } from '../../../shared/money';
import type { ConfirmationRequest } from '../types';
import { ApsValidationError } from './errors';
import { ApsGateway } from './gateway';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

const seedReply = {
  confirmation: {
    id: 'ca8d77c9-4477-4f48-bbea-9bc52264e74d',
    created_at: '2018-07-05T14:09:40.098Z',
    updated_at: '2018-07-05T14:09:40.110Z',
    state: 'processing',
    callback_url: null,
    process_name: 'email_moto',
    process: {
      id: 'df3a192a-33d2-4d98-8e2d-29709c73e840',
      state: 'waiting_click',
      email_address: 'john@example.com',
      timeout_seconds: 600,
      fail_reason: null,
      user_response: null,
      created_at: '2018-07-05T14:09:40.092Z',
      updated_at: '2018-07-05T14:09:40.137Z',
    },
    confirmation_actions: [],
  },
};

let server: Server;
let base: string;
let handler: Handler;
let last: { method?: string; url?: string; auth?: string; body: string } = { body: '' };

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      last = { method: req.method, url: req.url, auth: req.headers.authorization, body };
      handler(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

beforeEach(() => {
  handler = (_req, _body, res) => res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(seedReply));
});

function gw(): ApsGateway {
  return new ApsGateway({
    paymentApiUrl: `${base}/FortAPI/paymentApi`,
    paymentPageUrl: `${base}/FortAPI/paymentPage`,
    confirmationApiUrl: `${base}/api/confirmations`,
    confirmationApiKey: 'D28A17DFD326A2E255DC4C69C17C2451446A7EC8',
    confirmationTemplateId: '15be8861-597a-4b7b-a0aa-b7486ba3de7e',
    accessCode: 'ACCESS123',
    merchantIdentifier: 'MERCH1',
    requestPhrase: 'a',
    responsePhrase: 'b',
    shaType: 'SHA-256',
    timeoutMs: 300,
    language: 'en',
    isSandbox: true,
    name: 't',
  });
}

const req: ConfirmationRequest = {
  emailAddress: 'john@example.com',
  tokenName: 'tok_abc',
  amount: money(3560, 'KWD'),
  orderDescription: 'Hand pruners And loppers',
  firstName: 'John',
  lastName: 'Doe',
  timeoutSeconds: 600,
};

describe('startConfirmation (seed 003)', () => {
  it('POSTs JSON with the Bearer key and maps the reply', async () => {
    const out = await gw().startConfirmation(req);
    expect(last.method).toBe('POST');
    expect(last.url).toBe('/api/confirmations');
    expect(last.auth).toBe('Bearer D28A17DFD326A2E255DC4C69C17C2451446A7EC8');
    expect(JSON.parse(last.body)).toEqual({
      confirmation_template_id: '15be8861-597a-4b7b-a0aa-b7486ba3de7e',
      email_address: 'john@example.com',
      timeout_seconds: '600',
      amount: '3.560',
      currency: 'KWD',
      order_description: 'Hand pruners And loppers',
      first_name: 'John',
      last_name: 'Doe',
      token_name: 'tok_abc',
      merchant_identifier: 'MERCH1',
    });
    expect(last.body).not.toMatch(/card_number|card_expiry/);
    expect(out).toEqual({
      kind: 'succeeded',
      refs: { merchantReference: '' },
      responseCode: '201',
      message: 'processing',
      value: {
        id: 'ca8d77c9-4477-4f48-bbea-9bc52264e74d',
        state: 'processing',
        processState: 'waiting_click',
        failReason: null,
        userResponse: null,
        timeoutSeconds: 600,
        createdAt: '2018-07-05T14:09:40.098Z',
        updatedAt: '2018-07-05T14:09:40.110Z',
      },
    });
  });

  it('refuses bad input before sending', async () => {
    await expect(gw().startConfirmation({ ...req, emailAddress: 'nope' })).rejects.toBeInstanceOf(ApsValidationError);
    await expect(gw().startConfirmation({ ...req, firstName: '' })).rejects.toBeInstanceOf(ApsValidationError);
    await expect(gw().startConfirmation({ ...req, timeoutSeconds: -1 })).rejects.toBeInstanceOf(ApsValidationError);
  });

  it('4xx is a refusal, 5xx / timeout / reset / junk are pending', async () => {
    handler = (_r, _b, res) => res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
    expect(await gw().startConfirmation(req)).toMatchObject({ kind: 'declined', responseCode: 'HTTP_401', message: 'unauthorized' });
    handler = (_r, _b, res) => res.writeHead(503).end();
    expect(await gw().startConfirmation(req)).toMatchObject({ kind: 'pending', reason: 'http_status' });
    handler = () => undefined;
    expect(await gw().startConfirmation(req)).toMatchObject({ kind: 'pending', reason: 'timeout' });
    handler = (r) => r.socket.destroy();
    expect(await gw().startConfirmation(req)).toMatchObject({ kind: 'pending', reason: 'network' });
    handler = (_r, _b, res) => res.writeHead(200).end('{"confirmation":{"id":');
    expect(await gw().startConfirmation(req)).toMatchObject({ kind: 'pending', reason: 'bad_response' });
    handler = (_r, _b, res) => res.writeHead(200).end('{"confirmation":{"id":"x","state":"weird"}}');
    expect(await gw().startConfirmation(req)).toMatchObject({ kind: 'pending', reason: 'bad_response' });
  });
});

describe('getConfirmation', () => {
  it('GETs {url}/{id} and maps the (confirmed) state', async () => {
    handler = (_r, _b, res) =>
      res.writeHead(200).end(
        JSON.stringify({
          ...seedReply.confirmation,
          state: 'confirmed',
          process: { ...seedReply.confirmation.process, state: 'finished', user_response: 'agreed', timeout_seconds: '600' },
        }),
      );
    const out = await gw().getConfirmation('ca8d77c9-4477-4f48-bbea-9bc52264e74d');
    expect(last.method).toBe('GET');
    expect(last.url).toBe('/api/confirmations/ca8d77c9-4477-4f48-bbea-9bc52264e74d');
    expect(last.auth).toMatch(/^Bearer /);
    expect(out).toMatchObject({ kind: 'succeeded', value: { state: 'confirmed', processState: 'finished', userResponse: 'agreed', timeoutSeconds: 600 } });
  });

  it('refuses an id that is not an id', async () => {
    await expect(gw().getConfirmation('../../admin')).rejects.toBeInstanceOf(ApsValidationError);
  });

  it('404 is declined', async () => {
    handler = (_r, _b, res) => res.writeHead(404).end();
    expect(await gw().getConfirmation('abc')).toMatchObject({ kind: 'declined', responseCode: 'HTTP_404' });
  });
});
