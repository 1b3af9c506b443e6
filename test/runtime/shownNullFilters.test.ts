/**
 * Filters agree with what records show (PostgreSQL, through the built bundle): numeric NaN and ±Infinity, float
 * NaN and ±Infinity, date and timestamp ±infinity are shown as null, so `= null` finds them and no comparison
 * matches them (an incremental `ts > …` window never pulls `infinity` again). CONTAINS on char(n) sees the padding
 * the record shows. Each filter's answer is compared with the reference evaluator (test/support/filterEvaluator.ts)
 * run over the records as shown, and the key cases with ids written out.
 */
import test from 'ava';
import { parseFilter } from '../../handler/filter';
import type { FilterField } from '../../handler/filter/translate';
import type { FieldDataType } from '../../handler/protocol/codecs';
import { matchesFilter, type Row } from '../support/filterEvaluator';
import { type PostgreSqlStage, startPostgreSqlStage } from '../support/postgresqlStage';

let stage: PostgreSqlStage;

const FIELDS: ReadonlyMap<string, FilterField> = new Map(
  (
    [
      ['id', 'Integer'],
      ['n', 'BigDecimal'],
      ['f', 'Double'],
      ['r', 'Float'],
      ['d', 'Date'],
      ['ts', 'DateTime'],
      ['tz', 'DateTime'],
      ['c', 'String'],
    ] as [string, FieldDataType][]
  ).map(([name, dataType]) => [name, { name, dataType }]),
);

test.before(async () => {
  stage = await startPostgreSqlStage({ schema: 'shown_null', secretName: 'postgresql-shown-null' });
  await stage.sql(`CREATE TABLE special (id integer PRIMARY KEY, n numeric NULL, f float8 NULL, r real NULL,
      d date NULL, ts timestamp NULL, tz timestamptz NULL, c char(5) NULL);
    INSERT INTO special VALUES
      (1, 10, 10, 10, '2024-03-01', '2024-03-01 10:00:00', '2024-03-01 10:00:00+00', 'ab'),
      (2, 'NaN', 'NaN', 'NaN', 'infinity', 'infinity', 'infinity', 'a b'),
      (3, 'Infinity', 'Infinity', 'Infinity', '-infinity', '-infinity', '-infinity', 'abcde'),
      (4, '-Infinity', '-Infinity', '-Infinity', NULL, NULL, NULL, NULL),
      (5, NULL, NULL, NULL, '2000-01-01', '2000-01-01 00:00:00', '2000-01-01 00:00:00+00', ' ')`);
});
test.after.always(async () => {
  await stage?.teardown();
});

async function ids(filterExpression: string): Promise<number[]> {
  const answer = await stage.query('special', { filterExpression });
  if (!answer.isSuccess) throw new Error(JSON.stringify(answer.errorDetails));
  return (answer.records ?? []).map((record) => (JSON.parse(record) as { id: number }).id).sort((a, b) => a - b);
}

test('values shown as null match = null and no comparison, on every type that has them', async (t) => {
  t.deepEqual(await ids('n > 5'), [1]);
  t.deepEqual(await ids('n < 5'), []);
  t.deepEqual(await ids('n = null'), [2, 3, 4, 5]);
  t.deepEqual(await ids('n != null'), [1]);
  t.deepEqual(await ids('f >= 0 OR f < 0'), [1]);
  t.deepEqual(await ids('r = null'), [2, 3, 4, 5]);
  t.deepEqual(await ids('d > 1999-01-01'), [1, 5]);
  t.deepEqual(await ids('d = null'), [2, 3, 4]);
  t.deepEqual(await ids('ts > 2024-01-01T00:00:00Z'), [1]);
  t.deepEqual(await ids('ts < 2024-01-01T00:00:00Z'), [5]);
  t.deepEqual(await ids('tz BETWEEN 1999-01-01T00:00:00Z AND 2100-01-01T00:00:00Z'), [1, 5]);
  t.deepEqual(await ids('tz = null'), [2, 3, 4]);
  t.deepEqual(await ids('n IN (10, null)'), [1, 2, 3, 4, 5]);
  t.deepEqual(await ids('NOT (n > 5)'), [2, 3, 4, 5]);
});

test('CONTAINS on char(n) sees the padding the record shows', async (t) => {
  const shown = await stage.query('special', { filterExpression: 'id = 1', selectedFieldNames: ['c'] });
  t.deepEqual(shown.records, ['{"c":"ab   "}']);
  t.deepEqual(await ids("c CONTAINS 'b '"), [1, 2]);
  t.deepEqual(await ids("c CONTAINS ' '"), [1, 2, 5]);
});

test('every filter selects exactly the records the reference evaluator selects from what they show', async (t) => {
  const all = await stage.query('special');
  const rows = (all.records ?? []).map((record) => JSON.parse(record) as Row);
  for (const expression of [
    'n > 5',
    'n <= 10',
    'n = null',
    'n != null',
    'n IN (10)',
    'NOT (n = 10)',
    'f > 0',
    'f = null',
    'r BETWEEN -1 AND 100',
    'r != null',
    'd >= 2000-01-01',
    'd != null',
    'ts > 2000-01-01T00:00:00Z',
    'ts = null',
    'tz <= 2030-01-01T00:00:00Z',
    'tz != null',
    "c CONTAINS 'b '",
    "c CONTAINS 'a b'",
  ]) {
    const expected = rows
      .filter((row) => matchesFilter(parseFilter(expression), row, FIELDS))
      .map((row) => row.id as number)
      .sort((a, b) => a - b);
    t.deepEqual(await ids(expression), expected, expression);
  }
});
