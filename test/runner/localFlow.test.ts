/**
 * The runner against the local bundle and a throwaway server of each engine seeded with the demo schema: whole
 * flows, filtered incremental flows, CSV, write-back, failed records and entity listing on every engine; limits, a
 * bundle that breaks the contract and the connector test fixtures on MariaDB; --schema on PostgreSQL.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { DATABASE_ENGINES, type DatabaseEngine, ENGINES } from '../../handler/engines/registry';
import { DEMO_ORDER_COUNT, FIRST_ORDER_ID } from '../../runner/demo/schema';
import { seedFixtures } from '../support/fixtures';
import { writeMalformedBundle } from './support/bundles';
import { idsOf, runRunner, temporaryDirectory } from './support/cli';
import { type RunnerStage, startRunnerStage, targetArgs, targetEnv } from './support/stage';

/** What this file's SQL says differently on each engine. */
interface EngineFacts {
  /** A string literal in which `\n` is a newline. */
  escapedString(body: string): string;
  /** A copy of `source`'s columns and keys, without rows. */
  copyTable(name: string, source: string): string;
  /** A literal updated_at compares with as the UTC time `time` (YYYY-MM-DD hh:mm:ss). */
  utc(time: string): string;
  /** `a` and `b` are equal JSON documents. */
  sameJson(a: string, b: string): string;
  /** `a` and `b` are equal or both null. */
  sameOrBothNull(a: string, b: string): string;
  /** `column` as text. */
  text(column: string): string;
  /** The name of `table`'s primary key in the connector's messages. */
  primaryKey(table: string): string;
  /** Tables of the engine's own tests below. */
  readonly ownSetup: readonly string[];
}

const FACTS: { [E in DatabaseEngine]: EngineFacts } = {
  MYSQL: {
    escapedString: (body) => `'${body}'`,
    copyTable: (name, source) => `CREATE TABLE ${name} LIKE ${source}`,
    utc: (time) => `'${time}'`,
    sameJson: (a, b) => `JSON_EQUALS(${a}, ${b})`,
    sameOrBothNull: (a, b) => `${a} <=> ${b}`,
    text: (column) => `CAST(${column} AS CHAR)`,
    primaryKey: () => 'PRIMARY',
    ownSetup: [],
  },
  POSTGRESQL: {
    escapedString: (body) => `E'${body}'`,
    copyTable: (name, source) => `CREATE TABLE ${name} (LIKE ${source} INCLUDING ALL)`,
    utc: (time) => `'${time}+00'`,
    sameJson: (a, b) => `${a} = ${b}`,
    sameOrBothNull: (a, b) => `${a} IS NOT DISTINCT FROM ${b}`,
    text: (column) => `${column}::text`,
    primaryKey: (table) => `${table}_pkey`,
    ownSetup: [
      // A second schema, with a name that only matches exactly (PostgreSQL folds unquoted names to lower case).
      'CREATE SCHEMA "Sales"',
      'CREATE TABLE "Sales".invoices (id bigint PRIMARY KEY, amount numeric(10,2) NOT NULL)',
      'INSERT INTO "Sales".invoices SELECT n, n * 1.25 FROM generate_series(1, 30) AS n',
    ],
  },
};

let stages: { [E in DatabaseEngine]: RunnerStage<E> };
/** Every stage started so far, stopped after the tests even when another engine's failed to start. */
const started: RunnerStage[] = [];
const dir = temporaryDirectory('runner-local');

async function setUp<E extends DatabaseEngine>(engine: E): Promise<RunnerStage<E>> {
  const stage = await startRunnerStage(engine);
  started.push(stage);
  const sql = FACTS[engine];
  await stage.rows(`CREATE TABLE csv_cases (id INT PRIMARY KEY, label VARCHAR(50) NULL, amount DECIMAL(25,2) NULL)`);
  await stage.rows(
    `INSERT INTO csv_cases VALUES (1, NULL, NULL), (2, '', 0), (3, ' padded ', -1.50), (4, 'a,b', 12345678901234567890123.45),
       (5, 'say "hi"', 1), (6, ${sql.escapedString('line1\\nline2')}, 2), (7, 'plain', 3), (8, 'Zoë 李', 4)`,
  );
  await stage.rows(sql.copyTable('orders_dupes', 'orders'));
  await stage.rows('INSERT INTO orders_dupes SELECT * FROM orders ORDER BY id LIMIT 3');
  for (const statement of sql.ownSetup) await stage.rows(statement);
  return stage;
}

test.before(async () => {
  const [MYSQL, POSTGRESQL] = await Promise.all([setUp('MYSQL'), setUp('POSTGRESQL')]);
  stages = { MYSQL, POSTGRESQL };
});
test.after.always(async () => {
  await Promise.all(started.map((stage) => stage.teardown()));
});

const run = (engine: DatabaseEngine, args: readonly string[]) =>
  runRunner([...stages[engine].localArgs, ...args], stages[engine].env);

/** The ids of the orders `where` selects, as text, sorted as text. */
async function orderIds(engine: DatabaseEngine, where = '1 = 1'): Promise<string[]> {
  const rows = await stages[engine].rows<{ id: string }>(
    `SELECT ${FACTS[engine].text('id')} AS id FROM orders WHERE ${where}`,
  );
  return rows.map((row) => row.id).sort();
}

for (const engine of DATABASE_ENGINES) {
  const name = ENGINES[engine].local.product;
  const sql = FACTS[engine];
  const file = (base: string) => join(dir, `${engine}-${base}`);

  test(`${name}: a full flow to JSON Lines reads every row exactly once, page after page`, async (t) => {
    const out = file('orders.jsonl');
    const result = await run(engine, ['--entity', 'orders', '--page-size', '37', '--out', out]);
    t.is(result.code, 0, result.stderr);
    t.regex(result.stdout, new RegExp(`${engine} 127\\.0\\.0\\.1:\\d+/runner_\\w+ \\(tlsMode REQUIRED\\)`));
    const ids = idsOf(readFileSync(out, 'utf8'));
    t.is(ids.length, DEMO_ORDER_COUNT);
    t.deepEqual([...ids].sort(), await orderIds(engine));
    // Ids above 2^53 keep every digit.
    t.true(ids.includes(String(FIRST_ORDER_ID)));
    t.regex(result.stdout, /QueryData\s+10\s/);
    t.regex(result.stdout, /rows read\s+360 from orders in 10 pages/);
    t.regex(result.stdout, /contract\s+every response honoured the protocol/);
    t.regex(result.stdout, /result\s+ok/);
    t.false(result.stdout.includes(stages[engine].database.password));
    t.false(result.stderr.includes(stages[engine].database.password));
  });

  test(`${name}: a filtered incremental flow reads only the rows in the window, with only the chosen fields`, async (t) => {
    const out = file('window.jsonl');
    const result = await run(engine, [
      '--entity',
      'orders',
      '--fields',
      'id,status,updated_at',
      '--filter',
      "status = 'paid' OR status = 'shipped'",
      '--incremental-field',
      'updated_at',
      '--since',
      '2024-03-01T00:00:00Z',
      '--until',
      '2024-04-15',
      '--page-size',
      '20',
      '--out',
      out,
    ]);
    t.is(result.code, 0, result.stderr);
    t.regex(
      result.stderr,
      /filterExpression: \(status = 'paid' OR status = 'shipped'\) AND updated_at BETWEEN 2024-03-01T00:00:00Z AND 2024-04-15T00:00:00Z/,
    );
    const text = readFileSync(out, 'utf8');
    const expected = await orderIds(
      engine,
      `status IN ('paid', 'shipped') AND updated_at BETWEEN ${sql.utc('2024-03-01 00:00:00')} AND ${sql.utc('2024-04-15 00:00:00')}`,
    );
    t.true(expected.length > 20 && expected.length < DEMO_ORDER_COUNT / 2);
    t.deepEqual([...idsOf(text)].sort(), expected);
    for (const line of text.trim().split('\n')) {
      const record = JSON.parse(line);
      t.deepEqual(Object.keys(record), ['id', 'status', 'updated_at']);
      t.regex(record.updated_at, /^2024-0[34]-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    }
  });

  test(`${name}: an open incremental window reads the rows changed after --since`, async (t) => {
    const out = file('since.jsonl');
    const result = await run(engine, [
      '--entity',
      'orders',
      '--incremental-field',
      'updated_at',
      '--since',
      '2024-06-01',
      '--out',
      out,
    ]);
    t.is(result.code, 0, result.stderr);
    t.regex(result.stderr, /filterExpression: updated_at > 2024-06-01T00:00:00Z/);
    t.deepEqual(
      [...idsOf(readFileSync(out, 'utf8'))].sort(),
      await orderIds(engine, `updated_at > ${sql.utc('2024-06-01 00:00:00')}`),
    );
  });

  test(`${name}: CSV output quotes what needs quoting, keeps every digit, and tells null from an empty string`, async (t) => {
    const out = file('cases.csv');
    const result = await run(engine, ['--entity', 'csv_cases', '--out', out]);
    t.is(result.code, 0, result.stderr);
    t.is(
      readFileSync(out, 'utf8'),
      [
        'id,label,amount',
        '1,,',
        '2,"",0.00',
        '3," padded ",-1.50',
        '4,"a,b",12345678901234567890123.45',
        '5,"say ""hi""",1.00',
        '6,"line1\nline2",2.00',
        '7,plain,3.00',
        '8,Zoë 李,4.00',
        '',
      ].join('\r\n'),
    );
    t.regex(result.stdout, /output\s+.*cases\.csv \(CSV, 8 rows\)/);
  });

  test(`${name}: rows to stdout stay clean: the summary and the connector logs go to stderr`, async (t) => {
    const result = await run(engine, ['--entity', 'orders', '--fields', 'id,status', '--out', '-', '--debug']);
    t.is(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    t.is(lines.length, DEMO_ORDER_COUNT);
    for (const line of lines) t.deepEqual(Object.keys(JSON.parse(line)), ['id', 'status']);
    t.regex(result.stderr, /Summary/);
    t.regex(result.stderr, /"level":"DEBUG"/);
  });

  test(`${name}: write-back with UPSERT inserts new rows and updates existing ones in the destination table`, async (t) => {
    const { rows } = stages[engine];
    await rows('DELETE FROM orders_copy');
    await rows(
      `INSERT INTO orders_copy SELECT id, customer_id, 'pending', 0.01, currency, '[]', 'stale', ordered_at, ordered_at
         FROM orders ORDER BY id LIMIT 5`,
    );
    const result = await run(engine, [
      '--entity',
      'orders',
      '--write-to',
      'orders_copy',
      '--write-operation',
      'UPSERT',
      '--batch-size',
      '100',
      '--page-size',
      '150',
    ]);
    t.is(result.code, 0, result.stderr);
    t.regex(result.stdout, /rows written\s+360 into orders_copy with UPSERT in 4 batches, 0 failed/);
    t.regex(result.stdout, /WriteData\s+4\s/);
    const [counts] = await rows<{ copies: number | string; same: number | string }>(
      `SELECT (SELECT COUNT(*) FROM orders_copy) AS copies,
              (SELECT COUNT(*) FROM orders o JOIN orders_copy c ON c.id = o.id
                WHERE c.customer_id = o.customer_id AND c.status = o.status AND c.total = o.total
                  AND c.currency = o.currency AND ${sql.sameJson('c.items', 'o.items')}
                  AND ${sql.sameOrBothNull('c.note', 'o.note')}
                  AND c.ordered_at = o.ordered_at AND c.updated_at = o.updated_at) AS same`,
    );
    t.is(Number(counts!.copies), DEMO_ORDER_COUNT);
    t.is(Number(counts!.same), DEMO_ORDER_COUNT);
  });

  test(`${name}: records that fail to write are counted and shown, and the run exits 1`, async (t) => {
    const result = await run(engine, [
      '--entity',
      'orders',
      '--limit',
      '20',
      '--write-to',
      'orders_dupes',
      '--batch-size',
      '8',
    ]);
    t.is(result.code, 1, result.stderr);
    t.regex(result.stdout, /rows written\s+17 into orders_dupes with INSERT in 3 batches, 3 failed/);
    t.regex(
      result.stdout,
      new RegExp(`failed ${FIRST_ORDER_ID}: duplicate value for unique key "${sql.primaryKey('orders_dupes')}"`),
    );
    t.regex(result.stderr, /✗ WriteData\s+17 rows into orders_dupes with INSERT in 3 batches, 3 failed/);
    t.regex(result.stderr, /error: 3 records failed to write: /);
  });

  test(`${name}: without --entity the runner lists the entities and stops; an unknown entity is a clear error`, async (t) => {
    const [listed, unknown] = await Promise.all([run(engine, []), run(engine, ['--entity', 'invoices'])]);
    t.is(listed.code, 0, listed.stderr);
    t.regex(
      listed.stderr,
      /✓ ListEntities\s+5 entities\n {4}csv_cases\n {4}customers\n {4}orders\n {4}orders_copy\n {4}orders_dupes\n/,
    );
    t.regex(listed.stdout, /entities\s+5 listed \(no --entity given, nothing read\)/);
    t.is(unknown.code, 1);
    t.regex(
      unknown.stderr,
      /error: --entity invoices: ListEntities does not list it \(entities: csv_cases, customers, orders, orders_copy, orders_dupes\); names are exact, case included\n$/,
    );
  });
}

test('MariaDB: --limit is sent as LIMIT, and a limit under 10 is applied by the runner, which says so', async (t) => {
  const [limited, small] = await Promise.all([
    run('MYSQL', ['--entity', 'orders', '--limit', '25', '--page-size', '10', '--out', join(dir, 'limit25.jsonl')]),
    run('MYSQL', ['--entity', 'orders', '--limit', '5', '--out', join(dir, 'limit5.jsonl')]),
  ]);
  t.is(limited.code, 0, limited.stderr);
  t.regex(limited.stderr, /filterExpression: LIMIT 25/);
  t.is(idsOf(readFileSync(join(dir, 'limit25.jsonl'), 'utf8')).length, 25);
  t.regex(limited.stdout, /25 from orders in 3 pages/);
  t.is(small.code, 0, small.stderr);
  t.regex(
    small.stderr,
    /--limit 5: the filter language's LIMIT needs at least 10, so the runner stops after 5 rows itself/,
  );
  t.is(idsOf(readFileSync(join(dir, 'limit5.jsonl'), 'utf8')).length, 5);
});

test('MariaDB: a bundle whose QueryData breaks the contract: each violation is named, exit status 3', async (t) => {
  const bundle = writeMalformedBundle(dir);
  const result = await run('MYSQL', ['--entity', 'orders', '--bundle', bundle, '--out', join(dir, 'malformed.jsonl')]);
  t.is(result.code, 3, result.stderr);
  t.regex(result.stderr, /Contract violations \(\d+\):/);
  t.regex(result.stderr, /✗ QueryData isSuccess: expected boolean, got nothing/);
  t.regex(result.stderr, /✗ QueryData records\[0\]: expected string, got an object/);
  t.regex(result.stderr, /… and \d+ more of: QueryData records\[\]: expected string/);
  t.regex(result.stderr, /error: QueryData answered with a response that breaks the protocol contract/);
  t.regex(result.stdout, /result\s+failed \(exit status 3\)/);
});

test('MariaDB: every column type of the connector test fixtures reads without a contract violation', async (t) => {
  const fixtures = await stages.MYSQL.server.createDatabase({ prefix: 'fixtures' });
  await seedFixtures(fixtures);
  const entities = ['all_types', 'order_lines', 'event_log', 'active_items', 'line_totals'];
  const results = await Promise.all(
    entities.map((entity) =>
      runRunner(
        [...targetArgs('MYSQL', fixtures), '--entity', entity, '--out', join(dir, `${entity}.csv`)],
        targetEnv(fixtures),
      ),
    ),
  );
  results.forEach((result, index) => {
    t.is(result.code, 0, `${entities[index]}: ${result.stderr}`);
    t.regex(result.stdout, /contract\s+every response honoured the protocol/);
  });
});

test('PostgreSQL: without --entity the runner lists the entities of --schema; names are exact', async (t) => {
  const [sales, unknown] = await Promise.all([
    run('POSTGRESQL', ['--schema', 'Sales']),
    run('POSTGRESQL', ['--schema', 'sales', '--entity', 'invoices']),
  ]);
  t.is(sales.code, 0, sales.stderr);
  t.regex(sales.stderr, /✓ ListEntities\s+1 entity\n {4}invoices\n/);
  t.regex(sales.stdout, /schema Sales/);
  // Names are exact: "sales" is another (missing) schema.
  t.is(unknown.code, 1);
});

test("PostgreSQL: --schema reads that schema's tables", async (t) => {
  const out = join(dir, 'invoices.jsonl');
  const result = await run('POSTGRESQL', [
    '--schema',
    'Sales',
    '--entity',
    'invoices',
    '--page-size',
    '10',
    '--out',
    out,
  ]);
  t.is(result.code, 0, result.stderr);
  const records = readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  t.is(records.length, 30);
  t.deepEqual(records[0], { id: 1, amount: 1.25 });
  t.regex(result.stdout, /rows read\s+30 from invoices in 3 pages/);
});
