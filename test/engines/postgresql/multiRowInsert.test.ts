/**
 * A multi-row INSERT or UPSERT on PostgreSQL sends one array per column (writes.ts, insertRows: `ROWS FROM
 * (unnest($1::t[]), …)`), a record alone sends VALUES. Both must store the same thing and refuse the same records
 * with the same message, on every kind of column: domains with checks, enums, bit strings, bounded text, exact
 * numbers, binary, JSON and range values, types in a schema with an awkward name; array, composite and box
 * columns keep VALUES. Each table is written twice, once as one batch and once record by record, and the two are compared as
 * the server prints them.
 */
import test from 'ava';
import type { ColumnMeta, InsertRequest, TableMeta } from '../../../handler/engines/engine';
import type { PgColumnMeta } from '../../../handler/engines/postgresql/columns';
import { insertStatement } from '../../../handler/engines/postgresql/writes';
import { messages, outcomes, postgreSqlStageFor, type WriteAnswer } from '../../support/writes';

const stage = postgreSqlStageFor(test, { schema: 'bulk', secretName: 'postgresql-multi-row' });

const TYPES = `
  CREATE SCHEMA "odd ""types""";
  CREATE TYPE "odd ""types"""."mood ""x""" AS ENUM ('calm', 'very "loud"', 'NULL');
  CREATE DOMAIN positive_small AS numeric(6,2) CHECK (VALUE > 0);
  CREATE DOMAIN short_code AS varchar(4) NOT NULL;
  CREATE TYPE money_pair AS (amount numeric(8,2), currency char(3));
`;

function tableSql(name: string): string {
  return `CREATE TABLE ${name} (
    id int PRIMARY KEY,
    mood "odd ""types"""."mood ""x""",
    price positive_small,
    code short_code,
    flags bit(3),
    bits varbit(5),
    label varchar(3),
    country char(2),
    exact numeric(30,10),
    ratio real,
    raw bytea,
    doc jsonb,
    ident uuid,
    span interval,
    seen timestamptz(3),
    window_ int4range,
    note text
  )`;
}

const GOOD = [
  {
    id: 1,
    mood: 'very "loud"',
    price: 12.5,
    code: 'ab',
    flags: '101',
    bits: '11',
    label: 'x,y',
    country: 'DE',
    exact: 'EXACT',
    ratio: 0.5,
    raw: 'AP8Q',
    doc: { a: [1, '{x}'], b: 'quote " and \\ backslash' },
    ident: '123e4567-e89b-12d3-a456-426614174000',
    span: '1 day 02:03:04',
    seen: '2024-02-29T23:59:59.123Z',
    window_: '[1,5)',
    note: 'NULL',
  },
  {
    id: 2,
    mood: 'NULL',
    price: 0.01,
    code: '{,}"',
    flags: '000',
    bits: '',
    label: '',
    country: 'a',
    exact: -0.0000000001,
    ratio: -3.25,
    raw: '',
    doc: null,
    ident: null,
    span: 'P1Y2M',
    seen: '1999-12-31T23:00:00.000+02:00',
    window_: 'empty',
    note: ' spaces kept \n and a "quote" ',
  },
  { id: 3, code: 'zz', note: null },
];

/**
 * Records of one shape (one statement) that the server refuses on their own values, among good ones: the statement
 * fails as a whole, its records are written again one by one, and each bad one gets its own message.
 */
const MIXED = [
  { ...GOOD[0], id: 10, label: 'four' },
  { ...GOOD[0], id: 11, price: -1 },
  { ...GOOD[0], id: 12 },
  { ...GOOD[0], id: 13, flags: '1' },
  { ...GOOD[0], id: 14, code: 'toolong' },
  { ...GOOD[0], id: 15, mood: 'sad' },
  { ...GOOD[0], id: 16, code: null },
  { ...GOOD[0], id: 17, ratio: 1e300 },
];

/** A record's JSON text; `exact` goes as a JSON number with every digit (a JavaScript number would round it). */
function recordText(record: object): string {
  return JSON.stringify(record).replace('"exact":"EXACT"', '"exact":12345678901234567890.0123456789');
}

/**
 * Keeps the text of every INSERT statement on `table` that the server completed (a statement-level BEFORE trigger:
 * it skips no row; the connector's sessions search pg_catalog only, hence the schema in its body).
 */
async function watchStatements(table: string): Promise<void> {
  await stage.sql(`
    CREATE TABLE IF NOT EXISTS statements_seen (target text, query text);
    CREATE OR REPLACE FUNCTION remember_statement() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN INSERT INTO bulk.statements_seen VALUES (TG_TABLE_NAME, current_query()); RETURN NULL; END $$;
    CREATE TRIGGER remember BEFORE INSERT ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION remember_statement();
  `);
}

async function statementsSeen(table: string): Promise<string[]> {
  return (await stage.sql(`SELECT query FROM statements_seen WHERE target = '${table}'`)).map(([query]) => query!);
}

async function rowsOf(table: string): Promise<string[][]> {
  return stage.sql(`SELECT * FROM ${table} ORDER BY id`);
}

async function writeOneByOne(
  table: string,
  operation: string,
  records: readonly object[],
  extra: Record<string, unknown> = {},
): Promise<WriteAnswer[]> {
  const answers: WriteAnswer[] = [];
  for (const record of records) answers.push(await stage.write(table, operation, [recordText(record)], extra));
  return answers;
}

test.serial('one batch stores every kind of column as one record at a time does', async (t) => {
  await stage.sql(TYPES);
  await stage.sql(`${tableSql('batched')}; ${tableSql('single')}`);
  await watchStatements('batched');
  const records = [...GOOD, ...MIXED];
  const batch = await stage.write<WriteAnswer>('batched', 'INSERT', records.map(recordText));
  const single = await writeOneByOne('single', 'INSERT', records);
  t.deepEqual(outcomes(batch), [true, true, true, false, false, true, false, false, false, false, false]);
  t.deepEqual(
    messages(batch),
    single.map((answer) => messages(answer)[0]),
    'a refused record gets the message it gets on its own',
  );
  const stored = await rowsOf('batched');
  t.deepEqual(stored, await rowsOf('single'));
  t.is(stored.length, 4);
  t.true(
    (await statementsSeen('batched')).some((query) => query.includes('FROM ROWS FROM (pg_catalog.unnest($1::')),
    'the first two records went as one statement of arrays',
  );

  // UPSERT: the same records, changed, over the rows of both tables.
  const changed = GOOD.map((record) => ({ ...record, note: `upserted ${record.id}`, code: 'up' }));
  const upsert = await stage.write<WriteAnswer>('batched', 'UPSERT', changed.map(recordText), {
    idFieldNames: ['id'],
  });
  t.deepEqual(outcomes(upsert), [true, true, true]);
  await writeOneByOne('single', 'UPSERT', changed, { idFieldNames: ['id'] });
  t.deepEqual(await rowsOf('batched'), await rowsOf('single'));
});

test.serial('array, composite and box columns keep the VALUES form and their values', async (t) => {
  // Each kind alone beside the key, so that it is what keeps its table's statement in VALUES form.
  const cases = [
    {
      table: 'tagged',
      type: 'text[]',
      values: [['a', 'b,c', '"q"'], []],
      stored: ['{a,"b,c","\\"q\\""}', '{}'],
    },
    {
      table: 'grids',
      type: 'int[][]',
      values: [
        [
          [1, 2],
          [3, 4],
        ],
        null,
      ],
      stored: ['{{1,2},{3,4}}', ''],
    },
    { table: 'pairs', type: 'money_pair', values: ['(12.50,EUR)', null], stored: ['(12.50,EUR)', ''] },
    // box separates array elements with ';', not the ',' pg writes array literals with.
    { table: 'boxes', type: 'box', values: ['(1,1),(0,0)', '(2,2),(1,1)'], stored: ['(1,1),(0,0)', '(2,2),(1,1)'] },
  ];
  for (const { table, type, values, stored } of cases) {
    await stage.sql(`CREATE TABLE ${table} (id int PRIMARY KEY, v ${type})`);
    await watchStatements(table);
    const records = values.map((v, index) => JSON.stringify({ id: index + 1, v }));
    const answer = await stage.write<WriteAnswer>(table, 'INSERT', records);
    t.deepEqual(outcomes(answer), [true, true], table);
    t.deepEqual(await stage.sql(`SELECT id, v FROM ${table} ORDER BY id`), [
      ['1', stored[0]!],
      ['2', stored[1]!],
    ]);
    t.deepEqual(
      (await statementsSeen(table)).map((query) => query.includes('VALUES ($1, $2), ($3, $4)')),
      [true],
      `${table}: one statement of two VALUES rows`,
    );
  }
});

function column(name: string, arrayOfOwnType: string | null): ColumnMeta {
  return { name, arrayOfOwnType } as unknown as PgColumnMeta;
}

test('the statement: one array parameter per column for several rows, VALUES for one row or an array column', (t) => {
  const table = { name: 't', namespace: 's' } as TableMeta;
  const request = (rows: number, columns: ColumnMeta[]): InsertRequest => ({
    table,
    columns,
    params: Array.from({ length: rows * columns.length }, (_, index) => `v${index}`),
    rows,
    upsertKey: null,
    generated: null,
  });
  const typed = [column('a', '"pg_catalog"."int4"[]'), column('b b', '"x"."my ""t"""[]')];
  const batch = insertStatement(request(3, typed));
  t.is(
    batch.sql,
    'INSERT INTO "s"."t" ("a", "b b") SELECT v.v1, v.v2 FROM ROWS FROM (pg_catalog.unnest($1::"pg_catalog"."int4"[]), ' +
      'pg_catalog.unnest($2::"x"."my ""t"""[])) WITH ORDINALITY AS v(v1, v2, n) ORDER BY v.n',
  );
  t.deepEqual(batch.params as unknown, [
    ['v0', 'v2', 'v4'],
    ['v1', 'v3', 'v5'],
  ]);
  t.is(insertStatement(request(1, typed)).sql, 'INSERT INTO "s"."t" ("a", "b b") VALUES ($1, $2)');
  const withArrayColumn = insertStatement(request(2, [typed[0]!, column('tags', null)]));
  t.is(withArrayColumn.sql, 'INSERT INTO "s"."t" ("a", "tags") VALUES ($1, $2), ($3, $4)');
  t.deepEqual(withArrayColumn.params, ['v0', 'v1', 'v2', 'v3']);
});
