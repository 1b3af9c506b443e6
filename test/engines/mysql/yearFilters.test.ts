/**
 * Filters on a YEAR field agree with what records show (MariaDB, through the built bundle). Records show YEAR as
 * the plain number (2000, or 0 for the zero year), but MariaDB reads a small number compared with a YEAR as a
 * two-digit year (`y <= 1` would match 2000). Each filter's answer is compared with the reference evaluator
 * (test/support/filterEvaluator.ts) run over the records as shown, and the key cases with ids written out.
 */
import test from 'ava';
import { type FilterField, parseFilter } from '../../../handler/filter';
import { type ConnectorStage, startConnectorStage } from '../../support/environment';
import { queryDataEvent } from '../../support/events';
import { matchesFilter, type Row } from '../../support/filterEvaluator';
import { invoke } from '../../support/lambda';

let stage: ConnectorStage;

const FIELDS: ReadonlyMap<string, FilterField> = new Map([
  ['id', { name: 'id', dataType: 'Integer' }],
  ['y', { name: 'y', dataType: 'Integer' }],
]);

test.before(async () => {
  stage = await startConnectorStage({ seed: false });
  const connection = await stage.database.connect();
  await connection.query('CREATE TABLE years (id INT PRIMARY KEY, y YEAR NOT NULL, KEY (y))');
  // 0 as a number is the zero year 0000; '0' as text is 2000.
  await connection.query("INSERT INTO years VALUES (1, 0), (2, '0'), (3, 1999), (4, 2001), (5, 2155), (6, 1901)");
  await connection.end();
});

test.after.always(async () => {
  await stage?.teardown();
});

async function query(filterExpression: string | null): Promise<Row[]> {
  const answer = await invoke<{ isSuccess: boolean; records: string[] | null; errorDetails: unknown }>(
    stage.bundle,
    queryDataEvent(stage.target, 'years', { filterExpression }),
  );
  if (!answer.isSuccess) throw new Error(JSON.stringify(answer.errorDetails));
  return (answer.records ?? []).map((record) => JSON.parse(record) as Row);
}

async function ids(filterExpression: string): Promise<number[]> {
  return (await query(filterExpression)).map((row) => row.id as number).sort((a, b) => a - b);
}

test('YEAR values are shown as plain numbers, 0 for the zero year', async (t) => {
  const rows = await query(null);
  t.deepEqual(
    rows.sort((a, b) => (a.id as number) - (b.id as number)).map((row) => row.y),
    [0, 2000, 1999, 2001, 2155, 1901],
  );
});

test('a small number compared with a YEAR is the number records show, not a two-digit year', async (t) => {
  t.deepEqual(await ids('y BETWEEN 0 AND 1'), [1]);
  t.deepEqual(await ids('y <= 1'), [1]);
  t.deepEqual(await ids('y = 0'), [1]);
  t.deepEqual(await ids('y = 99'), []);
  t.deepEqual(await ids('y IN (0, 1)'), [1]);
  t.deepEqual(await ids('y = 2000'), [2]);
  t.deepEqual(await ids('y < 2000'), [1, 3, 6]);
});

test('every YEAR filter selects exactly the records the reference evaluator selects from what they show', async (t) => {
  const rows = await query(null);
  t.is(rows.length, 6);
  for (const expression of [
    'y = 0',
    'y = 1',
    'y = 99',
    'y = 2000',
    'y != 0',
    'y < 1',
    'y <= 99',
    'y > 99',
    'y >= 2000',
    'y > 2000',
    'y BETWEEN 0 AND 1',
    'y BETWEEN 1 AND 99',
    'y BETWEEN 99 AND 2000',
    'y BETWEEN 1999 AND 2001',
    'y IN (0, 99, 2000)',
    'y IN (1999, 2001)',
    'y < 1500',
    'y > 2155',
    'NOT (y <= 1)',
    'y = 0 OR y = 2001',
  ]) {
    const expected = rows
      .filter((row) => matchesFilter(parseFilter(expression), row, FIELDS))
      .map((row) => row.id as number)
      .sort((a, b) => a - b);
    t.deepEqual(await ids(expression), expected, expression);
  }
});
