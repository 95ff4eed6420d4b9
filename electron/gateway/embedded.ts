import { ApsGateway, type ApsLogger } from './aps';
import { DEFAULT_MERCHANT, type SandboxHandle } from './sandbox';

/** Any UUID works with the sandbox's confirmation service; this one is documented. */
export const SANDBOX_CONFIRMATION_TEMPLATE_ID = '5d0c2f4e-8a1b-4c3d-9e7f-0a1b2c3d4e5f';

/**
 * The embedded default: our APS adapter pointed at an in-process sandbox with the sandbox's
 * documented merchant. One place for every shell (web mode, Electron) and the benchmarks, so the
 * app always talks to the sandbox exactly as it would talk to APS.
 */
export function embeddedSandboxGateway(
  sandbox: Pick<SandboxHandle, 'paymentApiUrl' | 'paymentPageUrl'> & { confirmationApiUrl?: string },
  opts: { logger?: ApsLogger; timeoutMs?: number; name?: string } = {},
): ApsGateway {
  return new ApsGateway({
    paymentApiUrl: sandbox.paymentApiUrl,
    paymentPageUrl: sandbox.paymentPageUrl,
    ...(sandbox.confirmationApiUrl ? { confirmationApiUrl: sandbox.confirmationApiUrl } : {}),
    confirmationApiKey: DEFAULT_MERCHANT.confirmationApiKey,
    confirmationTemplateId: SANDBOX_CONFIRMATION_TEMPLATE_ID,
    accessCode: DEFAULT_MERCHANT.accessCode,
    merchantIdentifier: DEFAULT_MERCHANT.merchantIdentifier,
    requestPhrase: DEFAULT_MERCHANT.requestPhrase,
    responsePhrase: DEFAULT_MERCHANT.responsePhrase,
    shaType: DEFAULT_MERCHANT.shaType,
    language: 'en',
    isSandbox: true,
    name: opts.name ?? 'APS sandbox (embedded)',
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
  });
}
