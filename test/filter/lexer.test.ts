import test from 'ava';
import { FilterSyntaxError, tokenize, unescapeString } from '../../handler/filter';

const kinds = (input: string) => tokenize(input).map((t) => `${t.kind}:${t.text}`);

test('keywords only in the listed spellings; other cases are identifiers', (t) => {
  const words =
    'AND and OR or NOT not TRUE True true FALSE False false CONTAINS contains BETWEEN between null IN in LIMIT limit';
  t.deepEqual(
    tokenize(words)
      .slice(0, -1)
      .map((x) => x.kind),
    [
      ...['AND', 'AND', 'OR', 'OR', 'NOT', 'NOT', 'TRUE', 'TRUE', 'TRUE', 'FALSE', 'FALSE', 'FALSE'],
      ...['CONTAINS', 'CONTAINS', 'BETWEEN', 'BETWEEN', 'NULL', 'IN', 'IN', 'LIMIT', 'LIMIT'],
    ],
  );
  for (const w of ['And', 'Contains', 'Between', 'NULL', 'Null', 'tRUE', 'LIKE', 'In', 'Limit', 'andx', 'nullable']) {
    t.deepEqual(kinds(w), [`IDENTIFIER:${w}`, 'EOF:'], w);
  }
});

test('identifiers include dots, dashes and underscores after the first letter', (t) => {
  t.deepEqual(kinds('a.b.c first-name x-1 A_9'), [
    'IDENTIFIER:a.b.c',
    'IDENTIFIER:first-name',
    'IDENTIFIER:x-1',
    'IDENTIFIER:A_9',
    'EOF:',
  ]);
});

test('operators, longest match first', (t) => {
  t.deepEqual(kinds('a>=1'), ['IDENTIFIER:a', 'GE:>=', 'DECIMAL:1', 'EOF:']);
  t.deepEqual(kinds('<= < > = != ( ) ,'), [
    'LE:<=',
    'LT:<',
    'GT:>',
    'EQ:=',
    'NE:!=',
    'LPAREN:(',
    'RPAREN:)',
    'COMMA:,',
    'EOF:',
  ]);
  t.deepEqual(kinds('=>'), ['EQ:=', 'GT:>', 'EOF:']);
  t.deepEqual(kinds('=='), ['EQ:=', 'EQ:=', 'EOF:']);
});

test('numbers: POS_INTEGER needs two digits and beats DECIMAL on ties', (t) => {
  t.deepEqual(kinds('5 0 10 007 09 -3 -12.50 12345678901234567890 1.5'), [
    'DECIMAL:5',
    'DECIMAL:0',
    'POS_INTEGER:10',
    'DECIMAL:007',
    'DECIMAL:09',
    'DECIMAL:-3',
    'DECIMAL:-12.50',
    'POS_INTEGER:12345678901234567890',
    'DECIMAL:1.5',
    'EOF:',
  ]);
});

test('dates and date-times are unquoted tokens, not calendar-checked', (t) => {
  t.deepEqual(kinds('2022-02-30 2022-01-00 2024-03-01T24:59:59Z 2024-03-01T10:00:00.123456789Z'), [
    'DATE:2022-02-30',
    'DATE:2022-01-00',
    'DATETIME:2024-03-01T24:59:59Z',
    'DATETIME:2024-03-01T10:00:00.123456789Z',
    'EOF:',
  ]);
  // month 13 is not a date: a number followed by two negative numbers
  t.deepEqual(kinds('2022-13-01'), ['POS_INTEGER:2022', 'DECIMAL:-13', 'DECIMAL:-01', 'EOF:']);
  // a DATETIME must end in Z
  t.throws(() => tokenize('2024-03-01T10:00:00'), {
    instanceOf: FilterSyntaxError,
    message: /position 13: unexpected character ':'/,
  });
});

test('strings keep their text; the value is unescaped', (t) => {
  const [tok] = tokenize(String.raw`'O\'Brien'`);
  t.is(tok?.kind, 'STRING');
  t.is(tok?.text, String.raw`'O\'Brien'`);
  t.is(unescapeString(String.raw`'O\'Brien'`), "O'Brien");
  t.is(unescapeString(String.raw`'a\"b\\c\td\ne\rf'`), 'a"b\\c\td\ne\rf');
  t.is(unescapeString(String.raw`'\d\x\''`), String.raw`\d\x'`);
  t.is(unescapeString(String.raw`'\'`), '\\');
  t.is(unescapeString("''"), '');
  t.is(unescapeString('""'), '');
  t.is(unescapeString(`"it's"`), "it's");
  t.deepEqual(kinds(`'' ""`), ["STRING:''", 'STRING:""', 'EOF:']);
});

test("a lone backslash is a one-character string; '\\'' is a quote", (t) => {
  t.deepEqual(kinds(String.raw`'\'`), [String.raw`STRING:'\'`, 'EOF:']);
  t.deepEqual(kinds(String.raw`'\''`), [String.raw`STRING:'\''`, 'EOF:']);
  t.is(unescapeString(String.raw`'\''`), "'");
});

test('longest match: a backslash before a quote runs on to a later quote (SDK behaviour)', (t) => {
  t.deepEqual(kinds(String.raw`a = 'x\\' OR b = 'y`), [
    'IDENTIFIER:a',
    'EQ:=',
    String.raw`STRING:'x\\' OR b = '`,
    'IDENTIFIER:y',
    'EOF:',
  ]);
  // with nothing after it, the same string ends where it seems to
  t.deepEqual(kinds(String.raw`a = 'x\\'`), ['IDENTIFIER:a', 'EQ:=', String.raw`STRING:'x\\'`, 'EOF:']);
});

test('strings may span lines and hold any character', (t) => {
  t.deepEqual(kinds("'a\nb é 😀'"), ["STRING:'a\nb é 😀'", 'EOF:']);
});

test('whitespace: space, tab, CR, LF, form feed only', (t) => {
  t.deepEqual(kinds(' \t\r\n\fa'), ['IDENTIFIER:a', 'EOF:']);
  const err = t.throws(() => tokenize('a\u00a0= 1'), { instanceOf: FilterSyntaxError });
  t.is(err?.position, 1);
});

test('strict: any character no rule takes is a syntax error at its offset', (t) => {
  const cases: readonly (readonly [string, number])[] = [
    ['_a = 1', 0],
    ['a = 1.', 5],
    ['a = - 5', 4],
    ['a = .5', 4],
    ['a = +5', 4],
    ['a = 1; DROP TABLE x', 5],
    ['`a` = 1', 0],
    ['$a = 1', 0],
    ['é = 1', 0],
    ['a ! 1', 2],
    ["a = 'abc", 4],
    ['a = "abc', 4],
    ['d > 2022-01-01T10:20:30+01:00', 17],
  ];
  for (const [input, position] of cases) {
    const err = t.throws(() => tokenize(input), { instanceOf: FilterSyntaxError }, input);
    t.is(err?.position, position, input);
    t.true(err?.message.startsWith(`filterExpression: syntax error at position ${position}: `), input);
  }
});

test('tokens carry their start offsets', (t) => {
  t.deepEqual(
    tokenize("  ab >= 'x y'  ").map((x) => x.start),
    [2, 5, 8, 15],
  );
});
