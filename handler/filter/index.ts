export type {
  AndNode,
  BareFieldNode,
  BareValueNode,
  BetweenNode,
  BoolComparisonNode,
  ComparisonNode,
  ComparisonOperator,
  ContainsNode,
  DateTimeValue,
  DateValue,
  EqualityOperator,
  Filter,
  InNode,
  Node,
  NotNode,
  NullValue,
  NumberValue,
  OrNode,
  StringValue,
  Value,
} from './ast';
export { FilterLimits } from './constants';
export { FilterSyntaxError } from './errors';
export type { Token, TokenKind } from './lexer';
export { Lexer, tokenize, unescapeString } from './lexer';
export { parseFilter } from './parser';
export { printFilter, printNode, printValue, stringValue } from './printer';
export type { FilterField, LiteralLimits, TranslatedFilter } from './translate';
export { translateFilter, translateFilterTree } from './translate';
