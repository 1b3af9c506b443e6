/**
 * What to change when an operation fails, in the words of the interface the user is in: the runner's flags and
 * DB_* variables for the local bundle and the demo, the flags and the secret for a deployed connector. The
 * connector's own messages speak of runtime settings (tlsMode, database), which is right in AppFlow; these hints
 * translate them into what to type here.
 */
import { DEMO_SERVER_VARIABLE } from './demo/server';

export type TargetKind = 'demo' | 'local' | 'deployed';

interface Failure {
  readonly code: string;
  readonly message: string;
  readonly operation: string;
}

export function hintFor(kind: TargetKind, failure: Failure): string | undefined {
  const { code, message } = failure;
  const deployed = kind === 'deployed';
  if (/does not support TLS/i.test(message)) {
    return 'the server offers no TLS: run with --tls-mode DISABLED (or DB_TLS_MODE=DISABLED) if that is acceptable';
  }
  if (/certificate could not be verified/i.test(message)) {
    return 'use --tls-mode REQUIRED (DB_TLS_MODE=REQUIRED), or give the connector the CA that signed the certificate';
  }
  if (/requires TLS for this user/i.test(message)) return 'use --tls-mode REQUIRED (or DB_TLS_MODE=REQUIRED)';
  switch (code) {
    case 'InvalidCredentials':
      return deployed
        ? 'check the username and password in the secret --secret-arn names'
        : 'check --user (DB_USERNAME) and the password (DB_PASSWORD)';
    case 'ResourceNotFoundError':
      if (/database does not exist/i.test(message)) {
        return deployed ? 'check --database (the profile setting database)' : 'check --database (DB_NAME)';
      }
      if (/secret/i.test(message)) return 'check --secret-arn';
      if (/schema/i.test(message)) return 'check --schema (DB_SCHEMA); names are exact, case included';
      return 'check --entity: without it the runner lists the entities';
    case 'AccessDenied':
      // MySQL and MariaDB answer an ordinary user's unknown database as "Access denied … to database 'x'"
      // (ER_DBACCESS_DENIED_ERROR), so as not to tell which databases exist: it may be either.
      if (/to database/i.test(message)) {
        return `the database does not exist, or the user has no privilege on it: check --database (${deployed ? 'the profile setting database' : 'DB_NAME'}) and the user's grants`;
      }
      if (/secret/i.test(message)) return "the function's role may not read --secret-arn (or decrypt it)";
      return 'the database user lacks a privilege on the entity (GRANT SELECT, and INSERT/UPDATE/DELETE to write)';
    case 'ServiceUnavailable':
      return deployed
        ? 'is the database running, and reachable from the function (VPC subnets, security groups, --host, --port)?'
        : kind === 'demo'
          ? `is the demo's server running? (${DEMO_SERVER_VARIABLE} names it)`
          : 'is the database running and reachable from here (--host/DB_HOST, --port/DB_PORT, firewall)?';
    case 'RequestTimeout':
      return 'try a smaller --page-size or --batch-size';
    default:
      return undefined;
  }
}
