/**
 * MySQL/MariaDB SQL of reads: conditions (the filter's and RetrieveData's), page statements and the keyset bounds.
 * Identifiers are names checked against the table and quoted with backticks; every value is a `?` parameter.
 *
 * - Exact numbers are bound as text and compared via CAST(? AS DECIMAL(65,s)): MySQL compares an integer column
 *   with a string (or a double) as DOUBLE, which is wrong beyond 2^53.
 * - Date/DateTime values are bound as 'YYYY-MM-DD' / 'YYYY-MM-DD HH:MM:SS[.ffffff]' (UTC; the session time zone is
 *   UTC) inside CAST(? AS DATE) / CAST(? AS DATETIME(6)).
 * - NOT is `(e) IS NOT TRUE`: the complement, including rows where e is unknown because of NULLs.
 * - CONTAINS is `LIKE CONCAT('%', ?, '%') ESCAPE '!'` with `%`, `_` and `!` escaped in the parameter; `\` is not
 *   special under `ESCAPE '!'`.
 * - Boolean columns (TINYINT(1), BIT(1)) compare by the truth a record shows: true is `<> 0` (a TINYINT(1) may hold
 *   2 or -1).
 * - Keyset bounds: `(k1, k2, ...) <op> (v1, v2, ...)` spelled out as OR/AND so that MySQL and MariaDB both turn it
 *   into an index range.
 */
import type { ColumnMeta, Condition, KeyCell, Literal, SqlDialect, SqlParam, TableMeta } from '../engine';
import { pageStatements } from '../pageStatements';
import { type MySqlTableMeta, mysqlColumn } from './columns';
import { quoteIdentifier } from './identifiers';
import { keyCellParam } from './keys';
import { selectExpression } from './recordEncoder';

/** MySQL DECIMAL: at most 65 digits, at most 30 after the point. */
const MAX_PRECISION = 65;
const MAX_SCALE = 30;

/**
 * The placeholder for a key value. Integer and decimal keys are bound as text and cast to DECIMAL: MySQL compares an
 * integer column with a string as DOUBLE, which is inexact beyond 2^53.
 */
export function keyPlaceholder(column: ColumnMeta): string {
  const { kind, numericScale } = mysqlColumn(column);
  if (kind === 'integer' || kind === 'year') return 'CAST(? AS DECIMAL(65,0))';
  if (kind === 'decimal') return `CAST(? AS DECIMAL(65,${Math.min(MAX_SCALE, numericScale ?? 0)}))`;
  return '?';
}

/** The SQL standing for a literal; its parameter is pushed onto `params`. */
function literal(value: Literal, params: SqlParam[]): string {
  switch (value.kind) {
    case 'text':
      params.push(value.value);
      return '?';
    case 'exact':
      params.push(value.text);
      return `CAST(? AS DECIMAL(${MAX_PRECISION},${Math.min(MAX_SCALE, value.scale)}))`;
    case 'float':
      params.push(value.value);
      return '?';
    case 'date':
      params.push(value.text);
      return 'CAST(? AS DATE)';
    case 'datetime':
      params.push(value.text);
      return 'CAST(? AS DATETIME(6))';
    case 'bytes':
      params.push(value.value);
      return '?';
  }
}

function truthSql(column: string, truth: boolean | 'any'): string {
  if (truth === 'any') return `(${column} = 0 OR ${column} <> 0)`;
  return truth ? `(${column} <> 0)` : `(${column} = 0)`;
}

/** The columns a condition names, by name; null when it is rendered without its table (tests and tools). */
type Columns = ReadonlyMap<string, ColumnMeta> | null;

/**
 * True for a column that can hold dates a record shows as null: DATE, DATETIME and TIMESTAMP take the zero date
 * `0000-00-00` and dates with a zero month or day (`2024-00-10`) where sql_mode lacks NO_ZERO_DATE/NO_ZERO_IN_DATE
 * (MariaDB KB, "SQL_MODE"; MySQL 8.0 Reference Manual, "The DATE, DATETIME, and TIMESTAMP Types": "MySQL permits
 * you to store a 'zero' value of '0000-00-00' as a 'dummy date'"). Records show them as null (recordEncoder.ts), so
 * filters must too: such a value matches `= null` and no comparison (it would sort before every real date).
 */
function holdsZeroDates(columns: Columns, name: string): boolean {
  const column = columns?.get(name);
  if (!column) return false;
  const { kind } = mysqlColumn(column);
  return kind === 'date' || kind === 'datetime';
}

/** The date in `quoted` is one a record shows: no zero month and no zero day (unknown for NULL). */
function shownDate(quoted: string): string {
  return `MONTH(${quoted}) <> 0 AND DAYOFMONTH(${quoted}) <> 0`;
}

/** `test` on a column, and for a column that can hold zero dates only where the date is shown. */
function guarded(test: string, name: string, columns: Columns): string {
  return holdsZeroDates(columns, name) ? `(${test} AND ${shownDate(quoteIdentifier(name))})` : `(${test})`;
}

/** `= null` (or `!= null`) on a column: what a record shows as null, zero dates included. */
function isNullSql(name: string, negated: boolean, columns: Columns): string {
  const quoted = quoteIdentifier(name);
  if (!holdsZeroDates(columns, name)) return `(${quoted} IS ${negated ? 'NOT ' : ''}NULL)`;
  // Not `IS NULL`: on a NOT NULL DATE/DATETIME column MySQL answers it true for '0000-00-00' alone (ODBC
  // compatibility, "IS NULL" in the MySQL manual), not for the partial zero dates records show as null as well.
  return negated ? `(${shownDate(quoted)})` : `((${shownDate(quoted)}) IS NOT TRUE)`;
}

/**
 * The SQL standing for a column compared with `literals`. A YEAR column compared with a small number reads it as a
 * two-digit year (MariaDB KB, "YEAR Data Type": two-digit values 0–69 stand for 2000–2069, 70–99 for 1970–1999;
 * checked on 10.11: a YEAR holding 2000 matches `c BETWEEN 0 AND 1`), so `c <= 1` would match a row holding 2000, while records show YEAR as the plain
 * number (2000, or 0 for the zero year). Such comparisons use the column's number (`col + 0`: 2000, or 0 for the
 * zero year), which the reference evaluator (test/support/filterEvaluator.ts) compares as records show it. Literals that
 * are whole years 1901–2155 mean the same either way, so they compare the column itself and keep its index usable.
 */
function comparedColumn(name: string, literals: readonly Literal[], columns: Columns): string {
  const quoted = quoteIdentifier(name);
  const column = columns?.get(name);
  if (!column || mysqlColumn(column).kind !== 'year') return quoted;
  return literals.every(isStoredYear) ? quoted : `(${quoted} + 0)`;
}

/** A literal that is a whole year a YEAR column holds as itself (1901–2155). */
function isStoredYear(value: Literal): boolean {
  if (value.kind !== 'exact' || !/^\d{4}(?:\.0*)?$/.test(value.text)) return false;
  const year = Number.parseInt(value.text, 10);
  return year >= 1901 && year <= 2155;
}

/**
 * A condition as MySQL SQL; parameters are pushed onto `params` in placeholder order. With the table's `columns`,
 * values a record shows as null (zero dates) are null to the condition too.
 */
export function renderCondition(condition: Condition, params: SqlParam[], columns: Columns = null): string {
  switch (condition.type) {
    case 'and':
    case 'or':
      return `(${condition.operands.map((operand) => renderCondition(operand, params, columns)).join(condition.type === 'and' ? ' AND ' : ' OR ')})`;
    case 'not':
      return `(${renderCondition(condition.operand, params, columns)} IS NOT TRUE)`;
    case 'isNull':
      return isNullSql(condition.column, condition.negated, columns);
    case 'compare':
      return guarded(
        `${comparedColumn(condition.column, [condition.value], columns)} ${condition.op} ${literal(condition.value, params)}`,
        condition.column,
        columns,
      );
    case 'between': {
      const column = comparedColumn(condition.column, [condition.low, condition.high], columns);
      const low = literal(condition.low, params);
      return guarded(`${column} BETWEEN ${low} AND ${literal(condition.high, params)}`, condition.column, columns);
    }
    case 'in': {
      const column = comparedColumn(condition.column, condition.values, columns);
      const list = condition.values.map((value) => literal(value, params)).join(', ');
      if (!holdsZeroDates(columns, condition.column)) {
        return condition.orNull ? `(${column} IN (${list}) OR ${column} IS NULL)` : `(${column} IN (${list}))`;
      }
      const membership = guarded(`${column} IN (${list})`, condition.column, columns);
      return condition.orNull ? `(${membership} OR ${isNullSql(condition.column, false, columns)})` : membership;
    }
    case 'contains':
      params.push(condition.text.replace(/[!%_]/g, '!$&'));
      return `(${quoteIdentifier(condition.column)} LIKE CONCAT('%', ?, '%') ESCAPE '!')`;
    case 'truth':
      return truthSql(quoteIdentifier(condition.column), condition.truth);
    case 'never': {
      const column = quoteIdentifier(condition.column);
      return `(${column} <> ${column})`;
    }
    case 'always': {
      const column = quoteIdentifier(condition.column);
      return guarded(`${column} = ${column}`, condition.column, columns);
    }
    case 'orNull': {
      const operand = renderCondition(condition.operand, params, columns);
      return holdsZeroDates(columns, condition.column)
        ? `(${operand} OR ${isNullSql(condition.column, false, columns)})`
        : `(${operand} OR ${quoteIdentifier(condition.column)} IS NULL)`;
    }
  }
}

/**
 * `(k1, k2, ...) <op> (v1, v2, ...)` for op `>` (resume after) or `<=` (not beyond the snapshot), expanded:
 * k1 > v1 OR (k1 = v1 AND k2 > v2) OR ... ; the last column takes `op`, the others strict.
 */
function keyComparison(columns: readonly ColumnMeta[], cells: readonly KeyCell[], op: '>' | '<=', params: SqlParam[]) {
  const strict = op === '>' ? '>' : '<';
  const values = columns.map((column, index) => keyCellParam(cells[index]!, column));
  const alternatives: string[] = [];
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
  return `(${alternatives.join(' OR ')})`;
}

/**
 * A key column as selected to resume from (selectPage's trailing key columns, selectHighestKey): its value in the
 * canonical form a token cell holds. ZEROFILL numbers arrive zero-padded to their display width (up to 255 digits
 * for `BIGINT(255) ZEROFILL`), which no number cell rule can bound; `+ 0` drops the padding and keeps the value
 * (an unsigned BIGINT stays unsigned, a DECIMAL keeps its scale).
 */
function keyExpression(column: ColumnMeta): string {
  const mysql = mysqlColumn(column);
  const zerofill = /\bzerofill\b/i.test(mysql.columnType);
  if (zerofill && (mysql.kind === 'integer' || mysql.kind === 'decimal'))
    return `(${quoteIdentifier(column.name)} + 0)`;
  return selectExpression(mysql);
}

/** Value kinds whose ORDER BY ties two values only when records show them alike. */
const ORDER_SHOWS_EXACTLY = new Set([
  'integer',
  'decimal', // a DECIMAL(p,s) value always has s fraction digits: 1.0 and 1.00 cannot both be stored
  'float', // -0 ties 0, and both show as 0
  'double',
  'boolean-int', // 1 and 2 are ordered apart, both show as true
  'boolean-bit',
  'date',
  'datetime',
  'time',
  'year',
]);

/**
 * Tie-breakers of offset paging (`PageQuery.totalOrder`): every column whose ORDER BY can tie values
 * that records show differently, ordered by the SHA-256 of the bytes shown. Text ties under case- and
 * accent-insensitive collations (`a` = `A` = `á`) and under PAD SPACE ones (`a` = `a `, `_bin` collations too), and
 * MySQL sorts strings, BLOBs and JSON by their first `max_sort_length` bytes only (1,024 by default); JSON ties
 * `1.0` and `1`; ENUM and SET order by their index (one label per index: exact). Without tie-breakers, rows that tie
 * on every ordered column come back in whatever order each statement's sort leaves them (filesort with LIMIT is
 * not stable), and offset pages repeat some rows and skip others. With them, rows that still tie show the same bytes
 * in every column (a SHA-256 collision aside), so their records are identical. A hash rather than the bytes
 * themselves, because sorting by the bytes would again stop at `max_sort_length`.
 * (MySQL 8.4 manual, "ORDER BY Optimization" and `max_sort_length`; MariaDB, "max_sort_length".)
 */
function tieBreakers(table: TableMeta): string[] {
  return table.columns
    .map(mysqlColumn)
    .filter(
      (column) => !(ORDER_SHOWS_EXACTLY.has(column.kind) || column.sqlType === 'enum' || column.sqlType === 'set'),
    )
    .map((column) => {
      const quoted = quoteIdentifier(column.name);
      return `SHA2(${column.kind === 'spatial' ? `ST_AsBinary(${quoted})` : quoted}, 256) ASC`;
    });
}

export const mysqlDialect: SqlDialect = {
  label: 'MySQL',
  exactNumberLimits: { digits: MAX_PRECISION, scale: MAX_SCALE },
  secondFractionDigits: 6,
  condition(condition) {
    const params: SqlParam[] = [];
    return { sql: renderCondition(condition, params), params };
  },
  ...pageStatements({
    quoteIdentifier,
    selected: (column) => selectExpression(mysqlColumn(column)),
    keyExpression,
    // `USE INDEX ()`: no index at all ("an empty list … means use no indexes", MySQL 8.0 Reference Manual, "Index
    // Hints"), for a table whose index lookups miss rows (a MERGE table, see catalog.ts).
    source: (table) =>
      `${quoteIdentifier(table.name)}${(table as MySqlTableMeta).indexLookupsMissRows === true ? ' USE INDEX ()' : ''}`,
    where: (condition, table, params) => `(${renderCondition(condition, params, table.columnsByName)})`,
    keyComparison,
    tieBreakers,
  }),
};
