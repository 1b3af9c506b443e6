import test from 'ava';
import { FilterSyntaxError, parseFilter } from '../../handler/filter';

// The parser's error messages word for word: each names what the grammar expected at that point and what it found,
// with a hint where a likely mistake explains it. parser.test.ts checks the positions of these and more.
const MESSAGES: readonly (readonly [string, number, string])[] = [
  // after a complete filter
  ['LIMIT 100 LIMIT 100', 10, "expected end of input after LIMIT, found 'LIMIT'"],
  ['LIMIT 10 a = 1', 9, "expected end of input after LIMIT, found 'a'"],
  ['a = 1 LIMIT 10 and', 15, "expected end of input after LIMIT, found 'and'"],
  ['a = 1 ORDER BY b', 6, "expected AND, OR, LIMIT or end of input, found 'ORDER'"],
  // where a condition must start
  ['true', 0, "expected a condition, found 'true'"],
  ['a = 1 AND FALSE', 10, "expected a condition, found 'FALSE'"],
  ['a = 1 OR OR b = 2', 9, "expected a condition, found 'OR'"],
  ['a AND and b', 6, "expected a condition, found 'and'"],
  ['a = 1 or', 8, 'expected a condition, found end of input'],
  [')', 0, "expected a condition, found ')'"],
  // comparisons
  ['a > true', 4, "true/false can only follow = or !=, not '>'"],
  ['a <= False', 5, "true/false can only follow = or !=, not '<='"],
  ['a != )', 5, "expected a value or true/false after '!=', found ')'"],
  [
    'a = b',
    4,
    "expected a value or true/false after '=', found 'b' (the right-hand side must be a literal, not a field; quote strings)",
  ],
  [
    'a < b',
    4,
    "expected a value after '<', found 'b' (the right-hand side must be a literal, not a field; quote strings)",
  ],
  // CONTAINS, BETWEEN, IN
  ['a CONTAINS true', 11, "expected a value after CONTAINS, found 'true' (true/false may only follow = or !=)"],
  [
    'a CONTAINS b',
    11,
    "expected a value after CONTAINS, found 'b' (the right-hand side must be a literal, not a field; quote strings)",
  ],
  ['a BETWEEN false AND 2', 10, "expected a value after BETWEEN, found 'false' (true/false may only follow = or !=)"],
  ['a BETWEEN 1 OR 2', 12, "expected AND after BETWEEN's first value, found 'OR'"],
  ['a BETWEEN 1', 11, "expected AND after BETWEEN's first value, found end of input"],
  // A keyword in the wrong case gets the same hint wherever it stands.
  [
    'a BETWEEN 1 And 2',
    12,
    "expected AND after BETWEEN's first value, found 'And' (keywords are case-sensitive: write AND or and)",
  ],
  [
    'a BETWEEN 1 AND b',
    16,
    "expected a value after BETWEEN ... AND, found 'b' (the right-hand side must be a literal, not a field; quote strings)",
  ],
  ['a IN 1', 5, "expected '(' after IN, found '1'"],
  ['a IN ()', 6, "expected a value in the IN list (it needs at least one), found ')'"],
  [
    'a IN (True)',
    6,
    "expected a value in the IN list (it needs at least one), found 'True' (true/false may only follow = or !=)",
  ],
  ['a IN (1,)', 8, "expected a value after ',' in the IN list, found ')'"],
  [
    'a IN (1, id)',
    9,
    "expected a value after ',' in the IN list, found 'id' (the right-hand side must be a literal, not a field; quote strings)",
  ],
  ['a IN (1 2)', 8, "expected ',' or ')' in the IN list, found '2'"],
  ['a IN (1', 7, "expected ',' or ')' in the IN list, found end of input"],
  // parentheses
  [
    '(a = 1 and b = 2 LIMIT 10)',
    17,
    "expected ')' (LIMIT may only end the whole expression) to close '(' at position 0, found 'LIMIT'",
  ],
  ['a = 1 AND (b = 2 OR c = 3', 25, "expected AND, OR or ')' to close '(' at position 10, found end of input"],
  [
    '(a = 1 Or b = 2)',
    7,
    "expected AND, OR or ')' to close '(' at position 0, found 'Or' (keywords are case-sensitive: write OR or or)",
  ],
];

for (const [input, position, detail] of MESSAGES) {
  test(`the message for ${input}`, (t) => {
    const err = t.throws(() => parseFilter(input), { instanceOf: FilterSyntaxError });
    t.is(err?.message, `filterExpression: syntax error at position ${position}: ${detail}`);
    t.is(err?.position, position);
    t.is(err?.detail, detail);
  });
}

// Keywords are case-sensitive (protocol §4.2): a keyword in another case is an identifier, and wherever the parser
// reports it, the message says how to write the keyword.
const MISCASED: readonly (readonly [string, string])[] = [
  ['And', 'AND or and'],
  ['oR', 'OR or or'],
  ['Not', 'NOT or not'],
  ['tRUE', 'TRUE or true'],
  ['fALSE', 'FALSE or false'],
  ['Contains', 'CONTAINS or contains'],
  ['Between', 'BETWEEN or between'],
  ['In', 'IN or in'],
  ['Limit', 'LIMIT or limit'],
  ['Null', 'null'],
  ['NULL', 'null'],
];

for (const [word, spellings] of MISCASED) {
  test(`${word} after a condition is named a case-sensitive keyword`, (t) => {
    t.is(
      t.throws(() => parseFilter(`a = 1 ${word} b`), { instanceOf: FilterSyntaxError })?.message,
      `filterExpression: syntax error at position 6: expected AND, OR, LIMIT or end of input, found '${word}' (keywords are case-sensitive: write ${spellings})`,
    );
  });
  test(`${word} as a value is named a case-sensitive keyword`, (t) => {
    t.is(
      t.throws(() => parseFilter(`a > ${word}`), { instanceOf: FilterSyntaxError })?.message,
      `filterExpression: syntax error at position 4: expected a value after '>', found '${word}' (keywords are case-sensitive: write ${spellings})`,
    );
  });
}

test('an identifier that is no keyword gets no keyword hint', (t) => {
  t.is(
    t.throws(() => parseFilter('a = 1 Andy'), { instanceOf: FilterSyntaxError })?.message,
    "filterExpression: syntax error at position 6: expected AND, OR, LIMIT or end of input, found 'Andy'",
  );
});
