/**
 * Offset paging on MariaDB when rows tie on what the read orders by, through the built bundle: tables without any
 * key whose rows tie on every leading column, and tables whose rows differ only in values that MySQL orders as
 * equal but records show differently (case- and accent-insensitive collations, PAD SPACE trailing spaces, text
 * beyond `max_sort_length`). Every row is unique by what its record shows, so "every row exactly once" is checked
 * as: every expected record text once, none other.
 */
import test, { type ExecutionContext } from 'ava';
import { type ConnectorStage, startConnectorStage } from '../support/environment';
import { queryDataEvent } from '../support/events';
import { invoke } from '../support/lambda';

let stage: ConnectorStage;
const ROWS = 2_000;
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

test.before(async () => {
  stage = await startConnectorStage({ seed: false });
  const connection = await stage.database.connect();
  // No key; rows tie on the two leading columns, `n` tells them apart.
  await connection.query('CREATE TABLE leading_ties (a INT NOT NULL, b VARCHAR(5) NOT NULL, n INT NOT NULL)');
  await connection.query('INSERT INTO leading_ties VALUES ?', [
    Array.from({ length: ROWS }, (_, index) => [index % 3, `b${index % 2}`, (index * 7919) % ROWS]),
  ]);
  for (const [table, { ddl, value }] of Object.entries(twins)) {
    await connection.query(`CREATE TABLE ${table} (grp INT NOT NULL, ${ddl})`);
    await connection.query(`INSERT INTO ${table} VALUES ?`, [
      Array.from({ length: ROWS }, (_, index) => [index % 2, value((index * 7919) % ROWS)]),
    ]);
  }
  await connection.end();
});

test.after.always(async () => {
  await stage?.teardown();
});

interface Page {
  isSuccess: boolean;
  records: string[] | null;
  nextToken: string | null;
  errorDetails: unknown;
}

async function readAll(t: ExecutionContext, entity: string): Promise<string[]> {
  const records: string[] = [];
  let nextToken: string | null = null;
  for (let pages = 0; pages < ROWS; pages++) {
    const page: Page = await invoke<Page>(
      stage.bundle,
      queryDataEvent(stage.target, entity, { maxResults: PAGE, nextToken }),
    );
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

/** Record texts seen more than once, and expected ones never seen. */
function compare(records: readonly string[], expected: readonly string[]) {
  const counts = new Map<string, number>();
  for (const record of records) counts.set(record, (counts.get(record) ?? 0) + 1);
  const repeated = [...counts].filter(([, count]) => count > 1).length;
  const missing = expected.filter((record) => !counts.has(record)).length;
  return { read: records.length, repeated, missing };
}

test('a keyless table whose rows tie on every leading column pages by offset: every row exactly once', async (t) => {
  const records = await readAll(t, 'leading_ties');
  const expected = Array.from({ length: ROWS }, (_, index) =>
    JSON.stringify({ a: index % 3, b: `b${index % 2}`, n: (index * 7919) % ROWS }),
  );
  t.deepEqual(compare(records, expected), { read: ROWS, repeated: 0, missing: 0 });
});

for (const [table, { value }] of Object.entries(twins)) {
  test(`rows that MySQL orders as equal but records show differently (${table}): every row exactly once`, async (t) => {
    const records = await readAll(t, table);
    const expected = Array.from({ length: ROWS }, (_, index) =>
      JSON.stringify({ grp: index % 2, v: value((index * 7919) % ROWS) }),
    );
    t.is(new Set(expected).size, ROWS);
    t.deepEqual(compare(records, expected), { read: ROWS, repeated: 0, missing: 0 });
  });
}
