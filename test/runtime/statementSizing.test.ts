/**
 * How many rows a page's statement asks for, through the built bundle on both engines. A statement never asks for
 * more rows than the response's byte budget can take, and before a page has read a row only the columns' declared
 * sizes are known: for `text`, MEDIUMTEXT or a wide VARCHAR they are thousands of times what rows usually hold. A warm
 * instance sizes a page's statement by the records its earlier pages of the read measured instead, so a page of
 * short texts is one statement (it was a small one, then the rest: two per page, and on PostgreSQL two round trips).
 * Rows that grow past that estimate still arrive once each, in responses within the budget.
 */
import test, { type ExecutionContext } from 'ava';
import { type EngineName, type EngineStage, readPages, stagesFor } from '../support/engineStage';
import { logLinesDuring } from '../support/lambda';

// The "page read" debug line says how many statements a page took.
process.env.LOG_LEVEL = 'DEBUG';

const SHORT_ROWS = 3000;
const LONG_ROWS = 60;
const LONG_TEXT_CHARS = 300_000;
/** What one AppFlow response may carry. */
const RESPONSE_BYTES = 6 * 1024 * 1024;

const DDL: Record<EngineName, string> = {
  MariaDB: `
    CREATE TABLE notes (id INT NOT NULL PRIMARY KEY, title VARCHAR(4000) NOT NULL, body MEDIUMTEXT NOT NULL);
    INSERT INTO notes SELECT seq, CONCAT('title ', seq), CONCAT('note ', seq) FROM seq_1_to_${SHORT_ROWS};
    CREATE TABLE growing (id INT NOT NULL PRIMARY KEY, body MEDIUMTEXT NOT NULL);
    INSERT INTO growing SELECT seq, CONCAT('short ', seq) FROM seq_1_to_${SHORT_ROWS};
    INSERT INTO growing SELECT ${SHORT_ROWS} + seq, REPEAT(CHAR(65 + seq % 26), ${LONG_TEXT_CHARS})
      FROM seq_1_to_${LONG_ROWS};`,
  PostgreSQL: `
    CREATE TABLE notes (id int PRIMARY KEY, title varchar(4000) NOT NULL, body text NOT NULL);
    INSERT INTO notes SELECT i, 'title ' || i, 'note ' || i FROM generate_series(1, ${SHORT_ROWS}) i;
    CREATE TABLE growing (id int PRIMARY KEY, body text NOT NULL);
    INSERT INTO growing SELECT i, 'short ' || i FROM generate_series(1, ${SHORT_ROWS}) i;
    INSERT INTO growing SELECT ${SHORT_ROWS} + i, repeat(chr(65 + i % 26), ${LONG_TEXT_CHARS})
      FROM generate_series(1, ${LONG_ROWS}) i;`,
};

const stages = stagesFor(test, 'statement_sizing', (stage) => stage.exec(DDL[stage.engine]));

interface PageLine {
  records: number;
  statements: number;
  endedBy: string;
}

/** One QueryData page, with its "page read" line and the size of its answer as the runtime serializes it. */
async function pageOf(stage: EngineStage, entity: string, nextToken: string | null) {
  const { result: page, lines } = await logLinesDuring('page read', () =>
    stage.query(entity, { maxResults: 1000, nextToken }),
  );
  if (lines.length !== 1) throw new Error(`expected one "page read" line, got ${lines.length}`);
  return { page, line: lines[0] as unknown as PageLine, bytes: Buffer.byteLength(JSON.stringify(page), 'utf8') };
}

function idsOf(records: readonly string[]): number[] {
  return records.map((record) => (JSON.parse(record) as { id: number }).id);
}

async function shortTextsInWideColumns(t: ExecutionContext, stage: EngineStage) {
  const statements: number[] = [];
  const ids: number[] = [];
  let nextToken: string | null = null;
  do {
    const { page, line } = await pageOf(stage, 'notes', nextToken);
    t.true(page.isSuccess, JSON.stringify(page.errorDetails));
    ids.push(...idsOf(page.records!));
    statements.push(line.statements);
    nextToken = page.nextToken;
  } while (nextToken !== null && statements.length < 10);
  t.deepEqual(
    ids,
    Array.from({ length: SHORT_ROWS }, (_, index) => index + 1),
  );
  t.log(`${stage.engine}: statements per page ${statements.join(', ')}`);
  // The first page knows neither the pace nor the records' size (a small statement first); every later one does.
  t.is(statements.length, SHORT_ROWS / 1000);
  for (const count of statements.slice(1)) t.is(count, 1, `a warm page took ${count} statements`);
}

async function rowsThatOutgrowTheEstimate(t: ExecutionContext, stage: EngineStage) {
  const ids: number[] = [];
  const bodies = new Map<number, number>();
  let nextToken: string | null = null;
  let pages = 0;
  do {
    const { page, bytes } = await pageOf(stage, 'growing', nextToken);
    t.true(page.isSuccess, JSON.stringify(page.errorDetails));
    t.true(bytes <= RESPONSE_BYTES, `a response of ${bytes} bytes`);
    for (const record of page.records!) {
      const { id, body } = JSON.parse(record) as { id: number; body: string };
      ids.push(id);
      bodies.set(id, body.length);
    }
    nextToken = page.nextToken;
    pages++;
  } while (nextToken !== null && pages < 40);
  t.deepEqual(
    ids,
    Array.from({ length: SHORT_ROWS + LONG_ROWS }, (_, index) => index + 1),
  );
  t.is(bodies.get(SHORT_ROWS + 1), LONG_TEXT_CHARS);
  t.is(bodies.get(SHORT_ROWS + LONG_ROWS), LONG_TEXT_CHARS);
  // Twenty-odd 300 KB records fill a response: the long rows take several pages, each full by bytes.
  t.true(pages >= SHORT_ROWS / 1000 + 2, `${pages} pages`);
}

for (const engine of ['MariaDB', 'PostgreSQL'] as const) {
  test.serial(`${engine}: a warm page of short texts in wide columns is one statement, every row once`, (t) =>
    shortTextsInWideColumns(t, stages[engine]),
  );
  test.serial(`${engine}: rows that outgrow the earlier pages' records still arrive once, within the budget`, (t) =>
    rowsThatOutgrowTheEstimate(t, stages[engine]),
  );
  // A whole read through the shared page loop agrees with the reads above.
  test.serial(`${engine}: the same read in pages of 700 returns every row once`, async (t) => {
    const records = await readPages(t, stages[engine].query, 'notes', { maxResults: 700, maxPages: 10 });
    t.deepEqual(
      idsOf(records),
      Array.from({ length: SHORT_ROWS }, (_, index) => index + 1),
    );
  });
}
