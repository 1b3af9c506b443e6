import type { Filter, FilterField, Node } from '../../handler/filter';
import type { FieldDataType } from '../../handler/protocol/codecs';

/** The grouping of a tree as the S-expressions of protocol §4.5 (AND/OR are n-ary here). */
export function sexpr(filter: Filter): string {
  const cond = filter.condition === null ? null : sexprNode(filter.condition);
  if (filter.limit === null) return cond ?? '';
  return cond === null ? `(LIMIT ${filter.limit})` : `(LIMIT ${filter.limit} ${cond})`;
}

export function sexprNode(node: Node): string {
  switch (node.type) {
    case 'or':
      return `(OR ${node.operands.map(sexprNode).join(' ')})`;
    case 'and':
      return `(AND ${node.operands.map(sexprNode).join(' ')})`;
    case 'not':
      return `(NOT ${sexprNode(node.operand)})`;
    case 'comparison':
      return `(${node.op} ${node.field} ${node.value.text})`;
    case 'boolComparison':
      return `(${node.op} ${node.field} ${node.text})`;
    case 'contains':
      return `(CONTAINS ${node.field} ${node.value.text})`;
    case 'between':
      return `(BETWEEN ${node.field} ${node.low.text} ${node.high.text})`;
    case 'in':
      return `(IN ${node.field} ${node.values.map((v) => v.text).join(' ')})`;
    case 'bareField':
      return node.field;
    case 'bareValue':
      return node.value.text;
  }
}

/** A field map where each DSL name is also the column name. */
export function fieldMap(types: Readonly<Record<string, FieldDataType>>): ReadonlyMap<string, FilterField> {
  return new Map(Object.entries(types).map(([name, dataType]) => [name, { name, dataType }]));
}

/** One field of every data type, named after it. */
export const ALL_TYPES = fieldMap({
  s: 'String',
  i: 'Integer',
  l: 'Long',
  sh: 'Short',
  bi: 'BigInteger',
  bd: 'BigDecimal',
  f: 'Float',
  d: 'Double',
  b: 'Boolean',
  dt: 'Date',
  ts: 'DateTime',
  ba: 'ByteArray',
  st: 'Struct',
  m: 'Map',
  li: 'List',
});
