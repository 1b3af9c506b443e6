/**
 * MariaDB values are stored as sent or refused (through the built bundle): FLOAT and DOUBLE never round a value
 * beyond their binary precision (the record shows the stored float's shortest decimal, so a value is kept exactly
 * when that decimal is the value sent), and DATE 0000-02-29 (year 0 is not a leap year to the server) is refused
 * by the connector with its own message rather than by the server.
 */
import test, { type ExecutionContext } from 'ava';
import type mysql from 'mysql2/promise';
import { type ConnectorStage, startConnectorStage } from '../../support/environment';
import { queryDataEvent, writeDataEvent } from '../../support/events';
import { invoke } from '../../support/lambda';

let stage: ConnectorStage;
let connection: mysql.Connection;

test.before(async () => {
  stage = await startConnectorStage({ seed: false });
  connection = await stage.database.connect();
  await connection.query('CREATE TABLE vf (id INT PRIMARY KEY, f FLOAT NULL, d DOUBLE NULL, dt DATE NULL)');
});
test.after.always(async () => {
  await connection?.end();
  await stage?.teardown();
});

interface Result {
  isSuccess: boolean;
  errorMessage: string | null;
}

/** Writes records given as JSON text (numbers exactly as written). */
async function write(t: ExecutionContext, records: string[]): Promise<Result[]> {
  // The records' own JSON text replaces the event's (JSON.stringify would round 9007199254740993 first).
  const answer = await invoke<{ writeRecordResults: Result[] | null }>(stage.bundle, {
    ...writeDataEvent(stage.target, 'vf', 'INSERT', []),
    records,
  });
  t.is(answer.writeRecordResults?.length, records.length, JSON.stringify(answer));
  return answer.writeRecordResults ?? [];
}

const SINGLE =
  'field "f" (float) holds single precision binary floats; the value is not one (it would be stored rounded)';
const DOUBLE =
  'field "d" (double) holds double precision binary floats; the value is not one (it would be stored rounded)';

test('FLOAT and DOUBLE refuse a value their binary float would change, naming the field', async (t) => {
  const refused: [string, string][] = [
    ['"f":16777217', SINGLE],
    ['"f":"16777217"', SINGLE],
    ['"f":0.1000000001', SINGLE],
    ['"f":3.14159265358979', SINGLE],
    ['"f":1e-50', SINGLE],
    ['"d":9007199254740993', DOUBLE],
    ['"d":"0.10000000000000000001"', DOUBLE],
    ['"d":1e-400', DOUBLE],
  ];
  const results = await write(
    t,
    refused.map(([field], index) => `{"id":${index + 1},${field}}`),
  );
  t.deepEqual(
    results.map((result) => result.errorMessage),
    refused.map(([, message]) => message),
  );
  const [none] = await connection.query('SELECT id FROM vf WHERE id < 100');
  t.deepEqual(none, [], 'nothing was stored');
  const accepted = await write(t, [
    '{"id":101,"f":0.1,"d":0.1}',
    '{"id":102,"f":16777216,"d":9007199254740992}',
    '{"id":103,"f":"1e38","d":-1.7976931348623157e308}',
    '{"id":104,"f":1e-45,"d":5e-324}',
  ]);
  t.deepEqual(
    accepted.map((result) => result.errorMessage),
    [null, null, null, null],
  );
  const answer = await invoke<{ records: string[] | null }>(
    stage.bundle,
    queryDataEvent(stage.target, 'vf', {
      selectedFieldNames: ['id', 'f', 'd'],
      filterExpression: 'id > 100 AND id < 200',
    }),
  );
  const shown = (answer.records ?? []).map((record) => record.replace(/\s/g, '')).sort();
  t.deepEqual(shown, [
    '{"id":101,"f":0.1,"d":0.1}',
    '{"id":102,"f":16777216,"d":9007199254740992}',
    '{"id":103,"f":1e+38,"d":-1.7976931348623157e+308}',
    '{"id":104,"f":1e-45,"d":5e-324}',
  ]);
});

test('DATE 0000-02-29 is refused by the connector (year 0 is not a leap year to the server); 0004-02-29 is kept', async (t) => {
  const results = await write(t, ['{"id":201,"dt":"0000-02-29"}', '{"id":202,"dt":"0004-02-29"}']);
  t.deepEqual(
    results.map((result) => result.errorMessage),
    [
      'field "dt" (date) expects a date (YYYY-MM-DD, or an ISO date-time at midnight); the value does not have that form',
      null,
    ],
  );
  const [rows] = await connection.query({
    sql: 'SELECT id, CAST(dt AS CHAR) FROM vf WHERE id > 200',
    rowsAsArray: true,
  });
  t.deepEqual(rows, [[202, '0004-02-29']]);
});
