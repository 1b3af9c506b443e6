/**
 * The value rules of the record format (protocol reference §1.4.6, the Java SDK's JSONValidator): each value must be
 * the JSON kind its field's dataType promises. Null is always allowed; Struct, Map and List are not checked (a JSON
 * column may hold any JSON document).
 */
import type { FieldDataType } from '../handler/protocol/codecs';

const INTEGER = /^-?\d+$/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;
/**
 * A year as java.time's ISO formatters write and (strictly) read it, which is how AppFlow's SDKs parse Date and
 * DateTime values: "Four digits or more for the year. Years in the range 0000 to 9999 will be pre-padded by zero to
 * ensure four digits. Years outside that range will have a prefixed positive or negative symbol"
 * (java.time.format.DateTimeFormatter, ISO_LOCAL_DATE). So 0000–9999 unsigned, later years with "+" and at least
 * five digits (+10000), years before 0000 (ISO year 0 is 1 BC, -0043 is 44 BC) with "-"; java.time's years stop at
 * 999,999,999.
 */
const YEAR = '(?:\\d{4}|\\+\\d{5,9}|-(?!0000-)\\d{4,9})';
const DATE = new RegExp(`^"${YEAR}-\\d{2}-\\d{2}"$`);
// Java's ISO_DATE_TIME: date, T, HH:mm[:ss[.fraction]], optional offset and zone id.
const DATE_TIME = new RegExp(
  `^"${YEAR}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2}(:\\d{2})?)?(\\[[^\\]]+\\])?"$`,
);
const BASE64 = /^"([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?"$/;

const RULES: Partial<Record<FieldDataType, { test: (raw: string) => boolean; expected: string }>> = {
  String: { test: (raw) => raw.startsWith('"'), expected: 'a JSON string' },
  Integer: { test: (raw) => INTEGER.test(raw), expected: 'a JSON integer' },
  Long: { test: (raw) => INTEGER.test(raw), expected: 'a JSON integer' },
  Short: { test: (raw) => INTEGER.test(raw), expected: 'a JSON integer' },
  BigInteger: { test: (raw) => INTEGER.test(raw), expected: 'a JSON integer' },
  Float: { test: (raw) => NUMBER.test(raw), expected: 'a JSON number' },
  Double: { test: (raw) => NUMBER.test(raw), expected: 'a JSON number' },
  BigDecimal: { test: (raw) => NUMBER.test(raw), expected: 'a JSON number' },
  Boolean: { test: (raw) => raw === 'true' || raw === 'false', expected: 'a JSON boolean' },
  Date: { test: (raw) => DATE.test(raw), expected: 'a "YYYY-MM-DD" string' },
  DateTime: { test: (raw) => DATE_TIME.test(raw), expected: 'an ISO-8601 date-time string' },
  ByteArray: { test: (raw) => BASE64.test(raw), expected: 'a base64 string' },
};

/** What the value should have been, or null when it fits its field's dataType. */
export function valueProblem(dataType: FieldDataType, raw: string): string | null {
  if (raw === 'null') return null;
  const rule = RULES[dataType];
  return !rule || rule.test(raw) ? null : `${rule.expected} (${dataType} field)`;
}
