/**
 * A column's default as DescribeEntity states it (`defaultValue`, in record form): the constant PostgreSQL prints
 * for the default (pg_get_expr), turned into the server's text of the value a row inserted without the column holds,
 * then rendered by the column's record renderer (values.ts), as QueryData renders that row.
 *
 * pg_get_expr prints a constant with its output function (the same text a read of that value gives) but hides the
 * implicit casts the server applies on INSERT (`DEFAULT 0.5` of a numeric(5,3) column is printed `0.5` and stored
 * `0.500`; `DEFAULT 1e30` of a double precision column is a numeric constant printed in full). So each value kind
 * applies the cast the server would: numeric scale padding, char(n) padding, varchar(n)/char(n) trailing-space
 * truncation, integer range, a number's float text. A cast that rounds (more fraction digits than the scale or the
 * seconds' precision), fails (out of range, a bit string of another length), depends on the inserting session (a
 * time zone) or is not one of these gives no value rather than a wrong one.
 */
import { float32Text } from '../../values/floats';
import { renderedDefault } from '../shownDefault';
import { type PgValueColumn, renderer } from './values';

/** One cast of a constant as PostgreSQL prints it: `::text`, `::character varying`, `::"Mood"`, `::numeric(10,2)[]`. */
const CAST = String.raw`::(?:"(?:[^"]|"")+"|[a-z_][\w ]*)(?:\.(?:"(?:[^"]|"")+"|[a-z_][\w ]*))?(?:\(\d+(?:,\s*-?\d+)?\))?(?:\[\])*`;
const QUOTED_CONSTANT = new RegExp(`^'((?:[^']|'')*)'(${CAST})?$`, 'i');
const UNQUOTED_CONSTANT = new RegExp(`^(-?\\d+(?:\\.\\d+)?|true|false)(${CAST})?$`);
const NULL_CONSTANT = new RegExp(`^NULL(?:${CAST})?$`, 'i');

/** True when the default is the NULL constant (`DEFAULT NULL`): leaving the column out stores NULL. */
export function isNullDefault(expression: string | null): boolean {
  return expression !== null && NULL_CONSTANT.test(expression);
}

interface Constant {
  /** The constant's text (a quoted literal without its quotes). */
  readonly text: string;
  /** The type it is printed cast to (`character varying`, `"bit"`), null when printed without one. */
  readonly cast: string | null;
  readonly quoted: boolean;
}

/**
 * The constant of a default, else null. A constant is a literal, at most one cast of it (`'it''s'::text`,
 * `'-1'::integer`, `'ok'::mood`), an unquoted number (`42`, `1.5`) or a Boolean: PostgreSQL folds a literal cast
 * into a constant when the default is stored, so its value is what every INSERT gets. Anything else is an
 * expression evaluated per row (`nextval('t_id_seq'::regclass)`, `now()`, `CURRENT_TIMESTAMP`, `(1 + 1)`, a cast
 * chain like `'now'::text::date`, `ARRAY[…]`).
 */
function parseConstant(expression: string): Constant | null {
  const quoted = QUOTED_CONSTANT.exec(expression);
  if (quoted) return { text: quoted[1]!.replaceAll("''", "'"), cast: quoted[2]?.slice(2) ?? null, quoted: true };
  const unquoted = UNQUOTED_CONSTANT.exec(expression);
  if (unquoted) return { text: unquoted[1]!, cast: unquoted[2]?.slice(2) ?? null, quoted: false };
  return null;
}

const INTEGER_LIMITS: Readonly<Record<string, bigint>> = { int2: 2n ** 15n, int4: 2n ** 31n, int8: 2n ** 63n };
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;
const TEXT_CASTS = new Set(['text', 'character varying', 'bpchar', 'character', 'name', 'citext']);

/**
 * The float text PostgreSQL prints for a value (extra_float_digits ≥ 1: the shortest text that reads back as the
 * same value, the session's setting): fixed notation for decimal exponents from -4 up to 14 (float4: 5), else
 * `d.ddde±XX` (src/common/d2s.c and f2s.c, "The thresholds for fixed-point output are chosen to match printf").
 */
function pgFloatText(value: number, single: boolean): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const shortest = single ? Number(float32Text(value)) : value;
  const [mantissa, exponentText] = shortest.toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = value < 0 ? '-' : '';
  if (exponent < -4 || exponent >= (single ? 6 : 15)) {
    const fraction = digits.length > 1 ? '.' + digits.slice(1) : '';
    const magnitude = String(Math.abs(exponent)).padStart(2, '0');
    return sign + digits[0] + fraction + 'e' + (exponent < 0 ? '-' : '+') + magnitude;
  }
  if (exponent < 0) return sign + '0.' + '0'.repeat(-exponent - 1) + digits;
  if (digits.length <= exponent + 1) return sign + digits + '0'.repeat(exponent + 1 - digits.length);
  return sign + digits.slice(0, exponent + 1) + '.' + digits.slice(exponent + 1);
}

/** A character value cast to varchar(n)/char(n): excess trailing spaces are cut, other excess fails (undefined). */
function withinLength(text: string, limit: number | null | undefined, padded: boolean): string | undefined {
  if (limit === null || limit === undefined) return text;
  const characters = [...text];
  if (characters.length > limit) {
    if (characters.slice(limit).some((character) => character !== ' ')) return undefined;
    return characters.slice(0, limit).join('');
  }
  return padded ? text + ' '.repeat(limit - characters.length) : text;
}

/** Fraction digits of seconds in `12:34:56.5` / `2024-01-02 03:04:05.123`. */
function secondFractionDigits(text: string): number {
  return /:\d\d\.(\d+)/.exec(text)?.[1]?.length ?? 0;
}

/** The server's text of the value a row inserted without the column holds, when the constant fixes it exactly. */
function valueText(constant: Constant, column: PgValueColumn): string | undefined {
  const { text, cast, quoted } = constant;
  switch (column.kind) {
    case 'int2':
    case 'int4':
    case 'int8': {
      if (!/^-?\d+$/.test(text)) return undefined;
      const value = BigInt(text);
      const limit = INTEGER_LIMITS[column.kind]!;
      return value >= -limit && value < limit ? value.toString() : undefined;
    }
    case 'numeric': {
      const match = DECIMAL.exec(text);
      if (!match) return undefined;
      const scale = column.numericScale;
      if (scale === null) return text;
      const fraction = match[3] ?? '';
      const integer = match[2]!.replace(/^0+(?=\d)/, '');
      if (scale < 0 || fraction.length > scale) return undefined;
      const precision = column.numericPrecision;
      if (precision !== null && integer !== '0' && integer.length > precision - scale) return undefined;
      return match[1] + integer + (scale > 0 ? '.' + fraction.padEnd(scale, '0') : '');
    }
    case 'float4':
    case 'float8':
      return DECIMAL.test(text) ? pgFloatText(Number(text), column.kind === 'float4') : undefined;
    case 'boolean':
      return !quoted && (text === 'true' || text === 'false') ? text.charAt(0) : undefined;
    case 'date':
      return cast === 'date' ? text : undefined;
    case 'timestamp':
    case 'timestamptz': {
      const zoned = column.kind === 'timestamptz';
      if (cast !== (zoned ? 'timestamp with time zone' : 'timestamp without time zone')) return undefined;
      return secondFractionDigits(text) > (column.timePrecision ?? 6) ? undefined : text;
    }
    case 'json':
      return cast === column.sqlType ? text : undefined;
    case 'bytea':
      return cast === 'bytea' ? text : undefined;
    case 'array':
      return cast === column.columnType ? text : undefined;
    case 'enum':
      return quoted && column.enumValues?.includes(text) ? text : undefined;
    case 'string':
      switch (column.sqlType) {
        case 'text':
        case 'varchar':
        case 'bpchar':
          if (cast !== null && !TEXT_CASTS.has(cast)) return undefined;
          return withinLength(text, column.maxLength, column.sqlType === 'bpchar');
        case 'bit':
        case 'varbit':
          if (!/^[01]*$/.test(text)) return undefined;
          if (column.maxLength === null || column.maxLength === undefined) return text;
          return column.sqlType === 'bit'
            ? text.length === column.maxLength
              ? text
              : undefined
            : text.length <= column.maxLength
              ? text
              : undefined;
        default:
          // Another type read as text (uuid, time, interval, inet, …): a constant of exactly the column's type.
          return cast !== null && cast === column.columnType ? text : undefined;
      }
  }
}

/**
 * The defaultValue of a column with this default expression (pg_get_expr), in record form; null when the default is
 * no constant or none whose stored value the connector computes exactly.
 */
export function defaultAsShown(expression: string | null, column: PgValueColumn): string | null {
  if (expression === null) return null;
  const constant = parseConstant(expression);
  if (constant === null) return null;
  return renderedDefault(valueText(constant, column), renderer(column));
}
