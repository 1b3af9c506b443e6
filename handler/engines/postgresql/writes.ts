/**
 * The statements of WriteData on PostgreSQL. Identifiers come from the table's metadata (checked names), quoted
 * and qualified by the schema; every value is a bound parameter, left untyped so the server reads it as the target
 * column's own type (a multi-row VALUES list of an INSERT takes the target columns' types).
 *
 * - INSERT: one multi-row `INSERT INTO s.t (cols) VALUES (…), (…)`, `RETURNING` the generated column when asked,
 *   one row per record in VALUES order. Records that name no column: `DEFAULT VALUES` (see insertRows).
 * - UPSERT: the same with `ON CONFLICT (key cols) DO UPDATE SET c = EXCLUDED.c` for the record's non-key fields
 *   only, so absent columns keep their values. The key must be the primary key or a unique key the catalog found
 *   usable (all NOT NULL, not partial, not deferrable): ON CONFLICT needs an arbiter index on exactly those
 *   columns. A collision on any OTHER unique key is not handled by that clause: it fails the record (23505),
 *   never updating another row. A record with key fields only sets the first key column to itself, so the row is
 *   locked and counted like any other upsert.
 * - UPDATE / DELETE / exists: `WHERE k1 = $n AND …` on the id columns of `ONLY s.t` (an ordinary table: never a
 *   row of an INHERITS child); UPDATE counts the rows it matched, whether or not their values changed (PostgreSQL's
 *   row count).
 * - INSERT reports the rows written (its row count, or the RETURNING rows), so that a row a trigger or rule
 *   skipped is never reported written (handler/write/units.ts).
 * - Every table rolls back (PostgreSQL has no non-transactional storage); a view PostgreSQL can write is
 *   automatically updatable or has rules/INSTEAD OF triggers, all inside the transaction. Foreign tables are the
 *   exception: what their server does on rollback is not known here.
 * - Per-record isolation: after any error a PostgreSQL transaction refuses every statement until it is rolled back,
 *   so work that may fail runs inside a SAVEPOINT (the connection's lease offers them: connection.ts).
 */
import { isUpsertKey } from '../../catalog/upsertKeys';
import { InvalidArgumentError } from '../../errors';
import type {
  ColumnMeta,
  InsertRequest,
  RowRequest,
  SqlParam,
  SqlRunner,
  Statement,
  TableMeta,
  WriteStatements,
  WriteTargetFacts,
} from '../engine';
import type { PgColumnMeta, PgTableMeta } from './catalog';
import { operator, qualifiedName, quoteIdentifier } from './dialect';

/**
 * `after`: AFTER triggers on the target. `skips`: the server may skip a row without an error — a row-level BEFORE
 * or INSTEAD OF trigger (tgtype bit 1 ROW, 2 BEFORE, 64 INSTEAD) that returns NULL, or a rule other than a view's
 * SELECT rule (ev_type '1'), e.g. DO INSTEAD NOTHING — on the target or, for a partitioned table, any partition
 * (pg_partition_tree lists a partitioned table's partitions; nothing for a view).
 */
export interface PgWriteFacts extends WriteTargetFacts {
  /** The target's DEFERRABLE unique, primary key and exclusion constraints (names), checked at COMMIT. */
  readonly deferredKeys: readonly string[];
}

async function readTargetFacts(runner: SqlRunner, table: TableMeta, timeoutMs: number): Promise<PgWriteFacts> {
  const rows = await runner.execute<{ after: boolean; skips: boolean; deferred: string | null }[]>(
    `WITH reached AS (SELECT $1::oid AS relid
                     UNION SELECT relid FROM pg_catalog.pg_partition_tree($1::oid::pg_catalog.regclass))
     SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger t
                    WHERE t.tgrelid = $1::oid AND NOT t.tgisinternal AND t.tgenabled <> 'D'
                      AND (t.tgtype & 66) = 0) AS after,
            EXISTS (SELECT 1 FROM pg_catalog.pg_trigger t
                    WHERE t.tgrelid IN (SELECT relid FROM reached)
                      AND NOT t.tgisinternal AND t.tgenabled <> 'D'
                      AND (t.tgtype & 1) = 1 AND (t.tgtype & 66) <> 0)
            OR EXISTS (SELECT 1 FROM pg_catalog.pg_rewrite r
                       WHERE r.ev_class IN (SELECT relid FROM reached)
                         AND r.ev_type <> '1') AS skips,
            (SELECT pg_catalog.json_agg(c.conname::text)::text FROM pg_catalog.pg_constraint c
             WHERE c.conrelid = $1::oid AND c.condeferrable AND c.contype IN ('u', 'p', 'x')) AS deferred`,
    [(table as PgTableMeta).oid],
    { timeoutMs },
  );
  return {
    transactional: (table as PgTableMeta).relationKind !== 'f',
    afterTriggers: rows[0]?.after ?? null,
    multiRowGeneratedIds: true,
    maySkipRows: rows[0]?.skips ?? true,
    deferredKeys: rows[0]?.deferred ? (JSON.parse(rows[0].deferred) as string[]) : [],
  };
}

/**
 * The target of an UPDATE, DELETE or exists: `ONLY s.t` for an ordinary table, so a parent with INHERITS children
 * changes its own rows only, never a child's row that has the same key (the parent's keys do not cover its
 * children). A partitioned table's partitions hold its own rows: no ONLY there (it would match nothing).
 */
function rowTarget(table: TableMeta): string {
  return (table as PgTableMeta).relationKind === 'r' ? `ONLY ${qualifiedName(table)}` : qualifiedName(table);
}

/**
 * The rows of an INSERT. Records that name no column (`{}`, or only an identity id as null) get every column's
 * default: PostgreSQL has no `() VALUES ()` (MySQL's form, a syntax error here), so one such row is
 * `DEFAULT VALUES` and several are a zero-column SELECT of that many rows (an INSERT without a column list fills the
 * columns its query lacks with their defaults, in the query's row order like VALUES).
 *
 * Several rows go as one array per column, `SELECT … FROM ROWS FROM (unnest($1::t1[]), unnest($2::t2[]), …) WITH
 * ORDINALITY … ORDER BY` the ordinality, when every column's type has an array type (columns.ts, arrayOfOwnType)
 * (the arrays all hold one element per row, so the functions' rows pair up in order): the server parses and
 * plans a statement of `columns` parameters instead of `rows × columns` (a 1,000-row batch of 13 columns: about a
 * third of the time of the VALUES form, measured with pg on PostgreSQL 15). The rows come in the same order as
 * VALUES, and each value reaches its column the same way: read by its type's input function with no type modifier
 * (the arrays are cast to the column's own type, its domain included, with none), then stored with the column's
 * modifier by the same assignment as a VALUES parameter (a too-long varchar or a bit string of the wrong length is
 * the same error). Array and composite columns keep VALUES (unnest would flatten their values, or spread their
 * fields into columns).
 */
function insertRows(request: InsertRequest): Statement {
  const { columns, rows, table, params } = request;
  const target = qualifiedName(table);
  if (columns.length === 0) {
    return rows === 1
      ? { sql: `INSERT INTO ${target} DEFAULT VALUES`, params }
      : { sql: `INSERT INTO ${target} SELECT FROM pg_catalog.generate_series(1, ${rows})`, params };
  }
  const names = columns.map((column) => quoteIdentifier(column.name)).join(', ');
  const arrayTypes = columns.map((column) => (column as PgColumnMeta).arrayOfOwnType);
  if (rows > 1 && arrayTypes.every((type) => type !== null)) {
    const width = columns.length;
    const arrays: SqlParam[][] = arrayTypes.map(() => new Array<SqlParam>(rows));
    for (let row = 0; row < rows; row++) {
      for (let column = 0; column < width; column++) arrays[column]![row] = params[row * width + column]!;
    }
    const cells = columns.map((_, index) => `v${index + 1}`);
    const sql =
      `INSERT INTO ${target} (${names}) SELECT ${cells.map((cell) => `v.${cell}`).join(', ')} ` +
      `FROM ROWS FROM (${arrayTypes.map((type, index) => `pg_catalog.unnest($${index + 1}::${type})`).join(', ')}) ` +
      `WITH ORDINALITY AS v(${cells.join(', ')}, n) ORDER BY v.n`;
    // pg binds a JavaScript array as an array literal, every element quoted and escaped (pg/lib/utils.js,
    // arrayString): still one bound parameter per column, never SQL text.
    return { sql, params: arrays as unknown as SqlParam[] };
  }
  let position = 0;
  const values: string[] = [];
  for (let row = 0; row < rows; row++) {
    values.push(`(${columns.map(() => `$${++position}`).join(', ')})`);
  }
  return { sql: `INSERT INTO ${target} (${names}) VALUES ${values.join(', ')}`, params };
}

/** The INSERT (or upsert) of `rows` rows of `columns`, returning the generated column when asked. */
export function insertStatement(request: InsertRequest): Statement {
  const { columns, table } = request;
  const rows = insertRows(request);
  let sql = rows.sql;
  if (request.upsertKey) {
    const key = request.upsertKey.map((column) => column.name);
    if (!isUpsertKey(table, key)) {
      throw new InvalidArgumentError(
        `UPSERT needs id fields that are the primary key or a unique key of "${table.name.slice(0, 128)}" (all NOT NULL, not partial, not deferrable); ${key.map((name) => `"${name.slice(0, 64)}"`).join(', ')} is neither`,
      );
    }
    const keyNames = new Set(key);
    const assignments = columns
      .filter((column) => !keyNames.has(column.name))
      .map((column) => `${quoteIdentifier(column.name)} = EXCLUDED.${quoteIdentifier(column.name)}`);
    if (assignments.length === 0) {
      const first = quoteIdentifier(key[0]!);
      assignments.push(`${first} = EXCLUDED.${first}`);
    }
    sql += ` ON CONFLICT (${key.map(quoteIdentifier).join(', ')}) DO UPDATE SET ${assignments.join(', ')}`;
  }
  if (request.generated) sql += ` RETURNING (${quoteIdentifier(request.generated.name)})::text`;
  return { sql, params: rows.params };
}

/** Ids compare by their type's own `=` (citext's is case-insensitive, like its unique index that UPSERT uses). */
function whereIds(idColumns: readonly ColumnMeta[], firstPosition: number): string {
  return idColumns
    .map(
      (column, index) =>
        `${quoteIdentifier(column.name)} ${operator('=', column as PgColumnMeta)} $${firstPosition + index}`,
    )
    .join(' AND ');
}

export const postgresqlWrites: WriteStatements = {
  reportsAbsentIds: true,
  readTargetFacts,

  async insert(runner, request, _facts, timeoutMs) {
    const { sql, params } = insertStatement(request);
    if (request.generated === null) {
      const header = await runner.write(sql, params, { timeoutMs });
      return { generated: null, written: header.affectedRows };
    }
    const rows = await runner.execute<unknown[][]>(sql, params, { timeoutMs, rowsAsArray: true });
    // A NULL (nothing filled the column in) is no id: '' leaves the recordId out.
    return { generated: rows.map((row) => (row[0] === null ? '' : String(row[0]))), written: rows.length };
  },

  async update(runner, row: RowRequest, columns, params, timeoutMs) {
    const assignments = columns.map((column, index) => `${quoteIdentifier(column.name)} = $${index + 1}`);
    const header = await runner.write(
      `UPDATE ${rowTarget(row.table)} SET ${assignments.join(', ')} WHERE ${whereIds(row.idColumns, columns.length + 1)}`,
      [...params, ...row.idParams],
      { timeoutMs },
    );
    return header.affectedRows;
  },

  async delete(runner, row, timeoutMs) {
    const header = await runner.write(
      `DELETE FROM ${rowTarget(row.table)} WHERE ${whereIds(row.idColumns, 1)}`,
      row.idParams,
      { timeoutMs },
    );
    return header.affectedRows;
  },

  async exists(runner, row, timeoutMs) {
    const rows = await runner.execute<unknown[]>(
      `SELECT 1 FROM ${rowTarget(row.table)} WHERE ${whereIds(row.idColumns, 1)} LIMIT 1`,
      row.idParams,
      { timeoutMs },
    );
    return rows.length > 0;
  },

  /**
   * `SET CONSTRAINTS s.k1, s.k2 IMMEDIATE`: the deferred key checks run now (PostgreSQL manual, SET CONSTRAINTS:
   * "When SET CONSTRAINTS changes the mode of a constraint from DEFERRED to IMMEDIATE, the new mode takes effect
   * retroactively: any outstanding data modifications that would have been checked at the end of the transaction
   * are instead checked during the execution of the SET CONSTRAINTS command"). Only the target's keys: deferred
   * constraint triggers and foreign keys keep their time.
   */
  async checkDeferred(runner, table, facts, timeoutMs) {
    const keys = (facts as PgWriteFacts).deferredKeys;
    if (keys.length === 0) return;
    const schema = quoteIdentifier((table as PgTableMeta).schema);
    await runner.execute(
      `SET CONSTRAINTS ${keys.map((key) => `${schema}.${quoteIdentifier(key)}`).join(', ')} IMMEDIATE`,
      [],
      {
        timeoutMs,
      },
    );
  },
};
