/**
 * Numbers the screens say inside sentences (in the user's digits) and the core enforces. No
 * imports: the renderer's first chunk takes these without pulling in the contract's schemas.
 */
/** The shortest PIN. */
export const PIN_MIN = 6;
/** How long an account stays locked after too many wrong PINs. */
export const LOCKOUT_MINUTES = 30;
/** How long the gateway holds an authorization before it lapses. */
export const AUTHORIZATION_DAYS = 7;
/** The usual raw TCP port of a network receipt printer. */
export const DEFAULT_PRINTER_PORT = 9100;
