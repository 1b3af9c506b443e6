/**
 * FLOAT/DOUBLE and Boolean fields compare by the value a record shows: the translator's comparison (floats.ts)
 * and the reference evaluator both against the definition "shown decimal op literal, exactly".
 */
import test from 'ava';
import fc from 'fast-check';
import { InvalidArgumentError } from '../../handler/errors';
import { parseFilter } from '../../handler/filter';
import type { ComparisonOperator } from '../../handler/filter/ast';
import { compareDecimalText } from '../../handler/values/decimal';
import { type FloatPrecision, float32Text, floatCondition, shownFloatText } from '../../handler/values/floats';
import { evaluateCondition, type Row } from '../support/filterEvaluator';
import { compileFilter } from '../support/mysqlFilter';
import { ALL_TYPES } from './helpers';

const truth = (expression: string, row: Row) => {
  const { condition } = parseFilter(expression);
  if (condition === null) throw new Error('no condition');
  return evaluateCondition(condition, row, ALL_TYPES);
};

const OPS: readonly ComparisonOperator[] = ['=', '!=', '<', '<=', '>', '>='];

function holds(op: ComparisonOperator, sign: number): boolean {
  return { '=': sign === 0, '!=': sign !== 0, '<': sign < 0, '<=': sign <= 0, '>': sign > 0, '>=': sign >= 0 }[op];
}

/** What the translator's SQL does with a stored value: compare it as a double with the bound. */
function sqlSelects(precision: FloatPrecision, op: ComparisonOperator, literal: string, stored: number): boolean {
  const condition = floatCondition(precision, op, literal);
  if (condition === 'never') return false;
  if (condition === 'always') return true;
  return holds(condition.op, Math.sign(stored - condition.value));
}

/** The float32 `steps` units in the last place away from `value`. */
function float32Step(value: number, steps: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, value);
  const bits = view.getInt32(0);
  // Ordered integer key: negative floats count downwards.
  const key = bits < 0 ? -(bits & 0x7fffffff) : bits;
  const next = key + steps;
  view.setInt32(0, next < 0 ? -next | 0x80000000 : next);
  return view.getFloat32(0);
}

function doubleStep(value: number, steps: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigInt64(0);
  const key = bits < 0n ? -(bits & 0x7fffffffffffffffn) : bits;
  const next = key + BigInt(steps);
  view.setBigInt64(0, next < 0n ? -next | -0x8000000000000000n : next);
  return view.getFloat64(0);
}

const literal = fc.oneof(
  fc
    .tuple(fc.boolean(), fc.stringMatching(/^[0-9]{1,9}$/), fc.option(fc.stringMatching(/^[0-9]{1,20}$/)))
    .map(([negative, whole, fraction]) => `${negative ? '-' : ''}${whole}${fraction === null ? '' : `.${fraction}`}`),
  fc.constantFrom('0.1', '3.3', '0.3', '-0.1', '0.10000000001', '0.09999999999', '16777217', '0', '-0', '1.5'),
  fc.float({ noNaN: true, noDefaultInfinity: true }).map((f) => float32Text(f)),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => String(d)),
);

for (const precision of ['single', 'double'] as const) {
  test(`${precision}: the SQL comparison selects exactly the values whose shown text compares so with the literal`, (t) => {
    const round = precision === 'single' ? Math.fround : (x: number) => x;
    const step = precision === 'single' ? float32Step : doubleStep;
    t.notThrows(() =>
      fc.assert(
        fc.property(literal, fc.integer({ min: -3, max: 3 }), fc.constantFrom(...OPS), (text, steps, op) => {
          const plain = text.includes('e') ? null : text;
          if (plain === null || !Number.isFinite(Number(plain))) return true;
          const near = round(Number(plain));
          if (!Number.isFinite(near)) return true;
          const stored = step(near, steps);
          if (!Number.isFinite(stored)) return true;
          const expected = holds(op, compareDecimalText(shownFloatText(precision, stored), plain));
          return sqlSelects(precision, op, plain, stored) === expected;
        }),
        { numRuns: 3000 },
      ),
    );
  });
}

test('decimal texts compare exactly, exponents included', (t) => {
  t.is(compareDecimalText('0.1', '0.10000000001'), -1);
  t.is(compareDecimalText('1e-7', '0.0000001'), 0);
  t.is(compareDecimalText('3.4e+38', '340000000000000000000000000000000000000'), 0);
  t.is(compareDecimalText('-0', '0'), 0);
  t.is(compareDecimalText('-0.1', '-0.10000000001'), 1);
  t.is(compareDecimalText('00042.500', '42.5'), 0);
  t.is(compareDecimalText('12', '123'), -1);
  t.is(compareDecimalText('1e+300', '1e299'), 1);
});

test('the evaluator compares Float fields by the shown float32 text and Double fields by the shown double text', (t) => {
  const tenth = Math.fround(0.1);
  t.is(truth('f = 0.1', { f: tenth }), true);
  t.is(truth('f IN (0.1, 3.3)', { f: tenth }), true);
  t.is(truth('f > 0.1', { f: tenth }), false);
  t.is(truth('f >= 0.1', { f: tenth }), true);
  t.is(truth('f BETWEEN 0.1 AND 0.1', { f: tenth }), true);
  t.is(truth('f = 0.10000000001', { f: tenth }), false);
  t.is(truth('f < 0.10000000001', { f: tenth }), true);
  t.is(truth('f = 0.1', { f: 0.1 }), true, 'a FLOAT given as a double is read as float32');
  t.is(truth('d = 0.1', { d: 0.1 }), true);
  t.is(truth('d = 0.10000000000000001', { d: 0.1 }), false);
  t.is(truth('d > 0.09999999999999999', { d: 0.1 }), true);
  t.is(truth('f = 1', { f: 1e39 }), false);
  t.is(truth('f < 1', { f: -1e39 }), true);
});

test('the evaluator reads a Boolean as records show it: any non-zero value is true', (t) => {
  for (const value of [1, 2, -1, 127, true]) {
    t.is(truth('b = true', { b: value }), true, String(value));
    t.is(truth('b = 1', { b: value }), true, String(value));
    t.is(truth('b != false', { b: value }), true, String(value));
    t.is(truth('b = false', { b: value }), false, String(value));
    t.is(truth('b IN (0)', { b: value }), false, String(value));
  }
  for (const value of [0, false]) {
    t.is(truth('b = false', { b: value }), true, String(value));
    t.is(truth('b != true', { b: value }), true, String(value));
    t.is(truth('b = 1', { b: value }), false, String(value));
  }
  t.is(truth('b = true', { b: null }), null);
  t.is(truth('b = false', { b: null }), null);
});

test('a Date field refuses an instant with a message that says to compare with a date', (t) => {
  // The translation says what to write instead; the reference evaluator refuses the same filter.
  t.throws(() => compileFilter('dt > 2024-03-01T00:00:00Z', ALL_TYPES), {
    instanceOf: InvalidArgumentError,
    message:
      "filterExpression: field 'dt' (Date) needs an ISO date like 2024-03-01, not the instant '2024-03-01T00:00:00Z': " +
      'it holds whole days (in: dt > 2024-03-01T00:00:00Z)',
  });
  t.throws(() => truth('dt > 2024-03-01T00:00:00Z', { dt: '2024-03-01' }), {
    instanceOf: InvalidArgumentError,
    message: 'filterExpression: not allowed: not a date',
  });
  t.is(truth('dt > 2024-02-29', { dt: '2024-03-01' }), true);
});
