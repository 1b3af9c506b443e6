/**
 * What a reader gets back must agree with itself: every record is valid JSON with exact values (ZEROFILL columns
 * included), and filters and RetrieveData select by the value the record shows (FLOAT rendered with the shortest
 * float32 digits, TINYINT(1) rendered as a Boolean), through the built bundle against a real MariaDB.
 */
import test from 'ava';
import type mysql from 'mysql2/promise';
import { parseFilter } from '../../handler/filter';
import { filterFieldsOf } from '../../handler/read/plan';
import { type ConnectorStage, startConnectorStage } from '../support/environment';
import { describeEntityEvent, queryDataEvent, retrieveDataEvent } from '../support/events';
import { matchesFilter, type Row } from '../support/filterEvaluator';
import { invoke } from '../support/lambda';
import { catalogTable } from '../support/mysqlColumns';

let stage: ConnectorStage;
let connection: mysql.Connection;

test.before(async () => {
  stage = await startConnectorStage({ seed: false });
  connection = await stage.database.connect();
  await connection.query(`CREATE TABLE zf (
      id BIGINT UNSIGNED ZEROFILL PRIMARY KEY,
      ti TINYINT ZEROFILL NULL, tiu TINYINT(3) UNSIGNED ZEROFILL NULL,
      si SMALLINT ZEROFILL NULL, mi MEDIUMINT ZEROFILL NULL, i INT ZEROFILL NULL, i4 INT(4) UNSIGNED ZEROFILL NULL,
      bi BIGINT ZEROFILL NULL, de DECIMAL(12,4) ZEROFILL NULL, de0 DECIMAL(10,0) ZEROFILL NULL,
      fl FLOAT ZEROFILL NULL, fl2 FLOAT(7,3) ZEROFILL NULL, db DOUBLE ZEROFILL NULL, db2 DOUBLE(12,4) ZEROFILL NULL)`);
  await connection.query(`INSERT INTO zf VALUES
      (42, 7, 255, 42, 42, 42, 42, 42, 42.5, 42, 0.1, 1.5, 0.1, 2.25),
      (18446744073709551615, 255, 0, 65535, 16777215, 4294967295, 12345, 18446744073709551615, 99999999.9999,
       9999999999, 3.3, 9999.999, 1e300, 99999999.9999),
      (1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
      (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`);
  await connection.query('CREATE TABLE zfk (k DECIMAL(8,2) ZEROFILL PRIMARY KEY, v INT NULL)');
  await connection.query('INSERT INTO zfk VALUES (1.5, 1), (42, 2), (123456.78, 3), (0, 4)');

  await connection.query('CREATE TABLE fl (id INT PRIMARY KEY, f FLOAT NULL, d DOUBLE NULL)');
  await connection.query(`INSERT INTO fl VALUES (1, 0.1, 0.1), (2, 3.3, 3.3), (3, 0.3, 0.3), (4, -0.1, -0.1),
      (5, NULL, NULL), (6, 16777217, 16777217), (7, 1e-7, 1e-7), (8, 3.4e38, 3.4e38)`);
  await connection.query('CREATE TABLE fk (f FLOAT PRIMARY KEY, label VARCHAR(10) NOT NULL)');
  await connection.query(`INSERT INTO fk VALUES (0.1, 'tenth'), (3.3, 'three'), (-2.5, 'minus')`);

  await connection.query('CREATE TABLE bo (id INT PRIMARY KEY, bo TINYINT(1) NULL, bb BIT(1) NULL)');
  await connection.query(`INSERT INTO bo VALUES (1, 0, b'0'), (2, 1, b'1'), (3, 2, b'1'), (4, -1, NULL),
      (5, NULL, b'0'), (6, 127, NULL)`);
  await connection.query('CREATE TABLE bk (flag TINYINT(1) PRIMARY KEY, label VARCHAR(10) NOT NULL)');
  await connection.query(`INSERT INTO bk VALUES (0, 'off'), (2, 'two')`);

  await connection.query(`CREATE TABLE dates (id INT PRIMARY KEY, d DATE NULL, dt DATETIME NULL, ts TIMESTAMP(3) NULL,
      KEY (d), KEY (dt))`);
  await connection.query(`INSERT INTO dates VALUES (1, '2024-03-01', '2024-03-01 00:00:00', '2024-03-01 00:00:00'),
      (2, '2024-03-02', '2024-03-01 12:00:00', '2024-03-02 00:00:00.500'), (3, NULL, NULL, NULL)`);
});
test.after.always(async () => {
  await connection?.end();
  await stage?.teardown();
});

async function read(entity: string, extra: Record<string, unknown> = {}): Promise<string[]> {
  const records: string[] = [];
  let nextToken: string | null = null;
  do {
    const response = await invoke(stage.bundle, queryDataEvent(stage.target, entity, { ...extra, nextToken }));
    if (!response.isSuccess) throw new Error(JSON.stringify(response.errorDetails));
    records.push(...(response.records as string[]));
    nextToken = response.nextToken as string | null;
  } while (nextToken);
  return records;
}

async function ids(entity: string, filterExpression: string): Promise<number[]> {
  const records = await read(entity, { filterExpression, selectedFieldNames: ['id'] });
  return records.map((record) => (JSON.parse(record) as { id: number }).id);
}

/** The ids as written in the records (a BIGINT UNSIGNED id does not fit a JS number). */
async function idTexts(entity: string, filterExpression: string): Promise<string[]> {
  const records = await read(entity, { filterExpression, selectedFieldNames: ['id'] });
  return records.map((record) => /^\{"id":([0-9]+)\}$/.exec(record)?.[1] ?? record);
}

async function retrieve(entity: string, idFieldName: string, wanted: string[]): Promise<string[]> {
  const response = await invoke(stage.bundle, retrieveDataEvent(stage.target, entity, idFieldName, wanted));
  if (!response.isSuccess) throw new Error(JSON.stringify(response.errorDetails));
  return response.records as string[];
}

const ZEROFILL_RECORDS = [
  '{"id":1,"ti":0,"tiu":0,"si":0,"mi":0,"i":0,"i4":0,"bi":0,"de":0.0000,"de0":0,"fl":0,"fl2":0,"db":0,"db2":0}',
  '{"id":2,"ti":null,"tiu":null,"si":null,"mi":null,"i":null,"i4":null,"bi":null,"de":null,"de0":null,"fl":null,' +
    '"fl2":null,"db":null,"db2":null}',
  '{"id":42,"ti":7,"tiu":255,"si":42,"mi":42,"i":42,"i4":42,"bi":42,"de":42.5000,"de0":42,"fl":0.1,"fl2":1.5,' +
    '"db":0.1,"db2":2.25}',
  '{"id":18446744073709551615,"ti":255,"tiu":0,"si":65535,"mi":16777215,"i":4294967295,"i4":12345,' +
    '"bi":18446744073709551615,"de":99999999.9999,"de0":9999999999,"fl":3.3,"fl2":9999.999,"db":1e+300,' +
    '"db2":99999999.9999}',
];

test('every record of a table with every ZEROFILL type is JSON with the exact values', async (t) => {
  for (const maxResults of [1000, 1]) {
    const records = await read('zf', { maxResults });
    for (const record of records) t.notThrows(() => JSON.parse(record), record);
    t.deepEqual(records, ZEROFILL_RECORDS, `maxResults ${maxResults}`);
  }
  const keyed = await read('zfk', { maxResults: 1 });
  for (const record of keyed) t.notThrows(() => JSON.parse(record), record);
  t.deepEqual(keyed, ['{"k":0.00,"v":4}', '{"k":1.50,"v":1}', '{"k":42.00,"v":2}', '{"k":123456.78,"v":3}']);
});

test('filters and RetrieveData find ZEROFILL values by the value the record shows', async (t) => {
  t.deepEqual(await idTexts('zf', 'bi = 42'), ['42']);
  t.deepEqual(await idTexts('zf', 'id = 18446744073709551615'), ['18446744073709551615']);
  t.deepEqual(await idTexts('zf', 'de = 42.5 OR de0 = 9999999999'), ['42', '18446744073709551615']);
  t.deepEqual(await idTexts('zf', 'i IN (42, 0)'), ['1', '42']);
  t.deepEqual(await idTexts('zf', 'fl = 0.1'), ['42']);
  t.deepEqual(await idTexts('zf', 'fl2 = 9999.999 OR db = 0.1'), ['42', '18446744073709551615']);
  t.deepEqual(await retrieve('zf', 'id', ['42', '1']), [ZEROFILL_RECORDS[0], ZEROFILL_RECORDS[2]]);
  t.deepEqual(await retrieve('zf', 'bi', ['18446744073709551615']), [ZEROFILL_RECORDS[3]]);
  t.deepEqual(await retrieve('zfk', 'k', ['42', '1.5']), ['{"k":1.50,"v":1}', '{"k":42.00,"v":2}']);
});

test('FLOAT: every comparison agrees with the value the record shows', async (t) => {
  const shown = await read('fl', { selectedFieldNames: ['id', 'f'] });
  t.deepEqual(shown, [
    '{"id":1,"f":0.1}',
    '{"id":2,"f":3.3}',
    '{"id":3,"f":0.3}',
    '{"id":4,"f":-0.1}',
    '{"id":5,"f":null}',
    '{"id":6,"f":16777216}',
    '{"id":7,"f":1e-7}',
    '{"id":8,"f":3.4e+38}',
  ]);
  const cases: [string, number[]][] = [
    ['f = 0.1', [1]],
    ['f != 0.1', [2, 3, 4, 6, 7, 8]],
    ['f IN (0.1, 3.3)', [1, 2]],
    ['f IN (0.1, 3.3, null)', [1, 2, 5]],
    ['f > 0.1', [2, 3, 6, 8]],
    ['f >= 0.1', [1, 2, 3, 6, 8]],
    ['f < 0.1', [4, 7]],
    ['f <= 0.1', [1, 4, 7]],
    ['f BETWEEN 0.1 AND 3.3', [1, 2, 3]],
    ['f BETWEEN -0.1 AND 0.1', [1, 4, 7]],
    ['f = -0.1', [4]],
    ['f = 0.3', [3]],
    ['f = 16777216', [6]],
    ['f = 16777217', []],
    ['f > 16777216.5', [8]],
    ['f = 0.0000001', [7]],
    ['f = 340000000000000000000000000000000000000', [8]],
    // Literals more precise than the shown value compare with the shown value as written.
    ['f = 0.10000000001', []],
    ['f < 0.10000000001', [1, 4, 7]],
    ['f > 0.09999999999', [1, 2, 3, 6, 8]],
    ['f <= 0.09999999999', [4, 7]],
    ['NOT f = 0.1', [2, 3, 4, 5, 6, 7, 8]],
    ['d = 0.1', [1]],
    ['d IN (0.1, 3.3)', [1, 2]],
    ['d = 0.10000000000000001', []],
    ['d > 0.09999999999999999', [1, 2, 3, 6, 8]],
  ];
  for (const [expression, expected] of cases) t.deepEqual(await ids('fl', expression), expected, expression);
  t.deepEqual(await retrieve('fk', 'f', ['0.1', '3.3']), ['{"f":0.1,"label":"tenth"}', '{"f":3.3,"label":"three"}']);
  t.deepEqual(await retrieve('fk', 'f', ['-2.5', '0.10000000001', '3.29999']), ['{"f":-2.5,"label":"minus"}']);
});

test('Boolean TINYINT(1) and BIT(1): filters and RetrieveData agree with the true/false the record shows', async (t) => {
  const shown = await read('bo');
  t.deepEqual(shown, [
    '{"id":1,"bo":false,"bb":false}',
    '{"id":2,"bo":true,"bb":true}',
    '{"id":3,"bo":true,"bb":true}',
    '{"id":4,"bo":true,"bb":null}',
    '{"id":5,"bo":null,"bb":false}',
    '{"id":6,"bo":true,"bb":null}',
  ]);
  const cases: [string, number[]][] = [
    ['bo = true', [2, 3, 4, 6]],
    ['bo = 1', [2, 3, 4, 6]],
    ['bo != false', [2, 3, 4, 6]],
    ['bo = false', [1]],
    ['bo = 0', [1]],
    ['bo != true', [1]],
    ['bo != 1', [1]],
    ['NOT bo = true', [1, 5]],
    ['bo IN (1)', [2, 3, 4, 6]],
    ['bo IN (0, null)', [1, 5]],
    ['bo IN (0, 1)', [1, 2, 3, 4, 6]],
    ['bb = true', [2, 3]],
    ['bb = false', [1, 5]],
    ['bb != true', [1, 5]],
    ['bb IN (1, null)', [2, 3, 4, 6]],
  ];
  for (const [expression, expected] of cases) t.deepEqual(await ids('bo', expression), expected, expression);
  t.deepEqual(await retrieve('bk', 'flag', ['true']), ['{"flag":true,"label":"two"}']);
  t.deepEqual(await retrieve('bk', 'flag', ['1']), ['{"flag":true,"label":"two"}']);
  t.deepEqual(await retrieve('bk', 'flag', ['false']), ['{"flag":false,"label":"off"}']);
  t.deepEqual(await retrieve('bk', 'flag', ['false', 'true']), [
    '{"flag":false,"label":"off"}',
    '{"flag":true,"label":"two"}',
  ]);
  // Ordered by the stored value (-1, 1, 2, 127): all of them show as true.
  t.deepEqual(await retrieve('bo', 'bo', ['true']), [shown[3], shown[1], shown[2], shown[5]]);
});

test('every field offered for incremental pulls accepts the window filters AppFlow writes', async (t) => {
  const described = await invoke(stage.bundle, describeEntityEvent(stage.target, 'dates'));
  const fields = (
    described as {
      entityDefinition: {
        fields: { fieldName: string; readProperties: { isTimestampFieldForIncrementalQueries: boolean } }[];
      };
    }
  ).entityDefinition.fields;
  const flagged = fields
    .filter((field) => field.readProperties.isTimestampFieldForIncrementalQueries)
    .map((field) => field.fieldName);
  t.deepEqual(flagged, ['dt', 'ts']);
  for (const field of flagged) {
    for (const window of [
      `${field} > 2024-03-01T00:00:00Z`,
      `${field} BETWEEN 2024-03-01T00:00:00Z AND 2024-03-02T00:00:00Z`,
      `${field} BETWEEN 2024-03-01T06:30:00.250Z AND 2024-03-02T00:00:00.000Z`,
    ]) {
      const response = await invoke(stage.bundle, queryDataEvent(stage.target, 'dates', { filterExpression: window }));
      t.true(response.isSuccess, `${window}: ${JSON.stringify(response.errorDetails)}`);
    }
  }
  // A DATE is not offered for incremental pulls; it still takes date windows, and says why it refuses an instant.
  t.deepEqual(await ids('dates', 'd BETWEEN 2024-03-01 AND 2024-03-01'), [1]);
  const refused = await invoke(
    stage.bundle,
    queryDataEvent(stage.target, 'dates', { filterExpression: 'd > 2024-03-01T00:00:00Z' }),
  );
  t.like(refused, { isSuccess: false, errorDetails: { errorCode: 'InvalidArgument' } });
  t.regex((refused.errorDetails as { errorMessage: string }).errorMessage, /\bd\b.*2024-03-01/);
});

// The connector against the reference evaluator on the values this file is about. Rows are read with the binary
// protocol (execute), which gives FLOAT columns as the float32 value itself.
const REFERENCE_EXPRESSIONS: [string, string][] = [
  ['fl', 'f = 0.1'],
  ['fl', 'f != 3.3'],
  ['fl', 'f < 0.3 OR f > 3.3'],
  ['fl', 'f >= 0.3 AND f <= 16777216'],
  ['fl', 'f BETWEEN 0.0000001 AND 0.3'],
  ['fl', 'f IN (0.1, 0.3, 16777216, null)'],
  ['fl', 'NOT f IN (0.1, 0.10000001)'],
  ['fl', 'f > 0.10000000001 AND f < 3.30000001'],
  ['fl', 'f = 0.10000000001 OR f <= 0.09999999999'],
  ['fl', 'd = 0.1 OR d >= 16777217'],
  ['fl', 'd BETWEEN 0.09999999999999999 AND 0.30000000000000001'],
  ['bo', 'bo = true'],
  ['bo', 'bo = false'],
  ['bo', 'bo != true'],
  ['bo', 'NOT bo != false'],
  ['bo', 'bo IN (1, null)'],
  ['bo', 'bo = 0 OR bo = null'],
  ['bo', 'bb = true AND bo = true'],
  ['bo', 'NOT (bb = false OR bo = 1)'],
  ['zf', 'bi = 42 OR de > 42.4999'],
  ['zf', 'de0 BETWEEN 1 AND 9999999999'],
  ['zf', 'fl = 3.3 OR fl2 = 1.5'],
  ['zf', 'db > 0.1 OR db2 < 2.25'],
  ['zf', 'ti IN (7, 255) AND NOT i4 = 42'],
  ['dates', 'd >= 2024-03-02'],
  ['dates', 'dt > 2024-03-01T00:00:00Z'],
  ['dates', 'ts BETWEEN 2024-03-01T00:00:00Z AND 2024-03-02T00:00:00Z'],
];

test('for FLOAT, DOUBLE, Boolean, ZEROFILL and date fields the connector selects what the reference evaluator selects', async (t) => {
  const rowsOf = new Map<string, Row[]>();
  for (const [entity, expression] of REFERENCE_EXPRESSIONS) {
    const table = await catalogTable(connection, stage.database.database, entity);
    const key = table.primaryKey[0]!;
    if (!rowsOf.has(entity)) {
      const [rows] = await connection.execute({
        sql: `SELECT * FROM \`${entity}\` ORDER BY \`${key}\``,
        supportBigNumbers: true,
        bigNumberStrings: true,
        dateStrings: true,
      } as never);
      // BIT(1) arrives as a one-byte Buffer: the evaluator takes its number.
      const plain = (rows as Record<string, unknown>[]).map((row) =>
        Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Buffer.isBuffer(v) ? v[0]! : v])),
      );
      rowsOf.set(entity, plain as Row[]);
    }
    const fields = filterFieldsOf(table, undefined);
    const expected = rowsOf
      .get(entity)!
      .filter((row) => matchesFilter(parseFilter(expression), row, fields))
      .map((row) => String(row[key]).replace(/^0+(?=\d)/, ''));
    const records = await read(entity, { filterExpression: expression, selectedFieldNames: [key] });
    const got = records.map((record) => /:(-?[0-9.e+]+|true|false)\}$/.exec(record)![1]!.replace(/^0+(?=\d)/, ''));
    t.deepEqual(got, expected, `${entity}: ${expression}`);
  }
});
