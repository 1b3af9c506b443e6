/**
 * Database errors met while writing records: which ones belong to a record (a bad value, a duplicate key, a
 * constraint) and which ones stop the whole batch (a lost connection, a timeout, a missing privilege), and a
 * per-record message that names columns and keys but never quotes the record's values: MySQL and MariaDB quote the
 * offending value in many messages ("Duplicate entry 'ada@example.com' ...", "Incorrect integer value: 'x' ..."),
 * and record values may be sensitive.
 */

import { classifyError } from '../errorMapping';
import { ConnectorError } from '../errors';
import { redact } from '../redaction';

interface DriverError {
  code?: string;
  errno?: number;
  sqlState?: string;
  sqlMessage?: string;
  message?: string;
  fatal?: boolean;
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

/** What a write statement concerns: the target table and the columns it writes. */
export interface StatementTarget {
  readonly table: string;
  readonly columns: ReadonlySet<string>;
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

export interface RecordErrorContext {
  /** Column names and the table name: quoted names that may stay in a message. */
  readonly identifiers: ReadonlySet<string>;
  /** The id columns of an UPSERT (their NOT NULL guard fires when another unique key collides), else empty. */
  readonly upsertIdColumns: readonly string[];
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
