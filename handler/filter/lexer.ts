/**
 * Tokenizer for the filter DSL, exactly protocol §4.2: longest match wins, ties go to the earlier rule
 * (keywords beat IDENTIFIER, POS_INTEGER beats DECIMAL), keywords only in the listed spellings.
 *
 * Deliberate difference from the SDK: its lexer prints unknown characters to stderr and skips them
 * (`_a = 1` parses as `a = 1`); here any character no rule can take is a FilterSyntaxError.
 */
import { echo, FilterSyntaxError } from './errors';

export type TokenKind =
  | 'AND'
  | 'OR'
  | 'NOT'
  | 'TRUE'
  | 'FALSE'
  | 'GT'
  | 'GE'
  | 'LT'
  | 'LE'
  | 'EQ'
  | 'NE'
  | 'CONTAINS'
  | 'BETWEEN'
  | 'LPAREN'
  | 'RPAREN'
  | 'NULL'
  | 'IN'
  | 'LIMIT'
  | 'COMMA'
  | 'IDENTIFIER'
  | 'POS_INTEGER'
  | 'DECIMAL'
  | 'STRING'
  | 'DATE'
  | 'DATETIME'
  | 'EOF';

export interface Token {
  readonly kind: TokenKind;
  /** The token as written (strings with their quotes and backslashes); '' for EOF. */
  readonly text: string;
  /** 0-based UTF-16 offset of the first character. */
  readonly start: number;
}

/** Keyword spellings, exactly as the grammar lists them (`And`, `NULL`, `Contains` are identifiers). */
const KEYWORDS: ReadonlyMap<string, TokenKind> = new Map<string, TokenKind>([
  ['AND', 'AND'],
  ['and', 'AND'],
  ['OR', 'OR'],
  ['or', 'OR'],
  ['NOT', 'NOT'],
  ['not', 'NOT'],
  ['TRUE', 'TRUE'],
  ['True', 'TRUE'],
  ['true', 'TRUE'],
  ['FALSE', 'FALSE'],
  ['False', 'FALSE'],
  ['false', 'FALSE'],
  ['CONTAINS', 'CONTAINS'],
  ['contains', 'CONTAINS'],
  ['BETWEEN', 'BETWEEN'],
  ['between', 'BETWEEN'],
  ['null', 'NULL'],
  ['IN', 'IN'],
  ['in', 'IN'],
  ['LIMIT', 'LIMIT'],
  ['limit', 'LIMIT'],
]);

const WHITESPACE = /[ \t\r\n\f]+/y;
// A keyword is a prefix of the identifier match, so "longest match, earlier rule on ties" means:
// take the whole identifier-shaped word, then it is a keyword only if the word IS a keyword.
const WORD = /[a-zA-Z][A-Za-z0-9_.-]*/y;
const POS_INTEGER = /[1-9][0-9]+/y;
const DECIMAL = /-?[0-9]+(?:\.[0-9]+)?/y;
const DATE = /[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[0-9]|1[0-9]|2[0-9]|3[0-1])/y;
const DATETIME =
  /[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[0-9]|1[0-9]|2[0-9]|3[0-1])T(?:0[0-9]|1[0-9]|2[0-4]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?Z/y;

const OPERATORS: readonly (readonly [string, TokenKind])[] = [
  // two-character spellings first (longest match)
  ['>=', 'GE'],
  ['<=', 'LE'],
  ['!=', 'NE'],
  ['>', 'GT'],
  ['<', 'LT'],
  ['=', 'EQ'],
  ['(', 'LPAREN'],
  [')', 'RPAREN'],
  [',', 'COMMA'],
];

/** Escapes the grammar allows after a backslash inside a string. */
const ESCAPABLE = new Set(['"', '\\', "'", 't', 'n', 'r']);

function matchAt(re: RegExp, input: string, at: number): number {
  re.lastIndex = at;
  const m = re.exec(input);
  return m === null ? 0 : m[0].length;
}

/**
 * Length of the longest string token starting at `at` (input[at] is the quote), or 0 if none.
 *
 * The body is one or more of (any char but the quote) | (backslash + one of `"\'tnr`). These overlap, so this
 * is a small NFA walk keeping the longest accepting end, as ANTLR's lexer does. Trap (SDK behaviour, kept):
 * a backslash right before a quote may be read as an escape, so `'a\\' OR b = 'c'` is ONE string token
 * (`'a\\' OR b = '`), because that reading is longer.
 */
function matchString(input: string, at: number): number {
  const quote = input[at];
  if (input[at + 1] === quote) return 2; // EMPTY_*_STRING: the non-empty rule cannot start with the quote
  const n = input.length;
  let best = 0;
  // reachable[i]: some sequence of body items ends exactly at i. Only i and i+1 can be pending at once.
  let here = true; // reachable at i
  let next = false; // reachable at i+1 (via an escape pair ending there)
  for (let i = at + 1; i < n && (here || next); i++) {
    const c = input[i];
    let afterNext = false;
    if (here) {
      if (c === quote) {
        if (i > at + 1) best = i + 1 - at;
      } else {
        next = true;
        if (c === '\\' && i + 1 < n && ESCAPABLE.has(input[i + 1]!)) afterNext = true;
      }
    }
    here = next;
    next = afterNext;
  }
  return best;
}

/** A pull tokenizer: the parser asks for one token at a time, so the first error in reading order wins. */
export class Lexer {
  private pos = 0;

  constructor(private readonly input: string) {}

  next(): Token {
    const input = this.input;
    this.pos += matchAt(WHITESPACE, input, this.pos);
    const start = this.pos;
    if (start >= input.length) return { kind: 'EOF', text: '', start };
    const c = input[start]!;

    for (const [spelling, kind] of OPERATORS) {
      if (input.startsWith(spelling, start)) return this.take(kind, spelling.length);
    }

    const word = matchAt(WORD, input, start);
    if (word > 0) {
      const text = input.slice(start, start + word);
      return this.take(KEYWORDS.get(text) ?? 'IDENTIFIER', word);
    }

    if (c === "'" || c === '"') {
      const len = matchString(input, start);
      // No closing quote anywhere after this one (a backslash before a quote cannot prevent the close: see above).
      if (len === 0) throw new FilterSyntaxError(start, `unterminated string starting with ${c}`);
      return this.take('STRING', len);
    }

    if ((c >= '0' && c <= '9') || c === '-') {
      // Rule order among equal lengths: POS_INTEGER (15) < DECIMAL (16) < DATE (20) < DATETIME (21).
      const candidates: readonly (readonly [TokenKind, number])[] = [
        ['POS_INTEGER', matchAt(POS_INTEGER, input, start)],
        ['DECIMAL', matchAt(DECIMAL, input, start)],
        ['DATE', matchAt(DATE, input, start)],
        ['DATETIME', matchAt(DATETIME, input, start)],
      ];
      let kind: TokenKind | null = null;
      let len = 0;
      for (const [k, l] of candidates) {
        if (l > len) {
          kind = k;
          len = l;
        }
      }
      if (kind !== null) return this.take(kind, len);
    }

    throw new FilterSyntaxError(start, `unexpected character ${describeChar(input, start)}`);
  }

  private take(kind: TokenKind, length: number): Token {
    const start = this.pos;
    this.pos += length;
    return { kind, text: this.input.slice(start, start + length), start };
  }
}

function describeChar(input: string, at: number): string {
  const cp = input.codePointAt(at)!;
  const hex = 'U+' + cp.toString(16).toUpperCase().padStart(4, '0');
  return cp < 0x20 || cp === 0x7f ? hex : `${echo(String.fromCodePoint(cp))} (${hex})`;
}

/** All tokens of `input`, ending with EOF (handy in tests). */
export function tokenize(input: string): Token[] {
  const lexer = new Lexer(input);
  const tokens: Token[] = [];
  for (;;) {
    const token = lexer.next();
    tokens.push(token);
    if (token.kind === 'EOF') return tokens;
  }
}

/**
 * The value of a string token: quotes stripped, `\'` `\"` `\\` `\t` `\n` `\r` turned into their characters,
 * read left to right; a backslash before anything else (or at the end) stays as written.
 */
export function unescapeString(token: string): string {
  const body = token.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    const d = body[i + 1];
    if (c === '\\' && d !== undefined && ESCAPABLE.has(d)) {
      out += d === 't' ? '\t' : d === 'n' ? '\n' : d === 'r' ? '\r' : d;
      i++;
    } else {
      out += c;
    }
  }
  return out;
}
