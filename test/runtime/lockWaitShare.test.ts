/**
 * README (Writing): "Row-lock waits inside an all-or-none transaction give up at half the remaining time, and the
 * transaction rolls back." Both engines, through the built bundle: another session holds a row lock, an all-or-none
 * UPDATE waits for it, and the wait is timed from the moment the server shows the statement waiting.
 *
 * The bounds hold on a loaded machine: the server times the wait itself (innodb_lock_wait_timeout / lock_timeout,
 * whole seconds), so it cannot end early however slow the client is; the upper bound leaves two seconds for the
 * rollback and the answer, far less than the difference between half and all of the remaining time.
 */
import test from 'ava';
import { type ConnectorStage, startConnectorStage } from '../support/environment';
import { writeDataEvent } from '../support/events';
import { invoke } from '../support/lambda';
import { runPsql } from '../support/postgresql';
import { type PostgreSqlStage, startPostgreSqlStage } from '../support/postgresqlStage';

/** The Lambda's remaining time given to each write, and the connector's safety margin (README: answers 3 s early). */
const LAMBDA_REMAINING_MS = 13_000;
const SAFETY_MARGIN_MS = 3_000;
/** How often the test looks for the waiting statement. */
const POLL_MS = 50;
/** Time allowed after the lock wait ends for the rollback and the answer. */
const ANSWER_SLACK_MS = 2_000;

interface WriteAnswer {
  isSuccess: boolean;
  errorDetails: { errorCode: string; errorMessage: string } | null;
  writeRecordResults: { isSuccess: boolean; errorMessage: string | null }[] | null;
}

let mysqlStage: ConnectorStage;
let postgresStage: PostgreSqlStage;

test.before(async () => {
  mysqlStage = await startConnectorStage({ seed: false });
  postgresStage = await startPostgreSqlStage({ schema: 'locks', secretName: 'lock-wait-share-pg' });
  // The last stage's Secrets Manager is the one the bundle asks: it holds both secrets.
  postgresStage.secrets.putSecret(mysqlStage.target.secretArn, {
    username: mysqlStage.database.user,
    password: mysqlStage.database.password,
  });
  await mysqlStage.database.query('CREATE TABLE accounts (id INT PRIMARY KEY, balance INT NOT NULL)');
  await mysqlStage.database.query('INSERT INTO accounts VALUES (1, 10), (2, 20)');
  await postgresStage.sql(
    'CREATE TABLE accounts (id integer PRIMARY KEY, balance integer NOT NULL); INSERT INTO accounts VALUES (1, 10), (2, 20);',
  );
});

test.after.always(async () => {
  await mysqlStage?.teardown();
  await postgresStage?.teardown();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Engine {
  /** Holds the row lock of id 2 until release() is called. */
  holdLock(): Promise<{ release(): Promise<void> }>;
  /** True once a statement of the connector waits for a row lock. */
  waiting(): Promise<boolean>;
  write(): Promise<WriteAnswer>;
  balances(): Promise<number[]>;
}

const records = [
  { id: 1, balance: 11 },
  { id: 2, balance: 21 },
];

const engines: Record<string, () => Engine> = {
  MYSQL: () => ({
    async holdLock() {
      const holder = await mysqlStage.database.connect();
      await holder.query('START TRANSACTION');
      await holder.query('SELECT * FROM accounts WHERE id = 2 FOR UPDATE');
      return {
        async release() {
          await holder.query('ROLLBACK');
          await holder.end();
        },
      };
    },
    async waiting() {
      // The processlist, not INNODB_TRX: InnoDB serves that from a cache that frequent readers keep stale. A
      // one-row UPDATE by primary key that is still running is waiting for the lock.
      const rows = (await mysqlStage.server.adminQuery(
        "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE INFO LIKE 'UPDATE `accounts`%'",
      )) as { n: number }[];
      return Number(rows[0]?.n) > 0;
    },
    write: () =>
      invoke<WriteAnswer>(
        mysqlStage.bundle,
        writeDataEvent(mysqlStage.target, 'accounts', 'UPDATE', records, { idFieldNames: ['id'], allOrNone: true }),
        LAMBDA_REMAINING_MS,
      ),
    async balances() {
      const rows = (await mysqlStage.database.query('SELECT balance FROM accounts ORDER BY id')) as {
        balance: number;
      }[];
      return rows.map((row) => row.balance);
    },
  }),
  POSTGRESQL: () => ({
    async holdLock() {
      // psql holds the lock for as long as it sleeps; release() cancels it by ending the sleep early.
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
        `SET application_name = 'lock_holder'; BEGIN; SELECT * FROM locks.accounts WHERE id = 2 FOR UPDATE;
         SELECT pg_sleep(60); ROLLBACK;`,
      ).catch(() => undefined);
      for (let waited = 0; waited < 10_000; waited += POLL_MS) {
        const rows = await postgresStage.sql(
          "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE a.application_name = 'lock_holder' AND l.mode = 'RowShareLock'",
        );
        if (rows.at(-1)?.[0] !== '0') break;
        await sleep(POLL_MS);
      }
      return {
        async release() {
          await postgresStage.sql(
            "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'lock_holder'",
          );
          await held;
        },
      };
    },
    async waiting() {
      const rows = await postgresStage.sql(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE%'",
      );
      return rows.at(-1)?.[0] !== '0';
    },
    write: () =>
      invoke<WriteAnswer>(
        postgresStage.bundle,
        {
          type: 'WriteDataRequest',
          entityIdentifier: 'accounts',
          operation: 'UPDATE',
          idFieldNames: ['id'],
          records: records.map((record) => JSON.stringify(record)),
          allOrNone: true,
          connectorContext: postgresStage.connectorContext(),
        },
        LAMBDA_REMAINING_MS,
      ),
    async balances() {
      const rows = await postgresStage.sql('SELECT balance FROM accounts ORDER BY id');
      return rows.slice(-2).map((row) => Number(row[0]));
    },
  }),
};

for (const [name, makeEngine] of Object.entries(engines)) {
  test.serial(`${name}: an all-or-none write gives up a row-lock wait at half the remaining time`, async (t) => {
    const engine = makeEngine();
    const lock = await engine.holdLock();
    let answer: WriteAnswer;
    let waitSeenAt = 0;
    let answeredAt = 0;
    const invokedAt = Date.now();
    // The connector's own end of the budget, or a little after it (it starts its clock after this line).
    const budgetEnd = invokedAt + LAMBDA_REMAINING_MS - SAFETY_MARGIN_MS;
    try {
      const pending = engine.write().then((result) => {
        answeredAt = Date.now();
        return result;
      });
      while (answeredAt === 0 && waitSeenAt === 0) {
        if (await engine.waiting()) waitSeenAt = Date.now();
        else await sleep(POLL_MS);
      }
      answer = await pending;
    } finally {
      await lock.release();
    }
    t.not(waitSeenAt, 0, 'the write was seen waiting for the row lock');
    // The connector gives its transaction half of the time left when it starts, in whole seconds (the servers take
    // whole seconds), at least 1 s. It started before the wait was seen, when at least this much was left:
    const leastRemaining = budgetEnd - waitSeenAt;
    const leastWait = Math.max(1, Math.floor(leastRemaining / 2 / 1000)) * 1000;
    // and after the request arrived, when at most the whole budget was left.
    const mostWait = (budgetEnd - invokedAt) / 2;
    t.true(
      answeredAt - invokedAt >= leastWait,
      `answered ${answeredAt - invokedAt} ms after the request; the wait alone is at least ${leastWait} ms (half ` +
        `of the ${leastRemaining} ms left when it was seen, whole seconds)`,
    );
    t.true(
      answeredAt - waitSeenAt <= mostWait + ANSWER_SLACK_MS,
      `answered ${answeredAt - waitSeenAt} ms after the wait was seen; half the budget (${mostWait} ms) plus ` +
        `${ANSWER_SLACK_MS} ms is the most`,
    );
    t.is(answer.isSuccess, false);
    t.is(answer.errorDetails?.errorCode, 'RequestTimeout');
    t.is(answer.writeRecordResults?.length, 2);
    t.true(answer.writeRecordResults?.every((result) => !result.isSuccess && (result.errorMessage ?? '') !== ''));
    t.deepEqual(await engine.balances(), [10, 20], 'rolled back: nothing written');
  });
}
