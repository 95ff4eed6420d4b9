import { ApsGateway } from '../../electron/gateway/aps';
import { DEFAULT_MERCHANT } from '../../electron/gateway/sandbox';

/**
 * A real APS adapter pointed at a closed port, for bench children whose measured calls never reach
 * the gateway: the core is assembled exactly as in web mode.
 */
export function unusedGateway(): ApsGateway {
  return new ApsGateway({
    paymentApiUrl: 'http://127.0.0.1:9/FortAPI/paymentApi',
    paymentPageUrl: 'http://127.0.0.1:9/FortAPI/paymentPage',
    accessCode: DEFAULT_MERCHANT.accessCode,
    merchantIdentifier: DEFAULT_MERCHANT.merchantIdentifier,
    requestPhrase: DEFAULT_MERCHANT.requestPhrase,
    responsePhrase: DEFAULT_MERCHANT.responsePhrase,
    shaType: DEFAULT_MERCHANT.shaType,
    language: 'en',
    isSandbox: true,
    name: 'bench (unused)',
  });
}
