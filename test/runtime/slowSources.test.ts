/**
 * Sources that produce rows slowly, through the built bundle on both engines: a server holds narrow rows in its
 * network buffer until it fills or the statement ends, so a page whose first statement asks for a thousand rows of a
 * source yielding one every few milliseconds gets nothing before the deadline. Pages start small and grow by the pace
 * they measure: every call answers in time with rows, and a source whose rows the budget can reach is read to the
 * end, every row once.
 */
import test, { type ExecutionContext } from 'ava';
import { type ConnectorStage, startConnectorStage } from '../support/environment';
import { queryDataEvent } from '../support/events';
import { invoke } from '../support/lambda';
import { type PostgreSqlStage, startPostgreSqlStage } from '../support/postgresqlStage';

let mysql: ConnectorStage;
let postgresql: PostgreSqlStage;

/** Time left in the Lambda for every call: 3 s usable after the connector's 3 s margin. */
const LAMBDA_MS = 6_000;

test.before(async () => {
  mysql = await startConnectorStage({ seed: false });
  const connection = await mysql.database.connect();
  await connection.query('CREATE TABLE numbers (n INT NOT NULL PRIMARY KEY)');
  await connection.query('INSERT INTO numbers SELECT seq FROM seq_1_to_1000');
  // Keyless views (offset paging) yielding one narrow row every 5 ms, in the order the read asks for.
  await connection.query('CREATE VIEW slow_thousand AS SELECT n FROM numbers WHERE SLEEP(0.005) = 0');
  await connection.query('CREATE VIEW slow_four_hundred AS SELECT n FROM numbers WHERE n <= 400 AND SLEEP(0.005) = 0');
  await connection.end();

  postgresql = await startPostgreSqlStage({ schema: 'slow', secretName: 'postgresql-slow' });
  // The PostgreSQL stage's Secrets Manager endpoint is the one the bundle now asks: it holds the MariaDB secret too.
  postgresql.secrets.putSecret(mysql.target.secretArn, {
    username: mysql.database.user,
    password: mysql.database.password,
  });
  // A keyed table whose rows come one every 35 ms: a row-level security policy that sleeps (applied to the owner
  // too). The connector reads through a cursor, 100 rows a fetch: 3.5 s for a first fetch of 100.
  await postgresql.sql(`
    CREATE FUNCTION slowly_true() RETURNS boolean LANGUAGE plpgsql VOLATILE COST 10000
      AS $$ BEGIN PERFORM pg_sleep(0.035); RETURN true; END $$;
    CREATE TABLE slow_keyed (id int PRIMARY KEY, note text NOT NULL);
    INSERT INTO slow_keyed SELECT i, 'note ' || i FROM generate_series(1, 200) i;
    ANALYZE slow_keyed;
    ALTER TABLE slow_keyed ENABLE ROW LEVEL SECURITY;
    ALTER TABLE slow_keyed FORCE ROW LEVEL SECURITY;
    CREATE POLICY slowly ON slow_keyed USING (slowly_true());
    -- A view has no key: offset paging, in the order of the table's index.
    CREATE VIEW slow_view AS SELECT id FROM slow_keyed;
  `);
});

test.after.always(async () => {
  await mysql?.teardown();
  await postgresql?.teardown();
});

interface Page {
  isSuccess: boolean;
  records: string[] | null;
  nextToken: string | null;
  errorDetails: unknown;
}

/** Reads to the end, each call with LAMBDA_MS left: every call answers in time, with at least one record. */
async function readSlowly(t: ExecutionContext, call: (nextToken: string | null) => Promise<Page>): Promise<string[]> {
  const records: string[] = [];
  let nextToken: string | null = null;
  for (let calls = 1; calls <= 40; calls++) {
    const started = Date.now();
    const page = await call(nextToken);
    const tookMs = Date.now() - started;
    if (!page.isSuccess) {
      t.fail(`call ${calls}: ${JSON.stringify(page.errorDetails)}`);
      break;
    }
    t.true(tookMs < LAMBDA_MS, `call ${calls} took ${tookMs} ms`);
    t.true(page.records!.length > 0, `call ${calls} returned no record`);
    records.push(...page.records!);
    nextToken = page.nextToken;
    if (nextToken === null) break;
  }
  t.is(nextToken, null, 'read to the end');
  return records;
}

const mysqlQuery = (entity: string) => (nextToken: string | null) =>
  invoke<Page>(mysql.bundle, queryDataEvent(mysql.target, entity, { maxResults: 1000, nextToken }), LAMBDA_MS);

test('MySQL: a view yielding a row every 5 ms, 6 s left: the first call answers in time with rows and a token', async (t) => {
  const started = Date.now();
  const page = await mysqlQuery('slow_thousand')(null);
  t.true(Date.now() - started < LAMBDA_MS);
  t.true(page.isSuccess, JSON.stringify(page.errorDetails));
  t.true(page.records!.length > 0 && page.records!.length < 1000, `${page.records?.length} records`);
  t.truthy(page.nextToken);
  t.deepEqual(
    page.records!.map((record) => (JSON.parse(record) as { n: number }).n),
    Array.from({ length: page.records!.length }, (_, index) => index + 1),
  );
});

test('MySQL: a slow view the budget can reach is read to the end, every call with rows, every row once', async (t) => {
  const records = await readSlowly(t, mysqlQuery('slow_four_hundred'));
  t.deepEqual(
    records.map((record) => (JSON.parse(record) as { n: number }).n),
    Array.from({ length: 400 }, (_, index) => index + 1),
  );
});

test('PostgreSQL: a keyed table yielding a row every 35 ms, 6 s left: read to the end, every call with rows', async (t) => {
  const records = await readSlowly(t, (nextToken) =>
    postgresql.query('slow_keyed', { maxResults: 1000, nextToken, selectedFieldNames: ['id'] }, LAMBDA_MS),
  );
  t.deepEqual(
    records,
    Array.from({ length: 200 }, (_, index) => JSON.stringify({ id: index + 1 })),
  );
});

test('PostgreSQL: a view yielding a row every 35 ms, 6 s left: the first calls answer in time with rows', async (t) => {
  let nextToken: string | null = null;
  const ids: number[] = [];
  for (let call = 1; call <= 2; call++) {
    const started = Date.now();
    const page = await postgresql.query('slow_view', { maxResults: 1000, nextToken }, LAMBDA_MS);
    t.true(Date.now() - started < LAMBDA_MS);
    t.true(page.isSuccess, JSON.stringify(page.errorDetails));
    t.true(page.records!.length > 0, `call ${call}: no record`);
    ids.push(...page.records!.map((record) => (JSON.parse(record) as { id: number }).id));
    nextToken = page.nextToken;
    t.truthy(nextToken);
  }
  t.deepEqual(
    ids,
    Array.from({ length: ids.length }, (_, index) => index + 1),
  );
});
