/**
 * The one place where failures become AppFlow error codes. Operations throw ConnectorErrors for the failures they
 * understand; driver and network errors are classified here by their code. Messages are redacted and bounded.
 */
import { ConnectorError } from './errors';
import type { ErrorDetails } from './protocol/codecs';
import { LIMITS } from './protocol/constants';
import { redact } from './redaction';

interface DriverError {
  code?: string;
  errno?: number;
  sqlState?: string;
  message?: string;
  sqlMessage?: string;
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'ECONNRESET',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
  'ER_NORMAL_SHUTDOWN',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR_TEMP',
]);
const SATURATED = new Set([
  'ER_CON_COUNT_ERROR',
  'ER_TOO_MANY_USER_CONNECTIONS',
  'ER_USER_LIMIT_REACHED',
  'POOL_ENQUEUELIMIT',
]);
const TIMED_OUT = new Set([
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_LOCK_DEADLOCK',
  'ER_STATEMENT_TIMEOUT',
  'ER_QUERY_TIMEOUT',
  'ER_QUERY_INTERRUPTED',
]);
const TLS_VERIFICATION = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
]);

const MAX_MESSAGE_LENGTH = 1000;

function bounded(message: string): string {
  const clean = redact(message);
  return clean.length > MAX_MESSAGE_LENGTH ? clean.slice(0, MAX_MESSAGE_LENGTH) + '…' : clean;
}

/** Classifies any failure into a ConnectorError. */
export function classifyError(error: unknown): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const driver = (error ?? {}) as DriverError;
  const code = driver.code ?? '';
  const text = driver.sqlMessage ?? driver.message ?? String(error);
  const retryAfterSeconds = LIMITS.retryAfterSeconds;
  if (code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR') {
    return new ConnectorError('InvalidCredentials', `the database rejected the user name or password: ${text}`, {
      cause: error,
    });
  }
  if (
    code === 'ER_DBACCESS_DENIED_ERROR' ||
    code === 'ER_TABLEACCESS_DENIED_ERROR' ||
    code === 'ER_COLUMNACCESS_DENIED_ERROR' ||
    code === 'ER_SPECIFIC_ACCESS_DENIED_ERROR'
  ) {
    return new ConnectorError('AccessDenied', `the database user lacks a privilege: ${text}`, { cause: error });
  }
  if (code === 'ER_BAD_DB_ERROR') {
    return new ConnectorError('ResourceNotFoundError', `the configured database does not exist: ${text}`, {
      cause: error,
    });
  }
  if (code === 'ER_NO_SUCH_TABLE' || code === 'ER_BAD_FIELD_ERROR') {
    return new ConnectorError('ResourceNotFoundError', `the table or column changed while the request ran: ${text}`, {
      cause: error,
    });
  }
  if (SATURATED.has(code)) {
    return new ConnectorError('RateLimitExceeded', `the database has no free connections: ${text}`, {
      cause: error,
      retryAfterSeconds,
    });
  }
  if (TIMED_OUT.has(code)) {
    return new ConnectorError('RequestTimeout', `the database did not answer in time: ${text}`, {
      cause: error,
      retryAfterSeconds,
    });
  }
  if (UNREACHABLE.has(code)) {
    return new ConnectorError('ServiceUnavailable', `the database cannot be reached (${code}): ${text}`, {
      cause: error,
      retryAfterSeconds,
    });
  }
  if (code === 'HANDSHAKE_SSL_ERROR') {
    return new ConnectorError('ClientError', `the TLS handshake with the server failed: ${text}`, { cause: error });
  }
  if (code === 'HANDSHAKE_NO_SSL_SUPPORT') {
    return new ConnectorError(
      'ClientError',
      'the server does not support TLS; set tlsMode DISABLED only if that is acceptable',
      { cause: error },
    );
  }
  if (TLS_VERIFICATION.has(code) || (code === 'HANDSHAKE_SSL_ERROR' && /certificate|altnames|hostname/i.test(text))) {
    return new ConnectorError(
      'ClientError',
      `the server certificate could not be verified (${text}); fix the certificate or use tlsMode REQUIRED`,
      { cause: error },
    );
  }
  if (driver.sqlState?.startsWith('22') || driver.sqlState?.startsWith('23') || driver.sqlState?.startsWith('42')) {
    return new ConnectorError('ClientError', `the database refused the statement: ${text}`, { cause: error });
  }
  if (driver.errno !== undefined && driver.sqlState !== undefined) {
    return new ConnectorError('ServerError', `database error ${code || driver.errno}: ${text}`, { cause: error });
  }
  return new ConnectorError('UnknownError', `unexpected error: ${text}`, { cause: error });
}

export function toErrorDetails(error: unknown): ErrorDetails {
  const classified = classifyError(error);
  return {
    errorCode: classified.code,
    errorMessage: bounded(classified.message),
    retryAfterSeconds: classified.retryAfterSeconds,
  };
}

/** True when the database rejected the credentials: worth re-reading the secret once (it may have rotated). */
export function isAuthenticationFailure(error: unknown): boolean {
  const code = (error as DriverError | null)?.code;
  if (error instanceof ConnectorError)
    return error.code === 'InvalidCredentials' && error.cause !== undefined && isAuthenticationFailure(error.cause);
  return code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR';
}
