/**
 * PostgreSQL and connection failures → the project's ConnectorErrors (AppFlow error codes), by SQLSTATE for server
 * errors and by Node's error code for network ones; and per-record messages for WriteData.
 *
 * Messages never carry record values. PostgreSQL puts values in two places: the DETAIL line ("Key (email)=(ada@…)
 * already exists", "Failing row contains (…)") and, for bad input, the primary message itself ('invalid input
 * syntax for type integer: "abc"', 'value "99999" is out of range for type smallint'). DETAIL, HINT and WHERE are
 * never used; in the primary message every double-quoted part that is not a known identifier (the error's table,
 * column, constraint, schema and type fields, plus names the caller knows) becomes "…", and byte sequences
 * (`0xc3 0x28`) are dropped.
 */
import { ConnectorError } from '../../errors';
import { LIMITS } from '../../protocol/constants';
import { redact } from '../../redaction';
import type { ErrorClassifier, RecordErrorContext, StatementTarget } from '../engine';

/** The fields of pg's DatabaseError that are used here (pg-protocol's class; Node system errors share `code`). */
interface PgError {
  code?: string;
  severity?: string;
  message?: string;
  table?: string;
  column?: string;
  constraint?: string;
  schema?: string;
  dataType?: string;
  /** CONTEXT: for a bound value the server could not read, `portal "…" parameter $n = '…'` (never returned). */
  where?: string;
}

/** Node's codes for a server that cannot be reached or a connection that broke. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** Node's codes for a certificate that failed verification. */
const TLS_VERIFICATION = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
]);

/**
 * pg's own messages (it sets no code) for a connection that ended, could not be made in time, or a client-side
 * timeout; all mean the server is not answering as it should.
 */
const CLIENT_CONNECTION_MESSAGES =
  /^(Connection terminated|Client has encountered a connection error|timeout expired|Connection terminated due to connection timeout)/;

/** A server error (it has a severity), as opposed to a Node system error with a code of its own. */
function sqlState(error: PgError): string | null {
  return typeof error.severity === 'string' && /^[0-9A-Z]{5}$/.test(error.code ?? '') ? error.code! : null;
}

const MAX_MESSAGE_LENGTH = 500;

/** The CONTEXT of an error raised while reading a bound parameter (exec_bind_message), named or unnamed portal. */
const BOUND_PARAMETER = /(?:^|\n)(?:unnamed portal|portal "(?:[^"]|"")*") parameter \$\d+/;

/**
 * The server's primary message without values: double-quoted parts that are not identifiers become "…", byte
 * sequences are dropped. Identifiers are the error's own fields plus `identifiers`.
 */
export function safeServerMessage(error: unknown, identifiers: ReadonlySet<string> = new Set()): string {
  const pg = (error ?? {}) as PgError;
  const known = new Set(identifiers);
  for (const name of [pg.table, pg.column, pg.constraint, pg.schema, pg.dataType]) if (name) known.add(name);
  const message = (pg.message ?? String(error))
    .replace(/"((?:[^"]|"")*)"/g, (whole, inner: string) => (known.has(inner.replaceAll('""', '"')) ? whole : '"…"'))
    .replace(/0x[0-9a-f]{2}(?: 0x[0-9a-f]{2})*/gi, '…');
  const clean = redact(message);
  return clean.length > MAX_MESSAGE_LENGTH ? clean.slice(0, MAX_MESSAGE_LENGTH) + '…' : clean;
}

/** Classifies any failure of the PostgreSQL engine into a ConnectorError. */
export function classifyPostgreSqlError(error: unknown): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const pg = (error ?? {}) as PgError;
  const state = sqlState(pg);
  const retryAfterSeconds = LIMITS.retryAfterSeconds;
  if (state !== null) {
    // Identifiers in login and connection messages (user, database, host) are not record values.
    const text = safeServerMessage(error);
    const loginText = redact(pg.message ?? '');
    if (state === '28P01') {
      return new ConnectorError('InvalidCredentials', `the database rejected the user name or password: ${loginText}`, {
        cause: error,
      });
    }
    if (state === '28000') {
      const tls = /no encryption/.test(pg.message ?? '')
        ? ' (the server requires TLS for this user: use tlsMode REQUIRED or VERIFY_IDENTITY)'
        : '';
      return new ConnectorError('InvalidCredentials', `the database refused this login${tls}: ${loginText}`, {
        cause: error,
      });
    }
    // The configured database is a setting that names something that does not exist, as on the MySQL side.
    if (state === '3D000') {
      return new ConnectorError('ResourceNotFoundError', `the configured database does not exist: ${loginText}`, {
        cause: error,
      });
    }
    if (state === '42P01' || state === '42703' || state === '3F000') {
      return new ConnectorError('ResourceNotFoundError', `the table or column changed while the request ran: ${text}`, {
        cause: error,
      });
    }
    if (state === '42501') {
      return new ConnectorError('AccessDenied', `the database user lacks a privilege: ${text}`, { cause: error });
    }
    if (state === '57014' || state === '55P03') {
      return new ConnectorError('RequestTimeout', `the database did not finish in time: ${text}`, {
        cause: error,
        retryAfterSeconds,
      });
    }
    if (state === '40001' || state === '40P01') {
      return new ConnectorError('RequestTimeout', `the database aborted the transaction; try again: ${text}`, {
        cause: error,
        retryAfterSeconds,
      });
    }
    // Out of connections (max_connections, a role's or database's CONNECTION LIMIT): the server cannot serve
    // another session now; AppFlow retries a ServiceUnavailable after retryAfterSeconds. (MySQL's
    // ER_CON_COUNT_ERROR answers RateLimitExceeded, as it always has; both are retryable.)
    if (state === '53300') {
      return new ConnectorError('ServiceUnavailable', `the database has no free connections: ${text}`, {
        cause: error,
        retryAfterSeconds,
      });
    }
    if (state === '57P01' || state === '57P02' || state === '57P03' || state.startsWith('08')) {
      return new ConnectorError('ServiceUnavailable', `the database cannot serve the request now (${state}): ${text}`, {
        cause: error,
        retryAfterSeconds,
      });
    }
    // A value of the request — a filter literal, a RetrieveData id — that the type of the column it is bound as
    // cannot read ('' for a time, 'nope' for a uuid): the request's mistake, like any other bad literal. Checked
    // at bind time, before any row is read, so it fails whatever the rest of the filter selects.
    if (state.startsWith('22') && BOUND_PARAMETER.test(pg.where ?? '')) {
      return new ConnectorError(
        'InvalidArgument',
        `a value of the request cannot be read as the type of the field it is compared with (${state}): ${text}`,
        { cause: error },
      );
    }
    if (state.startsWith('22') || state.startsWith('23') || state.startsWith('42')) {
      return new ConnectorError('ClientError', `the database refused the statement (${state}): ${text}`, {
        cause: error,
      });
    }
    return new ConnectorError('ServerError', `database error ${state}: ${text}`, { cause: error });
  }

  const code = pg.code ?? '';
  const message = redact(pg.message ?? String(error));
  if (UNREACHABLE.has(code) || CLIENT_CONNECTION_MESSAGES.test(message)) {
    return new ConnectorError(
      'ServiceUnavailable',
      `the database cannot be reached${code ? ` (${code})` : ''}: ${message}`,
      {
        cause: error,
        retryAfterSeconds,
      },
    );
  }
  if (message === 'Query read timeout') {
    return new ConnectorError('RequestTimeout', 'the database did not answer in time', {
      cause: error,
      retryAfterSeconds,
    });
  }
  if (TLS_VERIFICATION.has(code)) {
    return new ConnectorError(
      'ClientError',
      `the server certificate could not be verified (${message}); fix the certificate or use tlsMode REQUIRED`,
      { cause: error },
    );
  }
  if (message === 'The server does not support SSL connections') {
    return new ConnectorError(
      'ClientError',
      'the server does not support TLS; set tlsMode DISABLED only if that is acceptable',
      {
        cause: error,
      },
    );
  }
  return new ConnectorError('UnknownError', `unexpected error: ${message}`, { cause: error });
}

/** True when the server rejected the password: worth re-reading the secret once (it may have rotated). */
export function isAuthenticationFailure(error: unknown): boolean {
  if (error instanceof ConnectorError) return error.cause !== undefined && isAuthenticationFailure(error.cause);
  return sqlState((error ?? {}) as PgError) === '28P01';
}

/** Serialization failures and deadlocks: the whole transaction may succeed when run again. */
export function isRetryableTransaction(error: unknown): boolean {
  const state = sqlState((error ?? {}) as PgError);
  return state === '40001' || state === '40P01';
}

/**
 * SQLSTATE classes and codes that concern the connection, the server, the time, a privilege, the transaction or
 * the statement itself, never a record: 08 connection, 25 transaction state (read-only, aborted), 28 login,
 * 3D/3F missing database or schema, 40 serialization failure or deadlock, 53 resources, 54 limits, 55 object
 * state (lock not available), 57 cancel or shutdown, 58 system, XX internal, 0A unsupported feature, 42501
 * privilege, 42601 syntax.
 */
const BATCH_STATE = /^(08|25|28|3D|3F|40|53|54|55|57|58|XX|0A)|^(42501|42601)$/;

/**
 * True when the error is about the record(s) of the statement — a value, a key, a constraint, a trigger's error —
 * rather than about the connection, the server, the time, a privilege, or `target` itself having changed (those
 * stop the batch). Unknown server errors count as record errors, as on the MySQL side: on a transactional table
 * the statement is retried record by record, so a cause common to all fails each record with its own message.
 */
export function isRecordError(error: unknown, target?: StatementTarget): boolean {
  if (error instanceof ConnectorError || error === null || typeof error !== 'object') return false;
  const pg = error as PgError;
  const state = sqlState(pg);
  if (state === null || BATCH_STATE.test(state)) return false;
  // The target table or one of its columns is gone: the batch stops (a trigger's missing table is the record's).
  if (state === '42P01') return target === undefined || !mentions(pg, target.table);
  if (state === '42703') return target === undefined || ![...target.columns].some((column) => mentions(pg, column));
  return true;
}

/** The server's primary message names `name` (`relation "s.t"`, `column "c" of relation "t"`). */
function mentions(pg: PgError, name: string): boolean {
  const message = pg.message ?? '';
  return message.includes(`"${name}"`) || message.includes(`.${name}"`);
}

/** The server refused a value or key before storing the row: class 22 data exception, class 23 integrity. */
export function isValueError(error: unknown): boolean {
  if (error instanceof ConnectorError) return false;
  const state = sqlState((error ?? {}) as PgError);
  return state !== null && (state.startsWith('22') || state.startsWith('23'));
}

/**
 * The message of a record that failed with `error`, built from the error's structured fields where PostgreSQL
 * has them: safe to return to AppFlow (no values). `identifiers`: column and table names that may stay quoted.
 */
export function describeRecordError(error: unknown, identifiers: ReadonlySet<string> = new Set()): string {
  const pg = (error ?? {}) as PgError;
  const named = (kind: string, name: string | undefined) => (name ? `${kind} "${name}"` : kind);
  let message: string;
  switch (sqlState(pg)) {
    case '23505':
      message = `duplicate value for ${named('unique key', pg.constraint)}: another row already has it`;
      break;
    case '23502':
      message = `${named('field', pg.column)} does not allow null`;
      break;
    case '23503':
      message = /^update or delete on table/.test(pg.message ?? '')
        ? `${named('foreign key', pg.constraint)} fails: other rows reference this row`
        : `${named('foreign key', pg.constraint)} fails: the referenced row does not exist`;
      break;
    case '23514':
      message = `${named('check constraint', pg.constraint)} is violated`;
      break;
    case '23P01':
      message = `${named('exclusion constraint', pg.constraint)} is violated: the row conflicts with another row`;
      break;
    default:
      message = safeServerMessage(error, identifiers);
  }
  return redact(message);
}

/** Error classification of the PostgreSQL engine. */
export const postgresqlErrors: ErrorClassifier = {
  classify: classifyPostgreSqlError,
  isAuthenticationFailure,
  isRecordError,
  isValueError,
  describeRecordError: (error: unknown, context: RecordErrorContext) => describeRecordError(error, context.identifiers),
};
