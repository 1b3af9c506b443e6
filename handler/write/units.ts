/**
 * How WriteData's records become statements, and what each statement's records come out as. Engine-neutral: the SQL
 * is the engine's (`Engine.writes`).
 *
 * - INSERT and UPSERT: one multi-row statement per run of consecutive records with the same fields, split so that a
 *   statement stays under LIMITS.maxPlaceholdersPerStatement placeholders and about 1 MB of parameters (MySQL 5.7's
 *   default max_allowed_packet is 4 MB).
 * - UPSERT: a record that lacks a column a new row needs (NOT NULL without a default) cannot be inserted, and the
 *   server refuses such an INSERT even when the row exists: it is written by UPDATE of its ids alone, and fails
 *   ("no row matches ..., and a new row needs field ...") when no row has its ids.
 * - UPDATE and DELETE: one statement per record by its id columns; a record whose id matches no row fails.
 * - Order: records are applied in request order. Only consecutive records of the same shape share a statement,
 *   whose rows the server applies in order.
 * - Generated ids: records whose id the server generates share a statement only when the engine reports exact ids
 *   for every row of it (`WriteTargetFacts.multiRowGeneratedIds`).
 * - Targets that cannot roll back (`transactional` false) are written one record per statement: a failing
 *   multi-row statement may have written its first rows there, and its records could not be retried without
 *   writing those twice.
 * - What the server did is compared with what was sent, per statement: when it reports fewer (or more) rows than
 *   the statement's records (a BEFORE trigger returned NULL, a DO INSTEAD NOTHING rule), nobody can tell which
 *   record each row belongs to, so a multi-row statement throws RowCountMismatch (its caller undoes it and writes
 *   the records one by one), and a single record the server skipped fails as not written.
 */
import type { ColumnMeta, Engine, SqlParam, SqlWriter, WriteTargetFacts } from '../engines/engine';
import { LIMITS } from '../protocol/constants';
import { formatRecordId, missingFieldsText, type PreparedRecord, type WritePlan } from './recordPreparation';

/** Bytes of parameters per multi-row statement. */
const MAX_STATEMENT_BYTES = 1_000_000;

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

/** A multi-row statement of such records reports every generated id exactly (in order, or read back by a key). */
function exactGeneratedIds(record: PreparedRecord, facts: WriteTargetFacts): boolean {
  return facts.multiRowGeneratedIds || (facts.readsBackGeneratedIds === true && record.readBackKey !== null);
}

/**
 * True when the unit's statement must run in a transaction with what follows it: its generated ids are read back
 * by a key (on the same connection, before anyone can change the rows).
 */
export function readsBack(unit: WriteUnit, facts: WriteTargetFacts): boolean {
  const first = unit.records[0]!;
  return (
    unit.records.length > 1 &&
    first.generatedIdPosition >= 0 &&
    !facts.multiRowGeneratedIds &&
    facts.readsBackGeneratedIds === true &&
    first.readBackKey !== null
  );
}

function chunk(records: readonly PreparedRecord[], facts: WriteTargetFacts): WriteUnit[] {
  const first = records[0]!;
  const single = !facts.transactional || (first.generatedIdPosition >= 0 && !exactGeneratedIds(first, facts));
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
export function planUnits(plan: WritePlan, records: readonly PreparedRecord[], facts: WriteTargetFacts): WriteUnit[] {
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

/**
 * A multi-row statement whose row count differs from its records: which record was skipped is unknown. Thrown
 * inside the statement's transaction (or savepoint) so that it is undone; its records are then written one by one.
 */
export class RowCountMismatch extends Error {
  constructor(
    readonly sent: number,
    readonly written: number,
  ) {
    super(`the database wrote ${written} rows for ${sent} records`);
    this.name = 'RowCountMismatch';
  }
}

export const SKIPPED_MESSAGE =
  'not written: the database skipped the row without an error (a BEFORE or INSTEAD OF trigger returned NULL, or a rule did nothing)';

export type RecordOutcome =
  | { readonly ok: true; readonly recordId: string }
  | { readonly ok: false; readonly recordId: string; readonly message: string };

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
  engine: Engine,
  runner: SqlWriter,
  plan: WritePlan,
  record: PreparedRecord,
  columns: readonly ColumnMeta[],
  params: readonly SqlParam[],
  facts: WriteTargetFacts,
  timeoutMs: number,
): Promise<RecordOutcome> {
  if (record.idMatchesNothing) return noMatch(plan, record);
  const row = { table: plan.table, idColumns: plan.idColumns, idParams: record.idParams };
  // Nothing to change besides the ids: the record succeeds when its row exists.
  const found =
    columns.length === 0
      ? await engine.writes.exists(runner, row, timeoutMs)
      : (await engine.writes.update(runner, row, columns, params, timeoutMs)) > 0;
  if (found) return { ok: true, recordId: record.recordId };
  return missedRow(engine, runner, plan, record, facts, timeoutMs);
}

/**
 * An UPDATE or DELETE that touched no row: no row has the record's ids, or (on a target that may skip rows) a
 * trigger or rule skipped the row that has them.
 */
async function missedRow(
  engine: Engine,
  runner: SqlWriter,
  plan: WritePlan,
  record: PreparedRecord,
  facts: WriteTargetFacts,
  timeoutMs: number,
): Promise<RecordOutcome> {
  if (facts.maySkipRows) {
    const row = { table: plan.table, idColumns: plan.idColumns, idParams: record.idParams };
    if (await engine.writes.exists(runner, row, timeoutMs)) {
      return { ok: false, recordId: record.recordId, message: SKIPPED_MESSAGE };
    }
  }
  return noMatch(plan, record);
}

/** Runs one unit; throws the driver's error when the statement fails. */
export async function runUnit(
  engine: Engine,
  runner: SqlWriter,
  plan: WritePlan,
  unit: WriteUnit,
  facts: WriteTargetFacts,
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
    return [await updateRow(engine, runner, plan, record, columns, params, facts, timeoutMs)];
  }
  if (plan.operation === 'INSERT' || plan.operation === 'UPSERT') {
    const records = unit.records;
    const columns = record.columns;
    const params: SqlParam[] = new Array(records.length * columns.length);
    let next = 0;
    for (const each of records) for (const param of each.params) params[next++] = param;
    params.length = next;
    const generatedPosition = records.findIndex((each) => each.generatedIdPosition >= 0);
    let generatedColumn =
      generatedPosition < 0 ? null : plan.idColumns[records[generatedPosition]!.generatedIdPosition]!;
    // A column that is not AUTO_INCREMENT/identity is asked back only where the INSERT surely can report it: a
    // target with rules (PostgreSQL refuses RETURNING under a conditional DO INSTEAD rule) leaves the id out.
    if (generatedColumn !== null && !generatedColumn.serverGenerated && facts.maySkipRows === true)
      generatedColumn = null;
    const { generated, written } = await engine.writes.insert(
      runner,
      {
        table: plan.table,
        columns,
        params,
        rows: records.length,
        upsertKey: plan.operation === 'UPSERT' ? plan.idColumns : null,
        generated: generatedColumn,
        readBackKey: readsBack(unit, facts) ? record.readBackKey : null,
      },
      facts,
      timeoutMs,
    );
    if (written !== undefined && written !== null && written !== records.length) {
      if (records.length > 1) throw new RowCountMismatch(records.length, written);
      // One record: the server skipped it, or wrote more than one row for it (a rule); only the first is sure.
      if (written === 0) return [{ ok: false, recordId: record.recordId, message: SKIPPED_MESSAGE }];
      return [{ ok: true, recordId: record.recordId }];
    }
    return records.map((each, position) => {
      if (each.generatedIdPosition < 0 || generated === null) return { ok: true, recordId: each.recordId };
      return {
        ok: true,
        recordId: formatRecordId(each.recordIdParts, {
          position: each.generatedIdPosition,
          value: generated[position]!,
        }),
      };
    });
  }
  const row = { table: plan.table, idColumns: plan.idColumns, idParams: record.idParams };
  if (plan.operation === 'DELETE') {
    if (record.idMatchesNothing) return [noMatch(plan, record)];
    const deleted = await engine.writes.delete(runner, row, timeoutMs);
    return [
      deleted > 0
        ? { ok: true, recordId: record.recordId }
        : await missedRow(engine, runner, plan, record, facts, timeoutMs),
    ];
  }
  return [await updateRow(engine, runner, plan, record, record.columns, record.params, facts, timeoutMs)];
}
