/**
 * APS status and message codes used by the sandbox (docs/aps-gateway.md §6).
 *
 * A response_code is the 2-digit status followed by the 3-digit message code. Which status prefix
 * accompanies an error is mostly undocumented (UNCONFIRMED #5); the sandbox's convention is:
 * - request-level problems (format, authentication, signature, duplicates) → status 00, nothing
 *   is recorded, the merchant_reference stays free;
 * - business refusals of a well-formed request → the command's own failure status
 *   (03 authorization, 13 purchase, 05 capture, 09 void, 07 refund, 59 update token).
 */
export const STATUS = {
  INVALID_REQUEST: '00',
  AUTHORIZATION_SUCCESS: '02',
  AUTHORIZATION_FAILED: '03',
  CAPTURE_SUCCESS: '04',
  CAPTURE_FAILED: '05',
  REFUND_SUCCESS: '06',
  REFUND_FAILED: '07',
  VOID_SUCCESS: '08',
  VOID_FAILED: '09',
  CHECK_STATUS_FAILED: '11',
  CHECK_STATUS_SUCCESS: '12',
  PURCHASE_FAILED: '13',
  PURCHASE_SUCCESS: '14',
  UNCERTAIN: '15',
  TOKENIZATION_FAILED: '17',
  TOKENIZATION_SUCCESS: '18',
  TOKEN_UPDATED: '58',
  TOKEN_UPDATE_FAILED: '59',
  PAYMENT_LINK_SUCCESS: '48',
  PAYMENT_LINK_FAILED: '49',
} as const;
export type StatusCode = (typeof STATUS)[keyof typeof STATUS];

/** Message codes and their English texts ([OLD-CODES]). Responses are English even for language=ar. */
export const MESSAGES = {
  '000': 'Success',
  '001': 'Missing parameter',
  '002': 'Invalid parameter format',
  '004': 'Invalid command',
  '005': 'Invalid amount',
  '008': 'Signature mismatch',
  '009': 'Invalid merchant identifier',
  '010': 'Invalid access code',
  '012': 'Card expired',
  '013': 'Invalid currency',
  '016': 'Invalid card number',
  '027': 'Invalid extra parameters',
  '029': 'Insufficient funds',
  '032': 'Invalid parameter length',
  '034': 'Operation not allowed',
  '036': 'Order not found',
  '042': 'Operation amount exceeds the authorized amount',
  '044': 'Token name does not exist',
  '048': 'Operation amount exceeds captured amount',
  '066': 'Merchant reference already exists',
  '073': 'Invalid request format',
  '080': 'Invalid payment option',
  '100': 'Invalid expiry date',
  '110': 'Contradicting parameters',
  '113': 'Service not applicable for e-commerce indicator',
  '114': 'Token already exist',
  '666': 'Transaction declined',
  '773': 'Transaction closed',
  '777': 'Processed but failed to receive confirmation',
  '030': 'Authentication failed',
} as const;
export type MessageCode = keyof typeof MESSAGES;

export type ApsResult = {
  status: string;
  response_code: string;
  response_message: string;
};

export function result(status: string, message: MessageCode): ApsResult {
  return { status, response_code: `${status}${message}`, response_message: MESSAGES[message] };
}

/** A request-level refusal (status 00). */
export function invalid(message: MessageCode): ApsResult {
  return result(STATUS.INVALID_REQUEST, message);
}
