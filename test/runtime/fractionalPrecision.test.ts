/**
 * What is stored is what was sent (MariaDB, through the built bundle): a fraction beyond a column's precision —
 * DATETIME(p), TIMESTAMP(p), TIME(p), FLOAT(M,D), DOUBLE(M,D) — is refused for that record, naming the field and its
 * precision, instead of being dropped or rounded; extra zeros are fine. ENUM and SET values are matched under the
 * column's own collation: "A" into ENUM('a','A') COLLATE utf8mb4_bin stores 'A'.
 */
import test, { type ExecutionContext } from 'ava';
import type mysql from 'mysql2/promise';
import { type ConnectorStage, startConnectorStage } from '../support/environment';
import { writeDataEvent } from '../support/events';
import { invoke } from '../support/lambda';

let stage: ConnectorStage;
let connection: mysql.Connection;

test.before(async () => {
  stage = await startConnectorStage({ seed: false });
  connection = await stage.database.connect();
  await connection.query(`CREATE TABLE fr (id INT PRIMARY KEY, dt DATETIME NULL, dt3 DATETIME(3) NULL,
      ts TIMESTAMP NULL, ts2 TIMESTAMP(2) NULL, tm TIME NULL, tm1 TIME(1) NULL, db2 DOUBLE(10,2) NULL,
      fl3 FLOAT(7,3) NULL, db DOUBLE NULL)`);
  await connection.query(`CREATE TABLE en (id INT PRIMARY KEY,
      eb ENUM('a','A') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
      ec ENUM('a','b') CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NULL,
      sb SET('x','X') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
      e1 ENUM('a') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL)`);
});
test.after.always(async () => {
  await connection?.end();
  await stage?.teardown();
});

interface Result {
  isSuccess: boolean;
  errorMessage: string | null;
}

async function write(t: ExecutionContext, entity: string, records: Record<string, unknown>[]): Promise<Result[]> {
  const answer = await invoke<{ isSuccess: boolean; writeRecordResults: Result[] | null }>(
    stage.bundle,
    writeDataEvent(stage.target, entity, 'INSERT', records),
  );
  t.is(answer.writeRecordResults?.length, records.length, JSON.stringify(answer));
  return answer.writeRecordResults ?? [];
}

async function stored(sql: string): Promise<unknown[]> {
  const [rows] = await connection.query({ sql, rowsAsArray: true });
  return (rows as unknown[][]).map((row) => row.join('|'));
}

const OF_A_SECOND = " of a second's fraction";

test('a fraction beyond a column precision is refused for that record, naming the field and its precision', async (t) => {
  const cases: [string, unknown, string][] = [
    ['dt', '2024-12-31T23:59:59.999Z', `field "dt" (datetime) keeps 0 digits${OF_A_SECOND}`],
    ['dt3', '2024-01-01T00:00:00.1234Z', `field "dt3" (datetime(3)) keeps 3 digits${OF_A_SECOND}`],
    ['ts', '2024-01-01T00:00:00.5Z', `field "ts" (timestamp) keeps 0 digits${OF_A_SECOND}`],
    ['ts2', '2024-01-01 00:00:00.125', `field "ts2" (timestamp(2)) keeps 2 digits${OF_A_SECOND}`],
    ['tm', '12:00:00.5', `field "tm" (time) keeps 0 digits${OF_A_SECOND}`],
    ['tm1', '-01:00:00.25', `field "tm1" (time(1)) keeps 1 digit${OF_A_SECOND}`],
    ['db2', 1.239, 'field "db2" (double(10,2)) allows 2 digits after the decimal point'],
    ['fl3', '0.0001', 'field "fl3" (float(7,3)) allows 3 digits after the decimal point'],
  ];
  const results = await write(
    t,
    'fr',
    cases.map(([field, value], index) => ({ id: index + 1, [field]: value })),
  );
  // The message up to its ';' names the field, its declared type and what it keeps.
  t.deepEqual(
    results.map((result) => result.errorMessage?.split(';')[0]),
    cases.map(([, , message]) => message),
  );
  t.true(results.every((result) => !result.isSuccess));
  t.deepEqual(await stored('SELECT id FROM fr WHERE id < 100'), [], 'nothing was stored');
});

test('extra zeros beyond a column precision are accepted and the value is stored as sent', async (t) => {
  const results = await write(t, 'fr', [
    {
      id: 100,
      dt: '2024-12-31T23:59:59.000Z',
      dt3: '2024-01-01T00:00:00.1230Z',
      ts: '2024-01-01T00:00:00Z',
      ts2: '2024-01-01T00:00:00.12000Z',
      tm: '12:00:00.000',
      tm1: '-01:00:00.20',
      db2: 1.23,
      fl3: '0.0010',
      db: 1.2345678901234567,
    },
  ]);
  t.deepEqual(
    results.map((result) => result.errorMessage),
    [null],
  );
  t.deepEqual(await stored('SELECT id, dt, dt3, ts, ts2, tm, tm1, db2, fl3, db FROM fr WHERE id = 100'), [
    '100|2024-12-31 23:59:59|2024-01-01 00:00:00.123|2024-01-01 00:00:00|2024-01-01 00:00:00.12|12:00:00|' +
      '-01:00:00.2|1.23|0.001|1.2345678901234567',
  ]);
});

test('ENUM and SET values are matched under the column collation, never folded to another allowed value', async (t) => {
  const results = await write(t, 'en', [
    { id: 1, eb: 'A', sb: 'X' },
    { id: 2, eb: 'a', sb: 'X,x' },
    { id: 3, ec: 'B' },
    { id: 4, eb: 'B' },
    { id: 5, sb: 'x,Y' },
    { id: 6, e1: 'A' },
    { id: 7, e1: 'a' },
    // utf8mb4_general_ci ignores accents and case: 'Á' is the allowed 'a'.
    { id: 8, ec: 'Á' },
    // PAD SPACE: trailing spaces do not count (a SET member is sent without them).
    { id: 9, ec: 'b  ' },
    { id: 10, sb: 'X  ,x' },
  ]);
  t.deepEqual(
    results.map((result) => result.isSuccess),
    [true, true, true, false, false, false, true, true, true, true],
  );
  // A value no allowed value matches even loosely is the connector's own refusal, before the server sees it.
  t.regex(results[3]!.errorMessage ?? '', /field "eb" .*expects one of 'a', 'A'; the value is not one of them/);
  t.regex(
    results[4]!.errorMessage ?? '',
    /field "sb" .*expects members of 'x', 'X'; a member of the value is not one of them/,
  );
  // 'A' equals no value of ENUM('a') under utf8mb4_bin: refused by the server, that record only.
  t.regex(results[5]!.errorMessage ?? '', /\be1\b/);
  t.deepEqual(await stored('SELECT id, eb, ec, sb, e1 FROM en ORDER BY id'), [
    '1|A||X|',
    '2|a||x,X|',
    '3||b||',
    '7||||a',
    '8||a||',
    '9||b||',
    '10|||x,X|',
  ]);
});
