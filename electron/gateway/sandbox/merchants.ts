import type { MerchantConfig } from './types';

/**
 * The fixed, documented credentials of the sandbox merchant. They are not secrets: the sandbox
 * only ever listens on loopback and holds test data. A fresh install charges against them.
 */
export const DEFAULT_MERCHANT: MerchantConfig = Object.freeze({
  merchantIdentifier: 'SANDBOXMID',
  accessCode: 'SANDBOXACCESSCODE01',
  requestPhrase: 'sandbox-request-phrase',
  responsePhrase: 'sandbox-response-phrase',
  shaType: 'SHA-256',
  uniqueTokens: false,
  confirmationApiKey: 'sandbox-confirmation-key',
});
