/**
 * Turns database rows into AppFlow records: one JSON object serialized to a string per row, with typed values.
 *
 * The encoder is built once per (table, selected columns) and then writes each record as a string directly,
 * without building an intermediate object or calling JSON.stringify on it: numbers keep their exact digits (BIGINT
 * and DECIMAL arrive from the driver as text and are copied as JSON number text), booleans are booleans, dates are
 * ISO-8601 in UTC, binary is base64, JSON columns are embedded as JSON.
 */
import { float32Text } from '../../values/floats';
import type { RecordEncoder } from '../engine';
import { generatedRecordEncoder } from '../generatedEncoder';
import type { MySqlColumn, ValueKind } from './columns';
import { quoteIdentifier } from './identifiers';

type Render = (value: unknown) => string;

const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$/;
const PLAIN_NUMBER = /^(-?)0*([0-9]+(?:\.[0-9]+)?)$/;

/**
 * Exact number text from the server (BIGINT read as text, DECIMAL) as a JSON number: ZEROFILL columns arrive
 * zero-padded ('00000042', '0042.5000'), which is not JSON, so leading zeros are dropped; every other digit is kept.
 * The server's text of these types is `-?digits[.digits]`, so text that starts with a non-zero digit is copied as
 * it is (the common case, no regex); anything unexpected that is not a number becomes a JSON string rather than
 * breaking the record.
 */
export function exactNumberText(text: string): string {
  const start = text.charCodeAt(0) === 45 ? 1 : 0;
  const first = text.charCodeAt(start);
  if (first >= 49 && first <= 57) return text;
  if (first === 48 && (text.length === start + 1 || text.charCodeAt(start + 1) === 46)) return text;
  const plain = PLAIN_NUMBER.exec(text);
  if (plain !== null) return plain[1] + plain[2]!.replace(/^0+(?=[0-9])/, '');
  return JSON_NUMBER.test(text) ? text : JSON.stringify(text);
}

function numberRenderer(value: unknown): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'bigint') return value.toString();
  return exactNumberText(Buffer.isBuffer(value) ? value.toString('latin1') : String(value));
}

function isZeroDate(text: string): boolean {
  // '0000-00-00', '2024-00-10', '2024-05-00' (allowed by lax sql_modes): not a date, read as null. Year 0000 with a
  // month and day ('0000-03-15') is a date of the proleptic calendar, read and written back like any other.
  return text.slice(5, 7) === '00' || text.slice(8, 10) === '00';
}

function renderJsonText(value: unknown): string {
  const text = Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
  try {
    // Validated, then embedded as written: re-serializing would round big numbers through a double.
    JSON.parse(text);
    return text;
  } catch {
    return JSON.stringify(text);
  }
}

/** Characters JSON.stringify escapes: quote, backslash, control characters, lone surrogates (checked conservatively). */
const NEEDS_ESCAPING = /["\\\u0000-\u001f\ud800-\udfff]/;

const RENDERERS: Record<ValueKind, Render> = {
  integer: numberRenderer,
  decimal: numberRenderer,
  float: (value) => (typeof value === 'number' ? float32Text(value) : numberRenderer(value)),
  double: (value) => (typeof value === 'number' && Number.isFinite(value) ? String(value) : 'null'),
  'boolean-int': (value) => (Number(value) !== 0 ? 'true' : 'false'),
  'boolean-bit': (value) =>
    (Buffer.isBuffer(value) ? value.some((byte) => byte !== 0) : Number(value) !== 0) ? 'true' : 'false',
  // Most text needs no escaping: a native regex test is cheaper than JSON.stringify's call.
  string: (value) =>
    typeof value === 'string' && !NEEDS_ESCAPING.test(value)
      ? '"' + value + '"'
      : JSON.stringify(Buffer.isBuffer(value) ? value.toString('utf8') : String(value)),
  json: renderJsonText,
  bytes: (value) =>
    '"' + (Buffer.isBuffer(value) ? value : Buffer.from(String(value), 'utf8')).toString('base64') + '"',
  date: (value) => {
    const text = String(value);
    return isZeroDate(text) ? 'null' : '"' + text.slice(0, 10) + '"';
  },
  datetime: (value) => {
    const text = String(value);
    return isZeroDate(text) ? 'null' : '"' + text.replace(' ', 'T') + 'Z"';
  },
  time: (value) => JSON.stringify(String(value)),
  year: (value) => {
    const year = Number(value);
    return Number.isFinite(year) ? String(year) : 'null';
  },
  spatial: (value) => JSON.stringify(Buffer.isBuffer(value) ? value.toString('utf8') : String(value)),
};

/**
 * DATETIME(n)/TIMESTAMP(n) values with the column's n fraction digits, always: the binary protocol drops a zero
 * fraction ('2024-01-01 00:00:00' for .000000), and one column should not mix formats. n is the catalog's
 * `timePrecision` (information_schema DATETIME_PRECISION), as the write side reads it.
 */
function datetimeRenderer(column: MySqlColumn): Render {
  const digits = column.timePrecision ?? 0;
  if (digits === 0) return RENDERERS.datetime;
  return (value) => {
    const text = String(value);
    if (isZeroDate(text)) return 'null';
    const dot = text.indexOf('.');
    const fraction = dot === -1 ? '' : text.slice(dot + 1);
    const whole = dot === -1 ? text : text.slice(0, dot);
    return '"' + whole.replace(' ', 'T') + '.' + fraction.padEnd(digits, '0').slice(0, digits) + 'Z"';
  };
}

/** The renderer of one column's non-null values (also DescribeEntity's, for a literal default in record form). */
export function rendererFor(column: MySqlColumn): Render {
  return column.kind === 'datetime' ? datetimeRenderer(column) : RENDERERS[column.kind];
}

/**
 * The SELECT-list expression that reads a column in the form its renderer expects. Dates, times and BIGINTs are
 * read as the server's text: mysql2 decodes their binary-protocol form slowly in JavaScript (date padding and
 * joins, 64-bit division), and the text is exactly what the records need anyway.
 */
export function selectExpression(column: MySqlColumn): string {
  const quoted = quoteIdentifier(column.name);
  if (column.kind === 'spatial') return `ST_AsText(${quoted})`;
  if (column.kind === 'date' || column.kind === 'datetime' || column.kind === 'time' || column.sqlType === 'bigint') {
    return `CAST(${quoted} AS CHAR)`;
  }
  return quoted;
}

/** The encoder of rows whose first cells are `columns` (see generatedRecordEncoder). */
export function createRecordEncoder(columns: readonly MySqlColumn[]): RecordEncoder {
  return generatedRecordEncoder(columns, rendererFor);
}
