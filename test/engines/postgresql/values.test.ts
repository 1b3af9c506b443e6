/**
 * PostgreSQL values read exactly into record JSON and written back exactly, through real `pg` connections to the
 * throwaway PostgreSQL (server time zone UTC+03:00), for every type the engine distinguishes.
 */
import test from 'ava';
import type { Database } from '../../../handler/engines/engine';
import { describeTable, type PgTableMeta } from '../../../handler/engines/postgresql/catalog';
import { PostgreSqlPools } from '../../../handler/engines/postgresql/connection';
import { converter, renderValue } from '../../../handler/engines/postgresql/values';
import { float32Text } from '../../../handler/values/floats';
import { readJson, toJsonText } from '../../../handler/values/json';
import {
  type PostgreSqlDatabase,
  type PostgreSqlServer,
  plainPublicDatabase,
  startThrowawayPostgreSql,
} from '../../support/postgresql';

let server: PostgreSqlServer;
let db: PostgreSqlDatabase;
let database: Database;
let meta: PgTableMeta;
const pools = new PostgreSqlPools();

const COLUMNS = `
  id int PRIMARY KEY,
  c_int2 smallint, c_int4 integer, c_int8 bigint,
  c_num numeric, c_num_scaled numeric(12,4),
  c_real real, c_double double precision,
  c_bool boolean,
  c_date date, c_ts timestamp, c_tstz timestamptz, c_ts0 timestamp(0),
  c_time time, c_timetz timetz, c_interval interval,
  c_text text, c_varchar varchar(20), c_char char(5), c_citext citext, c_uuid uuid, c_inet inet,
  c_json json, c_jsonb jsonb,
  c_bytea bytea,
  c_enum mood,
  c_int_arr integer[], c_text_arr text[], c_int8_2d bigint[][], c_bytea_arr bytea[], c_tstz_arr timestamptz[],
  c_enum_arr mood[]`;

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, byte) => byte));
const TRICKY_TEXT = 'quote " backslash \\ newline \n tab \t unicode é ✓ 😀';

test.before(async () => {
  server = await startThrowawayPostgreSql();
  db = await server.createDatabase();
  await db.query(
    `
    CREATE EXTENSION citext;
    CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy', 'Happy');
    CREATE TABLE every_type (${COLUMNS});
    CREATE TABLE written (${COLUMNS});
    INSERT INTO every_type VALUES (
      1, 12, 345, 6789, 12.50, 1234.5600, 1.1, 0.1, true,
      '2026-01-02', '2026-01-02 03:04:05.123456', '2026-01-02 03:04:05.123456+03', '2026-01-02 03:04:05',
      '04:05:06.789', '04:05:06.789+03', '1 year 2 mons 3 days 04:05:06.789',
      'plain', 'varchar', 'ab', 'MiXeD', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '192.168.0.1/24',
      '{"big": 123456789012345678901234567890.123456789, "list": [1, 2.50, -0.0]}',
      '{"big": 123456789012345678901234567890.123456789, "list": [1, 2.50, -0.0]}',
      '\\x00ff10', 'happy',
      '{1,NULL,-3}', '{"a,b","c\\"d",NULL,"NULL",""," x ","\\\\"}', '{{1,-9223372036854775808},{9223372036854775807,NULL}}',
      '{"\\\\x00ff",NULL}', '{"2026-01-02 03:04:05.678901+00",NULL}', '{Happy,sad}'
    ), (
      2, -32768, -2147483648, -9223372036854775808, '-0.1234567890123456789012345678901234567890', 99999999.9999,
      '3.4028235e+38', '1.7976931348623157e+308', false,
      '0044-03-15 BC', '0001-01-01 00:00:00.000001', '1969-12-31 23:59:59.999999+00', '1900-01-01 00:00:00',
      '00:00:00', '23:59:59.999999-14', '-1 days -00:00:00.000001',
      :'tricky', '', 'abcde', '', '00000000-0000-0000-0000-000000000000', '::1',
      '[]', '"a string"', decode(:'all_bytes', 'hex'), 'sad',
      '{}', '{}', '{}', '{}', '{}', '{}'
    ), (
      3, 32767, 2147483647, 9223372036854775807,
      '123456789012345678901234567890.1234567890123456789012345678901234567890', -99999999.9999,
      '1e-45', '5e-324', true,
      '10000-01-01', '294276-12-31 23:59:59.999999', '294276-12-31 23:59:59.999999+00', '1970-01-01 00:00:00',
      '24:00:00', '00:00:00+00', '0', 'x', 'y', 'z', 'Z', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '10.0.0.0/8',
      '{"nested": {"deep": [true, false, null]}, "e": 1E+400}', '123456789012345678901234567890',
      '\\x', 'ok', '{0}', '{"é"}', '{{1}}', '{"\\\\x"}', '{"1970-01-01 00:00:00+00"}', '{}'
    ), (
      4, 0, 0, 0, 'NaN', 0, 'NaN', '-Infinity', false,
      'infinity', '-infinity', 'infinity', '-infinity',
      '12:00', '12:00+05:30', '1 day', 'x', 'x', 'x', 'x', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '10.0.0.1',
      'null', 'null', '\\x', 'ok', '{}', '{}', '{}', '{}', '{infinity}', '{}'
    ), (5, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
        NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
  `,
    { tricky: TRICKY_TEXT, all_bytes: ALL_BYTES.toString('hex') },
  );
  database = await plainPublicDatabase(pools, db);
  meta = await describeTable(database, 'public', 'every_type', 5_000);
});
test.after.always(async () => {
  await pools.closeAll();
  await server?.stop();
});

/** Reads one row and renders it as a record (JSON text), the way the engine will. */
async function record(id: number): Promise<string> {
  const names = meta.columns.map((column) => `"${column.name}"`).join(', ');
  const [row] = await database.execute<unknown[][]>(`SELECT ${names} FROM public.every_type WHERE id = $1`, [id], {
    rowsAsArray: true,
  });
  const fields = meta.columns.map(
    (column, index) => `${JSON.stringify(column.name)}:${renderValue(column, row![index])}`,
  );
  return `{${fields.join(',')}}`;
}

/** Field → its exact JSON text in the record. */
function fieldsOf(recordText: string): Record<string, string> {
  const value = readJson(recordText);
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !('keys' in value)) {
    throw new Error('not an object');
  }
  const result: Record<string, string> = {};
  value.keys.forEach((key, index) => {
    // readJson keeps numbers as source text; toJsonText prints them back digit for digit.
    result[key] = toJsonText(value.values[index]!);
  });
  return result;
}

test('the catalog classifies every column the values code distinguishes', (t) => {
  const kinds = Object.fromEntries(meta.columns.map((column) => [column.name, [column.kind, column.dataType]]));
  t.deepEqual(kinds, {
    id: ['int4', 'Integer'],
    c_int2: ['int2', 'Short'],
    c_int4: ['int4', 'Integer'],
    c_int8: ['int8', 'Long'],
    c_num: ['numeric', 'BigDecimal'],
    c_num_scaled: ['numeric', 'BigDecimal'],
    c_real: ['float4', 'Float'],
    c_double: ['float8', 'Double'],
    c_bool: ['boolean', 'Boolean'],
    c_date: ['date', 'Date'],
    c_ts: ['timestamp', 'DateTime'],
    c_tstz: ['timestamptz', 'DateTime'],
    c_ts0: ['timestamp', 'DateTime'],
    c_time: ['string', 'String'],
    c_timetz: ['string', 'String'],
    c_interval: ['string', 'String'],
    c_text: ['string', 'String'],
    c_varchar: ['string', 'String'],
    c_char: ['string', 'String'],
    c_citext: ['string', 'String'],
    c_uuid: ['string', 'String'],
    c_inet: ['string', 'String'],
    c_json: ['json', 'Struct'],
    c_jsonb: ['json', 'Struct'],
    c_bytea: ['bytea', 'ByteArray'],
    c_enum: ['enum', 'String'],
    c_int_arr: ['array', 'List'],
    c_text_arr: ['array', 'List'],
    c_int8_2d: ['array', 'List'],
    c_bytea_arr: ['array', 'List'],
    c_tstz_arr: ['array', 'List'],
    c_enum_arr: ['array', 'List'],
  });
  t.deepEqual(meta.columnsByName.get('c_enum')!.enumValues, ['sad', 'ok', 'happy', 'Happy']);
  t.deepEqual(meta.columnsByName.get('c_enum_arr')!.element!.enumValues, ['sad', 'ok', 'happy', 'Happy']);
  t.like(meta.columnsByName.get('c_num_scaled')!, { numericPrecision: 12, numericScale: 4 });
  t.like(meta.columnsByName.get('c_ts0')!, { timePrecision: 0 });
  t.like(meta.columnsByName.get('c_int8_2d')!.element!, { kind: 'int8', sqlType: 'int8' });
});

test('typical values render exactly', async (t) => {
  t.deepEqual(fieldsOf(await record(1)), {
    id: '1',
    c_int2: '12',
    c_int4: '345',
    c_int8: '6789',
    c_num: '12.50',
    c_num_scaled: '1234.5600',
    c_real: '1.1',
    c_double: '0.1',
    c_bool: 'true',
    c_date: '"2026-01-02"',
    c_ts: '"2026-01-02T03:04:05.123456Z"',
    // Written with +03, read in UTC whatever the server's time zone.
    c_tstz: '"2026-01-02T00:04:05.123456Z"',
    c_ts0: '"2026-01-02T03:04:05Z"',
    c_time: '"04:05:06.789"',
    c_timetz: '"04:05:06.789+03"',
    c_interval: '"1 year 2 mons 3 days 04:05:06.789"',
    c_text: '"plain"',
    c_varchar: '"varchar"',
    c_char: '"ab   "',
    c_citext: '"MiXeD"',
    c_uuid: '"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"',
    c_inet: '"192.168.0.1/24"',
    c_json: '{"big":123456789012345678901234567890.123456789,"list":[1,2.50,-0.0]}',
    // jsonb stores numbers as numeric, which has no negative zero.
    c_jsonb: '{"big":123456789012345678901234567890.123456789,"list":[1,2.50,0.0]}',
    c_bytea: '"AP8Q"',
    c_enum: '"happy"',
    c_int_arr: '[1,null,-3]',
    c_text_arr: '["a,b","c\\"d",null,"NULL",""," x ","\\\\"]',
    c_int8_2d: '[[1,-9223372036854775808],[9223372036854775807,null]]',
    c_bytea_arr: '["AP8=",null]',
    c_tstz_arr: '["2026-01-02T03:04:05.678901Z",null]',
    c_enum_arr: '["Happy","sad"]',
  });
});

test('edge values render exactly: integer bounds, 40 fraction digits, BC dates, microseconds, all 256 bytes', async (t) => {
  const fields = fieldsOf(await record(2));
  t.like(fields, {
    c_int2: '-32768',
    c_int4: '-2147483648',
    c_int8: '-9223372036854775808',
    c_num: '-0.1234567890123456789012345678901234567890',
    c_num_scaled: '99999999.9999',
    c_real: '3.4028235e+38',
    c_double: '1.7976931348623157e+308',
    c_bool: 'false',
    // 44 BC is ISO year -43 (1 BC is year 0).
    c_date: '"-0043-03-15"',
    c_ts: '"0001-01-01T00:00:00.000001Z"',
    c_tstz: '"1969-12-31T23:59:59.999999Z"',
    c_ts0: '"1900-01-01T00:00:00Z"',
    c_timetz: '"23:59:59.999999-14"',
    c_text: JSON.stringify(TRICKY_TEXT),
    c_varchar: '""',
    c_json: '[]',
    c_jsonb: '"a string"',
    c_bytea: JSON.stringify(ALL_BYTES.toString('base64')),
    c_int_arr: '[]',
  });
  const third = fieldsOf(await record(3));
  t.like(third, {
    c_int2: '32767',
    c_int4: '2147483647',
    c_int8: '9223372036854775807',
    c_num: '123456789012345678901234567890.1234567890123456789012345678901234567890',
    c_real: '1e-45',
    c_double: '5e-324',
    c_date: '"+10000-01-01"',
    c_ts: '"+294276-12-31T23:59:59.999999Z"',
    c_tstz: '"+294276-12-31T23:59:59.999999Z"',
    c_time: '"24:00:00"',
    c_json: '{"nested":{"deep":[true,false,null]},"e":1E+400}',
    c_jsonb: '123456789012345678901234567890',
    c_bytea: '""',
    c_int8_2d: '[[1]]',
    c_bytea_arr: '[""]',
  });
  // real: the server's shortest text is the float32 value's shortest round-trip text.
  for (const text of [fields.c_real!, third.c_real!, '1.1']) t.is(float32Text(Math.fround(Number(text))), text);
});

test('NaN, infinities and NULL render as null', async (t) => {
  t.like(fieldsOf(await record(4)), {
    c_num: 'null',
    c_real: 'null',
    c_double: 'null',
    c_date: 'null',
    c_ts: 'null',
    c_tstz: 'null',
    c_ts0: 'null',
    c_json: 'null',
    c_tstz_arr: '[null]',
  });
  const nulls = fieldsOf(await record(5));
  t.deepEqual(
    Object.entries(nulls).filter(([name, text]) => name !== 'id' && text !== 'null'),
    [],
  );
});

test('every value written back through the write conversion stores the same value', async (t) => {
  await database.execute('DELETE FROM public.written');
  for (const id of [1, 2, 3, 5]) {
    const value = readJson(await record(id));
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !('keys' in value)) throw new Error();
    const params = meta.columns.map((column, index) => {
      const source = column.name === 'id' ? readJson(String(id + 100)) : value.values[index]!;
      const converted = converter(column)(source);
      if (!converted.ok) throw new Error(converted.message);
      return converted.param;
    });
    const names = meta.columns.map((column) => `"${column.name}"`).join(', ');
    const placeholders = meta.columns.map((_, index) => `$${index + 1}`).join(', ');
    await database.execute(`INSERT INTO public.written (${names}) VALUES (${placeholders})`, params);
  }
  // Text comparison: numeric 12.50 and 12.5 are equal but not the same value for a user. json compares as jsonb
  // (json keeps its whitespace, which is not part of the value).
  const differing = await database.execute<{ id: number; name: string }[]>(
    `SELECT a.id, c.name
     FROM public.every_type a JOIN public.written b ON b.id = a.id + 100
     CROSS JOIN LATERAL (VALUES ${meta.columns
       .filter((column) => column.name !== 'id')
       .map((column) => {
         const cast = column.sqlType === 'json' ? '::jsonb::text' : '::text';
         return `('${column.name}', a."${column.name}"${cast}, b."${column.name}"${cast})`;
       })
       .join(', ')}) AS c(name, original, copy)
     WHERE c.original IS DISTINCT FROM c.copy
     ORDER BY a.id, c.name`,
  );
  t.deepEqual(differing, []);
  t.deepEqual(await database.execute('SELECT count(*)::int AS n FROM public.written'), [{ n: 4 }]);
});

const column = (name: string) => meta.columnsByName.get(name)!;
const convert = (name: string, json: string) => converter(column(name))(readJson(json));

test('writes refuse what would not be stored exactly, naming the field and never the value', (t) => {
  const refused = (name: string, json: string) => {
    const result = convert(name, json);
    if (result.ok) throw new Error(`expected ${name} to refuse`);
    return result.message;
  };
  t.is(
    refused('c_num_scaled', '1.23456'),
    'field "c_num_scaled" (numeric(12,4)) allows 4 fraction digits; the value has more (it would be rounded)',
  );
  t.true(convert('c_num_scaled', '1.23450000').ok, 'trailing zeros are not digits that would be lost');
  t.regex(refused('c_num_scaled', '123456789'), /allows at most 8 integer digits/);
  t.regex(refused('c_int2', '32768'), /expects an integer from -32768 to 32767; the value is out of range/);
  t.regex(refused('c_int8', '9223372036854775808'), /from -9223372036854775808 to 9223372036854775807/);
  t.like(convert('c_int8', '-9223372036854775808'), { ok: true, param: '-9223372036854775808' });
  t.regex(refused('c_int4', '1.5'), /expects an integer/);
  t.regex(refused('c_bool', '"yes"'), /expects a boolean/);
  t.is(
    refused('c_tstz', '"2026-01-02T03:04:05.1234567Z"'),
    'field "c_tstz" (timestamp with time zone) keeps 6 digits of a second\'s fraction; the value has more (it would be rounded)',
  );
  t.true(convert('c_tstz', '"2026-01-02T03:04:05.123456000Z"').ok);
  t.regex(refused('c_tstz', '"2026-02-30T00:00:00Z"'), /expects an ISO 8601 date-time/);
  t.regex(refused('c_enum', '"HAPPY"'), /expects one of 'sad', 'ok', 'happy', 'Happy'/);
  t.regex(refused('c_bytea', '"not base64!"'), /expects base64 text/);
  t.regex(refused('c_num', '"NaN"'), /expects a finite decimal number/);
  t.regex(refused('c_int_arr', '[1, 2.5]'), /field "c_int_arr" .* expects an integer/);
  t.regex(refused('id', 'null'), /field "id" \(integer\) does not allow null/);
});

test('timestamps with offsets are stored as the UTC instant; timestamp without zone gets the UTC wall time', async (t) => {
  const tstz = convert('c_tstz', '"2026-01-02T01:30:00.5+03:00"');
  const ts = convert('c_ts', '"2026-01-01T22:30:00.5-00:00"');
  const bcDate = convert('c_date', '"-0043-03-15"');
  const farTs = convert('c_ts', '"+294276-12-31T23:59:59.999999Z"');
  const crossesMidnight = convert('c_ts', '"2026-01-01T23:30:00-03:00"');
  t.like(tstz, { ok: true, param: '2026-01-01 22:30:00.500000+00' });
  t.like(ts, { ok: true, param: '2026-01-01 22:30:00.500000' });
  t.like(bcDate, { ok: true, param: '0044-03-15 BC' });
  t.like(farTs, { ok: true, param: '294276-12-31 23:59:59.999999' });
  t.like(crossesMidnight, { ok: true, param: '2026-01-02 02:30:00.000000' });
  const [row] = await database.execute<string[][]>(
    `SELECT $1::timestamptz::text, $2::timestamp::text, $3::date::text, $4::timestamp::text`,
    [
      (tstz as { param: string }).param,
      (ts as { param: string }).param,
      (bcDate as { param: string }).param,
      (farTs as { param: string }).param,
    ],
    { rowsAsArray: true },
  );
  t.deepEqual(row, [
    '2026-01-01 22:30:00.5+00',
    '2026-01-01 22:30:00.5',
    '0044-03-15 BC',
    '294276-12-31 23:59:59.999999',
  ]);
});

test('json keeps big numbers digit for digit; a JSON string stays a JSON string', async (t) => {
  const value = '{"n":123456789012345678901234567890.000000000000000000001,"s":"x"}';
  const converted = convert('c_jsonb', value);
  const asString = convert('c_jsonb', JSON.stringify(value));
  const [row] = await database.execute<string[][]>(
    'SELECT $1::jsonb::text, jsonb_typeof($2::jsonb)',
    [(converted as { param: string }).param, (asString as { param: string }).param],
    { rowsAsArray: true },
  );
  t.deepEqual(row, ['{"n": 123456789012345678901234567890.000000000000000000001, "s": "x"}', 'string']);
});
