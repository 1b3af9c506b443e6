/**
 * PostgreSQL SQL of reads: conditions (the filter's and RetrieveData's), page statements and keyset bounds.
 * Identifiers are names checked against the table, quoted with `"` (doubled inside) and qualified by the schema;
 * every value is a `$n` parameter.
 *
 * Literals are bound with the type of the column they are compared with, so that comparisons are exact and an
 * index on the column can serve them:
 * - exact numbers: `$n::int8` against integer columns (integer_ops compares int2/int4/int8 across types),
 *   `$n::numeric` otherwise (a fraction, or beyond int8);
 * - text: left untyped, so the server reads it as the column's own type (varchar, citext, uuid, inet, …) and
 *   compares under the column's collation; types without `=`/ordering (xml, geometric types) and enums (a filter
 *   compares the label a record shows) are compared as text (`col::text`);
 * - floats: `$n::float8` (a real widens to double exactly); the value is the double the filter translator chose
 *   by the shown value (handler/values/floats.ts);
 * - a value a record shows as null — NaN and ±Infinity of floats and numeric, ±infinity of dates and timestamps — is
 *   null to every condition too: comparisons require a finite value, and `= null` finds it;
 * - dates `$n::date`; date-times are UTC: `$n::timestamptz` with an explicit `+00` against timestamptz (an
 *   instant), `$n::timestamp` against timestamp (UTC wall time, as records show it);
 * - bytes `$n::bytea`.
 * NOT is `(e) IS NOT TRUE` (the complement, including unknown); CONTAINS is `strpos(col, $n) > 0`, a literal
 * substring test with no escaping (case sensitivity follows the column: citext is case-insensitive).
 *
 * Keyset paging compares row values, `(k1, k2) > ($1, $2)` and `<=` for the snapshot end, with parameters of the
 * key columns' own types, and orders by the key columns: both under each column's own collation, which is
 * deterministic for every keyset-safe column (columns.ts), so ORDER BY and `>` agree and a btree index on the key
 * serves both.
 */
import type { ColumnMeta, Condition, KeyCell, Literal, SqlDialect, SqlParam, Statement, TableMeta } from '../engine';
import { pageStatements } from '../pageStatements';
import type { PgTableMeta } from './catalog';
import { type PgColumnMeta, TEXT_TYPES } from './columns';
import { keyCellParam } from './keys';

/** `"name"` with `"` doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The schema-qualified name of a table the catalog described. */
export function qualifiedName(table: TableMeta): string {
  return `${quoteIdentifier(table.namespace)}.${quoteIdentifier(table.name)}`;
}

/** Exact numbers in conditions: numeric's limits are far beyond these; kept to what a filter reasonably holds. */
const EXACT_DIGITS = 1000;
const EXACT_SCALE = 1000;

const INTEGER_KINDS = new Set(['int2', 'int4', 'int8']);
const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;

/** Collects parameters (onto `values`) and numbers them. */
class Params {
  constructor(readonly values: SqlParam[] = []) {}
  add(value: SqlParam): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** Columns by name, when the table is known (conditions rendered without one bind untyped parameters). */
type Columns = ReadonlyMap<string, ColumnMeta> | null;

function pgColumn(columns: Columns, name: string): PgColumnMeta | null {
  return (columns?.get(name) as PgColumnMeta | undefined) ?? null;
}

/** Compared as text: enums (by the label shown) and types without a btree order. */
function comparedAsText(column: PgColumnMeta | null): boolean {
  return column !== null && (column.kind === 'enum' || (column.kind === 'string' && !column.btree));
}

/**
 * The type whose ±infinity bound the values a record shows for this column, or null when every non-null value is
 * shown. Records show NaN and ±Infinity of float and numeric columns, and ±infinity of date and timestamp columns, as
 * null (values.ts): filters must agree, so such a value matches `= null` and no comparison. NaN sorts above
 * Infinity in PostgreSQL, so `col > '-Infinity' AND col < 'Infinity'` holds exactly for the values shown.
 */
const INFINITY_TYPES: Readonly<Record<string, string>> = {
  float4: 'float8',
  float8: 'float8',
  numeric: 'numeric',
  date: 'date',
  timestamp: 'timestamp',
  timestamptz: 'timestamptz',
};

function unshownBound(column: PgColumnMeta | null): string | null {
  return column === null ? null : (INFINITY_TYPES[column.kind] ?? null);
}

/**
 * The schema of an extension's text type (citext) whose operators a comparison must name: the session's search_path
 * is pg_catalog alone, where `citext = unknown` would fall back to text's case-sensitive `=`. Null for every other
 * column (built-in types, enums, and types compared as text).
 */
function extensionSchema(column: PgColumnMeta | null): string | null {
  if (column === null || column.kind !== 'string' || !column.btree || comparedAsText(column)) return null;
  return column.typeSchema === 'pg_catalog' ? null : column.typeSchema;
}

/** `op`, or `OPERATOR(schema.op)` for an extension's type, so the type's own operator is used. */
export function operator(op: string, column: PgColumnMeta | null): string {
  const schema = extensionSchema(column);
  return schema === null ? op : `OPERATOR(${quoteIdentifier(schema)}.${op})`;
}

/** The column as compared with a literal. */
function operand(name: string, column: PgColumnMeta | null): string {
  const quoted = quoteIdentifier(name);
  return comparedAsText(column) ? `${quoted}::text` : quoted;
}

/** The SQL standing for a literal compared with `column`; its parameter is added to `params`. */
function literal(value: Literal, column: PgColumnMeta | null, params: Params): string {
  switch (value.kind) {
    case 'text':
      return comparedAsText(column) ? `${params.add(value.value)}::text` : params.add(value.value);
    case 'exact': {
      if (column !== null && INTEGER_KINDS.has(column.kind) && value.scale === 0) {
        const exact = BigInt(value.text);
        if (exact >= INT8_MIN && exact <= INT8_MAX) return `${params.add(value.text)}::int8`;
      }
      return `${params.add(value.text)}::numeric`;
    }
    case 'float':
      return `${params.add(value.value)}::float8`;
    case 'date':
      return `${params.add(value.text)}::date`;
    case 'datetime':
      return column?.kind === 'timestamptz'
        ? `${params.add(`${value.text}+00`)}::timestamptz`
        : `${params.add(value.text)}::timestamp`;
    case 'bytes':
      return `${params.add(value.value)}::bytea`;
  }
}

/**
 * The column's value is shown (not null): neither NaN nor ±infinity, for a column whose type has them.
 *
 * numeric gets a test valid on every supported version: `'infinity'::numeric` exists only from PostgreSQL 14
 * (PostgreSQL 14 release notes, E.x.3.1.5: "Allow the numeric data type to include +Infinity and -Infinity values";
 * https://www.postgresql.org/docs/release/14.0/), on 12 and 13 it is an input syntax error (22P02). `x - x = 0`
 * holds exactly for finite x: NaN − NaN and ±Infinity − ±Infinity are NaN (PostgreSQL docs, "8.1.2. Arbitrary
 * Precision Numbers": infinities and NaN follow IEEE 754 arithmetic; NaN equals only NaN), and on 12/13 numeric has
 * no infinities at all.
 */
function finite(quoted: string, type: string): string {
  if (type === 'numeric') return `${quoted} - ${quoted} = 0::numeric`;
  return `${quoted} > '-infinity'::${type} AND ${quoted} < 'infinity'::${type}`;
}

/** `test` on a column, and for columns with values shown as null only where the value is shown. */
function guarded(test: string, name: string, column: PgColumnMeta | null): string {
  const type = unshownBound(column);
  return type !== null ? `(${test} AND ${finite(quoteIdentifier(name), type)})` : `(${test})`;
}

/** A condition as PostgreSQL SQL; parameters are added to `params` in placeholder order. */
function render(condition: Condition, columns: Columns, params: Params): string {
  switch (condition.type) {
    case 'and':
    case 'or':
      return `(${condition.operands.map((operandCondition) => render(operandCondition, columns, params)).join(condition.type === 'and' ? ' AND ' : ' OR ')})`;
    case 'not':
      return `(${render(condition.operand, columns, params)} IS NOT TRUE)`;
    case 'isNull': {
      // `= null` finds what a record shows as null: NaN and ±infinity too, where the type has them.
      const quoted = quoteIdentifier(condition.column);
      const type = unshownBound(pgColumn(columns, condition.column));
      if (type === null) return `(${quoted} IS ${condition.negated ? 'NOT ' : ''}NULL)`;
      return condition.negated ? `(${finite(quoted, type)})` : `((${finite(quoted, type)}) IS NOT TRUE)`;
    }
    case 'compare': {
      const column = pgColumn(columns, condition.column);
      const test = `${operand(condition.column, column)} ${operator(condition.op, column)} ${literal(condition.value, column, params)}`;
      return guarded(test, condition.column, column);
    }
    case 'between': {
      const column = pgColumn(columns, condition.column);
      const low = literal(condition.low, column, params);
      const high = literal(condition.high, column, params);
      const left = operand(condition.column, column);
      const test =
        extensionSchema(column) === null
          ? `${left} BETWEEN ${low} AND ${high}`
          : `${left} ${operator('>=', column)} ${low} AND ${left} ${operator('<=', column)} ${high}`;
      return guarded(test, condition.column, column);
    }
    case 'in': {
      const column = pgColumn(columns, condition.column);
      const left = operand(condition.column, column);
      const items = condition.values.map((value) => literal(value, column, params));
      const membership =
        extensionSchema(column) === null
          ? `${left} IN (${items.join(', ')})`
          : items.map((item) => `${left} ${operator('=', column)} ${item}`).join(' OR ');
      const test = guarded(membership, condition.column, column);
      if (!condition.orNull) return test;
      return `(${test} OR ${render({ type: 'isNull', column: condition.column, negated: false }, columns, params)})`;
    }
    case 'contains': {
      const column = pgColumn(columns, condition.column);
      const quoted = quoteIdentifier(condition.column);
      // citext keeps its own, case-insensitive strpos, named with its schema (off the search_path); other text
      // types use pg_catalog's; the rest are searched in their text.
      const schema = extensionSchema(column);
      if (schema !== null && column?.sqlType === 'citext') {
        return `(${quoteIdentifier(schema)}.strpos(${quoted}, ${params.add(condition.text)}) > 0)`;
      }
      // char(n) is searched in the text a record shows, padding included: its cast to text drops trailing spaces,
      // concat() takes its output text.
      if (column?.sqlType === 'bpchar' && schema === null) {
        return `(strpos(concat(${quoted}), ${params.add(condition.text)}) > 0)`;
      }
      const text = column === null || (TEXT_TYPES.has(column.sqlType) && schema === null);
      return text
        ? `(strpos(${quoted}, ${params.add(condition.text)}) > 0)`
        : `(strpos(${quoted}::text, ${params.add(condition.text)}::text) > 0)`;
    }
    case 'truth': {
      const quoted = quoteIdentifier(condition.column);
      if (condition.truth === 'any') return `(${quoted} IS NOT NULL OR NULL)`;
      return `(${quoted} = ${condition.truth ? 'TRUE' : 'FALSE'})`;
    }
    case 'never':
      // False for every value, unknown for NULL, whatever the type.
      return `(${quoteIdentifier(condition.column)} IS NULL AND NULL)`;
    case 'always': {
      const type = unshownBound(pgColumn(columns, condition.column));
      const quoted = quoteIdentifier(condition.column);
      return type !== null
        ? `((${quoted} IS NOT NULL OR NULL) AND ${finite(quoted, type)})`
        : `(${quoted} IS NOT NULL OR NULL)`;
    }
    case 'orNull':
      return `(${render(condition.operand, columns, params)} OR ${render({ type: 'isNull', column: condition.column, negated: false }, columns, params)})`;
  }
}

/** A condition on a table's columns, rendered with parameters of those columns' types. */
export function renderCondition(condition: Condition, table: TableMeta | null): Statement {
  const params = new Params();
  return { sql: render(condition, table?.columnsByName ?? null, params), params: params.values };
}

/** `(k1, k2, …) op ($a, $b, …)` with the key cells bound as the key columns' own types. */
function keyComparison(columns: readonly ColumnMeta[], cells: readonly KeyCell[], op: '>' | '<=', values: SqlParam[]) {
  const params = new Params(values);
  const placeholders = columns.map((column, index) => params.add(keyCellParam(cells[index]!, column)));
  const names = columns.map((column) => quoteIdentifier(column.name));
  return columns.length === 1
    ? `${names[0]} ${op} ${placeholders[0]}`
    : `(${names.join(', ')}) ${op} (${placeholders.join(', ')})`;
}

/**
 * What a read names: the relation itself, never its inheritance children. A table with children (`INHERITS`) read
 * without `ONLY` also returns every child's rows, which its primary key does not cover (a child may hold a row with
 * the same key): keyset paging would skip rows and offset pages would mix in rows the entity does not name. Writes
 * are `ONLY` as well (writes.ts), so an entity reads and writes the same rows; each child is an entity of its own.
 * A partitioned table (relkind `p`) is read whole: its partitions are its rows, and its keys cover them. Views have
 * no children. (https://www.postgresql.org/docs/15/ddl-inherit.html: "ONLY … only the table itself".)
 */
export function readSource(table: TableMeta): string {
  const kind = (table as PgTableMeta).relationKind;
  return kind === 'r' || kind === 'f' ? `ONLY ${qualifiedName(table)}` : qualifiedName(table);
}

/**
 * Built-in types whose btree order ties two values only when they are the same value with the same text, so rows
 * that tie on such a column also show the same value: integers, booleans, dates and timestamps (an instant shows
 * in UTC), uuid, bytea, enums (one label per value) and text under a deterministic collation.
 */
const ORDER_SHOWS_EXACTLY = new Set(['int2', 'int4', 'int8', 'boolean', 'date', 'timestamp', 'timestamptz', 'bytea']);
const TEXT_ORDER_SHOWS_EXACTLY = new Set(['text', 'varchar', 'name', 'uuid']);

function orderShowsExactly(column: PgColumnMeta): boolean {
  if (!column.orderable || !column.deterministicCollation) return false;
  if (column.kind === 'enum' || ORDER_SHOWS_EXACTLY.has(column.kind)) return true;
  return column.kind === 'string' && column.typeSchema === 'pg_catalog' && TEXT_ORDER_SHOWS_EXACTLY.has(column.sqlType);
}

/**
 * Tie-breakers of offset paging (`PageQuery.totalOrder`): every column of the table whose order can
 * tie two values that records show differently, ordered by its text byte by byte. That is the columns without a
 * btree order (json, xml, arrays, geometric types), text under a nondeterministic collation, and the types whose
 * `=` is coarser than their text: citext (`a` = `A`), numeric (`1.0` = `1.00`), float (`-0` = `0`), interval
 * (`1 day` = `24:00:00`), jsonb (`1.0` = `1`), bpchar (trailing spaces), and every type not known to be exact.
 * Without them, rows that tie on every ordered column come back in whatever order each statement's sort leaves
 * them (a top-N sort for `LIMIT` is not stable), so offset pages would repeat some rows and skip others. With them
 * the order is total on what the records show: rows that still tie have the same text in every column, and their
 * records are identical. The row's physical identity (`ctid`) is not used: each page is its own statement and
 * snapshot, and a concurrent UPDATE or VACUUM FULL moves a row to another ctid between pages.
 */
function tieBreakers(table: TableMeta): string[] {
  return (table.columns as readonly PgColumnMeta[])
    .filter((column) => !orderShowsExactly(column))
    .map((column) => `${shownText(column)} COLLATE "C" ASC`);
}

/**
 * A column's text as its output function writes it (what records show): `::text`, except for bpchar, whose cast to
 * text drops the trailing spaces a record shows; `format('%s', …)` calls the output function.
 */
function shownText(column: PgColumnMeta): string {
  const quoted = quoteIdentifier(column.name);
  return column.sqlType === 'bpchar' ? `format('%s', ${quoted})` : `${quoted}::text`;
}

export const postgresqlDialect: SqlDialect = {
  label: 'PostgreSQL',
  exactNumberLimits: { digits: EXACT_DIGITS, scale: EXACT_SCALE },
  secondFractionDigits: 6,
  condition: (condition) => renderCondition(condition, null),
  ...pageStatements({
    quoteIdentifier,
    selected: (column) => quoteIdentifier(column.name),
    keyExpression: (column) => quoteIdentifier(column.name),
    source: readSource,
    where: (condition, table, params) => render(condition, table.columnsByName, new Params(params)),
    keyComparison,
    tieBreakers,
  }),
};
