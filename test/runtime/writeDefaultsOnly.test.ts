/**
 * An INSERT of a record that names no column at all (`{}`, or only an identity/AUTO_INCREMENT id as null, which
 * asks for a generated value) stores a row of the columns' defaults, and reports the generated id, on both engines
 * (issue 19: PostgreSQL was sent `INSERT INTO t () VALUES ()`, MySQL syntax it refuses). A field a record lacks gets
 * its column's DEFAULT, never NULL, also next to records that name it (docs/writing.md: only consecutive records
 * with the same fields share a statement). Both engines, through the built bundle.
 */
import test from 'ava';
import { type EngineName, stagesFor } from '../support/engineStage';
import type { WriteAnswer } from '../support/writes';

/** Per engine: the DDL of a table of defaults, and its rows as `id|label|n|note` text (NULL as `null`), by id. */
const FACTS: Record<
  EngineName,
  { ddl(table: string): string; rows(table: string): string; row(row: unknown[]): string }
> = {
  MariaDB: {
    ddl: (table) =>
      `CREATE TABLE ${table} (id INT AUTO_INCREMENT PRIMARY KEY, label VARCHAR(20) NOT NULL DEFAULT 'none',
         n INT DEFAULT 7, note VARCHAR(20) NULL) AUTO_INCREMENT = 500`,
    rows: (table) => `SELECT id, label, n, note FROM ${table} ORDER BY id`,
    row: (row) => row.map((value) => String(value)).join('|'),
  },
  PostgreSQL: {
    // BY DEFAULT where a record sends `{"id": null}` (an ALWAYS identity takes no value, not even null).
    ddl: (table) =>
      `CREATE TABLE ${table} (id integer GENERATED ${table === 'many_rows' ? 'BY DEFAULT' : 'ALWAYS'} AS IDENTITY
         (START WITH 500) PRIMARY KEY,
         label text NOT NULL DEFAULT 'none', n integer DEFAULT 7, note text);`,
    rows: (table) =>
      `SELECT id || '|' || label || '|' || coalesce(n::text, 'null') || '|' || coalesce(note, 'null')
         FROM ${table} ORDER BY id`,
    row: (row) => String(row[0]),
  },
};

const stages = stagesFor(test, 'defaults_only', async (stage) => {
  for (const table of ['one_row', 'many_rows', 'mixed']) await stage.exec(FACTS[stage.engine].ddl(table));
});

const engines = Object.fromEntries(
  (Object.keys(FACTS) as EngineName[]).map((name) => [
    name,
    {
      insert: (table: string, records: Record<string, unknown>[]): Promise<WriteAnswer> =>
        stages[name].write(
          table,
          'INSERT',
          records.map((record) => JSON.stringify(record)),
        ),
      rows: async (table: string) =>
        (await stages[name].rows(FACTS[name].rows(table))).map(FACTS[name].row).filter((row) => /^\d+\|/.test(row)),
    },
  ]),
);

/** Each record's outcome as text: its recordId, or its error message. */
const outcomes = (answer: WriteAnswer) =>
  answer.writeRecordResults?.map((result) =>
    result.isSuccess ? `ok ${result.recordId}` : `failed ${result.errorMessage}`,
  );
const succeeded = (ids: string[]) => ids.map((id) => `ok ${id}`);

for (const [name, engine] of Object.entries(engines)) {
  test(`${name}: an INSERT of {} stores the defaults and reports the generated id`, async (t) => {
    const answer = await engine.insert('one_row', [{}]);
    t.is(answer.errorDetails, null);
    t.deepEqual(outcomes(answer), succeeded(['500']));
    t.deepEqual(await engine.rows('one_row'), ['500|none|7|null']);
  });

  test(`${name}: a multi-row INSERT of records with no column stores one row of defaults per record`, async (t) => {
    // `{"id": null}` asks for a generated id: it names no column either, so it shares the statement of the `{}`.
    const answer = await engine.insert('many_rows', [{}, { id: null }, {}]);
    t.deepEqual(outcomes(answer), succeeded(['500', '501', '502']));
    t.is(answer.errorDetails, null);
    t.deepEqual(await engine.rows('many_rows'), ['500|none|7|null', '501|none|7|null', '502|none|7|null']);
  });

  test(`${name}: a field a record lacks gets its column's default next to records that name it`, async (t) => {
    const answer = await engine.insert('mixed', [{ label: 'a', n: 1, note: 'x' }, {}, { label: 'c' }, { n: null }, {}]);
    t.is(answer.errorDetails, null);
    t.deepEqual(outcomes(answer), succeeded(['500', '501', '502', '503', '504']));
    t.deepEqual(await engine.rows('mixed'), [
      '500|a|1|x',
      '501|none|7|null',
      '502|c|7|null',
      '503|none|null|null',
      '504|none|7|null',
    ]);
  });
}
