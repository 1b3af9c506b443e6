import test from 'ava';
import { InvalidArgumentError } from '../../handler/errors';
import { FilterSyntaxError } from '../../handler/filter';
import { type CompiledFilter, compileFilter } from '../support/mysqlFilter';
import { ALL_TYPES, fieldMap } from './helpers';

const compile = (expression: string) => compileFilter(expression, ALL_TYPES);
const sql = (where: string, params: CompiledFilter['params'], limit: number | null = null): CompiledFilter => ({
  where,
  params,
  limit,
});

test('no expression means no filter', (t) => {
  for (const e of [null, undefined, '', '   ', '\n\t']) {
    t.deepEqual(compileFilter(e, ALL_TYPES), { where: null, params: [], limit: null });
  }
});

test('LIMIT alone and LIMIT after a condition', (t) => {
  t.deepEqual(compile('LIMIT 100'), { where: null, params: [], limit: 100 });
  t.deepEqual(compile("s = 'x' LIMIT 25"), sql('(`s` = ?)', ['x'], 25));
});

test('String fields: every literal bound as its text', (t) => {
  t.deepEqual(compile("s = 'a'"), sql('(`s` = ?)', ['a']));
  t.deepEqual(compile('s != "b"'), sql('(`s` <> ?)', ['b']));
  t.deepEqual(compile('s < 007'), sql('(`s` < ?)', ['007']));
  t.deepEqual(compile('s >= 2024-01-01'), sql('(`s` >= ?)', ['2024-01-01']));
  t.deepEqual(compile('s <= 2024-01-01T00:00:00Z'), sql('(`s` <= ?)', ['2024-01-01T00:00:00Z']));
  t.deepEqual(compile("s > ''"), sql('(`s` > ?)', ['']));
  t.deepEqual(compile("s BETWEEN 'a' AND 'm'"), sql('(`s` BETWEEN ? AND ?)', ['a', 'm']));
  t.deepEqual(compile("s IN ('a', 1)"), sql('(`s` IN (?, ?))', ['a', '1']));
});

test('= null and != null become IS NULL / IS NOT NULL on every type', (t) => {
  for (const name of ALL_TYPES.keys()) {
    t.deepEqual(compile(`${name} = null`), sql(`(\`${name}\` IS NULL)`, []), name);
    t.deepEqual(compile(`${name} != null`), sql(`(\`${name}\` IS NOT NULL)`, []), name);
  }
});

test('null with other operators is rejected', (t) => {
  for (const e of ['s > null', 'i <= null', 's BETWEEN null AND "b"', 's BETWEEN "a" AND null', 's CONTAINS null']) {
    const err = t.throws(() => compile(e), { instanceOf: InvalidArgumentError }, e);
    t.regex(err?.message ?? '', /^filterExpression: .*null/, e);
  }
});

test('IN with null members', (t) => {
  t.deepEqual(compile("s IN ('a', null, 'b')"), sql('(`s` IN (?, ?) OR `s` IS NULL)', ['a', 'b']));
  t.deepEqual(compile('s IN (null)'), sql('(`s` IS NULL)', []));
  t.deepEqual(compile('i IN (null, null)'), sql('(`i` IS NULL)', []));
});

test('CONTAINS is a literal substring match; the pattern is escaped in the parameter only', (t) => {
  t.deepEqual(compile('s CONTAINS "moj%ave"'), sql("(`s` LIKE CONCAT('%', ?, '%') ESCAPE '!')", ['moj!%ave']));
  t.deepEqual(
    compile(String.raw`s CONTAINS 'a_b!c\\d'`),
    sql("(`s` LIKE CONCAT('%', ?, '%') ESCAPE '!')", [String.raw`a!_b!!c\d`]),
  );
  t.deepEqual(compile('s CONTAINS 42'), sql("(`s` LIKE CONCAT('%', ?, '%') ESCAPE '!')", ['42']));
  for (const e of ['i CONTAINS 1', 'b CONTAINS 1', 'dt CONTAINS "2024"', 'm CONTAINS "x"']) {
    t.throws(
      () => compile(e),
      { instanceOf: InvalidArgumentError, message: /CONTAINS only works on String fields/ },
      e,
    );
  }
  t.regex(
    t.throws(() => compile('i CONTAINS 1'))?.message ?? '',
    /'i' \(Integer\) supports =, !=, <, <=, >, >=, BETWEEN, IN/,
  );
});

test('NOT is a complement: (e) IS NOT TRUE', (t) => {
  t.deepEqual(compile("NOT s = 'a'"), sql('((`s` = ?) IS NOT TRUE)', ['a']));
  t.deepEqual(compile("NOT NOT s = 'a'"), sql('(((`s` = ?) IS NOT TRUE) IS NOT TRUE)', ['a']));
  t.deepEqual(
    compile("NOT (s = 'a' OR i = 1)"),
    sql('(((`s` = ?) OR (`i` = CAST(? AS DECIMAL(65,0)))) IS NOT TRUE)', ['a', '1']),
  );
});

test('AND / OR keep the grouping with explicit parentheses', (t) => {
  t.deepEqual(
    compile("s = 'a' AND s = 'b' OR s = 'c'"),
    sql('(((`s` = ?) AND (`s` = ?)) OR (`s` = ?))', ['a', 'b', 'c']),
  );
  t.deepEqual(
    compile("s = 'a' AND (s = 'b' OR s = 'c') AND s = 'd'"),
    sql('((`s` = ?) AND ((`s` = ?) OR (`s` = ?)) AND (`s` = ?))', ['a', 'b', 'c', 'd']),
  );
});

test('exact numbers are bound as text and cast to DECIMAL with the literal scale', (t) => {
  for (const name of ['i', 'l', 'sh', 'bi']) {
    t.deepEqual(
      compile(`${name} = 12345678901234567890`),
      sql(`(\`${name}\` = CAST(? AS DECIMAL(65,0)))`, ['12345678901234567890']),
    );
  }
  t.deepEqual(compile("i > '-7'"), sql('(`i` > CAST(? AS DECIMAL(65,0)))', ['-7']));
  t.deepEqual(
    compile('i IN (1, 007, -3)'),
    sql('(`i` IN (CAST(? AS DECIMAL(65,0)), CAST(? AS DECIMAL(65,0)), CAST(? AS DECIMAL(65,0))))', ['1', '007', '-3']),
  );
  t.deepEqual(
    compile('bd BETWEEN -1.5 AND 2.250'),
    sql('(`bd` BETWEEN CAST(? AS DECIMAL(65,1)) AND CAST(? AS DECIMAL(65,3)))', ['-1.5', '2.250']),
  );
  t.deepEqual(compile(`bd = 0.${'1'.repeat(30)}`), sql('(`bd` = CAST(? AS DECIMAL(65,30)))', [`0.${'1'.repeat(30)}`]));
  t.deepEqual(compile(`bd = ${'9'.repeat(35)}.${'1'.repeat(30)}`).params, [`${'9'.repeat(35)}.${'1'.repeat(30)}`]);
  t.deepEqual(compile(`i = 000${'9'.repeat(65)}`).params, [`000${'9'.repeat(65)}`]);
});

test('number validation on exact numeric fields', (t) => {
  const cases: readonly (readonly [string, RegExp])[] = [
    ['i = 1.5', /field 'i' \(Integer\) needs a whole number, found '1.5'/],
    ['bi = 1.0', /needs a whole number/],
    ["l = 'abc'", /field 'l' \(Long\) needs a number like 42 or -1.5, found 'abc'/],
    ["i = ' 5'", /needs a number/],
    ["i = '1e5'", /needs a number/],
    ['i = 2024-01-01', /needs a number like 42 or -1.5, found a date/],
    [`bd = 0.${'1'.repeat(31)}`, /more than 30 digits after the decimal point/],
    [`i = ${'9'.repeat(66)}`, /more than 65 digits/],
    [`bd = ${'9'.repeat(36)}.${'1'.repeat(30)}`, /more than 65 digits/],
    ['i = true', /true\/false can only be compared with Boolean fields/],
  ];
  for (const [e, message] of cases) t.throws(() => compile(e), { instanceOf: InvalidArgumentError, message }, e);
});

test('Float and Double fields bind JS numbers: the stored value that shows as the literal', (t) => {
  t.deepEqual(compile('f < 1.5'), sql('(`f` < ?)', [1.5]));
  t.deepEqual(compile("d BETWEEN '-2' AND 3"), sql('((`d` >= ?) AND (`d` <= ?))', [-2, 3]));
  t.deepEqual(compile('d IN (0.1, null)'), sql('((`d` IN (?)) OR `d` IS NULL)', [0.1]));
  // A FLOAT shown as 0.1 is the float32 nearest 0.1, compared as a double.
  t.deepEqual(compile('f = 0.1'), sql('(`f` = ?)', [Math.fround(0.1)]));
  t.deepEqual(compile('f IN (0.1, 3.3)'), sql('(`f` IN (?, ?))', [Math.fround(0.1), Math.fround(3.3)]));
  // No FLOAT shows as 0.10000000001: = never holds, and the orderings move to the shown neighbour.
  t.deepEqual(compile('f = 0.10000000001'), sql('(`f` <> `f`)', []));
  t.deepEqual(compile('f != 0.10000000001'), sql('(`f` = `f`)', []));
  t.deepEqual(compile('f < 0.10000000001'), sql('(`f` <= ?)', [Math.fround(0.1)]));
  t.deepEqual(compile('f >= 0.10000000001'), sql('(`f` > ?)', [Math.fround(0.1)]));
  t.deepEqual(compile('f <= 0.09999999999'), sql('(`f` < ?)', [Math.fround(0.1)]));
  t.deepEqual(compile('f IN (0.10000000001, 1.5)'), sql('(`f` IN (?))', [1.5]));
  t.deepEqual(compile('d = 0.10000000000000001'), sql('(`d` <> `d`)', []));
  t.throws(() => compile(`d = ${'9'.repeat(400)}`), { instanceOf: InvalidArgumentError, message: /too large/ });
  t.throws(() => compile("d = 'NaN'"), { instanceOf: InvalidArgumentError, message: /needs a number/ });
});

test('Boolean fields: true/1 is "not zero", false/0 is zero, as records show them; no ordering', (t) => {
  t.deepEqual(compile('b = true'), sql('(`b` <> 0)', []));
  t.deepEqual(compile('b = False'), sql('(`b` = 0)', []));
  t.deepEqual(compile('b != TRUE'), sql('(`b` = 0)', []));
  t.deepEqual(compile('b != false'), sql('(`b` <> 0)', []));
  t.deepEqual(compile('b = 0'), sql('(`b` = 0)', []));
  t.deepEqual(compile('b = 1'), sql('(`b` <> 0)', []));
  t.deepEqual(compile('b != 1'), sql('(`b` = 0)', []));
  t.deepEqual(compile('b IN (1, null)'), sql('((`b` <> 0) OR `b` IS NULL)', []));
  t.deepEqual(compile('b IN (0, 1, 0)'), sql('(`b` = 0 OR `b` <> 0)', []));
  for (const e of ['b < 1', 'b >= 0', 'b BETWEEN 0 AND 1', 'b = 2', "b = 'true'", 'b = 1.0']) {
    t.throws(() => compile(e), { instanceOf: InvalidArgumentError }, e);
  }
  t.regex(t.throws(() => compile('b < 1'))?.message ?? '', /'<' is not supported on field 'b' \(Boolean\)/);
});

test('Date fields: DATE literal or a YYYY-MM-DD string, calendar-checked', (t) => {
  t.deepEqual(compile('dt >= 2024-02-29'), sql('(`dt` >= CAST(? AS DATE))', ['2024-02-29']));
  t.deepEqual(compile("dt < '2024-03-01'"), sql('(`dt` < CAST(? AS DATE))', ['2024-03-01']));
  t.deepEqual(compile('dt BETWEEN 2024-01-01 AND "2024-12-31"').params, ['2024-01-01', '2024-12-31']);
  const cases: readonly (readonly [string, RegExp])[] = [
    ["dt = 'abc'", /field 'dt' \(Date\) needs an ISO date like 2024-03-01, found 'abc'/],
    ['dt = 2022-02-30', /'2022-02-30' is not a calendar date/],
    ['dt = 2023-02-29', /not a calendar date/],
    ['dt = 2022-04-31', /not a calendar date/],
    ['dt = 2022-01-00', /not a calendar date/],
    ['dt = 0000-01-01', /not a calendar date/],
    ["dt = '2022-1-1'", /needs an ISO date/],
    ['dt = 2024-03-01T00:00:00Z', /needs an ISO date/],
    ['dt = 20240301', /needs an ISO date/],
  ];
  for (const [e, message] of cases) t.throws(() => compile(e), { instanceOf: InvalidArgumentError, message }, e);
});

test('DateTime fields: UTC instants as YYYY-MM-DD HH:MM:SS[.ffffff]', (t) => {
  t.deepEqual(compile('ts > 2024-03-01T00:00:00Z'), sql('(`ts` > CAST(? AS DATETIME(6)))', ['2024-03-01 00:00:00']));
  t.deepEqual(compile('ts > 2024-03-01'), sql('(`ts` > CAST(? AS DATETIME(6)))', ['2024-03-01 00:00:00']));
  t.deepEqual(compile('ts = 2024-03-01T10:20:30.5Z').params, ['2024-03-01 10:20:30.5']);
  t.deepEqual(compile('ts = 2024-03-01T10:20:30.123456000Z').params, ['2024-03-01 10:20:30.123456']);
  t.deepEqual(compile("ts = '2024-03-01T10:20:30.123Z'").params, ['2024-03-01 10:20:30.123']);
  t.deepEqual(compile("ts = '2024-03-01'").params, ['2024-03-01 00:00:00']);
  t.deepEqual(
    compile('ts BETWEEN 2024-03-01T00:00:00Z AND 2024-03-02T00:00:00.000Z'),
    sql('(`ts` BETWEEN CAST(? AS DATETIME(6)) AND CAST(? AS DATETIME(6)))', [
      '2024-03-01 00:00:00',
      '2024-03-02 00:00:00.000',
    ]),
  );
  const cases: readonly (readonly [string, RegExp])[] = [
    ['ts = 2024-03-01T24:00:00Z', /hour 24 is not supported; use 00:00:00 of the next day/],
    ['ts = 2024-02-30T00:00:00Z', /not a calendar date/],
    ['ts = 2024-01-01T00:00:00.0000001Z', /more precise than microseconds/],
    [
      'ts > 1611639470000',
      /needs an ISO date like 2024-03-01 or a UTC date-time like 2024-03-01T10:00:00Z, found '1611639470000'/,
    ],
    ["ts = '2024-03-01 10:00:00'", /needs an ISO date/],
    ["ts = '2024-03-01T10:00:00+01:00'", /needs an ISO date/],
    ["ts = '2024-03-01T10:61:00Z'", /not a valid time of day/],
  ];
  for (const [e, message] of cases) {
    t.throws(() => compileFilter(e, fieldMap({ ts: 'DateTime' })), { instanceOf: InvalidArgumentError, message }, e);
  }
});

test('ByteArray, Struct, Map and List fields only allow = null / != null', (t) => {
  for (const name of ['ba', 'st', 'm', 'li']) {
    for (const e of [`${name} = 'x'`, `${name} != 1`, `${name} > 1`, `${name} IN (null)`, `${name} BETWEEN 1 AND 2`]) {
      const err = t.throws(() => compile(e), { instanceOf: InvalidArgumentError }, e);
      t.regex(err?.message ?? '', /only = null and != null/, e);
    }
  }
});

test('a bare field or value is not a condition', (t) => {
  for (const e of ['s', "'x'", "s = 'a' AND i", 'NOT 5']) {
    t.throws(
      () => compile(e),
      { instanceOf: InvalidArgumentError, message: /^filterExpression: a condition needs an operator/ },
      e,
    );
  }
});

test('unknown fields are named, with a few known ones', (t) => {
  t.is(
    t.throws(() => compileFilter("nope = 'x'", fieldMap({ a: 'String', b: 'Integer' })))?.message,
    "filterExpression: unknown field 'nope'; known fields: 'a', 'b'",
  );
  t.regex(
    t.throws(() => compile("nope = 'x'"))?.message ?? '',
    /^filterExpression: unknown field 'nope'; known fields include 's', 'i', .* \(15 in all\)$/,
  );
  t.is(
    t.throws(() => compileFilter('x = 1', new Map()))?.message,
    "filterExpression: unknown field 'x'; the entity has no fields",
  );
  // field names are case-sensitive
  t.throws(() => compile("S = 'x'"), { instanceOf: InvalidArgumentError, message: /unknown field 'S'/ });
});

test('DSL names map to column names, which are quoted', (t) => {
  const fields = new Map([
    ['first-name', { name: 'first-name', dataType: 'String' as const }],
    ['a.b', { name: 'weird` OR 1=1 -- ', dataType: 'String' as const }],
  ]);
  t.deepEqual(compileFilter("first-name = 'x'", fields), sql('(`first-name` = ?)', ['x']));
  t.deepEqual(compileFilter("a.b = 'x'", fields), sql('(`weird`` OR 1=1 -- ` = ?)', ['x']));
});

test('injection attempts never reach the SQL text', (t) => {
  const attempts = [
    String.raw`s = '1\' OR 1=1 --'`,
    `s = "1' OR '1'='1"`,
    String.raw`s = '\'; DROP TABLE users; --'`,
    String.raw`s IN ('a\') OR 1=1 #', "b")`,
    String.raw`s CONTAINS '%\' OR 1=1 #'`,
    "i = '1 OR 1=1'",
  ];
  let compiled = 0;
  for (const e of attempts) {
    let result: CompiledFilter | undefined;
    try {
      result = compile(e);
    } catch (err) {
      t.true(err instanceof InvalidArgumentError, e);
      continue;
    }
    compiled++;
    t.false(/OR 1=1|DROP|'1'='1|#/.test(result.where ?? ''), e);
    t.is(result.where?.split('?').length, result.params.length + 1, e);
  }
  t.is(compiled, attempts.length - 1); // all but `i = '1 OR 1=1'`, which is not a number
  t.deepEqual(compile(String.raw`s = '1\' OR 1=1 --'`).params, ["1' OR 1=1 --"]);
  t.throws(() => compile('s` = 1'), { instanceOf: FilterSyntaxError });
  t.throws(() => compile('`s` = 1'), { instanceOf: FilterSyntaxError });
  t.throws(() => compile("s = 'a' OR 1=1 --"), { instanceOf: FilterSyntaxError });
  t.throws(() => compile("s = 'a'; DELETE FROM t"), { instanceOf: FilterSyntaxError });
});

test('error messages quote at most about 60 characters of input', (t) => {
  const long = 'y'.repeat(1000);
  const err = t.throws(() => compile(`dt = '${long}'`), { instanceOf: InvalidArgumentError });
  t.true((err?.message.length ?? 0) < 220, err?.message);
  t.false(err?.message.includes('y'.repeat(61)));
  const err2 = t.throws(() => compileFilter(`${'z'.repeat(1000)} = 1`, ALL_TYPES));
  t.false(err2?.message.includes('z'.repeat(61)));
});

test('edge values: IN of one Boolean value, IN of Float values no record shows, the year 1', (t) => {
  t.deepEqual(compile('b IN (0)'), sql('(`b` = 0)', []));
  t.deepEqual(compile('b IN (0, null)'), sql('((`b` = 0) OR `b` IS NULL)', []));
  t.deepEqual(compile('b IN (1, 1)'), sql('(`b` <> 0)', []));
  t.deepEqual(compile('f IN (0.10000000001)'), sql('(`f` <> `f`)', []));
  t.deepEqual(compile('f IN (0.10000000001, null)'), sql('((`f` <> `f`) OR `f` IS NULL)', []));
  t.deepEqual(compile('dt = 0001-01-01'), sql('(`dt` = CAST(? AS DATE))', ['0001-01-01']));
  t.deepEqual(compile('ts >= 0001-01-01T00:00:00Z').params, ['0001-01-01 00:00:00']);
  t.deepEqual(compile("ts < '0999-12-31T23:59:59.999999Z'").params, ['0999-12-31 23:59:59.999999']);
});
