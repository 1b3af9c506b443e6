/**
 * CHAR/VARCHAR lengths (handler/values/characterLength.ts): a value the server would cut silently (longer than the
 * column only by trailing spaces) is refused, naming the field and its length, never the value; every other value is
 * bound as written (the server refuses a value too long by other characters itself). Lengths count code points.
 */
import test from 'ava';
import { textWithinLength } from '../../handler/values/characterLength';

const column = { name: 'title', columnType: 'varchar(3)' };
const cut = (limit: number): { ok: false; message: string } => ({
  ok: false,
  message: `field "title" (varchar(3)) holds at most ${limit} character${limit === 1 ? '' : 's'}; the value is longer by trailing spaces the database would cut`,
});

test('a value within the length is bound as written, trailing spaces and all', (t) => {
  for (const text of ['', 'a', 'abc', 'ab ', '   ', 'a  ', '😀😀😀', '😀 ', 'é\u0301x']) {
    t.deepEqual(textWithinLength(column, text, 3, false), { ok: true, param: text }, JSON.stringify(text));
  }
});

test('no limit: anything is bound as written', (t) => {
  t.deepEqual(textWithinLength(column, 'a    ', null, false), { ok: true, param: 'a    ' });
  t.deepEqual(textWithinLength(column, '   ', null, false), { ok: true, param: '   ' });
  t.deepEqual(textWithinLength(column, '', null, false), { ok: true, param: '' });
});

test('longer only by trailing spaces: refused, the message naming the field and the length', (t) => {
  t.deepEqual(textWithinLength(column, 'abc ', 3, false), cut(3));
  t.deepEqual(textWithinLength(column, 'a   ', 3, false), cut(3));
  t.deepEqual(textWithinLength(column, '    ', 3, false), cut(3));
  t.deepEqual(textWithinLength(column, 'a  ', 1, false), cut(1));
  t.deepEqual(textWithinLength(column, 'ab ', 2, false), cut(2));
  t.deepEqual(textWithinLength(column, ' ', 0, false), cut(0));
  // Code points, not UTF-16 units: three emoji and a space are four characters in seven units.
  t.deepEqual(textWithinLength(column, '😀😀😀 ', 3, false), cut(3));
  t.deepEqual(textWithinLength(column, '😀  ', 1, false), cut(1));
  t.false(JSON.stringify(textWithinLength(column, 'secret ', 6, false)).includes('secret'));
});

test('a code point counts once, a lone surrogate once too', (t) => {
  // Four UTF-16 units, two characters: within 2.
  t.deepEqual(textWithinLength(column, '😀😀', 2, false), { ok: true, param: '😀😀' });
  t.deepEqual(textWithinLength(column, '😀 ', 2, false), { ok: true, param: '😀 ' });
  t.deepEqual(textWithinLength(column, '😀😀 ', 2, false), cut(2));
  // Lone surrogates: each one character (a high one at the end, a high one before a non-low one, a lone low one).
  t.deepEqual(textWithinLength(column, '\ud83d ', 1, false), cut(1));
  t.deepEqual(textWithinLength(column, 'a\ud83d', 1, false), { ok: true, param: 'a\ud83d' });
  t.deepEqual(textWithinLength(column, '\ud83da ', 2, false), cut(2));
  t.deepEqual(textWithinLength(column, '\ude00\ude00 ', 2, false), cut(2));
  t.deepEqual(textWithinLength(column, '\ud83d\ud83d ', 2, false), cut(2));
  t.deepEqual(textWithinLength(column, '\udbff\udc00 ', 1, false), cut(1));
  t.deepEqual(textWithinLength(column, '\ud800\udfff ', 1, false), cut(1));
  t.deepEqual(textWithinLength(column, '\udc00\udc00 ', 2, false), cut(2));
  t.deepEqual(textWithinLength(column, '\ud7ff\udc00 ', 2, false), cut(2));
  t.deepEqual(textWithinLength(column, '\ud83d\ue000 ', 2, false), cut(2));
  t.deepEqual(textWithinLength(column, '\ud83d\udbff ', 2, false), cut(2));
});

test('longer by other characters: left to the server (bound as written), which refuses it itself', (t) => {
  t.deepEqual(textWithinLength(column, 'abcd', 3, false), { ok: true, param: 'abcd' });
  t.deepEqual(textWithinLength(column, 'abcd ', 3, false), { ok: true, param: 'abcd ' });
  t.deepEqual(textWithinLength(column, 'a b c', 3, false), { ok: true, param: 'a b c' });
  t.deepEqual(textWithinLength(column, ' abc', 3, false), { ok: true, param: ' abc' });
  t.deepEqual(textWithinLength(column, '😀😀😀😀 ', 3, false), { ok: true, param: '😀😀😀😀 ' });
  // Tabs and no-break spaces are not cut: only U+0020.
  t.deepEqual(textWithinLength(column, 'abc\t', 3, false), { ok: true, param: 'abc\t' });
  t.deepEqual(textWithinLength(column, 'abc\u00a0', 3, false), { ok: true, param: 'abc\u00a0' });
});

test('CHAR(n): trailing spaces are padding, never refused', (t) => {
  t.deepEqual(textWithinLength(column, 'abc  ', 3, true), { ok: true, param: 'abc  ' });
  t.deepEqual(textWithinLength(column, 'a   ', 1, true), { ok: true, param: 'a   ' });
});
