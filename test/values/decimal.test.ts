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

test('the limits are inclusive: six exponent digits after a sign, a point at 1000, 2000 digits spelt out', (t) => {
  t.deepEqual(readExactDecimal('1e000003'), { negative: false, integer: '1000', fraction: '' });
  t.deepEqual(readExactDecimal('1e+000003'), { negative: false, integer: '1000', fraction: '' });
  t.deepEqual(readExactDecimal('1E-000003'), { negative: false, integer: '', fraction: '001' });
  t.is(readExactDecimal('1e+0000003'), null);
  t.is(readExactDecimal('1e-0000003'), null);
  t.deepEqual(readExactDecimal('1e999'), { negative: false, integer: `1${'0'.repeat(999)}`, fraction: '' });
  t.is(readExactDecimal('1e1000'), null);
  t.deepEqual(readExactDecimal(`.${'0'.repeat(1999)}1`), {
    negative: false,
    integer: '',
    fraction: `${'0'.repeat(1999)}1`,
  });
  t.is(readExactDecimal(`.${'0'.repeat(2000)}1`), null);
  t.deepEqual(readExactDecimal('1e-2000'), { negative: false, integer: '', fraction: `${'0'.repeat(1999)}1` });
  t.is(readExactDecimal('1e-2001'), null);
});

test('a negative value keeps its sign whether it has integer digits, fraction digits or both; zero has none', (t) => {
  t.deepEqual(readExactDecimal('-.25'), { negative: true, integer: '', fraction: '25' });
  t.deepEqual(readExactDecimal('-0.0025e2'), { negative: true, integer: '', fraction: '25' });
  t.deepEqual(readExactDecimal('-300e-2'), { negative: true, integer: '3', fraction: '' });
  t.deepEqual(readExactDecimal('-00.00e5'), { negative: false, integer: '', fraction: '' });
  t.deepEqual(readExactDecimal('0001000.0100'), { negative: false, integer: '1000', fraction: '01' });
});

/** compareDecimalText with -0 (equal negative values) read as 0, as every caller reads it (`=== 0`, `< 0`). */
const compare = (a: string, b: string): number => compareDecimalText(a, b) || 0;

test('compareDecimalText: sign first, then magnitude by the point, then by the digits', (t) => {
  const ordered = [
    '-1e3',
    '-999.99',
    '-10',
    '-9',
    '-1',
    '-0.5',
    '-.05',
    '0',
    '.05',
    '0.5',
    '1',
    '1.000001',
    '9',
    '10',
    '99',
    '100.5',
    '1e3',
  ];
  for (let i = 0; i < ordered.length; i++) {
    for (let j = 0; j < ordered.length; j++) {
      t.is(compare(ordered[i]!, ordered[j]!), Math.sign(i - j) || 0, `${ordered[i]} vs ${ordered[j]}`);
    }
  }
  t.is(compare('-0', '0.000'), 0);
  t.is(compare('0', '-0e5'), 0);
  t.is(compare('12.5', '1.25e1'), 0);
  t.is(compare('-0012.50', '-1250e-2'), 0);
  t.is(compare('1e99999', '1e100000'), -1);
  t.is(compare('1e-99999', '1e-100000'), 1);
  t.throws(() => compareDecimalText('1', 'abc'), { message: 'not decimal text' });
  t.throws(() => compareDecimalText('.', '1'), { message: 'not decimal text' });
});
