/**
 * The APS-compatible sandbox gateway (DESIGN.md "Gateway"): real HTTP on loopback speaking the
 * FORT API wire format, a hosted tokenization page, the email confirmation service of seed 003,
 * persistence, a controllable clock and fault injection. Plain Node: never imports 'electron'.
 * See docs/sandbox.md.
 */
export { startSandbox } from './server';
export { DEFAULT_MERCHANT } from './merchants';
export { TEST_CARDS, type TestCard } from './cards';
export { MAGIC_SUFFIX, AUTHORIZATION_VALIDITY_MS } from './rules';
export type {
  FaultKind,
  FaultSpec,
  MerchantConfig,
  SandboxClock,
  SandboxControl,
  SandboxHandle,
  SandboxLogger,
  SandboxOperation,
  SandboxOptions,
  SandboxOrder,
  SandboxOrderStatus,
} from './types';
export type { ShaType } from '../aps/signature';
