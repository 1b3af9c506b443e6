/**
 * The runner's contract check reads dates as AppFlow's SDKs do (java.time's ISO formatters): years 0000–9999 in four
 * digits, later years with "+" and five or more digits, years before 0000 with "-" (ISO 8601's expanded form, as the
 * connector renders PostgreSQL's BC and year-10000 dates; test/engines/postgresql/roundTrip.test.ts checks the rendering).
 */
import test from 'ava';
import { valueProblem } from '../../runner/recordTypes';

test('expanded years are accepted in Date and DateTime values, other signed forms are not', (t) => {
  for (const raw of ['"0000-01-01"', '"-0043-03-15"', '"+10000-01-01"', '"+5874897-12-31"', '"-4713-11-24"']) {
    t.is(valueProblem('Date', raw), null, raw);
  }
  for (const raw of ['"-0043-03-15T12:00:00.123456Z"', '"+12345-06-07T08:09:10.5Z"', '"0000-01-01T00:00:00Z"']) {
    t.is(valueProblem('DateTime', raw), null, raw);
  }
  // java.time refuses, in strict parsing, a sign on a four-digit year, five digits without a sign, and -0000.
  for (const raw of ['"+2024-01-01"', '"10000-01-01"', '"-0000-01-01"', '"-043-03-15"']) {
    t.is(valueProblem('Date', raw), 'a "YYYY-MM-DD" string (Date field)', raw);
  }
  t.is(valueProblem('DateTime', '"+2024-01-01T00:00:00Z"'), 'an ISO-8601 date-time string (DateTime field)');
});
