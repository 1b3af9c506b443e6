/**
 * Reads tables, views, columns and keys of the configured database from information_schema. Every query is bound to
 * that one schema: other databases on the server are never listed or described.
 */
import type { ConnectionSettings } from '../../settings';
import type { Catalog, SqlRunner, TableSummary } from '../engine';
import { renderedDefault } from '../shownDefault';
import { tableFacts } from '../tableFacts';
import { notATable, tablePages } from '../tablePages';
import {
  classifyColumn,
  type MySqlColumn,
  type MySqlColumnMeta,
  type MySqlTableMeta,
  parseEnumValues,
  withNeutralFacts,
} from './columns';
import { identifierProblem } from './identifiers';
import { rendererFor } from './recordEncoder';
import { viewGeneratedKey } from './viewKeys';

interface TableRow {
  name: string;
  tableType: string;
  comment: string | null;
  viewUpdatable: string | null;
  engine: string | null;
}

function toSummary(row: TableRow): TableSummary {
  const isView = row.tableType === 'VIEW';
  return {
    name: row.name,
    isView,
    writable: !isView || row.viewUpdatable === 'YES',
    comment: row.comment && row.comment !== 'VIEW' ? row.comment : null,
  };
}

const TABLES_SQL = `
  SELECT t.TABLE_NAME AS name, t.TABLE_TYPE AS tableType, t.TABLE_COMMENT AS comment, v.IS_UPDATABLE AS viewUpdatable,
         t.ENGINE AS engine
  FROM information_schema.TABLES t
  LEFT JOIN information_schema.VIEWS v ON v.TABLE_SCHEMA = t.TABLE_SCHEMA AND v.TABLE_NAME = t.TABLE_NAME
  WHERE t.TABLE_SCHEMA = ? AND t.TABLE_TYPE IN ('BASE TABLE', 'VIEW', 'SYSTEM VERSIONED')`;

/**
 * One page of tables and views after `afterName`, in binary name order: information_schema's own collation is
 * case-insensitive, and `Tbl` and `tbl` are two tables that a cursor must not confuse.
 */
export const listTables = tablePages(
  (database, afterName, rows) => ({
    sql: `${TABLES_SQL} AND BINARY t.TABLE_NAME > BINARY ? ORDER BY BINARY t.TABLE_NAME LIMIT ${rows}`,
    params: [database, afterName ?? ''],
  }),
  toSummary,
);

interface ColumnRow {
  name: string;
  sqlType: string;
  columnType: string;
  isNullable: string;
  columnDefault: string | null;
  extra: string | null;
  isGenerated: string | null;
  generationExpression: string | null;
  maxLength: string | number | null;
  maxBytes: string | number | null;
  numericScale: string | number | null;
  datetimePrecision: string | number | null;
  collation: string | null;
  privileges: string | null;
  comment: string | null;
}

interface KeyRow {
  indexName: string;
  columnName: string | null;
  nonUnique: string | number;
}

/** What information_schema.COLUMNS says of a column's default. */
export interface DefaultFacts {
  /** COLUMN_DEFAULT as the server prints it. */
  readonly columnDefault: string | null;
  /** EXTRA (MySQL 8 marks expression defaults there). */
  readonly extra: string | null;
  /** DATA_TYPE. */
  readonly sqlType: string;
}

/** A bit literal as both servers print a BIT column's default: `b'1'`. */
const BIT_LITERAL = /^b'([01]*)'$/;

/** A number as MariaDB prints a numeric literal default (`5`, `-1.50`, `1000`, `1e30`). */
const NUMBER_LITERAL = /^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i;

/**
 * The default of a column as a value, or null when it has none, defaults to NULL, or defaults to an expression
 * (`DEFAULT CURRENT_TIMESTAMP`, `DEFAULT (UUID())`, `DEFAULT (1+1)`): an expression's value is known only when a row
 * is inserted, so it is no `defaultValue` (the column is still defaulted on create).
 *
 * - MariaDB ≥ 10.2.7 quotes literal defaults to tell them from expressions ("Literals are quoted to distinguish them
 *   from expressions. NULL means that the column has no default": MariaDB KB, "Information Schema COLUMNS Table");
 *   a numeric literal is printed unquoted, a NULL default as the text NULL.
 * - MySQL 8 prints literals unquoted and marks an expression default with `DEFAULT_GENERATED` in EXTRA ("DEFAULT_GENERATED
 *   for columns that have an expression default value": MySQL 8.0 Reference Manual, "The INFORMATION_SCHEMA COLUMNS
 *   Table", EXTRA). `CURRENT_TIMESTAMP` of a DATETIME/TIMESTAMP column is an expression on every version.
 */
export function literalDefault(facts: DefaultFacts, isMariaDb: boolean): string | null {
  const raw = facts.columnDefault;
  if (raw === null) return null;
  if (isMariaDb) {
    if (raw === 'NULL') return null;
    const quoted = /^'(.*)'$/s.exec(raw);
    if (quoted) return unescapeStringLiteral(quoted[1]!);
    return NUMBER_LITERAL.test(raw) || BIT_LITERAL.test(raw) ? raw : null;
  }
  if (/\bDEFAULT_GENERATED\b/i.test(facts.extra ?? '')) return null;
  const temporal = /^(?:datetime|timestamp)$/i.test(facts.sqlType);
  if (temporal && /^(?:current_timestamp|now|localtime|localtimestamp)(?:\(\d*\))?$/i.test(raw)) return null;
  return raw;
}

/** MySQL's backslash escapes of a string literal ("String Literals", Table 11.1); `\%` and `\_` keep the backslash. */
const ESCAPED: Readonly<Record<string, string>> = { '0': '\0', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a' };

/**
 * The value of a quoted literal as MariaDB prints it in COLUMN_DEFAULT: a quote doubled (`'it''s'`) or escaped
 * (`\'`, TEXT columns), and a backslash before `\`, `n`, `r`, `t`, `0`, `Z` (the server escapes control
 * characters there: a newline is printed `\n`).
 */
function unescapeStringLiteral(text: string): string {
  return text.replace(/''|\\([\s\S])/g, (whole, escaped: string | undefined) => {
    if (escaped === undefined) return "'";
    if (escaped === '%' || escaped === '_') return whole;
    return ESCAPED[escaped] ?? escaped;
  });
}

/** Bits (`101`) as the big-endian bytes of a BIT(width) value, the form the driver reads it in. */
function bitBytes(bits: string, width: number): Buffer | undefined {
  if (bits.length > width) return undefined;
  const bytes = Buffer.alloc(Math.ceil(width / 8));
  let value = BigInt(`0b0${bits}`);
  for (let index = bytes.length - 1; index >= 0; index--) {
    bytes[index] = Number(value & 0xffn);
    value >>= 8n;
  }
  return bytes;
}

/**
 * A literal default (literalDefault's value) as the driver reads the column's value of a row that got it, for the
 * column's record renderer; undefined when it cannot be stated exactly:
 * - information_schema's columns are utf8mb3 on MariaDB, so a character beyond the Basic Multilingual Plane in a
 *   default is printed `?`: a text default holding `?` may not be what the rows get;
 * - BIT(n) and BINARY(n) are bytes (a BINARY value right-padded with 0x00 to n bytes: MariaDB KB, "BINARY");
 * - a spatial default is not a literal.
 */
function defaultAsRead(literal: string, column: MySqlColumn): unknown {
  const bits = BIT_LITERAL.exec(literal);
  switch (column.kind) {
    case 'integer':
    case 'decimal':
    case 'year':
      return NUMBER_LITERAL.test(literal) ? literal : undefined;
    case 'float':
    case 'double':
    case 'boolean-int':
      return NUMBER_LITERAL.test(literal) ? Number(literal) : undefined;
    case 'boolean-bit':
      return bits ? bitBytes(bits[1]!, 1) : undefined;
    case 'bytes': {
      // A BIT(n) default is stated as no value (as before: its bytes are not a value a user types).
      if (column.sqlType === 'bit') return undefined;
      if (bits || literal.includes('?')) return undefined;
      const bytes = Buffer.from(literal, 'utf8');
      const size = column.maxBytes ?? null;
      if (column.sqlType !== 'binary' || size === null) return bytes;
      return bytes.length > size ? undefined : Buffer.concat([bytes, Buffer.alloc(size - bytes.length)]);
    }
    case 'spatial':
      return undefined;
    case 'string':
    case 'json':
      return bits || literal.includes('?') ? undefined : literal;
    default:
      return bits ? undefined : literal;
  }
}

/**
 * The defaultValue of a column with this literal default, in record form: rendered by the renderer QueryData uses
 * for the column (a Boolean column's `1` or `b'1'` is `true`, a DATETIME's `2024-01-02 03:04:05` is
 * `2024-01-02T03:04:05Z`, a DOUBLE's `1e30` is `1e+30`, a ZEROFILL `00042` is `42`, bytes are base64).
 */
export function defaultAsShown(literal: string | null, column: MySqlColumn): string | null {
  if (literal === null) return null;
  return renderedDefault(defaultAsRead(literal, column), rendererFor(column));
}

async function isMariaDbServer(runner: SqlRunner, timeoutMs: number): Promise<boolean> {
  const rows = await runner.execute<{ version: string }[]>('SELECT VERSION() AS version', [], { timeoutMs });
  return /mariadb/i.test(rows[0]?.version ?? '');
}

/**
 * The SRID each spatial column is restricted to (absent: none). MySQL 8 keeps it in ST_GEOMETRY_COLUMNS.SRS_ID
 * ("SRS_ID: The spatial reference system ID", NULL for a column without an SRID attribute: MySQL 8.0 Reference
 * Manual, "The INFORMATION_SCHEMA ST_GEOMETRY_COLUMNS Table"); MariaDB in GEOMETRY_COLUMNS.SRID, 0 when the column
 * declares no REF_SYSTEM_ID (MariaDB KB, "Information Schema GEOMETRY_COLUMNS Table").
 */
async function readSpatialReferenceIds(
  runner: SqlRunner,
  database: string,
  tableName: string,
  columnRows: readonly ColumnRow[],
  mariaDb: boolean,
  timeoutMs: number,
): Promise<Map<string, number>> {
  const srids = new Map<string, number>();
  if (!columnRows.some((row) => classifyColumn({ ...row, isJson: false }).kind === 'spatial')) return srids;
  const rows = await runner.execute<{ name: string; srid: string | number | null }[]>(
    mariaDb
      ? `SELECT G_GEOMETRY_COLUMN AS name, SRID AS srid FROM information_schema.GEOMETRY_COLUMNS
         WHERE G_TABLE_SCHEMA = ? AND G_TABLE_NAME = ?`
      : `SELECT COLUMN_NAME AS name, SRS_ID AS srid FROM information_schema.ST_GEOMETRY_COLUMNS
         WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`,
    [database, tableName],
    { timeoutMs },
  );
  for (const row of rows) {
    if (row.srid === null || (mariaDb && Number(row.srid) === 0)) continue;
    srids.set(row.name, Number(row.srid));
  }
  return srids;
}

/**
 * The columns a user reaches through column privileges (`GRANT SELECT (id, name) ON t`): information_schema.COLUMNS
 * lists the columns the user holds any privilege on, with PRIVILEGES (`select,insert,update,references`). QueryData
 * selects every described field, so a user who may read some columns is described with those; a user who may read
 * none (a write-only grant) with the columns it may write. With table privileges every column is both.
 */
function visibleColumns(rows: readonly ColumnRow[]): ColumnRow[] {
  const readable = rows.filter((row) => row.privileges === null || /\bselect\b/i.test(row.privileges));
  return readable.length > 0 ? readable : [...rows];
}

/**
 * True for storage engines whose unique indexes do not make a row unique over the whole table. MRG_MyISAM (MERGE)
 * enforces each index per underlying table only. (A partitioned table's unique keys must include every partitioning
 * column, so they are unique over all partitions: MySQL 8.0 Reference Manual, "Partitioning Keys, Primary Keys, and
 * Unique Keys"; MariaDB KB, "Partitioning Limitations".)
 */
export function keysNotUniqueOverTable(engine: string | null): boolean {
  return engine !== null && /^mrg_myisam$/i.test(engine);
}

/** Reads one table or view of `database`; ResourceNotFoundError when there is none of that name. */
export async function readTableMeta(
  runner: SqlRunner,
  database: string,
  tableName: string,
  timeoutMs: number,
): Promise<MySqlTableMeta> {
  if (identifierProblem(tableName) !== null) throw notATable(tableName, 'database');
  const tableRows = await runner.execute<TableRow[]>(`${TABLES_SQL} AND t.TABLE_NAME = ?`, [database, tableName], {
    timeoutMs,
  });
  // information_schema compares names case-insensitively on some servers: insist on the exact name.
  const tableRow = tableRows.find((row) => row.name === tableName);
  if (!tableRow) throw notATable(tableName, 'database');
  const summary = toSummary(tableRow);
  const mariaDb = await isMariaDbServer(runner, timeoutMs);

  // IS_GENERATED is MariaDB's (MDEV-9255); MySQL 8's COLUMNS has none ("… COLUMN_COMMENT, GENERATION_EXPRESSION,
  // SRS_ID": MySQL 8.0 Reference Manual, "The INFORMATION_SCHEMA COLUMNS Table") and marks generated columns
  // "VIRTUAL GENERATED" / "STORED GENERATED" in EXTRA, which is read as well.
  const generatedColumn = mariaDb ? 'IS_GENERATED' : 'NULL';
  const allColumnRows = await runner.execute<ColumnRow[]>(
    `SELECT COLUMN_NAME AS name, DATA_TYPE AS sqlType, COLUMN_TYPE AS columnType, IS_NULLABLE AS isNullable,
            COLUMN_DEFAULT AS columnDefault, EXTRA AS extra, ${generatedColumn} AS isGenerated,
            GENERATION_EXPRESSION AS generationExpression,
            CHARACTER_MAXIMUM_LENGTH AS maxLength,
            CHARACTER_OCTET_LENGTH AS maxBytes, NUMERIC_SCALE AS numericScale, DATETIME_PRECISION AS datetimePrecision, COLLATION_NAME AS collation,
            PRIVILEGES AS privileges, COLUMN_COMMENT AS comment
     FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
    [database, tableName],
    { timeoutMs },
  );
  const columnRows = visibleColumns(allColumnRows);
  const keyRows = await runner.execute<KeyRow[]>(
    `SELECT INDEX_NAME AS indexName, COLUMN_NAME AS columnName, NON_UNIQUE AS nonUnique
     FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND NON_UNIQUE = 0
     ORDER BY INDEX_NAME = 'PRIMARY' DESC, INDEX_NAME, SEQ_IN_INDEX`,
    [database, tableName],
    { timeoutMs },
  );
  // MariaDB's JSON is LONGTEXT with a json_valid() check constraint named after the column.
  const jsonColumns = new Set<string>();
  if (mariaDb) {
    const checks = await runner.execute<{ clause: string }[]>(
      `SELECT CHECK_CLAUSE AS clause FROM information_schema.CHECK_CONSTRAINTS
       WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ? AND LEVEL = 'Column'`,
      [database, tableName],
      { timeoutMs },
    );
    for (const { clause } of checks) {
      const match = /^json_valid\(`((?:[^`]|``)+)`\)$/i.exec(clause.trim());
      if (match) jsonColumns.add(match[1]!.replaceAll('``', '`'));
    }
  }

  // A system-versioned table's explicit ROW START / ROW END columns are generated ("ROW START", "ROW END"); MariaDB
  // appends the ROW END column to every unique key, where it only separates current rows from history. The keys
  // of the current rows (what reads page by and writes identify rows by) are the keys without it.
  const periodColumns = new Set(
    tableRow.tableType === 'SYSTEM VERSIONED'
      ? columnRows.filter((row) => /^ROW (START|END)$/i.test(row.generationExpression ?? '')).map((row) => row.name)
      : [],
  );
  const columnNames = new Set(columnRows.map((row) => row.name));
  const indexes = new Map<string, string[]>();
  // Indexes that cannot serve as a key here: MySQL 8 functional key parts (no column name), and keys with a column
  // this user cannot see.
  const unusable = new Set<string>();
  for (const row of keyRows) {
    if (row.columnName === null) {
      unusable.add(row.indexName);
      continue;
    }
    if (periodColumns.has(row.columnName)) continue;
    if (!columnNames.has(row.columnName)) {
      unusable.add(row.indexName);
      continue;
    }
    const columns = indexes.get(row.indexName) ?? [];
    columns.push(row.columnName);
    indexes.set(row.indexName, columns);
  }
  // A MERGE table's indexes are its underlying MyISAM tables' indexes, each unique within one table only: the same
  // "unique" id can be in several of them ("MERGE tables cannot maintain uniqueness constraints over the entire
  // table": MySQL 8.0 Reference Manual, "The MERGE Storage Engine" / "MERGE Table Problems"; MariaDB KB, "MERGE").
  // Such a table has no key: reads page by offset with the total-order tie-breakers. Its key lookups also stop at the
  // first underlying table holding the value (`WHERE id = 7` finds one of two rows, `DELETE … WHERE id = 7` removes
  // one), so reads do not use its indexes, and rows cannot be named for UPDATE, DELETE or UPSERT: it takes INSERT only.
  const mergeTable = keysNotUniqueOverTable(tableRow.engine);
  if (mergeTable) indexes.clear();
  const srids = await readSpatialReferenceIds(runner, database, tableName, columnRows, mariaDb, timeoutMs);
  const nullable = new Set(columnRows.filter((row) => row.isNullable === 'YES').map((row) => row.name));
  // A view has no keys of its own; one that shows its single base table's AUTO_INCREMENT primary key as a plain column
  // has that column as its key, generated by the server (viewKeys.ts), so DescribeEntity and INSERT's recordId agree.
  const viewKey =
    summary.isView && summary.writable ? await viewGeneratedKey(runner, database, tableName, timeoutMs) : null;
  const generatedViewKey = viewKey !== null && columnNames.has(viewKey) ? viewKey : null;
  const primaryKey =
    generatedViewKey !== null ? [generatedViewKey] : unusable.has('PRIMARY') ? [] : (indexes.get('PRIMARY') ?? []);
  const uniqueKeys = [...indexes.entries()]
    .filter(
      ([name, columns]) =>
        name !== 'PRIMARY' && !unusable.has(name) && columns.every((column) => !nullable.has(column)),
    )
    .map(([, columns]) => columns);
  const primarySet = new Set(primaryKey);
  const uniqueSet = new Set(uniqueKeys.flat());

  const columns: MySqlColumnMeta[] = columnRows.map((row) => {
    const extra = (row.extra ?? '').toLowerCase();
    const generated =
      (row.isGenerated ?? 'NEVER') !== 'NEVER' || /\b(virtual|stored|persistent) generated\b/.test(extra);
    const autoIncrement = extra.includes('auto_increment') || row.name === generatedViewKey;
    const isJson = jsonColumns.has(row.name);
    const { dataType, kind } = classifyColumn({ sqlType: row.sqlType, columnType: row.columnType, isJson });
    const isNullable = row.isNullable === 'YES';
    const column: MySqlColumn = {
      name: row.name,
      sqlType: row.sqlType.toLowerCase(),
      columnType: isJson ? 'json' : row.columnType,
      unsigned: /unsigned/i.test(row.columnType),
      nullable: isNullable,
      defaultValue: null,
      defaultedOnCreate: generated || autoIncrement || isNullable || row.columnDefault !== null,
      autoIncrement,
      generated,
      maxLength: row.maxLength === null ? null : Number(row.maxLength),
      maxBytes: row.maxBytes === null ? null : Number(row.maxBytes),
      numericScale: row.numericScale === null ? null : Number(row.numericScale),
      timePrecision: row.datetimePrecision === null ? null : Number(row.datetimePrecision),
      collation: row.collation,
      srid: srids.get(row.name) ?? null,
      enumValues: row.sqlType.toLowerCase() === 'enum' ? parseEnumValues(row.columnType) : null,
      comment: row.comment ? row.comment : null,
      dataType,
      kind,
      primaryKey: primarySet.has(row.name),
      uniqueKey: uniqueSet.has(row.name),
    };
    const defaultValue = generated ? null : defaultAsShown(literalDefault(row, mariaDb), column);
    return withNeutralFacts({ ...column, defaultValue });
  });

  return {
    name: tableRow.name,
    namespace: database,
    ...tableFacts(
      {
        isView: summary.isView,
        // MySQL's views are updatable or not as a whole (information_schema.VIEWS.IS_UPDATABLE).
        insertable: summary.writable,
        updatable: summary.writable && !mergeTable,
        comment: summary.comment,
      },
      columns,
      primaryKey,
      uniqueKeys,
    ),
    indexLookupsMissRows: mergeTable,
  };
}

/** The MySQL catalog: information_schema of the configured database. */
export const mysqlCatalog: Catalog = {
  namespaceOf: (settings: ConnectionSettings) => settings.database,
  // The server's rules for names (at most 64 characters of the Basic Multilingual Plane, no NUL, no trailing space):
  // https://mariadb.com/kb/en/identifier-names/ and MySQL 8.0 manual, 11.2.1 "Identifier Length Limits".
  tableNameProblem: identifierProblem,
  listTables,
  describeTable: readTableMeta,
};
