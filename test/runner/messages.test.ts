/**
 * What a user reads when something is off, on both engines: the wrong --engine for a server, an unknown database,
 * an unknown entity (the summary must not contradict the command line), a refused --incremental-field, singular
 * counts; and --describe, which shows what DescribeEntity answered.
 */
import test from 'ava';
import { runRunner } from './support/cli';
import { type RunnerStage, startRunnerStage } from './support/stage';

let mariadb: RunnerStage<'MYSQL'>;
let postgresql: RunnerStage<'POSTGRESQL'>;

test.before(async () => {
  [mariadb, postgresql] = await Promise.all([startRunnerStage('MYSQL'), startRunnerStage('POSTGRESQL')]);
});

test.after.always(async () => {
  await Promise.all([mariadb?.teardown(), postgresql?.teardown()]);
});

/** The stage's flags with --database replaced. */
function withDatabase(args: readonly string[], database: string): string[] {
  const copy = [...args];
  copy[copy.indexOf('--database') + 1] = database;
  return copy;
}

/** The stage's flags with --engine replaced (or added). */
function withEngine(args: readonly string[], engine: string): string[] {
  const copy = args.filter((_, index) => args[index] !== '--engine' && args[index - 1] !== '--engine');
  return ['--engine', engine, ...copy];
}

test('--engine mysql at a PostgreSQL port, and the reverse, say which protocol the server speaks', async (t) => {
  const [mysqlAtPostgres, postgresAtMysql] = await Promise.all([
    runRunner(withEngine(postgresql.localArgs, 'mysql'), postgresql.env),
    runRunner(withEngine(mariadb.localArgs, 'postgresql'), mariadb.env),
  ]);
  t.is(mysqlAtPostgres.code, 1);
  t.regex(
    mysqlAtPostgres.stderr,
    /error: ValidateCredentials failed: the server at 127\.0\.0\.1:\d+ speaks the PostgreSQL protocol, not MySQL\/MariaDB's: run with --engine postgresql \(or DB_ENGINE=postgresql\)/,
  );
  t.is(postgresAtMysql.code, 1);
  t.regex(
    postgresAtMysql.stderr,
    /error: ValidateCredentials failed: the server at 127\.0\.0\.1:\d+ speaks the MySQL\/MariaDB protocol, not PostgreSQL's: run with --engine mysql \(or DB_ENGINE=mysql\)/,
  );
});

test('an unknown database names --database and DB_NAME on both engines', async (t) => {
  const [maria, postgres] = await Promise.all([
    runRunner(withDatabase(mariadb.localArgs, 'no_such_db'), mariadb.env),
    runRunner(withDatabase(postgresql.localArgs, 'no_such_db'), postgresql.env),
  ]);
  t.is(maria.code, 1);
  // MariaDB answers an ordinary user's unknown database as "access denied to database": it may be either.
  t.regex(
    maria.stderr,
    /AccessDenied: .*to database 'no_such_db'.* — the database does not exist, or the user has no privilege on it: check --database \(DB_NAME\)/,
  );
  t.notRegex(maria.stderr, /secret ARN/);
  t.is(postgres.code, 1);
  t.regex(postgres.stderr, /ResourceNotFoundError: .*"no_such_db" does not exist — check --database \(DB_NAME\)/);
  t.notRegex(postgres.stderr, /secret ARN/);
});

test('an entity that is not listed: the error and the summary say so, not "no --entity given"', async (t) => {
  const result = await runRunner([...mariadb.localArgs, '--entity', 'nosuch'], mariadb.env);
  t.is(result.code, 1);
  t.regex(
    result.stderr,
    /error: --entity nosuch: ListEntities does not list it \(entities: customers, orders, orders_copy\)/,
  );
  t.regex(result.stdout, /entities\s+3 listed; --entity nosuch is not among them, nothing read/);
  t.notRegex(result.stdout, /no --entity given/);
});

test('an --incremental-field the connector does not offer names the fields that can drive incremental reads', async (t) => {
  const [notTimestamp, unknown] = await Promise.all([
    runRunner([...mariadb.localArgs, '--entity', 'orders', '--incremental-field', 'total'], mariadb.env),
    runRunner([...postgresql.localArgs, '--entity', 'orders', '--incremental-field', 'changed_at'], postgresql.env),
  ]);
  t.is(notTimestamp.code, 1);
  t.regex(
    notTimestamp.stderr,
    /--incremental-field total is a BigDecimal field; incremental reads need a Date or DateTime field; fields that can: ordered_at, updated_at/,
  );
  t.is(unknown.code, 1);
  t.regex(
    unknown.stderr,
    /--incremental-field: changed_at is not a field of orders; fields that can: ordered_at, updated_at/,
  );
});

test('one row and one failed record are counted in the singular', async (t) => {
  const args = [...mariadb.localArgs, '--entity', 'orders', '--limit', '1', '--write-to', 'orders_copy'];
  const first = await runRunner(args, mariadb.env);
  t.is(first.code, 0, first.stderr);
  t.regex(first.stderr, /✓ QueryData\s+1 row of orders in 1 page\n/);
  t.regex(first.stderr, /✓ WriteData\s+1 row into orders_copy with INSERT in 1 batch\n/);
  t.regex(first.stderr, / {2}reading: 1 row · 1 page · .* · 1 written\n/);
  // The same row again: a duplicate key.
  const again = await runRunner(args, mariadb.env);
  t.is(again.code, 1);
  t.regex(again.stderr, /error: 1 record failed to write: /);
  t.regex(again.stderr, /✗ WriteData\s+0 rows into orders_copy with INSERT in 1 batch, 1 failed/);
});

test('--describe shows what DescribeEntity answered, on both engines, and reads nothing', async (t) => {
  const [maria, postgres] = await Promise.all([
    runRunner([...mariadb.localArgs, '--entity', 'orders', '--describe'], mariadb.env),
    runRunner([...postgresql.localArgs, '--entity', 'orders', '--describe'], postgresql.env),
  ]);
  for (const [result, types] of [
    [maria, { id: 'BigInteger (bigint(20) unsigned)', total: 'BigDecimal (decimal(12,2))' }],
    [postgres, { id: 'Long (bigint)', total: 'BigDecimal (numeric(12,2))' }],
  ] as const) {
    t.is(result.code, 0, result.stderr);
    t.regex(result.stdout, /orders \(DescribeEntity\): 9 fields, writable — Demo orders\n/);
    t.regex(result.stdout, /\n {2}field\s+type\s+key\s+nullable\s+filter\s+incremental\s+write\n/);
    t.regex(
      result.stdout,
      new RegExp(
        `\\n  id\\s+${types.id.replace(/[()]/g, '\\$&')}\\s+primary\\s+no\\s+yes\\s+insert.*\\(id for [A-Z, ]*UPDATE`,
      ),
    );
    t.regex(
      result.stdout,
      new RegExp(`\\n  total\\s+${types.total.replace(/[()]/g, '\\$&')}\\s+no\\s+yes\\s+insert, update, upsert`),
    );
    t.regex(result.stdout, /\n {2}note\s+String \(.*\)\s+yes\s+yes\s+insert, update, upsert/);
    t.regex(result.stdout, /\n {2}updated_at\s+DateTime \(.*\)\s+no\s+yes\s+yes\s+insert/);
    t.regex(result.stdout, /incremental reads \(--incremental-field\): ordered_at, updated_at\n/);
    t.regex(result.stdout, /entities\s+3 listed; orders described \(--describe\), nothing read/);
    t.notRegex(result.stdout, /QueryData/);
  }
});
