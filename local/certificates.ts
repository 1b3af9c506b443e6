/**
 * Certificates for the throwaway database servers (local/mariadb.ts, local/postgresql.ts): a CA made for one run,
 * and a server certificate it signed for 127.0.0.1 and localhost, so tests can check TLS with VERIFY_IDENTITY.
 */
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A CA and a server certificate for 127.0.0.1/localhost (EC P-256: fast to make), made with openssl for this run. */
export function generateCertificates(dir: string): { ca: string; cert: string; key: string } {
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
  run(['req', ...ecKey, '-subj', '/CN=localhost', '-keyout', 'server-key.pem', '-out', 'server.csr']);
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
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
