import { X509Certificate } from 'node:crypto';
import { ContractError } from '../../../shared/contract';

/**
 * The shop's own CA certificate, as an admin pastes it (Settings → Shop server): PEM, one or
 * more certificates (a bundle of a root and an intermediate is fine). Checked before anything is
 * saved or tried; the field messages are the catalogue's (errors.json `field`), so no '.' or ':'.
 */
export const CA_MESSAGES = {
  privateKey: "This is a private key; paste the certificate of the shop's CA, never a key",
  notPem: 'Not a PEM certificate; paste the text from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----',
  unreadable: 'A certificate in the text cannot be read',
  expired: 'The certificate has expired',
} as const;

export interface CaCertificate {
  /** The certificates, normalised (what TLS is given). */
  pem: string;
  /** The first certificate's subject and end of validity, for the screen. */
  subject: string;
  validTo: string;
}

const refuse = (message: string) => new ContractError('VALIDATION', message, { caCertificate: message });

export function parseCaPem(text: string, now: Date): CaCertificate {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) throw refuse(CA_MESSAGES.privateKey);
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (!blocks) throw refuse(CA_MESSAGES.notPem);
  const certs = blocks.map((b) => {
    try {
      return new X509Certificate(b);
    } catch {
      throw refuse(CA_MESSAGES.unreadable);
    }
  });
  for (const c of certs) if (new Date(c.validTo).getTime() < now.getTime()) throw refuse(CA_MESSAGES.expired);
  const first = certs[0]!;
  return { pem: certs.map((c) => c.toString()).join(''), subject: first.subject.replace(/\n/g, ', '), validTo: new Date(first.validTo).toISOString() };
}

/** What the screen shows of a stored CA; null when none is set or it no longer reads. */
export function describeCa(pem: string | null | undefined): { subject: string; validTo: string } | null {
  if (!pem) return null;
  try {
    const c = new X509Certificate(pem);
    return { subject: c.subject.replace(/\n/g, ', ').slice(0, 300), validTo: new Date(c.validTo).toISOString() };
  } catch {
    return null;
  }
}

/** TLS could not verify the server: untrusted (no CA, another CA), expired, or another name. */
export function isCertificateProblem(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  if (typeof err?.code === 'string' && /^(SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_HAS_EXPIRED|CERT_UNTRUSTED|CERT_SIGNATURE_FAILURE|ERR_TLS_CERT_ALTNAME_INVALID)$/.test(err.code)) return true;
  return /certificate/i.test(err?.message ?? '');
}
