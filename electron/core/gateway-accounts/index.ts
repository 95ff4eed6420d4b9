export { GatewayAccounts, type GatewayAccountsOptions, type GatewayState } from './accounts';
export { AccountRouter } from './router';
export { gatewayHandlers } from './handlers';
export { EMBEDDED_ACCOUNT, accountKey, accountParam, describeAccount, environmentOf, FIXED_URLS, type Environment } from './model';
export { provisionGateway, readGatewayConfig, GatewayConfigError, type ProvisionResult } from './provision';
