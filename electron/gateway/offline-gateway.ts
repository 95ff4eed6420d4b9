import type { Gateway, Outcome } from './types';

function unreachable<T>(ref: string): Promise<Outcome<T>> {
  return Promise.resolve({ kind: 'pending', refs: { merchantReference: ref }, reason: 'network', detail: 'offline (fuzz gateway)' });
}

/** Test double: a gateway that is always offline, so fuzzed and start-up tests never depend on the network. */
export const offlineGateway: Gateway = {
  name: 'Fuzz gateway (offline)',
  isSandbox: true,
  hostedForm: (req) => ({ action: 'http://127.0.0.1:9/paymentPage', method: 'POST', fields: { merchant_reference: req.merchantReference } }),
  verifyTokenizationReturn: () => ({ ok: false, reason: 'bad_signature', message: 'Bad signature' }),
  authorize: (r) => unreachable(r.merchantReference),
  purchase: (r) => unreachable(r.merchantReference),
  capture: (r) => unreachable(r.merchantReference),
  voidAuthorization: (r) => unreachable(r.merchantReference),
  refund: (r) => unreachable(r.merchantReference),
  checkStatus: (r) => unreachable(r.merchantReference),
  updateToken: (r) => unreachable(r.merchantReference),
  startConfirmation: () => unreachable('confirmation'),
  getConfirmation: () => unreachable('confirmation'),
  probe: () => Promise.resolve(false),
};
