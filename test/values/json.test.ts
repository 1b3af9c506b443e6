/**
 * The exact JSON reader for WriteData records (handler/values/json.ts): numbers kept as their source text (every
 * digit of a BIGINT UNSIGNED or a long DECIMAL reaches the database), object keys in order, strict RFC 8259, a
 * record's field named twice refused, and error messages that give a position and what was expected, never the
 * text around it.
 */
import test from 'ava';
import {
  JsonNumber,
  JsonObject,
  JsonSyntaxError,
  type JsonValue,
  jsonTypeName,
  readJson,
  toJsonText,
} from '../../handler/values/json';

/** The reader's value as plain data: numbers as `{ n: text }`, objects as `[key, value]` pairs in order. */
function plain(value: JsonValue): unknown {
  if (value instanceof JsonNumber) return { n: value.text };
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof JsonObject) return value.keys.map((key, index) => [key, plain(value.values[index]!)]);
  return value;
}

function syntaxError(t: import('ava').ExecutionContext, text: string, message: string): void {
  const error = t.throws(() => readJson(text), { instanceOf: JsonSyntaxError }, text);
  t.is(error?.message, message, text);
  t.is(error?.name, 'JsonSyntaxError');
}

test('numbers keep their source text, every digit', (t) => {
  for (const text of [
    '0',
    '-0',
    '7',
    '18446744073709551615',
    '-9223372036854775808',
    '0.1',
    '-0.000000000000000000001',
    '123456789012345678901234567890.123456789012345678901234567890',
    '1e5',
    '1E5',
    '1e+5',
    '1E-5',
    '-1.5e-300',
    '2.50',
    '10',
    '9',
  ]) {
    const value = readJson(text);
    t.true(value instanceof JsonNumber, text);
    t.is((value as JsonNumber).text, text);
    t.is(toJsonText(value), text);
  }
  t.deepEqual(plain(readJson(' \t\r\n-12.5e3 \n')), { n: '-12.5e3' });
});

test('literals, strings, arrays and objects', (t) => {
  t.is(readJson('true'), true);
  t.is(readJson('false'), false);
  t.is(readJson('null'), null);
  t.is(readJson('""'), '');
  t.is(readJson('"plain text é 😀"'), 'plain text é 😀');
  t.deepEqual(plain(readJson('[]')), []);
  t.deepEqual(plain(readJson('[ ]')), []);
  t.deepEqual(plain(readJson('{}')), []);
  t.deepEqual(plain(readJson('{ }')), []);
  t.deepEqual(plain(readJson(' [ 1 , "a" , [ ] , { } , true , null ] ')), [{ n: '1' }, 'a', [], [], true, null]);
  t.deepEqual(plain(readJson('{"b":1,"a":[2,{"c":false}],"d":"x"}')), [
    ['b', { n: '1' }],
    ['a', [{ n: '2' }, [['c', false]]]],
    ['d', 'x'],
  ]);
  t.deepEqual(plain(readJson(' { "k" : 1 , "l" : 2 } ')), [
    ['k', { n: '1' }],
    ['l', { n: '2' }],
  ]);
});

test('string escapes are decoded, each one', (t) => {
  t.is(readJson('"\\"\\\\\\/\\b\\f\\n\\r\\t"'), '"\\/\b\f\n\r\t');
  t.is(readJson('"a\\u0041b\\u00e9\\u00E9\\ud83d\\ude00z"'), 'aAbéé😀z');
  t.is(readJson('"\\u0041"'), 'A');
  t.is(readJson('"x\\ny"'), 'x\ny');
  t.is(readJson('"\\n"'), '\n');
  t.is(readJson('"ab\\tcd\\"ef"'), 'ab\tcd"ef');
  t.is(readJson('"\\uD83D\\uDE00"'), '😀');
  t.is(readJson('"\\u004a\\u004A"'), 'JJ');
  t.is(readJson('"\\u00ff"'), 'ÿ');
});

test('JsonObject: get and entries', (t) => {
  const object = readJson('{"a":1,"b":null,"c":"x"}') as JsonObject;
  t.deepEqual(plain(object.get('a')!), { n: '1' });
  t.is(object.get('b'), null);
  t.is(object.get('c'), 'x');
  t.is(object.get('z'), undefined);
  t.is(object.get('constructor'), undefined);
  const entries = object.entries;
  t.deepEqual([...entries.keys()], ['a', 'b', 'c']);
  t.is(entries.get('c'), 'x');
  t.is(entries.get('b'), null);
  t.is(object.entries, entries, 'built once');
  t.deepEqual([...(readJson('{}') as JsonObject).entries], []);
});

test('toJsonText writes compact JSON, numbers exactly as written, keys in order', (t) => {
  t.is(toJsonText(null), 'null');
  t.is(toJsonText(true), 'true');
  t.is(toJsonText(false), 'false');
  t.is(toJsonText('a"b\n'), '"a\\"b\\n"');
  t.is(toJsonText(readJson('[]')), '[]');
  t.is(toJsonText(readJson('{}')), '{}');
  t.is(toJsonText(readJson('[ 1 , 2.50 ]')), '[1,2.50]');
  t.is(
    toJsonText(readJson(' { "z" : 18446744073709551615 , "a" : [ true , { } , "\\u0041" ] , "m" : { "x" : 1e5 } } ')),
    '{"z":18446744073709551615,"a":[true,{},"A"],"m":{"x":1e5}}',
  );
  t.is(toJsonText(readJson('{"a":1}')), '{"a":1}');
});

test('jsonTypeName names the type, never the value', (t) => {
  t.is(jsonTypeName(null), 'null');
  t.is(jsonTypeName(true), 'a boolean');
  t.is(jsonTypeName(false), 'a boolean');
  t.is(jsonTypeName('secret'), 'a string');
  t.is(jsonTypeName(''), 'a string');
  t.is(jsonTypeName(new JsonNumber('1')), 'a number');
  t.is(jsonTypeName([]), 'an array');
  t.is(jsonTypeName(new JsonObject([], [])), 'an object');
});

test('strict RFC 8259: each departure refused with the position and what was expected', (t) => {
  syntaxError(t, '', 'expected a JSON value at position 0, found the end of the input');
  syntaxError(t, '   ', 'expected a JSON value at position 3, found the end of the input');
  syntaxError(t, '01', 'expected end of input at position 1, found another character');
  syntaxError(t, '-01', 'expected end of input at position 2, found another character');
  syntaxError(t, '1.', 'expected end of input at position 1, found another character');
  syntaxError(t, '1.e5', 'expected end of input at position 1, found another character');
  syntaxError(t, '.5', 'expected a JSON value at position 0, found another character');
  // A number's errors give the position where it starts.
  syntaxError(t, '-', 'expected a JSON value at position 0, found another character');
  syntaxError(t, '-a', 'expected a JSON value at position 0, found another character');
  syntaxError(t, '+1', 'expected a JSON value at position 0, found another character');
  syntaxError(t, '1e', 'expected end of input at position 1, found another character');
  syntaxError(t, '1e+', 'expected end of input at position 1, found another character');
  syntaxError(t, '1E-x', 'expected end of input at position 1, found another character');
  syntaxError(t, '1.5e', 'expected end of input at position 3, found another character');
  syntaxError(t, '12a', 'expected end of input at position 2, found another character');
  syntaxError(t, 'NaN', 'expected a JSON value at position 0, found another character');
  syntaxError(t, 'Infinity', 'expected a JSON value at position 0, found another character');
  syntaxError(t, '-Infinity', 'expected a JSON value at position 0, found another character');
  syntaxError(t, '/', 'expected a JSON value at position 0, found another character');
  syntaxError(t, ':', 'expected a JSON value at position 0, found another character');
  syntaxError(t, 'tru', 'expected a JSON value at position 0, found another character');
  syntaxError(t, 'True', 'expected a JSON value at position 0, found another character');
  syntaxError(t, 'fals', 'expected a JSON value at position 0, found another character');
  syntaxError(t, 'nul', 'expected a JSON value at position 0, found another character');
  syntaxError(t, 'nulll', 'expected end of input at position 4, found another character');
  syntaxError(t, 'true false', 'expected end of input at position 5, found another character');
  syntaxError(t, '[1,]', 'expected a JSON value at position 3, found another character');
  syntaxError(t, '[1 2]', 'expected "," or "]" at position 3, found another character');
  syntaxError(t, '[1', 'expected "," or "]" at position 2, found the end of the input');
  syntaxError(t, '[', 'expected a JSON value at position 1, found the end of the input');
  syntaxError(t, '[,1]', 'expected a JSON value at position 1, found another character');
  syntaxError(t, '{"a":1,}', 'expected a property name in double quotes at position 7, found another character');
  syntaxError(t, "{'a':1}", 'expected a property name in double quotes at position 1, found another character');
  syntaxError(t, '{a:1}', 'expected a property name in double quotes at position 1, found another character');
  syntaxError(t, '{', 'expected a property name in double quotes at position 1, found the end of the input');
  syntaxError(t, '{"a" 1}', 'expected ":" at position 5, found another character');
  syntaxError(t, '{"a"', 'expected ":" at position 4, found the end of the input');
  syntaxError(t, '{"a":}', 'expected a JSON value at position 5, found another character');
  syntaxError(t, '{"a":1 "b":2}', 'expected "," or "}" at position 7, found another character');
  syntaxError(t, '{"a":1', 'expected "," or "}" at position 6, found the end of the input');
  syntaxError(t, '{"a":1]', 'expected "," or "}" at position 6, found another character');
  syntaxError(t, '[1}', 'expected "," or "]" at position 2, found another character');
  syntaxError(t, '{"a":1} /* c */', 'expected end of input at position 8, found another character');
  syntaxError(t, '"abc', 'expected a closing quote at position 4, found the end of the input');
  syntaxError(t, '"', 'expected a closing quote at position 1, found the end of the input');
  syntaxError(t, '"a\\"', 'expected a closing quote at position 4, found the end of the input');
  syntaxError(t, '"a\nb"', 'expected an escaped control character at position 2, found another character');
  syntaxError(t, '"\u001f"', 'expected an escaped control character at position 1, found another character');
  syntaxError(t, '"\t"', 'expected an escaped control character at position 1, found another character');
  syntaxError(t, '"a\\x"', 'expected a valid escape sequence at position 2, found another character');
  syntaxError(t, '"\\\'"', 'expected a valid escape sequence at position 1, found another character');
  syntaxError(t, '"\\', 'expected a valid escape sequence at position 1, found another character');
  syntaxError(t, '"ab\\u12"', 'expected four hex digits after \\u at position 3, found another character');
  syntaxError(t, '"\\u12g4"', 'expected four hex digits after \\u at position 1, found another character');
  syntaxError(t, '"\\u 123"', 'expected four hex digits after \\u at position 1, found another character');
  syntaxError(t, '"\\u123', 'expected four hex digits after \\u at position 1, found another character');
  syntaxError(t, '"\\u00411', 'expected a closing quote at position 8, found the end of the input');
  syntaxError(t, '"\\n', 'expected a closing quote at position 3, found the end of the input');
  // Whitespace is space, tab, line feed and carriage return only.
  syntaxError(t, '\u00a01', 'expected a JSON value at position 0, found another character');
  syntaxError(t, '\v1', 'expected a JSON value at position 0, found another character');
  syntaxError(t, '1\f', 'expected end of input at position 1, found another character');
});

test('a message never quotes the text around the error', (t) => {
  const error = t.throws(() => readJson('{"card":"4111 1111 1111 1111" "x"}'), { instanceOf: JsonSyntaxError });
  t.false(error!.message.includes('4111'));
});

test('nesting up to 512 levels is read, deeper is refused', (t) => {
  const arrays = (n: number): string => '['.repeat(n) + ']'.repeat(n);
  t.notThrows(() => readJson(arrays(513)));
  syntaxError(t, arrays(514), 'nesting deeper than 512 levels');
  const objects = (n: number): string => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
  t.notThrows(() => readJson(objects(512)));
  syntaxError(t, objects(513), 'nesting deeper than 512 levels');
});

test("a record's field named twice is refused, naming it; nested objects keep duplicate keys", (t) => {
  syntaxError(t, '{"a":1,"a":2}', 'property "a" appears twice');
  syntaxError(t, '{"a":1,"b":2,"a":3}', 'property "a" appears twice');
  syntaxError(t, '{"a":1,"\\u0061":2}', 'property "a" appears twice');
  const long = 'k'.repeat(100);
  syntaxError(t, `{"${long}":1,"${long}":2}`, `property "${'k'.repeat(64)}" appears twice`);
  t.deepEqual(plain(readJson('{"o":{"a":1,"a":2},"l":[{"x":1,"x":2}]}')), [
    [
      'o',
      [
        ['a', { n: '1' }],
        ['a', { n: '2' }],
      ],
    ],
    [
      'l',
      [
        [
          ['x', { n: '1' }],
          ['x', { n: '2' }],
        ],
      ],
    ],
  ]);
});

/** An object text of `keys`, each with its position as value. */
function record(keys: readonly string[]): string {
  return `{${keys.map((key, index) => `"${key}":${index}`).join(',')}}`;
}

test('duplicates are found however many fields a record has (beyond the linear check too)', (t) => {
  const many = Array.from({ length: 40 }, (_, index) => `f${index}`);
  for (const at of [1, 15, 16, 17, 39]) {
    for (const of of [0, 14, 15, 16, at - 1]) {
      if (of >= at) continue;
      const keys = [...many.slice(0, at), many[of]!];
      syntaxError(t, record(keys), `property "${many[of]}" appears twice`);
    }
  }
  t.deepEqual((readJson(record(many)) as JsonObject).keys, many);
  syntaxError(t, record([...many, 'f39']), 'property "f39" appears twice');
  syntaxError(t, record([...many, 'x', 'x']), 'property "x" appears twice');
  syntaxError(t, record([...many, 'x', 'y', 'x']), 'property "x" appears twice');
});

test('records in a row: keys reused from the record before are still checked and read exactly', (t) => {
  const sequence: [string, string[] | string][] = [
    [record(['a', 'b', 'c']), ['a', 'b', 'c']],
    [record(['a', 'b', 'c']), ['a', 'b', 'c']],
    // Same first keys, then a repeat of one of them.
    [record(['a', 'b', 'a']), 'property "a" appears twice'],
    [record(['a', 'a']), 'property "a" appears twice'],
    [record(['a', 'b', 'c']), ['a', 'b', 'c']],
    // A prefix of the keys before, then the same record again, then longer.
    [record(['a', 'b']), ['a', 'b']],
    [record(['a', 'b']), ['a', 'b']],
    [record(['a', 'b', 'c']), ['a', 'b', 'c']],
    [record(['a', 'b', 'c', 'b']), 'property "b" appears twice'],
    [record(['a', 'b', 'c', 'd']), ['a', 'b', 'c', 'd']],
    [record(['a', 'b', 'c']), ['a', 'b', 'c']],
    [record(['b', 'a', 'c']), ['b', 'a', 'c']],
    [record(['b', 'a', 'b']), 'property "b" appears twice'],
    [record(['a', 'b', 'b']), 'property "b" appears twice'],
    [record(['x', 'b', 'c', 'c']), 'property "c" appears twice'],
    [record(['ab', 'b']), ['ab', 'b']],
    [record(['a', 'bc']), ['a', 'bc']],
    [record(['a', 'b']), ['a', 'b']],
    [record(['a', 'b', 'c']), ['a', 'b', 'c']],
    [record(['a', 'c', 'c']), 'property "c" appears twice'],
    [record(['a', 'b', 'c']), ['a', 'b', 'c']],
    [record(['a', 'b', 'a', 'b']), 'property "a" appears twice'],
  ];
  for (const [text, expected] of sequence) {
    if (typeof expected === 'string') syntaxError(t, text, expected);
    else t.deepEqual((readJson(text) as JsonObject).keys, expected, text);
  }
});

test('records in a row with escaped keys: the escaped text is never taken for the plain key', (t) => {
  // A key written with an escape is not remembered as plain text: the next record's text is read afresh.
  t.deepEqual((readJson('{"a\\"b":1,"c":2}') as JsonObject).keys, ['a"b', 'c']);
  syntaxError(t, '{"a"b":1,"c":2}', 'expected ":" at position 4, found another character');
  t.deepEqual((readJson('{"x":0,"a\\"b":1}') as JsonObject).keys, ['x', 'a"b']);
  syntaxError(t, '{"x":0,"a"b":1}', 'expected ":" at position 10, found another character');
  t.deepEqual((readJson('{"\\u0061":1,"b":2}') as JsonObject).keys, ['a', 'b']);
  t.deepEqual((readJson('{"a":1,"b":2}') as JsonObject).keys, ['a', 'b']);
  t.deepEqual((readJson('{"a\\nb":1}') as JsonObject).keys, ['a\nb']);
  t.deepEqual((readJson('{"a\\nb":1}') as JsonObject).keys, ['a\nb']);
  // A key that begins like the one before is not taken for it.
  t.deepEqual((readJson('{"key":1}') as JsonObject).keys, ['key']);
  t.deepEqual((readJson('{"keys":1}') as JsonObject).keys, ['keys']);
  t.deepEqual((readJson('{"key":1}') as JsonObject).keys, ['key']);
  t.deepEqual((readJson('{"ke":1}') as JsonObject).keys, ['ke']);
  t.deepEqual((readJson('{"kez":1}') as JsonObject).keys, ['kez']);
  // Nested objects' keys are not taken for a record's.
  t.deepEqual(plain(readJson('{"k":{"k":1,"k":2}}')), [
    [
      'k',
      [
        ['k', { n: '1' }],
        ['k', { n: '2' }],
      ],
    ],
  ]);
  t.deepEqual((readJson('{"k":1,"j":{"k":1}}') as JsonObject).keys, ['k', 'j']);
  // A key at the very end of the input.
  syntaxError(t, '{"k"', 'expected ":" at position 4, found the end of the input');
  syntaxError(t, '{"k', 'expected a closing quote at position 3, found the end of the input');
});

test('the same text read as JSON.parse reads it (numbers apart), on a sample of valid documents', (t) => {
  const samples = [
    '{"id":1,"name":"Ann","tags":["a","b"],"meta":{"ok":true,"n":null},"score":-1.25e2}',
    '[[[[]]],{},{"":""},"\\u0000",0,-0,1e-0]',
    ' "\\\\u0041" ',
    '{"emoji":"\\ud83d\\ude00","text":"line\\r\\nnext"}',
  ];
  const normal = (value: JsonValue): unknown =>
    value instanceof JsonNumber
      ? Number(value.text)
      : Array.isArray(value)
        ? value.map(normal)
        : value instanceof JsonObject
          ? Object.fromEntries(value.keys.map((key, index) => [key, normal(value.values[index]!)]))
          : value;
  for (const text of samples) t.deepEqual(normal(readJson(text)), JSON.parse(text), text);
});

test('a string whose text ends in an escape keeps everything decoded before it', (t) => {
  for (const text of ['Stryker was here!', 'a!', '"', 'x\n']) {
    const escaped = `"${[...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"`;
    t.is(readJson(escaped), text);
    const lastEscaped = `"${JSON.stringify(text.slice(0, -1)).slice(1, -1)}\\u${text
      .charCodeAt(text.length - 1)
      .toString(16)
      .padStart(4, '0')}"`;
    t.is(readJson(lastEscaped), text, lastEscaped);
  }
});

test('records in a row: a remembered key is matched only at the quote that opens the key', (t) => {
  // The previous record's second key is ",", one character, like this record's "b" after its comma.
  t.deepEqual((readJson('{"a":0,",":1}') as JsonObject).keys, ['a', ',']);
  t.deepEqual((readJson('{"a":0,"b":1}') as JsonObject).keys, ['a', 'b']);
  t.deepEqual((readJson('{"a":0," ":1}') as JsonObject).keys, ['a', ' ']);
  t.deepEqual((readJson('{"a":0, "b":1}') as JsonObject).keys, ['a', 'b']);
});

test('records in a row: the remembered keys never hold a key twice, so a repeat is always found', (t) => {
  // A record sharing no first key with the one before, then one sharing a later key.
  t.deepEqual((readJson(record(['a', 'b', 'c'])) as JsonObject).keys, ['a', 'b', 'c']);
  t.deepEqual((readJson(record(['x', 'a'])) as JsonObject).keys, ['x', 'a']);
  syntaxError(t, record(['a', 'a']), 'property "a" appears twice');
  syntaxError(t, record(['x', 'a', 'a']), 'property "a" appears twice');
  // A record whose only key is the previous record's second one.
  t.deepEqual((readJson(record(['a', 'b'])) as JsonObject).keys, ['a', 'b']);
  t.deepEqual((readJson(record(['b'])) as JsonObject).keys, ['b']);
  syntaxError(t, record(['a', 'b', 'b']), 'property "b" appears twice');
  syntaxError(t, record(['b', 'b']), 'property "b" appears twice');
  // A nested object's keys (duplicates kept there) are never remembered as a record's.
  t.deepEqual((readJson('{"o":1}') as JsonObject).keys, ['o']);
  t.deepEqual((readJson('{"o":{"a":1,"a":2}}') as JsonObject).keys, ['o']);
  syntaxError(t, '{"a":1,"a":2}', 'property "a" appears twice');
  t.deepEqual((readJson('{"o":1}') as JsonObject).keys, ['o']);
  t.deepEqual((readJson('{"o":[{"k":1,"k":2}]}') as JsonObject).keys, ['o']);
  syntaxError(t, '{"k":1,"k":2}', 'property "k" appears twice');
});

/** A reader module as at a cold start: nothing remembered from an earlier record. */
function freshReader(): typeof import('../../handler/values/json') {
  const path = require.resolve('../../handler/values/json');
  delete require.cache[path];
  return require(path);
}

test('from a cold start, each sequence of records finds the repeated field', (t) => {
  const sequences: string[][] = [
    // A record that shares only its second key with the one before, then that key twice.
    [record(['a']), record(['b', 'a']), record(['a', 'a'])],
    // A record whose only key is the previous record's second one, then that key twice after the first.
    [record(['a', 'b']), record(['b']), record(['a', 'b', 'b'])],
    // An array of objects between records: its objects' keys (duplicates kept there) are not a record's.
    ['[{"a":1,"a":2}]', record(['a', 'a'])],
    ['{"o":[{"k":1,"k":2}]}', '[{"k":1,"k":2}]', record(['k', 'k'])],
  ];
  for (const sequence of sequences) {
    const reader = freshReader();
    for (const text of sequence.slice(0, -1)) t.notThrows(() => reader.readJson(text), text);
    const last = sequence.at(-1)!;
    t.throws(() => reader.readJson(last), { message: /^property "[abk]" appears twice$/ }, sequence.join(' -> '));
  }
});
