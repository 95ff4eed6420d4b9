/**
 * pino's redaction for every logger we create (web mode, the Electron main process, the sandbox):
 * a backstop behind the rule that secrets and card data are never put in a log object at all.
 * Field names cover our own (camelCase) and APS's (snake_case) spellings, at the top level and
 * one level down.
 */
const SECRET_FIELDS = [
  'pin', 'newPin', 'currentPin', 'passphrase', 'password', 'secret', 'key', 'apiKey', 'api_key',
  'accessCode', 'access_code', 'requestPhrase', 'responsePhrase', 'request_phrase', 'response_phrase',
  'signature', 'card_number', 'cardNumber', 'card_security_code', 'cvv', 'expiry_date', 'token', 'token_name', 'tokenName',
];

export const LOG_REDACTION = {
  paths: SECRET_FIELDS.flatMap((f) => [f, `*.${f}`]),
  censor: '[redacted]',
};
