/**
 * Strict parsing of PostgreSQL time, timetz and interval values written by a record. The server's own input
 * parsers read far more than these forms, and read some of them into another value than the one meant: `now` is
 * the current time, `allballs` midnight, `040506.5` a time rounded by time(0), `0.01 minutes` an interval whose
 * fraction of a second interval(0) rounds away, `0.5` into `interval second(0)` one second. So only the forms below
 * are accepted; each is parsed here into its fields, checked against the column (values.ts), and bound as a
 * canonical text the server reads in exactly one way.
 *
 * - time: `HH:MM[:SS[.fffffffff]]` (ISO 8601 extended, as records show it), 00:00 to 24:00:00.
 * - timetz: the same, then `Z` or an offset `±HH[:MM[:SS]]` (without one: UTC, the session's zone).
 * - interval: PostgreSQL's own output form, as records show it: `[N year[s]] [N mon[s]] [N day[s]] [±]HH:MM:SS[.f]`
 *   (each part optional, at least one, single spaces; `month[s]` too), or an ISO 8601 duration
 *   `P[nY][nM][nW][nD][T[nH][nM][n[.f]S]]` with integer components, a fraction only on seconds, a sign per component.
 */

export interface TimeOfDay {
  /** The value as the server reads it without doubt: `HH:MM:SS.ffffff`, with `+HH:MM:SS` for timetz. */
  readonly text: string;
  /** The fraction-of-second digits as written (up to 9). */
  readonly fraction: string;
}

const TIME_OF_DAY = /^(\d\d):(\d\d)(?::(\d\d)(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d\d)(?::?(\d\d)(?::?(\d\d))?)?)?$/;

const pad = (value: number | bigint, width = 2) => String(value).padStart(width, '0');

/** A time (withZone false) or timetz (true) text in the strict form, or null. */
export function parseTimeOfDay(text: string, withZone: boolean): TimeOfDay | null {
  const match = TIME_OF_DAY.exec(text);
  if (!match) return null;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  const second = Number(match[3] ?? 0);
  const fraction = match[4] ?? '';
  if (minute > 59 || second > 59 || hour > 24) return null;
  // 24:00:00 is the end of the day; nothing after it.
  if (hour === 24 && (minute !== 0 || second !== 0 || /[1-9]/.test(fraction))) return null;
  const hasZone = match[5] !== undefined || match[6] !== undefined;
  if (hasZone && !withZone) return null; // time without time zone would silently drop it
  let zone = '';
  if (withZone) {
    const zoneMinutes = Number(match[8] ?? 0);
    const zoneSeconds = Number(match[9] ?? 0);
    if (zoneMinutes > 59 || zoneSeconds > 59) return null;
    zone = match[6] === undefined ? '+00:00:00' : `${match[6]}${match[7]}:${pad(zoneMinutes)}:${pad(zoneSeconds)}`;
  }
  const clock = `${pad(hour)}:${pad(minute)}:${pad(second)}.${fraction.slice(0, 6).padEnd(6, '0')}`;
  return { text: clock + zone, fraction };
}

export interface IntervalParts {
  /** Months (years × 12 + months), days and microseconds of time, as PostgreSQL keeps an interval. */
  readonly months: bigint;
  readonly days: bigint;
  readonly micros: bigint;
  /** The fraction-of-second digits as written (up to 9; digits beyond 6 are not in `micros`). */
  readonly fraction: string;
}

const INTERVAL_POSTGRES =
  /^(?:([+-]?\d{1,9}) years?(?: |$))?(?:([+-]?\d{1,9}) (?:mons?|months?)(?: |$))?(?:([+-]?\d{1,9}) days?(?: |$))?(?:([+-]?)(\d{1,10}):(\d\d):(\d\d)(?:\.(\d{1,9}))?)?$/;

const INTERVAL_ISO =
  /^P(?:([+-]?\d{1,9})Y)?(?:([+-]?\d{1,9})M)?(?:([+-]?\d{1,9})W)?(?:([+-]?\d{1,9})D)?(?:T(?:([+-]?\d{1,10})H)?(?:([+-]?\d{1,12})M)?(?:([+-]?)(\d{1,14})(?:[.,](\d{1,9}))?S)?)?$/;

const MICROS_PER_SECOND = 1_000_000n;

function secondsMicros(sign: string, seconds: string, fraction: string): bigint {
  const micros = BigInt(seconds) * MICROS_PER_SECOND + BigInt(fraction.slice(0, 6).padEnd(6, '0'));
  return sign === '-' ? -micros : micros;
}

const big = (text: string | undefined) => BigInt(text ?? 0);

/** An interval text in one of the strict forms, or null. */
export function parseInterval(text: string): IntervalParts | null {
  const postgres = text !== '' && !text.endsWith(' ') ? INTERVAL_POSTGRES.exec(text) : null;
  if (postgres) {
    const minutes = Number(postgres[6] ?? 0);
    const seconds = Number(postgres[7] ?? 0);
    if (minutes > 59 || seconds > 59) return null;
    const fraction = postgres[8] ?? '';
    const clock = big(postgres[5]) * 3600n * MICROS_PER_SECOND + BigInt(minutes) * 60n * MICROS_PER_SECOND;
    const time = clock + secondsMicros('', String(seconds), fraction);
    return {
      months: big(postgres[1]) * 12n + big(postgres[2]),
      days: big(postgres[3]),
      micros: postgres[4] === '-' ? -time : time,
      fraction,
    };
  }
  const iso = INTERVAL_ISO.exec(text);
  // At least one component, and a T only with a time component after it.
  if (!iso || text === 'P' || text.endsWith('T')) return null;
  const fraction = iso[9] ?? '';
  return {
    months: big(iso[1]) * 12n + big(iso[2]),
    days: big(iso[3]) * 7n + big(iso[4]),
    micros:
      big(iso[5]) * 3600n * MICROS_PER_SECOND +
      big(iso[6]) * 60n * MICROS_PER_SECOND +
      (iso[8] === undefined ? 0n : secondsMicros(iso[7]!, iso[8], fraction)),
    fraction,
  };
}

/** The interval as text the server reads in one way whatever the column's fields: `N mons N days ±H:MM:SS.ffffff`. */
export function intervalText(parts: IntervalParts): string {
  const negative = parts.micros < 0n;
  const micros = negative ? -parts.micros : parts.micros;
  const seconds = micros / MICROS_PER_SECOND;
  const clock = `${seconds / 3600n}:${pad((seconds / 60n) % 60n)}:${pad(seconds % 60n)}.${pad(micros % MICROS_PER_SECOND, 6)}`;
  return `${parts.months} mons ${parts.days} days ${negative ? '-' : '+'}${clock}`;
}

/** The smallest field an interval column keeps (`interval day to hour` keeps hours), or null for all of them. */
export type IntervalUnit = 'year' | 'month' | 'day' | 'hour' | 'minute';

/**
 * The smallest field a column declared with fields keeps, from its declared type (`interval year to month`,
 * `interval hour`, `interval day to second(3)`), or null when it keeps seconds (or has no fields). PostgreSQL drops
 * the smaller fields when it stores a value (AdjustIntervalForTypmod in src/backend/utils/adt/timestamp.c), so a
 * value with them would be stored changed.
 */
export function intervalSmallestField(columnType: string): IntervalUnit | null {
  const match = /^interval (year|month|day|hour|minute|second)(?: to (month|hour|minute|second))?/.exec(columnType);
  if (!match) return null;
  const smallest = match[2] ?? match[1];
  return smallest === 'second' ? null : (smallest as IntervalUnit);
}

/** True when storing the interval in a column keeping fields down to `unit` would drop a nonzero part. */
export function droppedBelow(parts: IntervalParts, unit: IntervalUnit): boolean {
  switch (unit) {
    case 'year':
      return parts.months % 12n !== 0n || parts.days !== 0n || parts.micros !== 0n;
    case 'month':
      return parts.days !== 0n || parts.micros !== 0n;
    case 'day':
      return parts.micros !== 0n;
    case 'hour':
      return parts.micros % (3600n * MICROS_PER_SECOND) !== 0n;
    case 'minute':
      return parts.micros % (60n * MICROS_PER_SECOND) !== 0n;
  }
}
