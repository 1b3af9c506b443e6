import test from 'ava';
import fc from 'fast-check';
import { InvalidArgumentError } from '../../handler/errors';
import { type Filter, type Node, parseFilter, printFilter, stringValue, type Value } from '../../handler/filter';
import { evaluateCondition, type Row } from '../support/filterEvaluator';
import { compileFilter, compileFilterTree } from '../support/mysqlFilter';
import { ALL_TYPES } from './helpers';

const KEYWORDS = new Set(['AND', 'and', 'OR', 'or', 'NOT', 'not', 'TRUE', 'True', 'true', 'FALSE', 'False', 'false']);
for (const k of ['CONTAINS', 'contains', 'BETWEEN', 'between', 'null', 'IN', 'in', 'LIMIT', 'limit']) KEYWORDS.add(k);

const identifier = fc.stringMatching(/^[a-zA-Z][A-Za-z0-9_.-]{0,8}$/).filter((s) => !KEYWORDS.has(s));

/** Any string value; one ending in a backslash is unprintable in general (see stringValue). */
const anyString = fc
  .oneof(fc.string(), fc.string({ unit: 'binary' }), fc.stringMatching(/^[\\'"tnr %_!]{0,8}$/))
  .filter((s) => !s.endsWith('\\'));

const doubleQuoted = (value: string): Value => ({
  kind: 'string',
  value,
  text: `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`,
});

const DATE = /^[0-9]{4}-(0[1-9]|1[0-2])-(0[0-9]|1[0-9]|2[0-9]|3[0-1])$/;
const DATETIME =
  /^[0-9]{4}-(0[1-9]|1[0-2])-(0[0-9]|1[0-9]|2[0-9]|3[0-1])T(0[0-9]|1[0-9]|2[0-4]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9})?Z$/;

const anyValue: fc.Arbitrary<Value> = fc.oneof(
  anyString.map(stringValue),
  anyString.map(doubleQuoted),
  fc.stringMatching(/^-?[0-9]{1,25}(\.[0-9]{1,12})?$/).map((text): Value => ({ kind: 'number', text })),
  fc.constant<Value>({ kind: 'null', text: 'null' }),
  fc.stringMatching(DATE).map((text): Value => ({ kind: 'date', text })),
  fc.stringMatching(DATETIME).map((text): Value => ({ kind: 'datetime', text })),
);

const anyNode = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({
      type: fc.constant('comparison' as const),
      op: fc.constantFrom('=' as const, '!=' as const, '<' as const, '<=' as const, '>' as const, '>=' as const),
      field: identifier,
      value: anyValue,
    }),
    fc
      .record({
        op: fc.constantFrom('=' as const, '!=' as const),
        field: identifier,
        value: fc.boolean(),
        i: fc.nat(2),
      })
      .map(({ op, field, value, i }): Node => {
        const text = (value ? ['TRUE', 'True', 'true'] : ['FALSE', 'False', 'false'])[i]!;
        return { type: 'boolComparison', op, field, value, text };
      }),
    fc.record({ type: fc.constant('contains' as const), field: identifier, value: anyValue }),
    fc.record({ type: fc.constant('between' as const), field: identifier, low: anyValue, high: anyValue }),
    fc.record({
      type: fc.constant('in' as const),
      field: identifier,
      values: fc.array(anyValue, { minLength: 1, maxLength: 4 }),
    }),
    fc.record({ type: fc.constant('bareField' as const), field: identifier }),
    fc.record({ type: fc.constant('bareValue' as const), value: anyValue }),
    fc.record({ type: fc.constant('not' as const), operand: tie('node') }),
    fc.record({ type: fc.constant('and' as const), operands: fc.array(tie('node'), { minLength: 2, maxLength: 4 }) }),
    fc.record({ type: fc.constant('or' as const), operands: fc.array(tie('node'), { minLength: 2, maxLength: 4 }) }),
  ),
})).node;

const limit = fc.integer({ min: 10, max: Number.MAX_SAFE_INTEGER });
const anyFilter: fc.Arbitrary<Filter> = fc.oneof(
  fc.record({ condition: anyNode, limit: fc.option(limit) }),
  fc.record({ condition: fc.constant(null), limit }),
);

test('(a) print then parse gives back the same tree', (t) => {
  // fc.assert throws with the counterexample when the property fails.
  t.notThrows(() =>
    fc.assert(
      fc.property(anyFilter, (filter) => {
        const text = printFilter(filter);
        t.deepEqual(parseFilter(text), filter, text);
      }),
      { numRuns: 1000 },
    ),
  );
});

/** Only our two error classes may escape (FilterSyntaxError extends InvalidArgumentError). */
function onlyExpectedErrors(expression: string): boolean {
  try {
    compileFilter(expression, ALL_TYPES);
  } catch (err) {
    if (!(err instanceof InvalidArgumentError)) throw err;
    if (!err.message.startsWith('filterExpression: ')) throw new Error(`bad message: ${err.message}`);
  }
  return true;
}

const FRAGMENTS = [
  ...['s', 'i', 'bd', 'f', 'b', 'dt', 'ts', 'ba', 'x', 'AND', 'or', 'NOT', '(', ')', '=', '!=', '>', '<=', ',', ' '],
  ...["'", '"', '\\', "'a'", '1', '10', '-', '.', '1.5', 'null', 'IN', 'BETWEEN', 'CONTAINS', 'LIMIT', 'true'],
  ...['2024-01-01', '2022-02-30', 'T10:00:00Z', '2024-01-01T24:00:00Z', ';', '`', '_', 'é', '\n'],
];

test('(b) random text never throws anything but our errors', (t) => {
  // fc.assert throws with the counterexample when the property fails.
  t.notThrows(() =>
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 60 }),
          fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 25 }).map((parts) => parts.join(' ')),
          fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 25 }).map((parts) => parts.join('')),
        ),
        onlyExpectedErrors,
      ),
      { numRuns: 1000 },
    ),
  );
});

test('(b) mutated valid expressions never throw anything but our errors', (t) => {
  // fc.assert throws with the counterexample when the property fails.
  t.notThrows(() =>
    fc.assert(
      fc.property(
        anyFilter,
        fc.array(fc.tuple(fc.nat(), fc.nat(4), fc.constantFrom(...FRAGMENTS)), { minLength: 1, maxLength: 3 }),
        (filter, mutations) => {
          let text = printFilter(filter);
          for (const [at, cut, insert] of mutations) {
            const i = text.length === 0 ? 0 : at % text.length;
            text = text.slice(0, i) + insert + text.slice(i + cut);
          }
          return onlyExpectedErrors(text);
        },
      ),
      { numRuns: 1000 },
    ),
  );
});

// (c) Typed trees over ALL_TYPES, with distinctive literals: no literal may ever show up in the SQL text.

const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));
const distinctInt = fc.tuple(fc.boolean(), digits(5, 20)).map(([neg, d]) => `${neg ? '-' : ''}8${d}`);
const distinctDecimal = fc.tuple(distinctInt, digits(1, 10)).map(([i, f]) => `${i}.${f}`);
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const calendarDate = fc
  .tuple(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
  .map(([y, m, d]) => `${y}-${pad(m)}-${pad(d)}`);
const instant = fc
  .tuple(
    calendarDate,
    fc.integer({ min: 0, max: 23 }),
    fc.integer({ min: 0, max: 59 }),
    fc.integer({ min: 0, max: 59 }),
    fc.option(digits(1, 6)),
  )
  .map(([d, h, mi, s, f]) => `${d}T${pad(h)}:${pad(mi)}:${pad(s)}${f === null ? '' : `.${f}`}Z`);
/** A number in exponent form (`8123.45e-3`), which no number field takes, quoted or not (issue 19). */
const exponentNumber = fc
  .tuple(fc.oneof(distinctInt, distinctDecimal), fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), digits(1, 2))
  .map(([mantissa, e, sign, exponent]) => `${mantissa}${e}${sign}${exponent}`);
const distinctString = fc
  .string({ maxLength: 8 })
  .filter((s) => !s.endsWith('\\'))
  .map((s) => `zq${s}`);

const num = (text: string): Value => ({ kind: 'number', text });
const NULL: Value = { kind: 'null', text: 'null' };

/** A literal that fits the field's type (or, rarely, one that does not). */
function literalFor(name: string, mixWrong = true): fc.Arbitrary<Value> {
  const type = ALL_TYPES.get(name)!.dataType;
  const wrong = fc.oneof(
    distinctString.map(stringValue),
    exponentNumber.map(stringValue),
    distinctDecimal.map(num),
    instant.map((text): Value => ({ kind: 'datetime', text })),
  );
  const right = (() => {
    switch (type) {
      case 'String':
        return fc.oneof(
          distinctString.map(stringValue),
          distinctString.map(doubleQuoted),
          distinctDecimal.map(num),
          calendarDate.map((text): Value => ({ kind: 'date', text })),
        );
      case 'Integer':
      case 'Long':
      case 'Short':
      case 'BigInteger':
        return fc.oneof(distinctInt.map(num), distinctInt.map(stringValue));
      case 'BigDecimal':
      case 'Float':
      case 'Double':
        return fc.oneof(distinctInt.map(num), distinctDecimal.map(num), distinctDecimal.map(stringValue));
      case 'Boolean':
        return fc.constantFrom(num('0'), num('1'));
      case 'Date':
        return fc.oneof(
          calendarDate.map((text): Value => ({ kind: 'date', text })),
          calendarDate.map(stringValue),
        );
      case 'DateTime':
        return fc.oneof(
          calendarDate.map((text): Value => ({ kind: 'date', text })),
          instant.map((text): Value => ({ kind: 'datetime', text })),
          instant.map(stringValue),
        );
      default:
        return wrong;
    }
  })();
  if (!mixWrong) return right;
  return fc.oneof(
    { weight: 12, arbitrary: right },
    { weight: 1, arbitrary: wrong },
    { weight: 1, arbitrary: fc.constant(NULL) },
  );
}

const fieldName = fc.constantFrom(...ALL_TYPES.keys());
const ORDER_OPS = ['=', '!=', '<', '<=', '>', '>='] as const;

/** A leaf that should compile: constructs and literals that suit the field's type. */
const validLeaf: fc.Arbitrary<Node> = fieldName.chain((field): fc.Arbitrary<Node> => {
  const type = ALL_TYPES.get(field)!.dataType;
  const lit = literalFor(field, false);
  const inList = fc.array(fc.oneof({ weight: 4, arbitrary: lit }, { weight: 1, arbitrary: fc.constant(NULL) }), {
    minLength: 1,
    maxLength: 4,
  });
  const isNull = fc.record({
    type: fc.constant('comparison' as const),
    op: fc.constantFrom('=' as const, '!=' as const),
    field: fc.constant(field),
    value: fc.constant(NULL),
  });
  const ordered = [
    fc.record({
      type: fc.constant('comparison' as const),
      op: fc.constantFrom(...ORDER_OPS),
      field: fc.constant(field),
      value: lit,
    }),
    fc.record({ type: fc.constant('between' as const), field: fc.constant(field), low: lit, high: lit }),
    fc.record({ type: fc.constant('in' as const), field: fc.constant(field), values: inList }),
    isNull,
  ];
  switch (type) {
    case 'String':
      return fc.oneof(
        ...ordered,
        fc.record({ type: fc.constant('contains' as const), field: fc.constant(field), value: lit }),
      );
    case 'Boolean':
      return fc.oneof(
        fc
          .record({ op: fc.constantFrom('=' as const, '!=' as const), value: fc.boolean() })
          .map(({ op, value }): Node => ({ type: 'boolComparison', op, field, value, text: String(value) })),
        fc.record({
          type: fc.constant('comparison' as const),
          op: fc.constantFrom('=' as const, '!=' as const),
          field: fc.constant(field),
          value: lit,
        }),
        fc.record({ type: fc.constant('in' as const), field: fc.constant(field), values: inList }),
        isNull,
      );
    case 'ByteArray':
    case 'Struct':
    case 'Map':
    case 'List':
      return isNull;
    default:
      return fc.oneof(...ordered);
  }
});

/** Any construct on any field: often invalid. */
const anyLeaf: fc.Arbitrary<Node> = fieldName.chain((field): fc.Arbitrary<Node> => {
  const lit = literalFor(field);
  return fc.oneof(
    fc.record({
      type: fc.constant('comparison' as const),
      op: fc.constantFrom('=' as const, '!=' as const, '<' as const, '<=' as const, '>' as const, '>=' as const),
      field: fc.constant(field),
      value: lit,
    }),
    fc.record({
      type: fc.constant('comparison' as const),
      op: fc.constantFrom('=' as const, '!=' as const),
      field: fc.constant(field),
      value: fc.constant(NULL),
    }),
    fc
      .record({
        type: fc.constant('boolComparison' as const),
        op: fc.constantFrom('=' as const, '!=' as const),
        field: fc.constant(field),
        value: fc.boolean(),
        text: fc.constant('true'),
      })
      .map((n) => ({ ...n, text: String(n.value) })),
    fc.record({ type: fc.constant('contains' as const), field: fc.constant(field), value: lit }),
    fc.record({ type: fc.constant('between' as const), field: fc.constant(field), low: lit, high: lit }),
    fc.record({
      type: fc.constant('in' as const),
      field: fc.constant(field),
      values: fc.array(lit, { minLength: 1, maxLength: 4 }),
    }),
  );
});
const typedNode = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof({ weight: 8, arbitrary: validLeaf }, { weight: 1, arbitrary: anyLeaf }),
    fc.record({ type: fc.constant('not' as const), operand: tie('node') }),
    fc.record({ type: fc.constant('and' as const), operands: fc.array(tie('node'), { minLength: 2, maxLength: 4 }) }),
    fc.record({ type: fc.constant('or' as const), operands: fc.array(tie('node'), { minLength: 2, maxLength: 4 }) }),
  ),
})).node;

function literals(node: Node): Value[] {
  switch (node.type) {
    case 'or':
    case 'and':
      return node.operands.flatMap(literals);
    case 'not':
      return literals(node.operand);
    case 'comparison':
    case 'contains':
      return [node.value];
    case 'between':
      return [node.low, node.high];
    case 'in':
      return [...node.values];
    case 'bareValue':
      return [node.value];
    default:
      return [];
  }
}

test('(c) literals never reach the SQL text and every ? has its parameter', (t) => {
  let compiled = 0;
  fc.assert(
    fc.property(typedNode, (node) => {
      let result: ReturnType<typeof compileFilterTree>;
      try {
        result = compileFilterTree({ condition: node, limit: null }, ALL_TYPES);
      } catch (err) {
        if (err instanceof InvalidArgumentError) return true;
        throw err;
      }
      compiled++;
      const where = result.where ?? '';
      for (const v of literals(node)) {
        if (v.kind === 'null' || (v.kind === 'number' && v.text.length < 5)) continue; // not distinctive
        if (where.includes(v.text) || (v.kind === 'string' && where.includes(v.value))) return false;
      }
      return where.split('?').length - 1 === result.params.length;
    }),
    { numRuns: 1000 },
  );
  t.true(compiled > 500, `only ${compiled} trees compiled`);
});

const rowValue: Record<string, fc.Arbitrary<Row[string]>> = {
  String: fc.string({ maxLength: 5 }),
  Integer: fc.integer(),
  Long: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  Short: fc.integer({ min: -32768, max: 32767 }),
  BigInteger: distinctInt,
  BigDecimal: distinctDecimal,
  Float: fc.double({ noNaN: true, noDefaultInfinity: true }),
  Double: fc.double({ noNaN: true, noDefaultInfinity: true }),
  Boolean: fc.boolean(),
  Date: calendarDate,
  DateTime: instant.map((s) => s.replace('T', ' ').replace('Z', '')),
};
const anyRow: fc.Arbitrary<Row> = fc.record(
  Object.fromEntries(
    [...ALL_TYPES.values()].map((f) => [f.name, fc.option(rowValue[f.dataType] ?? fc.constant('opaque'), { freq: 4 })]),
  ),
);

test('(c) the evaluator accepts exactly the trees the translator accepts', (t) => {
  // fc.assert throws with the counterexample when the property fails.
  t.notThrows(() =>
    fc.assert(
      fc.property(typedNode, anyRow, (node, row) => {
        let compiles = true;
        try {
          compileFilterTree({ condition: node, limit: null }, ALL_TYPES);
        } catch (err) {
          if (!(err instanceof InvalidArgumentError)) throw err;
          compiles = false;
        }
        let evaluates = true;
        try {
          const result = evaluateCondition(node, row, ALL_TYPES);
          if (result !== true && result !== false && result !== null) return false;
        } catch (err) {
          if (!(err instanceof InvalidArgumentError)) throw err;
          evaluates = false;
        }
        return compiles === evaluates;
      }),
      { numRuns: 1000 },
    ),
  );
});
