/**
 * FLOAT and DOUBLE values (handler/values/floats.ts, floatPrecision.ts): the text a record shows for a stored float
 * (the shortest decimal that reads back as it), the condition a filter literal becomes so that it matches exactly the
 * rows shown so, and whether a written decimal is stored unchanged (else refused with the reason).
 */
import test from 'ava';
import { floatChangeReason, keptByFloat } from '../../handler/values/floatPrecision';
import { float32Text, floatCondition, shownFloatText } from '../../handler/values/floats';

const f32 = Math.fround;

test('float32Text: the shortest decimal that reads back as the same float32', (t) => {
  t.is(float32Text(f32(0.1)), '0.1');
  t.is(float32Text(f32(1 / 3)), '0.33333334');
  t.is(float32Text(f32(16777217)), '16777216');
  t.is(float32Text(f32(3.4028235e38)), '3.4028235e+38');
  t.is(float32Text(f32(1e-45)), '1e-45');
  t.is(float32Text(f32(-2.5)), '-2.5');
  t.is(float32Text(0), '0');
  t.is(float32Text(1), '1');
  t.is(float32Text(f32(7)), '7');
  // Nine significant digits, the most a float32 needs.
  t.is(float32Text(f32(10.0001955)), '10.0001955');
  t.is(float32Text(f32(10.0004225)), '10.0004225');
  // Not a float32 at all: the double's own text.
  t.is(float32Text(0.1), '0.1');
  t.is(float32Text(1 / 3), '0.3333333333333333');
  t.is(float32Text(Number.NaN), 'null');
  t.is(float32Text(Number.POSITIVE_INFINITY), 'null');
  t.is(float32Text(Number.NEGATIVE_INFINITY), 'null');
});

test('shownFloatText: float32 text for single precision, the double text for double', (t) => {
  t.is(shownFloatText('single', f32(0.1)), '0.1');
  t.is(shownFloatText('double', f32(0.1)), '0.10000000149011612');
  t.is(shownFloatText('single', f32(1 / 3)), '0.33333334');
  t.is(shownFloatText('double', 1 / 3), '0.3333333333333333');
  t.is(shownFloatText('double', Number('9007199254740993')), '9007199254740992');
});

test('floatCondition: a literal shown exactly compares with the stored value by the same operator', (t) => {
  for (const op of ['=', '!=', '<', '<=', '>', '>='] as const) {
    t.deepEqual(floatCondition('single', op, '0.1'), { op, value: f32(0.1) }, op);
    t.deepEqual(floatCondition('double', op, '0.1'), { op, value: 0.1 }, op);
    t.deepEqual(floatCondition('single', op, '0.100'), { op, value: f32(0.1) }, op);
    t.deepEqual(floatCondition('double', op, '-2.5e3'), { op, value: -2500 }, op);
  }
});

test('floatCondition: a literal no value shows matches none for =, all for !=', (t) => {
  t.is(floatCondition('single', '=', '0.10000000001'), 'never');
  t.is(floatCondition('single', '!=', '0.10000000001'), 'always');
  t.is(floatCondition('single', '=', '0.09999999999'), 'never');
  t.is(floatCondition('single', '!=', '0.09999999999'), 'always');
  t.is(floatCondition('single', '=', '16777217'), 'never');
  t.is(floatCondition('double', '=', '9007199254740993'), 'never');
  t.is(floatCondition('double', '!=', '9007199254740993'), 'always');
  // The float32 nearest 0.1 shown as a double would be 0.10000000149011612; as a FLOAT it is 0.1.
  t.is(floatCondition('single', '=', '0.10000000149011612'), 'never');
  t.deepEqual(floatCondition('double', '=', '0.10000000149011612'), { op: '=', value: f32(0.1) });
});

test('floatCondition: an ordering literal between shown values becomes the bound that keeps exactly the rows', (t) => {
  const c = f32(0.1);
  // The nearest float32 shows 0.1: below 0.10000000001, above 0.09999999999.
  t.deepEqual(floatCondition('single', '<', '0.10000000001'), { op: '<=', value: c });
  t.deepEqual(floatCondition('single', '<=', '0.10000000001'), { op: '<=', value: c });
  t.deepEqual(floatCondition('single', '<', '0.09999999999'), { op: '<', value: c });
  t.deepEqual(floatCondition('single', '<=', '0.09999999999'), { op: '<', value: c });
  t.deepEqual(floatCondition('single', '>', '0.10000000001'), { op: '>', value: c });
  t.deepEqual(floatCondition('single', '>=', '0.10000000001'), { op: '>', value: c });
  t.deepEqual(floatCondition('single', '>', '0.09999999999'), { op: '>=', value: c });
  t.deepEqual(floatCondition('single', '>=', '0.09999999999'), { op: '>=', value: c });
  // DOUBLE: 9007199254740993 reads as 9007199254740992, shown below the literal.
  t.deepEqual(floatCondition('double', '<', '9007199254740993'), { op: '<=', value: 9007199254740992 });
  t.deepEqual(floatCondition('double', '>=', '9007199254740993'), { op: '>', value: 9007199254740992 });
  t.deepEqual(floatCondition('double', '>', '0.30000000000000000001'), { op: '>', value: 0.3 });
  t.deepEqual(floatCondition('double', '<=', '0.29999999999999999999'), { op: '<', value: 0.3 });
});

test("floatCondition: beyond FLOAT's range every value shows below (above) the literal", (t) => {
  t.deepEqual(floatCondition('single', '<', '1e39'), { op: '<', value: 1e39 });
  t.deepEqual(floatCondition('single', '<=', '1e39'), { op: '<', value: 1e39 });
  t.deepEqual(floatCondition('single', '>', '1e39'), { op: '>=', value: 1e39 });
  t.deepEqual(floatCondition('single', '>=', '1e39'), { op: '>=', value: 1e39 });
  t.deepEqual(floatCondition('single', '<', '-1e39'), { op: '<=', value: -1e39 });
  t.deepEqual(floatCondition('single', '>', '-1e39'), { op: '>', value: -1e39 });
  t.deepEqual(floatCondition('single', '>=', '-1e39'), { op: '>', value: -1e39 });
  t.is(floatCondition('single', '=', '1e39'), 'never');
  t.is(floatCondition('single', '!=', '-1e39'), 'always');
  // The largest float32 itself is shown so and compared as is.
  t.deepEqual(floatCondition('single', '<=', '3.4028235e38'), { op: '<=', value: f32(3.4028235e38) });
});

test('keptByFloat: a decimal is kept when the float it is stored as shows as the same number', (t) => {
  t.true(keptByFloat('single', '0.1'));
  t.true(keptByFloat('single', '0.100'));
  t.true(keptByFloat('single', '1e-1'));
  t.true(keptByFloat('single', '16777216'));
  t.true(keptByFloat('single', '-0.33333334'));
  t.true(keptByFloat('single', '3.4028235e38'));
  t.true(keptByFloat('single', '0'));
  t.false(keptByFloat('single', '16777217'));
  t.false(keptByFloat('single', '0.33333333'));
  t.false(keptByFloat('single', '0.10000000149011612'));
  t.false(keptByFloat('single', '1e39'), 'beyond the range of FLOAT');
  t.false(keptByFloat('single', '-1e39'));
  t.false(keptByFloat('single', '1e-50'), 'stored as 0');
  t.true(keptByFloat('double', '0.1'));
  t.true(keptByFloat('double', '0.10000000149011612'));
  t.true(keptByFloat('double', '9007199254740992'));
  t.true(keptByFloat('double', '1e300'));
  t.false(keptByFloat('double', '9007199254740993'));
  t.false(keptByFloat('double', '0.1000000000000000000001'));
  t.false(keptByFloat('double', '1e309'), 'beyond the range of DOUBLE');
});

test('floatChangeReason names the precision, never the value', (t) => {
  t.is(
    floatChangeReason('single'),
    'holds single precision binary floats; the value is not one (it would be stored rounded)',
  );
  t.is(
    floatChangeReason('double'),
    'holds double precision binary floats; the value is not one (it would be stored rounded)',
  );
});
