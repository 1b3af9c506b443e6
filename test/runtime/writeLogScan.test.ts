/**
 * README (Errors): logs hold field names, sizes and counts, never a record value or a key value; a failed record's
 * message names the field and never echoes the value. Both engines, through the built bundle at LOG_LEVEL DEBUG:
 * batches that fail in every way the write path knows (duplicate key, too long, CHECK, NULL into NOT NULL, no row
 * for the id, an all-or-none rollback, a batch stopped by a lock wait), each value carrying a marker that appears
 * nowhere else; then everything the bundle logged, and every error message it answered, is searched for them.
 */
import { randomBytes } from 'node:crypto';
import test from 'ava';
import { type ConnectorStage, startConnectorStage } from '../support/environment';
import { writeDataEvent } from '../support/events';
import { capturedLogs, invoke } from '../support/lambda';
import { runPsql } from '../support/postgresql';
import { type PostgreSqlStage, startPostgreSqlStage } from '../support/postgresqlStage';
import type { WriteAnswer } from '../support/writes';

let mysqlStage: ConnectorStage;
let postgresStage: PostgreSqlStage;
const previousLogLevel = process.env.LOG_LEVEL;

test.before(async () => {
  process.env.LOG_LEVEL = 'DEBUG';
  mysqlStage = await startConnectorStage({ seed: false });
  postgresStage = await startPostgreSqlStage({ schema: 'scan', secretName: 'write-log-scan-pg' });
  // The last stage's Secrets Manager is the one the bundle asks: it holds both secrets.
  postgresStage.secrets.putSecret(mysqlStage.target.secretArn, {
    username: mysqlStage.database.user,
    password: mysqlStage.database.password,
  });
  await mysqlStage.database.query(
    'CREATE TABLE people (code VARCHAR(40) PRIMARY KEY, email VARCHAR(40) NOT NULL UNIQUE, ' +
      'age INT CHECK (age < 150), note VARCHAR(20))',
  );
  await postgresStage.sql(
    'CREATE TABLE people (code varchar(40) PRIMARY KEY, email varchar(40) NOT NULL UNIQUE, ' +
      'age integer CHECK (age < 150), note varchar(20));',
  );
});

test.after.always(async () => {
  if (previousLogLevel === undefined) delete process.env.LOG_LEVEL;
  else process.env.LOG_LEVEL = previousLogLevel;
  await mysqlStage?.teardown();
  await postgresStage?.teardown();
});

/** A value that appears nowhere but where the test put it. */
const marker = (prefix: string) => `${prefix}zq${randomBytes(5).toString('hex')}`;
/** Ages no log line or timing could hold by chance (a CHECK refuses them). */
const markerAge = () => 7_000_000 + Math.floor(Math.random() * 900_000) * 3 + 1;

interface Engine {
  write(
    operation: string,
    records: Record<string, unknown>[],
    extra?: Record<string, unknown>,
    remainingMs?: number,
  ): Promise<WriteAnswer>;
  /** Holds the row lock of `code` until release(). */
  holdLock(code: string): Promise<{ release(): Promise<void> }>;
}

const engines: Record<string, () => Engine> = {
  MYSQL: () => ({
    write: (operation, records, extra = {}, remainingMs) =>
      invoke<WriteAnswer>(
        mysqlStage.bundle,
        writeDataEvent(mysqlStage.target, 'people', operation, records, { idFieldNames: ['code'], ...extra }),
        remainingMs,
      ),
    async holdLock(code) {
      const holder = await mysqlStage.database.connect();
      await holder.query('START TRANSACTION');
      await holder.query('SELECT * FROM people WHERE code = ? FOR UPDATE', [code]);
      return {
        async release() {
          await holder.query('ROLLBACK');
          await holder.end();
        },
      };
    },
  }),
  POSTGRESQL: () => ({
    write: (operation, records, extra = {}, remainingMs) =>
      invoke<WriteAnswer>(
        postgresStage.bundle,
        {
          type: 'WriteDataRequest',
          entityIdentifier: 'people',
          operation,
          idFieldNames: ['code'],
          records: records.map((record) => JSON.stringify(record)),
          allOrNone: false,
          connectorContext: postgresStage.connectorContext(),
          ...extra,
        },
        remainingMs,
      ),
    async holdLock(code) {
      const { db } = postgresStage;
      const connection = {
        host: db.host,
        port: db.port,
        user: db.user,
        password: db.password,
        database: db.database,
        sslmode: 'require' as const,
      };
      const held = runPsql(
        connection,
        `SET application_name = 'scan_lock_holder'; BEGIN; SELECT * FROM scan.people WHERE code = :'code' FOR UPDATE;
         SELECT pg_sleep(60); ROLLBACK;`,
        { code },
      ).catch(() => undefined);
      for (let waited = 0; waited < 10_000; waited += 50) {
        const rows = await postgresStage.sql(
          "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'scan_lock_holder' AND query LIKE '%pg_sleep%' AND state = 'active'",
        );
        if (rows.at(-1)?.[0] !== '0') break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return {
        async release() {
          await postgresStage.sql(
            "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'scan_lock_holder'",
          );
          await held;
        },
      };
    },
  }),
};

for (const [name, makeEngine] of Object.entries(engines)) {
  test.serial(`${name}: failed batches leave no record or key value in any log line or error message`, async (t) => {
    const engine = makeEngine();
    const values: string[] = [];
    const remember = <T extends string | number>(value: T): T => {
      values.push(String(value));
      return value;
    };
    const person = () => ({
      code: remember(marker('k')),
      email: remember(`${marker('e')}@x.test`),
      age: 30,
      note: null as string | null,
    });
    const answers: WriteAnswer[] = [];
    const stored = person();

    // Record failures: a duplicate email, a note too long, a CHECK, NULL into NOT NULL.
    answers.push(
      await engine.write('INSERT', [
        stored,
        { ...person(), email: stored.email },
        { ...person(), note: remember(marker('long-note-')) },
        { ...person(), age: remember(markerAge()) },
        { ...person(), email: null },
      ]),
    );
    // No row for the id: UPDATE and DELETE by a key nobody stored.
    answers.push(await engine.write('UPDATE', [{ code: remember(marker('missing')), note: remember(marker('n')) }]));
    answers.push(await engine.write('DELETE', [{ code: remember(marker('gone')) }]));
    // An all-or-none batch rolled back by one bad record.
    answers.push(
      await engine.write('UPSERT', [person(), { ...person(), age: remember(markerAge()) }], { allOrNone: true }),
    );
    // A batch stopped by a lock wait (the "write batch stopped" line).
    const lock = await engine.holdLock(stored.code);
    try {
      answers.push(
        await engine.write(
          'UPSERT',
          [person(), { ...stored, note: remember(marker('n')) }],
          { allOrNone: true },
          6_000,
        ),
      );
    } finally {
      await lock.release();
    }

    const [recordFailures, missingUpdate, missingDelete, rolledBack, stopped] = answers;
    t.is(recordFailures?.errorDetails?.errorCode, 'PartialWriteFailure');
    t.deepEqual(
      recordFailures?.writeRecordResults?.map((result) => result.isSuccess),
      [true, false, false, false, false],
    );
    t.is(missingUpdate?.writeRecordResults?.[0]?.isSuccess, false);
    t.is(missingDelete?.writeRecordResults?.[0]?.isSuccess, false);
    t.true(rolledBack?.writeRecordResults?.every((result) => !result.isSuccess));
    t.is(stopped?.errorDetails?.errorCode, 'RequestTimeout', 'the batch was stopped by the lock wait');

    const logs = capturedLogs();
    t.regex(logs, /write batch stopped/, 'the stopped batch was logged');
    // Messages answered to AppFlow (recordId is the key by definition and is left out).
    const messages = answers.flatMap((answer) => [
      answer.errorDetails?.errorMessage ?? '',
      ...(answer.writeRecordResults ?? []).map((result) => result.errorMessage ?? ''),
    ]);
    for (const value of values) {
      t.false(logs.includes(value), `a log line holds the record value ${value}`);
      const message = messages.find((text) => text.includes(value));
      t.is(message, undefined, `an error message holds the record value ${value}`);
    }
  });
}
