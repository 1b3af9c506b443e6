/**
 * The one exact decimal reader (handler/values/decimal.ts) behind both engines' numeric writes and the float
 * shown-value rules.
 */
import test from 'ava';
import fc from 'fast-check';
import { compareDecimalText, decimalText, readExactDecimal } from '../../handler/values/decimal';

test('decimal text reads as exact parts: sign, integer digits without leading zeros, fraction without trailing ones', (t) => {
  t.deepEqual(readExactDecimal('-12.50'), { negative: true, integer: '12', fraction: '5' });
  t.deepEqual(readExactDecimal('+007'), { negative: false, integer: '7', fraction: '' });
  t.deepEqual(readExactDecimal('.5'), { negative: false, integer: '', fraction: '5' });
  t.deepEqual(readExactDecimal('5.'), { negative: false, integer: '5', fraction: '' });
  t.deepEqual(readExactDecimal('1.50e+3'), { negative: false, integer: '1500', fraction: '' });
  t.deepEqual(readExactDecimal('25E-3'), { negative: false, integer: '', fraction: '025' });
  t.deepEqual(readExactDecimal('-0.000'), { negative: false, integer: '', fraction: '' });
});

test('what is not decimal text, or is absurdly large, reads as null', (t) => {
  for (const text of ['', '.', '-', '+.', 'e5', '1e', '1.2.3', ' 1', '1 ', '0x10', 'NaN', 'Infinity', '1,5', '١']) {
    t.is(readExactDecimal(text), null, text);
  }
  // More than six exponent digits, a point beyond 1000 digits, more than 2000 digits spelt out.
  t.is(readExactDecimal('1e0000001'), null);
  t.is(readExactDecimal('1e999999'), null);
  t.is(readExactDecimal('1e-999999'), null);
  t.is(readExactDecimal(`1${'0'.repeat(1000)}`), null);
  t.deepEqual(readExactDecimal(`1${'0'.repeat(999)}`), {
    negative: false,
    integer: `1${'0'.repeat(999)}`,
    fraction: '',
  });
  t.deepEqual(readExactDecimal('9e-1000'), { negative: false, integer: '', fraction: `${'0'.repeat(999)}9` });
});

test('decimalText writes the parts back as plain decimal text', (t) => {
  t.is(decimalText({ negative: true, integer: '', fraction: '25' }), '-0.25');
  t.is(decimalText({ negative: false, integer: '', fraction: '' }), '0');
  t.is(decimalText({ negative: false, integer: '1500', fraction: '' }), '1500');
});

test('an exact decimal read and written back equals the text it came from, as a number', (t) => {
  const text = fc
    .tuple(
      fc.constantFrom('', '-', '+'),
      fc.stringMatching(/^[0-9]{0,12}$/),
      fc.option(fc.stringMatching(/^[0-9]{0,12}$/)),
      fc.option(fc.integer({ min: -40, max: 40 })),
    )
    .filter(([, whole, fraction]) => whole !== '' || (fraction ?? '') !== '')
    .map(
      ([sign, whole, fraction, exponent]) =>
        sign + whole + (fraction === null ? '' : `.${fraction}`) + (exponent === null ? '' : `e${exponent}`),
    );
  // fast-check throws with the shrunk counterexample when the property fails.
  t.notThrows(() =>
    fc.assert(
      fc.property(text, (source) => {
        const parsed = readExactDecimal(source);
        if (parsed === null) return false;
        return compareDecimalText(decimalText(parsed), source) === 0 && Number(decimalText(parsed)) === Number(source);
      }),
    ),
  );
});

test('compareDecimalText orders decimal texts exactly, exponents of any size included', (t) => {
  t.is(compareDecimalText('1e-100000000', '0'), 1);
  t.is(compareDecimalText('-1e100000000', '-1e99999'), -1);
  t.is(compareDecimalText('.5', '0.50'), 0);
  t.throws(() => compareDecimalText('abc', '1'));
});
