/**
 * A deadlock during a write ends as the README promises (issue 17 item 7): every record ends written, or reported
 * with a retryable code — never reported written when it is not, never failed for good. Both engines, through the
 * built bundle: two all-or-none flows UPDATE the same rows in opposite orders at the same moment (one statement per
 * record, in request order, in one transaction), each a column of its own (so each record's outcome can be read back
 * exactly), until the server has counted a deadlock. Whether the
 * connector retries the rolled-back statement (and both flows then succeed) or answers a retryable code, the
 * promise holds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { type ConnectorStage, startConnectorStage } from '../support/environment';
import { writeDataEvent } from '../support/events';
import { invoke } from '../support/lambda';
import { type PostgreSqlStage, startPostgreSqlStage } from '../support/postgresqlStage';

/** AppFlow retries these (README errors table: "retryAfterSeconds" codes, and the timeouts). */
const RETRYABLE = new Set(['RequestTimeout', 'ServiceUnavailable', 'RateLimitExceeded']);
const ROWS = 40;
const MAX_ROUNDS = 8;

interface WriteAnswer {
  isSuccess: boolean;
  errorDetails: { errorCode: string; errorMessage: string; retryAfterSeconds?: number | null } | null;
  writeRecordResults: { isSuccess: boolean; recordId: string | null; errorMessage: string | null }[] | null;
}

let mysqlStage: ConnectorStage;
let postgresStage: PostgreSqlStage;

test.before(async () => {
  mysqlStage = await startConnectorStage({ seed: false });
  postgresStage = await startPostgreSqlStage({ schema: 'deadlocks', secretName: 'deadlock-outcome-pg' });
  // The last stage's Secrets Manager is the one the bundle asks: it holds both secrets.
  postgresStage.secrets.putSecret(mysqlStage.target.secretArn, {
    username: mysqlStage.database.user,
    password: mysqlStage.database.password,
  });
  const ids = Array.from({ length: ROWS }, (_, index) => index + 1);
  await mysqlStage.database.query(
    'CREATE TABLE shared (id INT PRIMARY KEY, a VARCHAR(20), b VARCHAR(20)); INSERT INTO shared (id) VALUES ?',
    [ids.map((id) => [id])],
  );
  await postgresStage.sql(
    `CREATE TABLE shared (id integer PRIMARY KEY, a varchar(20), b varchar(20));
     INSERT INTO shared (id) SELECT generate_series(1, ${ROWS});`,
  );
});

test.after.always(async () => {
  await mysqlStage?.teardown();
  await postgresStage?.teardown();
});

interface Engine {
  update(records: Record<string, unknown>[]): Promise<WriteAnswer>;
  /** The column's value of every row, by id. */
  column(name: 'a' | 'b'): Promise<Map<number, string | null>>;
  /** Deadlocks the server has counted so far. */
  deadlocks(): Promise<number>;
}

const engines: Record<string, () => Engine> = {
  MYSQL: () => ({
    update: (records) =>
      invoke<WriteAnswer>(
        mysqlStage.bundle,
        writeDataEvent(mysqlStage.target, 'shared', 'UPDATE', records, { idFieldNames: ['id'], allOrNone: true }),
      ),
    async column(name) {
      const rows = (await mysqlStage.database.query(`SELECT id, ${name} AS v FROM shared`)) as {
        id: number;
        v: string | null;
      }[];
      return new Map(rows.map((row) => [Number(row.id), row.v]));
    },
    async deadlocks() {
      const rows = (await mysqlStage.server.adminQuery("SHOW GLOBAL STATUS LIKE 'Innodb_deadlocks'")) as {
        Value: string;
      }[];
      return Number(rows[0]?.Value ?? 0);
    },
  }),
  POSTGRESQL: () => ({
    update: (records) =>
      invoke<WriteAnswer>(postgresStage.bundle, {
        type: 'WriteDataRequest',
        entityIdentifier: 'shared',
        operation: 'UPDATE',
        idFieldNames: ['id'],
        records: records.map((record) => JSON.stringify(record)),
        allOrNone: true,
        connectorContext: postgresStage.connectorContext(),
      }),
    async column(name) {
      const rows = await postgresStage.sql(`SELECT id, coalesce(${name}, '-') FROM shared`);
      const values = new Map<number, string | null>();
      for (const [id, value] of rows.filter((row) => row.length === 2 && /^\d+$/.test(row[0] ?? ''))) {
        values.set(Number(id), value === '-' ? null : (value ?? null));
      }
      return values;
    },
    async deadlocks() {
      // The server's log, not pg_stat_database: a backend that stays idle in the pool reports its statistics only
      // after PostgreSQL's idle interval (10 s).
      const directory = postgresStage.server.directory;
      if (directory === null) throw new Error('the deadlock count needs the throwaway server and its log');
      const log = readFileSync(join(directory, 'postgresql.log'), 'utf8');
      return log.split('deadlock detected').length - 1;
    },
  }),
};

for (const [name, makeEngine] of Object.entries(engines)) {
  test.serial(
    `${name}: writers that deadlock leave every record written or reported with a retryable code`,
    async (t) => {
      const engine = makeEngine();
      const before = await engine.deadlocks();
      let deadlocked = false;
      for (let round = 1; round <= MAX_ROUNDS && !deadlocked; round++) {
        const ascending = Array.from({ length: ROWS }, (_, index) => index + 1);
        const valueA = `a${round}`;
        const valueB = `b${round}`;
        const [answerA, answerB] = await Promise.all([
          engine.update(ascending.map((id) => ({ id, a: valueA }))),
          engine.update([...ascending].reverse().map((id) => ({ id, b: valueB }))),
        ]);
        const columnA = await engine.column('a');
        const columnB = await engine.column('b');
        for (const [label, answer, value, column, ids] of [
          ['writer a', answerA, valueA, columnA, ascending],
          ['writer b', answerB, valueB, columnB, [...ascending].reverse()],
        ] as const) {
          const results = answer.writeRecordResults ?? [];
          t.is(results.length, ROWS, `${label}: one result per record`);
          const failed = results.filter((result) => !result.isSuccess);
          if (failed.length > 0) {
            t.true(
              RETRYABLE.has(answer.errorDetails?.errorCode ?? ''),
              `${label}: ${failed.length} records failed with ${answer.errorDetails?.errorCode}: ${failed[0]?.errorMessage}`,
            );
          }
          results.forEach((result, index) => {
            const id = ids[index]!;
            if (result.isSuccess) {
              t.is(column.get(id), value, `${label}: record ${index + 1} (id ${id}) was reported written`);
            }
          });
        }
        for (let look = 0; look < 20 && !deadlocked; look++) {
          deadlocked = (await engine.deadlocks()) > before;
          if (!deadlocked) await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      t.true(deadlocked, `the server counted a deadlock within ${MAX_ROUNDS} rounds`);
    },
  );
}
