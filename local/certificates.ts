/**
 * Certificates for the throwaway database servers (local/mariadb.ts, local/postgresql.ts): a CA made for one run,
 * and a server certificate it signed for 127.0.0.1 and localhost, so tests can check TLS with VERIFY_IDENTITY; or,
 * for tests of the host-name check, signed for other names (a certificate the CA vouches for, issued to someone else).
 */
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The subjectAltName entries of the server certificate by default: the loopback address and its name. */
export const LOOPBACK_CERTIFICATE_NAMES: readonly string[] = ['DNS:localhost', 'IP:127.0.0.1'];

/** How a throwaway server offers TLS (both local servers take it as their `tls` start option). */
export interface ServerTlsOptions {
  /** false: the server offers no TLS at all (for tests of tlsMode REQUIRED against such a server). Default true. */
  readonly enabled?: boolean;
  /**
   * The server certificate's subjectAltName entries in openssl's syntax (`DNS:db.example.test`, `IP:10.1.2.3`);
   * default LOOPBACK_CERTIFICATE_NAMES. A certificate that does not name 127.0.0.1 makes the local helpers
   * connect with TLS unverified.
   */
  readonly certificateNames?: readonly string[];
}

/** True when a server started with these options has a certificate that names 127.0.0.1 (verify-full works). */
export function certificateNamesLoopback(options: ServerTlsOptions | undefined): boolean {
  return (options?.certificateNames ?? LOOPBACK_CERTIFICATE_NAMES).includes('IP:127.0.0.1');
}

/**
 * A CA and a server certificate (EC P-256: fast to make) for `names` (subjectAltName entries, default
 * 127.0.0.1/localhost), made with openssl for this run.
 */
export function generateCertificates(
  dir: string,
  names: readonly string[] = LOOPBACK_CERTIFICATE_NAMES,
): { ca: string; cert: string; key: string } {
  if (names.length === 0 || names.some((name) => !/^(DNS:[A-Za-z0-9.*-]+|IP:[0-9a-fA-F.:]+)$/.test(name))) {
    throw new Error(`certificate names must be DNS:<name> or IP:<address>: ${names.join(', ')}`);
  }
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run([
    'req',
    '-x509',
    ...ecKey,
    '-days',
    '2',
    '-subj',
    '/CN=appflow-test-ca',
    '-keyout',
    'ca-key.pem',
    '-out',
    'ca.pem',
  ]);
  const commonName = names[0]?.replace(/^(DNS|IP):/, '') ?? 'localhost';
  run(['req', ...ecKey, '-subj', `/CN=${commonName}`, '-keyout', 'server-key.pem', '-out', 'server.csr']);
  writeFileSync(join(dir, 'san.ext'), `subjectAltName=${names.join(',')}\n`);
  run([
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca-key.pem',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'san.ext',
    '-out',
    'server-cert.pem',
  ]);
  // Nothing may sign another certificate with this CA once the run has its one.
  rmSync(join(dir, 'ca-key.pem'));
  return { ca: join(dir, 'ca.pem'), cert: join(dir, 'server-cert.pem'), key: join(dir, 'server-key.pem') };
}
