/**
 * The SQL of WriteData and how records are grouped into statements. Identifiers come from the table's metadata
 * (checked names) and are quoted; every value is a bound parameter.
 *
 * - INSERT: one multi-row `INSERT INTO t (cols) VALUES (...), (...)` per run of consecutive records with the same
 *   fields, split so that a statement stays under LIMITS.maxPlaceholdersPerStatement placeholders and about 1 MB of
 *   parameters (MySQL 5.7's default max_allowed_packet is 4 MB).
 * - UPSERT: the same with `ON DUPLICATE KEY UPDATE col = VALUES(col)` for the non-id fields present in the record,
 *   so absent columns keep their values (never REPLACE, which deletes the row and resets them). VALUES() works on
 *   MySQL 5.7/8 and MariaDB; MySQL 8.0.20+ deprecates it in favour of a row alias that MariaDB lacks, but still
 *   supports it. ON DUPLICATE KEY UPDATE fires on a collision with ANY unique key, so the first assignment is a
 *   guard: when the row found has other id values (the collision was on another unique key) it sets an id column
 *   to NULL, which fails the NOT NULL id column in strict mode instead of silently updating the wrong row.
 *   A record that lacks a column a new row needs (NOT NULL without a default) cannot be inserted, and the server
 *   refuses such an INSERT even when the row exists: it is written by `UPDATE ... WHERE ids` alone, and fails
 *   ("no row matches ..., and a new row needs field ...") when no row has its ids.
 * - UPDATE and DELETE: one statement per record, `WHERE k1 = ? AND k2 = ?` on the id columns (integers and
 *   decimals through CAST(? AS DECIMAL) so that BIGINT compares exactly); a record whose id matches no row fails.
 *   (UPDATE counts matched rows, not changed ones: mysql2 connects with CLIENT_FOUND_ROWS.)
 * - Order: records are applied in request order. Only consecutive records of the same shape share a statement,
 *   whose rows the server applies in order.
 * - Generated ids: a multi-row INSERT reports its first AUTO_INCREMENT value; the others follow it by
 *   auto_increment_increment only when innodb_autoinc_lock_mode is 0 or 1 (MariaDB's default; MySQL 8's default
 *   is 2, "interleaved", where concurrent inserts may take values in between). With mode 2, records whose id is
 *   generated are inserted one per statement so that each recordId is exact.
 * - Tables that cannot roll back (MyISAM, Aria, and views whose base tables cannot be confirmed to be
 *   transactional) are written one record per statement: a failing multi-row statement may have written its first
 *   rows there, and its records could not be retried without writing those twice.
 */
import { keyPlaceholder } from '../paging/keyset';
import { LIMITS } from '../protocol/constants';
import type { ColumnMeta, TableMeta } from './columns';
import { quoteIdentifier } from './identifiers';
import type { SqlParam, SqlRunner } from './pool';
import { formatRecordId, missingFieldsText, type PreparedRecord, type WritePlan } from './writeRecords';
import { valuePlaceholder } from './writeValues';

/** Bytes of parameters per multi-row statement. */
const MAX_STATEMENT_BYTES = 1_000_000;
const TRANSACTIONAL_ENGINES = new Set(['innodb', 'xtradb', 'rocksdb', 'tokudb', 'ndbcluster', 'ndb']);

export interface ServerFacts {
  /** Generated ids of one multi-row INSERT are consecutive (innodb_autoinc_lock_mode 0 or 1). */
  readonly consecutiveAutoIncrement: boolean;
  readonly autoIncrementStep: bigint;
  /**
   * Every table the write reaches rolls back a failed statement: the table's engine, or for a view the engines of
   * its base tables. False when that cannot be known (a view on a server without information_schema
   * .VIEW_TABLE_USAGE, such as MariaDB before 11): what cannot be known to roll back is treated as if it could not.
   */
  readonly transactional: boolean;
  /**
   * The base table has AFTER triggers (null: unknown — a view, or not asked because the table rolls back). On a
   * table that cannot roll back, a failure raised by such a trigger leaves the row written.
   */
  readonly afterTriggers: boolean | null;
}

/** How deep views over views are followed to their base tables. */
const MAX_VIEW_DEPTH = 8;

/**
 * The engines of the base tables under a view, following views of views; null when the server cannot tell
 * (information_schema.VIEW_TABLE_USAGE exists in MySQL 8.0.13+ and MariaDB 11+, not in MariaDB 10.x or MySQL 5.7).
 */
async function viewBaseEngines(runner: SqlRunner, view: string, timeoutMs: number): Promise<(string | null)[] | null> {
  const engines: (string | null)[] = [];
  let pending: { schema: string | null; name: string }[] = [{ schema: null, name: view }];
  for (let depth = 0; depth < MAX_VIEW_DEPTH && pending.length > 0; depth++) {
    const next: { schema: string | null; name: string }[] = [];
    for (const { schema, name } of pending) {
      let used: { schema: string; name: string; type: string | null; engine: string | null }[];
      try {
        used = await runner.execute(
          `SELECT u.TABLE_SCHEMA AS \`schema\`, u.TABLE_NAME AS name, t.TABLE_TYPE AS type, t.ENGINE AS engine
           FROM information_schema.VIEW_TABLE_USAGE u
           LEFT JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = u.TABLE_SCHEMA AND t.TABLE_NAME = u.TABLE_NAME
           WHERE u.VIEW_SCHEMA = COALESCE(?, DATABASE()) AND u.VIEW_NAME = ?`,
          [schema, name],
          { timeoutMs },
        );
      } catch (error) {
        // ER_UNKNOWN_TABLE: no such information_schema table on this server.
        if ((error as { errno?: number }).errno === 1109) return null;
        throw error;
      }
      if (used.length === 0) return null;
      for (const row of used) {
        if (row.type === 'VIEW') next.push({ schema: row.schema, name: row.name });
        else engines.push(row.engine);
      }
    }
    pending = next;
  }
  return pending.length > 0 ? null : engines;
}

export async function readServerFacts(runner: SqlRunner, table: TableMeta, timeoutMs: number): Promise<ServerFacts> {
  const rows = await runner.execute<{ lockMode: unknown; step: unknown; engine: string | null }[]>(
    `SELECT @@innodb_autoinc_lock_mode AS lockMode, @@auto_increment_increment AS step,
            (SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?) AS engine`,
    [table.name],
    { timeoutMs },
  );
  const row = rows[0];
  const engines = table.isView ? await viewBaseEngines(runner, table.name, timeoutMs) : [row?.engine ?? null];
  const transactional =
    engines !== null &&
    engines.length > 0 &&
    engines.every((engine) => engine !== null && TRANSACTIONAL_ENGINES.has(engine.toLowerCase()));
  let afterTriggers: boolean | null = null;
  if (!transactional && !table.isView) {
    // Only asked where it matters: a table that cannot roll back.
    const triggers = await runner.execute<{ count: unknown }[]>(
      `SELECT COUNT(*) AS count FROM information_schema.TRIGGERS
       WHERE EVENT_OBJECT_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = ? AND ACTION_TIMING = 'AFTER'`,
      [table.name],
      { timeoutMs },
    );
    afterTriggers = Number(triggers[0]?.count ?? 1) > 0;
  }
  return {
    consecutiveAutoIncrement: Number(row?.lockMode ?? 2) <= 1,
    autoIncrementStep: BigInt(String(row?.step ?? 1)),
    transactional,
    afterTriggers,
  };
}

/** Records written by one statement (always one for UPDATE and DELETE). */
export interface WriteUnit {
  readonly records: readonly PreparedRecord[];
}

/** Bytes a record's parameters take in a statement; `exact` false gives a cheap upper bound instead. */
function paramBytes(params: readonly SqlParam[], exact: boolean): number {
  let total = 0;
  for (const param of params) {
    if (typeof param === 'string') {
      // A UTF-16 code unit is at most 3 bytes of UTF-8 (a surrogate pair, 2 units, is 4).
      total += (exact ? Buffer.byteLength(param, 'utf8') : param.length * 3) + 4;
    } else if (Buffer.isBuffer(param)) total += param.length + 4;
    else total += 9;
  }
  return total;
}

function chunk(records: readonly PreparedRecord[], facts: ServerFacts): WriteUnit[] {
  const first = records[0]!;
  const single = !facts.transactional || (first.generatedIdPosition >= 0 && !facts.consecutiveAutoIncrement);
  const maxRows = single
    ? 1
    : Math.max(1, Math.floor(LIMITS.maxPlaceholdersPerStatement / Math.max(1, first.columns.length)));
  const units: WriteUnit[] = [];
  let current: PreparedRecord[] = [];
  // Upper bounds while they stay under the limit (then the exact sizes are too); exact sizes from there on.
  let bytes = 0;
  let exact = false;
  for (const record of records) {
    let size = paramBytes(record.params, exact);
    if (!exact && bytes + size > MAX_STATEMENT_BYTES) {
      exact = true;
      bytes = 0;
      for (const earlier of current) bytes += paramBytes(earlier.params, true);
      size = paramBytes(record.params, true);
    }
    if (current.length > 0 && (current.length >= maxRows || bytes + size > MAX_STATEMENT_BYTES)) {
      units.push({ records: current });
      current = [];
      bytes = 0;
      exact = false;
      size = paramBytes(record.params, false);
    }
    current.push(record);
    bytes += size;
  }
  if (current.length > 0) units.push({ records: current });
  return units;
}

/**
 * Groups records into statements in request order: only consecutive records of the same shape share a statement
 * (so a record never overtakes an earlier one: a manager is inserted before its reports, generated ids follow the
 * request order, and two records for the same row apply in order). An UPSERT record that lacks a column a new row
 * needs is written by UPDATE, on its own.
 */
export function planUnits(plan: WritePlan, records: readonly PreparedRecord[], facts: ServerFacts): WriteUnit[] {
  if (plan.operation === 'UPDATE' || plan.operation === 'DELETE')
    return records.map((record) => ({ records: [record] }));
  const units: WriteUnit[] = [];
  let run: PreparedRecord[] = [];
  for (const record of records) {
    if (record.missing.length > 0) {
      if (run.length > 0) units.push(...chunk(run, facts));
      run = [];
      units.push({ records: [record] });
      continue;
    }
    if (run.length > 0 && run[0]!.shapeKey !== record.shapeKey) {
      units.push(...chunk(run, facts));
      run = [];
    }
    run.push(record);
  }
  if (run.length > 0) units.push(...chunk(run, facts));
  return units;
}

export type RecordOutcome =
  | { readonly ok: true; readonly recordId: string }
  | { readonly ok: false; readonly recordId: string; readonly message: string };

function whereIds(idColumns: readonly ColumnMeta[]): string {
  return idColumns.map((column) => `${quoteIdentifier(column.name)} = ${keyPlaceholder(column)}`).join(' AND ');
}

export function insertStatement(
  plan: WritePlan,
  records: readonly PreparedRecord[],
): { sql: string; params: SqlParam[] } {
  const columns = records[0]!.columns;
  const row = `(${columns.map(valuePlaceholder).join(', ')})`;
  let sql =
    `INSERT INTO ${quoteIdentifier(plan.table.name)} (${columns.map((column) => quoteIdentifier(column.name)).join(', ')}) ` +
    `VALUES ${`${row}, `.repeat(records.length - 1)}${row}`;
  if (plan.operation === 'UPSERT') {
    const ids = plan.idColumns.map((column) => quoteIdentifier(column.name));
    const sameRow = ids.map((id) => `${id} <=> VALUES(${id})`).join(' AND ');
    const assignments = [`${ids[0]} = IF(${sameRow}, ${ids[0]}, NULL)`];
    const idNames = new Set(plan.idColumns.map((column) => column.name));
    for (const column of columns) {
      if (idNames.has(column.name)) continue;
      const quoted = quoteIdentifier(column.name);
      assignments.push(`${quoted} = VALUES(${quoted})`);
    }
    sql += ` ON DUPLICATE KEY UPDATE ${assignments.join(', ')}`;
  }
  const params: SqlParam[] = new Array(records.length * columns.length);
  let next = 0;
  for (const record of records) for (const param of record.params) params[next++] = param;
  params.length = next;
  return { sql, params };
}

interface ResultHeader {
  affectedRows: number;
  insertId: number | string;
}

function noMatch(plan: WritePlan, record: PreparedRecord): RecordOutcome {
  const names = plan.idColumns.map((column) => column.name).join(', ');
  let message = `no row matches the id field${plan.idColumns.length > 1 ? 's' : ''} ${names}`;
  if (record.missing.length > 0) {
    message += `, and a new row needs ${missingFieldsText(record.missing)} (NOT NULL without a default)`;
  }
  return { ok: false, recordId: record.recordId, message };
}

/** UPDATE of one record's row by its ids (a match even when nothing changes); `noMatch` when no row has them. */
async function updateRow(
  runner: SqlRunner,
  plan: WritePlan,
  record: PreparedRecord,
  columns: readonly ColumnMeta[],
  params: readonly SqlParam[],
  timeoutMs: number,
): Promise<RecordOutcome> {
  const table = quoteIdentifier(plan.table.name);
  const where = whereIds(plan.idColumns);
  const options = { timeoutMs };
  if (columns.length === 0) {
    // Nothing to change besides the ids: the record succeeds when its row exists.
    const rows = await runner.execute<unknown[]>(
      `SELECT 1 FROM ${table} WHERE ${where} LIMIT 1`,
      record.idParams,
      options,
    );
    return rows.length > 0 ? { ok: true, recordId: record.recordId } : noMatch(plan, record);
  }
  const assignments = columns.map((column) => `${quoteIdentifier(column.name)} = ${valuePlaceholder(column)}`);
  const header = await runner.execute<ResultHeader>(
    `UPDATE ${table} SET ${assignments.join(', ')} WHERE ${where}`,
    [...params, ...record.idParams],
    options,
  );
  return header.affectedRows > 0 ? { ok: true, recordId: record.recordId } : noMatch(plan, record);
}

/** Runs one unit; throws the driver's error when the statement fails. */
export async function runUnit(
  runner: SqlRunner,
  plan: WritePlan,
  unit: WriteUnit,
  facts: ServerFacts,
  timeoutMs: number,
): Promise<RecordOutcome[]> {
  const record = unit.records[0]!;
  if (plan.operation === 'UPSERT' && record.missing.length > 0) {
    // A new row could not be inserted: only an existing row can take the record. UPDATE never inserts, so a row
    // created meanwhile by someone else is never duplicated, and one deleted meanwhile is reported as not found.
    const idNames = new Set(plan.idColumns.map((column) => column.name));
    const columns: ColumnMeta[] = [];
    const params: SqlParam[] = [];
    record.columns.forEach((column, position) => {
      if (idNames.has(column.name)) return;
      columns.push(column);
      params.push(record.params[position]!);
    });
    return [await updateRow(runner, plan, record, columns, params, timeoutMs)];
  }
  if (plan.operation === 'INSERT' || plan.operation === 'UPSERT') {
    const { sql, params } = insertStatement(plan, unit.records);
    const header = await runner.execute<ResultHeader>(sql, params, { timeoutMs });
    return unit.records.map((record, position) => {
      if (record.generatedIdPosition < 0) return { ok: true, recordId: record.recordId };
      const value = (BigInt(String(header.insertId)) + BigInt(position) * facts.autoIncrementStep).toString();
      return {
        ok: true,
        recordId: formatRecordId(record.recordIdParts, { position: record.generatedIdPosition, value }),
      };
    });
  }
  if (plan.operation === 'DELETE') {
    const header = await runner.execute<ResultHeader>(
      `DELETE FROM ${quoteIdentifier(plan.table.name)} WHERE ${whereIds(plan.idColumns)}`,
      record.idParams,
      { timeoutMs },
    );
    return [header.affectedRows > 0 ? { ok: true, recordId: record.recordId } : noMatch(plan, record)];
  }
  return [await updateRow(runner, plan, record, record.columns, record.params, timeoutMs)];
}
