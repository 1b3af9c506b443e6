/**
 * Keyset paging: pages are ordered by the table's paging key and each page resumes strictly after the last key of
 * the previous one, so a page deep into a table costs the same as the first (no OFFSET scan, no COUNT(*)).
 * Composite keys compare lexicographically; the row comparison is spelled out as OR/AND so that MySQL and MariaDB
 * both turn it into an index range.
 */
import type { ColumnMeta } from '../db/columns';
import { quoteIdentifier } from '../db/identifiers';
import type { SqlParam } from '../db/pool';
import { InvalidArgumentError } from '../errors';
import type { KeyCell } from './token';

/**
 * The placeholder for a key value. Integer and decimal keys are bound as text and cast to DECIMAL: MySQL compares an
 * integer column with a string as DOUBLE, which is inexact beyond 2^53.
 */
export function keyPlaceholder(column: ColumnMeta): string {
  if (column.kind === 'integer' || column.kind === 'year') return 'CAST(? AS DECIMAL(65,0))';
  if (column.kind === 'decimal') return `CAST(? AS DECIMAL(65,${Math.min(30, column.numericScale ?? 0)}))`;
  return '?';
}

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

/**
 * True when `cell` is a value the driver can produce for this key column: the right type, the column's format, within
 * its declared size. Every key cell of a token passes this before anything in the token is used.
 */
export function checkKeyCell(cell: KeyCell, column: ColumnMeta): boolean {
  switch (column.kind) {
    case 'integer':
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
  if (!checkKeyCell(cell, column)) {
    throw new InvalidArgumentError(`nextToken holds a value that does not fit key field "${column.name.slice(0, 64)}"`);
  }
  if (typeof cell === 'object') return Buffer.from(cell.b64, 'base64');
  if (column.kind === 'integer' || column.kind === 'year' || column.kind === 'decimal') return String(cell);
  return cell;
}

/**
 * `(k1, k2, ...) <op> (v1, v2, ...)` for op `>` (resume after) or `<=` (not beyond the snapshot), expanded:
 * k1 > v1 OR (k1 = v1 AND k2 > v2) OR ... ; the last column takes `op`, the others strict.
 */
export function keyComparison(
  columns: readonly ColumnMeta[],
  cells: readonly KeyCell[],
  op: '>' | '<=',
): { sql: string; params: SqlParam[] } {
  if (cells.length !== columns.length) {
    throw new InvalidArgumentError('nextToken does not match the paging key of this entity');
  }
  const strict = op === '>' ? '>' : '<';
  const values = columns.map((column, index) => keyCellParam(cells[index]!, column));
  const alternatives: string[] = [];
  const params: SqlParam[] = [];
  for (let position = 0; position < columns.length; position++) {
    const parts: string[] = [];
    for (let prefix = 0; prefix < position; prefix++) {
      parts.push(`${quoteIdentifier(columns[prefix]!.name)} = ${keyPlaceholder(columns[prefix]!)}`);
      params.push(values[prefix]!);
    }
    const last = position === columns.length - 1;
    parts.push(
      `${quoteIdentifier(columns[position]!.name)} ${last ? op : strict} ${keyPlaceholder(columns[position]!)}`,
    );
    params.push(values[position]!);
    alternatives.push(parts.length === 1 ? parts[0]! : `(${parts.join(' AND ')})`);
  }
  return { sql: `(${alternatives.join(' OR ')})`, params };
}

export function orderBy(columns: readonly ColumnMeta[], direction: 'ASC' | 'DESC' = 'ASC'): string {
  return columns.map((column) => `${quoteIdentifier(column.name)} ${direction}`).join(', ');
}
