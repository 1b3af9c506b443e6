// Dates and date-times in every range of the lexer's month and day alternatives (months 01-09 and 10-12; days
// 00-09, 10-19, 20-29, 30-31), found by mutation testing: no test had a day 10-19, nor a date-time in months 10-12
// or on days 30-31, so a broken alternative there went unnoticed. The expected tokens are written out.
import test from 'ava';
import { tokenize } from '../../handler/filter';

const kinds = (input: string) => tokenize(input).map((token) => `${token.kind}:${token.text}`);

test('dates in every month and day range are DATE tokens', (t) => {
  for (const date of ['2024-01-05', '2024-02-15', '2024-10-19', '2024-11-25', '2024-12-31', '2024-09-30']) {
    t.deepEqual(kinds(date), [`DATE:${date}`, 'EOF:'], date);
  }
});

test('date-times in every month and day range are DATETIME tokens', (t) => {
  for (const moment of [
    '2024-01-05T00:00:00Z',
    '2024-02-15T10:30:00Z',
    '2024-10-19T23:59:59Z',
    '2024-11-25T12:00:00.5Z',
    '2024-12-31T00:00:00Z',
    '2024-09-30T19:45:01Z',
  ]) {
    t.deepEqual(kinds(moment), [`DATETIME:${moment}`, 'EOF:'], moment);
  }
});

test('a month or day out of range is not a date', (t) => {
  for (const text of ['2024-13-01', '2024-00-10', '2024-01-32', '2024-01-1x']) {
    t.false(
      kinds(text).some((token) => token.startsWith('DATE')),
      text,
    );
  }
});
