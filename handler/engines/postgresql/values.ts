/**
 * PostgreSQL values, per column type: (a) rendering a value read from the server into record JSON text, exactly;
 * (b) converting a record's JSON value into a bound parameter for a write, exactly.
 *
 * Values arrive as the server's text (see typeParsers.ts) except bool (boolean), int2/int4 (number) and bytea
 * (Buffer); array elements always arrive as text. The session's startup parameters fix those texts (UTC, ISO dates,
 * shortest round-trip floats, hex bytea).
 *
 * Rendering, by type:
 * - smallint, integer, bigint → JSON number, every digit (bigint's full 64-bit range is never a double).
 * - numeric → JSON number with the server's exact digits. NaN and ±Infinity (numeric has them since PostgreSQL 14)
 *   have no JSON number: null. A string would break the field's BigDecimal type for every consumer.
 * - real, double precision → JSON number, the server's shortest text that round-trips (for real: through float32,
 *   like float32Text of the MySQL side); NaN and ±Infinity → null.
 * - boolean → true/false.
 * - date → "YYYY-MM-DD". Years after 9999 and before 1 AD use ISO 8601's expanded form, as Java's ISO_LOCAL_DATE
 *   reads it: "+10000-01-01", and 1 BC is year 0, 44 BC "-0043-03-15". ±infinity → null (not a date).
 * - timestamp, timestamptz → "YYYY-MM-DDTHH:MM:SS[.f…]Z" in UTC with the column's fraction digits (6 unless the
 *   column says timestamp(p)), expanded years as for dates, ±infinity → null. A timestamp without time zone is
 *   taken as UTC (as MySQL DATETIME is on the MySQL side).
 * - time, timetz, interval, text, varchar, char, citext, uuid, inet, enum labels and every other type → JSON string
 *   of the server's text.
 * - json, jsonb → the JSON value embedded as the server wrote it (numbers digit for digit; never re-serialized
 *   through doubles).
 * - bytea → base64 string.
 * - arrays → JSON arrays (field type List) of the element renderings, nested for multi-dimensional arrays; an
 *   array with non-default lower bounds (`[0:1]={…}`) loses its bounds. A JSON array is what AppFlow's List is, and
 *   each element keeps its type's exact rendering (a bigint[] stays exact, a bytea[] is base64 each).
 *
 * Writing, by type (a refused value gives a message naming the field and the expected form, never the value):
 * - integers: JSON numbers with an integral value or strings of digits, range-checked, bound as decimal text.
 * - numeric: JSON numbers or numeric strings, bound as their own text (trailing zeros kept); more nonzero fraction digits
 *   than the column's scale is refused (PostgreSQL would round it silently), as is one of 10^(precision − scale)
 *   or more in magnitude (numeric(3,5) holds values below 0.01, numeric(3,-2) multiples of 100 below 10^5). NaN/Infinity are refused (they render as null, so they would not round-trip anyway).
 * - real/double: JSON numbers or numeric strings, bound as their decimal text. A value the column's binary float
 *   would change is refused (values/floatPrecision.ts): real keeps 0.1 (shown 0.1) but not 16777217 (stored
 *   16777216), double precision not 9007199254740993.
 * - boolean: true/false, 0/1, "true"/"false"/"0"/"1".
 * - date: "YYYY-MM-DD" (and the expanded forms above).
 * - timestamp/timestamptz: ISO 8601 with "Z" or an offset (converted to UTC), without one (read as UTC) or a bare
 *   date (midnight UTC); nonzero fraction digits beyond the column's precision (timestamp(0): none, else 6) are
 *   refused (the server would round them).
 * - time/timetz/interval: only the strict forms of timeText.ts (no special words such as `now` or `allballs`, no
 *   other input forms the server would read differently); nonzero fraction digits beyond time(p), timetz(p),
 *   interval(p) are refused, as is a part an interval column's fields drop (`interval year to month`: days).
 * - json/jsonb: any JSON value, bound as its source text (numbers exact). A JSON string stores a JSON string.
 * - bytea: base64 (standard or URL-safe, padding optional).
 * - enum: exactly one of the labels (PostgreSQL compares labels case-sensitively).
 * - arrays: JSON arrays of element values, each converted as its element type, bound as an array literal.
 * - everything else (text, uuid, inet, …): strings, numbers and booleans as their JSON text; the server checks the
 *   form.
 */

import type { FieldDataType } from '../../protocol/codecs';
import { textWithinLength } from '../../values/characterLength';
import { accepted, convertBase64, fieldLabel, refusal, shapeRefusal } from '../../values/conversions';
import { decimalText, type ExactDecimal, readExactDecimal } from '../../values/decimal';
import { floatChangeReason, keptByFloat } from '../../values/floatPrecision';
import { checkedInteger } from '../../values/integers';
import { civilFromDays, daysFromCivil, readIsoDateTime } from '../../values/isoDateTime';
import { JsonNumber, type JsonValue, toJsonText } from '../../values/json';
import { fractionBeyond } from '../../values/secondFraction';
import type { Converted, SqlParam } from '../engine';
import { droppedBelow, intervalSmallestField, intervalText, parseInterval, parseTimeOfDay } from './timeText';
import { parseByteaHex } from './typeParsers';

/** How values of a PostgreSQL column are rendered and written. */
export type PgValueKind =
  | 'int2'
  | 'int4'
  | 'int8'
  | 'numeric'
  | 'float4'
  | 'float8'
  | 'boolean'
  | 'date'
  | 'timestamp'
  | 'timestamptz'
  | 'json'
  | 'bytea'
  | 'enum'
  | 'array'
  | 'string';

/** What the value code needs to know about a column (catalog.ts fills it from pg_catalog). */
export interface PgValueColumn {
  readonly name: string;
  /** The base type's name in pg_type (`int4`, `varchar`, `timestamptz`, a domain's base type, an enum's name). */
  readonly sqlType: string;
  /** The declared type as PostgreSQL prints it (`character varying(20)`, `numeric(10,2)`, `integer[]`). */
  readonly columnType: string;
  readonly kind: PgValueKind;
  readonly nullable: boolean;
  readonly numericPrecision: number | null;
  readonly numericScale: number | null;
  /** Fraction digits of time and timestamp types (6 when not declared). */
  readonly timePrecision: number | null;
  readonly enumValues: readonly string[] | null;
  /** Declared characters of varchar(n)/char(n) (bits of bit(n)); null or absent when not limited. */
  readonly maxLength?: number | null;
  /** For arrays: the element type (its name, kind and modifiers). */
  readonly element: PgValueColumn | null;
}

export interface PgTypeFacts {
  /** Base type name (pg_type.typname). */
  readonly typeName: string;
  /** pg_type.typtype of the base type: 'b' base, 'e' enum, 'c' composite, 'r' range, 'm' multirange, 'p' pseudo. */
  readonly typeType: string;
  /** pg_type.typcategory of the base type: 'A' for arrays. */
  readonly typeCategory: string;
}

const KINDS_BY_NAME: ReadonlyMap<string, PgValueKind> = new Map<string, PgValueKind>([
  ['int2', 'int2'],
  ['int4', 'int4'],
  ['int8', 'int8'],
  ['numeric', 'numeric'],
  ['float4', 'float4'],
  ['float8', 'float8'],
  ['bool', 'boolean'],
  ['date', 'date'],
  ['timestamp', 'timestamp'],
  ['timestamptz', 'timestamptz'],
  ['json', 'json'],
  ['jsonb', 'json'],
  ['bytea', 'bytea'],
]);

const DATA_TYPES: Record<PgValueKind, FieldDataType> = {
  int2: 'Short',
  int4: 'Integer',
  int8: 'Long',
  numeric: 'BigDecimal',
  float4: 'Float',
  float8: 'Double',
  boolean: 'Boolean',
  date: 'Date',
  timestamp: 'DateTime',
  timestamptz: 'DateTime',
  json: 'Struct',
  bytea: 'ByteArray',
  enum: 'String',
  array: 'List',
  string: 'String',
};

/** The value kind and AppFlow data type of a (base) type. */
export function classifyPgType(facts: PgTypeFacts): { kind: PgValueKind; dataType: FieldDataType } {
  let kind: PgValueKind;
  if (facts.typeCategory === 'A') kind = 'array';
  else if (facts.typeType === 'e') kind = 'enum';
  else kind = KINDS_BY_NAME.get(facts.typeName) ?? 'string';
  return { kind, dataType: DATA_TYPES[kind] };
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering

/** Renders one non-null value read from the server as JSON text. */
export type Render = (value: unknown) => string;

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?$/;

/** Characters JSON.stringify escapes: quote, backslash, control characters, lone surrogates (checked conservatively). */
const NEEDS_ESCAPING = /["\\\u0000-\u001f\ud800-\udfff]/;

function jsonString(text: string): string {
  return NEEDS_ESCAPING.test(text) ? JSON.stringify(text) : '"' + text + '"';
}

/** Numeric or float text: a JSON number as is; NaN, Infinity and -Infinity → null. */
function renderNumberText(value: unknown): string {
  const text = String(value);
  return JSON_NUMBER.test(text) ? text : 'null';
}

/** PostgreSQL date text (`2024-01-02`, `10000-01-01`, `0044-03-15 BC`) as ISO 8601 (expanded years). */
function isoDate(text: string): string | null {
  const match = /^(\d{4,})-(\d\d)-(\d\d)( BC)?$/.exec(text);
  if (!match) return null;
  return isoYear(Number(match[1]), match[4] !== undefined) + '-' + match[2] + '-' + match[3];
}

/** An ISO 8601 year: four digits for 1–9999, else signed and at least four digits (1 BC is year 0). */
function isoYear(year: number, bc: boolean): string {
  const iso = bc ? 1 - year : year;
  if (iso >= 0 && iso <= 9999) return String(iso).padStart(4, '0');
  return (iso < 0 ? '-' : '+') + String(Math.abs(iso)).padStart(4, '0');
}

const TIMESTAMP_TEXT = /^(\d{4,})-(\d\d)-(\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?(?:\+00)?( BC)?$/;

function timestampRenderer(fractionDigits: number): Render {
  return (value) => {
    const match = TIMESTAMP_TEXT.exec(String(value));
    // infinity / -infinity: not an instant.
    if (!match) return 'null';
    const fraction = fractionDigits > 0 ? '.' + (match[5] ?? '').padEnd(fractionDigits, '0') : '';
    const year = isoYear(Number(match[1]), match[6] !== undefined);
    return '"' + year + '-' + match[2] + '-' + match[3] + 'T' + match[4] + fraction + 'Z"';
  };
}

function renderBytes(value: unknown): string {
  const bytes = Buffer.isBuffer(value) ? value : parseByteaHex(String(value));
  return '"' + bytes.toString('base64') + '"';
}

/** The text of one array element (null for NULL) or a nested array. */
type ArrayItem = string | null | ArrayItem[];

/**
 * Parses PostgreSQL's array output (`{1,NULL,"a \"b\"",{…}}`, optionally preceded by `[lo:hi]=` bounds). Elements
 * are quoted when they contain delimiters, quotes, backslashes, spaces or are empty; inside quotes `\` escapes the
 * next character. An unquoted NULL is the null element.
 */
export function parseArrayText(text: string, delimiter = ','): ArrayItem[] {
  let position = 0;
  if (text.charCodeAt(0) === 0x5b /* [ */) {
    position = text.indexOf('=') + 1;
    if (position === 0) throw new Error('malformed array text');
  }
  const parseList = (): ArrayItem[] => {
    if (text[position] !== '{') throw new Error('malformed array text');
    position++;
    const items: ArrayItem[] = [];
    if (text[position] === '}') {
      position++;
      return items;
    }
    for (;;) {
      if (text[position] === '{') items.push(parseList());
      else if (text[position] === '"') {
        position++;
        let value = '';
        while (position < text.length && text[position] !== '"') {
          if (text[position] === '\\') position++;
          value += text[position];
          position++;
        }
        position++;
        items.push(value);
      } else {
        let end = position;
        while (end < text.length && text[end] !== delimiter && text[end] !== '}') end++;
        const raw = text.slice(position, end);
        items.push(raw === 'NULL' ? null : raw);
        position = end;
      }
      const next = text[position];
      position++;
      if (next === '}') return items;
      if (next !== delimiter) throw new Error('malformed array text');
    }
  };
  return parseList();
}

function arrayRenderer(element: PgValueColumn): Render {
  const renderElement = renderer(element);
  const renderItems = (items: ArrayItem[]): string =>
    '[' +
    items
      .map((item) => (item === null ? 'null' : Array.isArray(item) ? renderItems(item) : renderElement(item)))
      .join(',') +
    ']';
  return (value) => renderItems(parseArrayText(String(value)));
}

/** The renderer of a column's non-null values. */
export function renderer(column: PgValueColumn): Render {
  switch (column.kind) {
    case 'int2':
    case 'int4':
    case 'int8':
      return (value) => String(value);
    case 'numeric':
    case 'float4':
    case 'float8':
      return renderNumberText;
    case 'boolean':
      return (value) => (value === true || value === 't' ? 'true' : 'false');
    case 'date':
      return (value) => {
        const iso = isoDate(String(value));
        return iso === null ? 'null' : '"' + iso + '"';
      };
    case 'timestamp':
    case 'timestamptz':
      return timestampRenderer(column.timePrecision ?? 6);
    case 'json':
      // The server checked the JSON; its text is embedded as is (numbers exact).
      return (value) => String(value);
    case 'bytea':
      return renderBytes;
    case 'array':
      return column.element ? arrayRenderer(column.element) : (value) => jsonString(String(value));
    case 'enum':
    case 'string':
      return (value) => jsonString(String(value));
  }
}

/** A value read from the server (null for SQL NULL) as record JSON text. */
export function renderValue(column: PgValueColumn, value: unknown): string {
  return value === null || value === undefined ? 'null' : renderer(column)(value);
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

export type { Converted };

function numericSource(value: JsonValue): string | null {
  if (value instanceof JsonNumber) return value.text;
  if (typeof value === 'string') return value.trim();
  return null;
}

const INTEGER_BITS: Partial<Record<PgValueKind, bigint>> = { int2: 16n, int4: 32n, int8: 64n };

function convertInteger(column: PgValueColumn, value: JsonValue): Converted {
  const source = numericSource(value);
  if (source === null) return refusal(column, 'an integer', value);
  const parsed = typeof value === 'string' && !/^[-+]?\d+$/.test(source) ? null : readExactDecimal(source);
  const bits = INTEGER_BITS[column.kind] ?? 64n;
  return checkedInteger(column, parsed, { min: -(1n << (bits - 1n)), max: (1n << (bits - 1n)) - 1n });
}

/**
 * True when a value is at or beyond 10^limit in magnitude, where limit = precision − scale: the digits a numeric(p,s)
 * keeps before the decimal point. Since PostgreSQL 15 the scale may exceed the precision (numeric(3,5) holds values
 * below 10^-2: 0.00123) or be negative (numeric(3,-2) holds multiples of 100 below 10^5), so the limit may be zero or
 * negative: then the value needs at least −limit zeros after the decimal point before its first nonzero digit.
 */
function beyondMagnitude(value: ExactDecimal, limit: number): boolean {
  if (value.integer !== '') return value.integer.length > limit;
  if (limit >= 0 || value.fraction === '') return false;
  const leadingZeros = /^0*/.exec(value.fraction)![0].length;
  return leadingZeros < -limit;
}

function convertNumeric(column: PgValueColumn, value: JsonValue): Converted {
  const source = numericSource(value);
  if (source === null) return refusal(column, 'a decimal number', value);
  const parsed = readExactDecimal(source);
  if (!parsed) return shapeRefusal(column, 'a finite decimal number');
  const scale = column.numericScale;
  const precision = column.numericPrecision;
  if (scale !== null && precision !== null) {
    if (scale >= 0 && parsed.fraction.length > scale) {
      return {
        ok: false,
        message: `${fieldLabel(column)} allows ${scale} fraction digit${scale === 1 ? '' : 's'}; the value has more (it would be rounded)`,
      };
    }
    if (scale < 0 && !/^0*$/.test(parsed.integer.slice(scale)) && parsed.integer.length > 0) {
      return {
        ok: false,
        message: `${fieldLabel(column)} rounds to multiples of 10^${-scale}; the value has nonzero digits below that`,
      };
    }
    if (scale < 0 && parsed.fraction !== '') {
      return { ok: false, message: `${fieldLabel(column)} allows no fraction digits; the value has some` };
    }
    if (beyondMagnitude(parsed, precision - scale)) {
      const limit = precision - scale;
      return {
        ok: false,
        message:
          limit > 0
            ? `${fieldLabel(column)} allows at most ${limit} integer digit${limit === 1 ? '' : 's'}; the value is out of range`
            : `${fieldLabel(column)} holds values below 10^${limit} in magnitude; the value is out of range`,
      };
    }
  }
  // The source text itself: PostgreSQL reads it exactly, and an unconstrained numeric keeps its digits as written
  // (12.50 stays 12.50, not 12.5).
  return accepted(source);
}

function convertFloat(column: PgValueColumn, value: JsonValue): Converted {
  const source = numericSource(value);
  if (source === null) return refusal(column, 'a number', value);
  const parsed = readExactDecimal(source);
  if (!parsed) return shapeRefusal(column, 'a finite number');
  const text = value instanceof JsonNumber ? value.text : decimalText(parsed);
  const precision = column.kind === 'float4' ? 'single' : 'double';
  if (!keptByFloat(precision, text))
    return { ok: false, message: `${fieldLabel(column)} ${floatChangeReason(precision)}` };
  // The source text: the server reads it straight into the column's float, which shows as this same number.
  return accepted(text);
}

function convertBoolean(column: PgValueColumn, value: JsonValue): Converted {
  if (typeof value === 'boolean') return accepted(value ? 'true' : 'false');
  const text = value instanceof JsonNumber ? value.text : typeof value === 'string' ? value.toLowerCase() : null;
  if (text === 'true' || text === '1') return accepted('true');
  if (text === 'false' || text === '0') return accepted('false');
  return text === null ? refusal(column, 'a boolean', value) : shapeRefusal(column, 'a boolean (true, false, 0 or 1)');
}

function convertText(column: PgValueColumn, value: JsonValue): Converted {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value instanceof JsonNumber) text = value.text;
  else if (typeof value === 'boolean') text = value ? 'true' : 'false';
  else return refusal(column, 'a string', value);
  // Longer than varchar(n)/char(n) only by trailing spaces would be cut silently (values/characterLength.ts).
  const limit = column.sqlType === 'varchar' || column.sqlType === 'bpchar' ? (column.maxLength ?? null) : null;
  return textWithinLength(column, text, limit, column.sqlType === 'bpchar');
}

/**
 * bit(n)/varbit(n): records show the bits as `0`/`1` text, and only that is written. PostgreSQL would read a leading
 * `x` or `b` as hexadecimal or binary notation ("Bit String Constants") and store other bits than the text shows.
 */
function convertBitString(column: PgValueColumn, value: JsonValue): Converted {
  const converted = convertText(column, value);
  if (!converted.ok || /^[01]*$/.test(converted.param as string)) return converted;
  return shapeRefusal(column, 'a bit string of 0 and 1 digits, as records show it (no x or b prefix)');
}

function convertEnum(column: PgValueColumn, value: JsonValue): Converted {
  const converted = convertText(column, value);
  if (!converted.ok || column.enumValues === null) return converted;
  if (column.enumValues.includes(converted.param as string)) return converted;
  const allowed = column.enumValues.map((label) => `'${label}'`).join(', ');
  return {
    ok: false,
    message: `${fieldLabel(column)} expects one of ${allowed.slice(0, 300)}; the value is not one of them`,
  };
}

const pad = (number: number, width = 2) => String(number).padStart(width, '0');

/** A date as PostgreSQL input: ISO year ≤ 0 becomes BC (ISO year 0 is 1 BC). */
function pgDateText(year: number, month: number, day: number): string {
  return year > 0 ? `${pad(year, 4)}-${pad(month)}-${pad(day)}` : `${pad(1 - year, 4)}-${pad(month)}-${pad(day)} BC`;
}

function convertDate(column: PgValueColumn, value: JsonValue): Converted {
  if (typeof value !== 'string') return refusal(column, 'a date (YYYY-MM-DD)', value);
  const parts = readIsoDateTime(value, { expandedYears: true });
  if (!parts || parts.hasTime) return shapeRefusal(column, 'a date (YYYY-MM-DD)');
  return accepted(pgDateText(parts.year, parts.month, parts.day));
}

function convertTimestamp(column: PgValueColumn, value: JsonValue): Converted {
  const expected = 'an ISO 8601 date-time (YYYY-MM-DDTHH:MM:SS[.ffffff][Z|±HH:MM])';
  if (typeof value !== 'string') return refusal(column, expected, value);
  const parts = readIsoDateTime(value, { expandedYears: true });
  if (!parts) return shapeRefusal(column, expected);
  const beyond = beyondSecondDigits(column, parts.fraction);
  if (beyond !== null) return beyond;
  // To UTC with integer arithmetic (any year PostgreSQL allows; a JS Date stops at 275760).
  const minutes = daysFromCivil(parts.year, parts.month, parts.day) * 1440 + parts.hour * 60 + parts.minute;
  const utcMinutes = minutes - parts.offsetMinutes;
  const days = Math.floor(utcMinutes / 1440);
  const minuteOfDay = utcMinutes - days * 1440;
  const date = civilFromDays(days);
  const fraction = parts.fraction.slice(0, 6).padEnd(6, '0');
  const clock = `${pad(Math.floor(minuteOfDay / 60))}:${pad(minuteOfDay % 60)}:${pad(parts.second)}.${fraction}`;
  const bc = date.year <= 0;
  const day = `${pad(bc ? 1 - date.year : date.year, 4)}-${pad(date.month)}-${pad(date.day)}`;
  // timestamptz input with an explicit +00; timestamp input would ignore any zone, so it gets none.
  return accepted(`${day} ${clock}${column.kind === 'timestamptz' ? '+00' : ''}${bc ? ' BC' : ''}`);
}

/**
 * A refusal when a fraction of a second has nonzero digits beyond what the column keeps (else null): timestamp(p),
 * timestamptz(p), time(p), timetz(p), interval(p) and `interval … second(p)` keep p, the catalog's type modifier (6
 * when not declared). PostgreSQL rounds them silently ('23:59:59.6' into timestamp(0) is the next day).
 */
function beyondSecondDigits(column: PgValueColumn, fraction: string): Converted | null {
  return fractionBeyond(column, column.timePrecision ?? 6, fraction, 'it would be rounded');
}

const TIME_FORM = 'a time of day (HH:MM:SS[.ffffff])';
const TIMETZ_FORM = 'a time of day with an offset (HH:MM:SS[.ffffff][Z|±HH[:MM]])';
const INTERVAL_FORM =
  "an interval ('[N years] [N mons] [N days] [-]HH:MM:SS[.ffffff]' or ISO 8601 'P[nY][nM][nW][nD][T[nH][nM][n[.f]S]]')";

/** time, timetz: the strict form only (timeText.ts), fraction digits beyond the column's precision refused. */
function convertTimeOfDay(column: PgValueColumn, value: JsonValue): Converted {
  const withZone = column.sqlType === 'timetz';
  const expected = withZone ? TIMETZ_FORM : TIME_FORM;
  if (typeof value !== 'string') return refusal(column, expected, value);
  const parsed = parseTimeOfDay(value, withZone);
  if (parsed === null) return shapeRefusal(column, expected);
  return beyondSecondDigits(column, parsed.fraction) ?? accepted(parsed.text);
}

/**
 * interval: the strict forms only (timeText.ts); refused when the column would drop a part of it (its fields, as
 * `interval year to month` drops days) or round its fraction of a second (interval(p)).
 */
function convertInterval(column: PgValueColumn, value: JsonValue): Converted {
  if (typeof value !== 'string') return refusal(column, INTERVAL_FORM, value);
  const parsed = parseInterval(value);
  if (parsed === null) return shapeRefusal(column, INTERVAL_FORM);
  const smallest = intervalSmallestField(column.columnType);
  if (smallest !== null && droppedBelow(parsed, smallest)) {
    return {
      ok: false,
      message: `${fieldLabel(column)} keeps whole ${smallest}s; the value has a smaller part (it would be dropped)`,
    };
  }
  return beyondSecondDigits(column, parsed.fraction) ?? accepted(intervalText(parsed));
}

function convertJson(_column: PgValueColumn, value: JsonValue): Converted {
  return accepted(toJsonText(value));
}

/** An array element's text inside an array literal: always quoted, `"` and `\` escaped. */
function arrayElementText(param: SqlParam): string {
  if (param === null) return 'NULL';
  const text = Buffer.isBuffer(param) ? '\\x' + param.toString('hex') : String(param);
  return '"' + text.replace(/[\\"]/g, (char) => '\\' + char) + '"';
}

function convertArray(column: PgValueColumn, value: JsonValue): Converted {
  const element = column.element;
  if (!Array.isArray(value) || element === null) return refusal(column, 'an array', value);
  const convert = converter({ ...element, nullable: true });
  const build = (items: JsonValue[]): string | Converted => {
    const parts: string[] = [];
    for (const item of items) {
      if (Array.isArray(item) && element.kind !== 'json') {
        const nested = build(item);
        if (typeof nested !== 'string') return nested;
        parts.push(nested);
        continue;
      }
      const converted = item === null ? accepted(null) : convert(item);
      if (!converted.ok)
        return { ok: false, message: converted.message.replace(fieldLabel(element), fieldLabel(column)) };
      parts.push(arrayElementText(converted.param));
    }
    return '{' + parts.join(',') + '}';
  };
  const literal = build(value);
  return typeof literal === 'string' ? accepted(literal) : literal;
}

/** Converts one record value for a column; null only where the column allows it. */
export type Convert = (value: JsonValue) => Converted;

/** The converter of a column's values (null included). */
export function converter(column: PgValueColumn): Convert {
  const convert = nonNullConverter(column);
  return (value) => {
    if (value === null) {
      return column.nullable ? accepted(null) : { ok: false, message: `${fieldLabel(column)} does not allow null` };
    }
    return convert(column, value);
  };
}

function nonNullConverter(column: PgValueColumn): (column: PgValueColumn, value: JsonValue) => Converted {
  switch (column.kind) {
    case 'int2':
    case 'int4':
    case 'int8':
      return convertInteger;
    case 'numeric':
      return convertNumeric;
    case 'float4':
    case 'float8':
      return convertFloat;
    case 'boolean':
      return convertBoolean;
    case 'date':
      return convertDate;
    case 'timestamp':
    case 'timestamptz':
      return convertTimestamp;
    case 'json':
      return convertJson;
    case 'bytea':
      return convertBase64;
    case 'enum':
      return convertEnum;
    case 'array':
      return convertArray;
    case 'string':
      if (column.sqlType === 'time' || column.sqlType === 'timetz') return convertTimeOfDay;
      if (column.sqlType === 'bit' || column.sqlType === 'varbit') return convertBitString;
      return column.sqlType === 'interval' ? convertInterval : convertText;
  }
}
