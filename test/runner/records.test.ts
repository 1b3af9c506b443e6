import test from 'ava';
import { csvCell } from '../../runner/output/csv';
import { joinRecord, plainValue, splitRecord } from '../../runner/records';
import { valueProblem } from '../../runner/recordTypes';

test('a record splits into fields that keep the exact text of every value', (t) => {
  const text =
    '{"id":18446744073709551615,"name":"a \\"b\\", c","doc":{"a": [1, 2.50, {"b": null}]},"n":null,"ok":true,"x":-1.5e3}';
  t.deepEqual(splitRecord(text), [
    { name: 'id', raw: '18446744073709551615' },
    { name: 'name', raw: '"a \\"b\\", c"' },
    { name: 'doc', raw: '{"a": [1, 2.50, {"b": null}]}' },
    { name: 'n', raw: 'null' },
    { name: 'ok', raw: 'true' },
    { name: 'x', raw: '-1.5e3' },
  ]);
  t.is(joinRecord(splitRecord(text)!), text);
  t.deepEqual(splitRecord(' { "a" : "}" , "b":[ "]" ] } '), [
    { name: 'a', raw: '"}"' },
    { name: 'b', raw: '[ "]" ]' },
  ]);
  t.deepEqual(splitRecord('{}'), []);
});

test('anything but a JSON object is not a record', (t) => {
  for (const text of ['[1]', 'null', '"x"', '{"a":', '', '1']) t.is(splitRecord(text), null, text);
});

test('plain values and CSV cells', (t) => {
  t.is(plainValue('"a\\nb"'), 'a\nb');
  t.is(plainValue('null'), null);
  t.is(plainValue('12345678901234567890.10'), '12345678901234567890.10');
  t.is(csvCell(null), '');
  t.is(csvCell(''), '""');
  t.is(csvCell('plain'), 'plain');
  t.is(csvCell('a,b'), '"a,b"');
  t.is(csvCell('say "hi"'), '"say ""hi"""');
  t.is(csvCell('line\r\nbreak'), '"line\r\nbreak"');
  t.is(csvCell(' pad'), '" pad"');
});

test('each value must be the JSON kind its dataType promises', (t) => {
  const fine: [Parameters<typeof valueProblem>[0], string][] = [
    ['String', '"x"'],
    ['BigInteger', '18446744073709551615'],
    ['BigDecimal', '-12.50'],
    ['Double', '1.5e-7'],
    ['Boolean', 'false'],
    ['Date', '"2024-02-29"'],
    ['DateTime', '"2024-03-01T10:15:30.123Z"'],
    ['DateTime', '"2024-03-01T10:15:30"'],
    ['DateTime', '"2024-03-01T10:15:30.250000+02:00"'],
    ['ByteArray', '"3q2+7w=="'],
    ['Struct', '[1, 2]'],
    ['Integer', 'null'],
  ];
  for (const [dataType, raw] of fine) t.is(valueProblem(dataType, raw), null, `${dataType} ${raw}`);
  t.is(valueProblem('Boolean', '1'), 'a JSON boolean (Boolean field)');
  t.is(valueProblem('Integer', '1.5'), 'a JSON integer (Integer field)');
  t.is(valueProblem('Integer', '"1"'), 'a JSON integer (Integer field)');
  t.is(valueProblem('String', '12'), 'a JSON string (String field)');
  t.is(valueProblem('DateTime', '"2024-03-01 10:15:30"'), 'an ISO-8601 date-time string (DateTime field)');
  t.is(valueProblem('Date', '"01/03/2024"'), 'a "YYYY-MM-DD" string (Date field)');
  t.is(valueProblem('ByteArray', '"not base64!"'), 'a base64 string (ByteArray field)');
});
