/**
 * The statements of WriteData on PostgreSQL. Identifiers come from the table's metadata (checked names), quoted
 * and qualified by the schema; every value is a bound parameter, left untyped so the server reads it as the target
 * column's own type (a multi-row VALUES list of an INSERT takes the target columns' types).
 *
 * - INSERT: one multi-row `INSERT INTO s.t (cols) VALUES (…), (…)`, `RETURNING` the generated column when asked,
 *   one row per record in VALUES order.
 * - UPSERT: the same with `ON CONFLICT (key cols) DO UPDATE SET c = EXCLUDED.c` for the record's non-key fields
 *   only, so absent columns keep their values. The key must be the primary key or a unique key the catalog found
 *   usable (all NOT NULL, not partial, not deferrable): ON CONFLICT needs an arbiter index on exactly those
 *   columns. A collision on any OTHER unique key is not handled by that clause: it fails the record (23505),
 *   never updating another row. A record with key fields only sets the first key column to itself, so the row is
 *   locked and counted like any other upsert.
 * - UPDATE / DELETE / exists: `WHERE k1 = $n AND …` on the id columns; UPDATE counts the rows it matched, whether or
 *   not their values changed (PostgreSQL's row count).
 * - Every table rolls back (PostgreSQL has no non-transactional storage); a view PostgreSQL can write is
 *   automatically updatable or has rules/INSTEAD OF triggers, all inside the transaction. Foreign tables are the
 *   exception: what their server does on rollback is not known here.
 * - `isolated`: after any error a PostgreSQL transaction refuses every statement until it is rolled back, so work
 *   that may fail runs inside a SAVEPOINT: released when it succeeds, rolled back to when it throws.
 */
import { InvalidArgumentError } from '../../errors';
import type {
  ColumnMeta,
  InsertRequest,
  RowRequest,
  SqlRunner,
  TableMeta,
  WriteStatements,
  WriteTargetFacts,
} from '../engine';
import type { PgColumnMeta, PgTableMeta } from './catalog';
import { operator, qualifiedName, quoteIdentifier } from './dialect';

interface ResultHeader {
  readonly affectedRows: number;
}

async function readTargetFacts(runner: SqlRunner, table: TableMeta, timeoutMs: number): Promise<WriteTargetFacts> {
  const rows = await runner.execute<{ after: boolean }[]>(
    `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger t
                    WHERE t.tgrelid = $1::oid AND NOT t.tgisinternal AND t.tgenabled <> 'D'
                      AND (t.tgtype & 66) = 0) AS after`,
    [(table as PgTableMeta).oid],
    { timeoutMs },
  );
  return {
    transactional: (table as PgTableMeta).relationKind !== 'f',
    afterTriggers: rows[0]?.after ?? null,
    multiRowGeneratedIds: true,
  };
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name) => b.includes(name));
}

/** The INSERT (or upsert) of `rows` rows of `columns`, returning the generated column when asked. */
export function insertSql(request: InsertRequest): string {
  const { columns, rows, table } = request;
  let position = 0;
  const values: string[] = [];
  for (let row = 0; row < rows; row++) {
    values.push(`(${columns.map(() => `$${++position}`).join(', ')})`);
  }
  let sql = `INSERT INTO ${qualifiedName(table)} (${columns.map((column) => quoteIdentifier(column.name)).join(', ')}) VALUES ${values.join(', ')}`;
  if (request.upsertKey) {
    const key = request.upsertKey.map((column) => column.name);
    const usable = sameColumns(key, table.primaryKey) || table.uniqueKeys.some((unique) => sameColumns(key, unique));
    if (!usable) {
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
  return sql;
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

let savepoints = 0;

export const postgresqlWrites: WriteStatements = {
  readTargetFacts,

  async insert(runner, request, _facts, timeoutMs) {
    const sql = insertSql(request);
    if (request.generated === null) {
      await runner.execute(sql, request.params, { timeoutMs });
      return { generated: null };
    }
    const rows = await runner.execute<unknown[][]>(sql, request.params, { timeoutMs, rowsAsArray: true });
    return { generated: rows.map((row) => String(row[0])) };
  },

  async update(runner, row: RowRequest, columns, params, timeoutMs) {
    const assignments = columns.map((column, index) => `${quoteIdentifier(column.name)} = $${index + 1}`);
    const header = await runner.execute<ResultHeader>(
      `UPDATE ${qualifiedName(row.table)} SET ${assignments.join(', ')} WHERE ${whereIds(row.idColumns, columns.length + 1)}`,
      [...params, ...row.idParams],
      { timeoutMs },
    );
    return header.affectedRows;
  },

  async delete(runner, row, timeoutMs) {
    const header = await runner.execute<ResultHeader>(
      `DELETE FROM ${qualifiedName(row.table)} WHERE ${whereIds(row.idColumns, 1)}`,
      row.idParams,
      { timeoutMs },
    );
    return header.affectedRows;
  },

  async exists(runner, row, timeoutMs) {
    const rows = await runner.execute<unknown[]>(
      `SELECT 1 FROM ${qualifiedName(row.table)} WHERE ${whereIds(row.idColumns, 1)} LIMIT 1`,
      row.idParams,
      { timeoutMs },
    );
    return rows.length > 0;
  },

  async isolated(runner, work) {
    const name = `appflow_${++savepoints}`;
    await runner.execute(`SAVEPOINT ${name}`);
    let result: Awaited<ReturnType<typeof work>>;
    try {
      result = await work();
    } catch (error) {
      await runner.execute(`ROLLBACK TO SAVEPOINT ${name}`);
      throw error;
    }
    await runner.execute(`RELEASE SAVEPOINT ${name}`);
    return result;
  },
};
