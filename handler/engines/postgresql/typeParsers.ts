/**
 * How the pool turns the server's text into JavaScript values, per pool (pg's `types` option), never through pg's
 * global registry (another module in the process may change that one).
 *
 * pg's defaults lose exactness or time zones: int8 and numeric stay strings (good), but `timestamp` without a zone
 * is read as *local* time into a Date, `timestamptz` into a Date with milliseconds only, `date` into a local
 * midnight Date, json/jsonb through JSON.parse (big numbers become doubles), float4 into a double that is not the
 * float32 value's shortest text, interval into an object, arrays into arrays of those. So every type arrives as
 * the server's own text, except the few whose JavaScript form is exact and cheaper to use:
 * bool → boolean, int2/int4/oid → number, bytea → Buffer. values.ts renders the text per column type.
 *
 * The text forms are fixed by the session's startup parameters (see connection.ts: DateStyle ISO, TimeZone UTC,
 * extra_float_digits 1, bytea_output hex, IntervalStyle postgres), not by whatever the database defaults to.
 */
export const OID = {
  bool: 16,
  bytea: 17,
  int8: 20,
  int2: 21,
  int4: 23,
  text: 25,
  oid: 26,
  json: 114,
  float4: 700,
  float8: 701,
  bpchar: 1042,
  varchar: 1043,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  timetz: 1266,
  numeric: 1700,
  uuid: 2950,
  jsonb: 3802,
} as const;

type Parser = (text: string) => unknown;

const identity: Parser = (text) => text;

/** bytea in hex output (`\x0a1b…`), the only form the session asks for. */
export function parseByteaHex(text: string): Buffer {
  if (text.startsWith('\\x')) return Buffer.from(text.slice(2), 'hex');
  // Escape format (bytea_output = escape) cannot happen with the session's startup parameters; refuse loudly
  // rather than return wrong bytes.
  throw new Error('bytea value not in hex format (bytea_output must be hex)');
}

const PARSED: ReadonlyMap<number, Parser> = new Map<number, Parser>([
  [OID.bool, (text) => text === 't'],
  [OID.int2, Number],
  [OID.int4, Number],
  [OID.oid, Number],
  [OID.bytea, parseByteaHex],
]);

/** The `types` option for pg.Pool: text for everything but bool, int2, int4, oid and bytea. */
export const exactTypes = {
  getTypeParser(oid: number, format?: string): Parser {
    // Binary results are never requested; if one were, its Buffer is passed through untouched.
    if (format === 'binary') return identity as Parser;
    return PARSED.get(oid) ?? identity;
  },
};
