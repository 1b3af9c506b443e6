/**
 * The schema fuzzer's type catalog: for each engine, the column types of the README's mapping tables with the
 * options that change behaviour, as plain data (`ColumnType`, so that fast-check can print and shrink it), and what
 * the oracles need to know about each (`TypeFacts`): its SQL, the AppFlow type DescribeEntity must name, the
 * edge-biased values to write, which of them the column holds exactly (fuzz/schema/exact.ts), and how to read the
 * server's text of a stored value through the raw driver.
 */
import fc from 'fast-check';
import type { EngineName } from '../../handler/engines/registry';
import type { SchemaDialect } from './dialect';
import {
  canonicalDate,
  canonicalDateTime,
  canonicalDecimal,
  canonicalInteger,
  canonicalJsonText,
  canonicalWkt,
  type Exact,
  exactBase64,
  exactDate,
  exactDateTime,
  exactDecimal,
  exactFloat32,
  exactInteger,
  exactJson,
  exactText,
  REFUSE,
  ServerText,
  shortestFloat32,
} from './exact';

/** The engines' folder names (handler/engines/registry.ts). */
export type Engine = EngineName;

export type ColumnType =
  | {
      readonly t: 'int';
      readonly size: 'tiny' | 'small' | 'int' | 'big';
      readonly unsigned: boolean;
      readonly zerofill: boolean;
    }
  | { readonly t: 'decimal'; readonly precision: number | null; readonly scale: number; readonly zerofill: boolean }
  | { readonly t: 'double' }
  | { readonly t: 'bool' }
  | { readonly t: 'varchar'; readonly length: number; readonly collation: string }
  | { readonly t: 'char'; readonly length: number; readonly collation: string }
  | { readonly t: 'text'; readonly collation: string }
  | { readonly t: 'date' }
  | { readonly t: 'datetime'; readonly digits: number; readonly zone: boolean }
  | { readonly t: 'year' }
  | { readonly t: 'enum'; readonly labels: readonly string[]; readonly collation: string }
  | { readonly t: 'binary'; readonly length: number }
  | { readonly t: 'uuid' }
  | { readonly t: 'intArray' }
  | { readonly t: 'box' }
  | { readonly t: 'domain'; readonly withDefault: boolean }
  | { readonly t: 'real' }
  | { readonly t: 'bitString'; readonly width: number; readonly varying: boolean }
  | { readonly t: 'set'; readonly labels: readonly string[] }
  | { readonly t: 'bit'; readonly width: number }
  | { readonly t: 'json'; readonly binary: boolean }
  | { readonly t: 'spatial'; readonly kind: 'POINT' | 'GEOMETRY' };

/** A MariaDB `_ci` collation: letters compare without case (the fuzzer's values are ASCII). */
export function caseInsensitive(collation: string): boolean {
  return collation.endsWith('_ci');
}

/**
 * The ENUM label a sent value is stored as: the one equal to it under the column's collation (MariaDB matches ENUM
 * values by the column's collation, "ENUM" in the MariaDB manual; issue 17 item 10), or null when none is. Written
 * from the generator's knowledge of its collations, not from handler/: `_ci` ignores the case of ASCII letters,
 * `_bin` compares exactly; the values carry no trailing spaces, so PAD SPACE plays no part. PostgreSQL enum labels
 * (collation `default`) compare exactly.
 */
export function enumLabelFor(labels: readonly string[], collation: string, value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const same = caseInsensitive(collation)
    ? (label: string) => label.toLowerCase() === value.toLowerCase()
    : (label: string) => label === value;
  return labels.find(same) ?? null;
}

export interface TypeFacts {
  /** The column's SQL type (with collation and options). */
  readonly sql: string;
  /** The AppFlow type DescribeEntity must give it (README, "Type mapping"). */
  readonly dataType: string;
  /** Values to write: edge-biased, some of them beyond what the column holds. */
  readonly values: fc.Arbitrary<unknown>;
  /** The canonical server text of a sent (or rendered) value stored exactly, or REFUSE. */
  exact(value: unknown): Exact;
  /** SQL reading the server's text of the column (`c` is the quoted column name). */
  read(c: string): string;
  /** The server's text, canonical. */
  normalize(text: string): string;
  /** SQL of a bound text parameter as this type (raw inserts of initial rows). */
  bind(placeholder: string): string;
  /**
   * The value-level feature a sent value exercises (e.g. `value:enum-case-twin`), so that a known defect can be
   * switched off without losing the whole type (fuzz/schema/switches.ts); null for ordinary values.
   */
  readonly valueFeature?: (value: unknown) => string | null;
  /** The server's input form of a canonical text (default: the canonical text itself). */
  readonly input?: (canonical: string) => string;
  /** Whole numbers that a filter may compare (the reference evaluator reads them as JS numbers). */
  readonly filterable: boolean;
  /** TEXT/BLOB-like: not in a MEMORY table, not a key. */
  readonly long: boolean;
  /**
   * Canonical server texts that records show as `null` (docs/types.md: NaN, ±Infinity, ±infinity): first rows
   * may hold them (inserted raw, `ServerText`); a read must show null and filters treat them as null; written
   * back, the null stays NULL.
   */
  readonly shownAsNull?: readonly string[];
}

export const INT_RANGES = {
  tiny: [-128n, 127n, 255n],
  small: [-32768n, 32767n, 65535n],
  int: [-2147483648n, 2147483647n, 4294967295n],
  big: [-9223372036854775808n, 9223372036854775807n, 18446744073709551615n],
} as const;

/** Extremes, their neighbours beyond, zero and small numbers; big ones as digit strings. */
function integerValues(min: bigint, max: bigint): fc.Arbitrary<unknown> {
  const json = (n: bigint) =>
    n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();
  return fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: -20, max: 20 }) },
    { weight: 2, arbitrary: fc.constantFrom(min, max, min - 1n, max + 1n, 0n).map(json) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>('12', '1.5', 1.5, '007', true, 'x', 1e21) },
  );
}

function decimalValues(precision: number | null, scale: number): fc.Arbitrary<unknown> {
  const p = precision ?? 20;
  const intDigits = Math.max(0, p - scale);
  const digitString = (length: number) =>
    fc.array(fc.constantFrom('0', '1', '5', '9'), { minLength: length, maxLength: length }).map((d) => d.join(''));
  const composed = fc
    .record({
      negative: fc.boolean(),
      whole: fc.integer({ min: 0, max: intDigits + 1 }).chain((n) => digitString(n)),
      frac: fc.integer({ min: 0, max: Math.max(0, scale) + 2 }).chain((n) => digitString(n)),
    })
    .map(({ negative, whole, frac }) => `${negative ? '-' : ''}${whole || '0'}${frac ? `.${frac}` : ''}`);
  const nines = `${'9'.repeat(Math.max(1, intDigits))}${scale > 0 ? `.${'9'.repeat(scale)}` : ''}`;
  return fc.oneof(
    { weight: 4, arbitrary: composed },
    {
      weight: 1,
      arbitrary: fc.constantFrom<unknown>(nines, `-${nines}`, '0', '-0', 0.1, 100, 12300, '0.0001', '1.500000', 5),
    },
  );
}

const TEXT_EDGES = [
  '',
  ' ',
  'a',
  'A',
  'a ',
  'ab  ',
  'Straße',
  'STRASSE',
  'é',
  'e\u0301',
  'É',
  'ﬁ',
  '😀',
  'line\nbreak',
  "O'Brien",
  'x\u0000y',
  '\u00a0',
  'İ',
  'ı',
];

/** Case and normalization twins, trailing spaces, characters outside a narrow charset, lengths at the limit. */
function textValues(length: number | null): fc.Arbitrary<unknown> {
  const n = length ?? 12;
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom<unknown>(...TEXT_EDGES) },
    { weight: 2, arbitrary: fc.string({ maxLength: n + 2, unit: fc.constantFrom('a', 'B', ' ', 'é', 'ß', 'z') }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<unknown>('q'.repeat(n), 'q'.repeat(n + 1), `${'q'.repeat(Math.max(0, n - 1))} `),
    },
    // Secret-looking values: the secrecy oracle looks for them in every message and log line.
    { weight: 2, arbitrary: fc.integer({ min: 1000, max: 9999 }).map((n) => `zq${n}`) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(5, null, true) },
  );
}

const DATE_EDGES = [
  '2024-02-29',
  '2023-02-29',
  '0001-01-01',
  '1000-01-01',
  '9999-12-31',
  '1970-01-01',
  '2024-13-01',
  '2024-04-31',
];
/** BC dates, year 0, a five-digit year and Julian day 0: for an engine whose dates reach before year 1. */
const WIDE_DATE_EDGES = ['-0043-03-15', '0000-02-29', '+10000-01-01', '-4713-11-24'];

const widerDates = (d: SchemaDialect) => d.dateYears[0] < 1;

function dateValues(d: SchemaDialect): fc.Arbitrary<unknown> {
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc.constantFrom<unknown>(...DATE_EDGES, ...(widerDates(d) ? WIDE_DATE_EDGES : [])),
    },
    {
      weight: 2,
      arbitrary: fc
        .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10)),
    },
    { weight: 1, arbitrary: fc.constantFrom<unknown>('2024-03-01T00:00:00Z', '2024-03-01T10:00:00Z', 20240301, '') },
  );
}

function dateTimeValues(): fc.Arbitrary<unknown> {
  const instant = fc
    .record({
      date: fc.date({
        min: new Date('1971-01-01T00:00:00Z'),
        max: new Date('2037-12-31T00:00:00Z'),
        noInvalidDate: true,
      }),
      fraction: fc.constantFrom('', '.5', '.123', '.123456', '.1234567', '.000001', '.100000', '.999999'),
      zone: fc.constantFrom('Z', 'Z', '', '+02:00', '-05:30', '+14:00'),
      sep: fc.constantFrom('T', ' '),
    })
    .map(
      ({ date, fraction, zone, sep }) =>
        `${date.toISOString().slice(0, 10)}${sep}${date.toISOString().slice(11, 19)}${fraction}${zone}`,
    );
  return fc.oneof(
    { weight: 4, arbitrary: instant },
    {
      weight: 2,
      // DST changes of Europe and the US (as instants, they are ordinary), the 2038 edge, leap second 23:59:60.
      arbitrary: fc.constantFrom<unknown>(
        '2024-03-31T02:30:00+01:00',
        '2024-10-27T02:30:00+02:00',
        '2024-03-10T02:30:00-05:00',
        '2038-01-19T03:14:07Z',
        '2038-01-19T03:14:08Z',
        '1970-01-01T00:00:01Z',
        '1970-01-01T00:00:00Z',
        '2016-12-31T23:59:60Z',
        '9999-12-31T23:59:59.999999Z',
        '1000-01-01T00:00:00Z',
        '2024-02-30T00:00:00Z',
      ),
    },
    { weight: 1, arbitrary: fc.constantFrom<unknown>('2024-03-01', 'now', 1709251200) },
  );
}

export function typeFacts(d: SchemaDialect, type: ColumnType): TypeFacts {
  const facts = plainTypeFacts(d, type);
  const shown = d.shownAsNull(type);
  if (shown.length === 0) return facts;
  return {
    ...facts,
    shownAsNull: shown,
    normalize: (text) => (shown.includes(text) ? text : facts.normalize(text)),
    input: (canonical) => (shown.includes(canonical) ? canonical : (facts.input ?? ((t: string) => t))(canonical)),
    valueFeature: (value) =>
      value instanceof ServerText ? 'value:shown-as-null' : (facts.valueFeature?.(value) ?? null),
  };
}

function plainTypeFacts(d: SchemaDialect, type: ColumnType): TypeFacts {
  const bindAs = (sqlType: string) => (placeholder: string) => d.typedParameter(placeholder, sqlType);
  const base = { read: (c: string) => d.serverText(c), filterable: false, long: false };
  switch (type.t) {
    case 'int': {
      const { sql, name, unsigned, range } = d.integer(type);
      const dataType = unsigned
        ? { tiny: 'Short', small: 'Integer', int: 'Long', big: 'BigInteger' }[type.size]
        : { tiny: 'Short', small: 'Short', int: 'Integer', big: 'Long' }[type.size];
      return {
        ...base,
        sql,
        dataType,
        values: integerValues(range[0]!, range[1]!),
        exact: (value) => exactInteger(value, range[0]!, range[1]!),
        normalize: canonicalInteger,
        bind: bindAs(name),
        filterable: type.size !== 'big',
      };
    }
    case 'decimal': {
      const { precision, scale } = d.decimalDigits(type);
      return {
        ...base,
        sql: d.columnSql(type),
        dataType: 'BigDecimal',
        values: decimalValues(type.precision, type.scale),
        valueFeature: (value) => {
          const exact = exactDecimal(value, precision, scale, type.zerofill);
          const loose = exactDecimal(value, null, null);
          return exact === REFUSE && loose !== REFUSE ? 'value:decimal-beyond-column' : null;
        },
        exact: (value) => exactDecimal(value, precision, scale, type.zerofill),
        normalize: (text) => canonicalDecimal(text) ?? `unreadable number ${text}`,
        bind: bindAs('numeric'),
      };
    }
    case 'double':
      return {
        ...base,
        sql: d.typeNames.double,
        dataType: 'Double',
        values: fc.oneof(
          fc.constantFrom<unknown>(0.1, -1.5, 1e308, 5e-324, 1.7976931348623157e308, 0, 2 ** 53 + 2, 123456.789),
          fc.double({ noNaN: true, noDefaultInfinity: true }),
        ),
        exact: (value) => {
          const n = typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
          return typeof n === 'number' && Number.isFinite(n) ? String(Object.is(n, -0) ? 0 : n) : REFUSE;
        },
        normalize: (text) => String(Number(text)),
        bind: bindAs('double precision'),
        // Where NaN and ±Infinity are stored, filters must treat them as null (docs/types.md): the reference
        // compares them.
        filterable: d.shownAsNull(type).length > 0,
      };
    case 'bool':
      return {
        ...base,
        sql: d.typeNames.bool,
        dataType: 'Boolean',
        values: fc.constantFrom<unknown>(true, false, 1, 0, 'true', 2),
        // true/false, 1/0 and their strings are the same truth (README: "booleans as true/false or 0/1").
        exact: (value) =>
          [true, 1, 'true', '1'].includes(value as never)
            ? 'true'
            : [false, 0, 'false', '0'].includes(value as never)
              ? 'false'
              : REFUSE,
        normalize: (text) =>
          text === '1' || text === 'true' ? 'true' : text === '0' || text === 'false' ? 'false' : `bool ${text}`,
        bind: (placeholder) => d.booleanParameter(placeholder),
      };
    case 'varchar':
    case 'char':
    case 'text': {
      const length = type.t === 'text' ? null : type.length;
      const typeName =
        type.t === 'text' ? d.typeNames.text : `${type.t === 'char' ? 'CHAR' : 'VARCHAR'}(${type.length})`;
      const repertoire = d.repertoire(type.collation);
      return {
        ...base,
        sql: `${typeName}${d.collateClause(type.collation)}`,
        dataType: 'String',
        values: textValues(length),
        // CHAR pads with spaces (PostgreSQL shows them, MariaDB strips them): trailing spaces are not part of a CHAR
        // value on either server, so both sides compare without them.
        exact: (value) => {
          if (type.t !== 'char') return exactText(value, length, repertoire);
          return exactText(typeof value === 'string' ? value.replace(/ +$/, '') : value, length, repertoire);
        },
        normalize: (text) => (type.t === 'char' ? text.replace(/ +$/, '') : text),
        // Both servers cut spaces beyond a VARCHAR's length instead of refusing (PostgreSQL docs, "Character
        // Types"; MariaDB KB, "VARCHAR"): such a value must be refused by the connector.
        valueFeature: (value) =>
          type.t === 'varchar' &&
          typeof value === 'string' &&
          [...value].length > type.length &&
          [...value.replace(/ +$/, '')].length <= type.length
            ? 'value:excess-trailing-spaces'
            : null,
        read: (c) => d.characterText(c),
        bind: bindAs('text'),
        long: type.t === 'text',
      };
    }
    case 'date': {
      const [minYear, maxYear] = d.dateYears;
      return {
        ...base,
        sql: d.typeNames.date,
        dataType: 'Date',
        values: dateValues(d),
        exact: (value) => exactDate(value, minYear, maxYear),
        normalize: canonicalDate,
        bind: bindAs('date'),
        // PostgreSQL does not read ISO's expanded years: bind its own form (`0044-03-15 BC`).
        input: (canonical) => {
          const match = /^([+-]?\d+)(-\d{2}-\d{2})$/.exec(canonical)!;
          const year = Number(match[1]);
          return year <= 0 ? `${String(1 - year).padStart(4, '0')}${match[2]} BC` : `${year}${match[2]}`;
        },
      };
    }
    case 'datetime': {
      const zoned = type.zone;
      const [min, max] = d.dateTimeRange(zoned);
      return {
        ...base,
        sql: d.columnSql(type),
        dataType: 'DateTime',
        values: dateTimeValues(),
        exact: (value) => exactDateTime(value, type.digits, min, max),
        valueFeature: (value) => {
          const fraction = typeof value === 'string' ? (/\.(\d+)/.exec(value)?.[1] ?? '') : '';
          return /[1-9]/.test(fraction.slice(type.digits)) ? 'value:excess-fraction' : null;
        },
        normalize: canonicalDateTime,
        bind: bindAs(zoned ? 'timestamptz' : 'timestamp'),
      };
    }
    case 'year':
      return {
        ...base,
        sql: 'YEAR',
        dataType: 'Integer',
        values: fc.constantFrom<unknown>(0, 1, 69, 70, 99, 1900, 1901, 2024, 2155, 2156, '2000'),
        exact: (value) => {
          const year = exactInteger(value, 0n, 2155n);
          return year === REFUSE || (year !== '0' && Number(year) < 1901) ? REFUSE : year;
        },
        normalize: canonicalInteger,
        bind: bindAs('integer'),
        filterable: true,
        valueFeature: (value) =>
          value === 0 || value === '0'
            ? 'value:year-zero'
            : typeof value === 'number' && value > 0 && value < 100
              ? 'value:year-two-digit'
              : null,
      };
    case 'enum': {
      const labels = type.labels;
      const label = (value: unknown) => enumLabelFor(labels, type.collation, value);
      return {
        ...base,
        sql: d.columnSql(type),
        dataType: 'String',
        values: fc.constantFrom<unknown>(
          ...labels,
          ...labels.map((l) => l.toUpperCase()),
          ...labels.map((l) => l.toLowerCase()),
          'nope',
          '',
          ' a',
        ),
        // Stored as the label the value equals under the column's collation (issue 17 item 10); none: refused.
        exact: (value) => label(value) ?? REFUSE,
        valueFeature: (value) =>
          typeof value === 'string' &&
          !labels.includes(value) &&
          labels.some((l) => l.toLowerCase() === value.toLowerCase())
            ? 'value:enum-case-twin'
            : null,
        normalize: (text) => text,
        bind: bindAs('fz_mood'),
      };
    }
    case 'binary':
      return {
        ...base,
        sql: d.columnSql(type),
        dataType: 'ByteArray',
        values: fc.oneof(
          fc.uint8Array({ maxLength: type.length + 2 }).map((b) => Buffer.from(b).toString('base64')),
          fc.constantFrom<unknown>('', 'AA==', '/w==', 'not base64!', 'AAA', 5),
        ),
        exact: (value) => exactBase64(value, d.boundedBinary ? type.length : null),
        ...d.hexBytes,
      };
    case 'uuid':
      return {
        ...base,
        sql: 'uuid',
        dataType: 'String',
        values: fc.oneof(
          fc.uuid(),
          fc.constantFrom<unknown>(
            'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11',
            '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}',
            'nope',
          ),
        ),
        // A UUID is its 128 bits: hex digits are case-insensitive on input (RFC 9562 §4) and PostgreSQL also reads
        // braces and missing hyphens (docs, "UUID Type"); the same bits in another spelling are the same value.
        exact: (value) => {
          if (typeof value !== 'string') return REFUSE;
          const hex =
            /^\{?([0-9a-fA-F]{8})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{12})\}?$/.exec(
              value,
            );
          return hex ? hex.slice(1).join('-').toLowerCase() : REFUSE;
        },
        normalize: (text) => text,
        bind: bindAs('uuid'),
      };
    case 'intArray':
      return {
        ...base,
        sql: 'integer[]',
        dataType: 'List',
        values: fc.oneof(
          fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constant(null)), { maxLength: 4 }),
          fc.constantFrom<unknown>([2147483648], ['1'], [1.5], 'x'),
        ),
        exact: (value) => {
          if (!Array.isArray(value)) return REFUSE;
          const items: string[] = [];
          for (const item of value) {
            if (item === null) items.push('NULL');
            else {
              const text = exactInteger(item, -2147483648n, 2147483647n);
              if (text === REFUSE) return REFUSE;
              items.push(text);
            }
          }
          return `{${items.join(',')}}`;
        },
        normalize: (text) => text,
        bind: bindAs('integer[]'),
      };
    case 'box':
      return {
        ...base,
        sql: 'box',
        dataType: 'String',
        values: fc.oneof(
          fc
            .tuple(...[0, 1, 2, 3].map(() => fc.integer({ min: -3, max: 3 })))
            .map(([x1, y1, x2, y2]) => `(${x1},${y1}),(${x2},${y2})`),
          fc.constantFrom<unknown>('((0,0),(2,1))', '0,0,1,1', '(1,2)', 'nope'),
        ),
        // Its array elements are separated by ';', not ',' (pg_type.typdelim): a multi-row write keeps VALUES.
        // PostgreSQL stores the upper right corner first ("Geometric Types": the corners are reordered).
        exact: (value) => {
          if (typeof value !== 'string') return REFUSE;
          const numbers = /^\(?\s*\(?(-?\d+),(-?\d+)\)?\s*,\s*\(?(-?\d+),(-?\d+)\)?\s*\)?$/.exec(value);
          if (!numbers) return REFUSE;
          const [x1, y1, x2, y2] = numbers.slice(1).map(Number) as [number, number, number, number];
          return `(${Math.max(x1, x2)},${Math.max(y1, y2)}),(${Math.min(x1, x2)},${Math.min(y1, y2)})`;
        },
        normalize: (text) => text,
        bind: bindAs('box'),
      };
    case 'domain':
      return {
        ...base,
        sql: type.withDefault ? 'fz_positive_d' : 'fz_positive',
        dataType: 'Integer',
        values: fc.constantFrom<unknown>(1, 2, 7, 0, -1, 2147483647),
        // The domain's CHECK (VALUE > 0): 0 and -1 cannot be stored.
        exact: (value) => exactInteger(value, 1n, 2147483647n),
        normalize: canonicalInteger,
        bind: bindAs('integer'),
        filterable: true,
      };
    case 'real':
      return {
        ...base,
        sql: 'real',
        dataType: 'Float',
        values: fc.oneof(
          fc.constantFrom<unknown>(0.1, 1.5, -2.5, 3.4028234663852886e38, 1e-45, 16777216, 16777217, 1e39, 0),
          fc.float({ noNaN: true, noDefaultInfinity: true }).map((f) => Number(shortestFloat32(f))),
        ),
        exact: exactFloat32,
        normalize: (text) => shortestFloat32(Math.fround(Number(text))),
        bind: bindAs('real'),
        filterable: true,
      };
    case 'bitString':
      return {
        ...base,
        sql: `${type.varying ? 'varbit' : 'bit'}(${type.width})`,
        // "every other type: String, the server's text" (docs/types.md): a bit string is its 0/1 digits.
        dataType: 'String',
        values: fc.oneof(
          fc.array(fc.constantFrom('0', '1'), { minLength: 0, maxLength: type.width + 1 }).map((bits) => bits.join('')),
          fc.constantFrom<unknown>('1'.repeat(type.width), '0'.repeat(type.width), '102', 'x', 'b1', 5),
        ),
        // PostgreSQL's bit input reads a leading x as hex digits and b as binary ('x' is the empty string).
        valueFeature: (value) =>
          typeof value === 'string' && /^[xXbB]/.test(value) ? 'value:bit-string-prefix' : null,
        // bit(n) holds exactly n bits, varbit(n) at most n; a longer or shorter one is refused by the server
        // (PostgreSQL docs, "Bit String Types"), never padded or cut by the connector.
        exact: (value) =>
          typeof value === 'string' &&
          /^[01]*$/.test(value) &&
          (type.varying ? value.length <= type.width : value.length === type.width)
            ? value
            : REFUSE,
        normalize: (text) => text,
        // `::bit` alone is bit(1): bind as varbit, which the column's assignment cast reads at any length.
        bind: bindAs('varbit'),
      };
    case 'set': {
      const labels = type.labels;
      return {
        ...base,
        sql: `SET(${labels.map((l) => `'${l}'`).join(', ')}) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
        dataType: 'String',
        values: fc.constantFrom<unknown>('', 'a', 'b', 'a,b', 'a,c d', 'a,b,c d', 'b,a', 'a,a', 'A', 'x', 'a,x', 5),
        // A SET value is the set of its members (MariaDB KB, "SET Data Type"): stored as the members in the
        // column's order, each once; a member that is no label (binary collation: case counts) is refused.
        exact: (value) => {
          if (typeof value !== 'string') return REFUSE;
          const members = value === '' ? [] : value.split(',');
          if (members.some((member) => !labels.includes(member))) return REFUSE;
          return labels.filter((label) => members.includes(label)).join(',');
        },
        normalize: (text) => text,
        bind: bindAs('text'),
      };
    }
    case 'bit': {
      if (type.width === 1) {
        const bool = plainTypeFacts(d, { t: 'bool' });
        return {
          ...bool,
          sql: 'BIT(1)',
          read: (c) => `CAST(${c} + 0 AS CHAR)`,
          bind: (placeholder) => `CASE ${placeholder} WHEN 'true' THEN b'1' ELSE b'0' END`,
        };
      }
      const bytes = Math.ceil(type.width / 8);
      const top = 2 ** (type.width - (bytes - 1) * 8);
      const bitsOf = (b: Uint8Array) => Buffer.from(b).toString('base64');
      return {
        ...base,
        sql: `BIT(${type.width})`,
        dataType: 'ByteArray',
        values: fc.oneof(
          {
            weight: 4,
            arbitrary: fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => {
              const copy = Uint8Array.from(b);
              copy[0] = copy[0]! % top;
              return bitsOf(copy);
            }),
          },
          // Beyond the column's bits, one byte too many, and not base64.
          {
            weight: 1,
            arbitrary: fc.constantFrom<unknown>(
              bitsOf(Uint8Array.from([top < 256 ? top : 255, ...new Array(bytes - 1).fill(0)])),
              bitsOf(new Uint8Array(bytes + 1).fill(1)),
              'not base64!',
            ),
          },
        ),
        // BIT(n) holds n bits, shown as ceil(n/8) bytes: a value is stored exactly when it has that many bytes
        // and fits in n bits (docs/types.md: BIT(n>1) is ByteArray).
        exact: (value) => {
          const hex = exactBase64(value, bytes);
          if (hex === REFUSE || hex.length !== bytes * 2) return REFUSE;
          return BigInt(`0x${hex}`) < 2n ** BigInt(type.width) ? hex : REFUSE;
        },
        normalize: (text) => text.toUpperCase(),
        read: (c) => `LPAD(HEX(${c}), ${bytes * 2}, '0')`,
        bind: (placeholder) => `CAST(CONV(${placeholder}, 16, 10) AS UNSIGNED)`,
      };
    }
    case 'json': {
      const scalar = fc.constantFrom<unknown>(
        0,
        7,
        -3,
        1.5,
        -0.25,
        'x',
        'é',
        '😀',
        'a"b',
        'line\nbreak',
        true,
        false,
        null,
      );
      // Keys in the order jsonb keeps them (shorter first, then bytewise), none twice: jsonb's text is then the
      // value as sent (PostgreSQL docs, "JSON Types").
      const object = (inner: fc.Arbitrary<unknown>) =>
        fc
          .subarray(['a', 'b', 'cc'])
          .chain((keys) =>
            fc.tuple(...keys.map(() => inner)).map((items) => Object.fromEntries(keys.map((k, i) => [k, items[i]]))),
          );
      const nested = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), object(scalar));
      return {
        ...base,
        sql: d.columnSql(type),
        dataType: 'Struct',
        values: fc.oneof(object(nested), fc.array(nested, { maxLength: 3 })),
        exact: exactJson,
        normalize: canonicalJsonText,
        bind: bindAs(type.binary ? 'jsonb' : 'json'),
        long: true,
      };
    }
    case 'spatial': {
      const shapes = type.kind === 'POINT' ? ['POINT'] : ['POINT', 'LINESTRING', 'POLYGON'];
      const number = '-?\\d+(?:\\.\\d+)?';
      const coords = `${number} ${number}(?:,${number} ${number})*`;
      const wkt = new RegExp(`^(POINT|LINESTRING|POLYGON)\\((?:${coords}|\\(${coords}\\))\\)$`);
      return {
        ...base,
        sql: type.kind,
        dataType: 'String',
        values: fc.constantFrom<unknown>(
          'POINT(1 5)',
          'POINT(-1.5 2.25)',
          'POINT(0 0)',
          'POINT(100000 -7)',
          'point(3 4)',
          'LINESTRING(0 0,1 1)',
          'POLYGON((0 0,1 0,1 1,0 0))',
          'nope',
          5,
        ),
        // WKT names the geometry: keyword case and spaces are not part of it (OGC Simple Features, WKT).
        exact: (value) => {
          if (typeof value !== 'string') return REFUSE;
          const canonical = canonicalWkt(value);
          const match = wkt.exec(canonical);
          return match && shapes.includes(match[1]!) ? canonical : REFUSE;
        },
        normalize: canonicalWkt,
        read: (c) => `ST_AsText(${c})`,
        bind: (placeholder) => `ST_GeomFromText(${placeholder})`,
        long: true,
      };
    }
  }
}

/** The column types the generator draws from: those both engines have, then the engine's own. */
export function columnTypes(d: SchemaDialect): fc.Arbitrary<ColumnType> {
  const option = (exists: boolean) => (exists ? fc.boolean() : fc.constant(false));
  const int = fc.record({
    t: fc.constant('int' as const),
    size: fc.constantFrom('tiny' as const, 'small' as const, 'int' as const, 'big' as const),
    unsigned: option(d.numericOptions),
    zerofill: option(d.numericOptions),
  });
  const { min, max, abovePrecision } = d.decimalScales;
  const decimal = fc
    .record({
      precision: fc.integer({ min: 1, max: 30 }),
      scale: fc.integer({ min, max }),
      zerofill: option(d.numericOptions),
      unconstrained: option(d.unconstrainedDecimals),
    })
    .map(({ precision, scale, zerofill, unconstrained }) => ({
      t: 'decimal' as const,
      precision: unconstrained ? null : precision,
      scale: unconstrained ? 0 : abovePrecision ? scale : Math.min(scale, precision),
      zerofill,
    }));
  const collation = fc.constantFrom(...d.collations);
  const common: fc.Arbitrary<ColumnType>[] = [
    int,
    decimal,
    fc.constant({ t: 'double' as const }),
    fc.constant({ t: 'bool' as const }),
    fc.record({ t: fc.constant('varchar' as const), length: fc.integer({ min: 1, max: 20 }), collation }),
    fc.record({ t: fc.constant('char' as const), length: fc.integer({ min: 1, max: 8 }), collation }),
    fc.record({ t: fc.constant('text' as const), collation }),
    fc.constant({ t: 'date' as const }),
    fc.record({ t: fc.constant('datetime' as const), digits: fc.integer({ min: 0, max: 6 }), zone: fc.boolean() }),
    d.enumTypes(collation),
    fc.record({ t: fc.constant('binary' as const), length: fc.integer({ min: 1, max: 8 }) }),
  ];
  return fc.oneof(...common, ...d.ownTypes());
}

/** The feature names of a column type (for coverage counts and the knownDefects switches). */
export function typeFeatures(d: SchemaDialect, type: ColumnType): string[] {
  const features = [`type:${type.t}`];
  if (type.t === 'decimal') {
    if (type.precision !== null && type.scale < 0) features.push('decimal:negative-scale');
    if (type.precision !== null && type.scale > type.precision) features.push('decimal:scale-above-precision');
    if (type.zerofill) features.push('zerofill');
  }
  if (type.t === 'int' && type.zerofill) features.push('zerofill');
  if (type.t === 'int' && type.unsigned) features.push('unsigned');
  if ('collation' in type) features.push(`collation:${type.collation}`);
  if (type.t === 'datetime') features.push(`datetime:${type.zone ? 'zoned' : 'plain'}`);
  if (type.t === 'domain' && type.withDefault) features.push('domain-default');
  if (type.t === 'bit') features.push(type.width === 1 ? 'bit:boolean' : 'bit:bytes');
  if (type.t === 'json') features.push(`json:${d.jsonFlavour(type)}`);
  if (type.t === 'bitString') features.push(type.varying ? 'bitString:varbit' : 'bitString:bit');
  if (type.t === 'spatial') features.push(`spatial:${type.kind}`);
  if (widerDates(d) && type.t === 'date') features.push('date:bc');
  return features;
}
