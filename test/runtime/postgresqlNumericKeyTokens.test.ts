/**
 * Paging keys of numeric(p,s) whose scale is above the precision or negative (PostgreSQL 15, through the built
 * bundle): the server prints such values longer than p digits (numeric(3,10): -0.0000000999; numeric(1,-1000): a 9
 * and 1,000 zeros). The paging plan sizes tokens from the declared type: a key whose two values (where the read is,
 * where it ends) fit AppFlow's 2,048-character token is paged by key, one that cannot fit is paged by offset, and
 * every token handed out is accepted back and fits.
 */
import test, { type ExecutionContext } from 'ava';
import { type PostgreSqlStage, startPostgreSqlStage } from '../support/postgresqlStage';

let stage: PostgreSqlStage;

/** Key type, its values as SQL literals (each a distinct key), and the paging mode its size allows. */
const KEY_TYPES: Record<string, { type: string; values: string[]; mode: 'k' | 'o' }> = {
  numeric_3_10: {
    type: 'numeric(3,10)',
    values: ['-0.0000000999', '-0.0000000001', '0', '0.0000000123', '0.0000000999', "'NaN'"],
    mode: 'k',
  },
  numeric_3_neg5: { type: 'numeric(3,-5)', values: ['-99900000', '-100000', '0', '12300000', '99900000'], mode: 'k' },
  numeric_2_600: { type: 'numeric(2,600)', values: ['-99e-600', '0', '1e-600', '99e-600'], mode: 'k' },
  numeric_1_1000: { type: 'numeric(1,1000)', values: ['-9e-1000', '0', '9e-1000'], mode: 'o' },
  numeric_1_neg1000: { type: 'numeric(1,-1000)', values: ['-9e1000', '0', '9e1000'], mode: 'o' },
};

test.before(async () => {
  stage = await startPostgreSqlStage({ schema: 'numeric_keys', secretName: 'postgresql-numeric-keys' });
  const statements = Object.entries(KEY_TYPES).map(
    ([name, { type, values }]) =>
      `CREATE TABLE key_${name} (k ${type} PRIMARY KEY, v int NOT NULL);
       INSERT INTO key_${name} (k, v) VALUES ${values.map((value, index) => `(${value}, ${index})`).join(', ')};`,
  );
  await stage.sql(statements.join('\n'));
});

test.after.always(async () => {
  await stage?.teardown();
});

async function readOneByOne(t: ExecutionContext, entity: string): Promise<string[]> {
  const records: string[] = [];
  let nextToken: string | null = null;
  for (let pages = 0; pages < 20; pages++) {
    const page = await stage.query(entity, { maxResults: 1, nextToken });
    if (!page.isSuccess) {
      t.fail(`${entity}, page ${pages + 1}: ${JSON.stringify(page.errorDetails)}`);
      break;
    }
    records.push(...page.records!);
    nextToken = page.nextToken;
    if (nextToken === null) break;
    t.true(nextToken.length <= 2048);
  }
  return records;
}

/** The paging mode of a read's first token ('k' keyset, 'o' offset). */
async function pagingMode(entity: string): Promise<string> {
  const page = await stage.query(entity, { maxResults: 1 });
  if (!page.nextToken) return JSON.stringify(page.errorDetails);
  return (JSON.parse(Buffer.from(page.nextToken!.split('.')[0]!, 'base64url').toString('utf8')) as { m: string }).m;
}

for (const [name, { values, mode }] of Object.entries(KEY_TYPES)) {
  test(`keys of type ${name} at their extremes: paged by ${mode === 'k' ? 'key' : 'offset'}, every token fits and is accepted back`, async (t) => {
    t.is(await pagingMode(`key_${name}`), mode);
    const records = await readOneByOne(t, `key_${name}`);
    const expected = (await stage.sql(`SELECT v FROM key_${name} ORDER BY k`)).map(([v]) => Number(v));
    const read = records.map((record) => (JSON.parse(record) as { v: number }).v);
    t.deepEqual(
      mode === 'k' ? read : [...read].sort((a, b) => a - b),
      mode === 'k' ? expected : [...expected].sort((a, b) => a - b),
    );
    t.is(records.length, values.length);
  });
}
