/**
 * Paging key values of MySQL columns: what a token cell holds for each value kind, which cells a column can hold,
 * and how a cell is bound. Keyset statements themselves are built by the dialect (./dialect.ts).
 */
import { InvalidArgumentError } from '../../errors';
import type { ColumnMeta, KeyCell, SqlParam } from '../engine';
import { type MySqlColumn, mysqlColumn } from './columns';
import { integerRange } from './values';

/** A driver value of a key column, as stored in a token. */
export function toKeyCell(value: unknown): KeyCell {
  if (Buffer.isBuffer(value)) return { b64: value.toString('base64') };
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return value.toString();
  throw new Error(`unexpected key value of type ${typeof value}`);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?$/;
const TIME = /^-?\d{1,3}:\d{2}:\d{2}(\.\d{1,6})?$/;

/** An integer cell (a number, or the text of one beyond 2^53) within the range of the column's integer type. */
function integerCellInRange(cell: KeyCell, column: MySqlColumn): boolean {
  let value: bigint;
  if (typeof cell === 'number' && Number.isSafeInteger(cell)) value = BigInt(cell);
  else if (typeof cell === 'string' && /^-?\d{1,20}$/.test(cell)) value = BigInt(cell);
  else return false;
  const { min, max } = integerRange(column);
  return value >= min && value <= max;
}

/**
 * True when `cell` is a value the driver can produce for this key column: the right type, the column's format, within
 * its declared size. Every key cell of a token passes this before anything in the token is used.
 */
export function checkKeyCell(cell: KeyCell, column: MySqlColumn): boolean {
  switch (column.kind) {
    case 'integer':
      return integerCellInRange(cell, column);
    case 'year':
      return typeof cell === 'number'
        ? Number.isSafeInteger(cell)
        : typeof cell === 'string' && /^-?\d{1,20}$/.test(cell);
    case 'decimal':
      return typeof cell === 'string' && /^-?\d{1,65}(\.\d{1,30})?$/.test(cell);
    case 'float':
    case 'double':
      return typeof cell === 'number';
    case 'boolean-int':
      return typeof cell === 'number' && Number.isSafeInteger(cell);
    case 'bytes':
    case 'boolean-bit':
      return (
        typeof cell === 'object' &&
        (column.maxLength === null || Buffer.byteLength(cell.b64, 'base64') <= column.maxLength)
      );
    case 'date':
      return typeof cell === 'string' && DATE.test(cell);
    case 'datetime':
      return typeof cell === 'string' && DATETIME.test(cell);
    case 'time':
      return typeof cell === 'string' && TIME.test(cell);
    case 'string': {
      if (typeof cell !== 'string') return false;
      if (column.maxBytes != null && Buffer.byteLength(cell, 'utf8') > column.maxBytes) return false;
      return column.maxLength === null || [...cell].length <= column.maxLength;
    }
    default:
      return false;
  }
}

/** A token's key cell (checked by `checkKeyCell` when the token was read) as a bound parameter. */
export function keyCellParam(cell: KeyCell, column: ColumnMeta): SqlParam {
  const mysql = mysqlColumn(column);
  if (!checkKeyCell(cell, mysql)) {
    throw new InvalidArgumentError(`nextToken holds a value that does not fit key field "${column.name.slice(0, 64)}"`);
  }
  if (typeof cell === 'object') return Buffer.from(cell.b64, 'base64');
  if (mysql.kind === 'integer' || mysql.kind === 'year' || mysql.kind === 'decimal') return String(cell);
  return cell;
}
