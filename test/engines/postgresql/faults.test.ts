/**
 * Faults of production played against a throwaway PostgreSQL through the built bundle, as faults.test.ts does for
 * MariaDB: wrong and rotated passwords, a secret that does not exist, hosts that refuse or never answer, every TLS
 * mode, a server restarted, crashed or down between calls, statements that outlive the Lambda's time, and a role
 * out of connections.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import pg from 'pg';
import { generateCertificates } from '../../../local/certificates';
import { secretArnFor } from '../../support/events';
import { capturedLogs, containsSecret } from '../../support/lambda';
import { awkwardPostgresPassword } from '../../support/postgresql';
import { type PostgreSqlStage, startPostgreSqlStage } from '../../support/postgresqlStage';

let stage: PostgreSqlStage;
let directory: string;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Every password this file gives the database (each registered for the suite's leak scan). */
const passwords: string[] = [];

function newPassword(): string {
  const password = awkwardPostgresPassword();
  passwords.push(password);
  return password;
}

test.before(async () => {
  stage = await startPostgreSqlStage({ schema: 'faults', secretName: 'postgresql-faults' });
  directory = mkdtempSync(join(tmpdir(), 'pg-faults-'));
  await stage.sql(`
    CREATE TABLE numbers (n int PRIMARY KEY);
    INSERT INTO numbers SELECT generate_series(1, 3000);
    CREATE TABLE customers (id int PRIMARY KEY, name text);
    INSERT INTO customers VALUES (1, 'Ada'), (2, 'Grace');
    -- A filter that sleeps; costly enough that the planner reads the key index in order instead of sorting, so rows
    -- stream as they pass.
    CREATE FUNCTION slowly(delay float8) RETURNS boolean LANGUAGE plpgsql VOLATILE COST 1000000
      AS $$ BEGIN PERFORM pg_sleep(delay); RETURN true; END $$;
    -- Every row costs 5 ms: a read that outlives any deadline we give it, delivering rows as it goes.
    CREATE VIEW slow_numbers AS SELECT n FROM numbers WHERE slowly(0.005);
    -- The first row alone takes 30 s: nothing arrives before any deadline we give.
    CREATE VIEW slow_start AS SELECT n FROM numbers WHERE slowly(CASE WHEN n = 1 THEN 30 ELSE 0 END);
  `);
});

test.after('nothing this file did logged or answered a database password', (t) => {
  for (const password of [stage.db.password, stage.db.plainPassword, ...passwords]) {
    t.false(containsSecret(capturedLogs(), password));
  }
});

test.after.always(async () => {
  delete process.env.NODE_EXTRA_CA_CERTS;
  if (directory) rmSync(directory, { recursive: true, force: true });
  await stage?.teardown();
});

const CUSTOMERS = ['{"id":1,"name":"Ada"}', '{"id":2,"name":"Grace"}'];

/** Backends of the database whose current statement mentions `text` (other than the asking one). */
async function runningStatements(text: string): Promise<string[][]> {
  return stage.server.adminQuery(
    `SELECT pid FROM pg_stat_activity WHERE datname = :'database' AND state = 'active'
       AND strpos(query, :'text') > 0 AND pid <> pg_backend_pid()`,
    { database: stage.db.database, text },
  );
}

// These tests stop and restart the one server and change process.env: they run one after the other.

test.serial('a wrong password is InvalidCredentials, and the answer does not hold it', async (t) => {
  const arn = secretArnFor('pg-wrong-password');
  const wrong = newPassword();
  stage.secrets.putSecret(arn, { username: stage.db.user, password: wrong });
  const answer = await stage.validate(arn);
  t.like(answer, { isSuccess: false, errorDetails: { errorCode: 'InvalidCredentials' } });
  t.false(containsSecret(JSON.stringify(answer), wrong));
  const read = await stage.query('customers', { connectorContext: stage.connectorContext(arn) });
  t.like(read, { isSuccess: false, errorDetails: { errorCode: 'InvalidCredentials' } });
});

test.serial('a secret that does not exist is ResourceNotFoundError', async (t) => {
  const arn = secretArnFor('pg-no-such-secret');
  t.like(await stage.validate(arn), { isSuccess: false, errorDetails: { errorCode: 'ResourceNotFoundError' } });
  const read = await stage.query('customers', { connectorContext: stage.connectorContext(arn) });
  t.like(read, { isSuccess: false, errorDetails: { errorCode: 'ResourceNotFoundError' } });
});

test.serial(
  'a rotated password: the cached secret is read again once and the call succeeds; still wrong → InvalidCredentials',
  async (t) => {
    const arn = secretArnFor('pg-rotating');
    const user = `rot_${Date.now() % 100000}`;
    const first = newPassword();
    await stage.server.adminQuery(`CREATE ROLE :"user" LOGIN PASSWORD :'password' IN ROLE :"owner"`, {
      user,
      password: first,
      owner: stage.db.user,
    });
    await stage.server.adminQuery('GRANT CONNECT ON DATABASE :"database" TO :"user"', {
      user,
      database: stage.db.database,
    });
    stage.secrets.putSecret(arn, { username: user, password: first });
    const context = stage.connectorContext(arn);
    t.deepEqual((await stage.query('customers', { connectorContext: context })).records, CUSTOMERS);
    const callsBefore = stage.secrets.calls(arn);

    // Rotation: the database and the secret change; the connector still holds the old secret and open connections.
    const second = newPassword();
    await stage.server.adminQuery(`ALTER ROLE :"user" PASSWORD :'password'`, { user, password: second });
    stage.secrets.putSecret(arn, { username: user, password: second });
    await stage.server.adminQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :'user'", {
      user,
    });
    await sleep(1_100);
    const rotated = await stage.query('customers', { connectorContext: context });
    t.is(rotated.isSuccess, true, JSON.stringify(rotated.errorDetails));
    t.is(stage.secrets.calls(arn), callsBefore + 1, 'the secret was read again exactly once');

    // The database changes again but the secret does not: nothing to refresh to.
    await stage.server.adminQuery(`ALTER ROLE :"user" PASSWORD :'password'`, { user, password: newPassword() });
    await stage.server.adminQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :'user'", {
      user,
    });
    await sleep(1_100);
    const wrong = await stage.query('customers', { connectorContext: context });
    t.like(wrong, { isSuccess: false, errorDetails: { errorCode: 'InvalidCredentials' } });
    t.false(containsSecret(JSON.stringify(wrong), second));
  },
);

test.serial(
  'unreachable: nothing listening, or a port that accepts and never answers, is ServiceUnavailable within 10 s',
  async (t) => {
    const closedStarted = Date.now();
    const closed = await stage.validate(undefined, { port: '1' });
    t.true(Date.now() - closedStarted < 10_000);
    t.like(closed, { isSuccess: false, errorDetails: { errorCode: 'ServiceUnavailable' } });
    t.true((closed.errorDetails!.retryAfterSeconds ?? 0) > 0);

    const sockets: Socket[] = [];
    const silentServer = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silentServer.listen(0, '127.0.0.1', resolve));
    const silentPort = (silentServer.address() as AddressInfo).port;
    try {
      for (const tlsMode of ['REQUIRED', 'DISABLED']) {
        const started = Date.now();
        const silent = await stage.validate(undefined, { port: String(silentPort), tlsMode });
        const elapsed = Date.now() - started;
        t.true(elapsed < 10_000, `${tlsMode}: answered after ${elapsed} ms`);
        t.like(silent, { isSuccess: false, errorDetails: { errorCode: 'ServiceUnavailable' } }, tlsMode);
      }
      const started = Date.now();
      const read = await stage.query('customers', {
        connectorContext: stage.connectorContext(undefined, { port: String(silentPort) }),
      });
      t.true(Date.now() - started < 10_000, `QueryData answered after ${Date.now() - started} ms`);
      t.like(read, { isSuccess: false, errorDetails: { errorCode: 'ServiceUnavailable' } });
    } finally {
      for (const socket of sockets) socket.destroy();
      silentServer.close();
    }
  },
);

test.serial(
  'TLS modes: REQUIRED works; DISABLED is refused for a TLS-only user and works for one allowed without TLS',
  async (t) => {
    t.deepEqual(await stage.validate(), { isSuccess: true, errorDetails: null });
    const plain = await stage.validate(undefined, { tlsMode: 'DISABLED' });
    t.like(plain, { isSuccess: false, errorDetails: { errorCode: 'InvalidCredentials' } });
    t.regex(plain.errorDetails!.errorMessage, /requires TLS/);

    const plainArn = secretArnFor('pg-plain-user');
    stage.secrets.putSecret(plainArn, { username: stage.db.plainUser, password: stage.db.plainPassword });
    t.deepEqual(await stage.validate(plainArn, { tlsMode: 'DISABLED' }), { isSuccess: true, errorDetails: null });
    const read = await stage.query('customers', {
      connectorContext: stage.connectorContext(plainArn, { tlsMode: 'DISABLED' }),
    });
    t.deepEqual(read.records, CUSTOMERS);
  },
);

test.serial(
  'TLS VERIFY_IDENTITY: refused with an unknown CA in NODE_EXTRA_CA_CERTS, accepted with the run CA',
  async (t) => {
    // Pools are kept per host name: each case connects under its own spelling of the server's address, so each opens
    // a new pool with the CAs in effect at that moment.
    const otherDir = join(directory, 'other-ca');
    mkdirSync(otherDir);
    const other = generateCertificates(otherDir);
    process.env.NODE_EXTRA_CA_CERTS = other.ca;
    const refused = await stage.validate(undefined, { host: '127.0.0.1', tlsMode: 'VERIFY_IDENTITY' });
    t.like(refused, { isSuccess: false, errorDetails: { errorCode: 'ClientError' } });
    t.regex(refused.errorDetails!.errorMessage, /certificate/);

    const caFile = join(directory, 'run-ca.pem');
    writeFileSync(caFile, `# the run's CA\n${stage.server.caPem}`);
    process.env.NODE_EXTRA_CA_CERTS = caFile;
    t.deepEqual(await stage.validate(undefined, { host: 'localhost', tlsMode: 'VERIFY_IDENTITY' }), {
      isSuccess: true,
      errorDetails: null,
    });
    const read = await stage.query('customers', {
      connectorContext: stage.connectorContext(undefined, { host: 'localhost', tlsMode: 'VERIFY_IDENTITY' }),
    });
    t.deepEqual(read.records, CUSTOMERS);
    delete process.env.NODE_EXTRA_CA_CERTS;
  },
);

test.serial('a server restarted or crashed between invocations: the next call reconnects on its own', async (t) => {
  const before = await stage.query('customers');
  t.deepEqual(before.records, CUSTOMERS);
  await stage.server.restart('clean');
  await sleep(1_100);
  t.deepEqual((await stage.query('customers')).records, CUSTOMERS);

  await stage.server.restart('crash');
  await sleep(1_100);
  const afterCrash = await stage.query('customers');
  t.true(afterCrash.isSuccess, JSON.stringify(afterCrash.errorDetails));
  t.deepEqual(afterCrash.records, CUSTOMERS);
});

test.serial('a server that is down answers ServiceUnavailable with retryAfterSeconds, then recovers', async (t) => {
  await stage.server.shutdown('clean');
  try {
    const down = await stage.query('customers');
    t.like(down, { isSuccess: false, errorDetails: { errorCode: 'ServiceUnavailable' } });
    t.true((down.errorDetails!.retryAfterSeconds ?? 0) > 0);
  } finally {
    await stage.server.start();
  }
  await sleep(1_100);
  t.deepEqual((await stage.query('customers')).records, CUSTOMERS);
});

test.serial(
  'a read running into the Lambda deadline is answered in time with the rows read and a token; the token continues it',
  async (t) => {
    const remainingMs = 6_000;
    const started = Date.now();
    const page = await stage.query('slow_numbers', { maxResults: 3000 }, remainingMs);
    const elapsed = Date.now() - started;
    t.true(elapsed < remainingMs, `answered after ${elapsed} ms of ${remainingMs} ms`);
    t.log(`answered after ${elapsed} ms of ${remainingMs} ms`);
    t.true(page.isSuccess, JSON.stringify(page.errorDetails));
    const first = page.records!.map((record) => (JSON.parse(record) as { n: number }).n);
    t.true(first.length > 0 && first.length < 3000, `${first.length} rows`);
    t.deepEqual(
      first,
      Array.from({ length: first.length }, (_, index) => index + 1),
    );
    t.truthy(page.nextToken);
    t.deepEqual(await runningStatements('slow_numbers'), [], 'the statement no longer runs on the server');

    const next = await stage.query('slow_numbers', { maxResults: 50, nextToken: page.nextToken });
    t.true(next.isSuccess, JSON.stringify(next.errorDetails));
    t.deepEqual(
      next.records!.map((record) => (JSON.parse(record) as { n: number }).n),
      Array.from({ length: 50 }, (_, index) => first.length + index + 1),
    );
  },
);

test.serial(
  'a read with no row before the deadline is RequestTimeout, stopped on the server; the next call does not wait',
  async (t) => {
    const remainingMs = 5_000;
    const started = Date.now();
    const timedOut = await stage.query('slow_start', { maxResults: 1000 }, remainingMs);
    const elapsed = Date.now() - started;
    t.true(elapsed < remainingMs, `answered after ${elapsed} ms of ${remainingMs} ms`);
    t.like(timedOut, { isSuccess: false, records: null, errorDetails: { errorCode: 'RequestTimeout' } });
    t.true((timedOut.errorDetails!.retryAfterSeconds ?? 0) > 0);
    t.deepEqual(await runningStatements('slow_start'), [], 'the statement no longer runs on the server');
    const nextStarted = Date.now();
    t.deepEqual((await stage.query('customers', {}, 4_500)).records, CUSTOMERS);
    t.true(Date.now() - nextStarted < 1_500, `the next call took ${Date.now() - nextStarted} ms`);
  },
);

test.serial('a role out of connections (53300) → ServiceUnavailable with retryAfterSeconds', async (t) => {
  const arn = secretArnFor('pg-limited');
  const user = `lim_${Date.now() % 100000}`;
  const password = newPassword();
  await stage.server.adminQuery(
    `CREATE ROLE :"user" LOGIN PASSWORD :'password' CONNECTION LIMIT 1 IN ROLE :"owner";
     GRANT CONNECT ON DATABASE :"database" TO :"user"`,
    { user, password, owner: stage.db.user, database: stage.db.database },
  );
  stage.secrets.putSecret(arn, { username: user, password });
  const hog = new pg.Client({
    host: stage.db.host,
    port: stage.db.port,
    database: stage.db.database,
    user,
    password,
    ssl: { rejectUnauthorized: false },
  });
  await hog.connect();
  try {
    const response = await stage.validate(arn);
    t.like(response, { isSuccess: false, errorDetails: { errorCode: 'ServiceUnavailable' } });
    t.true((response.errorDetails!.retryAfterSeconds ?? 0) > 0);
    t.false(containsSecret(JSON.stringify(response), password));
  } finally {
    await hog.end();
  }
  await sleep(200);
  t.deepEqual(await stage.validate(arn), { isSuccess: true, errorDetails: null });
});
