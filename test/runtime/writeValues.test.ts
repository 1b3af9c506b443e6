import test from 'ava';
import { type ColumnMeta, classifyColumn } from '../../handler/db/columns';
import { JsonNumber, JsonObject, readJson, toJsonText } from '../../handler/db/writeJson';
import { convertValue, parseExactDecimal } from '../../handler/db/writeValues';

function column(columnType: string, overrides: Partial<ColumnMeta> = {}): ColumnMeta {
  const sqlType = columnType.replace(/\(.*$/, '').split(' ')[0]!.toLowerCase();
  const { dataType, kind } = classifyColumn({ sqlType, columnType, isJson: sqlType === 'json' });
  return {
    name: 'f',
    sqlType,
    columnType,
    unsigned: /unsigned/.test(columnType),
    nullable: true,
    defaultValue: null,
    defaultedOnCreate: true,
    autoIncrement: false,
    generated: false,
    maxLength: null,
    numericScale: null,
    enumValues: null,
    comment: null,
    dataType,
    kind,
    primaryKey: false,
    uniqueKey: false,
    ...overrides,
  };
}

const convert = (columnType: string, json: string, overrides: Partial<ColumnMeta> = {}) =>
  convertValue(column(columnType, overrides), readJson(json));

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
  t.deepEqual(convert("enum('a','b')", '"B"', { enumValues: ['a', 'b'] }), { ok: true, param: 'b' });
  t.deepEqual(convert('json', '{"n": 1.10}'), { ok: true, param: '{"n":1.10}' });
  t.deepEqual(convert('blob', '"AQID"'), { ok: true, param: Buffer.from([1, 2, 3]) });
  t.deepEqual(convert('blob', '"_-8"'), { ok: true, param: Buffer.from([0xff, 0xef]) });
  t.false(convert('blob', '"AQI=A"').ok);
  t.false(convert('blob', '"A"').ok);
  t.deepEqual(convert('date', '"2024-02-29T00:00:00.000-05:00"'), { ok: true, param: '2024-02-29' });
  t.false(convert('date', '"2024-02-29T01:00:00Z"').ok);
  t.false(convert('date', '"2023-02-29"').ok);
  t.deepEqual(convert('datetime(6)', '"2024-01-01T01:30:00.1234567+02:00"'), {
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
