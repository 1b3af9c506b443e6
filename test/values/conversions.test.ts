/**
 * What every engine's value converters share (handler/values/conversions.ts): refusals name the field and its
 * declared type, never the value; binary values travel as base64 (standard or URL-safe, padding optional but right).
 */
import test from 'ava';
import { accepted, convertBase64, fieldLabel, refusal, shapeRefusal } from '../../handler/values/conversions';
import { JsonNumber, JsonObject } from '../../handler/values/json';

const column = { name: 'photo', columnType: 'varbinary(16)' };
const notBase64 = {
  ok: false,
  message: 'field "photo" (varbinary(16)) expects base64 text; the value does not have that form',
};

function bytes(value: string): number[] | string {
  const converted = convertBase64(column, value);
  if (!converted.ok) return converted.message;
  return [...(converted.param as Buffer)];
}

test('accepted, fieldLabel and the refusals: exact shapes and words', (t) => {
  t.deepEqual(accepted('x'), { ok: true, param: 'x' });
  t.deepEqual(accepted(null), { ok: true, param: null });
  t.is(fieldLabel({ name: 'price', columnType: 'decimal(6,2)' }), 'field "price" (decimal(6,2))');
  t.deepEqual(refusal({ name: 'n', columnType: 'int' }, 'a number', 'secret'), {
    ok: false,
    message: 'field "n" (int) expects a number, got a string',
  });
  t.deepEqual(refusal({ name: 'n', columnType: 'int' }, 'a number', new JsonObject([], [])), {
    ok: false,
    message: 'field "n" (int) expects a number, got an object',
  });
  t.deepEqual(shapeRefusal({ name: 'd', columnType: 'date' }, 'a date (YYYY-MM-DD)'), {
    ok: false,
    message: 'field "d" (date) expects a date (YYYY-MM-DD); the value does not have that form',
  });
});

test('base64: standard and URL-safe alphabets, with or without padding, decode to the same bytes', (t) => {
  t.deepEqual(bytes(''), []);
  t.deepEqual(bytes('AA=='), [0]);
  t.deepEqual(bytes('AA'), [0]);
  t.deepEqual(bytes('AAE='), [0, 1]);
  t.deepEqual(bytes('AAE'), [0, 1]);
  t.deepEqual(bytes('AAEC'), [0, 1, 2]);
  t.deepEqual(bytes('+/+/'), [0xfb, 0xff, 0xbf]);
  t.deepEqual(bytes('-_-_'), [0xfb, 0xff, 0xbf]);
  t.deepEqual(bytes('-_8='), [0xfb, 0xff]);
  t.deepEqual(bytes('-w'), [0xfb]);
  t.deepEqual(bytes('_w=='), [0xff]);
  t.deepEqual(bytes('+w'), [0xfb]);
  t.deepEqual(bytes('/w=='), [0xff]);
  t.deepEqual(bytes('aGVsbG8gd29ybGQ='), [...Buffer.from('hello world')]);
  t.deepEqual(bytes('aGVsbG8gd29ybGQ'), [...Buffer.from('hello world')]);
});

test('base64: anything else is refused, naming the field, never the value', (t) => {
  for (const text of [
    'A',
    'AAAAA',
    'A===',
    'AA=',
    'AAE==',
    'AA===',
    '=',
    '==',
    'AA=A',
    '=AA',
    'AA AA',
    'AA\n',
    'AAE!',
    'A+_A',
    '-/AA',
    'AAAA=',
    'AAAAAA=',
    'AAAA====',
    'AA======',
    'AAAA===',
    'QUJD\u00e9',
  ]) {
    t.deepEqual(convertBase64(column, text), notBase64, JSON.stringify(text));
  }
  t.deepEqual(convertBase64(column, new JsonNumber('12')), {
    ok: false,
    message: 'field "photo" (varbinary(16)) expects base64 text, got a number',
  });
  t.deepEqual(convertBase64(column, null), {
    ok: false,
    message: 'field "photo" (varbinary(16)) expects base64 text, got null',
  });
  t.deepEqual(convertBase64(column, [true]), {
    ok: false,
    message: 'field "photo" (varbinary(16)) expects base64 text, got an array',
  });
});
