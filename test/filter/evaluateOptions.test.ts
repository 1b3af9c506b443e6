/** The reference evaluator's engine options: how a String literal is read, and the exact-number limits. */
import test from 'ava';
import { InvalidArgumentError } from '../../handler/errors';
import { parseFilter } from '../../handler/filter';
import { type EvaluateOptions, matchesFilter, type Row } from '../support/filterEvaluator';
import { ALL_TYPES } from './helpers';

const matches = (expression: string, row: Row, options?: EvaluateOptions) =>
  matchesFilter(parseFilter(expression), row, ALL_TYPES, options);

test('readString: a literal is compared as read, and refused when it throws', (t) => {
  const bits: EvaluateOptions = {
    readString: (_field, text) => {
      if (!/^[bB]?[01]*$/.test(text)) throw new InvalidArgumentError('not a bit string');
      return text.replace(/^[bB]/, '');
    },
  };
  t.false(matches("s = 'b1'", { s: '1' }));
  t.true(matches("s = 'b1'", { s: '1' }, bits));
  t.true(matches("s IN ('B0', '1')", { s: '1' }, bits));
  t.true(matches("s BETWEEN '' AND 'b1'", { s: '0' }, bits));
  // Refused whatever the row, as the server refuses the bound literal before reading any row.
  t.throws(() => matches("s = '2'", { s: null }, bits), { instanceOf: InvalidArgumentError });
  t.throws(() => matches("s IN ('2')", {}, bits), { instanceOf: InvalidArgumentError });
  // CONTAINS searches the shown text: not read.
  t.true(matches("s CONTAINS 'x'", { s: 'xx' }, bits));
});

test('exactNumberLimits: the default is DECIMAL(65,30); an engine may allow longer literals', (t) => {
  const long = `bi > ${'1'.repeat(66)}`;
  t.throws(() => matches(long, { bi: '1' }), { instanceOf: InvalidArgumentError });
  t.false(matches(long, { bi: '1' }, { exactNumberLimits: { digits: 1000, scale: 1000 } }));
  t.throws(() => matches(long, { bi: '1' }, { exactNumberLimits: { digits: 65, scale: 1000 } }), {
    instanceOf: InvalidArgumentError,
  });
});
