/**
 * PostgreSQL and connection failures → the project's ConnectorErrors (AppFlow error codes), by SQLSTATE for server
 * errors and by Node's error code for network ones; and per-record messages for WriteData.
 *
 * Messages never carry server free text that may hold a value. PostgreSQL puts values in the DETAIL line ("Key
 * (email)=(ada@…) already exists", "Failing row contains (…)"), in the primary message of bad input ('invalid
 * input syntax for type integer: "abc"'), and a trigger's `RAISE EXCEPTION 'email % …', NEW.email` (with any
 * SQLSTATE it likes) is free text altogether. So a record's message, and that of any error about a statement's
 * content, is built from the SQLSTATE, its condition and the error's structured fields (column, constraint, table,
 * data type) in the connector's own words; DETAIL, HINT, WHERE and the primary text are never used. Only messages of
 * a fixed form that name users, databases, schemas or tables (login, privilege, missing relation, connection) keep
 * the server's primary text, with every double-quoted part that is not such a name replaced by "…". The full server
 * message is in the server's log (log_min_error_statement, ERROR by default).
 */
import { CommitOutcomeUnknownError, ConnectorError, TransactionConflictError } from '../../errors';
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

/** Condition names of the SQLSTATEs a write meets most (PostgreSQL manual, Appendix A "Error Codes"). */
const CONDITIONS: Readonly<Record<string, string>> = {
  '22001': 'string_data_right_truncation',
  '22003': 'numeric_value_out_of_range',
  '22004': 'null_value_not_allowed',
  '22007': 'invalid_datetime_format',
  '22008': 'datetime_field_overflow',
  '22012': 'division_by_zero',
  '22021': 'character_not_in_repertoire',
  '22023': 'invalid_parameter_value',
  '22P02': 'invalid_text_representation',
  '22P03': 'invalid_binary_representation',
  '22P05': 'untranslatable_character',
  '23000': 'integrity_constraint_violation',
  '23001': 'restrict_violation',
  '23502': 'not_null_violation',
  '23503': 'foreign_key_violation',
  '23505': 'unique_violation',
  '23514': 'check_violation',
  '23P01': 'exclusion_violation',
  '40001': 'serialization_failure',
  '40P01': 'deadlock_detected',
  '42501': 'insufficient_privilege',
  '53000': 'insufficient_resources',
  '53100': 'disk_full',
  '53200': 'out_of_memory',
  '53300': 'too_many_connections',
  '53400': 'configuration_limit_exceeded',
  '54000': 'program_limit_exceeded',
  P0001: 'raise_exception',
};

/** `SQLSTATE 22P02 invalid_text_representation`: an error named without its free text. */
export function errorName(error: unknown): string {
  const state = sqlState((error ?? {}) as PgError);
  if (state === null) return 'no SQLSTATE';
  const condition = CONDITIONS[state];
  return condition ? `SQLSTATE ${state} ${condition}` : `SQLSTATE ${state}`;
}

/** The structured names of the error that are identifiers: `table "t", column "c"` (for a statement's error). */
function structuredNames(pg: PgError): string {
  const parts: string[] = [];
  if (pg.table) parts.push(`table "${pg.table}"`);
  if (pg.column) parts.push(`column "${pg.column}"`);
  if (pg.constraint) parts.push(`constraint "${pg.constraint}"`);
  if (pg.dataType) parts.push(`type "${pg.dataType}"`);
  return parts.length > 0 ? `; ${parts.join(', ')}` : '';
}

/** The table a row-level security message names (`… policy for table "t"`): the server sets no table field. */
function rowSecurityTable(pg: PgError): string | undefined {
  return pg.table ?? /for table "((?:[^"]|"")*)"$/.exec(pg.message ?? '')?.[1]?.replaceAll('""', '"');
}

/** A row-level security policy refused a new or updated row (a record's failure, unlike a missing privilege). */
function isRowSecurityViolation(pg: PgError): boolean {
  return sqlState(pg) === '42501' && /^new row violates row-level security policy/.test(pg.message ?? '');
}

/** Serialization failures and deadlocks: the server rolled the transaction back; it may succeed when run again. */
export function isTransactionConflict(error: unknown): boolean {
  const state = sqlState((error ?? {}) as PgError);
  return state === '40001' || state === '40P01';
}

/** Classifies any failure of the PostgreSQL engine into a ConnectorError. */
export function classifyPostgreSqlError(error: unknown): ConnectorError {
  if (error instanceof ConnectorError) return error;
  if (error instanceof CommitOutcomeUnknownError) return error.classifiedBy(classifyPostgreSqlError);
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
    if (isRowSecurityViolation(pg)) {
      return new ConnectorError(
        'ClientError',
        `a row-level security policy${rowSecurityTable(pg) ? ` of table "${rowSecurityTable(pg)}"` : ''} refuses the row (${errorName(error)})`,
        { cause: error },
      );
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
      return new TransactionConflictError(
        `deadlock or serialization failure: the database rolled the transaction back because of another session (${errorName(error)}); nothing of it was written, retry it`,
        { cause: error, retryAfterSeconds },
      );
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
    // Class 53 insufficient resources (memory, disk, shared memory, max_locks_per_transaction…): the server as a
    // whole cannot serve this now; another try later may work.
    if (state.startsWith('53')) {
      return new ConnectorError(
        'ServiceUnavailable',
        `the database server ran out of a shared resource (${errorName(error)}); retry later`,
        { cause: error, retryAfterSeconds },
      );
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
        `a value of the request cannot be read as the type of the field it is compared with (${errorName(error)}${structuredNames(pg)})`,
        { cause: error },
      );
    }
    // The server's text may quote a value (a literal, a trigger's RAISE): only the error's name and fields.
    if (state.startsWith('22') || state.startsWith('23') || state.startsWith('42')) {
      return new ConnectorError(
        'ClientError',
        `the database refused the statement (${errorName(error)}${structuredNames(pg)})`,
        { cause: error },
      );
    }
    return new ConnectorError('ServerError', `database error (${errorName(error)}${structuredNames(pg)})`, {
      cause: error,
    });
  }

  const code = pg.code ?? '';
  const message = redact(pg.message ?? String(error));
  if (isNotPostgreSqlAnswer(error)) return notPostgreSqlServer(error);
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

/**
 * pg's errors when the bytes of the server are not PostgreSQL's protocol. A PostgreSQL server (or a pooler in front
 * of one) answers the client's SSLRequest with the single byte S or N (PostgreSQL manual, 55.2.10 "SSL Session
 * Encryption"); any other first byte is this SSL error. Without TLS, a server that is not PostgreSQL — a MySQL
 * server sends its own greeting first — reaches pg's message loop as a message no startup expects.
 */
const NOT_POSTGRESQL_SSL_ANSWER = 'There was an error establishing an SSL connection';
const UNEXPECTED_MESSAGE = /^Received unexpected \w+ message from backend\.$/;

/** True for the SSL-answer error, which only a server that is not PostgreSQL causes. */
function isNotPostgreSqlAnswer(error: unknown): boolean {
  return (error as PgError | null)?.message === NOT_POSTGRESQL_SSL_ANSWER;
}

function notPostgreSqlServer(error: unknown): ConnectorError {
  return new ConnectorError(
    'InvalidArgument',
    'the server did not answer as PostgreSQL: does the port belong to a PostgreSQL server? check the engine and port settings',
    { cause: error },
  );
}

/**
 * A failure to connect as a clear error when the server spoke something other than PostgreSQL's protocol (an
 * unexpected message before the session even started), else the error itself. Only for errors of `connect`: later
 * in a session such a message would be another fault.
 */
export function connectFailure(error: unknown): unknown {
  if (error instanceof Error && sqlState(error as PgError) === null && UNEXPECTED_MESSAGE.test(error.message)) {
    return notPostgreSqlServer(error);
  }
  return error;
}

/** True when the server rejected the password: worth re-reading the secret once (it may have rotated). */
export function isAuthenticationFailure(error: unknown): boolean {
  if (error instanceof ConnectorError) return error.cause !== undefined && isAuthenticationFailure(error.cause);
  return sqlState((error ?? {}) as PgError) === '28P01';
}

/** Serialization failures and deadlocks: the whole transaction may succeed when run again. */
export const isRetryableTransaction = isTransactionConflict;

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
  // A row-level security policy's WITH CHECK refusing this record's row: the record's failure.
  if (isRowSecurityViolation(pg)) return true;
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

/** Our words for the data exceptions (class 22) a write meets; the field is named when the server says which. */
const DATA_EXCEPTIONS: Readonly<Record<string, string>> = {
  '22001': 'the value is too long for',
  '22003': 'the value is out of range for',
  '22004': 'null is not allowed for',
  '22007': 'the date or time value is not valid for',
  '22008': 'the date or time value is out of range for',
  '22021': 'the text has bytes that are not valid in the database encoding, for',
  '22P02': 'the value cannot be read as the type of',
  '22P03': 'the binary value is not valid for',
  '22P05': 'the text has a character the database encoding cannot hold, for',
};

/**
 * The message of a record that failed with `error`, in the connector's words from the error's SQLSTATE and
 * structured fields: safe to return to AppFlow (never DETAIL, HINT or the primary text, which may hold values).
 * `identifiers`: the target's column and table names, the only column names a message repeats.
 */
export function describeRecordError(error: unknown, identifiers: ReadonlySet<string> = new Set()): string {
  const pg = (error ?? {}) as PgError;
  const named = (kind: string, name: string | undefined) => (name ? `${kind} "${name}"` : kind);
  const column = pg.column && identifiers.has(pg.column) ? pg.column : undefined;
  const state = sqlState(pg) ?? '';
  let message: string;
  switch (state) {
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
    case '42501':
      message = `a row-level security policy${rowSecurityTable(pg) ? ` of table "${rowSecurityTable(pg)}"` : ''} refuses the row (${errorName(error)})`;
      break;
    case 'P0001':
      message = `a trigger or function refused the record with RAISE EXCEPTION (${errorName(error)}); its message is in the database server's log`;
      break;
    default: {
      const words = DATA_EXCEPTIONS[state];
      if (words) message = `${words} ${column ? `field "${column}"` : 'its field'} (${errorName(error)})`;
      else message = `the database refused the record (${errorName(error)}${column ? `; field "${column}"` : ''})`;
    }
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
  isTransactionConflict,
};
