/**
 * What is stored is what was sent (PostgreSQL, through the built bundle; MariaDB: mysqlCharacterLength.test.ts): a string longer than a
 * VARCHAR(n)/CHAR(n) column's declared characters only by trailing spaces — which both servers cut silently
 * instead of refusing — is refused for that record, naming the field and the limit, never the value. Characters
 * are counted as the servers count them (code points: '😀' is one); for CHAR(n), trailing spaces are padding.
 */
import test, { type ExecutionContext } from 'ava';
import { type ConnectorBundle, invoke } from '../support/lambda';
import { type PostgreSqlStage, startPostgreSqlStage } from '../support/postgresqlStage';

let pgStage: PostgreSqlStage;

test.before(async () => {
  pgStage = await startPostgreSqlStage({ schema: 'trailing_spaces', secretName: 'postgresql-trailing-spaces' });
  await pgStage.sql('CREATE TABLE vc (k int PRIMARY KEY, v8 varchar(8) NULL, v3 varchar(3) NULL, ch2 char(2) NULL)');
});

test.after.always(async () => {
  await pgStage?.teardown();
});

interface Result {
  isSuccess: boolean;
  errorMessage: string | null;
}

async function write(t: ExecutionContext, bundle: ConnectorBundle, event: object, count: number): Promise<Result[]> {
  const answer = await invoke<{ writeRecordResults: Result[] | null }>(bundle, event);
  t.is(answer.writeRecordResults?.length, count, JSON.stringify(answer));
  return answer.writeRecordResults ?? [];
}

test('PostgreSQL: a string longer than varchar(n) only by trailing spaces is refused, not stored cut', async (t) => {
  const records = [
    { k: 1, v8: 'aaaaaaaa ' },
    { k: 2, v3: 'x  y' }, // longer by more than trailing spaces: refused by the server (22001), that record only
    { k: 3, v3: '😀😀😀' },
    { k: 4, ch2: 'ab   ' },
    { k: 5, v8: 'aaaaaaaa' },
  ];
  const event = {
    type: 'WriteDataRequest',
    entityIdentifier: 'vc',
    operation: 'INSERT',
    idFieldNames: null,
    records: records.map((record) => JSON.stringify(record)),
    allOrNone: false,
    connectorContext: pgStage.connectorContext(),
  };
  const results = await write(t, pgStage.bundle, event, records.length);
  t.deepEqual(
    results.map((result) => result.isSuccess),
    [false, false, true, true, true],
  );
  t.is(
    results[0]!.errorMessage,
    'field "v8" (character varying(8)) holds at most 8 characters; the value is longer by trailing spaces the database would cut',
  );
  t.is(results[1]!.errorMessage, 'the value is too long for its field (SQLSTATE 22001 string_data_right_truncation)');
  t.deepEqual(
    await pgStage.sql("SELECT k, coalesce(v8, '-'), coalesce(v3, '-'), coalesce(ch2, '-') FROM vc ORDER BY k"),
    [
      ['3', '-', '😀😀😀', '-'],
      ['4', '-', '-', 'ab'],
      ['5', 'aaaaaaaa', '-', '-'],
    ],
  );
});
