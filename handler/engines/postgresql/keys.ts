/**
 * Paging key values of PostgreSQL columns: what a token cell holds, which cells a column can hold, and how a cell is
 * bound (as text the server reads as the key column's own type: the dialect leaves key placeholders untyped).
 *
 * Cells: int2/int4 numbers; int8 and numeric the server's digits; real/double numbers (the double of the server's
 * shortest text, whose own shortest text reads back as the same real), NaN and ±Infinity as their names; booleans
 * "true"/"false"; dates and timestamps the server's text (UTC, `+00` for timestamptz, ` BC`, ±infinity); bytea
 * base64; everything else the server's text.
 */
import { InvalidArgumentError } from '../../errors';
import type { ColumnMeta, KeyCell, SqlParam } from '../engine';
import type { PgColumnMeta } from './columns';

const FLOAT_NAMES = new Set(['NaN', 'Infinity', '-Infinity']);

/** A value of a key column as read by selectPage / selectHighestKey, as a token cell. */
export function toKeyCell(value: unknown, column: ColumnMeta): KeyCell {
  if (Buffer.isBuffer(value)) return { b64: value.toString('base64') };
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const kind = (column as PgColumnMeta).kind;
    if ((kind === 'float4' || kind === 'float8') && !FLOAT_NAMES.has(value)) return Number(value);
    return value;
  }
  throw new Error(`unexpected key value of type ${typeof value}`);
}

const DATE = /^\d{4,}-\d\d-\d\d( BC)?$/;
const TIMESTAMP = /^\d{4,}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?( BC)?$/;
const TIMESTAMPTZ = /^\d{4,}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?\+00( BC)?$/;
const INFINITY = new Set(['infinity', '-infinity']);

function integerCell(cell: KeyCell, bits: bigint): boolean {
  let exact: bigint;
  if (typeof cell === 'number') {
    if (!Number.isSafeInteger(cell)) return false;
    exact = BigInt(cell);
  } else if (typeof cell === 'string' && /^-?\d{1,20}$/.test(cell)) exact = BigInt(cell);
  else return false;
  return exact >= -(1n << (bits - 1n)) && exact < 1n << (bits - 1n);
}

/**
 * A numeric(p,s) value is an integer of at most p digits (the unscaled value) times 10^-s, and the server prints it
 * with exactly s fraction digits (none when s <= 0). Since PostgreSQL 15 the scale may exceed the precision
 * (numeric(3,5): 0.00123, no integer digits) or be negative (numeric(3,-2): 12300, a multiple of 100).
 * (https://www.postgresql.org/docs/15/datatype-numeric.html, "Arbitrary Precision Numbers".)
 */
export function fitsNumeric(text: string, precision: number, scale: number): boolean {
  const match = /^-?(\d{1,1000})(?:\.(\d{1,1000}))?$/.exec(text);
  if (!match) return false;
  const integer = match[1]!;
  const fraction = match[2] ?? '';
  if (scale >= 0) {
    if (fraction.length > scale) return false;
    return (integer + fraction.padEnd(scale, '0')).replace(/^0+/, '').length <= precision;
  }
  if (fraction !== '') return false;
  const digits = integer.replace(/^0+/, '');
  if (digits === '') return true;
  const shift = -scale;
  return digits.length > shift && digits.endsWith('0'.repeat(shift)) && digits.length - shift <= precision;
}

function numericCell(cell: KeyCell, column: PgColumnMeta): boolean {
  if (typeof cell !== 'string') return false;
  if (cell === 'NaN' || cell === 'Infinity' || cell === '-Infinity') return true;
  const { numericPrecision: precision, numericScale: scale } = column;
  if (precision === null || scale === null) return /^-?\d{1,1000}(?:\.\d{1,1000})?$/.test(cell);
  return fitsNumeric(cell, precision, scale);
}

/** True when `cell` is a value this key column can hold (checked before a token's cells are used). */
export function checkKeyCell(cell: KeyCell, column: ColumnMeta): boolean {
  const pg = column as PgColumnMeta;
  switch (pg.kind) {
    case 'int2':
      return integerCell(cell, 16n);
    case 'int4':
      return integerCell(cell, 32n);
    case 'int8':
      return integerCell(cell, 64n);
    case 'numeric':
      return numericCell(cell, pg);
    case 'float4':
    case 'float8':
      return typeof cell === 'number' ? Number.isFinite(cell) : typeof cell === 'string' && FLOAT_NAMES.has(cell);
    case 'boolean':
      return cell === 'true' || cell === 'false';
    case 'date':
      return typeof cell === 'string' && (DATE.test(cell) || INFINITY.has(cell));
    case 'timestamp':
      return typeof cell === 'string' && (TIMESTAMP.test(cell) || INFINITY.has(cell));
    case 'timestamptz':
      return typeof cell === 'string' && (TIMESTAMPTZ.test(cell) || INFINITY.has(cell));
    case 'bytea':
      return typeof cell === 'object' && /^[A-Za-z0-9+/]*={0,2}$/.test(cell.b64);
    case 'enum':
      return typeof cell === 'string' && (pg.enumValues ?? []).includes(cell);
    case 'string':
      if (typeof cell !== 'string' || cell.includes('\u0000')) return false;
      if (
        pg.keyCellBytesAtMost !== Number.POSITIVE_INFINITY &&
        Buffer.byteLength(cell, 'utf8') > pg.keyCellBytesAtMost
      ) {
        return false;
      }
      return (
        pg.maxLength === null ||
        (pg.sqlType !== 'varchar' && pg.sqlType !== 'bpchar') ||
        [...cell].length <= pg.maxLength
      );
    default:
      return false;
  }
}

/** A token's key cell as a bound parameter; InvalidArgumentError when it does not fit the column. */
export function keyCellParam(cell: KeyCell, column: ColumnMeta): SqlParam {
  if (!checkKeyCell(cell, column)) {
    throw new InvalidArgumentError(`nextToken holds a value that does not fit key field "${column.name.slice(0, 64)}"`);
  }
  if (typeof cell === 'object') return Buffer.from(cell.b64, 'base64');
  return typeof cell === 'number' ? String(cell) : cell;
}
