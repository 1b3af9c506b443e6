/**
 * What is stored is what was sent (MariaDB, through the built bundle; PostgreSQL: postgresqlCharacterLength.test.ts): a string longer than a
 * VARCHAR(n)/CHAR(n) column's declared characters only by trailing spaces — which both servers cut silently
 * instead of refusing — is refused for that record, naming the field and the limit, never the value. Characters
 * are counted as the servers count them (code points: '😀' is one); for CHAR(n), trailing spaces are padding.
 */
import test, { type ExecutionContext } from 'ava';
import type mysql from 'mysql2/promise';
import { type ConnectorStage, startConnectorStage } from '../support/environment';
import { writeDataEvent } from '../support/events';
import { type ConnectorBundle, invoke } from '../support/lambda';

let mysqlStage: ConnectorStage;
let connection: mysql.Connection;

test.before(async () => {
  mysqlStage = await startConnectorStage({ seed: false });
  connection = await mysqlStage.database.connect();
  await connection.query(`CREATE TABLE vc (k INT PRIMARY KEY,
    c1 VARCHAR(1) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NULL,
    v3 VARCHAR(3) CHARACTER SET utf8mb4 NULL, ch2 CHAR(2) CHARACTER SET utf8mb4 NULL)`);
});

test.after.always(async () => {
  await connection?.end();
  await mysqlStage?.teardown();
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

test('MariaDB: a string longer than VARCHAR(n) only by trailing spaces is refused, not stored cut', async (t) => {
  const records = [
    { k: 1, c1: 'a ' },
    { k: 2, v3: 'abc  ' },
    { k: 3, v3: '😀😀😀' }, // three characters (six UTF-16 units): fits
    { k: 4, ch2: 'ab   ' }, // CHAR pads and strips trailing spaces: fits
    { k: 5, c1: 'b' },
  ];
  const results = await write(
    t,
    mysqlStage.bundle,
    writeDataEvent(mysqlStage.target, 'vc', 'INSERT', records),
    records.length,
  );
  t.deepEqual(
    results.map((result) => result.isSuccess),
    [false, false, true, true, true],
  );
  t.is(
    results[0]!.errorMessage,
    'field "c1" (varchar(1)) holds at most 1 character; the value is longer by trailing spaces the database would cut',
  );
  t.is(
    results[1]!.errorMessage,
    'field "v3" (varchar(3)) holds at most 3 characters; the value is longer by trailing spaces the database would cut',
  );
  const [rows] = await connection.query({ sql: 'SELECT k, c1, v3, ch2 FROM vc ORDER BY k', rowsAsArray: true });
  t.deepEqual(rows, [
    [3, null, '😀😀😀', null],
    [4, null, null, 'ab'],
    [5, 'b', null, null],
  ]);
});
