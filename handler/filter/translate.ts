/**
 * Filter tree → engine-neutral Condition (handler/engines/engine.ts), which the engine's dialect renders as SQL.
 *
 * Safety: every literal becomes a typed Literal (a bound parameter in SQL, never SQL text); every field is looked
 * up in the entity's fields before it is named.
 *
 * Semantics (protocol §4.4, decisions where it left room):
 * - `f = null` / `f != null` → IS NULL / IS NOT NULL; null with any other operator is rejected;
 *   `IN (..., null)` → `(f IN (...) OR f IS NULL)`.
 * - `!=` keeps SQL meaning: a row whose field is NULL does NOT match `f != 1`.
 * - `NOT e` is the complement of e: it matches every row e does not match, INCLUDING rows where e is UNKNOWN
 *   because of NULLs (Condition `not`; plain SQL `NOT (e)` would drop those rows).
 * - CONTAINS is a literal substring match (no character of the value is a wildcard). Case sensitivity follows the
 *   column collation.
 * - BETWEEN is inclusive on both ends.
 * - Exact numbers (integer types, BigDecimal) are `exact` literals, compared exactly (never through a double),
 *   within the engine's digits (`SqlDialect.exactNumberLimits`).
 * - Date/DateTime values are calendar-checked `date` / `datetime` literals 'YYYY-MM-DD' /
 *   'YYYY-MM-DD HH:MM:SS[.ffffff]' (UTC). A Date field holds whole days and takes date literals only.
 * - Float/Double fields compare by the value a record shows (../values/floats.ts): `f = 0.1` finds the FLOAT shown as
 *   0.1; a literal with more digits compares with the shown value as written. `=`, `!=`, the orderings, BETWEEN
 *   (two orderings) and IN (a list of `=`) all follow from that one rule.
 * - Boolean fields compare by the true/false a record shows, which is "not zero" (Condition `truth`): `b = true`
 *   (or `= 1`) matches every non-zero value, `b = false` (or `= 0`) zero; TINYINT(1) may hold 2 or -1, true.
 */
import type { Condition, ConditionOperator, ExactNumberLimits, Literal } from '../engines/engine';
import { InvalidArgumentError } from '../errors';
import type { FieldDataType } from '../protocol/codecs';
import { type FloatPrecision, floatCondition } from '../values/floats';
import { type IsoDateTime, scanIsoDateTime } from '../values/isoDateTime';
import type { ComparisonOperator, Filter, Node, Value } from './ast';
import { echo, truncate } from './errors';
import { parseFilter } from './parser';
import { printNode } from './printer';

export interface FilterField {
  /** The column name in the table. */
  readonly name: string;
  readonly dataType: FieldDataType;
}

export interface TranslatedFilter {
  /** The condition records must meet, or null when there is none. */
  readonly condition: Condition | null;
  /** Total record cap from `LIMIT n`, or null. */
  readonly limit: number | null;
}

/** What the translator needs to know of the engine: which literals it can compare exactly. */
export interface LiteralLimits {
  /** The engine's name, for messages. */
  readonly label: string;
  readonly exactNumberLimits: ExactNumberLimits;
  /** Fraction digits of seconds the engine keeps. */
  readonly secondFractionDigits: number;
}

/** How a field's values are compared. */
type Kind = 'string' | 'integer' | 'decimal' | 'float' | 'boolean' | 'date' | 'datetime' | 'opaque';

const KIND_OF: Record<FieldDataType, Kind> = {
  String: 'string',
  Integer: 'integer',
  Long: 'integer',
  Short: 'integer',
  BigInteger: 'integer',
  BigDecimal: 'decimal',
  Float: 'float',
  Double: 'float',
  Boolean: 'boolean',
  Date: 'date',
  DateTime: 'datetime',
  ByteArray: 'opaque',
  Struct: 'opaque',
  Map: 'opaque',
  List: 'opaque',
};

const ORDERED = '=, !=, <, <=, >, >=, BETWEEN, IN';
const SUPPORTED: Record<Kind, string> = {
  string: `${ORDERED}, CONTAINS`,
  integer: ORDERED,
  decimal: ORDERED,
  float: ORDERED,
  boolean: '= and != (with true, false, 0, 1 or null) and IN (with 0, 1, null)',
  date: ORDERED,
  datetime: ORDERED,
  opaque: 'only = null and != null',
};

/** Translates a filter expression; null/empty/blank means "no filter". */
export function translateFilter(
  expression: string | null | undefined,
  fields: ReadonlyMap<string, FilterField>,
  limits: LiteralLimits,
): TranslatedFilter {
  if (expression === null || expression === undefined || expression.trim() === '') {
    return { condition: null, limit: null };
  }
  return translateFilterTree(parseFilter(expression), fields, limits);
}

/** Translates an already parsed filter (used directly by tests that generate trees). */
export function translateFilterTree(
  filter: Filter,
  fields: ReadonlyMap<string, FilterField>,
  limits: LiteralLimits,
): TranslatedFilter {
  if (filter.condition === null) return { condition: null, limit: filter.limit };
  return { condition: new Translator(fields, limits).node(filter.condition), limit: filter.limit };
}

interface Resolved {
  /** The column's name (checked: a field of the entity). */
  readonly column: string;
  readonly field: FilterField;
  readonly kind: Kind;
  readonly label: string;
}

class Translator {
  constructor(
    private readonly fields: ReadonlyMap<string, FilterField>,
    private readonly limits: LiteralLimits,
  ) {}

  node(node: Node): Condition {
    switch (node.type) {
      case 'or':
        return { type: 'or', operands: node.operands.map((o) => this.node(o)) };
      case 'and':
        return { type: 'and', operands: node.operands.map((o) => this.node(o)) };
      case 'not':
        return { type: 'not', operand: this.node(node.operand) };
      case 'comparison':
        return this.comparison(node.field, node.op, node.value, node);
      case 'boolComparison': {
        const f = this.resolve(node.field);
        if (f.kind !== 'boolean') {
          fail(`true/false can only be compared with Boolean fields; ${f.label} ${supports(f.kind)}`, node);
        }
        return { type: 'truth', column: f.column, truth: node.op === '=' ? node.value : !node.value };
      }
      case 'contains': {
        const f = this.resolve(node.field);
        if (f.kind !== 'string') fail(`CONTAINS only works on String fields; ${f.label} ${supports(f.kind)}`, node);
        if (node.value.kind === 'null') fail('CONTAINS null is not allowed; use = null to find missing values', node);
        return { type: 'contains', column: f.column, text: literalText(node.value) };
      }
      case 'between': {
        const f = this.resolve(node.field);
        if (node.low.kind === 'null' || node.high.kind === 'null') {
          fail('BETWEEN cannot use null as a bound', node);
        }
        this.requireOrdered(f, 'BETWEEN', node);
        if (f.kind === 'float') {
          // Two orderings: each moves its bound to the shown value (see floatCondition).
          return {
            type: 'and',
            operands: [this.floatComparison(f, '>=', node.low, node), this.floatComparison(f, '<=', node.high, node)],
          };
        }
        const low = this.typed(f, node.low, node);
        const high = this.typed(f, node.high, node);
        return { type: 'between', column: f.column, low, high };
      }
      case 'in': {
        const f = this.resolve(node.field);
        if (f.kind === 'opaque') fail(`IN is not supported on ${f.label}; it supports ${SUPPORTED.opaque}`, node);
        const present = node.values.filter((v) => v.kind !== 'null');
        const hasNull = present.length < node.values.length;
        if (present.length === 0) return { type: 'isNull', column: f.column, negated: false };
        let matches: Condition;
        if (f.kind === 'boolean') {
          const truths = new Set(present.map((v) => this.booleanLiteral(f, v, node)));
          matches = { type: 'truth', column: f.column, truth: truths.size === 2 ? 'any' : truths.has(true) };
        } else if (f.kind === 'float') {
          // `=` per member: members no stored value shows as are left out of the list.
          const values = present.map((v) => this.floatValue(f, '=', v, node));
          const list = values.flatMap((c): Literal[] =>
            typeof c === 'string' ? [] : [{ kind: 'float', value: c.value }],
          );
          matches =
            list.length === 0
              ? { type: 'never', column: f.column }
              : { type: 'in', column: f.column, values: list, orNull: false };
        } else {
          const values = present.map((v) => this.typed(f, v, node));
          return { type: 'in', column: f.column, values, orNull: hasNull };
        }
        return hasNull ? { type: 'orNull', column: f.column, operand: matches } : matches;
      }
      case 'bareField':
      case 'bareValue':
        return fail("a condition needs an operator, e.g. field = 'value'", node);
    }
  }

  private comparison(name: string, op: ComparisonOperator, value: Value, node: Node): Condition {
    const f = this.resolve(name);
    if (value.kind === 'null') {
      if (op === '=') return { type: 'isNull', column: f.column, negated: false };
      if (op === '!=') return { type: 'isNull', column: f.column, negated: true };
      return fail(`null can only be compared with = or != (it means "no value"), not '${op}'`, node);
    }
    if (op !== '=' && op !== '!=') this.requireOrdered(f, `'${op}'`, node);
    if (f.kind === 'boolean') {
      const truth = this.booleanLiteral(f, value, node);
      return { type: 'truth', column: f.column, truth: op === '=' ? truth : !truth };
    }
    if (f.kind === 'float') return this.floatComparison(f, op, value, node);
    return { type: 'compare', column: f.column, op: conditionOperator(op), value: this.typed(f, value, node) };
  }

  /** `f op value` on a Float/Double field, by the value a record shows. */
  private floatComparison(f: Resolved, op: ComparisonOperator, value: Value, node: Node): Condition {
    const condition = this.floatValue(f, op, value, node);
    if (condition === 'never') return { type: 'never', column: f.column };
    if (condition === 'always') return { type: 'always', column: f.column };
    return {
      type: 'compare',
      column: f.column,
      op: conditionOperator(condition.op),
      value: { kind: 'float', value: condition.value },
    };
  }

  private floatValue(f: Resolved, op: ComparisonOperator, value: Value, node: Node) {
    const text = parseNumber(f, value, node).text;
    if (!Number.isFinite(Number(text))) fail(`${show(value)} is too large for ${f.label}`, node);
    const precision: FloatPrecision = f.field.dataType === 'Float' ? 'single' : 'double';
    return floatCondition(precision, op, text);
  }

  /** A Boolean literal other than true/false: 0 or 1. */
  private booleanLiteral(f: Resolved, value: Value, node: Node): boolean {
    if (value.kind === 'number' && (value.text === '0' || value.text === '1')) return value.text === '1';
    return fail(`${f.label} accepts true, false, 0, 1 or null, found ${show(value)}`, node);
  }

  private requireOrdered(f: Resolved, what: string, node: Node): void {
    if (f.kind === 'boolean' || f.kind === 'opaque') {
      fail(`${what} is not supported on ${f.label}; it ${supports(f.kind)}`, node);
    }
  }

  /** A non-null value as a literal of the field's type. */
  private typed(f: Resolved, value: Value, node: Node): Literal {
    switch (f.kind) {
      case 'string':
        return { kind: 'text', value: literalText(value) };
      case 'integer':
      case 'decimal': {
        const n = parseNumber(f, value, node);
        const { digits, scale } = this.limits.exactNumberLimits;
        if (f.kind === 'integer' && n.fraction !== '') {
          fail(`${f.label} needs a whole number, found ${show(value)}`, node);
        }
        if (n.fraction.length > scale) {
          fail(`${show(value)} has more than ${scale} digits after the decimal point`, node);
        }
        if (n.integer.replace(/^0+(?=.)/, '').length > digits - n.fraction.length) {
          fail(`${show(value)} has more than ${digits} digits`, node);
        }
        return { kind: 'exact', text: n.text, scale: n.fraction.length };
      }
      case 'float':
      case 'boolean':
        // Translated by floatComparison / truth, which know the operator.
        throw new Error(`typed() called for a ${f.kind} field`);
      case 'date': {
        if (value.kind === 'datetime') {
          fail(
            `${f.label} needs an ISO date like ${value.text.slice(0, 10)}, not the instant ${show(value)}: it holds whole days`,
            node,
          );
        }
        // A number's text never scans as a date, so only what is written as a date (quoted or not) gets past.
        const scanned = scanIsoDateTime(literalText(value), FILTER_LITERAL);
        const d = scanned?.hasTime === false ? scanned : null;
        if (d === null) fail(`${f.label} needs an ISO date like 2024-03-01, found ${show(value)}`, node);
        checkCalendar(d, value, node);
        return { kind: 'date', text: dateText(d) };
      }
      case 'datetime': {
        // A number's text never scans as a date-time: it is refused below like any other text that is not one.
        const d = scanIsoDateTime(literalText(value), FILTER_LITERAL);
        if (d === null) {
          fail(
            `${f.label} needs an ISO date like 2024-03-01 or a UTC date-time like 2024-03-01T10:00:00Z, found ${show(value)}`,
            node,
          );
        }
        checkCalendar(d, value, node);
        return { kind: 'datetime', text: formatDateTime(d, value, node, this.limits) };
      }
      case 'opaque':
        // `= value` and `!= value` (the orderings were refused by requireOrdered, like BETWEEN; IN before it).
        return fail(`${f.label} ${supports(f.kind)}`, node);
    }
  }

  private resolve(name: string): Resolved {
    const field = this.fields.get(name);
    if (field === undefined) {
      const known = [...this.fields.keys()];
      const list =
        known.length === 0
          ? 'the entity has no fields'
          : known.length <= 10
            ? `known fields: ${known.map(echo).join(', ')}`
            : `known fields include ${known.slice(0, 10).map(echo).join(', ')} (${known.length} in all)`;
      throw new InvalidArgumentError(`filterExpression: unknown field ${echo(name)}; ${list}`);
    }
    const kind = KIND_OF[field.dataType];
    return { column: field.name, field, kind, label: `field ${echo(name)} (${field.dataType})` };
  }
}

function conditionOperator(op: ComparisonOperator): ConditionOperator {
  return op === '!=' ? '<>' : op;
}

function supports(kind: Kind): string {
  return `supports ${SUPPORTED[kind]}`;
}

/** The literal as a string: unescaped for strings, the token text for everything else. */
function literalText(value: Value): string {
  return value.kind === 'string' ? value.value : value.text;
}

interface ParsedNumber {
  readonly text: string;
  readonly integer: string;
  readonly fraction: string;
}

const NUMBER = /^-?([0-9]+)(?:\.([0-9]+))?$/;

/** A number token, or a string holding the same syntax (no exponent, no '+', no spaces). */
function parseNumber(f: Resolved, value: Value, node: Node): ParsedNumber {
  // A date's text never matches NUMBER: only numbers and strings holding one get past.
  const text = literalText(value);
  const m = NUMBER.exec(text);
  if (m === null) {
    const hint = value.kind === 'date' || value.kind === 'datetime' ? ', found a date' : `, found ${show(value)}`;
    return fail(`${f.label} needs a number like 42 or -1.5${hint}`, node);
  }
  return { text, integer: m[1]!, fraction: m[2] ?? '' };
}

const FILTER_LITERAL = { filterLiteral: true } as const;

/** Calendar and clock checks of a literal of the right form, with messages that say what is wrong. */
function checkCalendar(d: IsoDateTime, value: Value, node: Node): void {
  if (d.year < 1 || d.problem === 'calendar') fail(`${show(value)} is not a calendar date`, node);
  if (d.problem !== 'clock') return;
  if (d.hour === 24) fail(`${show(value)}: hour 24 is not supported; use 00:00:00 of the next day`, node);
  fail(`${show(value)} is not a valid time of day`, node);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function dateText(d: IsoDateTime): string {
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;
}

/** 'YYYY-MM-DD HH:MM:SS[.ffffff]'; digits beyond what the engine keeps (microseconds) must be zeros. */
function formatDateTime(d: IsoDateTime, value: Value, node: Node, limits: LiteralLimits): string {
  // Without a time of day the fields are zeros and the fraction '': midnight.
  const kept = limits.secondFractionDigits;
  if (/[1-9]/.test(d.fraction.slice(kept))) {
    fail(`${show(value)} is more precise than microseconds, which ${limits.label} cannot store`, node);
  }
  const fraction = d.fraction.slice(0, kept);
  return `${dateText(d)} ${pad(d.hour)}:${pad(d.minute)}:${pad(d.second)}${fraction === '' ? '' : `.${fraction}`}`;
}

function fail(message: string, node: Node): never {
  throw new InvalidArgumentError(`filterExpression: ${message} (in: ${truncate(printNode(node))})`);
}

/** A literal as written, cut short; strings already carry their quotes. */
function show(value: Value): string {
  return value.kind === 'string' ? truncate(value.text) : echo(value.text);
}
