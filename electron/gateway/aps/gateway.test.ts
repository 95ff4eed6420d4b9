import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { money } from '../../../shared/money';
import type { Outcome } from '../types';
import { ApsValidationError } from './errors';
import { ApsGateway, type ApsGatewayConfig } from './gateway';
import type { ApsLogger } from './log';
import { sign } from './signature';

/**
 * A tiny APS stand-in over real HTTP. By default it answers like APS: echoes every request field,
 * adds fort_id / response_code / response_message / status, signs with the response phrase. Each
 * test can replace the answer with a fault.
 */
const REQUEST_PHRASE = 'req$phrase';
const RESPONSE_PHRASE = 'res#phrase';
const SHA = 'HMAC-SHA512' as const;
const FORT_ID = '169000000012345678';
const TOKEN = '5540cb3b9e6a40e38227ab9141e7342a';

type Params = Record<string, string>;
type Handler = (p: Params, req: IncomingMessage, res: ServerResponse) => void;

const SUCCESS: Record<string, string> = {
  PURCHASE: '14',
  AUTHORIZATION: '02',
  CAPTURE: '04',
  VOID_AUTHORIZATION: '08',
  REFUND: '06',
  CHECK_STATUS: '12',
  UPDATE_TOKEN: '58',
};

function commandOf(p: Params): string {
  return p['command'] ?? p['query_command'] ?? p['service_command'] ?? '';
}

function signed(fields: Params, phrase = RESPONSE_PHRASE): Params {
  const { signature: _drop, ...rest } = fields;
  return { ...rest, signature: sign(rest, phrase, SHA) };
}

/** The APS-like answer to a request: echo + result fields, status for the command. */
function apsReply(p: Params, extra: Params = {}): Params {
  const cmd = commandOf(p);
  const status = SUCCESS[cmd] ?? '00';
  const base: Params = { ...p, fort_id: FORT_ID, status, response_code: `${status}000`, response_message: 'Success' };
  if (cmd === 'PURCHASE' || cmd === 'AUTHORIZATION') Object.assign(base, { card_number: '400555******0001', expiry_date: '3005', payment_option: 'VISA', authorization_code: 'A1B2C3' });
  if (cmd === 'CHECK_STATUS') Object.assign(base, { transaction_status: '04', transaction_code: '04000', transaction_message: 'Success', authorized_amount: '1000', captured_amount: '700', refunded_amount: '100', authorization_code: 'A1B2C3' });
  if (cmd === 'UPDATE_TOKEN') Object.assign(base, { card_number: '400555******0001', card_brand: 'VISA', card_bin: '400555', token_status: p['token_status'] ?? 'ACTIVE', expiry_date: '3005' });
  return signed({ ...base, ...extra });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const defaultHandler: Handler = (p, _req, res) => json(res, 200, apsReply(p));

let server: Server;
let baseUrl: string;
let handler: Handler = defaultHandler;
let lastBody: Params | undefined;
let lastHeaders: IncomingMessage['headers'] = {};
let hits = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hits++;
      lastHeaders = req.headers;
      const text = Buffer.concat(chunks).toString('utf8');
      let p: Params;
      try {
        p = text ? (JSON.parse(text) as Params) : {};
      } catch {
        p = {};
      }
      lastBody = p;
      handler(p, req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

beforeEach(() => {
  handler = defaultHandler;
  lastBody = undefined;
  hits = 0;
});

interface LogEntry {
  level: string;
  obj: Record<string, unknown>;
}

function gateway(overrides: Partial<ApsGatewayConfig> = {}, logs: LogEntry[] = []): ApsGateway {
  const logger: ApsLogger = {
    info: (obj) => logs.push({ level: 'info', obj }),
    warn: (obj) => logs.push({ level: 'warn', obj }),
  };
  return new ApsGateway({
    paymentApiUrl: `${baseUrl}/FortAPI/paymentApi`,
    paymentPageUrl: `${baseUrl}/FortAPI/paymentPage`,
    confirmationApiUrl: `${baseUrl}/confirmations`,
    confirmationApiKey: 'KEY123',
    confirmationTemplateId: '63693de5-8a19-4233-b382-c75f0c6b31aa',
    accessCode: 'ACCESS123',
    merchantIdentifier: 'MERCH1',
    requestPhrase: REQUEST_PHRASE,
    responsePhrase: RESPONSE_PHRASE,
    shaType: SHA,
    timeoutMs: 300,
    language: 'en',
    isSandbox: true,
    name: 'test APS',
    logger,
    ...overrides,
  });
}

const chargeReq = {
  merchantReference: 'ORD-1',
  amount: money(1000, 'USD'),
  tokenName: TOKEN,
  eci: 'MOTO' as const,
  customerEmail: 'jane@example.com',
};

/** Every paymentApi call, so each fault is tried against each command. */
const CALLS: Record<string, (g: ApsGateway) => Promise<Outcome<unknown>>> = {
  PURCHASE: (g) => g.purchase(chargeReq),
  AUTHORIZATION: (g) => g.authorize(chargeReq),
  CAPTURE: (g) => g.capture({ merchantReference: 'ORD-1', amount: money(700, 'USD') }),
  VOID_AUTHORIZATION: (g) => g.voidAuthorization({ merchantReference: 'ORD-1' }),
  REFUND: (g) => g.refund({ merchantReference: 'ORD-1', amount: money(100, 'USD'), maintenanceReference: 'ORD-1-R1' }),
  CHECK_STATUS: (g) => g.checkStatus({ merchantReference: 'ORD-1' }),
  UPDATE_TOKEN: (g) => g.updateToken({ merchantReference: 'UPD-1', tokenName: TOKEN, status: 'INACTIVE' }),
};
const COMMANDS = Object.keys(CALLS);

describe('ApsGateway success paths', () => {
  it('purchase: sends signed JSON strings, verifies and maps the reply', async () => {
    const out = await gateway().purchase({ ...chargeReq, customerIp: '10.0.0.1' });
    expect(lastHeaders['content-type']).toMatch(/^application\/json/);
    expect(lastBody?.['amount']).toBe('1000');
    for (const v of Object.values(lastBody ?? {})) expect(typeof v).toBe('string');
    const { signature, ...rest } = lastBody as Params;
    expect(signature).toBe(sign(rest, REQUEST_PHRASE, SHA));
    expect(out).toEqual({
      kind: 'succeeded',
      refs: { merchantReference: 'ORD-1', fortId: FORT_ID },
      responseCode: '14000',
      message: 'Success',
      value: { fortId: FORT_ID, authorizationCode: 'A1B2C3', maskedCard: '400555******0001', expiryDate: '3005', paymentOption: 'VISA', tokenName: TOKEN },
    });
  });

  it.each(COMMANDS)('%s succeeds on its own success status', async (cmd) => {
    const out = await CALLS[cmd]!(gateway());
    expect(out.kind).toBe('succeeded');
    if (out.kind === 'succeeded') expect(out.responseCode).toBe(`${SUCCESS[cmd]}000`);
  });

  it('refund refs carry the maintenance reference', async () => {
    const out = await CALLS['REFUND']!(gateway());
    expect(out.refs).toEqual({ merchantReference: 'ORD-1', fortId: FORT_ID, maintenanceReference: 'ORD-1-R1' });
  });

  it('check status: found with integer totals', async () => {
    const out = await gateway().checkStatus({ merchantReference: 'ORD-1' });
    expect(out).toMatchObject({
      kind: 'succeeded',
      value: { found: true, fortId: FORT_ID, transactionStatus: '04', transactionCode: '04000', transactionMessage: 'Success', authorizedAmount: 1000, capturedAmount: 700, refundedAmount: 100, authorizationCode: 'A1B2C3' },
    });
  });

  it('check status: 12036 is "not found", a success', async () => {
    handler = (p, _r, res) => {
      const { fort_id: _f, ...rest } = p;
      json(res, 200, signed({ ...rest, status: '12', response_code: '12036', response_message: 'Order not found' }));
    };
    const out = await gateway().checkStatus({ merchantReference: 'ORD-404' });
    expect(out).toEqual({
      kind: 'succeeded',
      refs: { merchantReference: 'ORD-404' },
      responseCode: '12036',
      message: 'Order not found',
      value: { found: false, authorizedAmount: 0, capturedAmount: 0, refundedAmount: 0 },
    });
  });

  it('check status: a non-integer total is a bad response', async () => {
    handler = (p, _r, res) => json(res, 200, apsReply(p, { captured_amount: '7.00' }));
    expect(await gateway().checkStatus({ merchantReference: 'ORD-1' })).toMatchObject({ kind: 'pending', reason: 'bad_response' });
  });

  it('update token maps token info', async () => {
    const out = await gateway().updateToken({ merchantReference: 'UPD-1', tokenName: TOKEN, status: 'INACTIVE' });
    expect(out).toMatchObject({ kind: 'succeeded', value: { tokenName: TOKEN, maskedCard: '400555******0001', cardBrand: 'VISA', tokenStatus: 'INACTIVE', expiryDate: '3005' } });
  });

  it('a full card number in a reply is masked before it goes further', async () => {
    handler = (p, _r, res) => json(res, 200, apsReply(p, { card_number: '4005550000000001' }));
    const out = await gateway().purchase(chargeReq);
    expect(out).toMatchObject({ kind: 'succeeded', value: { maskedCard: '400555******0001' } });
  });
});

describe('ApsGateway declines', () => {
  it.each(COMMANDS)('%s: any other status is declined with code, message and status', async (cmd) => {
    handler = (p, _r, res) => json(res, 200, apsReply(p, { status: '00', response_code: '00034', response_message: 'Operation not allowed' }));
    const out = await CALLS[cmd]!(gateway());
    expect(out).toMatchObject({ kind: 'declined', responseCode: '00034', message: 'Operation not allowed', status: '00' });
  });

  it('capture over the authorized amount: 05042', async () => {
    handler = (p, _r, res) => json(res, 200, apsReply(p, { status: '05', response_code: '05042', response_message: 'Operation amount exceeds the authorized amount' }));
    expect(await CALLS['CAPTURE']!(gateway())).toMatchObject({ kind: 'declined', responseCode: '05042', status: '05' });
  });

  it('a signed error reply that echoes nothing is still a decline (status 00, 00008)', async () => {
    handler = (_p, _r, res) => json(res, 200, signed({ status: '00', response_code: '00008', response_message: 'Signature mismatch' }));
    expect(await CALLS['PURCHASE']!(gateway())).toMatchObject({ kind: 'declined', responseCode: '00008', refs: { merchantReference: 'ORD-1' } });
  });

  it('purchase with the authorization success status is not a success', async () => {
    handler = (p, _r, res) => json(res, 200, apsReply(p, { status: '02', response_code: '02000' }));
    expect((await CALLS['PURCHASE']!(gateway())).kind).toBe('declined');
  });
});

type Fault = { name: string; reason: string; handler: Handler; port?: 'closed' };

const FAULTS: Fault[] = [
  { name: 'delay beyond the timeout', reason: 'timeout', handler: (p, _r, res) => void setTimeout(() => json(res, 200, apsReply(p)), 1500) },
  {
    name: 'headers then a stalled body',
    reason: 'timeout',
    handler: (_p, _r, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
      res.write('{"status":"14"');
    },
  },
  { name: 'socket destroyed before answering', reason: 'network', handler: (_p, req) => req.socket.destroy() },
  { name: 'connection refused', reason: 'network', handler: defaultHandler, port: 'closed' },
  { name: 'HTTP 500', reason: 'http_status', handler: (p, _r, res) => json(res, 500, apsReply(p)) },
  { name: 'HTTP 503', reason: 'http_status', handler: (_p, _r, res) => res.writeHead(503).end('Service Unavailable') },
  { name: 'HTTP 404 html', reason: 'http_status', handler: (_p, _r, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>nope</h1>') },
  { name: 'HTTP 302 redirect', reason: 'http_status', handler: (_p, _r, res) => res.writeHead(302, { location: '/elsewhere' }).end() },
  {
    name: 'truncated JSON (clean end)',
    reason: 'bad_response',
    handler: (p, _r, res) => {
      const text = JSON.stringify(apsReply(p));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(text.slice(0, text.length / 2));
    },
  },
  {
    name: 'truncated body (reset mid-body)',
    reason: 'bad_response',
    handler: (p, req, res) => {
      const text = JSON.stringify(apsReply(p));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(text.length) });
      res.write(text.slice(0, 20), () => req.socket.destroy());
    },
  },
  { name: 'empty body', reason: 'bad_response', handler: (_p, _r, res) => res.writeHead(200).end() },
  { name: 'HTML body with 200', reason: 'bad_response', handler: (_p, _r, res) => res.writeHead(200).end('<html>maintenance</html>') },
  { name: 'JSON array', reason: 'bad_response', handler: (_p, _r, res) => json(res, 200, []) },
  { name: 'wrong signature (other phrase)', reason: 'bad_signature', handler: (p, _r, res) => json(res, 200, signed(apsReply(p), 'not-the-phrase')) },
  { name: 'signed with the request phrase', reason: 'bad_signature', handler: (p, _r, res) => json(res, 200, signed(apsReply(p), REQUEST_PHRASE)) },
  {
    name: 'missing signature',
    reason: 'bad_signature',
    handler: (p, _r, res) => {
      const { signature: _s, ...rest } = apsReply(p);
      json(res, 200, rest);
    },
  },
  {
    name: 'tampered after signing',
    reason: 'bad_signature',
    handler: (p, _r, res) => json(res, 200, { ...apsReply(p, { status: '13', response_code: '13666' }), status: SUCCESS[commandOf(p)], response_code: `${SUCCESS[commandOf(p)]}000` }),
  },
  { name: 'echo mismatch: merchant_reference', reason: 'bad_response', handler: (p, _r, res) => json(res, 200, apsReply(p, { merchant_reference: 'OTHER-9' })) },
  { name: 'echo mismatch: command', reason: 'bad_response', handler: (p, _r, res) => json(res, 200, apsReply({ ...p, [p['command'] ? 'command' : p['query_command'] ? 'query_command' : 'service_command']: 'SOMETHING_ELSE' })) },
  { name: 'echo mismatch: another command key', reason: 'bad_response', handler: (p, _r, res) => json(res, 200, apsReply(p, { [p['command'] ? 'query_command' : 'command']: 'CHECK_STATUS' })) },
  { name: 'status 15 uncertain', reason: 'uncertain_status', handler: (p, _r, res) => json(res, 200, apsReply(p, { status: '15', response_code: '15777', response_message: 'Processed but failed to receive confirmation' })) },
  { name: 'status 19 pending', reason: 'uncertain_status', handler: (p, _r, res) => json(res, 200, apsReply(p, { status: '19', response_code: '19784', response_message: 'Transaction still processing' })) },
  { name: 'status 20 on hold', reason: 'uncertain_status', handler: (p, _r, res) => json(res, 200, apsReply(p, { status: '20', response_code: '20064', response_message: '3-D Secure check requested' })) },
  { name: 'technical problem xx006', reason: 'uncertain_status', handler: (p, _r, res) => json(res, 200, apsReply(p, { status: '00', response_code: '00006', response_message: 'Technical problem' })) },
  { name: 'success status with contradicting response_code', reason: 'bad_response', handler: (p, _r, res) => json(res, 200, apsReply(p, { response_code: '13666' })) },
  { name: 'status missing', reason: 'bad_response', handler: (p, _r, res) => {
    const { status: _s, ...rest } = apsReply(p);
    json(res, 200, signed(rest));
  } },
  { name: 'success without echo of merchant_reference', reason: 'bad_response', handler: (p, _r, res) => {
    const { merchant_reference: _m, ...rest } = apsReply(p);
    json(res, 200, signed(rest));
  } },
];

describe('ApsGateway faults: always pending, never success, never a throw', () => {
  const cases = FAULTS.flatMap((f) => COMMANDS.map((c) => [f.name, c, f] as const));
  it.each(cases)('%s on %s', async (_name, cmd, fault) => {
    handler = fault.handler;
    const logs: LogEntry[] = [];
    const g = fault.port === 'closed' ? gateway({ paymentApiUrl: 'http://127.0.0.1:1/FortAPI/paymentApi' }, logs) : gateway({}, logs);
    const out = await CALLS[cmd]!(g);
    expect(out).toMatchObject({ kind: 'pending', reason: fault.reason });
    expect(out.refs.merchantReference).toBe(cmd === 'UPDATE_TOKEN' ? 'UPD-1' : 'ORD-1');
    expect(logs.at(-1)).toMatchObject({ level: 'warn', obj: { command: cmd, outcome: 'pending', reason: fault.reason } });
  });

  it('amount echo mismatch on the money-moving commands', async () => {
    for (const cmd of ['PURCHASE', 'AUTHORIZATION', 'CAPTURE', 'REFUND']) {
      handler = (p, _r, res) => json(res, 200, apsReply(p, { amount: '999999' }));
      expect(await CALLS[cmd]!(gateway())).toMatchObject({ kind: 'pending', reason: 'bad_response' });
      handler = (p, _r, res) => json(res, 200, apsReply(p, { currency: 'EUR' }));
      expect(await CALLS[cmd]!(gateway())).toMatchObject({ kind: 'pending', reason: 'bad_response' });
    }
  });

  it('success without fort_id is a bad response', async () => {
    handler = (p, _r, res) => {
      const { fort_id: _f, ...rest } = apsReply(p);
      json(res, 200, signed(rest));
    };
    expect(await CALLS['CAPTURE']!(gateway())).toMatchObject({ kind: 'pending', reason: 'bad_response' });
  });

  it('does not retry: one request per call', async () => {
    handler = (_p, _r, res) => res.writeHead(503).end();
    await CALLS['PURCHASE']!(gateway());
    expect(hits).toBe(1);
  });

  it('bad input throws ApsValidationError and sends nothing', async () => {
    await expect(gateway().purchase({ ...chargeReq, merchantReference: 'bad ref' })).rejects.toBeInstanceOf(ApsValidationError);
    await expect(gateway().authorize({ ...chargeReq, eci: 'RECURRING' })).rejects.toBeInstanceOf(ApsValidationError);
    expect(hits).toBe(0);
  });
});

describe('logging', () => {
  it('logs command, reference, outcome, code, duration; never the token or card', async () => {
    const logs: LogEntry[] = [];
    const g = gateway({}, logs);
    await g.purchase(chargeReq);
    await g.updateToken({ merchantReference: 'UPD-1', tokenName: TOKEN });
    expect(logs[0]).toMatchObject({ level: 'info', obj: { command: 'PURCHASE', merchantReference: 'ORD-1', outcome: 'succeeded', responseCode: '14000' } });
    expect(typeof logs[0]!.obj['durationMs']).toBe('number');
    const text = JSON.stringify(logs);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('400555');
    expect(text).not.toContain('******');
  });
});

describe('config', () => {
  it('takes a pino logger as is', async () => {
    const logger: ApsLogger = pino({ level: 'silent' });
    expect((await gateway({ logger }).purchase(chargeReq)).kind).toBe('succeeded');
  });

  it('refuses a bad configuration', () => {
    expect(() => gateway({ accessCode: 'has space' })).toThrow(ApsValidationError);
    expect(() => gateway({ shaType: 'SHA-1' as 'SHA-256' })).toThrow(ApsValidationError);
    expect(() => gateway({ paymentApiUrl: 'ftp://x' })).toThrow(ApsValidationError);
    expect(() => gateway({ responsePhrase: '' })).toThrow(ApsValidationError);
  });

  it('exposes name and isSandbox', () => {
    const g = gateway();
    expect(g.name).toBe('test APS');
    expect(g.isSandbox).toBe(true);
  });
});

describe('probe', () => {
  it('any HTTP answer is reachable; a refused connection is not', async () => {
    handler = (_p, _r, res) => res.writeHead(405).end();
    expect(await gateway().probe()).toBe(true);
    expect(await gateway({ paymentApiUrl: 'http://127.0.0.1:1/FortAPI/paymentApi' }).probe()).toBe(false);
  });
  it('silence is unreachable', async () => {
    handler = () => undefined;
    expect(await gateway({ timeoutMs: 200 }).probe()).toBe(false);
  });
});
