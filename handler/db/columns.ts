/**
 * What the connector knows about a table and its columns, read from information_schema, and how each MySQL/MariaDB
 * column type maps to an AppFlow FieldDataType and to a value kind (how values are read and written).
 *
 * Documented choices for types AppFlow has no equivalent of: SET → String ("a,c"), TIME → String ("-12:30:00",
 * may exceed 24 h), YEAR → Integer, spatial types → String as WKT ("POINT(1 2)"), BIT(n>1) → ByteArray.
 */
import type { FieldDataType } from '../protocol/codecs';

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

export interface ColumnMeta {
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
  readonly numericScale: number | null;
  readonly enumValues: readonly string[] | null;
  readonly comment: string | null;
  readonly dataType: FieldDataType;
  readonly kind: ValueKind;
  readonly primaryKey: boolean;
  /** Part of a unique index whose columns are all NOT NULL (usable as an id for UPSERT). */
  readonly uniqueKey: boolean;
}

export interface TableMeta {
  readonly name: string;
  readonly isView: boolean;
  readonly writable: boolean;
  readonly comment: string | null;
  /** Columns in table order. */
  readonly columns: readonly ColumnMeta[];
  readonly columnsByName: ReadonlyMap<string, ColumnMeta>;
  readonly primaryKey: readonly string[];
  /** Unique indexes whose columns are all NOT NULL, by index name. */
  readonly uniqueKeys: readonly (readonly string[])[];
  /**
   * The columns pages are ordered and resumed by: the primary key, else the first unique NOT NULL index, else null
   * (then pages are ordered by every column and resumed by offset; see queryData). QueryData also passes over a key
   * too long to fit a token (choosePagingKey in operations/queryData.ts).
   */
  readonly pagingKey: readonly string[] | null;
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

/** The AppFlow data type and value kind of a column. */
export function classifyColumn(facts: RawColumnFacts): { dataType: FieldDataType; kind: ValueKind } {
  const sqlType = facts.sqlType.toLowerCase();
  const columnType = facts.columnType.toLowerCase();
  const unsigned = columnType.includes('unsigned');
  if (facts.isJson || sqlType === 'json') return { dataType: 'Struct', kind: 'json' };
  switch (sqlType) {
    case 'tinyint':
      if (/^tinyint\(1\)/.test(columnType)) return { dataType: 'Boolean', kind: 'boolean-int' };
      return { dataType: 'Short', kind: 'integer' };
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
