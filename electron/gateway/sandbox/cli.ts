/**
 * Standalone sandbox: `npm run sandbox -- --port 8787 --data .data/sandbox`.
 * Prints the URLs and the merchant credentials in use, stops cleanly on SIGINT / SIGTERM.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { LOG_REDACTION } from '../log-redaction';
import { SHA_TYPES, type ShaType } from '../aps/signature';
import { DEFAULT_MERCHANT } from './merchants';
import { startSandbox } from './server';
import type { MerchantConfig } from './types';

const USAGE = `Usage: npm run sandbox -- [options]
  --port N                   port (default 8787; 0 = any free port)
  --host H                   interface (default 127.0.0.1)
  --data DIR                 data directory (default .data/sandbox)
  --memory                   keep state in memory only
  --merchant-identifier ID   (default ${DEFAULT_MERCHANT.merchantIdentifier})
  --access-code CODE         (default ${DEFAULT_MERCHANT.accessCode})
  --request-phrase P         SHA request phrase
  --response-phrase P        SHA response phrase
  --sha-type T               ${SHA_TYPES.join(' | ')} (default SHA-256)
  --unique-tokens            one token name per card number
  --confirmation-api-key K   Bearer key of the email confirmation API
  --quiet                    no request log
  --help`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      data: { type: 'string', default: '.data/sandbox' },
      memory: { type: 'boolean', default: false },
      'merchant-identifier': { type: 'string', default: DEFAULT_MERCHANT.merchantIdentifier },
      'access-code': { type: 'string', default: DEFAULT_MERCHANT.accessCode },
      'request-phrase': { type: 'string', default: DEFAULT_MERCHANT.requestPhrase },
      'response-phrase': { type: 'string', default: DEFAULT_MERCHANT.responsePhrase },
      'sha-type': { type: 'string', default: DEFAULT_MERCHANT.shaType },
      'unique-tokens': { type: 'boolean', default: false },
      'confirmation-api-key': { type: 'string', default: DEFAULT_MERCHANT.confirmationApiKey },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535, got ${values.port}`);
  if (!SHA_TYPES.includes(values['sha-type'] as ShaType)) throw new Error(`--sha-type must be one of ${SHA_TYPES.join(', ')}`);
  const merchant: MerchantConfig = {
    merchantIdentifier: values['merchant-identifier'],
    accessCode: values['access-code'],
    requestPhrase: values['request-phrase'],
    responsePhrase: values['response-phrase'],
    shaType: values['sha-type'] as ShaType,
    uniqueTokens: values['unique-tokens'],
    confirmationApiKey: values['confirmation-api-key'],
  };
  const dataDir = values.memory ? undefined : resolve(values.data);
  const logger = pino({ level: values.quiet ? 'warn' : 'info', base: undefined, redact: LOG_REDACTION });
  const sandbox = await startSandbox({ port, host: values.host, dataDir, merchants: [merchant], logger });

  console.log(`
APS sandbox gateway — SANDBOX, test cards only
  paymentApi        ${sandbox.paymentApiUrl}
  paymentPage       ${sandbox.paymentPageUrl}
  confirmations     ${sandbox.confirmationApiUrl}
  mailbox           ${sandbox.mailboxUrl}
  controls          ${sandbox.url}/__sandbox/health
  data              ${dataDir ?? '(in memory)'}
Merchant credentials
  merchant_identifier  ${merchant.merchantIdentifier}
  access_code          ${merchant.accessCode}
  request phrase       ${merchant.requestPhrase}
  response phrase      ${merchant.responsePhrase}
  SHA type             ${merchant.shaType}
  unique tokens        ${merchant.uniqueTokens ? 'yes' : 'no'}
  confirmation API key ${merchant.confirmationApiKey}
Press Ctrl+C to stop.`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the sandbox…`);
    sandbox.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  console.error(USAGE);
  process.exit(1);
});
