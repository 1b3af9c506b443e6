import test from 'ava';
import type { MySqlColumn as ColumnMeta } from '../../handler/engines/mysql/columns';
import { convertValue, parseExactDecimal, valuePlaceholder } from '../../handler/engines/mysql/values';
import { JsonNumber, JsonObject, readJson, toJsonText } from '../../handler/values/json';
import { mysqlColumn } from '../support/mysqlColumns';

/** The message of a refused conversion ("" when it was accepted). */
const refusal = (result: ReturnType<typeof convertValue>) => (result.ok ? '' : result.message);

const convert = (columnType: string, json: string, overrides: Partial<ColumnMeta> = {}) =>
  convertValue(mysqlColumn(columnType, overrides), readJson(json));

test('the JSON reader keeps number text exactly and refuses what JSON.parse refuses', (t) => {
  const value = readJson('{"a":18446744073709551615,"b":[1.50e+3,-0.0,{"c":null}],"__proto__":"x"}');
  t.true(value instanceof JsonObject);
  t.is(toJsonText(value), '{"a":18446744073709551615,"b":[1.50e+3,-0.0,{"c":null}],"__proto__":"x"}');
  t.deepEqual(readJson('"\\u00e9\\n\\"\\/"'), 'é\n"/');
  t.deepEqual(readJson(' [ ] '), []);
  for (const bad of [
    '',
    '{',
    '{"a":1,}',
    '[01]',
    '1.',
    '.5',
    "{'a':1}",
    'NaN',
    '"\u0001"',
    '{"a":1}x',
    '{"a":1,"a":2}',
    '"\\x"',
  ]) {
    t.throws(() => readJson(bad), undefined, JSON.stringify(bad));
    if (bad !== '{"a":1,"a":2}')
      t.throws(() => JSON.parse(bad), undefined, `JSON.parse agrees on ${JSON.stringify(bad)}`);
  }
  t.throws(() => readJson('['.repeat(600) + ']'.repeat(600)), { message: /nesting/ });
});

test('exact decimals expand exponents without going through a double', (t) => {
  t.deepEqual(parseExactDecimal('1.50e+3'), { negative: false, integer: '1500', fraction: '' });
  t.deepEqual(parseExactDecimal('-0.000'), { negative: false, integer: '', fraction: '' });
  t.deepEqual(parseExactDecimal('12345678901234567890.123456789012345678901e-2'), {
    negative: false,
    integer: '123456789012345678',
    fraction: '90123456789012345678901',
  });
  t.is(parseExactDecimal('1e999999'), null);
  t.is(parseExactDecimal('abc'), null);
});

test('integers are checked against the column type range and bound as exact text', (t) => {
  t.deepEqual(convert('bigint(20) unsigned', '18446744073709551615'), { ok: true, param: '18446744073709551615' });
  t.false(convert('bigint(20) unsigned', '18446744073709551616').ok);
  t.false(convert('bigint(20) unsigned', '-1').ok);
  t.deepEqual(convert('bigint(20)', '"-9223372036854775808"'), { ok: true, param: '-9223372036854775808' });
  t.deepEqual(convert('int(11)', '4.2e1'), { ok: true, param: '42' });
  t.deepEqual(convert('tinyint(4)', '-128'), { ok: true, param: '-128' });
  t.false(convert('tinyint(4)', '128').ok);
  t.false(convert('int(11)', '1.5').ok);
  t.false(convert('int(11)', '"1.0"').ok);
  t.false(convert('int(11)', 'true').ok);
});

test('other kinds convert as documented', (t) => {
  t.deepEqual(convert('decimal(65,30)', '1e-30'), { ok: true, param: '0.000000000000000000000000000001' });
  t.deepEqual(convert('double', '"2.5"'), { ok: true, param: 2.5 });
  t.deepEqual(convert('tinyint(1)', '"TRUE"'), { ok: true, param: 1 });
  t.false(convert('tinyint(1)', '2').ok);
  t.deepEqual(convert('varchar(10)', '12345678901234567890'), { ok: true, param: '12345678901234567890' });
  // Bound as written: the server matches ENUM values under the column's collation (test/engines/mysql/roundTrip.test.ts, fractions).
  t.deepEqual(convert("enum('a','b')", '"B"', { enumValues: ['a', 'b'] }), { ok: true, param: 'B' });
  t.deepEqual(convert("enum('a','A')", '"A"', { enumValues: ['a', 'A'] }), { ok: true, param: 'A' });
  t.deepEqual(convert("set('x','X')", '"X,x"'), { ok: true, param: 'X,x' });
  t.deepEqual(convert('json', '{"n": 1.10}'), { ok: true, param: '{"n":1.10}' });
  t.deepEqual(convert('blob', '"AQID"'), { ok: true, param: Buffer.from([1, 2, 3]) });
  t.deepEqual(convert('blob', '"_-8"'), { ok: true, param: Buffer.from([0xff, 0xef]) });
  t.false(convert('blob', '"AQI=A"').ok);
  t.false(convert('blob', '"A"').ok);
  t.deepEqual(convert('date', '"2024-02-29T00:00:00.000-05:00"'), { ok: true, param: '2024-02-29' });
  t.false(convert('date', '"2024-02-29T01:00:00Z"').ok);
  t.false(convert('date', '"2023-02-29"').ok);
  t.deepEqual(convert('datetime(6)', '"2024-01-01T01:30:00.1234560+02:00"', { timePrecision: 6 }), {
    ok: true,
    param: '2023-12-31 23:30:00.123456',
  });
  t.deepEqual(convert('datetime', '"2024-01-01 10:00:00"'), { ok: true, param: '2024-01-01 10:00:00.000000' });
  t.deepEqual(convert('datetime', '"2024-01-01T10:00:00-0330"'), { ok: true, param: '2024-01-01 13:30:00.000000' });
  t.false(convert('datetime', '1700000000000').ok);
  t.false(convert('timestamp', '"2040-01-01T00:00:00Z"').ok);
  t.deepEqual(convert('time', '"-838:59:59"'), { ok: true, param: '-838:59:59' });
  t.false(convert('time', '"839:00:00"').ok);
  t.deepEqual(convert('year(4)', '2024'), { ok: true, param: '2024' });
  t.false(convert('year(4)', '1800').ok);
  t.deepEqual(convert('point', '"POINT(1 2)"'), { ok: true, param: 'POINT(1 2)' });
  t.false(convert('point', '"1 2"').ok);
  t.deepEqual(convert('int(11)', 'null'), { ok: true, param: null });
  t.deepEqual(convert('int(11)', 'null', { nullable: false }), {
    ok: false,
    message: 'field "f" does not accept null',
  });
});

test('refusals name the field and the expected type, never the value', (t) => {
  const secret = 'hunter2-SECRET';
  for (const [type, json] of [
    ['int(11)', `"${secret}"`],
    ['date', `"${secret}"`],
    ['datetime', `"${secret}"`],
    ['blob', `"${secret}!"`],
    ['time', `"${secret}"`],
    ["enum('a')", `"${secret}"`],
    ['decimal(10,2)', `"${secret}"`],
  ] as const) {
    const result = convert(type, json, type.startsWith('enum') ? { enumValues: ['a'] } : {});
    t.false(result.ok);
    if (!result.ok) {
      t.regex(result.message, /^field "f"/);
      t.false(result.message.includes(secret));
    }
  }
  t.true(new JsonNumber('1') instanceof JsonNumber);
});

test('the JSON reader checks duplicate keys and reads keys exactly across records with the same keys', (t) => {
  const keys = (text: string) => {
    const value = readJson(text);
    return value instanceof JsonObject ? [...value.entries.keys()] : null;
  };
  t.deepEqual(keys('{"a":1,"b":2}'), ['a', 'b']);
  t.deepEqual(keys('{"a":3,"b":4}'), ['a', 'b']);
  t.throws(() => readJson('{"a":1,"a":2}'), { message: /appears twice/ });
  t.throws(() => readJson('{"a":1,"b":2,"a":3}'), { message: /appears twice/ });
  t.throws(() => readJson('{"b":1,"a":2,"b":3}'), { message: /appears twice/ });
  t.throws(() => readJson('{"a":1,"\\u0061":2}'), { message: /appears twice/ });
  t.deepEqual(keys('{"\\u0061":1,"b":2}'), ['a', 'b']);
  t.deepEqual(keys('{"ab":1,"b":2}'), ['ab', 'b']);
  t.deepEqual(keys('{"a":1,"bc":2}'), ['a', 'bc']);
  t.deepEqual(keys('{"a\\"b":1}'), ['a"b']);
  t.throws(() => readJson('{"a"b":1}'));
  t.deepEqual(keys('{"a":{"a":1},"b":[{"b":2}]}'), ['a', 'b']);
  // Inside a value, duplicate keys are kept as written (a PostgreSQL json value may hold them: written back as read).
  t.is(toJsonText(readJson('{"a":{"x":1,"x":2},"b":2}')), '{"a":{"x":1,"x":2},"b":2}');
  const many = Array.from({ length: 40 }, (_, index) => `"k${index}":${index}`);
  t.is(keys(`{${many.join(',')}}`)!.length, 40);
  t.throws(() => readJson(`{${many.join(',')},"k3":1}`), { message: /appears twice/ });
  t.throws(() => readJson(`{${many.slice(0, 30).join(',')},"k0":1}`), { message: /appears twice/ });
  t.is(toJsonText(readJson('{"n":-0.50e-0,"m":[1E+2]}')), '{"n":-0.50e-0,"m":[1E+2]}');
});

test('common value forms (fast paths) convert exactly as the general rules say', (t) => {
  t.deepEqual(convert('int(11)', '2147483647'), { ok: true, param: '2147483647' });
  t.false(convert('int(11)', '2147483648').ok);
  t.false(convert('int(11)', '-2147483649').ok);
  t.deepEqual(convert('int(11)', '"+5"'), { ok: true, param: '5' });
  t.deepEqual(convert('int(11)', '"007"'), { ok: true, param: '7' });
  t.deepEqual(convert('int(11)', '-0'), { ok: true, param: '0' });
  t.false(convert('int(11)', '" 5"').ok);
  t.deepEqual(convert('tinyint(3) unsigned', '255'), { ok: true, param: '255' });
  t.false(convert('tinyint(3) unsigned', '256').ok);
  t.false(convert('bigint(20) unsigned', '-5').ok);
  t.deepEqual(convert('bigint(20) unsigned', '-0'), { ok: true, param: '0' });
  t.deepEqual(convert('bigint(20)', '-999999999999999'), { ok: true, param: '-999999999999999' });
  t.deepEqual(convert('decimal(12,2)', '1.50'), { ok: true, param: '1.5' });
  t.deepEqual(convert('decimal(12,2)', '-0.00'), { ok: true, param: '0' });
  t.deepEqual(convert('decimal(12,2)', '0.5'), { ok: true, param: '0.5' });
  t.deepEqual(convert('decimal(12,2)', '10'), { ok: true, param: '10' });
  t.deepEqual(convert('decimal(12,2)', '-12.340'), { ok: true, param: '-12.34' });
  t.deepEqual(convert('decimal(12,2)', '"007.50"'), { ok: true, param: '7.5' });
  t.deepEqual(convert('double', '-12.5'), { ok: true, param: -12.5 });
  t.false(convert('double', `1${'0'.repeat(400)}`).ok);
  t.false(convert('double', '1e400').ok);
  t.deepEqual(convert('datetime(6)', '"2024-02-29T10:00:00.1234560Z"', { timePrecision: 6 }), {
    ok: true,
    param: '2024-02-29 10:00:00.123456',
  });
  t.false(convert('datetime(6)', '"2024-02-29T10:00:00.1234567Z"', { timePrecision: 6 }).ok);
  t.deepEqual(convert('datetime(6)', '"2024-01-01t10:00:00,5z"', { timePrecision: 6 }), {
    ok: true,
    param: '2024-01-01 10:00:00.500000',
  });
  t.deepEqual(convert('datetime(3)', '"2024-01-01 10:00:00.123"', { timePrecision: 3 }), {
    ok: true,
    param: '2024-01-01 10:00:00.123000',
  });
  t.deepEqual(convert('datetime', '" 2024-01-01T10:00:00Z "'), { ok: true, param: '2024-01-01 10:00:00.000000' });
  t.false(convert('datetime', '"2023-02-29T10:00:00Z"').ok);
  t.false(convert('datetime', '"2024-04-31T10:00:00Z"').ok);
  t.false(convert('datetime', '"2024-01-01T24:00:00Z"').ok);
  t.false(convert('datetime', '"2024-01-01T10:00:00."').ok);
  t.false(convert('datetime', '"2024-01-01T10:00:00.1234567890Z"').ok);
  t.deepEqual(convert('datetime', '"0999-12-31T23:59:59Z"'), { ok: true, param: '0999-12-31 23:59:59.000000' });
  t.false(convert('datetime', '"-0001-12-31T23:59:59Z"').ok);
  t.false(convert('timestamp(6)', '"1970-01-01T00:00:00Z"', { timePrecision: 6 }).ok);
  t.deepEqual(convert('timestamp(6)', '"2038-01-19T03:14:07.999999Z"', { timePrecision: 6 }), {
    ok: true,
    param: '2038-01-19 03:14:07.999999',
  });
  t.false(convert('timestamp(6)', '"2038-01-19T03:14:08Z"', { timePrecision: 6 }).ok);
  t.deepEqual(convert('date', '"2024-02-29"'), { ok: true, param: '2024-02-29' });
  t.false(convert('date', '"2100-02-29"').ok);
  t.deepEqual(convert('date', '"0999-01-01"'), { ok: true, param: '0999-01-01' });
  t.deepEqual(convert('date', '"2000-02-29"'), { ok: true, param: '2000-02-29' });
  t.deepEqual(convert("enum('a','Bb')", '"bB  "', { enumValues: ['a', 'Bb'] }), { ok: true, param: 'bB  ' });
});

test("fraction digits and a float's scale are the catalog's facts (timePrecision, numericScale)", (t) => {
  // The catalog reads DATETIME_PRECISION and NUMERIC_SCALE from information_schema; the value code uses those facts.
  t.deepEqual(convert('datetime(3)', '"2024-01-01T10:00:00.123Z"', { timePrecision: 3 }), {
    ok: true,
    param: '2024-01-01 10:00:00.123000',
  });
  t.regex(
    refusal(convert('datetime(3)', '"2024-01-01T10:00:00.1234Z"', { timePrecision: 3 })),
    /keeps 3 digits of a second's fraction/,
  );
  t.regex(refusal(convert('time', '"10:00:00.5"', { timePrecision: 0 })), /keeps 0 digits/);
  t.deepEqual(convert('time(1)', '"10:00:00.5"', { timePrecision: 1 }), { ok: true, param: '10:00:00.5' });
  t.deepEqual(convert('double(10,2)', '1.23', { numericScale: 2 }), { ok: true, param: 1.23 });
  t.regex(refusal(convert('double(10,2)', '1.239', { numericScale: 2 })), /allows 2 digits after the decimal point/);
  t.regex(refusal(convert('float(7,3)', '"0.0015"', { numericScale: 3 })), /allows 3 digits/);
  t.deepEqual(convert('double', '1.239', { numericScale: null }), { ok: true, param: 1.239 });
});

test('a spatial value is written with the column SRID when the catalog knows it', (t) => {
  t.is(valuePlaceholder({ ...mysqlColumn('point'), srid: 4326 }), 'ST_GeomFromText(?, 4326)');
  t.is(valuePlaceholder({ ...mysqlColumn('point'), srid: 0 }), 'ST_GeomFromText(?)');
  t.is(valuePlaceholder(mysqlColumn('geometry')), 'ST_GeomFromText(?)');
  t.is(valuePlaceholder({ ...mysqlColumn('point'), srid: 1.5 }), 'ST_GeomFromText(?)');
  t.is(valuePlaceholder({ ...mysqlColumn('int(11)'), srid: 4326 }), '?');
});
