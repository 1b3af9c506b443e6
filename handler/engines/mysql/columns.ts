/**
 * What the connector knows about a table and its columns, read from information_schema, and how each MySQL/MariaDB
 * column type maps to an AppFlow FieldDataType and to a value kind (how values are read and written).
 *
 * Documented choices for types AppFlow has no equivalent of: SET → String ("a,c"), TIME → String ("-12:30:00",
 * may exceed 24 h), YEAR → Integer, spatial types → String as WKT ("POINT(1 2)"), BIT(n>1) → ByteArray.
 */

import type { FieldDataType } from '../../protocol/codecs';
import { base64CellBytes, NUMBER_JSON_BYTES } from '../../values/keyCells';
import type { ColumnMeta, TableMeta } from '../engine';

/** How values of a column are rendered in records and converted from records on writes. */
export type ValueKind =
  | 'integer' // exact integer: JS number for small types, decimal text for BIGINT
  | 'decimal' // exact decimal text
  | 'float' // single precision: rendered with the shortest digits that round-trip through float32
  | 'double'
  | 'boolean-int' // TINYINT(1)
  | 'boolean-bit' // BIT(1)
  | 'string'
  | 'json' // JSON (MySQL) or LONGTEXT with a json_valid check (MariaDB): embedded as JSON, not as a string
  | 'bytes' // base64 in records
  | 'date' // YYYY-MM-DD; zero dates read as null
  | 'datetime' // ISO-8601 UTC instant; zero dates read as null
  | 'time'
  | 'year'
  | 'spatial'; // WKT text

/**
 * What MySQL's value code (rendering, conversion, key cells) reads of a column. The catalog's columns
 * (MySqlColumnMeta) carry these facts besides the engine-neutral ones.
 */
export interface MySqlColumn {
  readonly name: string;
  /** information_schema DATA_TYPE, lower case: 'int', 'varchar', 'timestamp', ... */
  readonly sqlType: string;
  /** information_schema COLUMN_TYPE: 'int(10) unsigned', 'tinyint(1)', "enum('a','b')", ... */
  readonly columnType: string;
  readonly unsigned: boolean;
  readonly nullable: boolean;
  /** The default as a value (string form), null when the column has none or defaults to NULL. */
  readonly defaultValue: string | null;
  /** True when the column can be left out of an INSERT (a default, NULL allowed, auto-increment or generated). */
  readonly defaultedOnCreate: boolean;
  readonly autoIncrement: boolean;
  /** Virtual or stored generated column: never written. */
  readonly generated: boolean;
  readonly maxLength: number | null;
  /** Declared maximum size in bytes of character and binary columns (information_schema CHARACTER_OCTET_LENGTH). */
  readonly maxBytes?: number | null;
  /** information_schema NUMERIC_SCALE: D of DECIMAL(M,D), FLOAT(M,D) and DOUBLE(M,D); 0 for integers; null for a
   *  FLOAT/DOUBLE declared without (M,D) and for other types. */
  readonly numericScale: number | null;
  /** Fraction digits of seconds a DATETIME/TIMESTAMP/TIME column keeps (0–6); null for other types. */
  readonly timePrecision?: number | null;
  /** The collation of a character column (ENUM and SET included): `utf8mb4_bin`; null for other types. */
  readonly collation?: string | null;
  /** The SRID a spatial column is restricted to (MySQL 8 `SRID n`, MariaDB `REF_SYSTEM_ID=n`); null when none. */
  readonly srid?: number | null;
  readonly enumValues: readonly string[] | null;
  readonly comment: string | null;
  readonly dataType: FieldDataType;
  readonly kind: ValueKind;
  readonly primaryKey: boolean;
  /** Part of a unique index whose columns are all NOT NULL (usable as an id for UPSERT). */
  readonly uniqueKey: boolean;
}

/** A column as the MySQL catalog describes it: the engine-neutral facts and MySQL's own. */
export type MySqlColumnMeta = ColumnMeta & MySqlColumn;

export interface MySqlTableMeta extends TableMeta {
  readonly columns: readonly MySqlColumnMeta[];
  readonly columnsByName: ReadonlyMap<string, MySqlColumnMeta>;
  /**
   * True when the server's index lookups miss rows of this table (a MERGE table: a lookup by its PRIMARY/UNIQUE
   * index stops at the first underlying table that has the value), so reads must not use its indexes.
   */
  readonly indexLookupsMissRows?: boolean;
}

/** The engine's own facts of a column the MySQL catalog described (every column an engine is given is one). */
export function mysqlColumn(column: ColumnMeta): MySqlColumnMeta {
  return column as MySqlColumnMeta;
}

const SPATIAL_TYPES = new Set([
  'geometry',
  'point',
  'linestring',
  'polygon',
  'multipoint',
  'multilinestring',
  'multipolygon',
  'geometrycollection',
  'geomcollection',
]);
const BYTE_TYPES = new Set(['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob']);
const STRING_TYPES = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'enum', 'set']);

export interface RawColumnFacts {
  readonly sqlType: string;
  readonly columnType: string;
  readonly isJson: boolean;
}

/**
 * TINYINT(1) is MySQL's BOOLEAN, and only the signed one. MySQL 8.0.19 and later no longer print an integer's
 * display width in COLUMN_TYPE "except for the display width for signed TINYINT(1)" (and for ZEROFILL columns):
 * MySQL 8.0.19 release notes (also "Numeric Data Type Syntax": the display width is deprecated as of 8.0.17). So
 * `TINYINT(1) UNSIGNED` reads `tinyint unsigned` there while MariaDB keeps `tinyint(1) unsigned`. One rule maps both
 * servers alike: Boolean is exactly the signed, non-ZEROFILL `tinyint(1)`; every other TINYINT (UNSIGNED, ZEROFILL,
 * another width or none) is a Short number.
 */
export function isBooleanTinyint(columnType: string): boolean {
  return columnType.trim().toLowerCase() === 'tinyint(1)';
}

/** The AppFlow data type and value kind of a column. */
export function classifyColumn(facts: RawColumnFacts): { dataType: FieldDataType; kind: ValueKind } {
  const sqlType = facts.sqlType.toLowerCase();
  const columnType = facts.columnType.toLowerCase();
  const unsigned = columnType.includes('unsigned');
  if (facts.isJson || sqlType === 'json') return { dataType: 'Struct', kind: 'json' };
  switch (sqlType) {
    case 'tinyint':
      return isBooleanTinyint(columnType)
        ? { dataType: 'Boolean', kind: 'boolean-int' }
        : { dataType: 'Short', kind: 'integer' };
    case 'bool':
    case 'boolean':
      return { dataType: 'Boolean', kind: 'boolean-int' };
    case 'bit':
      return columnType === 'bit(1)'
        ? { dataType: 'Boolean', kind: 'boolean-bit' }
        : { dataType: 'ByteArray', kind: 'bytes' };
    case 'smallint':
      return { dataType: unsigned ? 'Integer' : 'Short', kind: 'integer' };
    case 'mediumint':
      return { dataType: 'Integer', kind: 'integer' };
    case 'int':
    case 'integer':
      return { dataType: unsigned ? 'Long' : 'Integer', kind: 'integer' };
    case 'bigint':
      return { dataType: unsigned ? 'BigInteger' : 'Long', kind: 'integer' };
    case 'decimal':
    case 'numeric':
      return { dataType: 'BigDecimal', kind: 'decimal' };
    case 'float':
      return { dataType: 'Float', kind: 'float' };
    case 'double':
    case 'real':
    case 'double precision':
      return { dataType: 'Double', kind: 'double' };
    case 'date':
      return { dataType: 'Date', kind: 'date' };
    case 'datetime':
    case 'timestamp':
      return { dataType: 'DateTime', kind: 'datetime' };
    case 'time':
      return { dataType: 'String', kind: 'time' };
    case 'year':
      return { dataType: 'Integer', kind: 'year' };
  }
  if (BYTE_TYPES.has(sqlType)) return { dataType: 'ByteArray', kind: 'bytes' };
  if (SPATIAL_TYPES.has(sqlType)) return { dataType: 'String', kind: 'spatial' };
  if (STRING_TYPES.has(sqlType)) return { dataType: 'String', kind: 'string' };
  // Anything newer or exotic (e.g. MariaDB's INET6, UUID) is read as its text form.
  return { dataType: 'String', kind: 'string' };
}

/** Parses `enum('a','b''c')` into its values. */
export function parseEnumValues(columnType: string): string[] | null {
  const match = /^(?:enum|set)\((.*)\)$/is.exec(columnType);
  if (!match) return null;
  const values: string[] = [];
  const literal = /'((?:[^']|'')*)'/g;
  for (const item of match[1]!.matchAll(literal)) values.push(item[1]!.replaceAll("''", "'").replaceAll('\\\\', '\\'));
  return values;
}

/** True for kinds that can be compared in a WHERE clause and used as a key. */
export function isScalarKind(kind: ValueKind): boolean {
  return kind !== 'json' && kind !== 'spatial';
}

/**
 * Column types whose ORDER BY agrees with `>`/`<=` against a bound value and whose values fit a token: not ENUM/SET
 * (ordered by their index, compared as text), BIT (compared as a number, bound as bytes), TEXT/BLOB (sorted by a
 * prefix only), JSON or spatial.
 */
const KEYSET_SAFE_SQL_TYPES = new Set([
  'tinyint',
  'smallint',
  'mediumint',
  'int',
  'integer',
  'bigint',
  'decimal',
  'numeric',
  'float',
  'double',
  'real',
  'year',
  'date',
  'datetime',
  'timestamp',
  'time',
  'char',
  'varchar',
  'binary',
  'varbinary',
]);

/** Value ranges that a JSON number states exactly (BIGINT bounds do not fit a double, so they are left out). */
const INTEGER_RANGES: Record<string, [number, number, number]> = {
  tinyint: [-128, 127, 255],
  smallint: [-32768, 32767, 65535],
  mediumint: [-8388608, 8388607, 16777215],
  int: [-2147483648, 2147483647, 4294967295],
};

/** Declared size of a record's value of this column, in bytes; Infinity when only the column's type bounds it. */
function renderedBytesAtMost(column: MySqlColumn): number {
  switch (column.kind) {
    case 'string':
    case 'json':
      return column.maxBytes ?? (column.maxLength === null ? Number.POSITIVE_INFINITY : column.maxLength * 4);
    case 'bytes':
      return column.maxLength === null ? Number.POSITIVE_INFINITY : Math.ceil(column.maxLength / 3) * 4;
    case 'spatial':
      return Number.POSITIVE_INFINITY;
    default:
      return 40;
  }
}

/**
 * The most JSON bytes one key cell of this column can take, from its declared type and size: what decides, when a
 * read is planned, whether a key fits a token. Infinity for columns that are never paging keys.
 */
function keyCellBytesAtMost(column: MySqlColumn): number {
  switch (column.kind) {
    case 'integer':
    case 'year':
    case 'float':
    case 'double':
    case 'boolean-int':
      return NUMBER_JSON_BYTES;
    case 'decimal':
      return 70;
    case 'date':
    case 'datetime':
    case 'time':
      return 30;
    case 'bytes':
      return column.maxLength === null ? Number.POSITIVE_INFINITY : base64CellBytes(column.maxLength);
    case 'string': {
      // CHAR/VARCHAR: the declared size in bytes of the column's character set (4 per character when unknown).
      const bytes = column.maxBytes ?? (column.maxLength === null ? null : column.maxLength * 4);
      return bytes === null ? Number.POSITIVE_INFINITY : base64CellBytes(bytes);
    }
    default:
      return Number.POSITIVE_INFINITY;
  }
}

/** The engine-neutral facts of a MySQL column, derived from MySQL's own. */
export function withNeutralFacts(column: MySqlColumn): MySqlColumnMeta {
  const lengthLimited =
    column.kind === 'string' && column.maxLength !== null && column.enumValues === null && column.sqlType !== 'set';
  const range = column.kind === 'integer' ? INTEGER_RANGES[column.sqlType] : undefined;
  const precision = column.kind === 'decimal' ? /^\w+\((\d+)/.exec(column.columnType)?.[1] : undefined;
  return {
    ...column,
    declaredType: column.columnType,
    serverGenerated: column.autoIncrement,
    writable: !column.generated,
    numericPrecision: precision === undefined ? null : Number(precision),
    comparable: isScalarKind(column.kind),
    orderable: column.kind !== 'spatial',
    keysetSafe: KEYSET_SAFE_SQL_TYPES.has(column.sqlType) && column.kind !== 'json',
    incrementalTimestamp: column.kind === 'datetime',
    lengthLimit: lengthLimited ? column.maxLength : null,
    valueRange: range ? { min: column.unsigned ? 0 : range[0], max: column.unsigned ? range[2] : range[1] } : null,
    dateFormat: column.kind === 'date' ? 'yyyy-MM-dd' : null,
    renderedBytesAtMost: renderedBytesAtMost(column),
    keyCellBytesAtMost: keyCellBytesAtMost(column),
  };
}
