/**
 * The certificate authorities tlsMode VERIFY_IDENTITY trusts, for every engine: the system's, Amazon RDS's bundle,
 * and the PEM file NODE_EXTRA_CA_CERTS names. Node adds that file to its default CAs only while no `ca` option is
 * given; a pool that passes `ca` (to add RDS's bundle) must add it itself.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { loadRdsCertificates } from '../lazyModules';

/** The PEM certificates in the file NODE_EXTRA_CA_CERTS names; none when unset or unreadable. */
export function extraCertificates(): string[] {
  const file = process.env.NODE_EXTRA_CA_CERTS;
  if (!file) return [];
  try {
    return readFileSync(file, 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  } catch {
    // Node itself only warns about an unreadable file; verification then fails on the missing CA, with its reason.
    return [];
  }
}

/** The `ca` option of a VERIFY_IDENTITY connection. */
export async function verifyIdentityCertificates(): Promise<string[]> {
  return [...rootCertificates, ...(await loadRdsCertificates()), ...extraCertificates()];
}
