/**
 * What is stored is what was sent (on every engine, through the built bundle): a string longer than a
 * VARCHAR(n)/CHAR(n) column's declared characters only by trailing spaces — which both servers cut silently
 * instead of refusing — is refused for that record, naming the field and the limit, never the value. Characters
 * are counted as the servers count them (code points: '😀' is one); for CHAR(n), trailing spaces are padding.
 */
import test from 'ava';
import { type EngineName, RUNTIME_ENGINES, stagesFor } from '../support/engineStage';

/** Per engine: the table, the records sent (the first two refused), the two refusals, and the rows then stored. */
const FACTS: Record<
  EngineName,
  {
    ddl: string;
    records: Record<string, unknown>[];
    refusals: [string, string];
    storedSql: string;
    stored: unknown[][];
  }
> = {
  MariaDB: {
    ddl: `CREATE TABLE vc (k INT PRIMARY KEY,
      c1 VARCHAR(1) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NULL,
      v3 VARCHAR(3) CHARACTER SET utf8mb4 NULL, ch2 CHAR(2) CHARACTER SET utf8mb4 NULL)`,
    records: [
      { k: 1, c1: 'a ' },
      { k: 2, v3: 'abc  ' },
      { k: 3, v3: '😀😀😀' }, // three characters (six UTF-16 units): fits
      { k: 4, ch2: 'ab   ' }, // CHAR pads and strips trailing spaces: fits
      { k: 5, c1: 'b' },
    ],
    refusals: [
      'field "c1" (varchar(1)) holds at most 1 character; the value is longer by trailing spaces the database would cut',
      'field "v3" (varchar(3)) holds at most 3 characters; the value is longer by trailing spaces the database would cut',
    ],
    storedSql: 'SELECT k, c1, v3, ch2 FROM vc ORDER BY k',
    stored: [
      [3, null, '😀😀😀', null],
      [4, null, null, 'ab'],
      [5, 'b', null, null],
    ],
  },
  PostgreSQL: {
    ddl: 'CREATE TABLE vc (k int PRIMARY KEY, v8 varchar(8) NULL, v3 varchar(3) NULL, ch2 char(2) NULL)',
    records: [
      { k: 1, v8: 'aaaaaaaa ' },
      { k: 2, v3: 'x  y' }, // longer by more than trailing spaces: refused by the server (22001), that record only
      { k: 3, v3: '😀😀😀' },
      { k: 4, ch2: 'ab   ' },
      { k: 5, v8: 'aaaaaaaa' },
    ],
    refusals: [
      'field "v8" (character varying(8)) holds at most 8 characters; the value is longer by trailing spaces the database would cut',
      'the value is too long for its field (SQLSTATE 22001 string_data_right_truncation)',
    ],
    storedSql: "SELECT k, coalesce(v8, '-'), coalesce(v3, '-'), coalesce(ch2, '-') FROM vc ORDER BY k",
    stored: [
      ['3', '-', '😀😀😀', '-'],
      ['4', '-', '-', 'ab'],
      ['5', 'aaaaaaaa', '-', '-'],
    ],
  },
};

const stages = stagesFor(test, 'trailing_spaces', (stage) => stage.exec(FACTS[stage.engine].ddl));

for (const engine of RUNTIME_ENGINES) {
  test(`${engine}: a string longer than VARCHAR(n) only by trailing spaces is refused, not stored cut`, async (t) => {
    const { records, refusals, storedSql, stored } = FACTS[engine];
    const answer = await stages[engine].write(
      'vc',
      'INSERT',
      records.map((record) => JSON.stringify(record)),
    );
    t.is(answer.writeRecordResults?.length, records.length, JSON.stringify(answer));
    const results = answer.writeRecordResults ?? [];
    t.deepEqual(
      results.map((result) => result.isSuccess),
      [false, false, true, true, true],
    );
    t.is(results[0]!.errorMessage, refusals[0]);
    t.is(results[1]!.errorMessage, refusals[1]);
    t.deepEqual(await stages[engine].rows(storedSql), stored);
  });
}
