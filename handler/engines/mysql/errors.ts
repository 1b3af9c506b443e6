/**
 * MySQL/MariaDB failures as AppFlow errors, by mysql2's codes (`classifyError`), and the database errors met while
 * writing records: which ones belong to a record (a bad value, a duplicate key, a constraint) and which ones stop
 * the whole batch (a lost connection, a timeout, a missing privilege), and a per-record message.
 *
 * Messages never carry server free text that may hold a value. MySQL and MariaDB quote the offending value in many
 * messages ("Duplicate entry 'ada@example.com' ...", "Incorrect integer value: 'x' ..."), and a trigger's
 * `SIGNAL ... SET MESSAGE_TEXT = CONCAT(..., NEW.email)` is free text altogether. So a record's message, and the
 * message of any error about a statement's content, is built from the error number, its code name, the SQLSTATE
 * and names the server reports (a column, a key, a constraint) that are known identifiers, in the connector's own
 * words. Only messages of a fixed form that name users, hosts, databases or tables (login, privilege, missing
 * table, connection) keep the server's text. The full server message is in the database's own logs.
 */
import {
  AccessDeniedError,
  CommitOutcomeUnknownError,
  ConnectorError,
  DatabaseClientError,
  DatabaseServerError,
  InvalidCredentialsError,
  RateLimitExceededError,
  RequestTimeoutError,
  ResourceNotFoundError,
  ServiceUnavailableError,
  TransactionConflictError,
} from '../../errors';
import { LIMITS } from '../../protocol/constants';
import { redact } from '../../redaction';
import type { ErrorClassifier, RecordErrorContext, StatementTarget } from '../engine';
import { NO_MYSQL_HANDSHAKE } from './greeting';

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

/**
 * The server ran out of something it shares among all clients (prepared statements: 1461
 * ER_MAX_PREPARED_STMT_COUNT_REACHED; memory: 1037, 1038, 1041; 1135 no new threads): another try later may work.
 */
const EXHAUSTED_ERRNOS = new Set([1037, 1038, 1041, 1135, 1461]);

/** Deadlocks: the server rolled the whole transaction back (1213 ER_LOCK_DEADLOCK; 1614 ER_XA_RBDEADLOCK). */
const CONFLICT_ERRNOS = new Set([1213, 1614]);

/** A server error named without its free text: `error 1366 ER_TRUNCATED_WRONG_VALUE_FOR_FIELD, SQLSTATE 22007`. */
export function errorName(error: unknown): string {
  const driver = (error ?? {}) as DriverError;
  const parts = [`error ${driver.errno ?? '?'}`];
  // mysql2 names errors by MySQL's list: from 1900 on MariaDB numbers mean other errors (4025 is MariaDB's
  // ER_CONSTRAINT_FAILED, MySQL's ER_INNODB_AUTOEXTEND_SIZE_OUT_OF_RANGE), so only the shared range keeps its name.
  if (driver.code && /^[A-Z0-9_]+$/.test(driver.code) && (driver.errno ?? 0) < 1900) parts[0] += ` ${driver.code}`;
  if (driver.sqlState && /^[0-9A-Z]{5}$/.test(driver.sqlState)) parts.push(`SQLSTATE ${driver.sqlState}`);
  return parts.join(', ');
}

/** True for a deadlock: the server rolled back the statement's transaction, and running it again may succeed. */
export function isTransactionConflict(error: unknown): boolean {
  const driver = (error ?? {}) as DriverError;
  return driver.errno !== undefined && CONFLICT_ERRNOS.has(driver.errno);
}

/** A record's TINYINT(1) id `true` shows for more than one row (e.g. stored 1 and 2): it does not name one row. */
export class AmbiguousShownIdError extends Error {
  constructor() {
    super('the record id shows as more than one row');
    this.name = 'AmbiguousShownIdError';
  }
}

/** Classifies any failure into a ConnectorError (named by its code), the driver's error kept as its cause. */
export function classifyError(error: unknown): ConnectorError {
  if (error instanceof ConnectorError) return error;
  if (error instanceof CommitOutcomeUnknownError) return error.classifiedBy(classifyError);
  const driver = (error ?? {}) as DriverError;
  const code = driver.code ?? '';
  const text = driver.sqlMessage ?? driver.message ?? String(error);
  const retryAfterSeconds = LIMITS.retryAfterSeconds;
  if (code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR') {
    return new InvalidCredentialsError(`the database rejected the user name or password: ${text}`, {
      cause: error,
    });
  }
  if (code === 'ER_DBACCESS_DENIED_ERROR') {
    // 1044 refuses a whole database; the only one the connector's statements and connections name is the configured
    // one (information_schema is open to every user). At connect the server answers it both for a database the user
    // may not use and for one that does not exist, unless the user has global privileges (MySQL 8.0 manual, 8.2.6
    // "Access Control, Stage 1: Connection Verification"; MariaDB KB "GRANT", database privileges): say both.
    return new AccessDeniedError(
      `the database in the \`database\` setting does not exist or the user may not use it (the server does not tell an ordinary user which): check the \`database\` setting and the user's grants: ${text}`,
      { cause: error },
    );
  }
  if (code === NO_MYSQL_HANDSHAKE) {
    return new ServiceUnavailableError(
      `the server did not answer as MySQL (${text}): does the port belong to a MySQL server? check the engine and port settings`,
      { cause: error, retryAfterSeconds },
    );
  }
  if (
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
  if (isTransactionConflict(error)) {
    return new TransactionConflictError(
      `deadlock: the database rolled the transaction back to end a deadlock with another session (${errorName(error)}); nothing of it was written, retry it`,
      { cause: error, retryAfterSeconds },
    );
  }
  if (driver.errno !== undefined && EXHAUSTED_ERRNOS.has(driver.errno)) {
    return new ServiceUnavailableError(
      `the database server ran out of a shared resource (${errorName(error)}); retry later`,
      { cause: error, retryAfterSeconds },
    );
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
  // The server's text may quote a value (a literal, a trigger's SIGNAL text): only the error's name is returned.
  if (driver.sqlState?.startsWith('22') || driver.sqlState?.startsWith('23') || driver.sqlState?.startsWith('42')) {
    return new DatabaseClientError(`the database refused the statement (${errorName(error)})`, { cause: error });
  }
  if (driver.errno !== undefined && driver.sqlState !== undefined) {
    return new DatabaseServerError(`database error (${errorName(error)})`, { cause: error });
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
  'ER_MAX_PREPARED_STMT_COUNT_REACHED',
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
  if (error instanceof AmbiguousShownIdError) return true;
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
  if (error instanceof AmbiguousShownIdError) return true;
  const driver = (error ?? {}) as DriverError;
  if (driver.errno === undefined || driver.sqlState === undefined) return false;
  return /^(22|23)/.test(driver.sqlState) || VALUE_ERRNOS.has(driver.errno);
}

function serverMessage(driver: DriverError): string {
  return driver.sqlMessage ?? driver.message ?? '';
}

/**
 * The last identifier the server names after `column`/`Column`/`Field` (`'c'`, or `db`.`t`.`c` on MariaDB), when it
 * is a column of the target (never a value).
 */
function namedColumn(text: string, identifiers: ReadonlySet<string>): string | undefined {
  const match = /(?:column|Column|Field) ((?:`(?:[^`]|``)*`\.)*)(?:`((?:[^`]|``)*)`|'((?:[^'\\]|'')*)')/.exec(text);
  const name = (match?.[2] ?? match?.[3])?.replaceAll('``', '`');
  return name !== undefined && identifiers.has(name) ? name : undefined;
}

/** A constraint's name as the server reports it (MySQL `Check constraint 'c'`, MariaDB `CONSTRAINT `c``). */
function namedConstraint(text: string): string | undefined {
  return /(?:CONSTRAINT|constraint) [`'"]?([^`'"\s]+)[`'"]?/.exec(text)?.[1];
}

const field = (name: string | undefined) => (name === undefined ? 'its field' : `field "${name}"`);

/**
 * The message of a record that failed with `error`, in the connector's words: the field, key or constraint the
 * server names (when it is a known identifier) and the error's number, code and SQLSTATE; never the server's free
 * text, which may quote the record's values. Safe to return to AppFlow.
 */
export function describeRecordError(error: unknown, context: RecordErrorContext): string {
  if (error instanceof AmbiguousShownIdError) {
    return 'the id does not identify one row: more than one row shows these id values (a TINYINT(1) field shows every non-zero value as true)';
  }
  const driver = (error ?? {}) as DriverError;
  const text = serverMessage(driver);
  const name = errorName(error);
  const column = () => namedColumn(text, context.identifiers);
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
      if (context.upsertIdColumns.some((id) => text.includes(`'${id}'`) || text.includes(`\`${id}\``))) {
        message =
          'the record collides with another row on a different unique key; UPSERT only updates the row its id fields identify';
        break;
      }
      message = `${field(column())} does not allow null (${name})`;
      break;
    case 1364:
      message = `${field(column())} is required: it has no default value (${name})`;
      break;
    case 1406:
      message = `the value is too long for ${field(column())} (${name})`;
      break;
    case 1264:
    case 1690:
      message = `the value is out of range for ${field(column())} (${name})`;
      break;
    case 1265:
      message = `the value does not fit ${field(column())}: data truncated (${name})`;
      break;
    case 1292:
    case 1366:
    case 1367:
    case 1411:
      message = `the value is not valid for ${field(column())} (${name})`;
      break;
    case 3819:
    case 4025: {
      const constraint = namedConstraint(text);
      message = `check constraint${constraint ? ` "${constraint}"` : ''} is violated (${name})`;
      break;
    }
    case 1146: {
      // A table a trigger (or a view) uses does not exist: the table name is an identifier, not a record value.
      const table = /^Table '([^']*)' doesn't exist/.exec(text)?.[1];
      message = `the database refused the record: table${table ? ` "${lastPart(table)}"` : ''} does not exist`;
      break;
    }
    default:
      // SIGNAL in a trigger or routine: SQLSTATE class 45 (errno 1644) or any state the SIGNAL chose; its text is
      // the trigger's own and may hold NEW values.
      message =
        driver.errno === 1644 || driver.sqlState?.startsWith('45')
          ? `a trigger or stored routine refused the record with SIGNAL (${name}); its text is not returned, as it may hold the record's values`
          : `the database refused the record (${name})`;
  }
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
  isTransactionConflict,
};
