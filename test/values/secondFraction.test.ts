/**
 * Fractions of a second beyond a column's precision (handler/values/secondFraction.ts): refused, since the servers
 * would round or drop them silently; trailing zeros are no extra precision.
 */
import test from 'ava';
import { fractionBeyond } from '../../handler/values/secondFraction';

const column = { name: 'at', columnType: 'datetime(3)' };
const FATE = 'they would be rounded or dropped';

test('a fraction within the kept digits, or with only zeros beyond them, is no refusal', (t) => {
  t.is(fractionBeyond(column, 3, '', FATE), null);
  t.is(fractionBeyond(column, 3, '123', FATE), null);
  t.is(fractionBeyond(column, 3, '12', FATE), null);
  t.is(fractionBeyond(column, 3, '123000000', FATE), null);
  t.is(fractionBeyond(column, 0, '000', FATE), null);
  t.is(fractionBeyond(column, 6, '999999', FATE), null);
});

test('a nonzero digit beyond the kept ones is refused, the kept count spelt out', (t) => {
  t.deepEqual(fractionBeyond(column, 3, '1230001', FATE), {
    ok: false,
    message:
      'field "at" (datetime(3)) keeps 3 digits of a second\'s fraction; the value has more (they would be rounded or dropped)',
  });
  t.deepEqual(fractionBeyond({ name: 'at', columnType: 'timestamp(1)' }, 1, '05', 'it would be rounded'), {
    ok: false,
    message:
      'field "at" (timestamp(1)) keeps 1 digit of a second\'s fraction; the value has more (it would be rounded)',
  });
  t.deepEqual(fractionBeyond({ name: 'at', columnType: 'time' }, 0, '9', 'it would be rounded'), {
    ok: false,
    message: 'field "at" (time) keeps 0 digits of a second\'s fraction; the value has more (it would be rounded)',
  });
});
