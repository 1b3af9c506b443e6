/**
 * Filter expressions for QueryData (protocol reference §4): character soup over the DSL's alphabet, grammar-aware
 * expressions over an entity's real fields with random (mostly well-typed) literals, and character-level mutations
 * of those.
 */
import fc from 'fast-check';
import { HOSTILE_STRINGS } from './arbitraries';

export interface FilterFieldInfo {
  readonly fieldName: string;
  readonly dataType: string;
}

const KEYWORDS = [
  'AND',
  'and',
  'OR',
  'or',
  'NOT',
  'not',
  'TRUE',
  'True',
  'true',
  'FALSE',
  'False',
  'false',
  'CONTAINS',
  'contains',
  'BETWEEN',
  'between',
  'null',
  'IN',
  'in',
  'LIMIT',
  'limit',
];
const OPERATORS = ['>', '>=', '<', '<=', '=', '!='];
const NEAR_MISSES = ['==', '<>', '=>', 'NULL', 'Null', 'And', 'Contains', 'LIKE', 'IS', 'ORDER BY', ';', '--', '/*'];

/** The DSL's alphabet plus noise. */
const DSL_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-\'"\\()=!<>, TZ:\t\n%`;#+*/'.split(
  '',
);

const piece = (fields: readonly FilterFieldInfo[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...DSL_CHARS) },
    { weight: 3, arbitrary: fc.constantFrom(...KEYWORDS, ...OPERATORS) },
    { weight: 1, arbitrary: fc.constantFrom(...NEAR_MISSES) },
    { weight: 3, arbitrary: fc.constantFrom(...fields.map((field) => field.fieldName)) },
    {
      weight: 2,
      arbitrary: fc.constantFrom('1', '10', '-3', '12.50', '2024-03-01', '2024-03-01T00:00:00Z', "'x'", '""'),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 3, unit: 'binary' }) },
  );

/** Token soup: mostly invalid, sometimes accidentally valid. */
export function filterSoup(fields: readonly FilterFieldInfo[]): fc.Arbitrary<string> {
  return fc
    .record({ parts: fc.array(piece(fields), { maxLength: 16 }), glue: fc.constantFrom('', ' ', ' ', '  ', '\n') })
    .map(({ parts, glue }) => parts.join(glue));
}

// ---------------------------------------------------------------------------------------------------------------
// Grammar-aware generation
// ---------------------------------------------------------------------------------------------------------------

/** Escapes a string for a DSL string literal (the lexer understands \' \" \\ \t \n \r). */
function quoted(value: string, quote: "'" | '"'): string {
  if (value === '') return quote + quote;
  return (
    quote +
    value
      .replaceAll('\\', '\\\\')
      .replaceAll(quote, `\\${quote}`)
      .replaceAll('\t', '\\t')
      .replaceAll('\n', '\\n')
      .replaceAll('\r', '\\r') +
    quote
  );
}

const stringContent = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_STRINGS.filter((s) => s.length < 60)) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
  { weight: 1, arbitrary: fc.constantFrom('A-1', 'ada@example.com', 'first', 'active', 'a,c', 'Ada', '%', '_') },
);

const stringLiteral = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.tuple(stringContent, fc.constantFrom("'" as const, '"' as const)).map(([v, q]) => quoted(v, q)),
  },
  // Raw, possibly broken escapes and quotes.
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }).map((v) => `'${v}'`) },
);

const integerLiteral = fc.oneof(
  fc.integer({ min: -5, max: 100 }).map(String),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.constantFrom(
    '0',
    '007',
    '-0',
    '2147483647',
    '-2147483648',
    '4294967295',
    '9223372036854775807',
    '-9223372036854775808',
    '18446744073709551615',
    '18446744073709551616',
    '1'.repeat(66),
  ),
);

const decimalLiteral = fc.oneof(
  fc
    .tuple(fc.integer({ min: -99999, max: 99999 }), fc.stringMatching(/^[0-9]{1,8}$/))
    .map(([whole, fraction]) => `${whole}.${fraction}`),
  fc.constantFrom('0.1', '1.1', '-0.000001', '12345678901234.123456', `1.${'0'.repeat(31)}1`, `${'9'.repeat(36)}.5`),
  // Values a FLOAT or DOUBLE shows, and literals a digit away from them.
  fc.constantFrom('3.3', '0.3', '-0.1', '0.7', '2.5', '123.456', '0.0000001', '16777216', '16777217', '4.375'),
  fc.constantFrom('0.10000000001', '0.09999999999', '0.30000000000000004', '0.30000000000000005', '1.1000001'),
);

/**
 * A number in quotes, which a number field reads by the same grammar as a number token; sometimes in exponent form
 * (`'15e-1'`), which no number field takes, quoted or not (issue 19: the reference evaluator took it on exact
 * fields).
 */
const quotedNumber = fc
  .oneof(
    { weight: 2, arbitrary: fc.oneof(integerLiteral, decimalLiteral) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.oneof(fc.integer({ min: -20, max: 20 }).map(String), decimalLiteral),
          fc.constantFrom('e', 'E'),
          fc.constantFrom('', '+', '-'),
          fc.integer({ min: 0, max: 3 }),
        )
        .map(([mantissa, e, sign, exponent]) => `${mantissa}${e}${sign}${exponent}`),
    },
  )
  .map((text) => `'${text}'`);

const two = (min: number, max: number) => fc.integer({ min, max }).map((n) => String(n).padStart(2, '0'));

const dateLiteral = fc
  .oneof(
    { weight: 3, arbitrary: fc.tuple(fc.integer({ min: 0, max: 9999 }), two(1, 12), two(0, 31)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<[number, string, string]>(
        [2024, '02', '29'],
        [2023, '02', '29'],
        [0, '01', '00'],
        [2024, '03', '05'],
        [2024, '03', '17'],
      ),
    },
  )
  .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${m}-${d}`);

const dateTimeLiteral = fc
  .tuple(dateLiteral, two(0, 24), two(0, 59), two(0, 59), fc.option(fc.stringMatching(/^[0-9]{1,9}$/)))
  .map(([date, h, m, s, fraction]) => `${date}T${h}:${m}:${s}${fraction === null ? '' : `.${fraction}`}Z`);

const boolLiteral = fc.constantFrom('true', 'false', 'TRUE', 'False', '0', '1');

/** A literal of the field's type; sometimes null, sometimes a literal of another type (a semantic error). */
function literalFor(dataType: string): fc.Arbitrary<string> {
  const typed = (() => {
    switch (dataType) {
      case 'String':
        return stringLiteral;
      case 'Integer':
      case 'Long':
      case 'Short':
      case 'BigInteger':
        return fc.oneof({ weight: 8, arbitrary: integerLiteral }, { weight: 1, arbitrary: quotedNumber });
      case 'BigDecimal':
      case 'Float':
      case 'Double':
        return fc.oneof(
          { weight: 4, arbitrary: decimalLiteral },
          { weight: 4, arbitrary: integerLiteral },
          { weight: 1, arbitrary: quotedNumber },
        );
      case 'Date':
        return dateLiteral;
      case 'DateTime':
        return fc.oneof(dateTimeLiteral, dateLiteral);
      case 'Boolean':
        return fc.constantFrom('0', '1');
      default:
        return fc.constant('null');
    }
  })();
  return fc.oneof(
    { weight: 25, arbitrary: typed },
    { weight: 1, arbitrary: fc.constant('null') },
    { weight: 1, arbitrary: fc.oneof(stringLiteral, integerLiteral, decimalLiteral, dateLiteral, dateTimeLiteral) },
  );
}

function fieldArb(fields: readonly FilterFieldInfo[]): fc.Arbitrary<FilterFieldInfo> {
  const unknown = fc.oneof(
    fc.constantFrom('nope', 'ID', 'Id', 'a.b', 'x-1', 'sku2'),
    fc.stringMatching(/^[a-zA-Z][A-Za-z0-9_.-]{0,6}$/),
  );
  return fc.oneof(
    { weight: 40, arbitrary: fc.constantFrom(...fields) },
    { weight: 1, arbitrary: unknown.map((fieldName) => ({ fieldName, dataType: 'String' })) },
  );
}

const ORDERED_TYPES = new Set(['String', 'Integer', 'Long', 'Short', 'BigInteger', 'BigDecimal', 'Float', 'Double']);
for (const type of ['Date', 'DateTime']) ORDERED_TYPES.add(type);

/** One comparison: mostly an operator the field's type supports (protocol §4.4), sometimes any operator. */
function condition(fields: readonly FilterFieldInfo[]): fc.Arbitrary<string> {
  return fieldArb(fields).chain((field) => {
    const value = literalFor(field.dataType);
    const name = field.fieldName;
    const compare = fc.tuple(fc.constantFrom(...OPERATORS), value).map(([op, v]) => `${name} ${op} ${v}`);
    const equality = fc.tuple(fc.constantFrom('=', '!='), value).map(([op, v]) => `${name} ${op} ${v}`);
    const isNull = fc.constantFrom('=', '!=').map((op) => `${name} ${op} null`);
    const bool = fc.tuple(fc.constantFrom('=', '!='), boolLiteral).map(([op, v]) => `${name} ${op} ${v}`);
    const contains = value.map((v) => `${name} CONTAINS ${v}`);
    const between = fc.tuple(value, value).map(([a, b]) => `${name} BETWEEN ${a} AND ${b}`);
    const inList = fc.array(value, { minLength: 1, maxLength: 4 }).map((vs) => `${name} IN (${vs.join(', ')})`);
    const fitting: fc.Arbitrary<string>[] = ORDERED_TYPES.has(field.dataType)
      ? [compare, compare, between, inList, isNull, ...(field.dataType === 'String' ? [contains, contains] : [])]
      : field.dataType === 'Boolean'
        ? [bool, bool, equality, isNull, inList]
        : [isNull];
    const anything = fc.oneof(compare, bool, contains, between, inList, fc.constant(name));
    return fc.oneof({ weight: 20, arbitrary: fc.oneof(...fitting) }, { weight: 1, arbitrary: anything });
  });
}

/** Mostly valid expressions over the entity's real fields, with random literals. */
export function filterExpression(fields: readonly FilterFieldInfo[]): fc.Arbitrary<string> {
  const expr = fc.letrec<{ e: string }>((tie) => ({
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      condition(fields),
      tie('e').map((e) => `NOT ${e}`),
      tie('e').map((e) => `(${e})`),
      fc.tuple(tie('e'), tie('e'), fc.constantFrom('AND', 'and', 'OR', 'or')).map(([a, b, op]) => `${a} ${op} ${b}`),
    ),
  })).e;
  const limit = fc.oneof(
    { weight: 15, arbitrary: fc.integer({ min: 10, max: 100_000 }).map(String) },
    { weight: 1, arbitrary: fc.constantFrom('1', '5', '0', '09', '-10', '10.5', '99999999999999999999') },
  );
  return fc.oneof(
    { weight: 8, arbitrary: expr },
    { weight: 2, arbitrary: fc.tuple(expr, limit).map(([e, n]) => `${e} LIMIT ${n}`) },
    { weight: 1, arbitrary: limit.map((n) => `LIMIT ${n}`) },
  );
}

/** Character-level damage to a mostly valid expression. */
export function mutatedFilter(fields: readonly FilterFieldInfo[]): fc.Arbitrary<string> {
  const edit = fc.record({
    at: fc.nat(),
    kind: fc.constantFrom('insert', 'delete', 'duplicate', 'truncate'),
    text: fc.oneof(fc.constantFrom(...DSL_CHARS), fc.constantFrom(...KEYWORDS, ...OPERATORS, ...NEAR_MISSES)),
    length: fc.integer({ min: 1, max: 6 }),
  });
  return fc.tuple(filterExpression(fields), fc.array(edit, { minLength: 1, maxLength: 3 })).map(([text, edits]) => {
    let result = text;
    for (const { at, kind, text: insert, length } of edits) {
      const position = result.length === 0 ? 0 : at % (result.length + 1);
      if (kind === 'insert') result = result.slice(0, position) + insert + result.slice(position);
      else if (kind === 'delete') result = result.slice(0, position) + result.slice(position + length);
      else if (kind === 'duplicate') result = result.slice(0, position + length) + result.slice(position);
      else result = result.slice(0, position);
    }
    return result;
  });
}

/** All three kinds, for one entity's fields. */
export function anyFilter(fields: readonly FilterFieldInfo[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: filterSoup(fields) },
    { weight: 5, arbitrary: filterExpression(fields) },
    { weight: 2, arbitrary: mutatedFilter(fields) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', '\n\t', '()', 'LIMIT', 'NOT', '(((((((((())))))))))') },
    { weight: 1, arbitrary: fc.integer({ min: 150, max: 400 }).map((n) => `${'('.repeat(n)}id = 1${')'.repeat(n)}`) },
    { weight: 1, arbitrary: fc.integer({ min: 150, max: 400 }).map((n) => `${'NOT '.repeat(n)}id = 1`) },
  );
}
