/**
 * Filter tree → MySQL/MariaDB WHERE clause with positional `?` parameters (for mysql2 `execute`).
 *
 * Safety: every literal becomes a parameter, never SQL text; every field is looked up in the entity's fields
 * and quoted with quoteIdentifier; every node is wrapped in parentheses.
 *
 * Semantics (protocol §4.4, decisions where it left room):
 * - `f = null` / `f != null` → IS NULL / IS NOT NULL; null with any other operator is rejected;
 *   `IN (..., null)` → `(f IN (...) OR f IS NULL)`.
 * - `!=` keeps SQL meaning: a row whose field is NULL does NOT match `f != 1`.
 * - `NOT e` is the complement of e: it matches every row e does not match, INCLUDING rows where e is UNKNOWN
 *   because of NULLs. Plain SQL `NOT (e)` would drop those rows, so we emit `(e) IS NOT TRUE`.
 * - CONTAINS is a literal substring match: `%`, `_` (and `!`, our LIKE escape) in the value are escaped in
 *   the parameter; `\` is not special under `ESCAPE '!'`. Case sensitivity follows the column collation.
 * - BETWEEN is inclusive on both ends.
 * - Exact numbers (integer types, BigDecimal) are bound as text and compared via CAST(? AS DECIMAL(65,s)):
 *   MySQL compares an integer column with a string (or a double) as DOUBLE, which is wrong beyond 2^53.
 * - Date/DateTime values are calendar-checked and bound as 'YYYY-MM-DD' / 'YYYY-MM-DD HH:MM:SS[.ffffff]'
 *   (UTC; the session time zone is UTC) inside CAST(? AS DATE) / CAST(? AS DATETIME(6)). A Date field holds whole
 *   days and takes date literals only.
 * - Float/Double fields compare by the value a record shows (../db/floats.ts): `f = 0.1` finds the FLOAT shown as
 *   0.1; a literal with more digits compares with the shown value as written. `=`, `!=`, the orderings, BETWEEN
 *   (two orderings) and IN (a list of `=`) all follow from that one rule.
 * - Boolean fields compare by the true/false a record shows, which is "not zero": `b = true` (or `= 1`) is
 *   `b <> 0`, `b = false` (or `= 0`) is `b = 0`; TINYINT(1) may hold 2 or -1, which read as true.
 */
import { type FloatPrecision, floatCondition } from '../db/floats';
import { quoteIdentifier } from '../db/identifiers';
import { InvalidArgumentError } from '../errors';
import type { FieldDataType } from '../protocol/codecs';
import type { ComparisonOperator, Filter, Node, Value } from './ast';
import { echo, truncate } from './errors';
import { parseFilter } from './parser';
import { printNode } from './printer';

export interface FilterField {
  /** The column name in the table (quoted with backticks in SQL). */
  readonly name: string;
  readonly dataType: FieldDataType;
}

export interface CompiledFilter {
  /** SQL condition to use as `WHERE (${where})`, or null when there is no condition. */
  readonly where: string | null;
  /** One parameter per `?` in `where`, in order. */
  readonly params: readonly (string | number | null)[];
  /** Total record cap from `LIMIT n`, or null. */
  readonly limit: number | null;
}

type Param = string | number | null;

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

/** MySQL DECIMAL: at most 65 digits, at most 30 after the point. */
const MAX_PRECISION = 65;
const MAX_SCALE = 30;

/** Compiles a filter expression; null/empty/blank means "no filter". */
export function compileFilter(
  expression: string | null | undefined,
  fields: ReadonlyMap<string, FilterField>,
): CompiledFilter {
  if (expression === null || expression === undefined || expression.trim() === '') {
    return { where: null, params: [], limit: null };
  }
  return compileFilterTree(parseFilter(expression), fields);
}

/** Compiles an already parsed filter (used directly by tests that generate trees). */
export function compileFilterTree(filter: Filter, fields: ReadonlyMap<string, FilterField>): CompiledFilter {
  if (filter.condition === null) return { where: null, params: [], limit: filter.limit };
  const params: Param[] = [];
  const where = new Compiler(fields, params).node(filter.condition);
  return { where, params, limit: filter.limit };
}

interface Resolved {
  readonly column: string;
  readonly field: FilterField;
  readonly kind: Kind;
  readonly label: string;
}

class Compiler {
  constructor(
    private readonly fields: ReadonlyMap<string, FilterField>,
    private readonly params: Param[],
  ) {}

  node(node: Node): string {
    switch (node.type) {
      case 'or':
        return `(${node.operands.map((o) => this.node(o)).join(' OR ')})`;
      case 'and':
        return `(${node.operands.map((o) => this.node(o)).join(' AND ')})`;
      case 'not':
        return `(${this.node(node.operand)} IS NOT TRUE)`;
      case 'comparison':
        return this.comparison(node.field, node.op, node.value, node);
      case 'boolComparison': {
        const f = this.resolve(node.field);
        if (f.kind !== 'boolean') {
          fail(`true/false can only be compared with Boolean fields; ${f.label} ${supports(f.kind)}`, node);
        }
        return booleanSql(f.column, node.op === '=' ? node.value : !node.value);
      }
      case 'contains': {
        const f = this.resolve(node.field);
        if (f.kind !== 'string') fail(`CONTAINS only works on String fields; ${f.label} ${supports(f.kind)}`, node);
        if (node.value.kind === 'null') fail('CONTAINS null is not allowed; use = null to find missing values', node);
        const pattern = literalText(node.value).replace(/[!%_]/g, '!$&');
        return `(${f.column} LIKE CONCAT('%', ${this.bind(pattern)}, '%') ESCAPE '!')`;
      }
      case 'between': {
        const f = this.resolve(node.field);
        if (node.low.kind === 'null' || node.high.kind === 'null') {
          fail('BETWEEN cannot use null as a bound', node);
        }
        this.requireOrdered(f, 'BETWEEN', node);
        if (f.kind === 'float') {
          // Two orderings: each moves its bound to the shown value (see floatSql).
          return `(${this.floatSql(f, '>=', node.low, node)} AND ${this.floatSql(f, '<=', node.high, node)})`;
        }
        const low = this.typed(f, node.low, node);
        const high = this.typed(f, node.high, node);
        return `(${f.column} BETWEEN ${low} AND ${high})`;
      }
      case 'in': {
        const f = this.resolve(node.field);
        if (f.kind === 'opaque') fail(`IN is not supported on ${f.label}; it supports ${SUPPORTED.opaque}`, node);
        const present = node.values.filter((v) => v.kind !== 'null');
        const hasNull = present.length < node.values.length;
        if (present.length === 0) return `(${f.column} IS NULL)`;
        let matches: string;
        if (f.kind === 'boolean') {
          const truths = new Set(present.map((v) => this.booleanLiteral(f, v, node)));
          matches =
            truths.size === 2 ? `(${f.column} = 0 OR ${f.column} <> 0)` : booleanSql(f.column, truths.has(true));
        } else if (f.kind === 'float') {
          // `=` per member: members no stored value shows as are left out of the list.
          const values = present.map((v) => this.floatValue(f, '=', v, node));
          const list = values.flatMap((c) => (typeof c === 'string' ? [] : [this.bind(c.value)]));
          matches = list.length === 0 ? neverSql(f.column) : `(${f.column} IN (${list.join(', ')}))`;
        } else {
          const list = present.map((v) => this.typed(f, v, node)).join(', ');
          return hasNull ? `(${f.column} IN (${list}) OR ${f.column} IS NULL)` : `(${f.column} IN (${list}))`;
        }
        return hasNull ? `(${matches} OR ${f.column} IS NULL)` : matches;
      }
      case 'bareField':
      case 'bareValue':
        return fail("a condition needs an operator, e.g. field = 'value'", node);
    }
  }

  private comparison(name: string, op: ComparisonOperator, value: Value, node: Node): string {
    const f = this.resolve(name);
    if (value.kind === 'null') {
      if (op === '=') return `(${f.column} IS NULL)`;
      if (op === '!=') return `(${f.column} IS NOT NULL)`;
      return fail(`null can only be compared with = or != (it means "no value"), not '${op}'`, node);
    }
    if (op !== '=' && op !== '!=') this.requireOrdered(f, `'${op}'`, node);
    if (f.kind === 'opaque') fail(`${f.label} ${supports(f.kind)}`, node);
    if (f.kind === 'boolean') {
      const truth = this.booleanLiteral(f, value, node);
      return booleanSql(f.column, op === '=' ? truth : !truth);
    }
    if (f.kind === 'float') return this.floatSql(f, op, value, node);
    return `(${f.column} ${sqlOperator(op)} ${this.typed(f, value, node)})`;
  }

  /** `f op value` on a Float/Double field, by the value a record shows. */
  private floatSql(f: Resolved, op: ComparisonOperator, value: Value, node: Node): string {
    const condition = this.floatValue(f, op, value, node);
    if (condition === 'never') return neverSql(f.column);
    if (condition === 'always') return `(${f.column} = ${f.column})`;
    return `(${f.column} ${sqlOperator(condition.op)} ${this.bind(condition.value)})`;
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

  /** Binds a non-null value as the field's type and returns the SQL that stands for it. */
  private typed(f: Resolved, value: Value, node: Node): string {
    switch (f.kind) {
      case 'string':
        return this.bind(literalText(value));
      case 'integer':
      case 'decimal': {
        const n = parseNumber(f, value, node);
        if (f.kind === 'integer' && n.fraction !== '') {
          fail(`${f.label} needs a whole number, found ${show(value)}`, node);
        }
        if (n.fraction.length > MAX_SCALE) {
          fail(`${show(value)} has more than ${MAX_SCALE} digits after the decimal point`, node);
        }
        if (n.integer.replace(/^0+(?=.)/, '').length > MAX_PRECISION - n.fraction.length) {
          fail(`${show(value)} has more than ${MAX_PRECISION} digits`, node);
        }
        return `CAST(${this.bind(n.text)} AS DECIMAL(${MAX_PRECISION},${n.fraction.length}))`;
      }
      case 'float':
      case 'boolean':
        // Compiled by floatSql / booleanSql, which know the operator.
        throw new Error(`typed() called for a ${f.kind} field`);
      case 'date': {
        const s = value.kind === 'date' || value.kind === 'string' ? literalText(value) : null;
        const d = s === null ? null : parseIsoDate(s);
        if (d === null && value.kind === 'datetime') {
          fail(
            `${f.label} needs an ISO date like ${value.text.slice(0, 10)}, not the instant ${show(value)}: it holds whole days`,
            node,
          );
        }
        if (d === null) fail(`${f.label} needs an ISO date like 2024-03-01, found ${show(value)}`, node);
        checkCalendar(d, value, node);
        return `CAST(${this.bind(`${d.date}`)} AS DATE)`;
      }
      case 'datetime': {
        const s =
          value.kind === 'string' || value.kind === 'date' || value.kind === 'datetime' ? literalText(value) : null;
        const d = s === null ? null : (parseIsoDateTime(s) ?? parseIsoDate(s));
        if (d === null) {
          fail(
            `${f.label} needs an ISO date like 2024-03-01 or a UTC date-time like 2024-03-01T10:00:00Z, found ${show(value)}`,
            node,
          );
        }
        checkCalendar(d, value, node);
        return `CAST(${this.bind(formatDateTime(d, value, node))} AS DATETIME(6))`;
      }
      case 'opaque':
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
    return { column: quoteIdentifier(field.name), field, kind, label: `field ${echo(name)} (${field.dataType})` };
  }

  private bind(param: Param): string {
    this.params.push(param);
    return '?';
  }
}

/** The shown value of a Boolean field (true = not zero) is `truth`; NULL stays unknown. */
function booleanSql(column: string, truth: boolean): string {
  return truth ? `(${column} <> 0)` : `(${column} = 0)`;
}

/** False for every value, unknown for NULL (like a comparison that cannot hold). */
function neverSql(column: string): string {
  return `(${column} <> ${column})`;
}

function sqlOperator(op: ComparisonOperator): string {
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
  const text = value.kind === 'number' || value.kind === 'string' ? literalText(value) : null;
  const m = text === null ? null : NUMBER.exec(text);
  if (text === null || m === null) {
    const hint = value.kind === 'date' || value.kind === 'datetime' ? ', found a date' : `, found ${show(value)}`;
    return fail(`${f.label} needs a number like 42 or -1.5${hint}`, node);
  }
  return { text, integer: m[1]!, fraction: m[2] ?? '' };
}

interface IsoParts {
  readonly date: string;
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** Absent for a plain date. */
  readonly time?: {
    readonly hour: number;
    readonly minute: number;
    readonly second: number;
    readonly fraction: string;
  };
}

const ISO_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const ISO_DATETIME = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?Z$/;

function parseIsoDate(s: string): IsoParts | null {
  const m = ISO_DATE.exec(s);
  if (m === null) return null;
  return { date: s, year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

function parseIsoDateTime(s: string): IsoParts | null {
  const m = ISO_DATETIME.exec(s);
  if (m === null) return null;
  return {
    date: s.slice(0, 10),
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    time: { hour: Number(m[4]), minute: Number(m[5]), second: Number(m[6]), fraction: m[7] ?? '' },
  };
}

function checkCalendar(d: IsoParts, value: Value, node: Node): void {
  const leap = d.year % 4 === 0 && (d.year % 100 !== 0 || d.year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][d.month - 1];
  if (d.year < 1 || days === undefined || d.day < 1 || d.day > days) {
    fail(`${show(value)} is not a calendar date`, node);
  }
  const t = d.time;
  if (t === undefined) return;
  if (t.hour === 24) fail(`${show(value)}: hour 24 is not supported; use 00:00:00 of the next day`, node);
  if (t.hour > 23 || t.minute > 59 || t.second > 59) fail(`${show(value)} is not a valid time of day`, node);
}

/** 'YYYY-MM-DD HH:MM:SS[.ffffff]'; digits beyond microseconds must be zeros (MySQL keeps at most 6). */
function formatDateTime(d: IsoParts, value: Value, node: Node): string {
  const t = d.time;
  if (t === undefined) return `${d.date} 00:00:00`;
  if (/[1-9]/.test(t.fraction.slice(6))) {
    fail(`${show(value)} is more precise than microseconds, which MySQL cannot store`, node);
  }
  const fraction = t.fraction.slice(0, 6);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.date} ${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}${fraction === '' ? '' : `.${fraction}`}`;
}

function fail(message: string, node: Node): never {
  throw new InvalidArgumentError(`filterExpression: ${message} (in: ${truncate(printNode(node))})`);
}

/** A literal as written, cut short; strings already carry their quotes. */
function show(value: Value): string {
  return value.kind === 'string' ? truncate(value.text) : echo(value.text);
}
