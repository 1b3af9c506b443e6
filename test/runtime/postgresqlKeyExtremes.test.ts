/**
 * A token the connector issues is always accepted back, on PostgreSQL: for every column type it can page by, a table
 * keyed by that type holding its extreme values (both ends of the range, BC dates, ±infinity, NaN, numeric with a
 * scale above its precision or a negative scale, 4-byte characters) is read one record a page through the built
 * bundle, every row exactly once, in key order.
 */
import test, { type ExecutionContext } from 'ava';
import { type PostgreSqlStage, startPostgreSqlStage } from '../support/postgresqlStage';

let stage: PostgreSqlStage;

/** Key type, and its values as SQL literals (each a distinct key). */
const KEY_TYPES: Record<string, { type: string; values: string[] }> = {
  int2: { type: 'smallint', values: ['-32768', '0', '32767'] },
  int4: { type: 'integer', values: ['-2147483648', '2147483647'] },
  int8: { type: 'bigint', values: ['-9223372036854775808', '-9007199254740993', '9223372036854775807'] },
  numeric_3_5: { type: 'numeric(3,5)', values: ['-0.00999', '-0.00001', '0', '0.00123', '0.00999'] },
  numeric_3_neg2: { type: 'numeric(3,-2)', values: ['-99900', '-100', '0', '12300', '99900'] },
  numeric_1_0: { type: 'numeric(1,0)', values: ['-9', '0', '9'] },
  numeric_50_25: {
    type: 'numeric(50,25)',
    values: [`-${'9'.repeat(25)}.${'9'.repeat(25)}`, `0.${'0'.repeat(24)}1`, `${'9'.repeat(25)}.${'9'.repeat(25)}`],
  },
  numeric_nan: { type: 'numeric(10,2)', values: ["'NaN'", '-99999999.99', '0', '99999999.99'] },
  float4: {
    type: 'real',
    values: ["'-Infinity'", "'-3.4028235e38'", "'1.4e-45'", '0', "'3.4028235e38'", "'Infinity'", "'NaN'"],
  },
  float8: {
    type: 'double precision',
    values: [
      "'-Infinity'",
      "'-1.7976931348623157e308'",
      "'5e-324'",
      '0.1',
      "'1.7976931348623157e308'",
      "'Infinity'",
      "'NaN'",
    ],
  },
  boolean: { type: 'boolean', values: ['false', 'true'] },
  date: { type: 'date', values: ["'-infinity'", "'4713-01-01 BC'", "'0001-01-01'", "'5874897-12-31'", "'infinity'"] },
  timestamp: {
    type: 'timestamp(6)',
    values: [
      "'-infinity'",
      "'4713-01-01 00:00:00 BC'",
      "'2024-02-29 12:00:00.5'",
      "'294276-12-31 23:59:59.999999'",
      "'infinity'",
    ],
  },
  timestamptz: {
    type: 'timestamptz(6)',
    values: [
      "'-infinity'",
      "'4713-01-01 00:00:00+00 BC'",
      "'2024-02-29 12:00:00.5+05:30'",
      "'294276-12-30 23:59:59.999999+00'",
      "'infinity'",
    ],
  },
  varchar: { type: 'varchar(10) COLLATE "C"', values: ["''", "'\"\\'", `'${'😀'.repeat(10)}'`, "'zz'"] },
  bpchar: { type: 'char(5) COLLATE "C"', values: ["'a'", "'😀😀😀😀😀'"] },
  uuid: { type: 'uuid', values: ["'00000000-0000-0000-0000-000000000000'", "'ffffffff-ffff-ffff-ffff-ffffffffffff'"] },
  inet: {
    type: 'inet',
    values: ["'0.0.0.0/0'", "'255.255.255.255'", "'::'", "'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128'"],
  },
  time: { type: 'time(6)', values: ["'00:00:00'", "'12:34:56.789012'", "'24:00:00'"] },
  macaddr: { type: 'macaddr', values: ["'00:00:00:00:00:00'", "'ff:ff:ff:ff:ff:ff'"] },
  money: { type: 'money', values: ["'-92233720368547758.08'", '0', "'92233720368547758.07'"] },
};

test.before(async () => {
  stage = await startPostgreSqlStage({ schema: 'keys', secretName: 'postgresql-keys' });
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

for (const [name, { values }] of Object.entries(KEY_TYPES)) {
  test(`keys of type ${name}: one record a page, every token accepted back, every row once in key order`, async (t) => {
    t.is(await pagingMode(`key_${name}`), 'k', 'pages by key');
    const records = await readOneByOne(t, `key_${name}`);
    const expected = (await stage.sql(`SELECT v FROM key_${name} ORDER BY k`)).map(([v]) => Number(v));
    t.deepEqual(
      records.map((record) => (JSON.parse(record) as { v: number }).v),
      expected,
    );
    t.is(records.length, values.length);
  });
}
