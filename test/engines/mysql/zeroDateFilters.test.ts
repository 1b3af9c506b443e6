/**
 * Filters agree with what records show (MariaDB, through the built bundle): zero dates (`0000-00-00`) and dates
 * with a zero month or day (`2024-00-10`), which lax sql_modes store in DATE, DATETIME and TIMESTAMP columns, are
 * shown as null, so `= null` finds them and no comparison matches them (they sort before every real date, so
 * `d < …` would otherwise pull them in every window). Each filter's answer is compared with the reference evaluator
 * (test/support/filterEvaluator.ts) run over the records as shown, and the key cases with ids written out.
 */
import test from 'ava';
import { type FilterField, parseFilter } from '../../../handler/filter';
import type { FieldDataType } from '../../../handler/protocol/codecs';
import { type ConnectorStage, startConnectorStage } from '../../support/environment';
import { queryDataEvent } from '../../support/events';
import { matchesFilter, type Row } from '../../support/filterEvaluator';
import { invoke } from '../../support/lambda';

let stage: ConnectorStage;

const FIELDS: ReadonlyMap<string, FilterField> = new Map(
  (
    [
      ['id', 'Integer'],
      ['d', 'Date'],
      ['dt', 'DateTime'],
      ['ts', 'DateTime'],
      ['dn', 'Date'],
    ] as [string, FieldDataType][]
  ).map(([name, dataType]) => [name, { name, dataType }]),
);

test.before(async () => {
  stage = await startConnectorStage({ seed: false });
  const connection = await stage.database.connect();
  // Without NO_ZERO_DATE / NO_ZERO_IN_DATE / strict mode, as older applications insert them.
  await connection.query("SET SESSION sql_mode = '', time_zone = '+00:00'");
  await connection.query(`CREATE TABLE zero_dates (id INT PRIMARY KEY, d DATE NULL, dt DATETIME(3) NULL,
    ts TIMESTAMP NULL DEFAULT NULL, dn DATE NOT NULL)`);
  await connection.query(`INSERT INTO zero_dates VALUES
    (1, '2024-03-01', '2024-03-01 10:00:00', '2024-03-01 10:00:00', '2024-03-01'),
    (2, '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', '0000-00-00'),
    (3, '2024-00-10', '2024-00-10 10:00:00', NULL, '2024-05-00'),
    (4, NULL, NULL, NULL, '2000-01-01'),
    (5, '2000-01-01', '2000-01-01 00:00:00', '2000-01-01 00:00:00', '2024-00-00')`);
  await connection.end();
});

test.after.always(async () => {
  await stage?.teardown();
});

interface Page {
  isSuccess: boolean;
  records: string[] | null;
  errorDetails: unknown;
}

async function query(filterExpression: string | null): Promise<Row[]> {
  const answer = await invoke<Page>(stage.bundle, queryDataEvent(stage.target, 'zero_dates', { filterExpression }));
  if (!answer.isSuccess) throw new Error(JSON.stringify(answer.errorDetails));
  return (answer.records ?? []).map((record) => JSON.parse(record) as Row);
}

async function ids(filterExpression: string): Promise<number[]> {
  return (await query(filterExpression)).map((row) => row.id as number).sort((a, b) => a - b);
}

test('zero dates and dates with a zero month or day are shown as null', async (t) => {
  const rows = await query('id IN (2, 3)');
  t.deepEqual(
    rows.sort((a, b) => (a.id as number) - (b.id as number)),
    [
      { id: 2, d: null, dt: null, ts: null, dn: null },
      { id: 3, d: null, dt: null, ts: null, dn: null },
    ],
  );
});

test('DATETIME(3) values are shown with the 3 fraction digits the catalog gives the column, zeros included', async (t) => {
  const rows = await query('id IN (1, 5)');
  t.deepEqual(rows.map((row) => row.dt).sort(), ['2000-01-01T00:00:00.000Z', '2024-03-01T10:00:00.000Z']);
});

test('values shown as null match = null and no comparison', async (t) => {
  t.deepEqual(await ids('d = null'), [2, 3, 4]);
  t.deepEqual(await ids('d != null'), [1, 5]);
  t.deepEqual(await ids('d < 2024-01-01'), [5]);
  t.deepEqual(await ids('d <= 2030-01-01'), [1, 5]);
  t.deepEqual(await ids('dt < 2024-01-01T00:00:00Z'), [5]);
  t.deepEqual(await ids('dt = null'), [2, 3, 4]);
  t.deepEqual(await ids('ts BETWEEN 1971-01-01T00:00:00Z AND 2100-01-01T00:00:00Z'), [1, 5]);
  t.deepEqual(await ids('ts = null'), [2, 3, 4]);
  t.deepEqual(await ids('dn = null'), [2, 3, 5]);
  t.deepEqual(await ids('dn < 2030-01-01'), [1, 4]);
  t.deepEqual(await ids('NOT (d < 2024-01-01)'), [1, 2, 3, 4]);
  t.deepEqual(await ids('d IN (2000-01-01, null)'), [2, 3, 4, 5]);
});

test('every filter selects exactly the records the reference evaluator selects from what they show', async (t) => {
  const rows = await query(null);
  t.is(rows.length, 5);
  for (const expression of [
    'd < 2024-01-01',
    'd >= 1000-01-01',
    'd = null',
    'd != null',
    'd IN (2000-01-01)',
    'd IN (2000-01-01, null)',
    'NOT (d = 2000-01-01)',
    'dt <= 2024-03-01T10:00:00Z',
    'dt != null',
    'dt BETWEEN 1000-01-01T00:00:00Z AND 2024-01-01T00:00:00Z',
    'ts > 1971-01-01T00:00:00Z',
    'ts < 2100-01-01T00:00:00Z',
    'ts = null',
    'dn < 2030-01-01',
    'dn = null',
    'dn != null',
    'NOT (dn > 1999-01-01)',
    'd < 2024-01-01 OR dn = null',
  ]) {
    const expected = rows
      .filter((row) => matchesFilter(parseFilter(expression), row, FIELDS))
      .map((row) => row.id as number)
      .sort((a, b) => a - b);
    t.deepEqual(await ids(expression), expected, expression);
  }
});
