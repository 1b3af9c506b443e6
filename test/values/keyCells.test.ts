/**
 * Paging key cells' JSON size (handler/values/keyCells.ts): the bound a read plan puts on a token's length before
 * it reads a row, so it must never be below what a cell actually takes.
 */
import test from 'ava';
import { base64CellBytes, NUMBER_JSON_BYTES } from '../../handler/values/keyCells';

test('base64CellBytes is the exact JSON size of {"b":"<base64>"} for every length up to 64 bytes', (t) => {
  for (let bytes = 0; bytes <= 64; bytes++) {
    const cell = JSON.stringify({ b: Buffer.alloc(bytes, 0xff).toString('base64') });
    t.is(base64CellBytes(bytes), cell.length, `${bytes} bytes`);
  }
  t.is(base64CellBytes(0), 8);
  t.is(base64CellBytes(1), 12);
  t.is(base64CellBytes(3), 12);
  t.is(base64CellBytes(4), 16);
  t.is(base64CellBytes(65535), 87388);
});

test('NUMBER_JSON_BYTES holds the longest number a payload field can take', (t) => {
  const longest = [
    JSON.stringify(-Number.MAX_SAFE_INTEGER),
    JSON.stringify(-Number.MAX_VALUE),
    JSON.stringify(-Number.MIN_VALUE),
    JSON.stringify(-2.2250738585072014e-308),
    JSON.stringify(-1.2345678901234567e-100),
  ];
  for (const text of longest) t.true(text.length <= NUMBER_JSON_BYTES, text);
  t.is(NUMBER_JSON_BYTES, 24);
});
