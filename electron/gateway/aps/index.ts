export { ApsGateway, DEFAULT_TIMEOUT_MS, type ApsGatewayConfig } from './gateway';
export { APS_PRODUCTION_URLS, APS_SANDBOX_URLS, type ApsUrls } from './urls';
export { ApsValidationError, type ApsValidationCode } from './errors';
export { toApsText, FIELD_RULES } from './fields';
export { maskToken, type ApsLogger } from './log';
export { SUCCESS_STATUS, UNCERTAIN_STATUS } from './classify';
export { CHECK_STATUS_NOT_FOUND } from './responses';
export { sign, signatureString, verify, SHA_TYPES, TOKENIZATION_UNSIGNED_FIELDS, type ShaType, type SignableObject, type SignableValue } from './signature';
export type { ApsCommand } from './requests';
