import test from 'ava';
import { InvalidArgumentError } from '../../handler/errors';
import { FilterLimits, parseFilter } from '../../handler/filter';

// The nesting limit counts the levels open at one point, not every '(' or NOT of the expression: a level closed is
// given back, so a long flat list of parenthesized or negated conditions is fine however many there are.
test('closed parentheses give their nesting level back', (t) => {
  const n = FilterLimits.maxDepth + 1;
  const f = parseFilter(Array.from({ length: n }, () => '(a = 1)').join(' AND '));
  t.is(f.condition?.type, 'and');
  if (f.condition?.type === 'and') t.is(f.condition.operands.length, n);
});

test('negated conditions give their nesting level back', (t) => {
  const n = FilterLimits.maxDepth + 1;
  const f = parseFilter(Array.from({ length: n }, () => 'NOT NOT a = 1').join(' OR '));
  t.is(f.condition?.type, 'or');
  if (f.condition?.type === 'or') t.is(f.condition.operands.length, n);
});

// FilterLimits.maxLength is the longest accepted, one more is refused (parser.test.ts checks the message).
test('an expression of exactly the maximum length is accepted', (t) => {
  const input = `a = '${'x'.repeat(FilterLimits.maxLength - 6)}'`;
  t.is(input.length, FilterLimits.maxLength);
  t.is(parseFilter(input).condition?.type, 'comparison');
  t.throws(() => parseFilter(`${input} `), { instanceOf: InvalidArgumentError });
});
