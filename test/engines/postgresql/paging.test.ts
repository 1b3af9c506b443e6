/**
 * Paging on PostgreSQL end to end through the built bundle, at small page sizes: 2,500 rows of a table without any
 * key and of a view (offset paging), and of a table with a composite key (keyset paging), each read to the end with
 * tokens, every row exactly once; and rows of about 64 KB, where pages end at the response budget: every serialized
 * response stays under Lambda's 6 MB and every row is read once.
 */
import test, { type ExecutionContext } from 'ava';
import { isRight } from 'fp-ts/Either';
import { QueryDataResponse } from '../../../handler/protocol/codecs';
import { capturedLogs, containsSecret } from '../../support/lambda';
import { type PostgreSqlStage, startPostgreSqlStage } from '../../support/postgresqlStage';

let stage: PostgreSqlStage;
const ROWS = 2_500;
/** Lambda's limit for a synchronous response. */
const LAMBDA_RESPONSE_BYTES = 6 * 1024 * 1024;

test.before(async () => {
  stage = await startPostgreSqlStage({ schema: 'paging', secretName: 'postgresql-paging' });
  await stage.sql(`
    -- No primary key, no unique index: offset paging. n and label repeat (ties on every orderable column); doc (json
    -- has no ordering) tells the rows apart, and 20 rows are exact duplicates of others.
    CREATE TABLE loose (n int, label text, doc json);
    INSERT INTO loose
      SELECT i % 10, CASE WHEN i % 7 = 0 THEN NULL ELSE 'L' || (i % 50) END, json_build_object('i', i)
      FROM generate_series(1, ${ROWS - 20}) i;
    INSERT INTO loose SELECT n, label, doc FROM loose ORDER BY doc::text LIMIT 20;

    CREATE TABLE composite (a int NOT NULL, b varchar(10) NOT NULL, note text, PRIMARY KEY (a, b));
    INSERT INTO composite
      SELECT i / 5, (ARRAY['b', 'B', 'ä', 'a', 'Å'])[i % 5 + 1], 'note ' || i FROM generate_series(0, ${ROWS - 1}) i;
    -- A view has no key either: offset paging.
    CREATE VIEW composite_view AS SELECT a, b, note FROM composite;

    -- About 64 KB of text per row, with characters JSON escapes (quote, backslash, newline) and multi-byte ones.
    CREATE TABLE wide (id int PRIMARY KEY, body text NOT NULL);
    INSERT INTO wide
      SELECT i, left(repeat('"\\é' || chr(10) || md5(i::text), 1900), 65536 - 16) || lpad(i::text, 16, '.')
      FROM generate_series(1, 240) i;
    CREATE VIEW wide_view AS SELECT id, body FROM wide;
  `);
});

test.after('nothing this file did logged the database password', (t) => {
  t.false(containsSecret(capturedLogs(), stage.db.password));
});

test.after.always(async () => {
  await stage?.teardown();
});

interface ReadAll {
  records: string[];
  pages: number;
  largestResponseBytes: number;
}

/** Reads `entity` to the end with tokens; every answer valid, every token within AppFlow's 2,048 characters. */
async function readAll(t: ExecutionContext, entity: string, maxResults: number): Promise<ReadAll> {
  const records: string[] = [];
  let nextToken: string | null = null;
  let pages = 0;
  let largestResponseBytes = 0;
  do {
    const page = await stage.query(entity, { maxResults, nextToken });
    largestResponseBytes = Math.max(largestResponseBytes, Buffer.byteLength(JSON.stringify(page), 'utf8'));
    if (!page.isSuccess) {
      t.fail(`${entity}, page ${pages + 1}: ${JSON.stringify(page.errorDetails)}`);
      break;
    }
    t.true(isRight(QueryDataResponse.decode(page)));
    t.true(page.records!.length <= maxResults);
    records.push(...page.records!);
    nextToken = page.nextToken;
    if (nextToken !== null) t.true(nextToken.length <= 2048);
    pages++;
  } while (nextToken !== null && pages < 2 * ROWS);
  return { records, pages, largestResponseBytes };
}

/** The rows of `sql` (one JSON text per row) as sorted multiset. */
async function expectedRecords(sql: string): Promise<string[]> {
  return (await stage.sql(sql)).map(([json]) => json!).sort();
}

test('a table without any key pages by offset at 9 rows a page: every row exactly once, duplicates included', async (t) => {
  const expected = await expectedRecords(
    `SELECT json_build_object('n', n, 'label', label, 'doc', doc)::text FROM loose`,
  );
  t.is(expected.length, ROWS);
  const { records, pages } = await readAll(t, 'loose', 9);
  t.is(pages, Math.ceil(ROWS / 9));
  // json_build_object spaces its output; the connector's records are compact: compare parsed.
  t.deepEqual(
    records.map((record) => JSON.stringify(JSON.parse(record))).sort(),
    expected.map((record) => JSON.stringify(JSON.parse(record))).sort(),
  );
});

test('a view pages by offset at 7 rows a page: every row exactly once, in a stable order', async (t) => {
  const expected = (await stage.sql('SELECT a, b, note FROM composite ORDER BY a, b, note')).map(([a, b, note]) =>
    JSON.stringify({ a: Number(a), b, note }),
  );
  t.is(expected.length, ROWS);
  const { records, pages } = await readAll(t, 'composite_view', 7);
  t.is(pages, Math.ceil(ROWS / 7));
  t.is(new Set(records).size, ROWS);
  t.deepEqual([...records].sort(), [...expected].sort());
});

test('a table with a composite key pages by keyset at 11 rows a page: every row once, in key order', async (t) => {
  const expected = (await stage.sql('SELECT a, b, note FROM composite ORDER BY a, b')).map(([a, b, note]) =>
    JSON.stringify({ a: Number(a), b, note }),
  );
  const { records, pages } = await readAll(t, 'composite', 11);
  t.is(pages, Math.ceil(ROWS / 11));
  t.deepEqual(records, expected);
});

for (const entity of ['wide', 'wide_view']) {
  test(`rows of about 64 KB (${entity}): every response under 6 MB, every row read once`, async (t) => {
    const expected = (await stage.sql(`SELECT id, md5(body) FROM ${entity} ORDER BY id`)).map(
      ([id, hash]) => `${id}:${hash}`,
    );
    t.is(expected.length, 240);
    const { records, pages, largestResponseBytes } = await readAll(t, entity, 1000);
    t.true(largestResponseBytes < LAMBDA_RESPONSE_BYTES, `largest response: ${largestResponseBytes} bytes`);
    // The budget, not the page size, ended the pages: more than one page, each well filled.
    t.true(pages >= 3, `${pages} pages`);
    t.true(largestResponseBytes > 4_000_000, `largest response: ${largestResponseBytes} bytes`);
    const { createHash } = await import('node:crypto');
    const seen = records
      .map((record) => JSON.parse(record) as { id: number; body: string })
      .map(({ id, body }) => `${id}:${createHash('md5').update(body, 'utf8').digest('hex')}`)
      .sort((x, y) => Number(x.split(':')[0]) - Number(y.split(':')[0]));
    t.deepEqual(seen, expected);
    t.log(`${entity}: ${pages} pages, largest response ${largestResponseBytes} bytes`);
  });
}
