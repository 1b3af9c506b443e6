// The lexer's error messages, word for word: what a user sees when a filter does not tokenize. Found by mutation
// testing (Stryker over handler/filter/lexer.ts): the older tests checked positions and a prefix only, so a
// message that lost its code point, printed it in lower case or unpadded, or echoed a control character raw, and an
// unterminated-string message with extra or missing words, all went unnoticed.
import test from 'ava';
import { FilterSyntaxError, tokenize } from '../../handler/filter';

const detail = (input: string) => {
  try {
    tokenize(input);
  } catch (error) {
    if (error instanceof FilterSyntaxError) return `${error.position}: ${error.detail}`;
    throw error;
  }
  return 'no error';
};

test('an unexpected printable character is quoted and named by its code point, upper-case hex, 4 digits at least', (t) => {
  t.is(detail('a = +5'), "4: unexpected character '+' (U+002B)");
  t.is(detail('a = 1; DROP TABLE x'), "5: unexpected character ';' (U+003B)");
  t.is(detail('é = 1'), "0: unexpected character 'é' (U+00E9)");
  t.is(detail('a\u00a0= 1'), "1: unexpected character '\u00a0' (U+00A0)");
  t.is(detail('a = ~'), "4: unexpected character '~' (U+007E)");
  // a character outside the BMP is one code point (two UTF-16 units); the position counts UTF-16 units
  t.is(detail('ab = 😀'), "5: unexpected character '😀' (U+1F600)");
  // the whole message, as the parser's caller sees it
  t.throws(() => tokenize('a = +5'), {
    instanceOf: FilterSyntaxError,
    message: "filterExpression: syntax error at position 4: unexpected character '+' (U+002B)",
  });
});

test('a control character is named by its code point only, never echoed', (t) => {
  t.is(detail('a = \u0001'), '4: unexpected character U+0001');
  t.is(detail('a = 1\u0000'), '5: unexpected character U+0000');
  t.is(detail('a = \u001f'), '4: unexpected character U+001F');
  t.is(detail('a = \u007f'), '4: unexpected character U+007F');
});

test('an unterminated string names its quote and where it starts', (t) => {
  t.is(detail("a = 'abc"), "4: unterminated string starting with '");
  t.is(detail('a = "abc'), '4: unterminated string starting with "');
  t.is(detail(`a = "it's`), '4: unterminated string starting with "');
  t.is(detail(`a = 'say "hi"`), "4: unterminated string starting with '");
  t.is(detail("x = 'a' OR y = 'b"), "15: unterminated string starting with '");
  t.is(detail("'"), "0: unterminated string starting with '");
});
