/**
 * Recursive-descent parser for protocol §4.3:
 *
 *   filter  := expr [LIMIT count] EOF | LIMIT count EOF
 *   expr    := andExpr { OR andExpr }
 *   andExpr := unary { AND unary }
 *   unary   := NOT unary | primary
 *   primary := '(' expr ')' | IDENTIFIER op value | IDENTIFIER (= | !=) bool | IDENTIFIER CONTAINS value
 *            | IDENTIFIER BETWEEN value AND value | IDENTIFIER IN '(' value {',' value} ')' | IDENTIFIER | value
 *
 * Recursion happens only through '(' and NOT, and both count against FilterLimits.maxDepth, so hostile input
 * (10,000 '(' or NOTs) ends in a FilterSyntaxError, never a stack overflow.
 */
import { InvalidArgumentError } from '../errors';
import type { ComparisonOperator, Filter, Node, Value } from './ast';
import { FilterLimits } from './constants';
import { echo, FilterSyntaxError } from './errors';
import { Lexer, type Token, type TokenKind, unescapeString } from './lexer';

const COMPARISON_OPERATORS: Partial<Record<TokenKind, ComparisonOperator>> = {
  EQ: '=',
  NE: '!=',
  LT: '<',
  LE: '<=',
  GT: '>',
  GE: '>=',
};

const VALUE_KINDS: ReadonlySet<TokenKind> = new Set(['STRING', 'NULL', 'POS_INTEGER', 'DECIMAL', 'DATE', 'DATETIME']);

const KEYWORD_WORDS = ['AND', 'OR', 'NOT', 'TRUE', 'FALSE', 'CONTAINS', 'BETWEEN', 'NULL', 'IN', 'LIMIT'];

/** Parses a filter expression. Throws FilterSyntaxError (or InvalidArgumentError for the length limit). */
export function parseFilter(expression: string): Filter {
  if (expression.length > FilterLimits.maxLength) {
    throw new InvalidArgumentError(
      `filterExpression: the expression is ${expression.length} characters long; at most ${FilterLimits.maxLength} are accepted`,
    );
  }
  return new Parser(expression).parse();
}

class Parser {
  private readonly lexer: Lexer;
  private token: Token;
  private depth = 0;

  constructor(input: string) {
    this.lexer = new Lexer(input);
    this.token = this.lexer.next();
  }

  parse(): Filter {
    if (this.kind() === 'EOF') this.fail('the expression is empty');
    const condition = this.kind() === 'LIMIT' ? null : this.parseOr();
    let limit: number | null = null;
    if (this.kind() === 'LIMIT') {
      this.advance();
      limit = this.parseCount();
    }
    if (this.kind() !== 'EOF') {
      const expected = limit !== null ? 'end of input after LIMIT' : 'AND, OR, LIMIT or end of input';
      this.fail(`expected ${expected}, found ${describe(this.token)}${keywordHint(this.token)}`);
    }
    return { condition, limit };
  }

  private parseCount(): number {
    const token = this.token;
    if (token.kind !== 'POS_INTEGER') {
      this.fail(`LIMIT needs a whole number of at least 10 without leading zeros, found ${describe(token)}`);
    }
    this.advance();
    // Beyond 2^53 a limit is no limit: clamp instead of losing precision.
    const n = BigInt(token.text);
    return n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
  }

  private parseOr(): Node {
    const first = this.parseAnd();
    if (this.kind() !== 'OR') return first;
    const operands = [first];
    while (this.kind() === 'OR') {
      this.advance();
      operands.push(this.parseAnd());
    }
    return { type: 'or', operands };
  }

  private parseAnd(): Node {
    const first = this.parseUnary();
    if (this.kind() !== 'AND') return first;
    const operands = [first];
    while (this.kind() === 'AND') {
      this.advance();
      operands.push(this.parseUnary());
    }
    return { type: 'and', operands };
  }

  private parseUnary(): Node {
    // NOT NOT ... is a loop, not recursion; each NOT still counts as a nesting level.
    let nots = 0;
    while (this.kind() === 'NOT') {
      this.enter();
      nots++;
      this.advance();
    }
    let node = this.parsePrimary();
    for (let i = 0; i < nots; i++) node = { type: 'not', operand: node };
    this.depth -= nots;
    return node;
  }

  private parsePrimary(): Node {
    const token = this.token;
    if (token.kind === 'LPAREN') {
      this.enter();
      this.advance();
      const inner = this.parseOr();
      if (this.kind() !== 'RPAREN') {
        const expected = this.kind() === 'LIMIT' ? "')' (LIMIT may only end the whole expression)" : "AND, OR or ')'";
        this.fail(
          `expected ${expected} to close '(' at position ${token.start}, found ${describe(this.token)}${keywordHint(this.token)}`,
        );
      }
      this.advance();
      this.depth--;
      return inner;
    }
    if (token.kind === 'IDENTIFIER') {
      this.advance();
      return this.parseCondition(token.text);
    }
    if (VALUE_KINDS.has(token.kind)) {
      return { type: 'bareValue', value: this.parseValue('a condition') };
    }
    return this.fail(`expected a condition, found ${describe(token)}${keywordHint(token)}`);
  }

  /** What follows a field name. */
  private parseCondition(field: string): Node {
    const opToken = this.token;
    const op = COMPARISON_OPERATORS[opToken.kind];
    if (op !== undefined) {
      this.advance();
      const next = this.token;
      if (next.kind === 'TRUE' || next.kind === 'FALSE') {
        if (op !== '=' && op !== '!=') this.fail(`true/false can only follow = or !=, not '${op}'`);
        this.advance();
        return { type: 'boolComparison', op, field, value: next.kind === 'TRUE', text: next.text };
      }
      const what = op === '=' || op === '!=' ? 'a value or true/false' : 'a value';
      return { type: 'comparison', op, field, value: this.parseValue(`${what} after '${op}'`) };
    }
    switch (opToken.kind) {
      case 'CONTAINS':
        this.advance();
        return { type: 'contains', field, value: this.parseValue('a value after CONTAINS') };
      case 'BETWEEN': {
        this.advance();
        const low = this.parseValue('a value after BETWEEN');
        if (this.kind() !== 'AND') {
          this.fail(
            `expected AND after BETWEEN's first value, found ${describe(this.token)}${keywordHint(this.token)}`,
          );
        }
        this.advance();
        const high = this.parseValue('a value after BETWEEN ... AND');
        return { type: 'between', field, low, high };
      }
      case 'IN': {
        this.advance();
        if (this.kind() !== 'LPAREN') this.fail(`expected '(' after IN, found ${describe(this.token)}`);
        this.advance();
        const values = [this.parseValue('a value in the IN list (it needs at least one)')];
        while (this.kind() === 'COMMA') {
          this.advance();
          values.push(this.parseValue("a value after ',' in the IN list"));
        }
        if (this.kind() !== 'RPAREN') this.fail(`expected ',' or ')' in the IN list, found ${describe(this.token)}`);
        this.advance();
        return { type: 'in', field, values };
      }
      default:
        return { type: 'bareField', field };
    }
  }

  private parseValue(expected: string): Value {
    const token = this.token;
    switch (token.kind) {
      case 'STRING':
        this.advance();
        return { kind: 'string', value: unescapeString(token.text), text: token.text };
      case 'NULL':
        this.advance();
        return { kind: 'null', text: 'null' };
      case 'POS_INTEGER':
      case 'DECIMAL':
        this.advance();
        return { kind: 'number', text: token.text };
      case 'DATE':
        this.advance();
        return { kind: 'date', text: token.text };
      case 'DATETIME':
        this.advance();
        return { kind: 'datetime', text: token.text };
      default: {
        const hint =
          token.kind === 'TRUE' || token.kind === 'FALSE'
            ? ' (true/false may only follow = or !=)'
            : keywordHint(token) ||
              (token.kind === 'IDENTIFIER'
                ? ' (the right-hand side must be a literal, not a field; quote strings)'
                : '');
        return this.fail(`expected ${expected}, found ${describe(token)}${hint}`);
      }
    }
  }

  private enter(): void {
    this.depth++;
    if (this.depth > FilterLimits.maxDepth) {
      this.fail(`nesting is deeper than ${FilterLimits.maxDepth} levels of parentheses and NOT`);
    }
  }

  /** The current token's kind (a method, so TypeScript does not narrow it across advance()). */
  private kind(): TokenKind {
    return this.token.kind;
  }

  private advance(): void {
    this.token = this.lexer.next();
  }

  private fail(detail: string): never {
    throw new FilterSyntaxError(this.token.start, detail);
  }
}

function describe(token: Token): string {
  return token.kind === 'EOF' ? 'end of input' : echo(token.text);
}

/** `Contains`, `Between`, `NULL`, `And`...: keywords are case-sensitive in the grammar. */
function keywordHint(token: Token): string {
  if (token.kind !== 'IDENTIFIER') return '';
  const upper = token.text.toUpperCase();
  if (!KEYWORD_WORDS.includes(upper)) return '';
  const spellings = upper === 'NULL' ? 'null' : `${upper} or ${upper.toLowerCase()}`;
  return ` (keywords are case-sensitive: write ${spellings})`;
}
