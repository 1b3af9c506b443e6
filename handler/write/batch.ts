/**
 * WriteData's path: INSERT, UPDATE, UPSERT or DELETE records into a table, with one result per record in request
 * order. Engine-neutral: statements, value conversion and error meanings come from the Engine.
 *
 * - Each record is parsed exactly (big integers and decimals keep their digits), checked against the table's real
 *   columns and converted by the engine's converter of each column before any SQL runs (./recordPreparation.ts); a record
 *   that fails there fails alone, with a message naming the field and never quoting its value.
 * - Records are applied in request order, consecutive records of the same fields by one multi-row statement
 *   (./units.ts).
 * - `allOrNone: true`: one transaction. If any record fails, everything is rolled back and every record is reported
 *   failed: the culprits with their own message, the others as "not written". The response's code is
 *   PartialWriteFailure when records were at fault; when the batch failed for another reason (connection lost,
 *   timeout, privilege), it is that failure's own code (e.g. ServiceUnavailable, RequestTimeout), so AppFlow sees
 *   a retryable failure as such. Targets that cannot roll back (a non-transactional engine, or a view whose base
 *   tables cannot be confirmed to be transactional) cannot do this and are refused with InvalidArgument.
 * - Otherwise each statement commits on its own; when a multi-row statement fails (InnoDB undoes the whole
 *   statement), its records are retried one by one so each gets its own result. Any server error counts as the
 *   record's (a value, a key, a trigger's failure: the retry finds which records it concerns) except a failure
 *   that is not about a record (connection lost, timeout, privilege, the target table or column gone): that stops
 *   the batch, the statement's records are reported unconfirmed and the rest "not attempted". On a target that
 *   cannot roll back, statements hold one record (never retried), and a failure that an AFTER trigger may have
 *   raised once the row was stored says that the row may have been written. On a target whose triggers the user
 *   cannot see (`triggersHidden`), statements keep many records but a failed one is never run again (record by
 *   record or after a deadlock): its records all fail with the statement's error (see mayRunAgain).
 * - Time: no statement starts when less than MIN_STATEMENT_MS of the budget is left; the records not attempted fail
 *   with "not attempted: time budget exhausted" (and with allOrNone nothing is committed).
 * - Deadlocks and serialization failures (the server rolled the statement's transaction back because of another
 *   session): the statement (allOrNone: the whole transaction) runs again, at most MAX_CONFLICT_RETRIES times after
 *   a short random pause, while the time budget lasts. When it still fails, its records are "not written" (the
 *   server rolled them back), the rest "not attempted", and the response carries the retryable code
 *   (ServiceUnavailable, with retryAfterSeconds) and says "deadlock", also when earlier records were written.
 * - What the server did is checked against what was sent: a row a trigger or rule skipped is "not written", with
 *   the reason, and generated ids are reported only where they are known to belong to the record (./units.ts).
 * - A COMMIT whose outcome is unknown (the connection broke while it ran) leaves its records "not confirmed".
 * - allOrNone: every unit runs (while time lasts) even after a record failed, so that every record refused for its
 *   own values is named in one run; then everything is rolled back.
 * - The response is isSuccess true only when every record succeeded; otherwise PartialWriteFailure with
 *   "k of n records failed" (or the batch failure's code when no record was written).
 */
import type { OperationContext } from '../dependencies';
import type {
  Database,
  Engine,
  RecordErrorContext,
  SqlRunner,
  StatementTarget,
  TableMeta,
  TransactionRunner,
  WriteTargetFacts,
} from '../engines/engine';
import {
  CommitOutcomeUnknownError,
  type ConnectorError,
  InvalidArgumentError,
  RequestTimeoutError,
  TransactionConflictError,
} from '../errors';
import type { ErrorCode, WriteDataRequest, WriteDataResponse, WriteRecordResult } from '../protocol/codecs';
import { redact } from '../redaction';
import { type PreparedRecord, planWrite, prepareRecord, type WritePlan } from './recordPreparation';
import { planUnits, type RecordOutcome, RowCountMismatch, readsBack, runUnit, type WriteUnit } from './units';

/** No statement starts with less time than this left: it would be cut off by its own timeout. */
const MIN_STATEMENT_MS = 250;

/** How often a statement (or allOrNone transaction) the server rolled back for a deadlock is run again. */
const MAX_CONFLICT_RETRIES = 5;

const NOT_ATTEMPTED_TIME = 'not attempted: time budget exhausted';
const NOT_WRITTEN_OTHER = 'not written: another record of this all-or-none batch failed';

function safeMessage(message: string): string {
  const clean = redact(message);
  return clean.length > 500 ? clean.slice(0, 500) + '…' : clean;
}

/** Per-record results being collected, in request order. */
class Results {
  private readonly results: (WriteRecordResult | undefined)[];

  constructor(readonly size: number) {
    this.results = new Array(size).fill(undefined);
  }

  /** An unknown id (no id fields, a value the server generated that cannot be known) is omitted: null, never "". */
  succeed(index: number, recordId: string): void {
    this.results[index] = { isSuccess: true, recordId: recordId === '' ? null : recordId, errorMessage: null };
  }

  fail(index: number, recordId: string, message: string): void {
    this.results[index] = {
      isSuccess: false,
      recordId: recordId === '' ? null : recordId,
      errorMessage: safeMessage(message),
    };
  }

  has(index: number): boolean {
    return this.results[index] !== undefined;
  }

  apply(record: PreparedRecord, outcome: RecordOutcome): void {
    if (outcome.ok) this.succeed(record.index, outcome.recordId);
    else this.fail(record.index, outcome.recordId, outcome.message);
  }

  /** Fails every record without a result yet. */
  failRest(records: readonly PreparedRecord[], message: string): void {
    for (const record of records) if (!this.has(record.index)) this.fail(record.index, record.recordId, message);
  }

  list(): WriteRecordResult[] {
    return this.results.map((result) => result ?? { isSuccess: false, recordId: null, errorMessage: 'not attempted' });
  }
}

function respond(results: Results, batchFailure: ConnectorError | null): WriteDataResponse {
  const list = results.list();
  const failed = list.filter((result) => !result.isSuccess).length;
  if (failed === 0) return { isSuccess: true, errorDetails: null, writeRecordResults: list };
  const noneWritten = failed === list.length;
  // A deadlock that outlasted the retries is worth retrying as a whole (UPSERTs converge): its retryable code is
  // the answer even when earlier records were written.
  const useBatchCode = batchFailure !== null && (noneWritten || batchFailure instanceof TransactionConflictError);
  const code: ErrorCode = useBatchCode ? batchFailure.code : 'PartialWriteFailure';
  const summary = `${failed} of ${list.length} records failed`;
  return {
    isSuccess: false,
    errorDetails: {
      errorCode: code,
      errorMessage: safeMessage(batchFailure ? `${summary}: ${batchFailure.message}` : summary),
      retryAfterSeconds: useBatchCode ? batchFailure.retryAfterSeconds : null,
    },
    writeRecordResults: list,
  };
}

interface WriteJob {
  readonly engine: Engine;
  readonly plan: WritePlan;
  readonly facts: WriteTargetFacts;
  readonly units: readonly WriteUnit[];
  readonly records: readonly PreparedRecord[];
  readonly errors: RecordErrorContext;
  /** For telling a record's failure from the target table having changed. */
  readonly target: StatementTarget;
  readonly results: Results;
  readonly context: OperationContext;
}

function outOfTime(context: OperationContext): boolean {
  return context.deadline.remainingMs() < MIN_STATEMENT_MS;
}

/**
 * The message of a record whose statement failed. On a table that cannot roll back, a failure raised after the row
 * was stored (by an AFTER trigger) leaves the row there: the message says so when that may have happened.
 */
function recordFailure(job: WriteJob, error: unknown): string {
  const message = job.engine.errors.describeRecordError(error, job.errors);
  const { facts } = job;
  if (facts.transactional) return message;
  if (facts.afterTriggers === false || (facts.afterTriggers === null && job.engine.errors.isValueError(error))) {
    return message;
  }
  return `${message}; the table cannot roll back, so the row may have been written before the failure`;
}

/**
 * Whether a statement the server undid may run again (record by record to find its culprits, or after a deadlock).
 * Not when undoing it may have left something behind: a target that cannot roll back, or one whose triggers the
 * user cannot see (they may write a table that cannot roll back, and a second run would write it twice).
 *
 * Trade-off for hidden triggers: the alternative (one record per statement, as for a target that cannot roll back)
 * would make every INSERT batch of a least-privilege user one round trip per record. Keeping multi-row statements
 * keeps such batches fast and never doubles a side effect; the price is paid only when a statement fails: its
 * records are all reported with that statement's error (errno, field), not each with its own.
 */
function mayRunAgain(facts: WriteTargetFacts): boolean {
  return facts.transactional && facts.triggersHidden !== true;
}

/** The message of every record of a failed multi-row statement that is not run again record by record. */
function statementFailure(job: WriteJob, unit: WriteUnit, error: unknown): string {
  return (
    `not written: the statement holding this record and ${unit.records.length - 1} other(s) failed: ` +
    `${job.engine.errors.describeRecordError(error, job.errors)}; which of them caused it is unknown, as the ` +
    `statement is not run again record by record: the table's triggers cannot be inspected (the TRIGGER privilege ` +
    `is missing) and a second run could repeat what they wrote`
  );
}

function isConflict(job: WriteJob, error: unknown): boolean {
  return job.engine.errors.isTransactionConflict?.(error) === true;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Records prepared between two turns of the event loop while the target's facts are read (writeRecords). */
const PREPARE_SLICE = 200;

/** One turn of the event loop: pending socket reads and writes run (setImmediate runs after I/O callbacks). */
function yieldToIo(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Runs `work` again while the server rolls it back for a deadlock or serialization failure, at most
 * MAX_CONFLICT_RETRIES times, after a random pause that grows each time (so two writers that collided do not meet
 * again in step), as long as the time budget leaves room for the pause and one more statement.
 */
async function retryingConflicts<T>(job: WriteJob, work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isConflict(job, error) || attempt >= MAX_CONFLICT_RETRIES || !mayRunAgain(job.facts)) throw error;
      const pause = 20 * 2 ** attempt + Math.floor(Math.random() * 50);
      if (job.context.deadline.remainingMs() < pause + MIN_STATEMENT_MS) throw error;
      job.context.logger.info('write rolled back by a deadlock; running it again', { attempt: attempt + 1 });
      await sleep(pause);
    }
  }
}

/**
 * One statement on its own (autocommit). A multi-row statement runs in a transaction of its own on a target that
 * may skip rows (when the server wrote fewer rows than sent, it is undone, RowCountMismatch, before its records are
 * written one by one) and when its generated ids are read back by a key (units.ts `readsBack`).
 */
function runAlone(database: Database, job: WriteJob, unit: WriteUnit): Promise<RecordOutcome[]> {
  const { engine, plan, facts, context } = job;
  return retryingConflicts(job, () => {
    if (unit.records.length > 1 && (facts.maySkipRows === true || readsBack(unit, facts))) {
      return database.transaction(
        (runner) => runUnit(engine, runner, plan, unit, facts, context.deadline.statementTimeoutMs()),
        { lockWaitSeconds: context.deadline.remainingMs() / 2000 },
      );
    }
    return runUnit(engine, database, plan, unit, facts, context.deadline.statementTimeoutMs());
  });
}

/** Writes each statement on its own (autocommit); failed multi-row statements are retried record by record. */
async function writeEach(database: Database, job: WriteJob): Promise<ConnectorError | null> {
  const { engine, facts, units, results, context } = job;
  for (const unit of units) {
    if (outOfTime(context)) {
      results.failRest(job.records, NOT_ATTEMPTED_TIME);
      return timeFailure('the records written so far stay written');
    }
    try {
      const outcomes = await runAlone(database, job, unit);
      for (const [position, record] of unit.records.entries()) results.apply(record, outcomes[position]!);
      continue;
    } catch (error) {
      if (error instanceof RowCountMismatch) {
        if (facts.maySkipRows !== true) {
          // Not undone (the target was not expected to skip rows): which records were written cannot be told.
          for (const record of unit.records) {
            results.fail(record.index, record.recordId, `not confirmed: ${error.message}; which ones is unknown`);
          }
          continue;
        }
        // Undone: the records are written one by one below.
      } else {
        if (isConflict(job, error)) return conflictStop(job, unit, error);
        if (!engine.errors.isRecordError(error, job.target)) return stopBatch(job, unit, error);
        if (unit.records.length === 1 || !facts.transactional) {
          // Never retried when the statement may have written some of its rows (a table that cannot roll back).
          for (const record of unit.records) results.fail(record.index, record.recordId, recordFailure(job, error));
          continue;
        }
        if (!mayRunAgain(facts)) {
          for (const record of unit.records)
            results.fail(record.index, record.recordId, statementFailure(job, unit, error));
          continue;
        }
      }
    }
    for (const record of unit.records) {
      if (outOfTime(context)) {
        results.failRest(job.records, NOT_ATTEMPTED_TIME);
        return timeFailure('the records written so far stay written');
      }
      try {
        const [outcome] = await runAlone(database, job, { records: [record] });
        results.apply(record, outcome!);
      } catch (error) {
        if (isConflict(job, error)) return conflictStop(job, { records: [record] }, error);
        if (!engine.errors.isRecordError(error, job.target)) return stopBatch(job, { records: [record] }, error);
        results.fail(record.index, record.recordId, recordFailure(job, error));
      }
    }
  }
  return null;
}

/**
 * A deadlock that outlasted the retries: the server rolled the statement back, so its records are "not written";
 * the rest are not attempted. The answer is retryable.
 */
function conflictStop(job: WriteJob, unit: WriteUnit, error: unknown): ConnectorError {
  const failure = job.engine.errors.classify(error);
  for (const record of unit.records) {
    if (!job.results.has(record.index))
      job.results.fail(record.index, record.recordId, `not written: ${failure.message}`);
  }
  job.results.failRest(job.records, `not attempted: ${failure.message}`);
  return failure;
}

/** A failure that is not about a record: the statement's outcome is unknown, the rest is not attempted. */
function stopBatch(job: WriteJob, unit: WriteUnit, error: unknown): ConnectorError {
  const failure = job.engine.errors.classify(error);
  for (const record of unit.records) {
    if (!job.results.has(record.index))
      job.results.fail(record.index, record.recordId, `not confirmed: ${failure.message}`);
  }
  job.results.failRest(job.records, `not attempted: ${failure.message}`);
  return failure;
}

/** Thrown inside the transaction to roll it back once a record is known to have failed. */
class RollBack extends Error {
  constructor(readonly reason: 'records' | 'time') {
    super('roll back');
  }
}

/** A deferred key constraint (checked at COMMIT) is violated by the batch: which record is found by a second run. */
class DeferredViolation extends Error {
  constructor(readonly violation: unknown) {
    super('deferred constraint violated');
  }
}

/**
 * One transaction for all records; any failure rolls everything back. Every unit runs even after a record failed
 * (each failed statement is undone on its own), so that every record refused for its own values is named. A
 * deadlock rolls the whole transaction back: it runs again from the start (retryingConflicts).
 */
async function writeAllOrNone(database: Database, job: WriteJob): Promise<ConnectorError | null> {
  const { engine, plan, facts, units, results, context } = job;
  const culprits = new Map<number, { recordId: string; message: string }>();
  const blame = (record: PreparedRecord, recordId: string, message: string) =>
    culprits.set(record.index, { recordId, message });
  /** The recordId of each record written (with its generated id, when the server generated one). */
  const written = new Map<number, string>();
  /** Checks deferred keys after every statement (the second run after a deferred violation: to name the record). */
  let checkEachStatement = false;
  const checkDeferred = (runner: SqlRunner) =>
    engine.writes.checkDeferred?.(runner, plan.table, facts, context.deadline.statementTimeoutMs());
  const attempt = async (runner: TransactionRunner, unit: WriteUnit): Promise<void> => {
    // Isolated: a failed statement is undone on its own and the transaction goes on (to find the culprits).
    const outcomes = await runner.isolated(async () => {
      const outcomes = await runUnit(engine, runner, plan, unit, facts, context.deadline.statementTimeoutMs());
      if (checkEachStatement) await checkDeferred(runner);
      return outcomes;
    });
    unit.records.forEach((record, position) => {
      const outcome = outcomes[position]!;
      if (!outcome.ok) blame(record, outcome.recordId, outcome.message);
      else written.set(record.index, outcome.recordId);
    });
  };
  const writeAll = async (runner: TransactionRunner): Promise<void> => {
    for (const unit of units) {
      if (outOfTime(context)) throw new RollBack('time');
      try {
        await attempt(runner, unit);
      } catch (error) {
        const skipped = error instanceof RowCountMismatch;
        if (!skipped && !engine.errors.isRecordError(error, job.target)) throw error;
        if (unit.records.length === 1 && !skipped) {
          blame(unit.records[0]!, unit.records[0]!.recordId, engine.errors.describeRecordError(error, job.errors));
        } else if (!skipped && !mayRunAgain(facts)) {
          // Not run again record by record (hidden triggers): the statement's records share its failure.
          for (const record of unit.records) blame(record, record.recordId, statementFailure(job, unit, error));
        } else {
          // The failed statement was undone on its own; find which of its records fail, inside the transaction.
          for (const record of unit.records) {
            if (outOfTime(context)) throw new RollBack('time');
            try {
              await attempt(runner, { records: [record] });
            } catch (single) {
              if (!engine.errors.isRecordError(single, job.target)) throw single;
              blame(record, record.recordId, engine.errors.describeRecordError(single, job.errors));
            }
          }
        }
      }
    }
    // A record refused before any SQL ran fails the batch too: the others ran only to name their own failures.
    if (culprits.size > 0 || job.records.length < job.results.size) throw new RollBack('records');
    // Deferred key constraints are checked now rather than by COMMIT, whose failure could name no record.
    try {
      await checkDeferred(runner);
    } catch (error) {
      if (engine.errors.isRecordError(error, job.target)) throw new DeferredViolation(error);
      throw error;
    }
  };
  const run = () =>
    retryingConflicts(job, () => {
      culprits.clear();
      written.clear();
      // A row lock held elsewhere must not eat the whole budget: give up waiting halfway and roll back.
      return database.transaction(writeAll, { lockWaitSeconds: context.deadline.remainingMs() / 2000 });
    });
  try {
    try {
      await run();
    } catch (error) {
      if (!(error instanceof DeferredViolation)) throw error;
      // Run again (it is rolled back whatever happens), checking the deferred keys after each statement: the first
      // record whose statement violates one is named. When none is (only the whole batch does, e.g. values that
      // swap between records), every record fails with the violation.
      // (A second run that passes, because another session changed the rows meanwhile, has committed.)
      checkEachStatement = true;
      try {
        await run();
      } catch (again) {
        if (!(again instanceof DeferredViolation)) throw again;
        const message = engine.errors.describeRecordError(again.violation, job.errors);
        results.failRest(job.records, `not written: the batch as a whole violates a deferred constraint: ${message}`);
        return null;
      }
    }
  } catch (error) {
    for (const [index, culprit] of culprits) results.fail(index, culprit.recordId, culprit.message);
    if (error instanceof RollBack && error.reason === 'records') {
      results.failRest(job.records, NOT_WRITTEN_OTHER);
      return null;
    }
    if (error instanceof RollBack) {
      results.failRest(job.records, `${NOT_ATTEMPTED_TIME}; nothing of this all-or-none batch was written`);
      return timeFailure('nothing was written');
    }
    const failure = engine.errors.classify(error);
    // The connection broke during COMMIT: the transaction may or may not have been committed.
    const outcome = error instanceof CommitOutcomeUnknownError ? 'not confirmed' : 'not written';
    results.failRest(job.records, `${outcome}: ${failure.message}`);
    return failure;
  }
  for (const record of job.records) results.succeed(record.index, written.get(record.index) ?? record.recordId);
  return null;
}

function timeFailure(detail: string): ConnectorError {
  return new RequestTimeoutError(`the time budget ran out before every record was written; ${detail}`);
}

/** What a write needs besides the records: where it runs and what AppFlow asked for. */
export interface WriteRequest {
  readonly operation: WriteDataRequest['operation'];
  readonly idFieldNames: readonly string[] | null | undefined;
  readonly allowed: ReadonlySet<string> | undefined;
  readonly allOrNone: boolean;
  readonly records: readonly string[];
}

/**
 * Writes the records of one request to `table`; one result per record. Throws (ConnectorError) only for what
 * concerns the whole request before anything is written: a plan that cannot work, allOrNone on a target that
 * cannot roll back.
 */
export async function writeRecords(
  database: Database,
  engine: Engine,
  table: TableMeta,
  request: WriteRequest,
  context: OperationContext,
): Promise<{ response: WriteDataResponse; batchFailure: ConnectorError | null }> {
  const { operation, records: texts, allOrNone } = request;
  if (!operation) throw new InvalidArgumentError('operation is required: one of INSERT, UPDATE, UPSERT, DELETE');
  const plan = planWrite(
    table,
    operation,
    request.idFieldNames,
    request.allowed,
    engine.values,
    engine.writes.reportsAbsentIds === true,
  );
  // The target's facts are read while the records are prepared: neither needs the other. The preparation yields to
  // I/O every PREPARE_SLICE records, so each answer of the facts' statements is taken in and the next one sent while
  // the records are parsed and converted, instead of the two waiting for each other.
  const factsRead = engine.writes.readTargetFacts(database, table, context.deadline.statementTimeoutMs());
  // Awaited below; a failure meanwhile must not count as an unhandled rejection.
  factsRead.catch(() => {});
  const results = new Results(texts.length);
  const records: PreparedRecord[] = [];
  for (const [index, text] of texts.entries()) {
    if (index % PREPARE_SLICE === 0) await yieldToIo();
    const prepared = prepareRecord(plan, text, index);
    if (prepared.ok) records.push(prepared.record);
    else results.fail(prepared.index, prepared.recordId, prepared.message);
  }
  const facts = await factsRead;
  if (allOrNone && !facts.transactional) {
    throw new InvalidArgumentError(
      `allOrNone needs a transactional storage engine; entity "${table.name.slice(0, 128)}" ` +
        (table.isView
          ? 'is a view whose base tables cannot be confirmed to roll back'
          : 'uses an engine that cannot roll back'),
    );
  }

  const job: WriteJob = {
    engine,
    plan,
    facts,
    units: planUnits(plan, records, facts),
    records,
    errors: {
      identifiers: new Set([table.name, ...table.columns.map((column) => column.name)]),
      upsertIdColumns: operation === 'UPSERT' ? plan.idColumns.map((column) => column.name) : [],
    },
    target: { table: table.name, columns: new Set(table.columns.map((column) => column.name)) },
    results,
    context,
  };
  // allOrNone with a record already refused: the others still run, inside the transaction that is then rolled
  // back, so that every record refused for its own values is named in one run (not only the first).
  const batchFailure = allOrNone ? await writeAllOrNone(database, job) : await writeEach(database, job);
  return { response: respond(results, batchFailure), batchFailure };
}
