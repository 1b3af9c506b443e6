/**
 * The filter language against a real MariaDB: the connector's SQL must select exactly the rows the reference
 * evaluator (test/support/filterEvaluator.ts, written independently of the translator) selects.
 */
import test from 'ava';
import type mysql from 'mysql2/promise';
import { readTableMeta } from '../../handler/engines/mysql/catalog';
import { mysqlEngine } from '../../handler/engines/mysql/index';
import { parseFilter, translateFilter } from '../../handler/filter';
import { keysetChunk } from '../../handler/read/pages';
import { filterFieldsOf, type PagePlan } from '../../handler/read/plan';
import { type ConnectorStage, startConnectorStage } from '../support/environment';
import { queryDataEvent } from '../support/events';
import { matchesFilter, type Row } from '../support/filterEvaluator';
import {
  EXPRESSIONS,
  INJECTION_ATTEMPTS,
  NAMES,
  REFUSED_BY_BOTH,
  SECTION_4_5_EXAMPLES,
  SECTION_4_5_EXPECTED_IDS,
  SECTION_4_5_REJECTED,
  TYPE_CHECKS,
} from '../support/filterExpressions';
import { invoke } from '../support/lambda';

let stage: ConnectorStage;
let connection: mysql.Connection;
let peopleRows: Row[];

test.before(async () => {
  stage = await startConnectorStage({ seed: false });
  connection = await stage.database.connect();
  await connection.query(`CREATE TABLE people (
      id INT PRIMARY KEY,
      name VARCHAR(40) COLLATE utf8mb4_bin NULL,
      age INT NULL,
      score DECIMAL(10,2) NULL,
      big BIGINT UNSIGNED NULL,
      active TINYINT(1) NULL,
      born DATE NULL,
      updated_at DATETIME(3) NOT NULL,
      ratio DOUBLE NULL,
      f FLOAT NULL,
      bz BIGINT UNSIGNED ZEROFILL NULL,
      dz DECIMAL(8,3) ZEROFILL NULL,
      KEY idx_updated_at (updated_at))`);
  const rows: unknown[][] = [];
  for (let id = 1; id <= 5000; id++) {
    const small = id <= 60;
    rows.push([
      id,
      NAMES[id % NAMES.length],
      id % 9 === 0 ? null : (id * 7) % 90,
      id % 11 === 0 ? null : ((id * 37) % 1000) / 4,
      id % 13 === 0 ? null : id === 7 ? '18446744073709551615' : String(9007199254740990n + BigInt(id % 5)),
      // TINYINT(1) may hold any TINYINT: 2 and -1 show as true.
      id % 6 === 0 ? null : [0, 1, 2, -1][id % 4],
      id % 8 === 0 ? null : `19${String(50 + (id % 50)).padStart(2, '0')}-0${1 + (id % 9)}-1${id % 10}`,
      small
        ? `2024-03-${String(1 + (id % 28)).padStart(2, '0')} ${String(id % 24).padStart(2, '0')}:00:00.${id % 2 ? '500' : '000'}`
        : `2023-01-01 00:00:00.000`,
      id % 10 === 0 ? null : id / 8,
      id % 7 === 0 ? null : ((id * 3) % 40) / 10 - 1,
      id % 5 === 0 ? null : id * 1000,
      id % 4 === 0 ? null : ((id * 7) % 100) / 8,
    ]);
  }
  await connection.query('INSERT INTO people VALUES ?', [rows]);
  await connection.query('ANALYZE TABLE people');
  // The binary protocol gives a FLOAT as its float32 value (the text protocol gives the server's rounded text).
  const [read] = await connection.execute({ sql: 'SELECT * FROM people WHERE id <= 60 ORDER BY id' });
  peopleRows = read as Row[];
});
test.after.always(async () => {
  await connection?.end();
  await stage?.teardown();
});

async function connectorIds(filterExpression: string): Promise<number[]> {
  const ids: number[] = [];
  let nextToken: string | null = null;
  do {
    const response = await invoke(
      stage.bundle,
      queryDataEvent(stage.target, 'people', {
        filterExpression: `(${filterExpression}) AND id <= 60`,
        selectedFieldNames: ['id'],
        nextToken,
      }),
    );
    if (!response.isSuccess) throw new Error(JSON.stringify(response.errorDetails));
    ids.push(...(response.records as string[]).map((record) => (JSON.parse(record) as { id: number }).id));
    nextToken = response.nextToken as string | null;
  } while (nextToken);
  return ids;
}

test('for a broad set of expressions the connector selects exactly the rows the reference evaluator selects', async (t) => {
  const table = await readTableMeta(
    { execute: async (sql, params) => (await connection.execute(sql, params as never))[0] as never },
    stage.database.database,
    'people',
    5000,
  );
  const fields = filterFieldsOf(table, undefined);
  let discriminating = 0;
  for (const expression of EXPRESSIONS) {
    if (expression.startsWith('a.b.c')) {
      const response = await invoke(
        stage.bundle,
        queryDataEvent(stage.target, 'people', { filterExpression: expression }),
      );
      t.like(response, { isSuccess: false, errorDetails: { errorCode: 'InvalidArgument' } }, expression);
      t.regex((response.errorDetails as { errorMessage: string }).errorMessage, /a\.b\.c/);
      continue;
    }
    const expected = peopleRows
      .filter((row) => matchesFilter(parseFilter(expression), row, fields))
      .map((row) => Number(row.id));
    t.deepEqual(await connectorIds(expression), expected, expression);
    if (expected.length > 0 && expected.length < peopleRows.length) discriminating++;
  }
  for (const expression of REFUSED_BY_BOTH) {
    t.throws(
      () => peopleRows.filter((row) => matchesFilter(parseFilter(expression), row, fields)),
      undefined,
      expression,
    );
    const response = await invoke(
      stage.bundle,
      queryDataEvent(stage.target, 'people', { filterExpression: expression }),
    );
    t.like(response, { isSuccess: false, errorDetails: { errorCode: 'InvalidArgument' } }, expression);
  }
  // The fixture is only a test if most expressions split it.
  t.true(
    discriminating >= EXPRESSIONS.length - 5,
    `${discriminating} of ${EXPRESSIONS.length} expressions split the rows`,
  );
});

test('every example of protocol §4.5 runs against MariaDB, and every rejected expression is refused', async (t) => {
  await connection.query(`CREATE TABLE examples (
      id INT PRIMARY KEY, updated_at DATETIME NULL, hired_on DATE NULL, first_name VARCHAR(40) NULL,
      email VARCHAR(40) NULL, is_active BOOLEAN NULL, os VARCHAR(20) NULL, accountId INT NULL,
      a VARCHAR(10) NULL, b VARCHAR(10) NULL, c VARCHAR(10) NULL, \`date\` DATETIME(3) NULL,
      x INT NULL, d DATETIME NULL, \`time\` INT NULL)`);
  await connection.query(`INSERT INTO examples (id, updated_at, hired_on, first_name, email, is_active, os, accountId, a, b, c)
      VALUES (1, '2024-03-01 12:00:00', '2024-02-01', 'O''Brien', NULL, 1, 'moj%ave', 100, 'x', 'y', 'q'),
             (2, '2024-02-01 12:00:00', '2023-02-01', 'Ada', 'a@x', 0, 'mojave', 150, '3', '2', 'z')`);
  const expectedIds = SECTION_4_5_EXPECTED_IDS;
  for (const expression of SECTION_4_5_EXAMPLES) {
    const response = await invoke(
      stage.bundle,
      queryDataEvent(stage.target, 'examples', { filterExpression: expression }),
    );
    t.is(response.isSuccess, true, `${expression}: ${JSON.stringify(response.errorDetails)}`);
    const want = expectedIds[expression];
    if (want) {
      t.deepEqual(
        (response.records as string[]).map((record) => (JSON.parse(record) as { id: number }).id),
        want,
        expression,
      );
    }
  }
  for (const expression of SECTION_4_5_REJECTED) {
    const response = await invoke(
      stage.bundle,
      queryDataEvent(stage.target, 'examples', { filterExpression: expression }),
    );
    t.like(response, { isSuccess: false, records: null, errorDetails: { errorCode: 'InvalidArgument' } }, expression);
    t.regex((response.errorDetails as { errorMessage: string }).errorMessage, /^filterExpression/, expression);
  }
});

test('type checks: an integer field rejects 1.5, a Date field rejects a non-date, with messages a user can act on', async (t) => {
  for (const [expression, pattern] of TYPE_CHECKS) {
    const response = await invoke(
      stage.bundle,
      queryDataEvent(stage.target, 'people', { filterExpression: expression }),
    );
    t.like(response, { isSuccess: false, errorDetails: { errorCode: 'InvalidArgument' } }, expression);
    t.regex((response.errorDetails as { errorMessage: string }).errorMessage, pattern, expression);
  }
});

test('injection attempts in filter values and field names change nothing and leak nothing', async (t) => {
  const attempts = INJECTION_ATTEMPTS;
  for (const filterExpression of attempts) {
    const response = await invoke(stage.bundle, queryDataEvent(stage.target, 'people', { filterExpression }));
    if (response.isSuccess) t.deepEqual(response.records, [], filterExpression);
    else t.is((response.errorDetails as { errorCode: string }).errorCode, 'InvalidArgument', filterExpression);
    t.false(JSON.stringify(response).includes(stage.otherDatabase.database));
  }
  const [count] = await connection.query('SELECT COUNT(*) AS n FROM people');
  t.is(Number((count as { n: number }[])[0]!.n), 5000);
});

test('incremental windows on an indexed timestamp use the index (EXPLAIN)', async (t) => {
  const runner = {
    execute: async (sql: string, params?: readonly unknown[]) =>
      (await connection.execute(sql, params as never))[0] as never,
  };
  const table = await readTableMeta(runner, stage.database.database, 'people', 5000);
  for (const expression of [
    'updated_at > 2024-03-20T00:00:00Z',
    'updated_at BETWEEN 2024-03-05T00:00:00Z AND 2024-03-06T00:00:00Z',
  ]) {
    const filter = translateFilter(expression, filterFieldsOf(table, undefined), mysqlEngine.dialect);
    const plan: PagePlan = {
      table,
      selected: table.columns,
      keyColumns: [table.columnsByName.get('id')!],
      where: filter.condition,
      limit: null,
      query: 'explain',
    };
    const { sql, params } = keysetChunk(mysqlEngine, plan, null, ['5000'], 1000);
    const [explained] = await connection.execute(`EXPLAIN ${sql}`, params as never);
    const row = (explained as { key: string | null; type: string }[])[0]!;
    t.is(row.key, 'idx_updated_at', `${expression}: ${JSON.stringify(explained)}`);
    t.is(row.type, 'range');
  }
});
