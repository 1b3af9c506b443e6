/**
 * The one ISO 8601 date-time reader (handler/values/isoDateTime.ts) behind both engines' date and timestamp writes
 * and the filter translator's Date/DateTime literals.
 */
import test from 'ava';
import fc from 'fast-check';
import {
  civilFromDays,
  daysFromCivil,
  isCalendarDate,
  readIsoDateTime,
  scanIsoDateTime,
} from '../../handler/values/isoDateTime';

test('a record value: date, date-time with T or a space, optional seconds and fraction, Z or an offset', (t) => {
  t.like(readIsoDateTime('2024-02-29'), { year: 2024, month: 2, day: 29, hasTime: false, hour: 0, fraction: '' });
  t.like(readIsoDateTime('2024-03-01t10:15'), { hasTime: true, hour: 10, minute: 15, second: 0, offsetMinutes: 0 });
  t.like(readIsoDateTime('2024-03-01 10:15:30,123456789z'), { second: 30, fraction: '123456789', offsetMinutes: 0 });
  t.like(readIsoDateTime('2024-03-01T10:15:30+05:30'), { offsetMinutes: 330 });
  t.like(readIsoDateTime('2024-03-01T10:15:30-0130'), { offsetMinutes: -90 });
  t.like(readIsoDateTime('2024-03-01T10:15:30+02'), { offsetMinutes: 120 });
  for (const text of ['2024-3-01', '2024-03-01T10', '2024-03-01T10:15:30.1234567890', '24-03-01', '+10000-01-01']) {
    t.is(readIsoDateTime(text), null, text);
  }
});

test('expanded years only when the form allows them', (t) => {
  t.like(readIsoDateTime('+10000-01-01', { expandedYears: true }), { year: 10000 });
  t.like(readIsoDateTime('-0043-03-15', { expandedYears: true }), { year: -43 });
  t.is(readIsoDateTime('-0043-03-15'), null);
  t.is(readIsoDateTime('+12345678-01-01', { expandedYears: true }), null);
});

test('the filter literal form: upper-case T and Z, seconds required, any fraction length, no offset', (t) => {
  const form = { filterLiteral: true };
  t.like(readIsoDateTime('2024-03-01', form), { hasTime: false });
  t.like(readIsoDateTime('2024-03-01T10:15:30.1234567891Z', form), { fraction: '1234567891' });
  for (const text of ['2024-03-01t10:15:30Z', '2024-03-01T10:15:30z', '2024-03-01T10:15Z', '2024-03-01 10:15:30Z']) {
    t.is(scanIsoDateTime(text, form), null, text);
  }
  t.is(scanIsoDateTime('2024-03-01T10:15:30+01:00', form), null);
  t.is(scanIsoDateTime('2024-03-01T10:15:30', form), null);
});

test('scan names the first thing wrong with fields of the right form; read refuses them', (t) => {
  t.is(scanIsoDateTime('2023-02-29')?.problem, 'calendar');
  t.is(scanIsoDateTime('2024-13-01T25:00:00')?.problem, 'calendar');
  t.is(scanIsoDateTime('2024-04-31')?.problem, 'calendar');
  t.is(scanIsoDateTime('2024-03-01T24:00:00')?.problem, 'clock');
  t.is(scanIsoDateTime('2024-03-01T10:60')?.problem, 'clock');
  t.is(scanIsoDateTime('2024-03-01T10:00:60+25:00')?.problem, 'clock');
  t.is(scanIsoDateTime('2024-03-01T10:00:00+24:00')?.problem, 'offset');
  t.is(scanIsoDateTime('2024-03-01T10:00:00+01:60')?.problem, 'offset');
  t.is(scanIsoDateTime('2024-03-01T23:59:59+23:59')?.problem, null);
  t.is(readIsoDateTime('2024-03-01T24:00:00'), null);
});

test('the calendar is proleptic Gregorian: year 0 and -4 are leap years, 1900 and -100 are not', (t) => {
  t.true(isCalendarDate(0, 2, 29));
  t.true(isCalendarDate(-4, 2, 29));
  t.true(isCalendarDate(2000, 2, 29));
  t.false(isCalendarDate(1900, 2, 29));
  t.false(isCalendarDate(-100, 2, 29));
  t.false(isCalendarDate(-1, 2, 29));
  t.false(isCalendarDate(2024, 0, 1));
  t.false(isCalendarDate(2024, 1, 0));
  t.false(isCalendarDate(2024, 6, 31));
});

test('isCalendarDate agrees with the day-number round trip, and day numbers count from 1970-01-01', (t) => {
  t.is(daysFromCivil(1970, 1, 1), 0);
  t.is(daysFromCivil(2000, 3, 1), 11_017);
  t.deepEqual(civilFromDays(-719_528), { year: 0, month: 1, day: 1 });
  // fast-check throws with the shrunk counterexample when the property fails.
  t.notThrows(() =>
    fc.assert(
      fc.property(
        fc.integer({ min: -300_000, max: 300_000 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        (year, month, day) => {
          const back = civilFromDays(daysFromCivil(year, month, day));
          const exists = back.year === year && back.month === month && back.day === day;
          return isCalendarDate(year, month, day) === exists;
        },
      ),
    ),
  );
});

test('a record value: each part of the form at its bounds (one-digit fraction after ".", seven-digit year, Z)', (t) => {
  t.like(readIsoDateTime('2024-03-01T10:15:30.5Z'), { second: 30, fraction: '5', offsetMinutes: 0 });
  t.like(readIsoDateTime('2024-03-01 10:15:30.123456789+00:00'), { fraction: '123456789', offsetMinutes: 0 });
  t.like(readIsoDateTime('2024-03-01T00:00'), { hasTime: true, hour: 0, minute: 0, second: 0, fraction: '' });
  t.like(readIsoDateTime('+1234567-12-31', { expandedYears: true }), { year: 1_234_567, month: 12, day: 31 });
  t.like(readIsoDateTime('+0000-02-29T23:59:59', { expandedYears: true }), { year: 0, hour: 23, second: 59 });
  t.like(readIsoDateTime('2024-03-01T10:15:30-23:59'), { offsetMinutes: -1439 });
  for (const text of [
    'x2024-03-01',
    '12024-03-01',
    '2024-03-01x',
    ' 2024-03-01',
    '2024-03-01 ',
    '2024-03-01T10:15:30Zx',
    '2024-03-01T10:15:30.',
    '2024-03-01T10:15:30+1',
    '2024-03-01T10:15:30+01:0',
    '2024-03-01X10:15',
    '2024-03-01T10:15:30;5',
    '2024-003-01',
    '2024-03-001',
    '2024-03-01T1:15',
    '2024-03-01T10:5',
    '2024-03-01T10:15:5',
    '+10000-01-01T10:15:30Zz',
  ]) {
    t.is(scanIsoDateTime(text, { expandedYears: true }), null, text);
  }
  t.is(scanIsoDateTime('+123-01-01', { expandedYears: true }), null);
  t.is(scanIsoDateTime('-12345678-01-01', { expandedYears: true }), null);
});

test('the filter literal form: a date-time without a fraction, anchored at both ends, four-digit years only', (t) => {
  const form = { filterLiteral: true };
  t.like(readIsoDateTime('2024-03-01T10:15:30Z', form), { hasTime: true, second: 30, fraction: '', offsetMinutes: 0 });
  t.like(readIsoDateTime('2024-03-01T10:15:30.5Z', form), { fraction: '5' });
  for (const text of [
    'x2024-03-01',
    '2024-03-01x',
    '2024-03-01T10:15:30Zx',
    '2024-03-01T10:15:30.Z',
    '2024-03-01T10:15:30,5Z',
    '+2024-03-01',
    '20240-03-01',
    '2024-3-01',
    '2024-03-1',
    '2024-03-01T1:15:30Z',
    '2024-03-01T10:1:30Z',
    '2024-03-01T10:15:3Z',
  ]) {
    t.is(scanIsoDateTime(text, form), null, text);
  }
  t.is(scanIsoDateTime('2024-02-30', form)?.problem, 'calendar');
  t.is(scanIsoDateTime('2024-03-01T23:60:00Z', form)?.problem, 'clock');
});

test('each month has its last day and no day after it; the first day and month exist', (t) => {
  const last = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  for (let month = 1; month <= 12; month++) {
    t.true(isCalendarDate(2024, month, 1), `2024-${month}-01`);
    t.true(isCalendarDate(2024, month, last[month - 1]!), `2024-${month} last`);
    t.false(isCalendarDate(2024, month, last[month - 1]! + 1), `2024-${month} past the last`);
  }
  t.false(isCalendarDate(2023, 2, 29));
  t.false(isCalendarDate(2024, 13, 1));
  t.false(isCalendarDate(2024, -1, 1));
  t.false(isCalendarDate(2024, 1, -1));
});

/** The last day of a month, by the Gregorian rule spelt out (not by isCalendarDate). */
function lastDay(year: number, month: number): number {
  if (month !== 2) return [31, 0, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return leap ? 29 : 28;
}

test('day numbers are consecutive around year 0, the century and 400-year (era) ends, leap days included', (t) => {
  // Each window of three years: the day after each date is the next day number, and back again.
  let mismatch: string | null = null;
  for (const middle of [-400, -100, 0, 1700, 1900, 1970, 2000, 2024, 2400]) {
    const first = daysFromCivil(middle - 1, 1, 1);
    const end = daysFromCivil(middle + 2, 1, 1);
    let date = civilFromDays(first);
    if (date.year !== middle - 1 || date.month !== 1 || date.day !== 1) mismatch = `${first}: ${JSON.stringify(date)}`;
    for (let days = first; days < end && mismatch === null; days++) {
      const next = civilFromDays(days + 1);
      const expected =
        date.day < lastDay(date.year, date.month)
          ? { year: date.year, month: date.month, day: date.day + 1 }
          : date.month < 12
            ? { year: date.year, month: date.month + 1, day: 1 }
            : { year: date.year + 1, month: 1, day: 1 };
      if (next.year !== expected.year || next.month !== expected.month || next.day !== expected.day) {
        mismatch = `after ${JSON.stringify(date)} (day ${days}) came ${JSON.stringify(next)}`;
      } else if (daysFromCivil(next.year, next.month, next.day) !== days + 1) {
        mismatch = `${JSON.stringify(next)} numbered ${daysFromCivil(next.year, next.month, next.day)}, not ${days + 1}`;
      }
      date = next;
    }
    if (mismatch === null && (date.year !== middle + 2 || date.month !== 1 || date.day !== 1)) {
      mismatch = `window ${middle} ended on ${JSON.stringify(date)}`;
    }
  }
  t.is(mismatch, null);
  t.is(daysFromCivil(2000, 2, 29), 11_016);
  t.is(daysFromCivil(1969, 12, 31), -1);
});
