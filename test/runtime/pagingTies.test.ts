/**
 * What a read returns when rows tie on what it orders by, on every engine, through the built bundle: offset paging
 * of keyless tables whose rows tie on every leading column; and of rows that differ only in values the column's
 * order calls equal but records show differently. MariaDB: case- and accent-insensitive collations, PAD SPACE
 * trailing spaces, text beyond `max_sort_length`. PostgreSQL: citext case twins, numeric 1.0/1.00, jsonb numbers,
 * interval, float -0/0, char padding; and table inheritance, where an entity names the parent's own rows (ONLY),
 * read whole by its key, and a partitioned table, read whole by its key across partitions. Every row is unique by
 * what its record shows, so "every row exactly once" is checked as: every expected record text once, none other.
 */
import test, { type ExecutionContext } from 'ava';
import {
  type EngineName,
  type EngineStage,
  RUNTIME_ENGINES,
  readPages,
  stagesFor,
  tokenMode,
} from '../support/engineStage';

/** Rows of each tie table, per engine. */
const ROWS: Record<EngineName, number> = { MariaDB: 2_000, PostgreSQL: 1_500 };
const PAGE = 97;

/** `word` with the letters whose bit is set in `pattern` upper-cased (a case twin of every other pattern). */
function caseTwin(word: string, pattern: number): string {
  return [...word].map((letter, index) => ((pattern >> index) & 1 ? letter.toUpperCase() : letter)).join('');
}

/** Case and accent twins under utf8mb4_general_ci ('e' = 'E' = 'é' = 'É'): distinct for every index below 4,096. */
function accentCaseTwin(index: number): string {
  const twin = caseTwin('abcdefghijkl', index);
  return index % 3 === 0 ? twin.replace('e', 'é').replace('E', 'É') : twin;
}

const twins: Record<string, { ddl: string; value: (index: number) => string }> = {
  // Case- and accent-insensitive: every value equal to every other.
  twin_ci: {
    ddl: 'v VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL',
    value: (index) => accentCaseTwin(index),
  },
  // PAD SPACE (a _bin collation too): 'x', 'x ', 'x  ' … are equal.
  twin_pad: {
    ddl: 'v VARCHAR(2100) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL',
    value: (index) => `x${' '.repeat(index)}`,
  },
  // Equal in the first 1,100 bytes: MySQL sorts TEXT by its first max_sort_length (1,024) bytes only.
  twin_long: {
    ddl: 'v TEXT CHARACTER SET latin1 COLLATE latin1_bin NOT NULL',
    value: (index) => `${'p'.repeat(1100)}${index}`,
  },
};

async function prepareMariaDb(stage: EngineStage): Promise<void> {
  const rows = ROWS.MariaDB;
  // No key; rows tie on the two leading columns, `n` tells them apart.
  await stage.exec('CREATE TABLE leading_ties (a INT NOT NULL, b VARCHAR(5) NOT NULL, n INT NOT NULL)');
  await stage.exec('INSERT INTO leading_ties VALUES ?', [
    Array.from({ length: rows }, (_, index) => [index % 3, `b${index % 2}`, (index * 7919) % rows]),
  ]);
  for (const [table, { ddl, value }] of Object.entries(twins)) {
    await stage.exec(`CREATE TABLE ${table} (grp INT NOT NULL, ${ddl})`);
    await stage.exec(`INSERT INTO ${table} VALUES ?`, [
      Array.from({ length: rows }, (_, index) => [index % 2, value((index * 7919) % rows)]),
    ]);
  }
}

async function preparePostgreSql(stage: EngineStage): Promise<void> {
  const ROWS = 1_500;
  // Each row i is unique by what its record shows, yet ties with the others of its group on every column's order.
  await stage.exec(`
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
}

const stages = stagesFor(test, 'ties', (stage) =>
  stage.engine === 'MariaDB' ? prepareMariaDb(stage) : preparePostgreSql(stage),
);

async function readAll(t: ExecutionContext, engine: EngineName, entity: string, maxResults = PAGE) {
  return readPages(t, stages[engine].query, entity, { maxResults, maxPages: 10 * ROWS[engine] });
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

/** Record texts seen more than once, and expected ones never seen. */
function compare(records: readonly string[], expected: readonly string[]) {
  const counts = new Map<string, number>();
  for (const record of records) counts.set(record, (counts.get(record) ?? 0) + 1);
  const repeated = [...counts].filter(([, count]) => count > 1).length;
  const missing = expected.filter((record) => !counts.has(record)).length;
  return { read: records.length, repeated, missing };
}

for (const engine of RUNTIME_ENGINES) {
  test(`${engine}: a keyless table whose rows tie on every leading column pages by offset: every row exactly once`, async (t) => {
    const rows = ROWS[engine];
    const records = await readAll(t, engine, 'leading_ties');
    const expected = Array.from({ length: rows }, (_, index) =>
      JSON.stringify({ a: index % 3, b: `b${index % 2}`, n: (index * 7919) % rows }),
    );
    t.deepEqual(compare(records, expected), { read: rows, repeated: 0, missing: 0 });
    t.deepEqual(counted(records), counted(expected));
  });
}

for (const [table, { value }] of Object.entries(twins)) {
  test(`MariaDB: rows that MySQL orders as equal but records show differently (${table}): every row exactly once`, async (t) => {
    const rows = ROWS.MariaDB;
    const records = await readAll(t, 'MariaDB', table);
    const expected = Array.from({ length: rows }, (_, index) =>
      JSON.stringify({ grp: index % 2, v: value((index * 7919) % rows) }),
    );
    t.is(new Set(expected).size, rows);
    t.deepEqual(compare(records, expected), { read: rows, repeated: 0, missing: 0 });
  });
}

for (const [table, render] of [
  ['twin_citext', (text: string) => JSON.stringify(text)],
  ['twin_numeric', (text: string) => text],
  ['twin_jsonb', (text: string) => text],
  ['twin_interval', (text: string) => JSON.stringify(text)],
] as const) {
  test(`PostgreSQL: rows the order calls equal but records show differently (${table}): every row exactly once`, async (t) => {
    const expected = (await stages.PostgreSQL.rows(`SELECT v::text FROM ${table}`)).map(([text]) =>
      render(String(text)),
    );
    t.is(new Set(expected).size, ROWS.PostgreSQL, 'every row shows differently');
    const records = await readAll(t, 'PostgreSQL', table);
    t.is(records.length, ROWS.PostgreSQL);
    t.deepEqual(counted(records.map(shownV)), counted(expected));
  });
}

test('PostgreSQL: float -0/0 and char padding twins: the records read are the table’s, as a multiset', async (t) => {
  const single = await stages.PostgreSQL.query('twin_float', { maxResults: 1, filterExpression: 'grp = 0' });
  t.true(single.isSuccess);
  const records = await readAll(t, 'PostgreSQL', 'twin_float', 7);
  const expected = (await stages.PostgreSQL.rows(`SELECT v::text, format('%s', w) FROM twin_float`)).map(
    ([v, w]) => `${v}|${w}`,
  );
  const shown = records.map((record) => {
    const parsed = /"v":(.*?),"w":(".*")}$/.exec(record)!;
    return `${parsed[1] === '-0' ? '-0' : '0'}|${JSON.parse(parsed[2]!) as string}`;
  });
  t.deepEqual(counted(shown), counted(expected));
});

for (const [entity, expectedSql] of [
  ['animals', 'SELECT id, name FROM ONLY animals ORDER BY id'],
  ['dogs', 'SELECT id, name, bark FROM ONLY dogs ORDER BY id'],
] as const) {
  test(`PostgreSQL: an inheritance parent (${entity}) reads its own rows, not its children's: each exactly once`, async (t) => {
    const expected = (await stages.PostgreSQL.rows(expectedSql)).map((row) =>
      JSON.stringify(
        row.length === 2 ? { id: Number(row[0]), name: row[1] } : { id: Number(row[0]), name: row[1], bark: row[2] },
      ),
    );
    const records = await readAll(t, 'PostgreSQL', entity, 41);
    t.deepEqual(counted(records), counted(expected));
    if (entity === 'animals') t.deepEqual(records, expected, 'in key order');
  });
}

test('PostgreSQL: RetrieveData on an inheritance parent finds the parent’s row only', async (t) => {
  const answer = await stages.PostgreSQL.query('animals', {
    type: 'RetrieveDataRequest',
    idFieldName: 'id',
    ids: ['6'],
  });
  t.true(answer.isSuccess, JSON.stringify(answer.errorDetails));
  t.deepEqual(answer.records, [JSON.stringify({ id: 6, name: 'animal 6' })]);
});

test('PostgreSQL: a partitioned table pages by its key across partitions: every row exactly once, in key order', async (t) => {
  const first = await stages.PostgreSQL.query('events', { maxResults: 37 });
  t.true(first.isSuccess);
  t.is(tokenMode(first.nextToken!), 'k');
  const records = await readAll(t, 'PostgreSQL', 'events', 37);
  const expected = (await stages.PostgreSQL.rows('SELECT id, region FROM events ORDER BY region, id')).map(
    ([id, region]) => JSON.stringify({ id: Number(id), region }),
  );
  t.is(expected.length, 1000);
  t.deepEqual(records, expected);
});
