/**
 * What a PostgreSQL read returns when rows tie, through the built bundle: offset paging of keyless tables whose rows
 * tie on every leading column, or differ only in values the type's order calls equal but records show differently
 * (citext case twins, numeric 1.0/1.00, jsonb numbers, interval, float -0/0, char padding); and table inheritance,
 * where an entity names the parent's own rows (ONLY), read whole by its key, and a partitioned table, read whole by
 * its key across partitions.
 */
import test, { type ExecutionContext } from 'ava';
import { type PostgreSqlStage, startPostgreSqlStage } from '../support/postgresqlStage';

let stage: PostgreSqlStage;
const ROWS = 1_500;
const PAGE = 97;

test.before(async () => {
  stage = await startPostgreSqlStage({ schema: 'ties', secretName: 'postgresql-ties' });
  // Each row i is unique by what its record shows, yet ties with the others of its group on every column's order.
  await stage.sql(`
    CREATE EXTENSION IF NOT EXISTS citext;
    CREATE TABLE leading_ties (a int NOT NULL, b text NOT NULL, n int NOT NULL);
    INSERT INTO leading_ties SELECT i % 3, 'b' || i % 2, (i * 7919) % ${ROWS} FROM generate_series(0, ${ROWS - 1}) i;

    CREATE TABLE twin_citext (grp int NOT NULL, v citext NOT NULL);
    INSERT INTO twin_citext
      SELECT i % 2, string_agg(CASE WHEN (i >> p) & 1 = 1 THEN upper(c) ELSE c END, '' ORDER BY p)
      FROM generate_series(0, ${ROWS - 1}) i,
           LATERAL (SELECT p, substr('abcdefghijkl', p + 1, 1) AS c FROM generate_series(0, 11) p) letters
      GROUP BY i;
    CREATE TABLE twin_numeric (grp int NOT NULL, v numeric NOT NULL);
    INSERT INTO twin_numeric SELECT i % 2, ('1' || CASE WHEN i > 0 THEN '.' || repeat('0', i) ELSE '' END)::numeric FROM generate_series(0, ${ROWS - 1}) i;
    CREATE TABLE twin_jsonb (grp int NOT NULL, v jsonb NOT NULL);
    INSERT INTO twin_jsonb SELECT i % 2, ('1' || CASE WHEN i > 0 THEN '.' || repeat('0', i) ELSE '' END)::jsonb FROM generate_series(0, ${ROWS - 1}) i;
    CREATE TABLE twin_interval (grp int NOT NULL, v interval NOT NULL);
    INSERT INTO twin_interval
      SELECT i % 2, make_interval(days => i, hours => 24 * (${ROWS} - i)) FROM generate_series(0, ${ROWS - 1}) i;
    -- Two shown values only (-0 and 0), and char(n) of an unlimited bpchar: counted as a multiset.
    CREATE TABLE twin_float (grp int NOT NULL, v float8 NOT NULL, w bpchar NOT NULL);
    INSERT INTO twin_float
      SELECT i % 2, CASE WHEN i % 3 = 0 THEN '-0'::float8 ELSE 0 END, 'x' || repeat(' ', i % 5)
      FROM generate_series(0, ${ROWS - 1}) i;

    -- Inheritance: the children hold rows whose ids are also the parent's (the parent's key does not cover them).
    CREATE TABLE animals (id int PRIMARY KEY, name text NOT NULL);
    CREATE TABLE dogs (bark text) INHERITS (animals);
    CREATE TABLE puppies () INHERITS (dogs);
    INSERT INTO animals SELECT i, 'animal ' || i FROM generate_series(1, 600) i;
    INSERT INTO dogs SELECT i * 2, 'dog ' || i, 'woof' FROM generate_series(1, 300) i;
    INSERT INTO puppies SELECT i * 3, 'puppy ' || i, 'yip' FROM generate_series(1, 100) i;

    -- A partitioned table: its key covers every partition.
    CREATE TABLE events (id int NOT NULL, region varchar(10) NOT NULL, PRIMARY KEY (region, id)) PARTITION BY LIST (region);
    CREATE TABLE events_eu PARTITION OF events FOR VALUES IN ('eu');
    CREATE TABLE events_us PARTITION OF events FOR VALUES IN ('us');
    INSERT INTO events SELECT i, CASE WHEN i % 3 = 0 THEN 'eu' ELSE 'us' END FROM generate_series(1, 1000) i;
  `);
});

test.after.always(async () => {
  await stage?.teardown();
});

async function readAll(t: ExecutionContext, entity: string, maxResults = PAGE): Promise<string[]> {
  const records: string[] = [];
  let nextToken: string | null = null;
  for (let pages = 0; pages < 10 * ROWS; pages++) {
    const page = await stage.query(entity, { maxResults, nextToken });
    if (!page.isSuccess) {
      t.fail(`${entity}: ${JSON.stringify(page.errorDetails)}`);
      break;
    }
    records.push(...page.records!);
    nextToken = page.nextToken;
    if (nextToken === null) break;
  }
  return records;
}

/** Multisets as sorted lists, for a readable difference. */
function counted(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/** What a record shows of field `v`, as raw JSON text (a number's digits as written). */
function shownV(record: string): string {
  const match = /"v":(.*?)(?:,"w":.*)?}$/.exec(record);
  return match ? match[1]! : record;
}

test('a keyless table whose rows tie on every leading column pages by offset: every row exactly once', async (t) => {
  const records = await readAll(t, 'leading_ties');
  const expected = Array.from({ length: ROWS }, (_, index) =>
    JSON.stringify({ a: index % 3, b: `b${index % 2}`, n: (index * 7919) % ROWS }),
  );
  t.deepEqual(counted(records), counted(expected));
});

for (const [table, render] of [
  ['twin_citext', (text: string) => JSON.stringify(text)],
  ['twin_numeric', (text: string) => text],
  ['twin_jsonb', (text: string) => text],
  ['twin_interval', (text: string) => JSON.stringify(text)],
] as const) {
  test(`rows the order calls equal but records show differently (${table}): every row exactly once`, async (t) => {
    const expected = (await stage.sql(`SELECT v::text FROM ${table}`)).map(([text]) => render(text!));
    t.is(new Set(expected).size, ROWS, 'every row shows differently');
    const records = await readAll(t, table);
    t.is(records.length, ROWS);
    t.deepEqual(counted(records.map(shownV)), counted(expected));
  });
}

test('float -0/0 and char padding twins: the records read are the table’s, as a multiset', async (t) => {
  const single = await stage.query('twin_float', { maxResults: 1, filterExpression: 'grp = 0' });
  t.true(single.isSuccess);
  const records = await readAll(t, 'twin_float', 7);
  const expected = (await stage.sql(`SELECT v::text, format('%s', w) FROM twin_float`)).map(([v, w]) => `${v}|${w}`);
  const shown = records.map((record) => {
    const parsed = /"v":(.*?),"w":(".*")}$/.exec(record)!;
    return `${parsed[1] === '-0' ? '-0' : '0'}|${JSON.parse(parsed[2]!) as string}`;
  });
  t.deepEqual(counted(shown), counted(expected));
});

/** The paging mode a token carries ('k' keyset, 'o' offset). */
function tokenMode(token: string): string {
  return (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as { m: string }).m;
}

for (const [entity, expectedSql] of [
  ['animals', 'SELECT id, name FROM ONLY animals ORDER BY id'],
  ['dogs', 'SELECT id, name, bark FROM ONLY dogs ORDER BY id'],
] as const) {
  test(`an inheritance parent (${entity}) reads its own rows, not its children's: each exactly once`, async (t) => {
    const expected = (await stage.sql(expectedSql)).map((row) =>
      JSON.stringify(
        row.length === 2 ? { id: Number(row[0]), name: row[1] } : { id: Number(row[0]), name: row[1], bark: row[2] },
      ),
    );
    const records = await readAll(t, entity, 41);
    t.deepEqual(counted(records), counted(expected));
    if (entity === 'animals') t.deepEqual(records, expected, 'in key order');
  });
}

test('RetrieveData on an inheritance parent finds the parent’s row only', async (t) => {
  const answer = await stage.query('animals', {
    type: 'RetrieveDataRequest',
    idFieldName: 'id',
    ids: ['6'],
  });
  t.true(answer.isSuccess, JSON.stringify(answer.errorDetails));
  t.deepEqual(answer.records, [JSON.stringify({ id: 6, name: 'animal 6' })]);
});

test('a partitioned table pages by its key across partitions: every row exactly once, in key order', async (t) => {
  const first = await stage.query('events', { maxResults: 37 });
  t.true(first.isSuccess);
  t.is(tokenMode(first.nextToken!), 'k');
  const records = await readAll(t, 'events', 37);
  const expected = (await stage.sql('SELECT id, region FROM events ORDER BY region, id')).map(([id, region]) =>
    JSON.stringify({ id: Number(id), region }),
  );
  t.is(expected.length, 1000);
  t.deepEqual(records, expected);
});
