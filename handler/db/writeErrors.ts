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

/**
 * Errors in SQLSTATE class HY000 that are still about the row being written:
 * 1048 column cannot be null, 1300 invalid character string, 1364 no default for field, 1366 incorrect value,
 * 1416 cannot create geometry, 3037 invalid GIS data, 3140 invalid JSON text, 3819 (MySQL) / 4025 (MariaDB)
 * check constraint violated.
 */
const RECORD_ERRNOS = new Set([1048, 1300, 1364, 1366, 1416, 3037, 3140, 3819, 4025]);

/** True when the error is about the record(s) of the statement, not about the connection or the server. */
export function isRecordError(error: unknown): boolean {
  if (error instanceof ConnectorError || error === null || typeof error !== 'object') return false;
  const driver = error as DriverError;
  if (driver.fatal || driver.errno === undefined || driver.sqlState === undefined) return false;
  // 22 data exception, 23 integrity constraint violation, 45 a trigger's SIGNAL.
  if (/^(22|23|45)/.test(driver.sqlState)) return true;
  return RECORD_ERRNOS.has(driver.errno);
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
    default:
      message = withoutQuotedValues(classifyError(error).message, context.identifiers);
  }
  const clean = redact(message);
  return clean.length > 500 ? clean.slice(0, 500) + '…' : clean;
}
