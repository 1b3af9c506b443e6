/**
 * MySQL/MariaDB failures as AppFlow errors, by mysql2's codes (`classifyError`), and the database errors met while
 * writing records: which ones belong to a record (a bad value, a duplicate key, a
 * constraint) and which ones stop the whole batch (a lost connection, a timeout, a missing privilege), and a
 * per-record message that names columns and keys but never quotes the record's values: MySQL and MariaDB quote the
 * offending value in many messages ("Duplicate entry 'ada@example.com' ...", "Incorrect integer value: 'x' ..."),
 * and record values may be sensitive.
 */

import {
  AccessDeniedError,
  ConnectorError,
  DatabaseClientError,
  DatabaseServerError,
  InvalidCredentialsError,
  RateLimitExceededError,
  RequestTimeoutError,
  ResourceNotFoundError,
  ServiceUnavailableError,
} from '../../errors';
import { LIMITS } from '../../protocol/constants';
import { redact } from '../../redaction';
import type { ErrorClassifier, RecordErrorContext, StatementTarget } from '../engine';

interface DriverError {
  code?: string;
  errno?: number;
  sqlState?: string;
  message?: string;
  sqlMessage?: string;
  fatal?: boolean;
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

/** Classifies any failure into a ConnectorError (named by its code), the driver's error kept as its cause. */
export function classifyError(error: unknown): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const driver = (error ?? {}) as DriverError;
  const code = driver.code ?? '';
  const text = driver.sqlMessage ?? driver.message ?? String(error);
  const retryAfterSeconds = LIMITS.retryAfterSeconds;
  if (code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR') {
    return new InvalidCredentialsError(`the database rejected the user name or password: ${text}`, {
      cause: error,
    });
  }
  if (
    code === 'ER_DBACCESS_DENIED_ERROR' ||
    code === 'ER_TABLEACCESS_DENIED_ERROR' ||
    code === 'ER_COLUMNACCESS_DENIED_ERROR' ||
    code === 'ER_SPECIFIC_ACCESS_DENIED_ERROR'
  ) {
    return new AccessDeniedError(`the database user lacks a privilege: ${text}`, { cause: error });
  }
  if (code === 'ER_BAD_DB_ERROR') {
    return new ResourceNotFoundError(`the configured database does not exist: ${text}`, {
      cause: error,
    });
  }
  if (code === 'ER_NO_SUCH_TABLE' || code === 'ER_BAD_FIELD_ERROR') {
    return new ResourceNotFoundError(`the table or column changed while the request ran: ${text}`, {
      cause: error,
    });
  }
  if (SATURATED.has(code)) {
    return new RateLimitExceededError(`the database has no free connections: ${text}`, {
      cause: error,
      retryAfterSeconds,
    });
  }
  if (TIMED_OUT.has(code)) {
    return new RequestTimeoutError(`the database did not answer in time: ${text}`, {
      cause: error,
      retryAfterSeconds,
    });
  }
  if (UNREACHABLE.has(code)) {
    return new ServiceUnavailableError(`the database cannot be reached (${code}): ${text}`, {
      cause: error,
      retryAfterSeconds,
    });
  }
  if (code === 'HANDSHAKE_SSL_ERROR') {
    return new DatabaseClientError(`the TLS handshake with the server failed: ${text}`, { cause: error });
  }
  if (code === 'HANDSHAKE_NO_SSL_SUPPORT') {
    return new DatabaseClientError('the server does not support TLS; set tlsMode DISABLED only if that is acceptable', {
      cause: error,
    });
  }
  if (TLS_VERIFICATION.has(code) || (code === 'HANDSHAKE_SSL_ERROR' && /certificate|altnames|hostname/i.test(text))) {
    return new DatabaseClientError(
      `the server certificate could not be verified (${text}); fix the certificate or use tlsMode REQUIRED`,
      { cause: error },
    );
  }
  if (driver.sqlState?.startsWith('22') || driver.sqlState?.startsWith('23') || driver.sqlState?.startsWith('42')) {
    return new DatabaseClientError(`the database refused the statement: ${text}`, { cause: error });
  }
  if (driver.errno !== undefined && driver.sqlState !== undefined) {
    return new DatabaseServerError(`database error ${code || driver.errno}: ${text}`, { cause: error });
  }
  return new ConnectorError('UnknownError', `unexpected error: ${text}`, { cause: error });
}

/** True when the database rejected the credentials: worth re-reading the secret once (it may have rotated). */
export function isAuthenticationFailure(error: unknown): boolean {
  const code = (error as DriverError | null)?.code;
  if (error instanceof ConnectorError)
    return error.code === 'InvalidCredentials' && error.cause !== undefined && isAuthenticationFailure(error.cause);
  return code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR';
}

/** Driver codes of failures that concern the connection, the server, the time or the privileges, never a record. */
const BATCH_CODES = new Set([
  'ER_ACCESS_DENIED_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
  'ER_TABLEACCESS_DENIED_ERROR',
  'ER_COLUMNACCESS_DENIED_ERROR',
  'ER_SPECIFIC_ACCESS_DENIED_ERROR',
  'ER_PROCACCESS_DENIED_ERROR',
  'ER_OPTION_PREVENTS_STATEMENT',
  'ER_READ_ONLY_MODE',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_LOCK_DEADLOCK',
  'ER_QUERY_INTERRUPTED',
  'ER_STATEMENT_TIMEOUT',
  'ER_QUERY_TIMEOUT',
  'ER_CONNECTION_KILLED',
  'ER_SERVER_SHUTDOWN',
  'ER_NORMAL_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
  'ER_TOO_MANY_USER_CONNECTIONS',
  'ER_USER_LIMIT_REACHED',
  'ER_OUT_OF_RESOURCES',
  'ER_OUTOFMEMORY',
  'ER_DISK_FULL',
  'ER_RECORD_FILE_FULL',
  'ER_LOCK_TABLE_FULL',
  'ER_TABLE_NOT_LOCKED_FOR_WRITE',
  'ER_CANT_LOCK',
  'ER_NEED_REPREPARE',
  'ER_UNKNOWN_COM_ERROR',
  'ER_PARSE_ERROR',
]);

/** The name after the last dot of a quoted `db.table` or `table.column`. */
function lastPart(name: string): string {
  return name.split('.').pop() ?? name;
}

/**
 * True when the error is about the record(s) of the statement — a value, a key, a constraint, a trigger or anything
 * else the server refused the statement for — rather than about the connection, the server, the time budget, a
 * privilege, or the target table itself having changed. A failure of the second kind would fail any record alike:
 * it stops the batch. Unknown server errors count as record errors: on a transactional table the statement is
 * retried record by record, so a record-specific cause (e.g. a trigger failing for some rows only) fails only its
 * record, and a cause common to all fails each record with the server's own message.
 */
export function isRecordError(error: unknown, target?: StatementTarget): boolean {
  if (error instanceof ConnectorError || error === null || typeof error !== 'object') return false;
  const driver = error as DriverError;
  if (driver.fatal || driver.errno === undefined || driver.sqlState === undefined) return false;
  if (driver.code !== undefined && BATCH_CODES.has(driver.code)) return false;
  // 08 connection exception, 40 transaction rollback (deadlock), HY001 memory allocation, 70100 query interrupted.
  if (/^(08|40|HY001|70100)/.test(driver.sqlState)) return false;
  const text = serverMessage(driver);
  if (driver.errno === 1146) {
    // The target table itself is gone: the batch stops (and the table's metadata is read again next time).
    const table = /^Table '([^']*)' doesn't exist/.exec(text)?.[1];
    return (
      target === undefined || table === undefined || !(table === target.table || table.endsWith(`.${target.table}`))
    );
  }
  if (driver.errno === 1054) {
    const column = /^Unknown column '([^']*)'/.exec(text)?.[1];
    return target === undefined || column === undefined || !target.columns.has(lastPart(column));
  }
  return true;
}

/**
 * Errors that mean the server refused a value or key of the row before storing it: on a table that cannot roll
 * back, such a record was certainly not written (unless an AFTER trigger raised it; see the caller).
 * 22 data exception, 23 integrity constraint violation; 1048 column cannot be null, 1265 data truncated, 1300
 * invalid character string, 1364 no default for field, 1366 incorrect value, 1416 cannot create geometry, 3037
 * invalid GIS data, 3140 invalid JSON text, 3819 (MySQL) / 4025 (MariaDB) check constraint violated.
 */
const VALUE_ERRNOS = new Set([1048, 1265, 1300, 1364, 1366, 1416, 3037, 3140, 3819, 4025]);

export function isValueError(error: unknown): boolean {
  const driver = (error ?? {}) as DriverError;
  if (driver.errno === undefined || driver.sqlState === undefined) return false;
  return /^(22|23)/.test(driver.sqlState) || VALUE_ERRNOS.has(driver.errno);
}

const QUOTED = /'((?:[^'\\]|\\.|'')*)'/g;

/**
 * Replaces every single-quoted literal in a server message by '…', unless it is one of `identifiers` (MySQL quotes
 * column names with single quotes too; MariaDB uses backticks, which are left alone).
 */
export function withoutQuotedValues(message: string, identifiers: ReadonlySet<string>): string {
  return message.replace(QUOTED, (whole, inner: string) => {
    const last = inner.split('.').pop() ?? inner;
    return identifiers.has(inner) || identifiers.has(last) ? whole : "'…'";
  });
}

function serverMessage(driver: DriverError): string {
  return driver.sqlMessage ?? driver.message ?? '';
}

/** The message of a record that failed with `error`: safe to return to AppFlow (no values, no password). */
export function describeRecordError(error: unknown, context: RecordErrorContext): string {
  const driver = (error ?? {}) as DriverError;
  const text = serverMessage(driver);
  let message: string;
  switch (driver.errno) {
    case 1062:
    case 1586: {
      const key = /for key '([^']*)'\s*$/.exec(text)?.[1]?.split('.').pop();
      message = `duplicate value for unique key${key ? ` "${key}"` : ''}: another row already has it`;
      break;
    }
    case 1216:
    case 1452: {
      const constraint = /CONSTRAINT [`"]?([^`"\s]+)[`"]?/.exec(text)?.[1];
      message = `foreign key${constraint ? ` "${constraint}"` : ''} fails: the referenced row does not exist`;
      break;
    }
    case 1217:
    case 1451: {
      const constraint = /CONSTRAINT [`"]?([^`"\s]+)[`"]?/.exec(text)?.[1];
      message = `foreign key${constraint ? ` "${constraint}"` : ''} fails: other rows reference this row`;
      break;
    }
    case 1048:
      if (context.upsertIdColumns.some((name) => text.includes(`'${name}'`) || text.includes(`\`${name}\``))) {
        message =
          'the record collides with another row on a different unique key; UPSERT only updates the row its id fields identify';
        break;
      }
      message = withoutQuotedValues(classifyError(error).message, context.identifiers);
      break;
    case 1146: {
      // A table a trigger (or a view) uses does not exist: the table name is an identifier, not a record value.
      const table = /^Table '([^']*)' doesn't exist/.exec(text)?.[1];
      message = `the database refused the record: table${table ? ` "${lastPart(table)}"` : ''} does not exist`;
      break;
    }
    default: {
      const sqlState = driver.sqlState ?? '';
      const known = sqlState.startsWith('22') || sqlState.startsWith('23');
      // Other failures (a trigger's error, a data truncation) are named by the server's own message.
      const base = known ? classifyError(error).message : `the database refused the record: ${text}`;
      message = withoutQuotedValues(base, context.identifiers);
    }
  }
  // Each record's own statement is "row 1": the position means nothing to the caller.
  message = message.replace(/ at row \d+$/, '');
  const clean = redact(message);
  return clean.length > 500 ? clean.slice(0, 500) + '…' : clean;
}

/** Error classification of the MySQL engine. */
export const mysqlErrors: ErrorClassifier = {
  classify: classifyError,
  isAuthenticationFailure,
  isRecordError,
  isValueError,
  describeRecordError,
};
