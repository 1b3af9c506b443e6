/**
 * The parsed filter expression (protocol §4.3) as a typed tree.
 *
 * - AND/OR chains are n-ary (`a AND b AND c` is one node with three operands), which keeps long chains shallow;
 *   a parenthesised sub-expression stays a separate node, so the tree keeps the user's grouping.
 * - Values keep their token kind and original text: numbers stay text (arbitrary precision, `007` stays `007`),
 *   strings carry both the unescaped value and the quoted source text.
 */

/** The six comparison operators of the DSL. */
export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** The operators that may precede `true`/`false`. */
export type EqualityOperator = '=' | '!=';

/** A quoted string; `value` is unescaped, `text` is the token as written (with its quotes). */
export interface StringValue {
  readonly kind: 'string';
  readonly value: string;
  readonly text: string;
}

/** A POS_INTEGER or DECIMAL token (`-?[0-9]+(\.[0-9]+)?`), kept as text. */
export interface NumberValue {
  readonly kind: 'number';
  readonly text: string;
}

/** The `null` keyword; grammatically a value, allowed wherever a value is. */
export interface NullValue {
  readonly kind: 'null';
  readonly text: 'null';
}

/** An unquoted `YYYY-MM-DD` token (not calendar-checked by the lexer). */
export interface DateValue {
  readonly kind: 'date';
  readonly text: string;
}

/** An unquoted `YYYY-MM-DDTHH:MM:SS[.f+]Z` token: a UTC instant (not calendar-checked by the lexer). */
export interface DateTimeValue {
  readonly kind: 'datetime';
  readonly text: string;
}

export type Value = StringValue | NumberValue | NullValue | DateValue | DateTimeValue;

export interface OrNode {
  readonly type: 'or';
  /** Two or more. */
  readonly operands: readonly Node[];
}

export interface AndNode {
  readonly type: 'and';
  /** Two or more. */
  readonly operands: readonly Node[];
}

export interface NotNode {
  readonly type: 'not';
  readonly operand: Node;
}

/** `field op value`. */
export interface ComparisonNode {
  readonly type: 'comparison';
  readonly op: ComparisonOperator;
  readonly field: string;
  readonly value: Value;
}

/** `field = true`, `field != False`...; `text` is the spelling used (`TRUE`, `True`, `true`, ...). */
export interface BoolComparisonNode {
  readonly type: 'boolComparison';
  readonly op: EqualityOperator;
  readonly field: string;
  readonly value: boolean;
  readonly text: string;
}

/** `field CONTAINS value`. */
export interface ContainsNode {
  readonly type: 'contains';
  readonly field: string;
  readonly value: Value;
}

/** `field BETWEEN low AND high`. */
export interface BetweenNode {
  readonly type: 'between';
  readonly field: string;
  readonly low: Value;
  readonly high: Value;
}

/** `field IN (v1, v2, ...)`. */
export interface InNode {
  readonly type: 'in';
  readonly field: string;
  /** One or more. */
  readonly values: readonly Value[];
}

/** A field name alone: grammatical, meaningless (rejected by the translator). */
export interface BareFieldNode {
  readonly type: 'bareField';
  readonly field: string;
}

/** A literal alone: grammatical, meaningless (rejected by the translator). */
export interface BareValueNode {
  readonly type: 'bareValue';
  readonly value: Value;
}

export type Node =
  | OrNode
  | AndNode
  | NotNode
  | ComparisonNode
  | BoolComparisonNode
  | ContainsNode
  | BetweenNode
  | InNode
  | BareFieldNode
  | BareValueNode;

/** A whole filter expression: an optional condition and an optional trailing `LIMIT n`. */
export interface Filter {
  readonly condition: Node | null;
  /** Total record cap across all pages (n ≥ 10 by the grammar), or null. */
  readonly limit: number | null;
}
