/**
 * The engine-neutral facts of a PostgreSQL column (engine.ts ColumnMeta), derived from what pg_catalog says of it.
 *
 * - comparable: the type has `=` and an order (a default btree operator class) — not json, xml, geometric types;
 *   arrays are left out as well (a List field is never an id). An enum is compared by its label.
 * - orderable: a btree order exists (offset paging orders by these).
 * - keysetSafe: ORDER BY agrees with `>`/`<=` against a bound value of the column's own type, and its text survives
 *   a token: every comparable type whose text reads back as the same value, compared under the column's own
 *   collation — unless that collation is nondeterministic (an ICU collation where `a` = `A`: two different keys
 *   would tie, and `>` would skip one).
 * - incrementalTimestamp: timestamp and timestamptz (an instant); a `date` is a whole day.
 * - lengthLimit: varchar(n)/char(n); valueRange: smallint and integer (bigint's bounds are not exact doubles).
 * - renderedBytesAtMost / keyCellBytesAtMost: from the type and its declared size; Infinity where only the type
 *   bounds it (text, unconstrained numeric, bytea, json, arrays).
 */

import type { FieldDataType } from '../../protocol/codecs';
import { base64CellBytes, NUMBER_JSON_BYTES } from '../../values/keyCells';
import type { ColumnMeta } from '../engine';
import type { PgValueColumn } from './values';

/** A column as the PostgreSQL catalog describes it: its own facts and the engine-neutral ones (`neutralFacts`). */
export type PgColumnMeta = PgCatalogColumn & ColumnMeta;

/** What pg_catalog says of a column. */
export interface PgCatalogColumn extends PgValueColumn {
  /** pg_attribute.attnum: position in the table (gaps where columns were dropped). */
  readonly position: number;
  readonly typeOid: number;
  /**
   * An array of the column's own type (its domain, if it has one), spelled for a cast with no type modifier:
   * `"public"."status"[]`, `"pg_catalog"."varchar"[]` (a modifier-free varchar; the column's own length is checked
   * when the value is stored, as for any parameter). Null where unnest would not give back one value per element:
   * an array column (its values would be flattened), a composite type or a domain over one (unnest in FROM spreads
   * its fields into columns); a type whose array elements are not separated by commas (box uses `;`; pg writes
   * array literals with commas); and a type PostgreSQL made no array type for. See writes.ts, insertRows.
   */
  readonly arrayOfOwnType: string | null;
  /** The default expression as PostgreSQL prints it (`nextval('t_id_seq'::regclass)`, `'x'::text`, `now()`). */
  readonly defaultExpression: string | null;
  /** The default as a value when it is a constant (`'x'::text` → x, `42` → 42), else null. */
  readonly defaultValue: string | null;
  /** True when the column can be left out of an INSERT (a default, NULL allowed, identity or generated). */
  readonly defaultedOnCreate: boolean;
  /** GENERATED ALWAYS AS IDENTITY / BY DEFAULT AS IDENTITY, else null. */
  readonly identity: 'always' | 'by default' | null;
  /** Identity, or a serial column (a nextval default): the server numbers new rows. */
  readonly autoIncrement: boolean;
  /** GENERATED ALWAYS AS (…) STORED: never written. */
  readonly generated: boolean;
  /** Whether a write may set this column: not generated, not GENERATED ALWAYS AS IDENTITY. */
  readonly writable: boolean;
  /** Characters of char(n)/varchar(n), bits of bit(n)/varbit(n); null when unlimited. */
  readonly maxLength: number | null;
  readonly comment: string | null;
  readonly dataType: FieldDataType;
  readonly primaryKey: boolean;
  /** Part of a usable unique key (see PgTableMeta.uniqueKeys, catalog.ts). */
  readonly uniqueKey: boolean;
  /** The type (or, for varchar and cidr, the type it is binary-coercible to) has a default btree operator class:
   *  `=` and ordering exist and an index can serve them. */
  readonly btree: boolean;
  /** The column's collation compares only byte-identical text as equal (false for nondeterministic ICU ones);
   *  true for types without a collation. */
  readonly deterministicCollation: boolean;
  /** The column's collation (`C`, `default`, an ICU one); null for a type without one. */
  readonly collation: string | null;
  /**
   * The schema of the column's (base) type: `pg_catalog` for built-in types. The session's search_path is
   * pg_catalog alone, so the operators and functions of a type from an extension elsewhere (citext) are only
   * reached schema-qualified (see dialect.ts).
   */
  readonly typeSchema: string;
}

const INTEGER_RANGES: Partial<Record<string, { min: number; max: number }>> = {
  int2: { min: -32768, max: 32767 },
  int4: { min: -2147483648, max: 2147483647 },
};

/** Types whose text has a known bound, in bytes (UTF-8 of the server's text). */
const TEXT_BYTES: Partial<Record<string, number>> = {
  uuid: 36,
  time: 15,
  timetz: 21,
  inet: 43 + 4,
  cidr: 43 + 4,
  macaddr: 17,
  macaddr8: 23,
  money: 30,
  oid: 10,
  char: 4,
  name: 63,
};

/** Types that hold text under a collation: compared by the column's collation. */
export const TEXT_TYPES = new Set(['text', 'varchar', 'bpchar', 'name', 'citext']);

function isCharacterType(column: PgCatalogColumn): boolean {
  return column.sqlType === 'varchar' || column.sqlType === 'bpchar';
}

/** The most UTF-8 bytes of the column's text form; null when unbounded. */
function textBytes(column: PgCatalogColumn): number | null {
  if (column.kind === 'enum') {
    return Math.max(1, ...(column.enumValues ?? []).map((label) => Buffer.byteLength(label, 'utf8')));
  }
  if (isCharacterType(column)) return column.maxLength === null ? null : column.maxLength * 4;
  if (column.sqlType === 'bit' || column.sqlType === 'varbit') return column.maxLength;
  return TEXT_BYTES[column.sqlType] ?? null;
}

/**
 * The longest text the server prints for a numeric(p,s) value: the sign, the integer digits (p − s of them, at least
 * the one zero before the point), the point and s fraction digits; with a negative scale p digits and |s| zeros
 * (numeric(3,10) prints -0.0000000999, numeric(3,-5) prints -99900000: since PostgreSQL 15 the scale may exceed the
 * precision or be negative, https://www.postgresql.org/docs/15/datatype-numeric.html). NaN fits too; a numeric with
 * a declared precision holds no infinity. Infinity when the precision is not declared (up to 131072 digits before
 * the point).
 */
export function numericTextBytesAtMost(precision: number | null, scale: number | null): number {
  if (precision === null) return Number.POSITIVE_INFINITY;
  const s = scale ?? 0;
  const digits = s >= 0 ? Math.max(precision - s, 1) + (s > 0 ? 1 + s : 0) : precision - s;
  return Math.max(1 + digits, 'NaN'.length);
}

function renderedBytesAtMost(column: PgCatalogColumn): number {
  switch (column.kind) {
    case 'int2':
    case 'int4':
    case 'int8':
    case 'float4':
    case 'float8':
    case 'boolean':
      return 40;
    case 'numeric':
      // A JSON number, or null for NaN.
      return Math.max(numericTextBytesAtMost(column.numericPrecision, column.numericScale), 'null'.length);
    case 'date':
      return 20;
    case 'timestamp':
    case 'timestamptz':
      return 40;
    case 'json':
    case 'bytea':
    case 'array':
      return Number.POSITIVE_INFINITY;
    case 'enum':
    case 'string': {
      const bytes = textBytes(column);
      // Escaped JSON text: at most 6 bytes per byte (\u00XX), plus the quotes.
      return bytes === null ? Number.POSITIVE_INFINITY : bytes * 6 + 2;
    }
  }
}

function keyCellBytesAtMost(column: PgCatalogColumn): number {
  switch (column.kind) {
    case 'int2':
    case 'int4':
    case 'int8':
    case 'float4':
    case 'float8':
      // Numbers, int8 as a string of at most 20 characters, "-Infinity".
      return NUMBER_JSON_BYTES;
    case 'boolean':
      return base64CellBytes(5);
    case 'numeric':
      // The server's text as a JSON string.
      return numericTextBytesAtMost(column.numericPrecision, column.numericScale) + 2;
    case 'date':
      return 30;
    case 'timestamp':
    case 'timestamptz':
      // "294276-12-31 23:59:59.999999+00 BC" and the quotes.
      return 40;
    case 'json':
    case 'bytea':
    case 'array':
      return Number.POSITIVE_INFINITY;
    case 'enum':
    case 'string': {
      const bytes = textBytes(column);
      return bytes === null ? Number.POSITIVE_INFINITY : base64CellBytes(bytes);
    }
  }
}

/** A catalog column with the engine-neutral facts added. */
export function neutralFacts(column: PgCatalogColumn): PgColumnMeta {
  const scalar = column.kind !== 'json' && column.kind !== 'array';
  const comparable = scalar && (column.btree || column.kind === 'bytea');
  return {
    ...column,
    declaredType: column.columnType,
    serverGenerated: column.autoIncrement,
    comparable,
    orderable: column.kind !== 'array' && column.btree,
    // A keyset's `>` must be the operator of the type's default btree class, which ORDER BY uses. Built-in types
    // and enums (pg_catalog's anyenum operators) are found on the session's search_path (pg_catalog alone); an
    // extension's type (citext) orders by its own class, so it is not a keyset column.
    keysetSafe:
      comparable &&
      column.btree &&
      column.deterministicCollation &&
      (column.typeSchema === 'pg_catalog' || column.kind === 'enum'),
    incrementalTimestamp: column.kind === 'timestamp' || column.kind === 'timestamptz',
    lengthLimit: column.kind === 'string' && isCharacterType(column) ? column.maxLength : null,
    valueRange: INTEGER_RANGES[column.kind] ?? null,
    dateFormat: column.kind === 'date' ? 'yyyy-MM-dd' : null,
    renderedBytesAtMost: renderedBytesAtMost(column),
    keyCellBytesAtMost: keyCellBytesAtMost(column),
  };
}
