/**
 * The engine contract suite: the same Engine-level checks (catalog, dialect, value conversion, key cells, error
 * classification) against every engine of handler/engines/index.ts, each on its own throwaway server with the same
 * logical table. A third engine joins by adding one entry to ENGINES (its server, its DDL for the table) and is
 * then held to the same contract by the same tests (README, "Adding an engine").
 */
import test from 'ava';
import type { ColumnMeta, Database, Engine, KeyCell, TableMeta } from '../../handler/engines/engine';
import { mysqlEngine } from '../../handler/engines/mysql/index';
import { postgresqlEngine } from '../../handler/engines/postgresql/index';
import { ConnectorError, ResourceNotFoundError } from '../../handler/errors';
import type { ConnectionSettings } from '../../handler/settings';
import { JsonNumber, type JsonValue } from '../../handler/values/json';
import { startMariaDb } from '../support/mariadb';
import { startThrowawayPostgreSql } from '../support/postgresql';

/** The same logical table on every engine: one column per AppFlow type the contract names. */
const CONTRACT_TABLE = 'contract_items';
/** A value that must never reach a message (a record's text). */
const SECRET_VALUE = 'zq-secret-4711';

interface EngineUnderTest {
  readonly engine: Engine;
  /** Starts the server, creates the table (with rows ids 1..5) and returns a Database of the engine's own pools. */
  start(): Promise<{ database: Database; badLogin: () => Promise<unknown>; stop: () => Promise<void> }>;
}

const MYSQL_DDL = `CREATE TABLE ${CONTRACT_TABLE} (
  id INT NOT NULL PRIMARY KEY,
  code VARCHAR(20) NOT NULL UNIQUE,
  qty INT NOT NULL DEFAULT 7,
  big BIGINT NULL,
  price DECIMAL(8,2) NULL,
  ratio DOUBLE NULL,
  flag BOOLEAN NULL,
  day DATE NULL,
  at DATETIME(3) NULL,
  raw VARBINARY(8) NULL
) ENGINE=InnoDB`;

const POSTGRESQL_DDL = `CREATE TABLE ${CONTRACT_TABLE} (
  id integer NOT NULL PRIMARY KEY,
  code varchar(20) NOT NULL UNIQUE,
  qty integer NOT NULL DEFAULT 7,
  big bigint NULL,
  price numeric(8,2) NULL,
  ratio double precision NULL,
  flag boolean NULL,
  day date NULL,
  at timestamp(3) NULL,
  raw bytea NULL
)`;

const ROWS = [1, 2, 3, 4, 5].map(
  (id) =>
    `(${id}, 'c${id}', ${id * 10}, ${9007199254740993n + BigInt(id)}, ${id}.50, 0.1, ${id % 2 === 0 ? 'true' : 'false'}, ` +
    `'2024-03-0${id}', '2024-03-0${id} 10:00:00.125', NULL)`,
);

const ENGINES: readonly EngineUnderTest[] = [
  {
    engine: mysqlEngine,
    async start() {
      const server = await startMariaDb();
      const db = await server.createDatabase({ prefix: 'contract' });
      await db.query(`${MYSQL_DDL}; INSERT INTO ${CONTRACT_TABLE} VALUES ${ROWS.join(', ')}`);
      const settings: ConnectionSettings = {
        engine: 'MYSQL',
        host: db.host,
        port: db.port,
        database: db.database,
        schema: null,
        tlsMode: 'REQUIRED',
      };
      const pools = mysqlEngine.createPools();
      const database = await pools.get(settings, { username: db.user, password: db.password });
      const badPools = mysqlEngine.createPools();
      return {
        database,
        badLogin: async () => {
          try {
            const bad = await badPools.get(settings, { username: db.user, password: 'wrong password' });
            return await bad.execute('SELECT 1');
          } finally {
            await badPools.closeAll();
          }
        },
        stop: async () => {
          await pools.closeAll();
          await server.stop();
        },
      };
    },
  },
  {
    engine: postgresqlEngine,
    async start() {
      const server = await startThrowawayPostgreSql();
      const db = await server.createDatabase({ prefix: 'contract' });
      await db.query(
        `CREATE SCHEMA app; SET search_path = app; ${POSTGRESQL_DDL}; INSERT INTO ${CONTRACT_TABLE} VALUES ${ROWS.join(', ')}`,
      );
      const settings: ConnectionSettings = {
        engine: 'POSTGRESQL',
        host: db.host,
        port: db.port,
        database: db.database,
        schema: 'app',
        tlsMode: 'REQUIRED',
      };
      const pools = postgresqlEngine.createPools();
      const database = await pools.get(settings, { username: db.user, password: db.password });
      const badPools = postgresqlEngine.createPools();
      return {
        database,
        badLogin: async () => {
          try {
            const bad = await badPools.get(settings, { username: db.user, password: 'wrong password' });
            return await bad.execute('SELECT 1');
          } finally {
            await badPools.closeAll();
          }
        },
        stop: async () => {
          await pools.closeAll();
          await server.stop();
        },
      };
    },
  },
];

async function readPage(
  engine: Engine,
  database: Database,
  sql: string,
  params: readonly unknown[],
): Promise<unknown[][]> {
  const rows: unknown[][] = [];
  const end = await database.readRows(sql, params as never, {
    timeoutMs: 10_000,
    onRow: (row) => {
      rows.push(row);
      return true;
    },
  });
  if (end !== 'complete') throw new Error(`${engine.name}: read ended ${end}`);
  return rows;
}

const column = (table: TableMeta, name: string): ColumnMeta => table.columnsByName.get(name)!;
const num = (text: string): JsonValue => new JsonNumber(text);

for (const { engine, start } of ENGINES) {
  const name = engine.name;
  let database: Database;
  let badLogin: () => Promise<unknown>;
  let stop: (() => Promise<void>) | undefined;
  let table: TableMeta;

  test.before(async () => {
    ({ database, badLogin, stop } = await start());
    table = await engine.catalog.describeTable(
      database,
      engine.catalog.namespaceOf(database.settings),
      CONTRACT_TABLE,
      5_000,
    );
  });
  test.after.always(async () => {
    await stop?.();
  });

  test(`${name} catalog: columns in table order with the README's AppFlow types, keys, nullability, literal defaults`, (t) => {
    t.deepEqual(
      table.columns.map((c) => [c.name, c.dataType]),
      [
        ['id', 'Integer'],
        ['code', 'String'],
        ['qty', 'Integer'],
        ['big', 'Long'],
        ['price', 'BigDecimal'],
        ['ratio', 'Double'],
        ['flag', 'Boolean'],
        ['day', 'Date'],
        ['at', 'DateTime'],
        ['raw', 'ByteArray'],
      ],
    );
    t.deepEqual(table.primaryKey, ['id']);
    t.deepEqual(table.uniqueKeys, [['code']]);
    t.false(column(table, 'id').nullable);
    t.true(column(table, 'big').nullable);
    t.is(column(table, 'qty').defaultValue, '7');
    t.true(column(table, 'qty').defaultedOnCreate);
    t.false(column(table, 'code').defaultedOnCreate);
    t.is(column(table, 'code').maxLength, 20);
    t.is(column(table, 'price').numericPrecision, 8);
    t.is(column(table, 'price').numericScale, 2);
    t.true(column(table, 'at').incrementalTimestamp);
    t.false(column(table, 'day').incrementalTimestamp);
    t.true(table.writable && table.insertable && table.updatable && !table.isView);
  });

  test(`${name} catalog: listed by exact name; an unknown table is ResourceNotFound; impossible names are named`, async (t) => {
    const namespace = engine.catalog.namespaceOf(database.settings);
    const { tables } = await engine.catalog.listTables(database, namespace, null, 100, 5_000);
    t.true(tables.some((entry) => entry.name === CONTRACT_TABLE && !entry.isView && entry.writable));
    await t.throwsAsync(engine.catalog.describeTable(database, namespace, 'Contract_Items', 5_000), {
      instanceOf: ResourceNotFoundError,
    });
    t.is(engine.catalog.tableNameProblem(CONTRACT_TABLE), null);
    // Both engines cap identifiers (MariaDB/MySQL 64 characters, PostgreSQL 63 bytes): a longer name is named.
    t.truthy(engine.catalog.tableNameProblem('x'.repeat(300)));
  });

  test(`${name} dialect: a condition binds its literals (never SQL text) and a page selects, orders and limits`, async (t) => {
    const condition = {
      type: 'and',
      operands: [
        { type: 'compare', column: 'qty', op: '>=', value: { kind: 'exact', text: '20', scale: 0 } },
        { type: 'compare', column: 'code', op: '<>', value: { kind: 'text', value: SECRET_VALUE } },
      ],
    } as const;
    const rendered = engine.dialect.condition(condition);
    t.false(rendered.sql.includes(SECRET_VALUE));
    t.true(rendered.params.includes(SECRET_VALUE));
    const select = [column(table, 'id'), column(table, 'price')];
    const page = engine.dialect.selectPage({
      table,
      select,
      where: condition,
      keyset: { columns: [column(table, 'id')], after: [2], until: null },
      orderBy: [],
      limit: 2,
      offset: 0,
    });
    const rows = await readPage(engine, database, page.sql, page.params);
    const encode = engine.values.recordEncoder(select);
    t.deepEqual(
      rows.map((row) => encode(row)),
      ['{"id":3,"price":3.50}', '{"id":4,"price":4.50}'],
    );
    const highest = engine.dialect.selectHighestKey(table, [column(table, 'id')]);
    const [top] = await readPage(engine, database, highest.sql, highest.params);
    t.deepEqual(engine.values.keyCell(top![0], column(table, 'id')), 5);
  });

  test(`${name} values: records render exactly; converters take exact values and refuse, naming the field, what would change`, async (t) => {
    const select = table.columns;
    const page = engine.dialect.selectPage({
      table,
      select,
      where: null,
      keyset: null,
      orderBy: [column(table, 'id')],
      limit: 1,
      offset: 0,
    });
    const [row] = await readPage(engine, database, page.sql, page.params);
    t.deepEqual(
      JSON.parse(
        engine.values
          .recordEncoder(select)(row!)
          .replace(/"big":(\d+)/, '"big":"$1"'),
      ),
      {
        id: 1,
        code: 'c1',
        qty: 10,
        big: '9007199254740994',
        price: 1.5,
        ratio: 0.1,
        flag: false,
        day: '2024-03-01',
        at: '2024-03-01T10:00:00.125Z',
        raw: null,
      },
    );
    t.regex(engine.values.recordEncoder(select)(row!), /"big":9007199254740994,/);
    const convert = (name: string, value: JsonValue) => engine.values.converter(column(table, name))(value);
    t.true(convert('price', num('12.50')).ok);
    t.true(convert('price', num('12.500000')).ok);
    t.true(convert('big', num('9223372036854775807')).ok);
    t.true(convert('raw', 'AAEC').ok);
    t.true(convert('big', null).ok, 'null into a nullable column');
    for (const [field, value] of [
      ['price', num('1.005')],
      ['price', num('1234567.5')],
      ['qty', num('3000000000')],
      ['qty', num('1.5')],
      ['big', num('99999999999999999999')],
      ['day', '2023-02-29'],
      ['at', 'not a date'],
      ['flag', 'maybe'],
      ['raw', 'not base64!'],
    ] as const) {
      const converted = convert(field, value);
      t.false(converted.ok, `${field} ${JSON.stringify(value)}`);
      if (!converted.ok) {
        t.true(converted.message.includes(field), converted.message);
        t.false(
          converted.message.includes(typeof value === 'string' ? value : (value as JsonNumber).text),
          converted.message,
        );
      }
    }
  });

  test(`${name} key cells: a cell read from a key column passes checkKeyCell and resumes a page; a foreign cell does not`, async (t) => {
    const idColumn = column(table, 'id');
    const codeColumn = column(table, 'code');
    t.true(idColumn.keysetSafe);
    const highest = engine.dialect.selectHighestKey(table, [idColumn, codeColumn]);
    const [top] = await readPage(engine, database, highest.sql, highest.params);
    const cells: KeyCell[] = [engine.values.keyCell(top![0], idColumn), engine.values.keyCell(top![1], codeColumn)];
    t.true(engine.values.checkKeyCell(cells[0]!, idColumn));
    t.true(engine.values.checkKeyCell(cells[1]!, codeColumn));
    t.false(engine.values.checkKeyCell('not a number', idColumn));
    t.false(engine.values.checkKeyCell({ b64: 'AA==' }, idColumn));
    t.false(engine.values.checkKeyCell('x'.repeat(21), codeColumn));
    // A number the INT column cannot hold (its range is that of 32 bits) is not one of its cells.
    t.false(engine.values.checkKeyCell(2 ** 40, idColumn));
    t.true(engine.values.checkKeyCell(2 ** 31 - 1, idColumn));
    t.false(engine.values.checkKeyCell(-(2 ** 31) - 1, idColumn));
    const page = engine.dialect.selectPage({
      table,
      select: [idColumn],
      where: null,
      keyset: { columns: [idColumn], after: [cells[0]!], until: null },
      orderBy: [],
      limit: null,
      offset: 0,
    });
    t.deepEqual(await readPage(engine, database, page.sql, page.params), []);
    t.throws(() =>
      engine.dialect.selectPage({
        table,
        select: [idColumn],
        where: null,
        keyset: { columns: [idColumn], after: ['nope'], until: null },
        orderBy: [],
        limit: null,
        offset: 0,
      }),
    );
  });

  test(`${name} errors: a duplicate key is a record error named without its value; a bad login is an authentication failure`, async (t) => {
    const target = { table: CONTRACT_TABLE, columns: new Set(table.columns.map((c) => c.name)) };
    const facts = await engine.writes.readTargetFacts(database, table, 5_000);
    t.true(facts.transactional);
    const columns = [column(table, 'id'), column(table, 'code')];
    const request = (id: string) => ({
      table,
      columns,
      params: [id, SECRET_VALUE],
      rows: 1,
      upsertKey: null,
      generated: null,
    });
    // Both inserts in one transaction, which the failure rolls back: the table stays as the other tests expect.
    const duplicate = await database
      .transaction(async (runner) => {
        await engine.writes.insert(runner, request('90'), facts, 5_000);
        await engine.writes.insert(runner, request('91'), facts, 5_000);
      })
      .then(
        () => null,
        (error: unknown) => error,
      );
    t.truthy(duplicate, 'the second insert of the same unique code fails');
    t.true(engine.errors.isRecordError(duplicate, target));
    const message = engine.errors.describeRecordError(duplicate, {
      identifiers: new Set([CONTRACT_TABLE, 'id', 'code']),
      upsertIdColumns: [],
    });
    t.false(message.includes(SECRET_VALUE), message);
    t.regex(message, /code|unique|duplicate/i);
    t.true(engine.errors.classify(duplicate) instanceof ConnectorError);
    // The classified error (what a failed batch returns) carries no server text with the value either.
    t.false(
      engine.errors.classify(duplicate).message.includes(SECRET_VALUE),
      engine.errors.classify(duplicate).message,
    );
    const refused = await badLogin().then(
      () => null,
      (error: unknown) => error,
    );
    t.truthy(refused);
    t.true(engine.errors.isAuthenticationFailure(refused));
    t.is(engine.errors.classify(refused).code, 'InvalidCredentials');
    t.false(engine.errors.isAuthenticationFailure(duplicate));
  });
}
