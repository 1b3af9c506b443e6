/**
 * Integer writes (handler/values/integers.ts): an exact integer within its column type's range is bound as decimal
 * text, every digit kept; anything else is refused with a message naming the field and the range, never the value.
 */
import test from 'ava';
import { readExactDecimal } from '../../handler/values/decimal';
import { checkedInteger } from '../../handler/values/integers';

const bigint = { name: 'n', columnType: 'bigint' };
const BIGINT = { min: -(1n << 63n), max: (1n << 63n) - 1n };
const tinyint = { name: 'small', columnType: 'tinyint unsigned' };
const TINYINT_UNSIGNED = { min: 0n, max: 255n };

test('an integer in range is bound as exact decimal text, sign and every digit kept', (t) => {
  t.deepEqual(checkedInteger(bigint, readExactDecimal('9223372036854775807'), BIGINT), {
    ok: true,
    param: '9223372036854775807',
  });
  t.deepEqual(checkedInteger(bigint, readExactDecimal('-9223372036854775808'), BIGINT), {
    ok: true,
    param: '-9223372036854775808',
  });
  t.deepEqual(checkedInteger(bigint, readExactDecimal('-12'), BIGINT), { ok: true, param: '-12' });
  t.deepEqual(checkedInteger(bigint, readExactDecimal('1.5e1'), BIGINT), { ok: true, param: '15' });
  t.deepEqual(checkedInteger(bigint, readExactDecimal('007.000'), BIGINT), { ok: true, param: '7' });
  t.deepEqual(checkedInteger(bigint, readExactDecimal('-0'), BIGINT), { ok: true, param: '0' });
  // Parts of a negative zero (no digits) are zero too.
  t.deepEqual(checkedInteger(bigint, { negative: true, integer: '', fraction: '' }, BIGINT), { ok: true, param: '0' });
});

test('both ends of the range are accepted, one past either end refused with the range in the message', (t) => {
  t.deepEqual(checkedInteger(tinyint, readExactDecimal('0'), TINYINT_UNSIGNED), { ok: true, param: '0' });
  t.deepEqual(checkedInteger(tinyint, readExactDecimal('255'), TINYINT_UNSIGNED), { ok: true, param: '255' });
  const outOfRange = {
    ok: false,
    message: 'field "small" (tinyint unsigned) expects an integer from 0 to 255; the value is out of range',
  };
  t.deepEqual(checkedInteger(tinyint, readExactDecimal('256'), TINYINT_UNSIGNED), outOfRange);
  t.deepEqual(checkedInteger(tinyint, readExactDecimal('-1'), TINYINT_UNSIGNED), outOfRange);
  t.deepEqual(checkedInteger(bigint, readExactDecimal('9223372036854775808'), BIGINT), {
    ok: false,
    message:
      'field "n" (bigint) expects an integer from -9223372036854775808 to 9223372036854775807; the value is out of range',
  });
});

test('fraction digits or text that is not a number are refused as not an integer', (t) => {
  const notInteger = {
    ok: false,
    message: 'field "n" (bigint) expects an integer; the value does not have that form',
  };
  t.deepEqual(checkedInteger(bigint, readExactDecimal('1.5'), BIGINT), notInteger);
  t.deepEqual(checkedInteger(bigint, readExactDecimal('1e-1'), BIGINT), notInteger);
  t.deepEqual(checkedInteger(bigint, readExactDecimal('abc'), BIGINT), notInteger);
  t.deepEqual(checkedInteger(bigint, null, BIGINT), notInteger);
});
