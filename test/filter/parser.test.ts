import test from 'ava';
import { InvalidArgumentError } from '../../handler/errors';
import { FilterLimits, FilterSyntaxError, parseFilter } from '../../handler/filter';
import { sexpr } from './helpers';

// Protocol §4.5, with AND/OR shown n-ary (a chain `a AND b AND c` is one node; parentheses keep nesting).
const EXAMPLES: readonly (readonly [string, string])[] = [
  ['updated_at > 2024-03-01T00:00:00Z', '(> updated_at 2024-03-01T00:00:00Z)'],
  [
    'updated_at BETWEEN 2024-03-01T00:00:00Z AND 2024-03-02T00:00:00.000Z',
    '(BETWEEN updated_at 2024-03-01T00:00:00Z 2024-03-02T00:00:00.000Z)',
  ],
  ['hired_on >= 2024-01-01', '(>= hired_on 2024-01-01)'],
  [String.raw`first_name = 'O\'Brien'`, String.raw`(= first_name 'O\'Brien')`],
  ['email = null', '(= email null)'],
  ['is_active = True', '(= is_active True)'],
  ['os CONTAINS "moj%ave"', '(CONTAINS os "moj%ave")'],
  ['accountId in (100, 90, 70)', '(IN accountId 100 90 70)'],
  ["a = 'x' AND b = 'y' OR c = 'z'", "(OR (AND (= a 'x') (= b 'y')) (= c 'z'))"],
  ["a = 'x' OR b = 'y' AND c = 'z'", "(OR (= a 'x') (AND (= b 'y') (= c 'z')))"],
  ["NOT a = 'x' AND b = 'y'", "(AND (NOT (= a 'x')) (= b 'y'))"],
  ['a BETWEEN 1 AND 5 AND b = 2', '(AND (BETWEEN a 1 5) (= b 2))'],
  ['a = 1 AND (b = 2 OR c = 3) LIMIT 50', '(LIMIT 50 (AND (= a 1) (OR (= b 2) (= c 3))))'],
  ['LIMIT 100', '(LIMIT 100)'],
  [
    '(accountId > 100 and ((date < 2021-04-20T12:30:45Z and date > 2021-04-21T15:45:49.234Z) and accountId < 200))',
    '(AND (> accountId 100) (AND (AND (< date 2021-04-20T12:30:45Z) (> date 2021-04-21T15:45:49.234Z)) (< accountId 200)))',
  ],
  // more grouping checks
  ['a = 1 AND b = 2 AND c = 3', '(AND (= a 1) (= b 2) (= c 3))'],
  ['(a = 1 AND b = 2) AND c = 3', '(AND (AND (= a 1) (= b 2)) (= c 3))'],
  ['a = 1 OR b = 2 OR c = 3 AND d = 4', '(OR (= a 1) (= b 2) (AND (= c 3) (= d 4)))'],
  ['NOT NOT a = 1', '(NOT (NOT (= a 1)))'],
  ['NOT (a = 1 OR b = 2)', '(NOT (OR (= a 1) (= b 2)))'],
  ['((a = 1))', '(= a 1)'],
  ['a != false', '(!= a false)'],
  [
    'a IN (\'x\', 1, 2022-01-01, null, "y", 2022-01-01T00:00:00Z)',
    '(IN a \'x\' 1 2022-01-01 null "y" 2022-01-01T00:00:00Z)',
  ],
  ['x > null', '(> x null)'],
  ["x BETWEEN null AND 'b'", "(BETWEEN x null 'b')"],
  ['a', 'a'],
  ["'lonely'", "'lonely'"],
  ['a OR 5', '(OR a 5)'],
  // a bare value of each kind is a condition (the connector then refuses or translates it)
  ['null', 'null'],
  ['100', '100'],
  ['-1.5', '-1.5'],
  ['2024-01-01', '2024-01-01'],
  ['2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z'],
  ['a OR null OR 2.5 OR 2024-01-01 OR 2024-01-01T00:00:00Z', '(OR a null 2.5 2024-01-01 2024-01-01T00:00:00Z)'],
  ['x >= 9 LIMIT 10', '(LIMIT 10 (>= x 9))'],
  ['a=1 and b!=2 or not c<=-3.5', '(OR (AND (= a 1) (!= b 2)) (NOT (<= c -3.5)))'],
];

for (const [input, expected] of EXAMPLES) {
  test(`parses ${input}`, (t) => {
    t.is(sexpr(parseFilter(input)), expected);
  });
}

test('string values are unescaped in the tree', (t) => {
  const f = parseFilter(String.raw`a IN ('O\'Brien', "say \"hi\"", 'c:\\temp', 'tab\there', 'new\nline', '\d', '')`);
  t.is(f.condition?.type, 'in');
  if (f.condition?.type !== 'in') return;
  t.deepEqual(
    f.condition.values.map((v) => (v.kind === 'string' ? v.value : null)),
    ["O'Brien", 'say "hi"', 'c:\\temp', 'tab\there', 'new\nline', '\\d', ''],
  );
});

test('the tree keeps value kinds and original text', (t) => {
  t.deepEqual(parseFilter('a IN (007, -1.50, 2024-01-01, 2024-01-01T00:00:00.5Z, null, "x")'), {
    condition: {
      type: 'in',
      field: 'a',
      values: [
        { kind: 'number', text: '007' },
        { kind: 'number', text: '-1.50' },
        { kind: 'date', text: '2024-01-01' },
        { kind: 'datetime', text: '2024-01-01T00:00:00.5Z' },
        { kind: 'null', text: 'null' },
        { kind: 'string', value: 'x', text: '"x"' },
      ],
    },
    limit: null,
  });
  t.deepEqual(parseFilter('b = TRUE').condition, {
    type: 'boolComparison',
    op: '=',
    field: 'b',
    value: true,
    text: 'TRUE',
  });
  t.deepEqual(parseFilter('b != false').condition, {
    type: 'boolComparison',
    op: '!=',
    field: 'b',
    value: false,
    text: 'false',
  });
  t.deepEqual(parseFilter('2024-01-01').condition, { type: 'bareValue', value: { kind: 'date', text: '2024-01-01' } });
});

// Protocol §4.5 "Rejected by the SDK parser", plus a few more; [input, error position].
const REJECTED: readonly (readonly [string, number])[] = [
  ['os == "x"', 4],
  ['os <> "x"', 4],
  ['a => 1', 3],
  ['LIMIT 5', 6],
  ['LIMIT 100 LIMIT 100', 10],
  ['x >= 9 LIMIT 0', 13],
  ['os CONTAIN "x"', 3],
  ['os Contains "x"', 3],
  ["os LIKE 'x'", 3],
  ['time Between 1 and 2', 5],
  ['a IN ()', 6],
  ['accountId in (id, 1)', 14],
  ['accountId in (true)', 14],
  ['a > true', 4],
  ['a BETWEEN true AND false', 10],
  ['a = NULL', 4],
  ['a = b', 4],
  ['5 = a', 2],
  ['(a = 1 LIMIT 10)', 7],
  ['date > 2021-04-20T20:30', 17],
  ['d > 2022-01-01T10:20:30+01:00', 14],
  ["a = 'it''s'", 8],
  ['a = 1 ORDER BY b', 6],
  ['a = 1; DROP TABLE x', 5],
  // more
  ['LIMIT 09', 6],
  ['LIMIT 10 a = 1', 9],
  ['a = 1 LIMIT', 11],
  ['a = 1 LIMIT 1.5', 12],
  ['a = 1 AND', 9],
  ['a = 1 OR OR b = 2', 9],
  ['(a = 1', 6],
  ['a = 1)', 5],
  ['()', 1],
  ['NOT', 3],
  ['a IN (1,)', 8],
  ['a IN (1 2)', 8],
  ['a IN 1', 5],
  ['a BETWEEN 1 OR 2', 12],
  ['a BETWEEN 1', 11],
  ['a CONTAINS true', 11],
  ['a = 1e5', 5],
  ['purchaseStatus between true and false', 23],
  ['a = 1 LIMIT 10 LIMIT 10', 15],
  ['a = 1 limit 10,', 14],
  ['a IS NULL', 2],
  ['a NOT IN (1)', 2],
  ['a = -b', 4],
];

for (const [input, position] of REJECTED) {
  test(`rejects ${input}`, (t) => {
    const err = t.throws(() => parseFilter(input), { instanceOf: FilterSyntaxError });
    t.true(err instanceof InvalidArgumentError);
    t.is(err?.code, 'InvalidArgument');
    t.is(err?.position, position);
    t.regex(err?.message ?? '', new RegExp(`^filterExpression: syntax error at position ${position}: \\S`));
  });
}

test('empty and blank input are syntax errors for the parser', (t) => {
  t.throws(() => parseFilter(''), { instanceOf: FilterSyntaxError, message: /position 0: the expression is empty/ });
  t.throws(() => parseFilter('  \n'), {
    instanceOf: FilterSyntaxError,
    message: /position 3: the expression is empty/,
  });
});

test('messages name what was expected and what was found', (t) => {
  t.is(
    t.throws(() => parseFilter('a = 1 AND (b > )'))?.message,
    "filterExpression: syntax error at position 15: expected a value after '>', found ')'",
  );
  t.is(
    t.throws(() => parseFilter('a = NULL'))?.message,
    "filterExpression: syntax error at position 4: expected a value or true/false after '=', found 'NULL' (keywords are case-sensitive: write null)",
  );
  t.is(
    t.throws(() => parseFilter('os Contains "x"'))?.message,
    "filterExpression: syntax error at position 3: expected AND, OR, LIMIT or end of input, found 'Contains' (keywords are case-sensitive: write CONTAINS or contains)",
  );
  t.is(
    t.throws(() => parseFilter('LIMIT 5'))?.message,
    "filterExpression: syntax error at position 6: LIMIT needs a whole number of at least 10 without leading zeros, found '5'",
  );
  t.regex(t.throws(() => parseFilter('(a = 1 LIMIT 10)'))?.message ?? '', /LIMIT may only end the whole expression/);
  t.regex(
    t.throws(() => parseFilter('(a = 1'))?.message ?? '',
    /expected AND, OR or '\)' to close '\(' at position 0, found end of input/,
  );
});

test('long user input is never echoed in full', (t) => {
  const long = 'x'.repeat(500);
  const err = t.throws(() => parseFilter(`a = 1 ${long}`), { instanceOf: FilterSyntaxError });
  t.true((err?.message.length ?? 0) < 200);
  t.false(err?.message.includes(long.slice(0, 61)));
});

test('deep nesting of parentheses or NOT is a syntax error, not a stack overflow', (t) => {
  const depth = FilterLimits.maxDepth;
  t.notThrows(() => parseFilter(`${'('.repeat(depth)}a = 1${')'.repeat(depth)}`));
  t.notThrows(() => parseFilter(`${'NOT '.repeat(depth)}a = 1`));
  t.notThrows(() => parseFilter(`${'NOT ('.repeat(depth / 2)}a = 1${')'.repeat(depth / 2)}`));
  for (const input of [
    `${'('.repeat(10_000)}a = 1${')'.repeat(10_000)}`,
    `${'NOT '.repeat(10_000)}a = 1`,
    `${'NOT ('.repeat(5_000)}a = 1${')'.repeat(5_000)}`,
    '('.repeat(99_999),
  ]) {
    const err = t.throws(() => parseFilter(input), { instanceOf: FilterSyntaxError });
    t.regex(err?.message ?? '', /nesting is deeper than 200 levels of parentheses and NOT/);
  }
  t.throws(() => parseFilter(`${'('.repeat(depth + 1)}a = 1${')'.repeat(depth + 1)}`), {
    instanceOf: FilterSyntaxError,
    message: /position 200:/,
  });
});

test('long flat chains are fine (n-ary AND/OR, no recursion per operand)', (t) => {
  const input = Array.from({ length: 10_000 }, () => 'a=1').join(' and ');
  const f = parseFilter(input);
  t.is(f.condition?.type, 'and');
  if (f.condition?.type === 'and') t.is(f.condition.operands.length, 10_000);
});

test('expressions longer than the limit are rejected with a clear message', (t) => {
  const err = t.throws(() => parseFilter(`a = '${'x'.repeat(FilterLimits.maxLength)}'`), {
    instanceOf: InvalidArgumentError,
  });
  t.is(
    err?.message,
    `filterExpression: the expression is ${FilterLimits.maxLength + 6} characters long; at most ${FilterLimits.maxLength} are accepted`,
  );
});

test('a huge LIMIT is clamped to the largest safe integer', (t) => {
  t.is(parseFilter('LIMIT 99999999999999999999999').limit, Number.MAX_SAFE_INTEGER);
  t.is(parseFilter('LIMIT 9007199254740991').limit, Number.MAX_SAFE_INTEGER);
  t.is(parseFilter('a = 1 limit 10').limit, 10);
});
