/**
 * Converts a record's JSON values into bound parameters, by column kind (see ValueKind in ./columns.ts). The rules:
 *
 * - integer: JSON numbers with an integral value (`42`, `42.0`, `4.2e1`) and strings of digits (`"42"`, `"-7"`),
 *   checked against the column type's range and bound as decimal text, so BIGINT UNSIGNED keeps all 20 digits.
 * - decimal: JSON numbers and numeric strings, bound as plain decimal text (exponents expanded), never a double.
 *   The value must fit the column exactly: more significant fraction digits than the scale (which the server would
 *   silently round: 1.005 into DECIMAL(6,2) would store 1.01) or more integer digits than precision − scale are
 *   refused; trailing fraction zeros ("1.500000") are fine.
 * - float/double: JSON numbers and numeric strings, bound as a double. FLOAT(M,D)/DOUBLE(M,D) refuse nonzero
 *   digits beyond D (the server would round them: 1.239 into DOUBLE(10,2) stores 1.24). A value the column's
 *   binary float would change is refused (values/floatPrecision.ts): FLOAT keeps 0.1 (shown 0.1) but not
 *   16777217 (stored 16777216), DOUBLE not 9007199254740993.
 * - boolean (TINYINT(1), BIT(1)): true/false, the numbers 0/1 and the strings "true"/"false"/"0"/"1".
 * - string (CHAR, VARCHAR, TEXT, ENUM, SET, ...): strings; numbers and booleans are written as their JSON text
 *   (sources often hold codes as numbers); objects and arrays are refused, except an array of strings for a SET
 *   column (joined with commas). ENUM values and each member of a SET value are first checked loosely against the
 *   allowed values (ignoring case, accents and trailing spaces), so that a value no collation could match gets a message
 *   naming them instead of the server's "Data truncated"; a value that passes is bound as written and the server
 *   matches it under the column's own collation: under a case-insensitive one "A" stores the allowed 'a', under
 *   utf8mb4_bin "A" stores 'A' of ENUM('a','A') (never 'a'), and a value no allowed one equals under the collation
 *   is refused by the server (strict mode, the record's own failure).
 * - json: any JSON value, written as its JSON text with numbers exact. A JSON string is stored as a JSON string:
 *   a record holding `"{\"a\":1}"` stores the string, not the object.
 * - bytes (BINARY, VARBINARY, BLOB, BIT(n>1)): base64 (standard or URL-safe alphabet, padding optional) → bytes.
 * - date: "YYYY-MM-DD", or an ISO date-time at midnight, whose date is taken as written (whatever the offset); any
 *   year from 0000 (the server stores dates before 1000 too, and reads them back: they are written back).
 * - datetime (DATETIME, TIMESTAMP): ISO-8601 with "Z" or an offset (converted to UTC), or without one
 *   ("YYYY-MM-DD HH:MM:SS[.ffffff]" or with "T": read as UTC, the session time zone), or a bare date (midnight
 *   UTC); bound as "YYYY-MM-DD HH:MM:SS.ffffff" UTC. Nonzero fraction digits beyond the column's own (DATETIME(3):
 *   3, DATETIME: none) are refused: the server would round (MySQL 8) or drop (MariaDB) them. Numbers (epoch
 *   seconds or milliseconds?) are refused as ambiguous. TIMESTAMP values are checked against its 1970–2038 range.
 * - time: "[-]HH:MM[:SS[.ffffff]]" within MySQL's ±838:59:59, fraction digits as for DATETIME.
 * - year: integers 1901–2155 and the zero year 0 (numbers or digit strings).
 * - spatial: WKT text, bound through ST_GeomFromText(?, srid) with the column's SRID (see valuePlaceholder).
 * - null: only for nullable columns.
 *
 * A refused value gives a message naming the field and the expected type, never the value itself.
 */

import { textWithinLength } from '../../values/characterLength';
import { accepted, convertBase64, fieldLabel, refusal, shapeRefusal } from '../../values/conversions';
import { decimalText, type ExactDecimal, readExactDecimal } from '../../values/decimal';
import { floatChangeReason, keptByFloat } from '../../values/floatPrecision';
import { checkedInteger } from '../../values/integers';
import { type IsoDateTime, isCalendarDate, readIsoDateTime } from '../../values/isoDateTime';
import { JsonNumber, type JsonValue, toJsonText } from '../../values/json';
import { fractionBeyond } from '../../values/secondFraction';
import type { Converted } from '../engine';
import { type MySqlColumn, parseEnumValues } from './columns';

export type { Converted };

const INTEGER_BITS: Record<string, number> = {
  tinyint: 8,
  smallint: 16,
  mediumint: 24,
  int: 32,
  integer: 32,
  bigint: 64,
};

/** Inclusive bounds of an integer column type. */
export function integerRange(column: MySqlColumn): { min: bigint; max: bigint } {
  const bits = BigInt(INTEGER_BITS[column.sqlType] ?? 64);
  return column.unsigned
    ? { min: 0n, max: (1n << bits) - 1n }
    : { min: -(1n << (bits - 1n)), max: (1n << (bits - 1n)) - 1n };
}

const NUMERIC_TEXT = /^([-+])?(\d+)(?:\.(\d*))?(?:[eE]([-+]?\d{1,6}))?$/;
const NUMERIC_TEXT_LEADING_DOT = /^([-+])?()\.(\d+)(?:[eE]([-+]?\d{1,6}))?$/;

/** MySQL's DECIMAL holds at most 65 digits: longer values are refused as not numeric before any range check. */
const MAX_DECIMAL_PART = 100;

/** Numeric text (a JSON number or a string like "-12.50", "1e3", ".5") as exact decimal parts; null if not numeric. */
export function parseExactDecimal(text: string): ExactDecimal | null {
  const parsed = readExactDecimal(text);
  if (parsed === null || parsed.integer.length > MAX_DECIMAL_PART || parsed.fraction.length > MAX_DECIMAL_PART) {
    return null;
  }
  return parsed;
}

/** The numeric text of a JSON number, or of a string when strings are accepted. */
function numericSource(value: JsonValue): string | null {
  if (value instanceof JsonNumber) return value.text;
  if (typeof value === 'string') return value;
  return null;
}

/** Numbers of at most this many digits are exact as doubles. */
const SAFE_DIGITS = 15;

/**
 * The value of plain integer text ("42", "-7", "+5", "007": an optional sign and 1 to 15 digits), else null. Such a
 * value is exact as a double, so range checks and the decimal text need no BigInt.
 */
function smallInteger(text: string): number | null {
  const length = text.length;
  let position = 0;
  const sign = text.charCodeAt(0);
  if (sign === 0x2d || sign === 0x2b) position = 1;
  if (length === position || length - position > SAFE_DIGITS) return null;
  for (let index = position; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x30 || code > 0x39) return null;
  }
  return Number(text);
}

/** Bounds of small integer types as doubles (exact below 2^53); null for 64-bit types. */
const smallRanges = new WeakMap<MySqlColumn, { min: number; max: number } | null>();

function smallRange(column: MySqlColumn): { min: number; max: number } | null {
  let range = smallRanges.get(column);
  if (range === undefined) {
    const bits = INTEGER_BITS[column.sqlType] ?? 64;
    range =
      bits > 32
        ? null
        : column.unsigned
          ? { min: 0, max: 2 ** bits - 1 }
          : { min: -(2 ** (bits - 1)), max: 2 ** (bits - 1) - 1 };
    smallRanges.set(column, range);
  }
  return range;
}

function convertInteger(column: MySqlColumn, value: JsonValue): Converted {
  const source = numericSource(value);
  if (source === null) return refusal(column, 'an integer', value);
  const small = smallInteger(source);
  if (small !== null) {
    // 15 digits fit every 64-bit type except below zero for an unsigned one.
    const range = smallRange(column);
    const inRange = range === null ? !(column.unsigned && small < 0) : small >= range.min && small <= range.max;
    // String(-0) is "0", as BigInt would give.
    if (inRange) return accepted(String(small));
  }
  const parsed = typeof value === 'string' && !/^[-+]?\d+$/.test(value) ? null : parseExactDecimal(source);
  return checkedInteger(column, parsed, integerRange(column));
}

/**
 * The text parseExactDecimal + decimalText give for plain decimal text (-?\d+(\.\d+)?, no exponent, at most 100
 * characters), without regular expressions; null for any other text (the general path decides).
 */
function plainDecimalText(text: string): string | null {
  const length = text.length;
  if (length === 0 || length > 100) return null;
  const negative = text.charCodeAt(0) === 0x2d;
  const integerStart = negative ? 1 : 0;
  let point = -1;
  for (let index = integerStart; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x2e && point < 0) point = index;
    else if (code < 0x30 || code > 0x39) return null;
  }
  const integerEnd = point < 0 ? length : point;
  if (integerEnd === integerStart || point === length - 1) return null;
  let first = integerStart;
  while (first < integerEnd && text.charCodeAt(first) === 0x30) first++;
  const integer = text.slice(first, integerEnd);
  let fraction = '';
  if (point >= 0) {
    let end = length;
    while (end > point + 1 && text.charCodeAt(end - 1) === 0x30) end--;
    fraction = text.slice(point + 1, end);
  }
  return decimalText({ negative: negative && (integer !== '' || fraction !== ''), integer, fraction });
}

/** Precision and scale of a DECIMAL column, from its type ("decimal(6,2)"; MySQL's defaults are (10,0)). */
const decimalSizes = new WeakMap<MySqlColumn, { precision: number; scale: number }>();

function decimalSize(column: MySqlColumn): { precision: number; scale: number } {
  let size = decimalSizes.get(column);
  if (size === undefined) {
    const match = /^(?:decimal|numeric|dec|fixed)\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)/i.exec(column.columnType);
    const precision = match ? Number(match[1]) : 10;
    const scale = match?.[2] !== undefined ? Number(match[2]) : (column.numericScale ?? 0);
    size = { precision, scale };
    decimalSizes.set(column, size);
  }
  return size;
}

/** Checks that decimal text (as decimalText writes it) fits the column without rounding or overflow. */
function fitDecimal(column: MySqlColumn, text: string): Converted {
  const { precision, scale } = decimalSize(column);
  const start = text.charCodeAt(0) === 0x2d ? 1 : 0;
  const point = text.indexOf('.');
  const integerDigits = point < 0 ? text.length - start : point - start;
  const fractionDigits = point < 0 ? 0 : text.length - point - 1;
  const significantInteger = integerDigits === 1 && text.charCodeAt(start) === 0x30 ? 0 : integerDigits;
  if (fractionDigits > scale) {
    return {
      ok: false,
      message:
        `${fieldLabel(column)} allows ${scale} digit${scale === 1 ? '' : 's'} after the decimal point; ` +
        'the value has more (it would be rounded)',
    };
  }
  if (significantInteger > precision - scale) {
    return {
      ok: false,
      message: `${fieldLabel(column)} allows ${precision - scale} digits before the decimal point; the value is out of range`,
    };
  }
  return accepted(text);
}

function convertDecimal(column: MySqlColumn, value: JsonValue): Converted {
  if (value instanceof JsonNumber) {
    const text = plainDecimalText(value.text);
    if (text !== null) return fitDecimal(column, text);
  }
  const source = numericSource(value);
  if (source === null) return refusal(column, 'a decimal number', value);
  const parsed = parseExactDecimal(source.trim());
  if (!parsed) return shapeRefusal(column, 'a decimal number');
  return fitDecimal(column, decimalText(parsed));
}

/**
 * The D of FLOAT(M,D) / DOUBLE(M,D) / REAL(M,D), or null for a float without one: the catalog's `numericScale`
 * (information_schema NUMERIC_SCALE, null for a FLOAT/DOUBLE declared without (M,D)). The server rounds a value to D
 * fraction digits when it stores it (1.239 into DOUBLE(10,2) is 1.24).
 */
function floatScale(column: MySqlColumn): number | null {
  return column.numericScale;
}

/** A refusal when numeric text has nonzero digits beyond a FLOAT(M,D)/DOUBLE(M,D) column's D, else null. */
function beyondFloatScale(column: MySqlColumn, text: string): Converted | null {
  const scale = floatScale(column);
  if (scale === null) return null;
  const parsed = parseExactDecimal(text);
  if (parsed === null || parsed.fraction.length <= scale) return null;
  return {
    ok: false,
    message:
      `${fieldLabel(column)} allows ${scale} digit${scale === 1 ? '' : 's'} after the decimal point; ` +
      'the value has more (it would be rounded)',
  };
}

function convertFloat(column: MySqlColumn, value: JsonValue): Converted {
  const source = numericSource(value);
  if (source === null) return refusal(column, 'a number', value);
  // A JSON number's text has no surrounding spaces: trimming changes nothing.
  const trimmed = source.trim();
  if (!NUMERIC_TEXT.test(trimmed) && !NUMERIC_TEXT_LEADING_DOT.test(trimmed)) return shapeRefusal(column, 'a number');
  const number = Number(trimmed);
  if (!Number.isFinite(number))
    return { ok: false, message: `${fieldLabel(column)} expects a finite number; the value is out of range` };
  const beyondScale = beyondFloatScale(column, trimmed);
  if (beyondScale !== null) return beyondScale;
  const precision = column.kind === 'float' ? 'single' : 'double';
  if (!keptByFloat(precision, trimmed))
    return { ok: false, message: `${fieldLabel(column)} ${floatChangeReason(precision)}` };
  return accepted(number);
}

function convertBoolean(column: MySqlColumn, value: JsonValue): Converted {
  if (typeof value === 'boolean') return accepted(value ? 1 : 0);
  const text = value instanceof JsonNumber ? value.text : typeof value === 'string' ? value.toLowerCase() : null;
  if (text === 'true' || text === '1') return accepted(1);
  if (text === 'false' || text === '0') return accepted(0);
  return text === null ? refusal(column, 'a boolean', value) : shapeRefusal(column, 'a boolean (true, false, 0 or 1)');
}

/**
 * The loose form of an ENUM/SET value: without trailing spaces, accents and case. Every collation that matches two
 * values (case- and accent-insensitive ones, PAD SPACE) matches their loose forms; the server decides the rest.
 */
function looseForm(text: string): string {
  const trimmed = text.charCodeAt(text.length - 1) === 0x20 ? text.replace(/ +$/, '') : text;
  // ASCII needs no decomposition (the common case).
  return (/^[\x00-\x7f]*$/.test(trimmed) ? trimmed : trimmed.normalize('NFKD').replace(/\p{M}+/gu, '')).toLowerCase();
}

/** Allowed values by their loose form (the first when two coincide), per ENUM/SET value list: a loose first check. */
const enumLookups = new WeakMap<readonly string[], Map<string, string>>();

function enumLookup(values: readonly string[]): Map<string, string> {
  let lookup = enumLookups.get(values);
  if (lookup === undefined) {
    lookup = new Map();
    for (const allowed of values) {
      const key = looseForm(allowed);
      if (!lookup.has(key)) lookup.set(key, allowed);
    }
    enumLookups.set(values, lookup);
  }
  return lookup;
}

function convertString(column: MySqlColumn, value: JsonValue): Converted {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value instanceof JsonNumber) text = value.text;
  else if (typeof value === 'boolean') text = value ? 'true' : 'false';
  else if (Array.isArray(value) && column.sqlType === 'set' && value.every((item) => typeof item === 'string')) {
    text = value.join(',');
  } else return refusal(column, column.sqlType === 'set' ? 'a string or an array of strings' : 'a string', value);
  if (column.sqlType === 'set') return convertSet(column, text);
  if (column.enumValues) {
    if (!enumLookup(column.enumValues).has(looseForm(text))) {
      const allowed = column.enumValues.map((item) => `'${item}'`).join(', ');
      return {
        ok: false,
        message: `${fieldLabel(column)} expects one of ${allowed.slice(0, 300)}; the value is not one of them`,
      };
    }
    // The text as written: the server matches it under the column's own collation (see the file comment).
    return accepted(text);
  }
  // Longer than VARCHAR(n)/CHAR(n) only by trailing spaces would be cut silently (values/characterLength.ts).
  const limit = column.sqlType === 'varchar' || column.sqlType === 'char' ? column.maxLength : null;
  return textWithinLength(column, text, limit, column.sqlType === 'char');
}

/** Members of a SET column, from its type ("set('a','b')"). */
const setMembers = new WeakMap<MySqlColumn, readonly string[]>();

/** A SET value: every comma-separated member must be allowed; bound as written, in the given order. */
function convertSet(column: MySqlColumn, text: string): Converted {
  let members = setMembers.get(column);
  if (members === undefined) {
    members = parseEnumValues(column.columnType) ?? [];
    setMembers.set(column, members);
  }
  if (text === '') return accepted('');
  const lookup = enumLookup(members);
  for (const member of text.split(',')) {
    if (!lookup.has(looseForm(member))) {
      const allowed = members.map((item) => `'${item}'`).join(', ');
      return {
        ok: false,
        message: `${fieldLabel(column)} expects members of ${allowed.slice(0, 300)}; a member of the value is not one of them`,
      };
    }
  }
  // The members as written, matched by the server under the column's own collation. Trailing spaces go: a member
  // as defined has none (the server strips them from the definition), and MariaDB refuses 'x  ' as a member even
  // under a PAD SPACE collation, where it equals 'x'.
  return accepted(text.includes(' ,') || text.endsWith(' ') ? text.replace(/ +(?=,|$)/g, '') : text);
}

/**
 * A calendar date as MySQL/MariaDB count them: year 0 is not a leap year (calc_days_in_year in sql-common/my_time.c:
 * `year % 400 == 0 && year`), so 0000-02-29 is refused here as the server would refuse it.
 */
function isValidDate(year: number, month: number, day: number): boolean {
  return isCalendarDate(year, month, day) && !(year === 0 && month === 2 && day === 29);
}

/** The value of the `count` decimal digits at `position`, or -1 when one of them is not a digit. */
function digitsAt(text: string, position: number, count: number): number {
  let value = 0;
  for (let index = position; index < position + count; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x30 || code > 0x39) return -1;
    value = value * 10 + (code - 0x30);
  }
  return value;
}

/**
 * The common case of a date-time, without a Date: exactly "YYYY-MM-DD[T ]HH:MM:SS[.f{1,9}][Z]" (T and Z in either
 * case, the fraction after "." or ","), a valid calendar date and time. Then the value is UTC as written and its
 * DATETIME text is the same fields; returns that text, or null for anything else (the general path decides).
 */
function utcDateTimeText(text: string): string | null {
  const length = text.length;
  if (length < 19 || length > 30) return null;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  const separator = text.charCodeAt(10);
  if (
    year < 0 ||
    month < 0 ||
    day < 0 ||
    hour < 0 ||
    minute < 0 ||
    second < 0 ||
    text.charCodeAt(4) !== 0x2d ||
    text.charCodeAt(7) !== 0x2d ||
    text.charCodeAt(13) !== 0x3a ||
    text.charCodeAt(16) !== 0x3a ||
    (separator !== 0x54 && separator !== 0x74 && separator !== 0x20) ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    !isValidDate(year, month, day)
  ) {
    return null;
  }
  let end = length;
  const last = text.charCodeAt(end - 1);
  if (last === 0x5a || last === 0x7a) end--;
  let fraction = '';
  if (end > 19) {
    const mark = text.charCodeAt(19);
    if ((mark !== 0x2e && mark !== 0x2c) || end - 20 < 1 || end - 20 > 9 || digitsAt(text, 20, end - 20) < 0) {
      return null;
    }
    fraction = end - 20 >= 6 ? text.slice(20, 26) : text.slice(20, end).padEnd(6, '0');
  } else {
    fraction = '000000';
  }
  return `${text.slice(0, 10)} ${text.slice(11, 19)}.${fraction}`;
}

const pad = (number: number, width = 2) => String(number).padStart(width, '0');

/** A valid ISO date or date-time of four-digit year, as the server's calendar has it. */
function parseDateTime(text: string): IsoDateTime | null {
  const parts = readIsoDateTime(text);
  return parts !== null && isValidDate(parts.year, parts.month, parts.day) ? parts : null;
}

function convertDate(column: MySqlColumn, value: JsonValue): Converted {
  if (typeof value !== 'string') return refusal(column, 'a date (YYYY-MM-DD)', value);
  if (value.length === 10 && value.charCodeAt(4) === 0x2d && value.charCodeAt(7) === 0x2d) {
    // Exactly YYYY-MM-DD: the text as written, once it is a valid date.
    const year = digitsAt(value, 0, 4);
    if (year >= 0 && isValidDate(year, digitsAt(value, 5, 2), digitsAt(value, 8, 2))) return accepted(value);
  }
  const expected = 'a date (YYYY-MM-DD, or an ISO date-time at midnight)';
  const parts = parseDateTime(value.trim());
  if (!parts) return shapeRefusal(column, expected);
  if (parts.hour !== 0 || parts.minute !== 0 || parts.second !== 0 || /[1-9]/.test(parts.fraction)) {
    return shapeRefusal(column, expected);
  }
  return accepted(`${pad(parts.year, 4)}-${pad(parts.month)}-${pad(parts.day)}`);
}

/**
 * A refusal when a value's fraction of a second has nonzero digits beyond what the column keeps (its `timePrecision`:
 * information_schema DATETIME_PRECISION, the p of "datetime(p)", 0 when unknown), else null. MariaDB drops them
 * (".999" into DATETIME(0) stores ":59"); MySQL 8 rounds them ("Inserting a TIME, DATE, or TIMESTAMP value with a
 * fractional seconds part into a column of the same type but having fewer fractional digits results in rounding",
 * MySQL 8.0 Reference Manual, 13.2.6 "Fractional Seconds in Time Values"), which may even change the day.
 */
function beyondSecondDigits(column: MySqlColumn, fraction: string): Converted | null {
  return fractionBeyond(column, column.timePrecision ?? 0, fraction, 'they would be rounded or dropped');
}

/** The fraction-of-second digits of a date-time text ("…10:15:30.123456789Z" → "123456789"), "" without one. */
function secondFraction(text: string): string {
  return /\d:\d\d:\d\d[.,](\d+)/.exec(text)?.[1] ?? '';
}

const TIMESTAMP_MIN = '1970-01-01 00:00:01.000000';
const TIMESTAMP_MAX = '2038-01-19 03:14:07.999999';

function convertDateTime(column: MySqlColumn, value: JsonValue): Converted {
  const expected = 'an ISO-8601 date-time (YYYY-MM-DDTHH:MM:SS[.ffffff] with Z or an offset, or UTC without)';
  if (typeof value !== 'string') return refusal(column, expected, value);
  const beyond = beyondSecondDigits(column, secondFraction(value));
  if (beyond !== null) return beyond;
  const utc = utcDateTimeText(value);
  if (utc !== null) return checkDateTime(column, utc, Number(utc.slice(0, 4)));
  const parts = parseDateTime(value.trim());
  if (!parts) return shapeRefusal(column, expected);
  // Whole minutes of offset never touch the fraction: shift the calendar fields, keep the fraction digits.
  const instant = new Date(0);
  instant.setUTCFullYear(parts.year, parts.month - 1, parts.day);
  instant.setUTCHours(parts.hour, parts.minute - parts.offsetMinutes, parts.second, 0);
  const year = instant.getUTCFullYear();
  const text =
    `${pad(year, 4)}-${pad(instant.getUTCMonth() + 1)}-${pad(instant.getUTCDate())} ` +
    `${pad(instant.getUTCHours())}:${pad(instant.getUTCMinutes())}:${pad(instant.getUTCSeconds())}.` +
    parts.fraction.slice(0, 6).padEnd(6, '0');
  return checkDateTime(column, text, year);
}

/** The range checks of a DATETIME/TIMESTAMP text "YYYY-MM-DD HH:MM:SS.ffffff" (UTC) whose year is `year`. */
function checkDateTime(column: MySqlColumn, text: string, year: number): Converted {
  if (column.sqlType === 'timestamp' && (text < TIMESTAMP_MIN || text > TIMESTAMP_MAX)) {
    return {
      ok: false,
      message: `${fieldLabel(column)} expects an instant from ${TIMESTAMP_MIN} to ${TIMESTAMP_MAX} UTC; the value is out of range`,
    };
  }
  if (year < 0 || year > 9999)
    return { ok: false, message: `${fieldLabel(column)} expects a date-time from year 0000 to 9999` };
  return accepted(text);
}

function convertTime(column: MySqlColumn, value: JsonValue): Converted {
  const expected = 'a time ([-]HH:MM[:SS[.ffffff]], at most 838:59:59)';
  if (typeof value !== 'string') return refusal(column, expected, value);
  const match = /^(-)?(\d{1,3}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$/.exec(value.trim());
  if (!match) return shapeRefusal(column, expected);
  const [hours, minutes, seconds] = [Number(match[2]), Number(match[3]), Number(match[4] ?? 0)];
  const beyondMaximum = hours === 838 && minutes === 59 && seconds === 59 && /[1-9]/.test(match[5] ?? '');
  if (minutes > 59 || seconds > 59 || hours > 838 || beyondMaximum) {
    return shapeRefusal(column, expected);
  }
  const beyond = beyondSecondDigits(column, match[5] ?? '');
  if (beyond !== null) return beyond;
  return accepted(`${match[1] ?? ''}${pad(hours)}:${pad(minutes)}:${pad(seconds)}${match[5] ? '.' + match[5] : ''}`);
}

function convertYear(column: MySqlColumn, value: JsonValue): Converted {
  const source = numericSource(value);
  const year = source !== null && /^\d{1,4}$/.test(source.trim()) ? Number(source.trim()) : Number.NaN;
  if (source === null) return refusal(column, 'a year', value);
  if (year === 0) {
    // The zero year, which a record shows as 0. Bound as a number: the server reads the string '0' as 2000
    // (MySQL 8.0 Reference Manual, 13.2.4 "The YEAR Type": "Inserting a numeric 0 has a display value of 0000").
    return accepted(0);
  }
  if (!(year >= 1901 && year <= 2155)) return shapeRefusal(column, 'a year from 1901 to 2155, or 0');
  return accepted(String(year));
}

const WKT =
  /^\s*(POINT|LINESTRING|POLYGON|MULTIPOINT|MULTILINESTRING|MULTIPOLYGON|GEOMETRYCOLLECTION|GEOMCOLLECTION)\b/i;

function convertSpatial(column: MySqlColumn, value: JsonValue): Converted {
  if (typeof value !== 'string') return refusal(column, 'WKT text', value);
  if (!WKT.test(value)) return shapeRefusal(column, 'WKT text such as POINT(1 2)');
  return accepted(value);
}

/** Converts one JSON value for a column into a bound parameter, or explains (without the value) why not. */
export function convertValue(column: MySqlColumn, value: JsonValue): Converted {
  if (value === null) {
    return column.nullable ? accepted(null) : { ok: false, message: `field "${column.name}" does not accept null` };
  }
  switch (column.kind) {
    case 'integer':
      return convertInteger(column, value);
    case 'decimal':
      return convertDecimal(column, value);
    case 'float':
    case 'double':
      return convertFloat(column, value);
    case 'boolean-int':
    case 'boolean-bit':
      return convertBoolean(column, value);
    case 'string':
      return convertString(column, value);
    case 'json':
      return accepted(toJsonText(value));
    case 'bytes':
      return convertBase64(column, value);
    case 'date':
      return convertDate(column, value);
    case 'datetime':
      return convertDateTime(column, value);
    case 'time':
      return convertTime(column, value);
    case 'year':
      return convertYear(column, value);
    case 'spatial':
      return convertSpatial(column, value);
  }
}

/**
 * The SQL that receives a converted value of this column in an INSERT or SET list. Spatial values are WKT, read
 * with the column's SRID, the catalog's fact `srid` (MariaDB: information_schema.GEOMETRY_COLUMNS.SRID of a
 * `REF_SYSTEM_ID=n` column; MySQL 8: information_schema.ST_GEOMETRY_COLUMNS.SRS_ID of an `SRID n` column; see
 * catalog.ts). MySQL 8 refuses a value of another SRID in such a column, error 3643 ER_WRONG_SRID_FOR_COLUMN ("Values
 * inserted into a column with an SRID property must be in that SRID. Attempts to insert values with other SRIDs
 * results in an exception condition being raised", MySQL worklog WL#8592; MySQL 8.0 Reference Manual, 11.4.1
 * "Spatial Data Types", the SRID attribute, https://dev.mysql.com/doc/refman/8.0/en/spatial-type-overview.html);
 * MariaDB stores whatever SRID the value has, so without the column's SRID every value would be stored as SRID 0.
 *
 * Axis order is the one ST_AsText reads them in (recordEncoder.ts): MariaDB has none (x y as stored); MySQL 8 reads and
 * writes a geographic SRS's coordinates in that SRS's own order (latitude first for EPSG 4326) when neither function
 * is given an axis-order option ("If no options argument is specified, the functions MUST interpret coordinates as
 * in the order specified in the spatial reference system definition", MySQL worklogs WL#9434 for ST_GeomFromText
 * and WL#9433 for ST_AsText; MySQL 8.0 Reference Manual, 12.16.3 "Functions That Create Geometry Values from WKT
 * Values", 14.16.3 in the 8.4 manual, https://dev.mysql.com/doc/refman/8.0/en/gis-wkt-functions.html), so a value
 * read is written back unchanged on both.
 */
export function valuePlaceholder(column: MySqlColumn): string {
  if (column.kind !== 'spatial') return '?';
  const srid = column.srid;
  // An integer from the catalog, never from a record: safe to write into the statement.
  return typeof srid === 'number' && Number.isInteger(srid) && srid > 0 && srid <= 0xffffffff
    ? `ST_GeomFromText(?, ${srid})`
    : 'ST_GeomFromText(?)';
}

/** The text of an id value as reported in `recordId`: strings as they are, other values as their JSON text. */
export function idText(value: JsonValue): string {
  return typeof value === 'string' ? value : toJsonText(value);
}
