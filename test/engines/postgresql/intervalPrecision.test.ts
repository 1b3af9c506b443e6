/**
 * The fraction digits of a second an interval column keeps come from the catalog's type modifier (PostgreSQL,
 * through the built bundle), so they are known however the column's type is spelled: `interval(3)`,
 * `interval day to second(2)`, and a domain over either (whose declared type is the domain's name). A value with
 * nonzero digits beyond them is refused per record, naming the field, instead of being rounded silently.
 */
import test from 'ava';
import { invoke } from '../../support/lambda';
import { type PostgreSqlStage, startPostgreSqlStage } from '../../support/postgresqlStage';

let stage: PostgreSqlStage;

interface RecordResult {
  isSuccess: boolean;
  recordId: string | null;
  errorMessage: string | null;
}

test.before(async () => {
  stage = await startPostgreSqlStage({ schema: 'interval_precision', secretName: 'postgresql-interval-precision' });
  await stage.sql(`CREATE DOMAIN short_span AS interval(3);
    CREATE DOMAIN day_span AS interval day to second(2);
    CREATE TABLE spans (id int PRIMARY KEY, i3 interval(3) NULL, ds2 interval day to second(2) NULL,
      d3 short_span NULL, dd2 day_span NULL, free interval NULL)`);
});

test.after.always(async () => {
  await stage?.teardown();
});

async function insert(record: Record<string, unknown>): Promise<RecordResult> {
  const answer = await invoke<{ writeRecordResults: RecordResult[] | null; errorDetails: unknown }>(stage.bundle, {
    type: 'WriteDataRequest',
    entityIdentifier: 'spans',
    operation: 'INSERT',
    idFieldNames: null,
    records: [JSON.stringify(record)],
    allOrNone: false,
    connectorContext: stage.connectorContext(),
  });
  if (!answer.writeRecordResults) throw new Error(JSON.stringify(answer.errorDetails));
  return answer.writeRecordResults[0]!;
}

const CASES: [field: string, kept: number][] = [
  ['i3', 3],
  ['ds2', 2],
  ['d3', 3],
  ['dd2', 2],
  ['free', 6],
];

let nextId = 1;
for (const [field, kept] of CASES) {
  test(`${field}: ${kept} digits of a second are kept and written, one more nonzero digit is refused`, async (t) => {
    const fits = `00:00:01.${'1'.repeat(kept)}`;
    const written = await insert({ id: nextId++, [field]: fits });
    t.true(written.isSuccess, JSON.stringify(written));
    const beyond = `00:00:01.${'1'.repeat(kept)}7`;
    const refused = await insert({ id: nextId++, [field]: beyond });
    t.false(refused.isSuccess);
    t.regex(refused.errorMessage ?? '', new RegExp(`field "${field}" .*keeps ${kept} digits of a second's fraction`));
  });
}
