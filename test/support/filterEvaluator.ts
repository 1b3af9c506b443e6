/**
 * Reference evaluator: decides whether one plain JS row matches a filter tree, with the SAME semantics as the
 * SQL translation (translate.ts) but written independently, with explicit three-valued logic, so that an
 * integration test can compare the two against a real MariaDB.
 *
 * Truth values: true, false, and null for SQL's UNKNOWN.
 * - A comparison with a NULL field value is UNKNOWN; `= null` / `!= null` are IS NULL / IS NOT NULL (never UNKNOWN).
 * - AND/OR are Kleene's; NOT e is TRUE exactly when e is not TRUE (complement, like `e IS NOT TRUE`).
 * - A row matches when the condition is TRUE.
 *
 * Row values, keyed by column name (FilterField.name); a missing key is NULL:
 * - String: string (a number is compared as its decimal text);
 * - integer types and BigDecimal: number, bigint or decimal string (exact comparison); the literal is a plain
 *   decimal (`42`, `-1.5`, quoted or not), never in exponent form, as the translator takes it;
 * - Float/Double: number or numeric string, the stored value (a Float value is read as float32); compared as the
 *   decimal a record shows for it (float32Text / String) with the literal as written, exactly;
 * - Boolean: boolean or number; what a record shows: true when not zero;
 * - Date: 'YYYY-MM-DD' (a longer date-time string or a Date is cut to its UTC day); literals are dates only;
 * - DateTime: 'YYYY-MM-DD HH:MM:SS[.f]', ISO 'YYYY-MM-DDTHH:MM:SS[.f][Z]' or a Date (UTC).
 * String comparison is by Unicode code point after `options.collate` (default: identity, i.e. a binary
 * collation; pass e.g. `(s) => s.toLowerCase()` to mimic a case-insensitive one on ASCII data), of the literal
 * as `options.readString` reads it (default as written).
 */

import { InvalidArgumentError } from '../../handler/errors';
import type { ComparisonOperator, Filter, Node, Value } from '../../handler/filter/ast';
import type { FilterField } from '../../handler/filter/translate';
import { float32Text } from '../../handler/values/floats';

export type Truth = boolean | null;
export type RowValue = string | number | bigint | boolean | Date | null | undefined;
export type Row = Readonly<Record<string, RowValue>>;

export interface EvaluateOptions {
  /** Applied to both sides of every string comparison and CONTAINS; default identity. */
  readonly collate?: (s: string) => string;
  /**
   * How a String field's literal is read for =, !=, <, <=, >, >=, BETWEEN and IN (default: as written). For a
   * column whose type is not text (PostgreSQL reads the literal as the column's type, e.g. bit), return the text
   * it compares as, or throw InvalidArgumentError when the type cannot read it.
   */
  readonly readString?: (field: FilterField, text: string) => string;
  /** The longest exact number literal the engine's translation takes (default MySQL's DECIMAL: 65 digits, 30 after the point). */
  readonly exactNumberLimits?: { readonly digits: number; readonly scale: number };
}

/** String rules of one evaluation. */
interface Strings {
  readonly collate: (s: string) => string;
  readonly read: (field: FilterField, text: string) => string;
  readonly exact: { readonly digits: number; readonly scale: number };
}

/** True when the row is selected by the filter's condition (a filter without condition selects every row). */
export function matchesFilter(
  filter: Filter,
  row: Row,
  fields: ReadonlyMap<string, FilterField>,
  options: EvaluateOptions = {},
): boolean {
  return filter.condition === null || evaluateCondition(filter.condition, row, fields, options) === true;
}

/** The three-valued truth of `node` for `row`. Throws InvalidArgumentError for what the translator rejects. */
export function evaluateCondition(
  node: Node,
  row: Row,
  fields: ReadonlyMap<string, FilterField>,
  options: EvaluateOptions = {},
): Truth {
  const collate = options.collate ?? ((s: string) => s);
  const strings: Strings = {
    collate,
    read: options.readString ?? ((_field, text) => text),
    exact: options.exactNumberLimits ?? { digits: 65, scale: 30 },
  };
  const evaluate = (n: Node): Truth => {
    switch (n.type) {
      // No short-circuit: every operand is evaluated, so invalid literals are rejected whatever the row
      // (as the translator rejects them whatever the data).
      case 'or': {
        const values = n.operands.map(evaluate);
        return values.includes(true) ? true : values.includes(null) ? null : false;
      }
      case 'and': {
        const values = n.operands.map(evaluate);
        return values.includes(false) ? false : values.includes(null) ? null : true;
      }
      case 'not':
        return evaluate(n.operand) !== true;
      case 'comparison': {
        const field = lookup(fields, n.field);
        const actual = row[field.name] ?? null;
        if (n.value.kind === 'null') {
          if (n.op === '=') return actual === null;
          if (n.op === '!=') return actual !== null;
          return reject(`null with ${n.op}`);
        }
        if (isOpaque(field) || (isBoolean(field) && n.op !== '=' && n.op !== '!=')) return reject(`${n.op} here`);
        compare(field, 'x', n.value, strings, true);
        if (actual === null) return null;
        return holds(n.op, compare(field, actual, n.value, strings));
      }
      case 'boolComparison': {
        const field = lookup(fields, n.field);
        if (!isBoolean(field)) return reject('true/false on a non-Boolean field');
        const actual = row[field.name] ?? null;
        if (actual === null) return null;
        return holds(n.op, Math.sign(booleanNumber(actual) - (n.value ? 1 : 0)));
      }
      case 'contains': {
        const field = lookup(fields, n.field);
        if (field.dataType !== 'String' || n.value.kind === 'null') return reject('CONTAINS');
        const actual = row[field.name] ?? null;
        if (actual === null) return null;
        return collate(stringOf(actual)).includes(collate(n.value.kind === 'string' ? n.value.value : n.value.text));
      }
      case 'between': {
        const field = lookup(fields, n.field);
        if (n.low.kind === 'null' || n.high.kind === 'null' || isOpaque(field) || isBoolean(field)) {
          return reject('BETWEEN');
        }
        compare(field, 'x', n.low, strings, true);
        compare(field, 'x', n.high, strings, true);
        const actual = row[field.name] ?? null;
        if (actual === null) return null;
        return compare(field, actual, n.low, strings) >= 0 && compare(field, actual, n.high, strings) <= 0;
      }
      case 'in': {
        const field = lookup(fields, n.field);
        if (isOpaque(field)) return reject('IN');
        const present = n.values.filter((v) => v.kind !== 'null');
        const hasNull = present.length < n.values.length;
        for (const v of present) compare(field, 'x', v, strings, true);
        const actual = row[field.name] ?? null;
        if (actual === null) return hasNull ? true : null;
        return present.some((v) => compare(field, actual, v, strings) === 0);
      }
      case 'bareField':
      case 'bareValue':
        return reject('a condition without operator');
    }
  };
  return evaluate(node);
}

/** Terse on purpose: users see the translator's messages; this only has to fail on the same trees. */
function reject(what: string): never {
  throw new InvalidArgumentError(`filterExpression: not allowed: ${what}`);
}

function lookup(fields: ReadonlyMap<string, FilterField>, name: string): FilterField {
  const field = fields.get(name);
  if (field === undefined) return reject('unknown field');
  return field;
}

function isOpaque(field: FilterField): boolean {
  return ['ByteArray', 'Struct', 'Map', 'List'].includes(field.dataType);
}

function isBoolean(field: FilterField): boolean {
  return field.dataType === 'Boolean';
}

function holds(op: ComparisonOperator, c: number): boolean {
  switch (op) {
    case '=':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
  }
}

/**
 * Sign of (actual - literal) as the field's type (-1, 0, 1). With `checkOnly`, only validates the literal
 * (so that IN/BETWEEN reject bad literals even when the row value is NULL, as the translator does).
 */
function compare(
  field: FilterField,
  actual: Exclude<RowValue, null | undefined>,
  literal: Value,
  strings: Strings,
  checkOnly = false,
): number {
  const text = literal.kind === 'string' ? literal.value : literal.text;
  switch (field.dataType) {
    case 'String': {
      const read = strings.read(field, text);
      return checkOnly ? 0 : codePointCompare(strings.collate(stringOf(actual)), strings.collate(read));
    }
    case 'Integer':
    case 'Long':
    case 'Short':
    case 'BigInteger':
    case 'BigDecimal': {
      if (literal.kind !== 'number' && literal.kind !== 'string') return reject('non-number');
      // The literal by the filter language's number grammar (no exponent), never by exactDecimal's wider one.
      const lit = PLAIN_NUMBER.test(text) ? exactDecimal(text) : null;
      if (lit === null || (field.dataType !== 'BigDecimal' && lit.scale > 0)) return reject('bad number');
      if (lit.scale > strings.exact.scale || lit.digits > strings.exact.digits) return reject('number too long');
      if (checkOnly) return 0;
      const act = exactDecimal(typeof actual === 'number' ? numberText(actual) : stringOf(actual));
      if (act === null) return reject('row value is not a number');
      return decimalCompare(act, lit);
    }
    case 'Float':
    case 'Double': {
      if (literal.kind !== 'number' && literal.kind !== 'string') return reject('non-number');
      if (!PLAIN_NUMBER.test(text) || !Number.isFinite(Number(text))) return reject('bad number');
      if (checkOnly) return 0;
      const stored = field.dataType === 'Float' ? Math.fround(Number(actual)) : Number(actual);
      // Outside the type's range (only in generated rows): above or below every literal.
      if (!Number.isFinite(stored)) return Math.sign(stored);
      const shown = exactDecimal(field.dataType === 'Float' ? float32Text(stored) : String(stored));
      if (shown === null) return reject('row value is not a number');
      return decimalCompare(shown, exactDecimal(text)!);
    }
    case 'Boolean': {
      if (literal.kind !== 'number' || (text !== '0' && text !== '1')) return reject('bad boolean');
      if (checkOnly) return 0;
      return Math.sign(booleanNumber(actual) - Number(text));
    }
    case 'Date': {
      if (literal.kind !== 'date' && literal.kind !== 'string') return reject('not a date');
      const lit = canonicalDate(text);
      if (lit === null) return reject('bad date');
      if (checkOnly) return 0;
      return codePointCompare(rowDate(actual), lit);
    }
    case 'DateTime': {
      if (literal.kind !== 'date' && literal.kind !== 'datetime' && literal.kind !== 'string') {
        return reject('not a date');
      }
      const lit = canonicalDate(text) ?? canonicalDateTime(text, true);
      if (lit === null) return reject('bad date-time');
      if (checkOnly) return 0;
      const normalized = lit.length === 10 ? `${lit} 00:00:00.000000` : lit;
      return codePointCompare(rowDateTime(actual), normalized);
    }
    default:
      return reject('opaque field');
  }
}

function stringOf(v: Exclude<RowValue, null | undefined>): string {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'number') return numberText(v);
  return String(v);
}

/** 1 when the value shows as true (any non-zero number), else 0. */
function booleanNumber(v: Exclude<RowValue, null | undefined>): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  return Number(v) !== 0 ? 1 : 0;
}

function codePointCompare(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return Math.sign(d);
  }
  return Math.sign(x.length - y.length);
}

interface Decimal {
  /** value = unscaled / 10^scale */
  readonly unscaled: bigint;
  readonly scale: number;
  /** Significant integer digits + scale (DECIMAL precision needed). */
  readonly digits: number;
}

/**
 * A number literal, quoted or not: the filter language's number token, `-?digits[.digits]`. No exponent, `+`,
 * spaces or bare point: the translator (translate.ts parseNumber) refuses `'1e2'` on every number field, so the
 * evaluator must too (issue 19: it read the literal as exactDecimal reads row values, and matched rows by it).
 */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/** Decimal text → exact value. Takes an exponent, which row values may have (a JS number's text); literals do not. */
function exactDecimal(s: string): Decimal | null {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(s);
  if (m === null) return null;
  let intPart = m[2]!;
  let frac = m[3] ?? '';
  const exp = Number(m[4] ?? '0');
  if (exp > 0) {
    const moved = frac.padEnd(exp, '0');
    intPart += moved.slice(0, exp);
    frac = moved.slice(exp);
  } else if (exp < 0) {
    const padded = intPart.padStart(-exp + 1, '0');
    frac = padded.slice(padded.length + exp) + frac;
    intPart = padded.slice(0, padded.length + exp);
  }
  const unscaled = BigInt(intPart + frac) * (m[1] === '-' ? -1n : 1n);
  return { unscaled, scale: frac.length, digits: intPart.replace(/^0+(?=.)/, '').length + frac.length };
}

function decimalCompare(a: Decimal, b: Decimal): number {
  const scale = Math.max(a.scale, b.scale);
  const x = a.unscaled * 10n ** BigInt(scale - a.scale);
  const y = b.unscaled * 10n ** BigInt(scale - b.scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

function numberText(n: number): string {
  return Number.isInteger(n) && Math.abs(n) < 1e21 ? BigInt(n).toString() : String(n);
}

function daysInMonth(year: number, month: number): number {
  return month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : [4, 6, 9, 11].includes(month)
      ? 30
      : 31;
}

/** 'YYYY-MM-DD' if `s` is exactly a valid calendar date, else null. */
function canonicalDate(s: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m === null) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo) ? s : null;
}

/**
 * 'YYYY-MM-DD HH:MM:SS.ffffff' from an ISO/SQL date-time; `literal` demands the DSL form (T ... Z) and
 * rejects non-zero digits beyond microseconds.
 */
function canonicalDateTime(s: string, literal: boolean): string | null {
  const re = literal
    ? /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z$/
    : /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z?$/;
  const m = re.exec(s);
  if (m === null || canonicalDate(m[1]!) === null) return null;
  const [h, mi, se] = [Number(m[2]), Number(m[3]), Number(m[4])];
  const frac = m[5] ?? '';
  if (h > 23 || mi > 59 || se > 59 || /[1-9]/.test(frac.slice(6))) return null;
  return `${m[1]} ${m[2]}:${m[3]}:${m[4]}.${frac.slice(0, 6).padEnd(6, '0')}`;
}

function rowDate(v: Exclude<RowValue, null | undefined>): string {
  const s = v instanceof Date ? v.toISOString() : String(v);
  return s.slice(0, 10);
}

function rowDateTime(v: Exclude<RowValue, null | undefined>): string {
  const s = v instanceof Date ? v.toISOString() : String(v);
  const dt = canonicalDate(s) !== null ? `${s} 00:00:00.000000` : canonicalDateTime(s, false);
  if (dt === null) return reject('row value is not a date-time');
  return dt;
}
