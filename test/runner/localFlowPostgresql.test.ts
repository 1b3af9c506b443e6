/**
 * The runner with --engine postgresql against the local bundle and a throwaway PostgreSQL seeded with the demo
 * schema: whole flows, filtered incremental flows, CSV, write-back, failed records, entity listing, and --schema.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { DEMO_ORDER_COUNT, FIRST_ORDER_ID } from '../../runner/demo/schema';
import { idsOf, runRunner, temporaryDirectory } from './support/cli';
import { type RunnerStage, startRunnerStage } from './support/stage';

let stage: RunnerStage<'POSTGRESQL'>;
const dir = temporaryDirectory('runner-postgresql');

test.before(async () => {
  stage = await startRunnerStage('POSTGRESQL');
  await stage.rows(
    `CREATE TABLE csv_cases (id integer PRIMARY KEY, label varchar(50) NULL, amount numeric(25,2) NULL)`,
  );
  await stage.rows(
    `INSERT INTO csv_cases VALUES (1, NULL, NULL), (2, '', 0), (3, ' padded ', -1.50), (4, 'a,b', 12345678901234567890123.45),
       (5, 'say "hi"', 1), (6, E'line1\\nline2', 2), (7, 'plain', 3), (8, 'Zoë 李', 4)`,
  );
  await stage.rows('CREATE TABLE orders_dupes (LIKE orders INCLUDING ALL)');
  await stage.rows('INSERT INTO orders_dupes SELECT * FROM orders ORDER BY id LIMIT 3');
  // A second schema, with a name that only matches exactly (PostgreSQL folds unquoted names to lower case).
  await stage.rows('CREATE SCHEMA "Sales"');
  await stage.rows('CREATE TABLE "Sales".invoices (id bigint PRIMARY KEY, amount numeric(10,2) NOT NULL)');
  await stage.rows('INSERT INTO "Sales".invoices SELECT n, n * 1.25 FROM generate_series(1, 30) AS n');
});
test.after.always(async () => {
  await stage?.teardown();
});

const run = (args: readonly string[]) => runRunner([...stage.localArgs, ...args], stage.env);

async function orderIds(where = 'true', params: unknown[] = []): Promise<string[]> {
  const rows = await stage.rows<{ id: string }>(
    `SELECT id::text AS id FROM orders WHERE ${where} ORDER BY id::text`,
    params,
  );
  return rows.map((row) => row.id);
}

test('a full flow to JSON Lines reads every row exactly once, page after page', async (t) => {
  const out = join(dir, 'orders.jsonl');
  const result = await run(['--entity', 'orders', '--page-size', '37', '--out', out]);
  t.is(result.code, 0, result.stderr);
  t.regex(result.stdout, /POSTGRESQL 127\.0\.0\.1:\d+\/runner_\w+ \(tlsMode REQUIRED\)/);
  const ids = idsOf(readFileSync(out, 'utf8'));
  t.is(ids.length, DEMO_ORDER_COUNT);
  t.deepEqual([...ids].sort(), await orderIds());
  // bigint ids above 2^53 keep every digit.
  t.true(ids.includes(String(FIRST_ORDER_ID)));
  t.regex(result.stdout, /QueryData\s+10\s/);
  t.regex(result.stdout, /rows read\s+360 from orders in 10 pages/);
  t.regex(result.stdout, /contract\s+every response honoured the protocol/);
  t.regex(result.stdout, /result\s+ok/);
  t.false(result.stdout.includes(stage.database.password));
  t.false(result.stderr.includes(stage.database.password));
});

test('a filtered incremental flow on a timestamptz field reads only the rows in the window', async (t) => {
  const out = join(dir, 'window.jsonl');
  const result = await run([
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
  const text = readFileSync(out, 'utf8');
  const expected = await orderIds(
    "status IN ('paid', 'shipped') AND updated_at BETWEEN '2024-03-01 00:00:00+00' AND '2024-04-15 00:00:00+00'",
  );
  t.true(expected.length > 20 && expected.length < DEMO_ORDER_COUNT / 2);
  t.deepEqual([...idsOf(text)].sort(), expected);
  for (const line of text.trim().split('\n')) {
    const record = JSON.parse(line);
    t.deepEqual(Object.keys(record), ['id', 'status', 'updated_at']);
    t.regex(record.updated_at, /^2024-0[34]-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  }
});

test('CSV output keeps every digit of numeric and tells null from an empty string', async (t) => {
  const out = join(dir, 'cases.csv');
  const result = await run(['--entity', 'csv_cases', '--out', out]);
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
});

test('write-back with UPSERT inserts new rows and updates existing ones in the destination table', async (t) => {
  await stage.rows('DELETE FROM orders_copy');
  await stage.rows(
    `INSERT INTO orders_copy SELECT id, customer_id, 'pending', 0.01, currency, '[]', 'stale', ordered_at, ordered_at
       FROM orders ORDER BY id LIMIT 5`,
  );
  const result = await run([
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
  const [counts] = await stage.rows<{ copies: string; same: string }>(
    `SELECT (SELECT count(*) FROM orders_copy)::text AS copies,
            (SELECT count(*) FROM orders o JOIN orders_copy c ON c.id = o.id
              WHERE c.customer_id = o.customer_id AND c.status = o.status AND c.total = o.total
                AND c.currency = o.currency AND c.items = o.items AND c.note IS NOT DISTINCT FROM o.note
                AND c.ordered_at = o.ordered_at AND c.updated_at = o.updated_at)::text AS same`,
  );
  t.is(Number(counts!.copies), DEMO_ORDER_COUNT);
  t.is(Number(counts!.same), DEMO_ORDER_COUNT);
});

test('records that fail to write are counted, and the run exits 1', async (t) => {
  const result = await run(['--entity', 'orders', '--limit', '20', '--write-to', 'orders_dupes', '--batch-size', '8']);
  t.is(result.code, 1, result.stderr);
  t.regex(result.stdout, /rows written\s+17 into orders_dupes with INSERT in 3 batches, 3 failed/);
  t.regex(result.stdout, new RegExp(`failed ${FIRST_ORDER_ID}: `));
  t.regex(result.stderr, /error: 3 records failed to write: /);
});

test('without --entity the runner lists the entities of the schema (public by default, or --schema)', async (t) => {
  const [listed, sales, unknown] = await Promise.all([
    run([]),
    run(['--schema', 'Sales']),
    run(['--schema', 'sales', '--entity', 'invoices']),
  ]);
  t.is(listed.code, 0, listed.stderr);
  t.regex(
    listed.stderr,
    /✓ ListEntities\s+5 entities\n {4}csv_cases\n {4}customers\n {4}orders\n {4}orders_copy\n {4}orders_dupes\n/,
  );
  t.is(sales.code, 0, sales.stderr);
  t.regex(sales.stderr, /✓ ListEntities\s+1 entity\n {4}invoices\n/);
  t.regex(sales.stdout, /schema Sales/);
  // Names are exact: "sales" is another (missing) schema.
  t.is(unknown.code, 1);
});

test("--schema reads that schema's tables", async (t) => {
  const out = join(dir, 'invoices.jsonl');
  const result = await run(['--schema', 'Sales', '--entity', 'invoices', '--page-size', '10', '--out', out]);
  t.is(result.code, 0, result.stderr);
  const records = readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  t.is(records.length, 30);
  t.deepEqual(records[0], { id: 1, amount: 1.25 });
  t.regex(result.stdout, /rows read\s+30 from invoices in 3 pages/);
});
