/**
 * Whatever QueryData renders for a column, WriteData accepts for it and stores unchanged (PostgreSQL): for every type
 * of the README's PostgreSQL mapping table and a few of "every other type", values at the edges of each type (BC
 * and year-10000 dates, numeric scales above the precision and below zero, precisions below 6, arrays of each kind)
 * are read through the built bundle, written back as read into an empty copy of the table, and the copy is compared
 * with the original on the server (`IS NOT DISTINCT FROM`, and by text) and by reading it again.
 */
import test from 'ava';
import { valueProblem } from '../../../runner/recordTypes';
import { type PostgreSqlStage, startPostgreSqlStage } from '../../support/postgresqlStage';
import { refusedRecords, type WriteAnswer } from '../../support/writes';

let stage: PostgreSqlStage;

/** Every type of the mapping table and some others; values as SQL literals per row (NULL where none). */
const COLUMNS: readonly { name: string; type: string; values: readonly string[]; compare?: 'text' | 'spacing' }[] = [
  { name: 'bo', type: 'boolean', values: ['true', 'false'] },
  { name: 'i2', type: 'smallint', values: ['-32768', '32767'] },
  { name: 'i4', type: 'integer', values: ['-2147483648', '2147483647'] },
  { name: 'i8', type: 'bigint', values: ['-9223372036854775808', '9223372036854775807'] },
  { name: 'nu', type: 'numeric', values: ["'-1.50e-30'", "'123456789012345678901234567890.000100'"] },
  { name: 'n2', type: 'numeric(10,2)', values: ["'-99999999.99'", "'0.10'"] },
  { name: 'ns', type: 'numeric(3,5)', values: ["'0.00123'", "'-0.00999'"] },
  { name: 'nn', type: 'numeric(3,-2)', values: ["'99900'", "'-1200'"] },
  { name: 'r4', type: 'real', values: ["'3.4028235e38'", "'1e-45'"] },
  { name: 'f8', type: 'double precision', values: ["'1.7976931348623157e308'", "'-5e-324'"] },
  { name: 'da', type: 'date', values: ["'0044-03-15 BC'", "'10000-01-01'", "'0001-01-01 BC'", "'5874897-12-31'"] },
  { name: 'ts', type: 'timestamp', values: ["'0044-03-15 12:00:00.123456 BC'", "'10000-12-31 23:59:59.999999'"] },
  { name: 't0', type: 'timestamp(0)', values: ["'2024-02-29 23:59:59'", "'0001-01-01 00:00:00 BC'"] },
  {
    name: 'tz',
    type: 'timestamptz',
    values: ["'0001-01-01 00:00:00+00 BC'", "'12345-06-07 08:09:10.5+00'", "'0044-03-15 12:00:00+00 BC'"],
  },
  { name: 't3', type: 'timestamptz(3)', values: ["'2024-01-01 00:00:00.123+05:30'", "'1999-12-31 23:59:59.999+00'"] },
  { name: 'js', type: 'json', values: [`'{"a": [1, 2.50, 1e400], "a": "dup"}'`, `'"text"'`], compare: 'spacing' },
  { name: 'jb', type: 'jsonb', values: [`'{"n": 12345678901234567890.5, "s": "é\\n"}'`, "'[]'"] },
  { name: 'by', type: 'bytea', values: ["'\\x00ff10'", "''"] },
  { name: 'ai', type: 'integer[]', values: ["'{1,NULL,-3}'", "'{{1,2},{3,4}}'"] },
  { name: 'at', type: 'text[]', values: [`'{"a,b","q\\"uote","",NULL,"NULL"}'`, "'{}'"] },
  { name: 'an', type: 'numeric[]', values: ["'{1.50,-0.001}'", "'{}'"] },
  { name: 'ad', type: 'date[]', values: ["'{0044-03-15 BC,10000-01-01}'", "'{2024-02-29}'"] },
  { name: 'az', type: 'timestamptz[]', values: [`'{"2024-01-01 00:00:00.5+00"}'`, "'{}'"] },
  { name: 'ab', type: 'boolean[]', values: ["'{t,f,NULL}'", "'{}'"] },
  { name: 'ay', type: 'bytea[]', values: [`'{"\\\\x00ff"}'`, "'{}'"] },
  { name: 'aj', type: 'jsonb[]', values: [`ARRAY['{"a":1}'::jsonb, '[1,2]'::jsonb]`, "'{}'"] },
  { name: 'en', type: 'mood', values: ["'happy'", "'Happy'"] },
  { name: 'tx', type: 'text', values: ["'ünïcødé 🎉 \\ \" '", "''"] },
  { name: 'vc', type: 'varchar(20)', values: ["'trailing  '", "' '"] },
  { name: 'ch', type: 'char(5)', values: ["'ab'", "''"] },
  { name: 'uu', type: 'uuid', values: ["'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", 'NULL'] },
  { name: 'ip', type: 'inet', values: ["'192.168.0.1/24'", "'::1'"] },
  { name: 'tm', type: 'time', values: ["'23:59:59.999999'", "'24:00:00'"] },
  { name: 'tm0', type: 'time(0)', values: ["'12:30:00'", "'00:00:00'"] },
  { name: 'tt', type: 'timetz', values: ["'12:30:00.25+05:30'", "'00:00:00-12'"] },
  { name: 'iv', type: 'interval', values: ["'1 year 2 mons -3 days 04:05:06.789'", "'-178000000 years'"] },
  { name: 'iv2', type: 'interval(2)', values: ["'1 day 00:00:00.25'", "'00:00:00'"] },
  { name: 'iv3', type: 'interval', values: ["'-1 day 1 second'", "'2562047788:00:54.775807'"] },
  { name: 'iym', type: 'interval year to month', values: ["'-1 year -2 mons'", "'3 years'"] },
  { name: 'ivd', type: 'interval day to second(3)', values: ["'1 day -00:00:01.5'", "'-00:00:00.001'"] },
  { name: 'tz3', type: 'timetz', values: ["'12:00:00+05:30:15'", "'24:00:00+15:59'"] },
  { name: 'dm', type: 'small_count', values: ['7', '0'] },
  { name: 'ad2', type: 'small_count[]', values: ["'{1,2}'", "'{}'"] },
  { name: 'xm', type: 'xml', values: ['\'<a b="1">x</a>\'', 'NULL'], compare: 'text' },
  { name: 'pt', type: 'point', values: ["'(1.5,-2)'", 'NULL'], compare: 'text' },
  { name: 'rg', type: 'int4range', values: ["'[1,10)'", "'empty'"] },
  { name: 'bt', type: 'bit(4)', values: ["'1010'", "'0000'"] },
  { name: 'mo', type: 'money', values: ["'-12.34'", 'NULL'] },
];

/** JSON text without the whitespace between its tokens (strings kept as they are). */
const withoutSpacing = (text: string | null | undefined) =>
  text?.replace(/("(?:[^"\\]|\\.)*")|\s+/g, (_, string?: string) => string ?? '');

const OF_A_SECOND = " of a second's fraction";

const ROWS = Math.max(...COLUMNS.map((column) => column.values.length));
const quoted = (name: string) => `"${name}"`;

test.before(async () => {
  stage = await startPostgreSqlStage({ schema: 'round_trip', secretName: 'postgresql-round-trip' });
  const definitions = COLUMNS.map((column) => `${quoted(column.name)} ${column.type} NULL`).join(', ');
  const rows = Array.from(
    { length: ROWS + 1 },
    (_, row) => `(${row + 1}, ${COLUMNS.map((column) => column.values[row] ?? 'NULL').join(', ')})`,
  );
  await stage.sql(`CREATE TYPE mood AS ENUM ('sad', 'happy', 'Happy');
    CREATE DOMAIN small_count AS integer CHECK (VALUE >= 0);
    CREATE TABLE rt (id integer PRIMARY KEY, ${definitions});
    INSERT INTO rt (id, ${COLUMNS.map((column) => quoted(column.name)).join(', ')}) VALUES ${rows.join(', ')};
    CREATE TABLE rt_copy (LIKE rt INCLUDING ALL);`);
});
test.after.always(async () => {
  await stage?.teardown();
});

async function read(entity: string): Promise<string[]> {
  const response = await stage.query(entity);
  if (!response.isSuccess) throw new Error(JSON.stringify(response.errorDetails));
  return response.records ?? [];
}

test('every value QueryData renders is accepted by WriteData and stored unchanged', async (t) => {
  const records = await read('rt');
  t.is(records.length, ROWS + 1);
  const answer = await stage.write<WriteAnswer>('rt_copy', 'INSERT', records);
  const refused = refusedRecords(answer);
  t.deepEqual(refused, [], 'every record read is accepted back');
  const copy = await read('rt_copy');
  const changed: string[] = [];
  for (const column of COLUMNS) {
    const name = quoted(column.name);
    if (column.compare === 'spacing') {
      // json keeps its text; a value written back is compact: the same value, keys and duplicates, not spacing.
      const pairs = await stage.sql(`SELECT a.id, a.${name}, b.${name} FROM rt a LEFT JOIN rt_copy b USING (id)`);
      for (const [id, original, written] of pairs) {
        if (withoutSpacing(original) !== withoutSpacing(written)) changed.push(`${column.name} of row ${id}`);
      }
      continue;
    }
    const differs =
      column.compare === 'text'
        ? `a.${name}::text IS DISTINCT FROM b.${name}::text`
        : `a.${name} IS DISTINCT FROM b.${name} OR a.${name}::text IS DISTINCT FROM b.${name}::text`;
    const rows = await stage.sql(`SELECT a.id FROM rt a LEFT JOIN rt_copy b USING (id) WHERE ${differs} ORDER BY 1`);
    for (const [id] of rows) {
      const shown = (list: string[]) => JSON.stringify(JSON.parse(list[Number(id) - 1] ?? '{}')[column.name]);
      changed.push(`${column.name} ${column.type} of row ${id}: read ${shown(records)}, copy ${shown(copy)}`);
    }
  }
  t.deepEqual(changed, [], 'every value is stored unchanged');
  t.deepEqual(copy.map(withoutSpacing), records.map(withoutSpacing), 'the copy reads as the original');
});

test('a fraction beyond a column precision, or a numeric beyond its scale, is refused per record, naming the field', async (t) => {
  await stage.sql(`CREATE TABLE prec (id integer PRIMARY KEY, t0 timestamp(0) NULL, z3 timestamptz(3) NULL,
    tm0 time(0) NULL, tt2 timetz(2) NULL, iv2 interval(2) NULL, ivs interval second(1) NULL, ns numeric(3,5) NULL,
    nn numeric(3,-2) NULL)`);
  const cases: [string, unknown, string][] = [
    ['t0', '2024-12-31T23:59:59.6Z', `field "t0" (timestamp(0) without time zone) keeps 0 digits${OF_A_SECOND}`],
    ['z3', '2024-01-01T00:00:00.0005+01:00', `field "z3" (timestamp(3) with time zone) keeps 3 digits${OF_A_SECOND}`],
    ['tm0', '12:00:00.5', `field "tm0" (time(0) without time zone) keeps 0 digits${OF_A_SECOND}`],
    ['tt2', '12:00:00.125+02', `field "tt2" (time(2) with time zone) keeps 2 digits${OF_A_SECOND}`],
    ['iv2', '1 day 00:00:00.125', `field "iv2" (interval(2)) keeps 2 digits${OF_A_SECOND}`],
    ['ivs', 'PT1.25S', `field "ivs" (interval second(1)) keeps 1 digit${OF_A_SECOND}`],
    ['ns', 0.0123, 'field "ns" (numeric(3,5)) holds values below 10^-2 in magnitude'],
    ['nn', 12345, 'field "nn" (numeric(3,-2)) rounds to multiples of 10^2'],
  ];
  const accepted: Record<string, unknown>[] = [
    { id: 100, t0: '2024-12-31T23:59:59.000Z', z3: '2024-01-01T00:00:00.1230Z', tm0: '12:00:00.0' },
    { id: 101, tt2: '12:00:00.120+02', iv2: '1 day 00:00:00.12', ivs: 'PT1.2S', ns: '0.00999', nn: 99900 },
  ];
  const records = [...cases.map(([field, value], index) => ({ id: index + 1, [field]: value })), ...accepted];
  const answer = await stage.write<WriteAnswer>(
    'prec',
    'INSERT',
    records.map((record) => JSON.stringify(record)),
  );
  t.deepEqual(
    (answer.writeRecordResults ?? []).map((result) => result.errorMessage?.split(';')[0] ?? null),
    [...cases.map(([, , message]) => message), null, null],
  );
  t.deepEqual(await stage.sql('SELECT id, t0, z3, tm0, tt2, iv2, ivs, ns, nn FROM prec ORDER BY id'), [
    ['100', '2024-12-31 23:59:59', '2024-01-01 03:00:00.123+03', '12:00:00', '', '', '', '', ''],
    ['101', '', '', '', '12:00:00.12+02', '1 day 00:00:00.12', '00:00:01.2', '0.00999', '99900'],
  ]);
});

test('BC and year-10000 dates are shown in ISO 8601 expanded form, which the runner contract check accepts', async (t) => {
  const records = (await read('rt')).map((record) => JSON.parse(record) as Record<string, string | null>);
  const shown = (name: string) => records.map((record) => record[name]);
  t.deepEqual(shown('da'), ['-0043-03-15', '+10000-01-01', '0000-01-01', '+5874897-12-31', null]);
  t.deepEqual(shown('ts'), ['-0043-03-15T12:00:00.123456Z', '+10000-12-31T23:59:59.999999Z', null, null, null]);
  t.deepEqual(shown('t0'), ['2024-02-29T23:59:59Z', '0000-01-01T00:00:00Z', null, null, null]);
  t.deepEqual(shown('tz'), [
    '0000-01-01T00:00:00.000000Z',
    '+12345-06-07T08:09:10.500000Z',
    '-0043-03-15T12:00:00.000000Z',
    null,
    null,
  ]);
  for (const [name, dataType] of [
    ['da', 'Date'],
    ['ts', 'DateTime'],
    ['t0', 'DateTime'],
    ['tz', 'DateTime'],
    ['t3', 'DateTime'],
  ] as const) {
    for (const value of shown(name)) {
      t.is(valueProblem(dataType, JSON.stringify(value)), null, `${name}: ${value}`);
    }
  }
});
