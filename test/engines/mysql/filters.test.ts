/**
 * The filter language against a real MariaDB: the connector's SQL must select exactly the rows the reference
 * evaluator (test/support/filterEvaluator.ts, written independently of the translator) selects.
 */
import test from 'ava';
import type mysql from 'mysql2/promise';
import { mysqlEngine } from '../../../handler/engines/mysql/index';
import { translateFilter } from '../../../handler/filter';
import { keysetChunk } from '../../../handler/read/pages';
import { filterFieldsOf, type PagePlan } from '../../../handler/read/plan';
import type { Page } from '../../support/engineStage';
import { type ConnectorStage, startConnectorStage } from '../../support/environment';
import { queryDataEvent } from '../../support/events';
import type { Row } from '../../support/filterEvaluator';
import { EXPRESSIONS, NAMES } from '../../support/filterExpressions';
import {
  type AskQueryData,
  checkAgreesWithReference,
  checkInjectionAttempts,
  checkSection45,
  checkTypeRefusals,
} from '../../support/filterSuite';
import { invoke } from '../../support/lambda';
import { catalogTable } from '../../support/mysqlColumns';

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

/** A QueryDataRequest through the bundle. */
const query: AskQueryData = (entity, extra) => invoke<Page>(stage.bundle, queryDataEvent(stage.target, entity, extra));

test('for a broad set of expressions the connector selects exactly the rows the reference evaluator selects', async (t) => {
  const table = await catalogTable(connection, stage.database.database, 'people');
  await checkAgreesWithReference(t, query, peopleRows, filterFieldsOf(table, undefined), EXPRESSIONS);
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
  await checkSection45(t, query);
});

test('type checks: an integer field rejects 1.5, a Date field rejects a non-date, with messages a user can act on', async (t) => {
  await checkTypeRefusals(t, query);
});

test('injection attempts in filter values and field names change nothing and leak nothing', async (t) => {
  await checkInjectionAttempts(t, query, stage.otherDatabase.database);
  const [count] = await connection.query('SELECT COUNT(*) AS n FROM people');
  t.is(Number((count as { n: number }[])[0]!.n), 5000);
});

test('incremental windows on an indexed timestamp use the index (EXPLAIN)', async (t) => {
  const table = await catalogTable(connection, stage.database.database, 'people');
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
