/**
 * The stage hooks and the WriteData checks that runtime test files share: a stage started before the file's tests and
 * torn down after them, the after-check that nothing the file did logged the password (or a record value), and what
 * every WriteData answer must honour (the response contract, no forbidden text, one result per record).
 */
import type { ExecutionContext, TestFn } from 'ava';
import { isRight } from 'fp-ts/Either';
import { WriteDataResponse } from '../../handler/protocol/codecs';
import type { WriteAnswer } from './engineStage';
import { type ConnectorStage, startConnectorStage } from './environment';
import { type ConnectionTarget, writeDataEvent } from './events';
import { capturedLogs, containsSecret, invoke } from './lambda';
import { type PostgreSqlStage, startPostgreSqlStage } from './postgresqlStage';

export type { RecordResult, WriteAnswer } from './engineStage';

/** Registers `test.after`: the connector logged neither `password()` nor, when given, `value`. */
export function afterNothingLogged(test: TestFn, password: () => string, value?: string): void {
  if (value === undefined) {
    test.after('nothing this file did logged the database password', (t) => {
      t.false(containsSecret(capturedLogs(), password()));
    });
    return;
  }
  test.after('nothing this file did logged the database password or a record value', (t) => {
    t.false(containsSecret(capturedLogs(), password()));
    t.false(capturedLogs().includes(value));
  });
}

/**
 * The MariaDB stage of the file (filled in by test.before, torn down by test.after.always), with the after-check
 * that nothing logged the database password (and `loggedValue`, when given).
 */
export function mariaDbStageFor(test: TestFn, options: { seed?: boolean; loggedValue?: string } = {}): ConnectorStage {
  const stage = {} as ConnectorStage;
  test.before(async () => {
    Object.assign(stage, await startConnectorStage({ seed: options.seed }));
  });
  afterNothingLogged(test, () => stage.database.password, options.loggedValue);
  test.after.always(async () => {
    await stage.teardown?.();
  });
  return stage;
}

/** The PostgreSQL stage of the file, as mariaDbStageFor. */
export function postgreSqlStageFor(
  test: TestFn,
  options: { schema: string; secretName: string; loggedValue?: string },
): PostgreSqlStage {
  const stage = {} as PostgreSqlStage;
  test.before(async () => {
    Object.assign(stage, await startPostgreSqlStage(options));
  });
  afterNothingLogged(test, () => stage.db.password, options.loggedValue);
  test.after.always(async () => {
    await stage.teardown?.();
  });
  return stage;
}

/**
 * What every WriteData answer must honour: the response contract, none of `forbidden` (text, and what the check
 * says) in it, and one result per record when there are results.
 */
export function checkWriteAnswer<T extends WriteAnswer>(
  t: ExecutionContext,
  answer: T,
  recordCount: number,
  forbidden: readonly (readonly [text: string, says: string])[],
): T {
  t.true(isRight(WriteDataResponse.decode(answer)), 'the response honours the WriteDataResponse contract');
  const text = JSON.stringify(answer);
  for (const [value, says] of forbidden) t.false(text.includes(value), says);
  if (answer.writeRecordResults) t.is(answer.writeRecordResults.length, recordCount);
  return answer;
}

/** Each record's outcome. */
export const outcomes = (answer: WriteAnswer) => answer.writeRecordResults!.map((result) => result.isSuccess);
/** Each record's error message (null where written). */
export const messages = (answer: WriteAnswer) => answer.writeRecordResults!.map((result) => result.errorMessage);

/** The records a write refused, as `record N: message` (empty when every record was written). */
export function refusedRecords(answer: Pick<WriteAnswer, 'writeRecordResults'>): string[] {
  return (answer.writeRecordResults ?? []).flatMap((result, index) =>
    result.isSuccess ? [] : [`record ${index + 1}: ${result.errorMessage}`],
  );
}

/** Sends a WriteData request of record texts; `via` is where to (a target, a bundle), when not the stage's own. */
export type WriteSender<T, V> = (
  entity: string,
  operation: string,
  records: readonly string[],
  extra: Record<string, unknown>,
  via?: V,
) => Promise<T>;

/** A write of record texts to the MariaDB stage, or (`via`) to another target on its server. */
export function mariaDbSender(stage: ConnectorStage): WriteSender<WriteAnswer, ConnectionTarget> {
  return (entity, operation, records, extra, target = stage.target) =>
    invoke<WriteAnswer>(stage.bundle, { ...writeDataEvent(target, entity, operation, [], extra), records });
}

/** A write through `send` whose every answer is checked (checkWriteAnswer) for none of `forbidden()`. */
export function checkedWriter<T extends WriteAnswer, V = never>(
  send: WriteSender<T, V>,
  forbidden: () => readonly (readonly [text: string, says: string])[],
) {
  return async (
    t: ExecutionContext,
    entity: string,
    operation: string,
    records: readonly string[],
    extra: Record<string, unknown> = {},
    via?: V,
  ): Promise<T> => checkWriteAnswer(t, await send(entity, operation, records, extra, via), records.length, forbidden());
}
