/**
 * The filter expressions of the suite, shared by the SQL tests of every engine (test/engines/mysql/filters.test.ts for MariaDB,
 * test/engines/postgresql/filters.test.ts for PostgreSQL): each engine runs the same lists against an equivalent `people` table
 * and `examples` table and must agree with the reference evaluator (test/support/filterEvaluator.ts).
 */

/** The `name` values of the `people` rows, by id modulo their count. */
export const NAMES = ['Ada', 'ada', 'Grace', "O'Brien", '100%', 'under_score', 'back\\slash', 'Émilie', '', null];

export const EXPRESSIONS = [
  'age > 40',
  'age >= 40 AND age < 60',
  'age != 14',
  'NOT age = 14',
  'NOT (age > 40 OR score < 50)',
  'age = null',
  'age != null AND score = null',
  'age IN (14, 28, null)',
  'age IN (null)',
  'NOT age IN (14, 28)',
  'age BETWEEN 10 AND 30',
  'NOT age BETWEEN 10 AND 30',
  'score > 100.25',
  'score BETWEEN 0.5 AND 99.75 OR score = 250',
  "score = '9.25'",
  'big = 18446744073709551615',
  'big > 9007199254740992',
  'big = 9007199254740993',
  'active = true',
  'active != true',
  'NOT active = false',
  'active = 1 OR active = null',
  "name = 'Ada'",
  "name != 'Ada'",
  "name CONTAINS 'a'",
  "name CONTAINS '%'",
  "name CONTAINS '_'",
  "name CONTAINS '\\\\'",
  'name CONTAINS "\'"',
  "name = ''",
  "name IN ('Grace', \"O'Brien\", null)",
  "name > 'G'",
  'born >= 1980-01-01',
  'born BETWEEN 1960-01-01 AND 1970-12-31',
  'updated_at > 2024-03-10T00:00:00Z',
  'updated_at BETWEEN 2024-03-05T00:00:00Z AND 2024-03-07T12:00:00.500Z',
  'updated_at >= 2024-03-10',
  'updated_at = 2024-03-02T01:00:00.500Z',
  "updated_at < '2024-03-04T00:00:00Z'",
  'ratio > 3.5',
  'ratio <= 2',
  'a.b.c = 1 OR age = 1',
  'id = 3 OR id = 5 AND age > 100',
  'NOT NOT age > 20',
  '(age > 20 OR name = null) AND NOT (active = false)',
  'active = false',
  'active != false',
  'active IN (0, null)',
  'NOT active = true',
  'f = 0.1',
  'f != 0.1',
  'f IN (0.1, 1.3, null)',
  'f > 0.1',
  'f >= 0.1',
  'f < 0.1 AND f > -0.5',
  'f <= -0.3',
  'f BETWEEN 0.1 AND 0.7',
  'NOT f BETWEEN 0.1 AND 0.7',
  'f < 0.10000000001 AND f >= 0',
  'f = 0.10000000001 OR f = 2.9',
  'ratio = 0.125 OR ratio = 0.1250000000000001',
  'bz = 5000',
  'bz > 20000',
  'bz IN (1000, 2000, null)',
  'dz = 4.375',
  'dz BETWEEN 1 AND 5.5',
];

/** Refused by the connector and by the reference evaluator alike. */
export const REFUSED_BY_BOTH = [
  'born > 1980-01-01T00:00:00Z',
  'born BETWEEN 1980-01-01T00:00:00Z AND 1990-01-01T00:00:00Z',
  'active > 0',
  'active = 2',
  'f = 1e5',
];

/** Every example of protocol §4.5: runs on the `examples` table. */
export const SECTION_4_5_EXAMPLES = [
  'updated_at > 2024-03-01T00:00:00Z',
  'updated_at BETWEEN 2024-03-01T00:00:00Z AND 2024-03-02T00:00:00.000Z',
  'hired_on >= 2024-01-01',
  "first_name = 'O\\'Brien'",
  'email = null',
  'is_active = True',
  'os CONTAINS "moj%ave"',
  'accountId in (100, 90, 70)',
  "a = 'x' AND b = 'y' OR c = 'z'",
  "a = 'x' OR b = 'y' AND c = 'z'",
  "NOT a = 'x' AND b = 'y'",
  'a BETWEEN 1 AND 5 AND b = 2',
  'a = 1 AND (b = 2 OR c = 3) LIMIT 50',
  'LIMIT 100',
  '(accountId > 100 and ((date < 2021-04-20T12:30:45Z and date > 2021-04-21T15:45:49.234Z) and accountId < 200))',
];

/** Expressions protocol §4.5 calls invalid: refused with InvalidArgument. */
export const SECTION_4_5_REJECTED = [
  'os == "x"',
  'os <> "x"',
  'a => 1',
  'LIMIT 5',
  'LIMIT 100 LIMIT 100',
  'x >= 9 LIMIT 0',
  'os CONTAIN "x"',
  'os Contains "x"',
  "os LIKE 'x'",
  'time Between 1 and 2',
  'a IN ()',
  'accountId in (id, 1)',
  'accountId in (true)',
  'a > true',
  'a BETWEEN true AND false',
  'a = NULL',
  'a = b',
  '5 = a',
  '(a = 1 LIMIT 10)',
  'date > 2021-04-20T20:30',
  'd > 2022-01-01T10:20:30+01:00',
  "a = 'it''s'",
  'a = 1 ORDER BY b',
  'a = 1; DROP TABLE x',
];

/** Ids of the `examples` rows some §4.5 examples select. */
export const SECTION_4_5_EXPECTED_IDS: Readonly<Record<string, readonly number[]>> = {
  'updated_at > 2024-03-01T00:00:00Z': [1],
  "first_name = 'O\\'Brien'": [1],
  'email = null': [1],
  'is_active = True': [1],
  'os CONTAINS "moj%ave"': [1],
  'accountId in (100, 90, 70)': [1],
  "a = 'x' AND b = 'y' OR c = 'z'": [1, 2],
  'a BETWEEN 1 AND 5 AND b = 2': [2],
  'LIMIT 100': [1, 2],
};

/** Expressions on `people` a type check refuses, and what the message must name. */
export const TYPE_CHECKS: readonly (readonly [string, RegExp])[] = [
  ['age = 1.5', /age/],
  ["born = 'abc'", /born/],
  ['born = 2022-02-30', /2022-02-30/],
  ['nope = 1', /nope/],
  ['active > 0', /active/],
];

/** Injection attempts on `people`: refused, or matched literally (no row). */
export const INJECTION_ATTEMPTS = [
  "name = '\\'; DROP TABLE people; --'",
  'name = "\\" OR 1=1 --"',
  "name CONTAINS '%' OR name = '1'' OR ''1''=''1'",
  'name` = 1',
  'age = 1 UNION SELECT 1',
  "name = 'x' /* comment */",
];
