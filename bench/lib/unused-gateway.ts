import type { ApsGateway } from '../../electron/gateway/aps';
import { embeddedSandboxGateway } from '../../electron/gateway/embedded';

/** A closed port (discard): a call that did reach the gateway fails at once instead of hanging. */
const CLOSED = 'http://127.0.0.1:9/FortAPI';

/**
 * The embedded default's adapter and sandbox merchant, pointed at a closed port, for bench
 * children whose measured calls never reach the gateway: the core is assembled exactly as in web mode.
 */
export function unusedGateway(): ApsGateway {
  return embeddedSandboxGateway({ paymentApiUrl: `${CLOSED}/paymentApi`, paymentPageUrl: `${CLOSED}/paymentPage` }, { name: 'bench (unused)' });
}
