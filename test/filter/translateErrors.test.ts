import test from 'ava';
import { InvalidArgumentError } from '../../handler/errors';
import { compileFilter } from '../support/mysqlFilter';
import { ALL_TYPES, fieldMap } from './helpers';

// The translator's error messages word for word: each says what the field's type supports, or what is wrong with
// the value, and quotes the condition. translate.test.ts checks most of them by a prefix; a message that lost its
// list of operators, or named the wrong field, would still pass there.
const ORDERED = '=, !=, <, <=, >, >=, BETWEEN, IN';
const BOOLEAN = '= and != (with true, false, 0, 1 or null) and IN (with 0, 1, null)';
const OPAQUE = 'only = null and != null';

const MESSAGES: readonly (readonly [string, string])[] = [
  // true/false on a field of each other type: what that type supports instead
  ['s = true', `true/false can only be compared with Boolean fields; field 's' (String) supports ${ORDERED}, CONTAINS`],
  ['i = true', `true/false can only be compared with Boolean fields; field 'i' (Integer) supports ${ORDERED}`],
  ['l != false', `true/false can only be compared with Boolean fields; field 'l' (Long) supports ${ORDERED}`],
  ['sh = true', `true/false can only be compared with Boolean fields; field 'sh' (Short) supports ${ORDERED}`],
  ['bi = true', `true/false can only be compared with Boolean fields; field 'bi' (BigInteger) supports ${ORDERED}`],
  ['bd = true', `true/false can only be compared with Boolean fields; field 'bd' (BigDecimal) supports ${ORDERED}`],
  ['f = true', `true/false can only be compared with Boolean fields; field 'f' (Float) supports ${ORDERED}`],
  ['d = true', `true/false can only be compared with Boolean fields; field 'd' (Double) supports ${ORDERED}`],
  ['dt = true', `true/false can only be compared with Boolean fields; field 'dt' (Date) supports ${ORDERED}`],
  ['ts = true', `true/false can only be compared with Boolean fields; field 'ts' (DateTime) supports ${ORDERED}`],
  ['ba = true', `true/false can only be compared with Boolean fields; field 'ba' (ByteArray) supports ${OPAQUE}`],
  ['st = false', `true/false can only be compared with Boolean fields; field 'st' (Struct) supports ${OPAQUE}`],
  ['m = true', `true/false can only be compared with Boolean fields; field 'm' (Map) supports ${OPAQUE}`],
  ['li = true', `true/false can only be compared with Boolean fields; field 'li' (List) supports ${OPAQUE}`],
  // null where it means nothing
  ['s CONTAINS null', 'CONTAINS null is not allowed; use = null to find missing values'],
  ["s BETWEEN null AND 'b'", 'BETWEEN cannot use null as a bound'],
  ["s BETWEEN 'a' AND null", 'BETWEEN cannot use null as a bound'],
  ['s > null', `null can only be compared with = or != (it means "no value"), not '>'`],
  ['i <= null', `null can only be compared with = or != (it means "no value"), not '<='`],
  // orderings, BETWEEN, IN and CONTAINS where the type has none
  ['b < 1', `'<' is not supported on field 'b' (Boolean); it supports ${BOOLEAN}`],
  ['b BETWEEN 0 AND 1', `BETWEEN is not supported on field 'b' (Boolean); it supports ${BOOLEAN}`],
  ['ba BETWEEN 1 AND 2', `BETWEEN is not supported on field 'ba' (ByteArray); it supports ${OPAQUE}`],
  ['ba > 1', `'>' is not supported on field 'ba' (ByteArray); it supports ${OPAQUE}`],
  ["st >= 'x'", `'>=' is not supported on field 'st' (Struct); it supports ${OPAQUE}`],
  ['m <= 1', `'<=' is not supported on field 'm' (Map); it supports ${OPAQUE}`],
  ['ba = 1', `field 'ba' (ByteArray) supports ${OPAQUE}`],
  ["li != 'x'", `field 'li' (List) supports ${OPAQUE}`],
  ['ba IN (1)', `IN is not supported on field 'ba' (ByteArray); it supports ${OPAQUE}`],
  ['b CONTAINS 1', `CONTAINS only works on String fields; field 'b' (Boolean) supports ${BOOLEAN}`],
  ["ba CONTAINS 'x'", `CONTAINS only works on String fields; field 'ba' (ByteArray) supports ${OPAQUE}`],
  // Boolean literals
  ['b = 2', "field 'b' (Boolean) accepts true, false, 0, 1 or null, found '2'"],
  ["b = '1'", "field 'b' (Boolean) accepts true, false, 0, 1 or null, found '1'"],
  ['b != 1.0', "field 'b' (Boolean) accepts true, false, 0, 1 or null, found '1.0'"],
  ['b IN (0, 2024-01-01)', "field 'b' (Boolean) accepts true, false, 0, 1 or null, found '2024-01-01'"],
  // numbers
  ["l = '1x5'", "field 'l' (Long) needs a number like 42 or -1.5, found '1x5'"],
  ["bd = '1.'", "field 'bd' (BigDecimal) needs a number like 42 or -1.5, found '1.'"],
  ["bd = '.5'", "field 'bd' (BigDecimal) needs a number like 42 or -1.5, found '.5'"],
  ["i = '--1'", "field 'i' (Integer) needs a number like 42 or -1.5, found '--1'"],
  ['i = 2024-01-01T00:00:00Z', "field 'i' (Integer) needs a number like 42 or -1.5, found a date"],
  ['d = 2024-01-01', "field 'd' (Double) needs a number like 42 or -1.5, found a date"],
  // dates
  [
    'dt = 2024-03-01T00:00:00Z',
    "field 'dt' (Date) needs an ISO date like 2024-03-01, not the instant '2024-03-01T00:00:00Z': it holds whole days",
  ],
  [
    'dt = 1999-12-31T23:59:59.5Z',
    "field 'dt' (Date) needs an ISO date like 1999-12-31, not the instant '1999-12-31T23:59:59.5Z': it holds whole days",
  ],
  ["dt = '2024-03-01T00:00:00Z'", "field 'dt' (Date) needs an ISO date like 2024-03-01, found '2024-03-01T00:00:00Z'"],
  ['dt = 7', "field 'dt' (Date) needs an ISO date like 2024-03-01, found '7'"],
  ['ts = 2024-02-30', "'2024-02-30' is not a calendar date"],
];

for (const [expression, message] of MESSAGES) {
  test(`${expression} → ${message}`, (t) => {
    t.throws(() => compileFilter(expression, ALL_TYPES), {
      instanceOf: InvalidArgumentError,
      message: `filterExpression: ${message} (in: ${expression})`,
    });
  });
}

test('a number of too many digits counts its leading zeros out, and no other zeros', (t) => {
  const tooLong = `1${'0'.repeat(65)}`;
  t.throws(() => compileFilter(`i = ${tooLong}`, ALL_TYPES), {
    instanceOf: InvalidArgumentError,
    message: /^filterExpression: '10{58}…' has more than 65 digits \(in: i = 10{54}…\)$/,
  });
  t.deepEqual(compileFilter(`i = 000${'1'.repeat(65)}`, ALL_TYPES).params, [`000${'1'.repeat(65)}`]);
});

test('an unknown field is named with all the known ones up to ten, else the first ten and how many', (t) => {
  const names = 'abcdefghijk'.split('');
  const fields = (count: number) => fieldMap(Object.fromEntries(names.slice(0, count).map((name) => [name, 'String'])));
  t.is(
    t.throws(() => compileFilter("z = 'x'", fields(10)))?.message,
    "filterExpression: unknown field 'z'; known fields: 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'",
  );
  t.is(
    t.throws(() => compileFilter("z = 'x'", fields(11)))?.message,
    "filterExpression: unknown field 'z'; known fields include 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j' (11 in all)",
  );
  t.is(
    t.throws(() => compileFilter("z = 'x'", fields(1)))?.message,
    "filterExpression: unknown field 'z'; known fields: 'a'",
  );
});
