/**
 * Prints a tree back as DSL text that parses to the same tree (given values whose `text` is a valid token,
 * as the parser and `stringValue` produce). Parentheses are added only where precedence needs them, plus
 * around nested AND-in-AND / OR-in-OR so that the parser rebuilds the same n-ary grouping.
 */
import type { Filter, Node, StringValue, Value } from './ast';

export function printFilter(filter: Filter): string {
  const condition = filter.condition === null ? '' : printNode(filter.condition);
  if (filter.limit === null) return condition;
  return condition === '' ? `LIMIT ${filter.limit}` : `${condition} LIMIT ${filter.limit}`;
}

export function printNode(node: Node): string {
  switch (node.type) {
    case 'or':
      return node.operands.map((o) => (o.type === 'or' ? `(${printNode(o)})` : printNode(o))).join(' OR ');
    case 'and':
      return node.operands
        .map((o) => (o.type === 'or' || o.type === 'and' ? `(${printNode(o)})` : printNode(o)))
        .join(' AND ');
    case 'not': {
      const inner = printNode(node.operand);
      return node.operand.type === 'or' || node.operand.type === 'and' ? `NOT (${inner})` : `NOT ${inner}`;
    }
    case 'comparison':
      return `${node.field} ${node.op} ${node.value.text}`;
    case 'boolComparison':
      return `${node.field} ${node.op} ${node.text}`;
    case 'contains':
      return `${node.field} CONTAINS ${node.value.text}`;
    case 'between':
      return `${node.field} BETWEEN ${node.low.text} AND ${node.high.text}`;
    case 'in':
      return `${node.field} IN (${node.values.map((v) => v.text).join(', ')})`;
    case 'bareField':
      return node.field;
    case 'bareValue':
      return node.value.text;
  }
}

/** Prints a value as its token text. */
export function printValue(value: Value): string {
  return value.text;
}

/**
 * A string value with a canonical quoted text: single quotes, `\` and `'` escaped.
 * Trap: a value ENDING in a backslash cannot be written safely when another `'` follows later in the
 * expression (the lexer's longest match reads `\'` as an escape and runs on), so avoid such values in
 * printed expressions or make sure they come last.
 */
export function stringValue(value: string): StringValue {
  return { kind: 'string', value, text: `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'` };
}
