/**
 * Faults that happen in production, each played against the throwaway MariaDB: restarts, killed queries, rotated
 * passwords, exhausted connections, and queries that run into the Lambda's deadline.
 */
import test from 'ava';
import mysql from 'mysql2/promise';
import { TableMetaCache } from '../../handler/catalog/tables';
import { DatabasePools } from '../../handler/engines/pools';
import { RdsIamTokenSource } from '../../handler/iamAuth';
import { createLogger } from '../../handler/logger';
import { queryData } from '../../handler/operations/queryData';
import { createTokenKey } from '../../handler/paging/token';
import { PhaseClock } from '../../handler/phases';
import type { QueryDataRequest } from '../../handler/protocol/codecs';
import { SecretsManagerSource } from '../../handler/secrets';
import { type ConnectorStage, startConnectorStage } from '../support/environment';
import { queryDataEvent, secretArnFor, validateCredentialsEvent, writeDataEvent } from '../support/events';
import { invoke } from '../support/lambda';
import { awkwardPassword } from '../support/mariadb';

let stage: ConnectorStage;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test.before(async () => {
  stage = await startConnectorStage();
  await stage.database.query('CREATE TABLE numbers (n INT PRIMARY KEY)');
  await stage.database.query('INSERT INTO numbers (n) SELECT seq FROM seq_1_to_3000');
  // Every row costs 5 ms to produce: a query that outlives any deadline we give it.
  await stage.database.query('CREATE VIEW slow_numbers AS SELECT n, SLEEP(0.005) AS pause FROM numbers');
});
test.after.always(async () => {
  await stage?.teardown();
});

// These tests stop and restart the one server: they run one after the other.

test.serial('a server restarted between invocations: the next call reconnects on its own', async (t) => {
  const before = await invoke(stage.bundle, queryDataEvent(stage.target, 'customers'));
  t.is(before.isSuccess, true);
  await stage.server.shutdown('clean');
  await stage.server.start();
  await sleep(1_100);
  const after = await invoke(stage.bundle, queryDataEvent(stage.target, 'customers'));
  t.deepEqual(after.records, before.records);

  await stage.server.shutdown('crash');
  await stage.server.start();
  await sleep(1_100);
  const afterCrash = await invoke(stage.bundle, queryDataEvent(stage.target, 'customers'));
  t.deepEqual(afterCrash.records, before.records);
});

test.serial('a server that is down answers ServiceUnavailable with retryAfterSeconds, then recovers', async (t) => {
  await stage.server.shutdown('clean');
  try {
    const down = await invoke(stage.bundle, queryDataEvent(stage.target, 'customers'));
    t.like(down, { isSuccess: false, errorDetails: { errorCode: 'ServiceUnavailable' } });
    t.true((down.errorDetails as { retryAfterSeconds: number }).retryAfterSeconds > 0);
  } finally {
    await stage.server.start();
  }
  await sleep(1_100);
  t.is((await invoke(stage.bundle, queryDataEvent(stage.target, 'customers'))).isSuccess, true);
});

test.serial('a query killed mid-flight answers ServiceUnavailable at once', async (t) => {
  const pending = invoke(stage.bundle, queryDataEvent(stage.target, 'slow_numbers', { maxResults: 1000 }));
  let killed = false;
  for (let attempt = 0; attempt < 100 && !killed; attempt++) {
    await sleep(50);
    const running = (await stage.server.adminQuery(
      "SELECT ID AS id FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT %slow_numbers%' AND ID <> CONNECTION_ID()",
    )) as { id: number }[];
    for (const { id } of running) {
      await stage.server.adminQuery(`KILL CONNECTION ${Number(id)}`);
      killed = true;
    }
  }
  t.true(killed, 'the query was seen running and killed');
  const response = await pending;
  t.is(response.isSuccess, false);
  const details = response.errorDetails as { errorCode: string; retryAfterSeconds: number | null };
  t.is(details.errorCode, 'ServiceUnavailable');
  t.true((details.retryAfterSeconds ?? 0) > 0);
  t.is(
    (await invoke(stage.bundle, queryDataEvent(stage.target, 'customers'))).isSuccess,
    true,
    'and the next call works',
  );
});

test.serial(
  'a rotated password: the cached secret is refreshed once and the call succeeds; still wrong → InvalidCredentials',
  async (t) => {
    const arn = secretArnFor('rotating');
    const user = `rot_${Date.now() % 100000}`;
    const oldPassword = awkwardPassword();
    await stage.server.adminQuery(`CREATE USER ?@'%' IDENTIFIED BY ? REQUIRE SSL`, [user, oldPassword]);
    await stage.server.adminQuery(`GRANT SELECT ON \`${stage.database.database}\`.* TO ?@'%'`, [user]);
    stage.secrets.putSecret(arn, { username: user, password: oldPassword });
    const target = { ...stage.target, secretArn: arn };
    t.is((await invoke(stage.bundle, queryDataEvent(target, 'customers'))).isSuccess, true);
    const callsBefore = stage.secrets.calls(arn);

    // Rotation: the database and the secret change; the connector still holds the old secret and open connections.
    const newPassword = awkwardPassword();
    await stage.server.adminQuery(`ALTER USER ?@'%' IDENTIFIED BY ?`, [user, newPassword]);
    stage.secrets.putSecret(arn, { username: user, password: newPassword });
    const sessions = (await stage.server.adminQuery(
      'SELECT ID AS id FROM information_schema.PROCESSLIST WHERE USER = ?',
      [user],
    )) as { id: number }[];
    for (const { id } of sessions) await stage.server.adminQuery(`KILL CONNECTION ${Number(id)}`);
    await sleep(1_100);

    const rotated = await invoke(stage.bundle, queryDataEvent(target, 'customers'));
    t.is(rotated.isSuccess, true, JSON.stringify(rotated.errorDetails));
    t.is(stage.secrets.calls(arn), callsBefore + 1, 'the secret was read again exactly once');

    // The database changes again but the secret does not: nothing to refresh to.
    await stage.server.adminQuery(`ALTER USER ?@'%' IDENTIFIED BY ?`, [user, awkwardPassword()]);
    const again = (await stage.server.adminQuery('SELECT ID AS id FROM information_schema.PROCESSLIST WHERE USER = ?', [
      user,
    ])) as { id: number }[];
    for (const { id } of again) await stage.server.adminQuery(`KILL CONNECTION ${Number(id)}`);
    await sleep(1_100);
    const wrong = await invoke(stage.bundle, queryDataEvent(target, 'customers'));
    t.like(wrong, { isSuccess: false, errorDetails: { errorCode: 'InvalidCredentials' } });
    t.false(JSON.stringify(wrong).includes(newPassword));
  },
);

test.serial('too many connections → RateLimitExceeded with retryAfterSeconds', async (t) => {
  const arn = secretArnFor('limited');
  const user = `lim_${Date.now() % 100000}`;
  const password = awkwardPassword();
  await stage.server.adminQuery(`CREATE USER ?@'%' IDENTIFIED BY ? WITH MAX_USER_CONNECTIONS 1`, [user, password]);
  await stage.server.adminQuery(`GRANT SELECT ON \`${stage.database.database}\`.* TO ?@'%'`, [user]);
  stage.secrets.putSecret(arn, { username: user, password });
  const hog = await mysql.createConnection({
    host: stage.database.host,
    port: stage.database.port,
    user,
    password,
    ssl: { rejectUnauthorized: false },
  });
  try {
    const response = await invoke(stage.bundle, validateCredentialsEvent({ ...stage.target, secretArn: arn }));
    t.like(response, { isSuccess: false, errorDetails: { errorCode: 'RateLimitExceeded' } });
    t.true((response.errorDetails as { retryAfterSeconds: number }).retryAfterSeconds > 0);
  } finally {
    await hog.end();
  }
  // The server counts the hog until its thread has ended, a moment after the client closed the socket.
  for (let waited = 0; waited < 10_000; waited += 50) {
    const [row] = (await stage.server.adminQuery(
      'SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE USER = ?',
      [user],
    )) as { n: number | string }[];
    if (Number(row?.n) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  t.like(await invoke(stage.bundle, validateCredentialsEvent({ ...stage.target, secretArn: arn })), {
    isSuccess: true,
  });
});

test.serial(
  'a query running into the Lambda deadline is stopped and answered in time with RequestTimeout',
  async (t) => {
    const remainingMs = 5_000;
    const started = Date.now();
    const response = await invoke(
      stage.bundle,
      queryDataEvent(stage.target, 'slow_numbers', { maxResults: 1000 }),
      remainingMs,
    );
    const elapsed = Date.now() - started;
    t.like(response, { isSuccess: false, records: null, errorDetails: { errorCode: 'RequestTimeout' } });
    t.true(elapsed < remainingMs, `answered after ${elapsed} ms, before the Lambda's ${remainingMs} ms ran out`);
    t.is((await invoke(stage.bundle, queryDataEvent(stage.target, 'customers'))).isSuccess, true, 'the pool recovers');
  },
);

test.serial(
  'a page that has used its share of the time budget ends early with a token instead of failing',
  async (t) => {
    // The operation itself, with a deadline whose page share is already spent: after its first chunk of rows the
    // page must end with a token rather than fetch more (through the bundle this needs a real clock to run out).
    const context = {
      secrets: new SecretsManagerSource(),
      iamTokens: new RdsIamTokenSource(),
      pools: new DatabasePools(),
      tables: new TableMetaCache(),
      logger: createLogger({}, 'ERROR'),
      tokenKey: createTokenKey(),
      deadline: { remainingMs: () => 20_000, statementTimeoutMs: () => 20_000, isPastShare: () => true },
      phases: new PhaseClock(),
    };
    try {
      const event = queryDataEvent(stage.target, 'numbers', { maxResults: 3000 });
      const response = await queryData(event as QueryDataRequest, context);
      // The first statement of a page whose pace is unknown asks for few rows (handler/read/pace.ts); the page must
      // end after that first chunk, well short of the 3,000 asked for.
      const read = response.records?.length ?? 0;
      t.true(read >= 1 && read < 3000, `one chunk, not the whole page (${read} records)`);
      t.truthy(response.nextToken);
    } finally {
      await context.pools.closeAll();
    }
  },
);

test.serial(
  'a lock wait timeout during an all-or-none write rolls the transaction back and reports every record failed',
  async (t) => {
    await stage.database.query('CREATE TABLE accounts (id INT PRIMARY KEY, balance INT NOT NULL)');
    await stage.database.query('INSERT INTO accounts VALUES (1, 10), (2, 20)');
    const blocker = await stage.database.connect();
    try {
      await blocker.query('START TRANSACTION');
      await blocker.query('SELECT * FROM accounts WHERE id = 2 FOR UPDATE');
      const event = writeDataEvent(
        stage.target,
        'accounts',
        'UPDATE',
        [
          { id: 1, balance: 11 },
          { id: 2, balance: 21 },
        ],
        {
          idFieldNames: ['id'],
          allOrNone: true,
        },
      );
      // 8 s left in the Lambda: 5 s usable, so the lock wait gives up after 2 s.
      const response = await invoke(stage.bundle, event, 8_000);
      t.is(response.isSuccess, false);
      t.is((response.errorDetails as { errorCode: string }).errorCode, 'RequestTimeout');
      const results = response.writeRecordResults as { isSuccess: boolean; errorMessage: string }[];
      t.is(results.length, 2);
      t.true(results.every((result) => !result.isSuccess && result.errorMessage.length > 0));
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    const rows = (await stage.database.query('SELECT id, balance FROM accounts ORDER BY id')) as { balance: number }[];
    t.deepEqual(
      rows.map((row) => row.balance),
      [10, 20],
      'nothing was written: record 1 was rolled back too',
    );
  },
);

test.serial('a write killed mid-transaction answers a retryable code and leaves no half-written batch', async (t) => {
  await stage.database.query('CREATE TABLE ledger (id INT PRIMARY KEY, amount INT NOT NULL)');
  await stage.database.query('INSERT INTO ledger VALUES (3, 0)');
  const blocker = await stage.database.connect();
  await blocker.query('START TRANSACTION');
  await blocker.query('SELECT * FROM ledger WHERE id = 3 FOR UPDATE');
  const records = [
    { id: 1, amount: 1 },
    { id: 2, amount: 2 },
    { id: 3, amount: 3 },
  ];
  const pending = invoke(
    stage.bundle,
    writeDataEvent(stage.target, 'ledger', 'UPSERT', records, { idFieldNames: ['id'], allOrNone: true }),
  );
  let killed = false;
  for (let attempt = 0; attempt < 100 && !killed; attempt++) {
    await sleep(50);
    const waiting = (await stage.server.adminQuery(
      "SELECT ID AS id FROM information_schema.PROCESSLIST WHERE INFO LIKE 'INSERT INTO `ledger`%' AND ID <> CONNECTION_ID()",
    )) as { id: number }[];
    for (const { id } of waiting) {
      await stage.server.adminQuery(`KILL CONNECTION ${Number(id)}`);
      killed = true;
    }
  }
  await blocker.query('ROLLBACK');
  await blocker.end();
  t.true(killed, 'the write was seen waiting and killed');
  const response = await pending;
  t.is(response.isSuccess, false);
  const details = response.errorDetails as { errorCode: string; retryAfterSeconds: number | null };
  // The connection was killed, as with a query killed mid-flight: the same code (the database cannot be reached).
  t.is(details.errorCode, 'ServiceUnavailable');
  t.true((details.retryAfterSeconds ?? 0) > 0);
  t.true((response.writeRecordResults as { isSuccess: boolean }[]).every((result) => !result.isSuccess));
  const rows = (await stage.database.query('SELECT id, amount FROM ledger ORDER BY id')) as {
    id: number;
    amount: number;
  }[];
  t.deepEqual(rows, [{ id: 3, amount: 0 }]);
});

test.serial('a timed-out statement is killed on the server, and the next call does not wait behind it', async (t) => {
  const timedOut = await invoke(
    stage.bundle,
    queryDataEvent(stage.target, 'slow_numbers', { maxResults: 1000 }),
    4_500,
  );
  t.like(timedOut, { isSuccess: false, errorDetails: { errorCode: 'RequestTimeout' } });
  const running = (await stage.server.adminQuery(
    "SELECT ID AS id FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT %slow_numbers%' AND ID <> CONNECTION_ID()",
  )) as unknown[];
  t.is(running.length, 0, 'the statement no longer runs on the server');
  const started = Date.now();
  const next = await invoke(stage.bundle, queryDataEvent(stage.target, 'customers'), 4_500);
  t.is(next.isSuccess, true);
  t.true(Date.now() - started < 1_500, `the next call took ${Date.now() - started} ms`);
});

test.serial(
  'an all-or-none write blocked by a table lock is answered within its budget, nothing written',
  async (t) => {
    await stage.database.query('CREATE TABLE locked_target (id INT PRIMARY KEY, v INT NOT NULL)');
    const holder = await stage.database.connect();
    await holder.query('LOCK TABLES locked_target WRITE');
    try {
      const started = Date.now();
      const response = await invoke(
        stage.bundle,
        writeDataEvent(stage.target, 'locked_target', 'INSERT', [{ id: 1, v: 1 }], { allOrNone: true }),
        6_000,
      );
      const elapsed = Date.now() - started;
      t.true(elapsed < 6_000, `answered after ${elapsed} ms of a 6 s budget`);
      t.is(response.isSuccess, false);
      t.true((response.writeRecordResults as { isSuccess: boolean }[]).every((result) => !result.isSuccess));
    } finally {
      await holder.query('UNLOCK TABLES');
      await holder.end();
    }
    await sleep(200);
    const rows = (await stage.database.query('SELECT COUNT(*) AS n FROM locked_target')) as { n: number }[];
    t.is(Number(rows[0]!.n), 0);
  },
);
