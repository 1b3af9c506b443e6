/**
 * The SQL of WriteData and how records are grouped into statements. Identifiers come from the table's metadata
 * (checked names) and are quoted; every value is a bound parameter.
 *
 * - INSERT: one multi-row `INSERT INTO t (cols) VALUES (...), (...)` per group of records with the same fields,
 *   split so that a statement stays under LIMITS.maxPlaceholdersPerStatement placeholders and about 1 MB of
 *   parameters (MySQL 5.7's default max_allowed_packet is 4 MB).
 * - UPSERT: the same with `ON DUPLICATE KEY UPDATE col = VALUES(col)` for the non-id fields present in the record,
 *   so absent columns keep their values (never REPLACE, which deletes the row and resets them). VALUES() works on
 *   MySQL 5.7/8 and MariaDB; MySQL 8.0.20+ deprecates it in favour of a row alias that MariaDB lacks, but still
 *   supports it. ON DUPLICATE KEY UPDATE fires on a collision with ANY unique key, so the first assignment is a
 *   guard: when the row found has other id values (the collision was on another unique key) it sets an id column
 *   to NULL, which fails the NOT NULL id column in strict mode instead of silently updating the wrong row.
 * - UPDATE and DELETE: one statement per record, `WHERE k1 = ? AND k2 = ?` on the id columns (integers and
 *   decimals through CAST(? AS DECIMAL) so that BIGINT compares exactly); a record whose id matches no row fails.
 *   (UPDATE counts matched rows, not changed ones: mysql2 connects with CLIENT_FOUND_ROWS.)
 * - Order: groups are written in the order of their first record; a record whose id already appeared in another
 *   group closes the groups collected so far, so two records for the same row are applied in request order.
 * - Generated ids: a multi-row INSERT reports its first AUTO_INCREMENT value; the others follow it by
 *   auto_increment_increment only when innodb_autoinc_lock_mode is 0 or 1 (MariaDB's default; MySQL 8's default
 *   is 2, "interleaved", where concurrent inserts may take values in between). With mode 2, records whose id is
 *   generated are inserted one per statement so that each recordId is exact. Tables of a non-transactional engine
 *   (MyISAM, Aria) are written one record per statement: a failing multi-row statement may have written its first
 *   rows there, and the records could not be retried one by one.
 */
import { keyPlaceholder } from '../paging/keyset';
import { LIMITS } from '../protocol/constants';
import type { ColumnMeta, TableMeta } from './columns';
import { quoteIdentifier } from './identifiers';
import type { SqlParam, SqlRunner } from './pool';
import { formatRecordId, type PreparedRecord, type WritePlan } from './writeRecords';
import { valuePlaceholder } from './writeValues';

/** Bytes of parameters per multi-row statement. */
const MAX_STATEMENT_BYTES = 1_000_000;
const TRANSACTIONAL_ENGINES = new Set(['innodb', 'xtradb', 'rocksdb', 'tokudb', 'ndbcluster', 'ndb']);

export interface ServerFacts {
  /** Generated ids of one multi-row INSERT are consecutive (innodb_autoinc_lock_mode 0 or 1). */
  readonly consecutiveAutoIncrement: boolean;
  readonly autoIncrementStep: bigint;
  /** The table's engine rolls back (views count as transactional: their base tables decide). */
  readonly transactional: boolean;
}

export async function readServerFacts(runner: SqlRunner, table: TableMeta, timeoutMs: number): Promise<ServerFacts> {
  const rows = await runner.execute<{ lockMode: unknown; step: unknown; engine: string | null }[]>(
    `SELECT @@innodb_autoinc_lock_mode AS lockMode, @@auto_increment_increment AS step,
            (SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?) AS engine`,
    [table.name],
    { timeoutMs },
  );
  const row = rows[0];
  const engine = row?.engine?.toLowerCase() ?? null;
  return {
    consecutiveAutoIncrement: Number(row?.lockMode ?? 2) <= 1,
    autoIncrementStep: BigInt(String(row?.step ?? 1)),
    transactional: engine === null || TRANSACTIONAL_ENGINES.has(engine),
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

/** Groups records into statements, in an order that keeps the request's order for records of the same row. */
/**
 * A loose form of an id for spotting records that may hit the same row: the database matches text ids by the
 * column's collation ('abc' = 'ABC' = 'abc ' under the usual _ci, PAD SPACE collations, 'é' = 'e' under
 * general_ci). Erring towards "same" only costs an extra statement; erring the other way would reorder writes.
 */
function looseId(id: string): string {
  return id
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ +$/, '');
}

export function planUnits(plan: WritePlan, records: readonly PreparedRecord[], facts: ServerFacts): WriteUnit[] {
  if (plan.operation === 'UPDATE' || plan.operation === 'DELETE')
    return records.map((record) => ({ records: [record] }));
  const units: WriteUnit[] = [];
  let groups = new Map<string, PreparedRecord[]>();
  let idsSeen = new Map<string, string>();
  const flush = () => {
    for (const group of groups.values()) units.push(...chunk(group, facts));
    groups = new Map();
    idsSeen = new Map();
  };
  for (const record of records) {
    const id = record.generatedIdPosition >= 0 ? '' : looseId(record.recordId);
    if (id !== '' && idsSeen.has(id) && idsSeen.get(id) !== record.shapeKey) flush();
    if (id !== '') idsSeen.set(id, record.shapeKey);
    const group = groups.get(record.shapeKey);
    if (group) group.push(record);
    else groups.set(record.shapeKey, [record]);
  }
  flush();
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
  return {
    ok: false,
    recordId: record.recordId,
    message: `no row matches the id field${plan.idColumns.length > 1 ? 's' : ''} ${names}`,
  };
}

/** Runs one unit; throws the driver's error when the statement fails. */
export async function runUnit(
  runner: SqlRunner,
  plan: WritePlan,
  unit: WriteUnit,
  facts: ServerFacts,
  timeoutMs: number,
): Promise<RecordOutcome[]> {
  const table = quoteIdentifier(plan.table.name);
  const options = { timeoutMs };
  if (plan.operation === 'INSERT' || plan.operation === 'UPSERT') {
    const { sql, params } = insertStatement(plan, unit.records);
    const header = await runner.execute<ResultHeader>(sql, params, options);
    return unit.records.map((record, position) => {
      if (record.generatedIdPosition < 0) return { ok: true, recordId: record.recordId };
      const value = (BigInt(String(header.insertId)) + BigInt(position) * facts.autoIncrementStep).toString();
      return {
        ok: true,
        recordId: formatRecordId(record.recordIdParts, { position: record.generatedIdPosition, value }),
      };
    });
  }
  const record = unit.records[0]!;
  const where = whereIds(plan.idColumns);
  if (plan.operation === 'DELETE') {
    const header = await runner.execute<ResultHeader>(`DELETE FROM ${table} WHERE ${where}`, record.idParams, options);
    return [header.affectedRows > 0 ? { ok: true, recordId: record.recordId } : noMatch(plan, record)];
  }
  if (record.columns.length === 0) {
    // Nothing to change besides the ids: the record succeeds when its row exists.
    const rows = await runner.execute<unknown[]>(
      `SELECT 1 FROM ${table} WHERE ${where} LIMIT 1`,
      record.idParams,
      options,
    );
    return [rows.length > 0 ? { ok: true, recordId: record.recordId } : noMatch(plan, record)];
  }
  const assignments = record.columns.map((column) => `${quoteIdentifier(column.name)} = ${valuePlaceholder(column)}`);
  const header = await runner.execute<ResultHeader>(
    `UPDATE ${table} SET ${assignments.join(', ')} WHERE ${where}`,
    [...record.params, ...record.idParams],
    options,
  );
  return [header.affectedRows > 0 ? { ok: true, recordId: record.recordId } : noMatch(plan, record)];
}
