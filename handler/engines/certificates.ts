/**
 * TLS of every engine's connections, per tlsMode: DISABLED none; REQUIRED encrypted, the certificate not verified;
 * VERIFY_IDENTITY the chain and the host name. The certificate authorities VERIFY_IDENTITY trusts: the system's,
 * Amazon RDS's bundle, and the PEM file NODE_EXTRA_CA_CERTS names. Node adds that file to its default CAs only while
 * no `ca` option is given; a pool that passes `ca` (to add RDS's bundle) must add it itself.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { loadRdsCertificates } from '../lazyModules';
import type { TlsMode } from '../settings';

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

/**
 * The driver's TLS options for `tlsMode`: `disabled` (the driver's own "no TLS"), or TLS 1.2 at least, verified under
 * VERIFY_IDENTITY against the CAs above with the driver's host-name check `hostCheck` added.
 */
export async function tlsOptions<Disabled, HostCheck extends object>(
  tlsMode: TlsMode,
  disabled: Disabled,
  hostCheck: HostCheck,
) {
  switch (tlsMode) {
    case 'DISABLED':
      return disabled;
    case 'REQUIRED':
      return { rejectUnauthorized: false, minVersion: 'TLSv1.2' } as const;
    case 'VERIFY_IDENTITY': {
      const ca = [...rootCertificates, ...(await loadRdsCertificates()), ...extraCertificates()];
      return { ca, rejectUnauthorized: true, ...hostCheck, minVersion: 'TLSv1.2' } as const;
    }
  }
}
