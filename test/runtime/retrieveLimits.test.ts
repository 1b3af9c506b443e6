/**
 * The README's limits of RetrieveData and the metadata cache hint, through the built bundle on both engines:
 * - RetrieveData takes at most 1,000 ids: 1,000 are answered in one response, 1,001 are refused (InvalidArgument
 *   naming `ids`), not silently cut or passed to the server;
 * - DescribeEntity answers a 10-minute cache hint (`cacheControl.timeToLive` 600, unit SECONDS).
 */
import test from 'ava';
import { type ConnectorStage, startConnectorStage } from '../support/environment';
import { describeEntityEvent, retrieveDataEvent } from '../support/events';
import { invoke } from '../support/lambda';
import { type PostgreSqlStage, startPostgreSqlStage } from '../support/postgresqlStage';

/** The README's limit, written out here rather than read from the code under test. */
const MAX_IDS = 1000;
/** The README's "10-minute cache hint", in the unit the answer names. */
const CACHE_HINT_SECONDS = 10 * 60;
const ROWS = MAX_IDS + 5;

interface Answer {
  isSuccess: boolean;
  errorDetails: { errorCode: string; errorMessage: string } | null;
  records?: string[] | null;
  cacheControl?: { timeToLive: number; timeToLiveUnit?: string | null } | null;
}

/** Ids 1..count as AppFlow sends them (strings). */
const idsUpTo = (count: number) => Array.from({ length: count }, (_, index) => String(index + 1));

let mysqlStage: ConnectorStage;
let postgresStage: PostgreSqlStage;

test.before(async () => {
  mysqlStage = await startConnectorStage({ seed: false });
  await mysqlStage.database.query(
    'CREATE TABLE numbered (id INT PRIMARY KEY, label VARCHAR(20) NOT NULL); INSERT INTO numbered (id, label) VALUES ?',
    [idsUpTo(ROWS).map((id) => [Number(id), `row ${id}`])],
  );
  postgresStage = await startPostgreSqlStage({ schema: 'limits', secretName: 'retrieve-limits-pg' });
  // The last stage's Secrets Manager is the one the bundle asks (the environment names one endpoint): it holds both.
  postgresStage.secrets.putSecret(mysqlStage.target.secretArn, {
    username: mysqlStage.database.user,
    password: mysqlStage.database.password,
  });
  await postgresStage.sql(
    `CREATE TABLE numbered (id integer PRIMARY KEY, label text NOT NULL);
     INSERT INTO numbered SELECT i, 'row ' || i FROM generate_series(1, ${ROWS}) AS i;`,
  );
});

test.after.always(async () => {
  await mysqlStage?.teardown();
  await postgresStage?.teardown();
});

const engines = {
  MYSQL: {
    retrieve: (ids: string[]) =>
      invoke<Answer>(mysqlStage.bundle, retrieveDataEvent(mysqlStage.target, 'numbered', 'id', ids)),
    describe: () => invoke<Answer>(mysqlStage.bundle, describeEntityEvent(mysqlStage.target, 'numbered')),
  },
  POSTGRESQL: {
    retrieve: (ids: string[]) =>
      invoke<Answer>(postgresStage.bundle, {
        type: 'RetrieveDataRequest',
        entityIdentifier: 'numbered',
        selectedFieldNames: null,
        idFieldName: 'id',
        ids,
        connectorContext: postgresStage.connectorContext(),
      }),
    describe: () =>
      invoke<Answer>(postgresStage.bundle, {
        type: 'DescribeEntityRequest',
        entityIdentifier: 'numbered',
        connectorContext: postgresStage.connectorContext(),
      }),
  },
};

for (const [engine, calls] of Object.entries(engines)) {
  test(`${engine}: RetrieveData answers 1,000 ids in one response, every one of them`, async (t) => {
    const answer = await calls.retrieve(idsUpTo(MAX_IDS));
    t.is(answer.errorDetails, null);
    t.true(answer.isSuccess);
    const records = (answer.records ?? []).map((text) => JSON.parse(text) as { id: number; label: string });
    t.is(records.length, MAX_IDS);
    const ids = records.map((record) => record.id).sort((a, b) => a - b);
    t.deepEqual(ids, idsUpTo(MAX_IDS).map(Number));
    t.true(records.every((record) => record.label === `row ${record.id}`));
  });

  test(`${engine}: RetrieveData refuses 1,001 ids with InvalidArgument naming ids, reading nothing`, async (t) => {
    const answer = await calls.retrieve(idsUpTo(MAX_IDS + 1));
    t.false(answer.isSuccess);
    t.is(answer.errorDetails?.errorCode, 'InvalidArgument');
    t.regex(answer.errorDetails?.errorMessage ?? '', /\bids\b/);
    t.regex(answer.errorDetails?.errorMessage ?? '', /1,?000/);
    t.falsy(answer.records);
  });

  test(`${engine}: DescribeEntity answers a 10-minute cache hint`, async (t) => {
    const answer = await calls.describe();
    t.true(answer.isSuccess);
    t.deepEqual(answer.cacheControl, { timeToLive: CACHE_HINT_SECONDS, timeToLiveUnit: 'SECONDS' });
  });
}
