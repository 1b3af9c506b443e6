/**
 * The schema fuzzer's own idea of "the value stored exactly": for each value a record sends, the text the server
 * would show for it if it were stored unchanged, or REFUSE when the column cannot hold it exactly (so the connector
 * must refuse that record). Written from the servers' documentation, independently of handler/: the oracle must not
 * share the connector's code.
 *
 * Canonical texts (both sides are brought to them before comparing):
 * - exact numbers: optional '-', integer digits without leading zeros, '.' and fraction digits without trailing
 *   zeros (no '.' when none); zero is "0" (MariaDB ZEROFILL padding and PostgreSQL's scale padding disappear);
 * - dates: astronomical ISO years (`-0043-03-15` is PostgreSQL's `0044-03-15 BC`, `+10000-01-01` beyond 9999);
 * - date-times: UTC `YYYY-MM-DD HH:MM:SS` plus `.` and up to 6 fraction digits without trailing zeros;
 * - binary: upper-case hex.
 */

export const REFUSE = Symbol('refuse');
export type Exact = string | typeof REFUSE;

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** digits × 10^exponent, digits without leading or trailing zeros ("" for zero). */
function decompose(text: string): { negative: boolean; digits: string; exponent: number } | null {
  const match = DECIMAL.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return null;
  const whole = `${match[2]}${match[3] ?? ''}`;
  let exponent = Number(match[4] ?? 0) - (match[3] ?? '').length;
  let digits = whole.replace(/^0+/, '');
  const trimmed = digits.replace(/0+$/, '');
  exponent += digits.length - trimmed.length;
  digits = trimmed;
  return { negative: match[1] === '-' && digits !== '', digits, exponent };
}

/** The canonical text of an exact number written in decimal (or e) notation; null when it is not a number. */
export function canonicalDecimal(text: string): string | null {
  const parts = decompose(text.trim());
  if (!parts) return null;
  const { negative, digits, exponent } = parts;
  if (digits === '') return '0';
  let body: string;
  if (exponent >= 0) body = digits + '0'.repeat(exponent);
  else {
    const point = digits.length + exponent;
    body = point > 0 ? `${digits.slice(0, point)}.${digits.slice(point)}` : `0.${'0'.repeat(-point)}${digits}`;
  }
  return (negative ? '-' : '') + body;
}

/** How a JSON value reads as an exact number (a JSON number by its JavaScript text, a digit string as written). */
function numberText(value: unknown): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return value;
  return null;
}

/**
 * NUMERIC(precision, scale) as both servers define it: the value times 10^scale is an integer and its magnitude is
 * below 10^(precision − scale). Covers PostgreSQL's negative scales (numeric(3,-2) holds multiples of 100 below
 * 100000) and scales above the precision (numeric(2,4) holds 0.0001 steps below 0.01).
 */
export function exactDecimal(value: unknown, precision: number | null, scale: number | null, unsigned = false): Exact {
  const text = numberText(value);
  const parts = text === null ? null : decompose(text);
  if (!parts) return REFUSE;
  if (unsigned && parts.negative) return REFUSE;
  if (parts.digits !== '' && precision !== null && scale !== null) {
    if (parts.exponent < -scale) return REFUSE;
    if (parts.digits.length + parts.exponent > precision - scale) return REFUSE;
  }
  return canonicalDecimal(text!)!;
}

/** An integer within [min, max] (bigints compared exactly), as a JSON number or a digit string. */
export function exactInteger(value: unknown, min: bigint, max: bigint): Exact {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) return REFUSE;
  const text = numberText(value);
  if (text === null || !/^-?\d+$/.test(text)) return REFUSE;
  const n = BigInt(text);
  return n < min || n > max ? REFUSE : n.toString();
}

export function canonicalInteger(text: string): string {
  return BigInt(text.trim()).toString();
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Proleptic Gregorian, astronomical years (0 = 1 BC). */
function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS[month - 1]!;
}

function isoYear(year: number): string {
  if (year < 0) return `-${String(-year).padStart(4, '0')}`;
  if (year > 9999) return `+${year}`;
  return String(year).padStart(4, '0');
}

/** A date `[+-]YYYY-MM-DD` (astronomical year) within [minYear, maxYear]. */
export function exactDate(value: unknown, minYear: number, maxYear: number): Exact {
  if (typeof value !== 'string') return REFUSE;
  // A date-time at exactly midnight UTC names the date exactly; any other time would be cut off.
  const match = /^([+-]?\d{4,6})-(\d{2})-(\d{2})(?:T00:00:00(?:\.0+)?(?:Z|[+-]00:00)?)?$/.exec(value);
  if (!match) return REFUSE;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < minYear || year > maxYear || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) {
    return REFUSE;
  }
  return `${isoYear(year)}-${match[2]}-${match[3]}`;
}

/** PostgreSQL's date text (`0044-03-15 BC`, `10000-01-01`) or MariaDB's, canonical. */
export function canonicalDate(text: string): string {
  const bc = / BC$/.test(text);
  const match = /^(\d{4,6})-(\d{2})-(\d{2})/.exec(text);
  if (!match) return `unreadable date ${text}`;
  const year = bc ? 1 - Number(match[1]) : Number(match[1]);
  return `${isoYear(year)}-${match[2]}-${match[3]}`;
}

function fraction(digits: string): string {
  const trimmed = digits.replace(/0+$/, '');
  return trimmed === '' ? '' : `.${trimmed}`;
}

/**
 * An ISO-8601 date-time (`T` or space, optional fraction, `Z`, `±HH:MM` or no zone = UTC) as a UTC instant with at
 * most `digits` fraction digits kept exactly, within [min, max] (canonical texts, compared as strings).
 */
export function exactDateTime(value: unknown, digits: number, min: string, max: string): Exact {
  if (typeof value !== 'string') return REFUSE;
  // A bare date is its midnight (UTC, like a date-time without offset): nothing is lost.
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return exactDateTime(`${value}T00:00:00`, digits, min, max);
  const match = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})?$/.exec(value);
  if (!match) return REFUSE;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) {
    return REFUSE;
  }
  const frac = match[7] ?? '';
  if (/[1-9]/.test(frac.slice(digits))) return REFUSE;
  let offsetMinutes = 0;
  const zone = match[8];
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const [zh, zm] = zone.slice(1).split(':').map(Number) as [number, number];
    if (zh > 23 || zm > 59) return REFUSE;
    offsetMinutes = sign * (zh * 60 + zm);
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute - offsetMinutes, second, 0);
  const text =
    `${isoYear(date.getUTCFullYear())}-${String(date.getUTCMonth() + 1).padStart(2, '0')}-` +
    `${String(date.getUTCDate()).padStart(2, '0')} ${String(date.getUTCHours()).padStart(2, '0')}:` +
    `${String(date.getUTCMinutes()).padStart(2, '0')}:${String(date.getUTCSeconds()).padStart(2, '0')}`;
  if (text < min || text > max) return REFUSE;
  return text + fraction(frac.slice(0, digits));
}

/** MariaDB's `2024-03-01 10:15:30.120000` or PostgreSQL's `2024-03-01 10:15:30.12(+00)`, canonical. */
export function canonicalDateTime(text: string): string {
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d+))?(?:\+00(?::00)?)?$/.exec(text);
  return match ? `${match[1]} ${match[2]}${fraction(match[3] ?? '')}` : `unreadable date-time ${text}`;
}

/**
 * Base64 (padded or not) that names its bytes unambiguously (re-encoding gives it back), as upper-case hex; REFUSE
 * beyond `maxBytes`.
 */
export function exactBase64(value: unknown, maxBytes: number | null): Exact {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.replace(/=+$/, '').length % 4 === 1) {
    return REFUSE;
  }
  const bytes = Buffer.from(value, 'base64');
  const bare = (text: string) => text.replace(/=+$/, '');
  if (bare(bytes.toString('base64')) !== bare(value)) return REFUSE;
  if (/=/.test(value) && value.length % 4 !== 0) return REFUSE;
  if (maxBytes !== null && bytes.length > maxBytes) return REFUSE;
  return bytes.toString('hex').toUpperCase();
}

export type Repertoire = 'unicode' | 'bmp' | 'latin1' | 'no-nul';

/** A string of at most `maxChars` characters (code points) of the column's character set. */
export function exactText(value: unknown, maxChars: number | null, repertoire: Repertoire): Exact {
  // A JSON number sent to a text column is stored as its text: exact (the generator sends only small integers).
  if (typeof value === 'number' && Number.isSafeInteger(value)) return exactText(String(value), maxChars, repertoire);
  if (typeof value === 'boolean') return exactText(String(value), maxChars, repertoire);
  if (typeof value !== 'string') return REFUSE;
  const chars = [...value];
  if (maxChars !== null && chars.length > maxChars) return REFUSE;
  for (const char of chars) {
    const code = char.codePointAt(0)!;
    if (repertoire === 'latin1' && (code > 0xff || (code >= 0x80 && code <= 0x9f))) return REFUSE;
    if (repertoire === 'bmp' && code > 0xffff) return REFUSE;
    if (repertoire === 'no-nul' && code === 0) return REFUSE;
  }
  return value;
}

/**
 * A value only the server can hold and records show as `null` (docs/types.md, "Values written back": PostgreSQL
 * `NaN`/`±Infinity` of numeric and floats, `±infinity` of dates and timestamps). First rows insert it through the
 * raw driver as this server text; no record sends it.
 */
export class ServerText {
  constructor(readonly text: string) {}
  toJSON(): string {
    return `server text ${this.text}`;
  }
}

/**
 * A JSON value's canonical text: compact (no spaces between tokens), strings re-encoded by JSON.stringify (so an
 * escape like `\u00e9` and the character itself are one text), numbers digit for digit as written. docs/types.md:
 * a JSON value is written back as the same value, compactly, escapes as the character.
 */
export function canonicalJsonText(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (char === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += JSON.stringify(JSON.parse(text.slice(i, j + 1)));
      i = j + 1;
    } else if (/\s/.test(char)) i++;
    else {
      out += char;
      i++;
    }
  }
  return out;
}

/** A record's JSON value (object or array) as canonical text; REFUSE for anything else. */
export function exactJson(value: unknown): Exact {
  if (value === null || typeof value !== 'object' || value instanceof ServerText) return REFUSE;
  return canonicalJsonText(JSON.stringify(value));
}

/** WKT canonical: upper-case keyword, one space between coordinates, none after commas or around parentheses. */
export function canonicalWkt(text: string): string {
  return text
    .trim()
    .toUpperCase()
    .replace(/\s*([(),])\s*/g, '$1')
    .replace(/\s+/g, ' ');
}

/** The shortest decimal that reads back as the float32 `f` (how PostgreSQL 12+ prints a `real`). */
export function shortestFloat32(f: number): string {
  for (let p = 1; p <= 9; p++) {
    const text = f.toPrecision(p);
    if (Math.fround(Number(text)) === f) return String(Number(text));
  }
  return String(f);
}

/**
 * A `real` holds a float32: a number is stored exactly when it is the shortest decimal of its float32 (what
 * records show) or that float32 itself; canonical text is the float32's shortest decimal.
 */
export function exactFloat32(value: unknown): Exact {
  const n = typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) return REFUSE;
  const f = Math.fround(n);
  if (!Number.isFinite(f)) return REFUSE;
  if (f !== n && Number(shortestFloat32(f)) !== n) return REFUSE;
  return shortestFloat32(Object.is(f, -0) ? 0 : f);
}
