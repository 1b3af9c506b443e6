/**
 * Tables, views and columns of ONE PostgreSQL schema, read from pg_catalog. Names are exact (`Employees` is not
 * `employees`) and always bound as parameters; nothing of another schema is ever listed or described.
 *
 * Lists page by name in binary ("C") order, so `Tbl` and `tbl` are two entries a cursor never confuses, whatever
 * the database's collation. Listed: ordinary and partitioned tables, views, materialized views and foreign tables
 * the user holds a table privilege or a column privilege on (as information_schema.tables shows them); partitions of a partitioned table
 * are left out (they are reached through their parent).
 *
 * Writability is pg_relation_is_updatable, the function behind information_schema's is_insertable_into and
 * is_updatable: a simple view can be written, a view with a join cannot (unless a rule or trigger makes it so), a
 * materialized view never.
 */

import type { SqlRunner, TableMeta, TableSummary } from '../engine';
import { tableFacts } from '../tableFacts';
import { notATable, tablePages } from '../tablePages';
import { neutralFacts, type PgColumnMeta } from './columns';
import { defaultAsShown, isNullDefault } from './defaults';
import { classifyPgType, type PgValueColumn, type PgValueKind } from './values';

export type { PgColumnMeta } from './columns';

/** A listed table or view; `writable` = rows can be inserted or updated. */
export interface PgTableSummary extends TableSummary {
  /** pg_class.relkind: r table, p partitioned table, v view, m materialized view, f foreign table. */
  readonly relationKind: string;
  readonly insertable: boolean;
  readonly updatable: boolean;
}

/**
 * TableMeta with PostgreSQL's own facts. `uniqueKeys` are the unique indexes and constraints, other than the primary
 * key, whose key columns are all NOT NULL and that can arbitrate ON CONFLICT: not partial, no expressions, not
 * deferrable; key columns only (INCLUDE columns are not).
 */
export interface PgTableMeta extends TableMeta {
  /** The schema (= `namespace`). */
  readonly schema: string;
  readonly oid: number;
  readonly relationKind: string;
  readonly columns: readonly PgColumnMeta[];
  readonly columnsByName: ReadonlyMap<string, PgColumnMeta>;
  /**
   * The keys an UPSERT can name (`ON CONFLICT (key)`): the primary key unless it is DEFERRABLE, and uniqueKeys.
   * Read through handler/catalog/upsertKeys.ts.
   */
  readonly upsertKeys: readonly (readonly string[])[];
}

const LISTED_KINDS = ['r', 'p', 'v', 'm', 'f'];

interface TableRow {
  oid: number;
  name: string;
  kind: string;
  comment: string | null;
  updatability: number;
}

/** pg_relation_is_updatable's bit mask: 8 INSERT, 4 UPDATE, 16 DELETE. */
function toSummary(row: TableRow): PgTableSummary {
  const insertable = (row.updatability & 8) === 8;
  const updatable = (row.updatability & 20) === 20;
  return {
    name: row.name,
    isView: row.kind === 'v' || row.kind === 'm',
    writable: insertable || updatable,
    comment: row.comment,
    relationKind: row.kind,
    insertable,
    updatable,
  };
}

const TABLES_SQL = `
  SELECT c.oid, c.relname::text AS name, c.relkind::text AS kind,
         obj_description(c.oid, 'pg_class') AS comment,
         pg_relation_is_updatable(c.oid::regclass, false) AS updatability
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = $1
    AND c.relkind = ANY ($2::"char"[])
    AND NOT c.relispartition
    AND (has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE')
         OR has_any_column_privilege(c.oid, 'SELECT, INSERT, UPDATE'))`;

/** One page of tables and views of `schema` after `afterName`, in binary name order. */
export const listTables = tablePages(
  (schema, afterName, rows) => ({
    sql: `${TABLES_SQL} AND ($3::text IS NULL OR c.relname::text COLLATE "C" > $3::text COLLATE "C")
     ORDER BY c.relname::text COLLATE "C" LIMIT $4`,
    params: [schema, `{${LISTED_KINDS.join(',')}}`, afterName, rows],
  }),
  toSummary,
);

interface ColumnRow {
  position: number;
  name: string;
  notNull: boolean;
  typeOid: number;
  columnType: string;
  baseName: string;
  baseType: string;
  baseCategory: string;
  baseTypmod: number;
  enumLabels: string | null;
  elementName: string | null;
  elementTypmod: number;
  elementType: string | null;
  elementCategory: string | null;
  elementDelimiter: string | null;
  elementEnumLabels: string | null;
  domainNotNull: boolean;
  defaultExpression: string | null;
  domainDefault: string | null;
  readable: boolean;
  reachable: boolean;
  collation: string | null;
  identity: string;
  generated: string;
  comment: string | null;
  btree: boolean;
  deterministic: boolean;
  typeSchema: string;
  ownTypeName: string;
  ownTypeSchema: string;
  ownTypeHasArray: boolean;
}

/**
 * The oid of the type under every domain of `typeOid` (a domain over a domain over integer → integer).
 */
function baseTypeOf(typeOid: string): string {
  return `(WITH RECURSIVE chain(oid, typtype, typbasetype) AS (
            SELECT x.oid, x.typtype, x.typbasetype FROM pg_catalog.pg_type x WHERE x.oid = ${typeOid}
            UNION ALL
            SELECT n.oid, n.typtype, n.typbasetype FROM chain c JOIN pg_catalog.pg_type n ON n.oid = c.typbasetype
            WHERE c.typtype = 'd')
          SELECT chain.oid FROM chain WHERE chain.typtype <> 'd')`;
}

/** The typmod of the nearest domain of `typeOid` (down its chain of domains) that has one, else -1. */
function domainTypmodOf(typeOid: string): string {
  return `COALESCE((WITH RECURSIVE chain(typtype, typbasetype, typtypmod, depth) AS (
            SELECT x.typtype, x.typbasetype, x.typtypmod, 0 FROM pg_catalog.pg_type x WHERE x.oid = ${typeOid}
            UNION ALL
            SELECT n.typtype, n.typbasetype, n.typtypmod, c.depth + 1
            FROM chain c JOIN pg_catalog.pg_type n ON n.oid = c.typbasetype WHERE c.typtype = 'd')
          SELECT chain.typtypmod FROM chain WHERE chain.typtype = 'd' AND chain.typtypmod <> -1
          ORDER BY chain.depth LIMIT 1), -1)`;
}

/**
 * Domains are described by their base type, through any number of domains (a domain over numeric(10,2) is
 * numeric(10,2)): the typmod of a column is the nearest domain's when the column has none; the column is NOT NULL
 * when any domain of the chain is. An INSERT that leaves the column out gets the column's default, else its type's
 * default (pg_type.typdefaultbin of the column's own type: CREATE DOMAIN copies the default of the domain it is
 * over, and the rewriter reads only the column type's own — PostgreSQL docs, "CREATE DOMAIN", DEFAULT). Enum labels
 * come in their sort order, as JSON text (this pool reads arrays as text).
 *
 * `readable` / `reachable`: the user may SELECT the column / holds any privilege on it (a table privilege covers
 * every column, a column privilege only its own).
 */
const COLUMNS_SQL = `
  SELECT a.attnum AS position, a.attname::text AS name, a.attnotnull AS "notNull", a.atttypid AS "typeOid",
         format_type(a.atttypid, a.atttypmod) AS "columnType",
         bt.typname::text AS "baseName", bt.typtype::text AS "baseType", bt.typcategory::text AS "baseCategory",
         CASE WHEN a.atttypmod <> -1 THEN a.atttypmod ELSE COALESCE(dom.typmod, -1) END AS "baseTypmod",
         (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder)::text FROM pg_catalog.pg_enum e
          WHERE e.enumtypid = bt.oid) AS "enumLabels",
         CASE WHEN a.atttypmod <> -1 THEN a.atttypmod ELSE ${domainTypmodOf('bt.typelem')} END AS "elementTypmod",
         et.typname::text AS "elementName", et.typtype::text AS "elementType",
         et.typcategory::text AS "elementCategory", et.typdelim::text AS "elementDelimiter",
         (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder)::text FROM pg_catalog.pg_enum e
          WHERE e.enumtypid = et.oid) AS "elementEnumLabels",
         COALESCE(dom."notNull", false) AS "domainNotNull",
         pg_get_expr(d.adbin, d.adrelid) AS "defaultExpression",
         CASE WHEN t.typtype = 'd' THEN pg_get_expr(t.typdefaultbin, 0) END AS "domainDefault",
         has_column_privilege(a.attrelid, a.attnum, 'SELECT') AS readable,
         has_column_privilege(a.attrelid, a.attnum, 'SELECT, INSERT, UPDATE, REFERENCES') AS reachable,
         a.attidentity::text AS identity, a.attgenerated::text AS generated,
         col_description(a.attrelid, a.attnum) AS comment,
         (bt.typtype = 'e' OR EXISTS (
           SELECT 1 FROM pg_catalog.pg_opclass oc JOIN pg_catalog.pg_am am ON am.oid = oc.opcmethod
           WHERE am.amname = 'btree' AND oc.opcdefault
             AND (oc.opcintype = bt.oid OR EXISTS (
               SELECT 1 FROM pg_catalog.pg_cast ca
               WHERE ca.castsource = bt.oid AND ca.casttarget = oc.opcintype AND ca.castmethod = 'b')))) AS btree,
         COALESCE((SELECT co.collisdeterministic FROM pg_catalog.pg_collation co WHERE co.oid = a.attcollation),
                  true) AS deterministic,
         (SELECT co.collname::text FROM pg_catalog.pg_collation co WHERE co.oid = a.attcollation) AS collation,
         (SELECT n.nspname::text FROM pg_catalog.pg_namespace n WHERE n.oid = bt.typnamespace) AS "typeSchema",
         t.typname::text AS "ownTypeName",
         (SELECT n.nspname::text FROM pg_catalog.pg_namespace n WHERE n.oid = t.typnamespace) AS "ownTypeSchema",
         (t.typarray <> 0 AND t.typcategory <> 'A' AND bt.typtype <> 'c' AND t.typdelim = ',') AS "ownTypeHasArray"
  FROM pg_catalog.pg_attribute a
  JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
  CROSS JOIN LATERAL (
    WITH RECURSIVE chain(typtype, typbasetype, typtypmod, typnotnull, depth) AS (
      SELECT t.typtype, t.typbasetype, t.typtypmod, t.typnotnull, 0
      UNION ALL
      SELECT n.typtype, n.typbasetype, n.typtypmod, n.typnotnull, c.depth + 1
      FROM chain c JOIN pg_catalog.pg_type n ON n.oid = c.typbasetype WHERE c.typtype = 'd')
    SELECT bool_or(chain.typtype = 'd' AND chain.typnotnull) AS "notNull",
           (SELECT c2.typtypmod FROM chain c2 WHERE c2.typtype = 'd' AND c2.typtypmod <> -1
            ORDER BY c2.depth LIMIT 1) AS typmod
    FROM chain) dom
  JOIN pg_catalog.pg_type bt ON bt.oid = ${baseTypeOf('t.oid')}
  LEFT JOIN pg_catalog.pg_type et ON bt.typcategory = 'A' AND et.oid = ${baseTypeOf('bt.typelem')}
  LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped
  ORDER BY a.attnum`;

interface IndexRow {
  name: string;
  primary: boolean;
  /** Key column numbers, space-separated (int2vector text); 0 marks an expression. */
  keys: string;
  keyCount: number;
  partial: boolean;
  immediate: boolean;
}

const INDEXES_SQL = `
  SELECT ic.relname::text AS name, i.indisprimary AS "primary", i.indkey::text AS keys, i.indnkeyatts AS "keyCount",
         i.indpred IS NOT NULL AS partial, i.indimmediate AS immediate
  FROM pg_catalog.pg_index i
  JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
  WHERE i.indrelid = $1 AND i.indisunique AND i.indisvalid
  ORDER BY i.indisprimary DESC, ic.relname::text COLLATE "C"`;

/** Type modifiers → precision, scale, length (the arithmetic of information_schema's _pg_* functions). */
function modifiers(
  baseName: string,
  typmod: number,
): {
  numericPrecision: number | null;
  numericScale: number | null;
  maxLength: number | null;
  timePrecision: number | null;
} {
  const none = { numericPrecision: null, numericScale: null, maxLength: null, timePrecision: null };
  switch (baseName) {
    case 'numeric': {
      if (typmod < 4) return none;
      const packed = typmod - 4;
      // The scale is an 11-bit signed number since PostgreSQL 15 (numeric(5,-2)).
      const rawScale = packed & 0x7ff;
      return {
        ...none,
        numericPrecision: (packed >> 16) & 0xffff,
        numericScale: rawScale > 1023 ? rawScale - 2048 : rawScale,
      };
    }
    case 'varchar':
    case 'bpchar':
      return { ...none, maxLength: typmod >= 4 ? typmod - 4 : null };
    case 'bit':
    case 'varbit':
      return { ...none, maxLength: typmod >= 0 ? typmod : null };
    case 'time':
    case 'timetz':
    case 'timestamp':
    case 'timestamptz':
      return { ...none, timePrecision: typmod >= 0 ? typmod : 6 };
    case 'interval': {
      // INTERVAL_TYPMOD(precision, fields): the precision in the low 16 bits, 0xFFFF (INTERVAL_FULL_PRECISION) when
      // `interval` or `interval day to second` declares none; then the server keeps microseconds (src/include/
      // utils/timestamp.h, "INTERVAL_PRECISION"; https://www.postgresql.org/docs/15/datatype-datetime.html).
      const precision = typmod & 0xffff;
      return { ...none, timePrecision: typmod < 0 || precision === 0xffff ? 6 : precision };
    }
    default:
      return none;
  }
}

function parseLabels(json: string | null): string[] | null {
  return json === null ? null : (JSON.parse(json) as string[]);
}

/** Reads one table or view of `schema`; ResourceNotFoundError when there is none of exactly that name. */
export async function describeTable(
  runner: SqlRunner,
  schema: string,
  tableName: string,
  timeoutMs: number,
): Promise<PgTableMeta> {
  const [tableRow] = await runner.execute<TableRow[]>(
    `${TABLES_SQL} AND c.relname::text = $3`,
    [schema, `{${LISTED_KINDS.join(',')}}`, tableName],
    { timeoutMs },
  );
  if (!tableRow) throw notATable(tableName, 'schema');
  const summary = toSummary(tableRow);
  const columnRows = await runner.execute<ColumnRow[]>(COLUMNS_SQL, [tableRow.oid], { timeoutMs });
  const indexRows = await runner.execute<IndexRow[]>(INDEXES_SQL, [tableRow.oid], { timeoutMs });

  // A user with column privileges only sees the columns it may read (QueryData selects every described field); a
  // user who may read no column (a write-only grant) sees the columns it may write.
  const readsAny = columnRows.some((row) => row.readable);
  const visibleRows = columnRows.filter((row) => (readsAny ? row.readable : row.reachable));
  const nameOf = new Map(visibleRows.map((row) => [row.position, row.name]));
  const notNull = new Set(visibleRows.filter((row) => row.notNull).map((row) => row.name));
  let primaryKey: string[] = [];
  let primaryKeyArbitrates = false;
  const uniqueKeys: string[][] = [];
  for (const index of indexRows) {
    const positions = index.keys.split(' ').slice(0, index.keyCount).map(Number);
    // An expression part, or a column this user cannot see, makes the index no key here.
    if (positions.some((position) => !nameOf.has(position))) continue;
    const columns = positions.map((position) => nameOf.get(position)!);
    if (index.primary) {
      primaryKey = columns;
      // ON CONFLICT cannot use a DEFERRABLE constraint (SQLSTATE 55000, "ON CONFLICT does not support deferrable
      // unique constraints/exclusion constraints as arbiters": PostgreSQL docs, "INSERT", conflict_target).
      primaryKeyArbitrates = index.immediate;
    } else if (!index.partial && index.immediate && columns.every((column) => notNull.has(column))) {
      uniqueKeys.push(columns);
    }
  }
  const primarySet = new Set(primaryKey);
  const uniqueSet = new Set(uniqueKeys.flat());

  const columns: PgColumnMeta[] = visibleRows.map((row): PgColumnMeta => {
    // Arrays whose elements are not comma-separated (box[] uses ';') are read as their text.
    const plainArray = row.baseCategory === 'A' && row.elementDelimiter === ',';
    const { kind, dataType } = classifyPgType({
      typeName: row.baseName,
      typeType: row.baseType,
      typeCategory: row.baseCategory === 'A' && !plainArray ? 'S' : row.baseCategory,
    });
    const mods = modifiers(row.baseName, row.baseTypmod);
    const nullable = !row.notNull && !row.domainNotNull;
    const identity = row.identity === 'a' ? 'always' : row.identity === 'd' ? 'by default' : null;
    const generated = row.generated === 's';
    // The column's own default, else its domain's (what an INSERT leaving the column out gets).
    const defaultExpression = row.defaultExpression ?? row.domainDefault;
    const serial = /^nextval\(/.test(row.defaultExpression ?? '');
    let element: PgValueColumn | null = null;
    if (kind === 'array' && row.elementName !== null) {
      const elementKind: PgValueKind = classifyPgType({
        typeName: row.elementName,
        typeType: row.elementType ?? 'b',
        typeCategory: row.elementCategory ?? '',
      }).kind;
      element = {
        name: row.name,
        sqlType: row.elementName,
        columnType: row.elementName,
        kind: elementKind,
        nullable: true,
        // An array column's typmod applies to its elements (numeric(10,2)[]), else the element domain's.
        ...modifiers(row.elementName, row.elementTypmod),
        enumValues: parseLabels(row.elementEnumLabels),
        element: null,
      };
    }
    const valueColumn: PgValueColumn = {
      name: row.name,
      sqlType: row.baseName,
      columnType: row.columnType,
      kind,
      nullable,
      numericPrecision: mods.numericPrecision,
      numericScale: mods.numericScale,
      timePrecision: mods.timePrecision,
      maxLength: mods.maxLength,
      enumValues: kind === 'enum' ? parseLabels(row.enumLabels) : null,
      element,
    };
    return neutralFacts({
      name: row.name,
      position: row.position,
      typeOid: row.typeOid,
      sqlType: row.baseName,
      columnType: row.columnType,
      kind,
      dataType,
      nullable,
      numericPrecision: mods.numericPrecision,
      numericScale: mods.numericScale,
      timePrecision: mods.timePrecision,
      maxLength: mods.maxLength,
      enumValues: kind === 'enum' ? parseLabels(row.enumLabels) : null,
      element,
      defaultExpression: generated ? null : defaultExpression,
      defaultValue: generated ? null : defaultAsShown(defaultExpression, valueColumn),
      defaultedOnCreate:
        generated || identity !== null || nullable || (defaultExpression !== null && !isNullDefault(defaultExpression)),
      identity,
      autoIncrement: identity !== null || serial,
      generated,
      writable: !generated && identity !== 'always',
      comment: row.comment,
      primaryKey: primarySet.has(row.name),
      uniqueKey: uniqueSet.has(row.name),
      btree: row.btree,
      deterministicCollation: row.deterministic,
      collation: row.collation,
      typeSchema: row.typeSchema,
      arrayOfOwnType: row.ownTypeHasArray ? `${quoted(row.ownTypeSchema)}.${quoted(row.ownTypeName)}[]` : null,
    });
  });

  return {
    schema,
    namespace: schema,
    name: tableRow.name,
    oid: tableRow.oid,
    relationKind: summary.relationKind,
    ...tableFacts(summary, columns, primaryKey, uniqueKeys),
    upsertKeys: primaryKeyArbitrates && primaryKey.length > 0 ? [primaryKey, ...uniqueKeys] : uniqueKeys,
  };
}

/** How many schema names a "no such schema" message lists at most. */
export const LISTED_SCHEMAS_AT_MOST = 20;

function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Why `schema` cannot be read, or null when it exists and the user may use it (USAGE). Names are exact, so a
 * misspelled or mis-cased schema (`sales` for `"Sales"`) would list nothing: the message names the schemas the user
 * can use (at most LISTED_SCHEMAS_AT_MOST, ones equal but for case first), never more.
 */
export async function schemaProblem(runner: SqlRunner, schema: string, timeoutMs: number): Promise<string | null> {
  const rows = await runner.execute<{ name: string }[]>(
    `SELECT n.nspname::text AS name FROM pg_catalog.pg_namespace n
     WHERE has_schema_privilege(n.oid, 'USAGE') AND n.nspname::text !~ '^pg_' AND n.nspname <> 'information_schema'
     ORDER BY n.nspname::text = $1 DESC, lower(n.nspname::text) = lower($1) DESC, n.nspname::text COLLATE "C"
     LIMIT $2`,
    [schema, LISTED_SCHEMAS_AT_MOST + 1],
    { timeoutMs },
  );
  if (rows[0]?.name === schema) return null;
  const names = rows.slice(0, LISTED_SCHEMAS_AT_MOST).map((row) => quoted(row.name));
  const more = rows.length > LISTED_SCHEMAS_AT_MOST ? ', and more' : '';
  const visible =
    names.length === 0 ? 'the user may use no schema' : `schemas the user may use: ${names.join(', ')}${more}`;
  return (
    `schema ${quoted(schema.slice(0, 63))} does not exist or the user may not use it (no USAGE privilege); ` +
    `names are exact (Sales is not sales); ${visible}`
  );
}
