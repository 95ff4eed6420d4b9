/**
 * The gateway account recorded on every payment, card on file and hosted card session when no
 * other is configured: the embedded sandbox's documented merchant (electron/gateway/sandbox/
 * merchants.ts), migration 008's column default. On the ground floor because the ledger's rows
 * carry it and features below gateway-accounts (people's session status) name it too.
 */
export const EMBEDDED_ACCOUNT = 'sandbox:SANDBOXMID';
