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
