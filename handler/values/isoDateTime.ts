/**
 * ISO 8601 dates and date-times read as calendar fields, without a JavaScript Date (which stops at year 275760 and
 * knows no year 0 without care): the one reader behind both engines' date and timestamp writes and the filter
 * translator's Date/DateTime literals. The calendar is the proleptic Gregorian one of ISO 8601 (year 0 is 1 BC, a
 * leap year); an engine whose server counts otherwise says so on top (MySQL's year 0 has no February 29).
 *
 * Two forms:
 * - a record value: "YYYY-MM-DD", optionally followed by "T" or " " (either case), "HH:MM[:SS[.f{1,9}]]" (the fraction
 *   after "." or ","), and "Z" (either case) or an offset "±HH[[:]MM]"; the year four digits, or with
 *   `expandedYears` also a sign and four to seven digits ("+10000-01-01", "-0043-03-15");
 * - a filter literal (`filterLiteral`): exactly "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS[.f…]Z", upper case, UTC.
 */

export interface IsoForm {
  /** ISO 8601's expanded years too: a sign and 4 to 7 digits. Else exactly four digits. */
  readonly expandedYears?: boolean;
  /** The filter language's literal form (see the file comment). */
  readonly filterLiteral?: boolean;
}

/** What is wrong with a date-time of the right form: a day the month does not have, a time past 23:59:59, an
 *  offset past 23:59. */
export type IsoProblem = 'calendar' | 'clock' | 'offset';

/** The fields of an ISO 8601 date or date-time, as written. */
export interface IsoDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** False for a bare date (then the time fields are zero). */
  readonly hasTime: boolean;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** The fraction-of-second digits as written ('' without). */
  readonly fraction: string;
  /** Minutes east of UTC: 0 for "Z" or no offset. */
  readonly offsetMinutes: number;
  /** The first thing wrong with the fields (calendar, then clock, then offset), or null. */
  readonly problem: IsoProblem | null;
}

const RECORD_FORM =
  /^([+-]\d{4,7}|\d{4})-(\d\d)-(\d\d)(?:[Tt ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d{1,9}))?)?([Zz]|[+-]\d\d(?::?\d\d)?)?)?$/;
const FILTER_FORM = /^(\d{4})-(\d\d)-(\d\d)(?:T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z))?$/;

/** True when a year is a leap year of the proleptic Gregorian calendar (year 0 and −4 are). */
function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** True when the day exists in the proleptic Gregorian calendar (any year, month 1–12). */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= DAYS_IN_MONTH[month - 1]! + (month === 2 && isLeapYear(year) ? 1 : 0);
}

/**
 * The fields of a date or date-time of the given form, with what is wrong with them (`problem`); null when the text
 * does not have the form.
 */
export function scanIsoDateTime(text: string, form: IsoForm = {}): IsoDateTime | null {
  const match = (form.filterLiteral ? FILTER_FORM : RECORD_FORM).exec(text);
  if (match === null || (!form.expandedYears && match[1]!.length !== 4)) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4] ?? 0);
  const minute = Number(match[5] ?? 0);
  const second = Number(match[6] ?? 0);
  let problem: IsoProblem | null = null;
  if (!isCalendarDate(year, month, day)) problem = 'calendar';
  else if (hour > 23 || minute > 59 || second > 59) problem = 'clock';
  let offsetMinutes = 0;
  const zone = match[8];
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const digits = zone.slice(1).replace(':', '');
    const hours = Number(digits.slice(0, 2));
    const minutes = Number(digits.slice(2) || 0);
    if (problem === null && (hours > 23 || minutes > 59)) problem = 'offset';
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
  }
  const hasTime = match[4] !== undefined;
  return { year, month, day, hasTime, hour, minute, second, fraction: match[7] ?? '', offsetMinutes, problem };
}

/** A valid date or date-time of the given form (nothing wrong with its fields), else null. */
export function readIsoDateTime(text: string, form: IsoForm = {}): IsoDateTime | null {
  const parts = scanIsoDateTime(text, form);
  return parts === null || parts.problem !== null ? null : parts;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (any year; H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The proleptic Gregorian date of a day number (inverse of daysFromCivil). */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: era * 400 + yoe + (month <= 2 ? 1 : 0), month, day };
}
