/**
 * The filter language against a real PostgreSQL, through the built bundle: the same expression lists as the MariaDB
 * test (test/support/filterExpressions.ts) on an equivalent table, and the connector must select exactly the rows the
 * reference evaluator (test/support/filterEvaluator.ts) selects, refuse what it refuses, and run every protocol §4.5
 * example.
 *
 * Equivalent columns: MariaDB's `utf8mb4_bin` name is `varchar COLLATE "C"` (both compare by code point, so the
 * evaluator's default binary rule holds); BIGINT UNSIGNED is numeric(20,0) (it must hold 18446744073709551615);
 * TINYINT(1) is boolean (2 and -1 have no boolean form: they are stored as true, which is what a record shows for
 * them in MariaDB); ZEROFILL columns are plain bigint and numeric(8,3); DATETIME(3) is timestamp(3). Every
 * `updated_at` expression runs a second time on `updated_tz`, a timestamptz(3) holding the same instants.
 * PostgreSQL-only: `name_ci` is citext, case-insensitive the way the database's C locale folds case (ASCII letters
 * only); the evaluator is given that rule through its `collate` option.
 */
import test from 'ava';
import type { FilterField } from '../../../handler/filter';
import type { FieldDataType } from '../../../handler/protocol/codecs';
import type { Row } from '../../support/filterEvaluator';
import { EXPRESSIONS, NAMES } from '../../support/filterExpressions';
import {
  type AskQueryData,
  checkAgreesWithReference,
  checkInjectionAttempts,
  checkSection45,
  checkTypeRefusals,
  connectorIds,
  referenceIds,
} from '../../support/filterSuite';
import { capturedLogs, containsSecret, invoke } from '../../support/lambda';
import { type PostgreSqlStage, startPostgreSqlStage } from '../../support/postgresqlStage';

let stage: PostgreSqlStage;
let peopleRows: Row[];
let fields: Map<string, FilterField>;

/** The first 60 rows, as the MariaDB test builds them (ids above 60 only make the table bigger). */
function smallRow(id: number): Record<string, unknown> {
  return {
    id,
    name: NAMES[id % NAMES.length],
    name_ci: NAMES[id % NAMES.length],
    age: id % 9 === 0 ? null : (id * 7) % 90,
    score: id % 11 === 0 ? null : ((id * 37) % 1000) / 4,
    big: id % 13 === 0 ? null : id === 7 ? '18446744073709551615' : String(9007199254740990n + BigInt(id % 5)),
    active: id % 6 === 0 ? null : [0, 1, 2, -1][id % 4] !== 0,
    born: id % 8 === 0 ? null : `19${String(50 + (id % 50)).padStart(2, '0')}-0${1 + (id % 9)}-1${id % 10}`,
    updated_at: `2024-03-${String(1 + (id % 28)).padStart(2, '0')} ${String(id % 24).padStart(2, '0')}:00:00.${id % 2 ? '500' : '000'}`,
    ratio: id % 10 === 0 ? null : id / 8,
    f: id % 7 === 0 ? null : ((id * 3) % 40) / 10 - 1,
    bz: id % 5 === 0 ? null : id * 1000,
    dz: id % 4 === 0 ? null : ((id * 7) % 100) / 8,
  };
}

test.before(async () => {
  stage = await startPostgreSqlStage({ schema: 'filters', secretName: 'postgresql-filters' });
  const small = Array.from({ length: 60 }, (_, index) => smallRow(index + 1));
  await stage.sql(
    `CREATE EXTENSION citext SCHEMA public;
     CREATE TABLE people (
       id int PRIMARY KEY,
       name varchar(40) COLLATE "C" NULL,
       name_ci public.citext NULL,
       age int NULL,
       score numeric(10,2) NULL,
       big numeric(20,0) NULL,
       active boolean NULL,
       born date NULL,
       updated_at timestamp(3) NOT NULL,
       updated_tz timestamptz(3) NOT NULL,
       ratio double precision NULL,
       f real NULL,
       bz bigint NULL,
       dz numeric(8,3) NULL);
     CREATE INDEX idx_updated_at ON people (updated_at);
     INSERT INTO people
       SELECT id, name, name_ci, age, score, big, active, born, updated_at, updated_at AT TIME ZONE 'UTC',
              ratio, f, bz, dz
       FROM json_populate_recordset(NULL::people, :'rows');
     INSERT INTO people (id, name, updated_at, updated_tz)
       SELECT id, 'x' || id, '2023-01-01 00:00:00', '2023-01-01 00:00:00+00' FROM generate_series(61, 5000) id;
     ANALYZE people;
     CREATE TABLE examples (
       id int PRIMARY KEY, updated_at timestamp NULL, hired_on date NULL, first_name varchar(40) NULL,
       email varchar(40) NULL, is_active boolean NULL, os varchar(20) NULL, "accountId" int NULL,
       a varchar(10) NULL, b varchar(10) NULL, c varchar(10) NULL, "date" timestamp(3) NULL,
       x int NULL, d timestamp NULL, "time" int NULL);
     INSERT INTO examples (id, updated_at, hired_on, first_name, email, is_active, os, "accountId", a, b, c)
       VALUES (1, '2024-03-01 12:00:00', '2024-02-01', 'O''Brien', NULL, true, 'moj%ave', 100, 'x', 'y', 'q'),
              (2, '2024-02-01 12:00:00', '2023-02-01', 'Ada', 'a@x', false, 'mojave', 150, '3', '2', 'z');`,
    { rows: JSON.stringify(small) },
  );
  // The rows as the database holds them, each value as exact text (NULL stays null), timestamps in UTC.
  const read = await stage.sql(
    `SET TimeZone = 'UTC';
     SELECT json_build_object(
       'id', id, 'name', name, 'name_ci', name_ci::text, 'age', age, 'score', score::text, 'big', big::text,
       'active', active, 'born', born::text, 'updated_at', updated_at::text,
       'updated_tz', (updated_tz AT TIME ZONE 'UTC')::text, 'ratio', ratio::text, 'f', f::text, 'bz', bz::text,
       'dz', dz::text)::text
     FROM people WHERE id <= 60 ORDER BY id`,
  );
  peopleRows = read.map(([json]) => JSON.parse(json!) as Row);
  // The fields as DescribeEntity gives them to AppFlow: the types the filter is checked against.
  const described = await invoke<{ entityDefinition: { fields: { fieldName: string; dataType: FieldDataType }[] } }>(
    stage.bundle,
    { type: 'DescribeEntityRequest', entityIdentifier: 'people', connectorContext: stage.connectorContext() },
  );
  fields = new Map(
    described.entityDefinition.fields.map((field) => [
      field.fieldName,
      { name: field.fieldName, dataType: field.dataType },
    ]),
  );
});

test.after('nothing this file did logged the database password', (t) => {
  t.false(containsSecret(capturedLogs(), stage.db.password));
});

test.after.always(async () => {
  await stage?.teardown();
});

/** A QueryDataRequest through the bundle. */
const query: AskQueryData = (entity, extra) => stage.query(entity, extra);

test('the fields have the AppFlow types of their MariaDB counterparts', (t) => {
  t.deepEqual(Object.fromEntries([...fields.values()].map((field) => [field.name, field.dataType])), {
    id: 'Integer',
    name: 'String',
    name_ci: 'String',
    age: 'Integer',
    score: 'BigDecimal',
    big: 'BigDecimal',
    active: 'Boolean',
    born: 'Date',
    updated_at: 'DateTime',
    updated_tz: 'DateTime',
    ratio: 'Double',
    f: 'Float',
    bz: 'Long',
    dz: 'BigDecimal',
  });
});

test('for every expression of the suite the connector selects exactly the rows the reference evaluator selects', async (t) => {
  const expressions = [
    ...EXPRESSIONS,
    ...EXPRESSIONS.filter((expression) => expression.includes('updated_at')).map((expression) =>
      expression.replaceAll('updated_at', 'updated_tz'),
    ),
  ];
  await checkAgreesWithReference(t, query, peopleRows, fields, expressions);
});

test('text comparison follows the column: binary on varchar COLLATE "C", case-insensitive on citext', async (t) => {
  // citext compares lower(value) under the database's C locale, which folds ASCII letters only.
  const asciiLower = (text: string) => text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
  const caseSensitive = ["name = 'ADA'", "name CONTAINS 'E'", "name IN ('GRACE', 'ada')", "name > 'a'"];
  const expressions = [...EXPRESSIONS.filter((expression) => /\bname\b/.test(expression)), ...caseSensitive].flatMap(
    (expression) => [expression, expression.replace(/\bname\b/g, 'name_ci')],
  );
  t.true(expressions.length >= 20);
  for (const expression of expressions) {
    const collate = expression.includes('name_ci') ? asciiLower : undefined;
    t.deepEqual(
      await connectorIds(query, expression),
      referenceIds(peopleRows, expression, fields, { collate }),
      expression,
    );
  }
  // The two rules really differ on this data.
  for (const expression of caseSensitive) {
    t.notDeepEqual(
      await connectorIds(query, expression),
      await connectorIds(query, expression.replace('name', 'name_ci')),
      expression,
    );
  }
});

test('every example of protocol §4.5 runs against PostgreSQL, and every rejected expression is refused', async (t) => {
  await checkSection45(t, query);
});

test('type checks: an integer field rejects 1.5, a Date field rejects a non-date, with messages a user can act on', async (t) => {
  await checkTypeRefusals(t, query);
});

test('injection attempts in filter values and field names change nothing and leak nothing', async (t) => {
  await checkInjectionAttempts(t, query, stage.db.database);
  t.deepEqual(await stage.sql('SELECT count(*) FROM people'), [['5000']]);
});
