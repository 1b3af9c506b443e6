/**
 * Real PostgreSQL and connection failures, provoked against the throwaway PostgreSQL, classified into AppFlow error
 * codes; per-record messages never carry the record's values.
 */
import test from 'ava';
import type { Database } from '../../../handler/engines/engine';
import { PostgreSqlPools } from '../../../handler/engines/postgresql/connection';
import {
  classifyPostgreSqlError,
  describeRecordError,
  isAuthenticationFailure,
  isRecordError,
  isRetryableTransaction,
} from '../../../handler/engines/postgresql/errors';
import type { ConnectionSettings, TlsMode } from '../../../handler/settings';
import { freeLoopbackPort } from '../../../local/mariadb';
import {
  holdLock,
  type PostgreSqlDatabase,
  type PostgreSqlServer,
  runPsql,
  startThrowawayPostgreSql,
} from '../../support/postgresql';

let server: PostgreSqlServer;
let db: PostgreSqlDatabase;
let database: Database;
const pools = new PostgreSqlPools();
const SECRET_VALUE = 'ada.secret@example.com';

const settingsOf = (target: PostgreSqlDatabase, tlsMode: TlsMode): ConnectionSettings => ({
  host: target.host,
  port: target.port,
  database: target.database,
  tlsMode,
  engine: 'POSTGRESQL',
  schema: 'public',
});

test.before(async () => {
  server = await startThrowawayPostgreSql();
  db = await server.createDatabase();
  await db.query(`
    CREATE TABLE parents (id int PRIMARY KEY);
    CREATE TABLE people (
      id int PRIMARY KEY,
      email text NOT NULL CONSTRAINT people_email_key UNIQUE,
      short varchar(5),
      amount numeric(5,2),
      small smallint,
      parent int REFERENCES parents (id),
      age int CONSTRAINT age_positive CHECK (age > 0)
    );
    INSERT INTO parents VALUES (1);
    CREATE TABLE lock_me (id int);
    CREATE TABLE deadlock_rows (id int PRIMARY KEY);
    INSERT INTO public.deadlock_rows VALUES (2), (3);
  `);
  await runPsql({ ...server.admin, database: db.database }, 'CREATE TABLE public.admins_only (x int)');
  database = await pools.get(settingsOf(db, 'DISABLED'), { username: db.plainUser, password: db.plainPassword });
  await database.execute('INSERT INTO public.people (id, email) VALUES (1, $1)', [SECRET_VALUE]);
});
test.after.always(async () => {
  await pools.closeAll();
  await server?.stop();
});

async function failure(promise: Promise<unknown>): Promise<unknown> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (error === null) throw new Error('expected a failure');
  return error;
}

/** A failure of a fresh pool (so one test's broken login never reaches another's). */
async function connectFailure(settings: ConnectionSettings, username: string, password: string): Promise<unknown> {
  const own = new PostgreSqlPools();
  try {
    return await failure((await own.get(settings, { username, password })).execute('SELECT 1'));
  } finally {
    await own.closeAll();
  }
}

test('a wrong password is InvalidCredentials (28P01), worth re-reading the secret; the password is not in it', async (t) => {
  const wrong = `${db.plainPassword}-wrong`;
  const error = await connectFailure(settingsOf(db, 'DISABLED'), db.plainUser, wrong);
  t.is((error as { code?: string }).code, '28P01');
  const classified = classifyPostgreSqlError(error);
  t.is(classified.code, 'InvalidCredentials');
  t.regex(classified.message, /password authentication failed for user "plain_[0-9a-f]+"/);
  t.false(classified.message.includes(wrong));
  t.true(isAuthenticationFailure(error));
  t.true(isAuthenticationFailure(classified));
});

test('a user that must use TLS, connecting without: InvalidCredentials (28000) that says so', async (t) => {
  const error = await connectFailure(settingsOf(db, 'DISABLED'), db.user, db.password);
  t.is((error as { code?: string }).code, '28000');
  const classified = classifyPostgreSqlError(error);
  t.is(classified.code, 'InvalidCredentials');
  t.regex(classified.message, /requires TLS for this user: use tlsMode REQUIRED or VERIFY_IDENTITY/);
  t.false(isAuthenticationFailure(error), 'the password was not the problem');
});

test('a database that does not exist is ResourceNotFoundError (3D000)', async (t) => {
  const error = await connectFailure(
    { ...settingsOf(db, 'DISABLED'), database: 'no_such_database' },
    db.plainUser,
    db.plainPassword,
  );
  t.is((error as { code?: string }).code, '3D000');
  t.like(classifyPostgreSqlError(error), {
    code: 'ResourceNotFoundError',
    message: 'the configured database does not exist: database "no_such_database" does not exist',
  });
});

test('nothing listening: ServiceUnavailable (ECONNREFUSED), retryable', async (t) => {
  const port = await freeLoopbackPort();
  const error = await connectFailure({ ...settingsOf(db, 'DISABLED'), port }, db.plainUser, db.plainPassword);
  t.is((error as { code?: string }).code, 'ECONNREFUSED');
  t.like(classifyPostgreSqlError(error), { code: 'ServiceUnavailable', retryAfterSeconds: 30 });
});

// Serial: it changes NODE_EXTRA_CA_CERTS, which every connection reads, for the whole process while it runs.
test.serial('an unknown certificate authority: ClientError that suggests REQUIRED', async (t) => {
  const saved = process.env.NODE_EXTRA_CA_CERTS;
  delete process.env.NODE_EXTRA_CA_CERTS;
  try {
    const error = await connectFailure(settingsOf(db, 'VERIFY_IDENTITY'), db.user, db.password);
    const classified = classifyPostgreSqlError(error);
    t.is(classified.code, 'ClientError');
    t.regex(classified.message, /certificate could not be verified .*use tlsMode REQUIRED/);
  } finally {
    if (saved !== undefined) process.env.NODE_EXTRA_CA_CERTS = saved;
  }
});

test('too many connections for the role (53300): ServiceUnavailable, retryable', async (t) => {
  const limited = await server.createDatabase({ prefix: 'limited' });
  await server.adminQuery('ALTER ROLE :"user" CONNECTION LIMIT 1', { user: limited.plainUser });
  const own = new PostgreSqlPools();
  try {
    const target = await own.get(settingsOf(limited, 'DISABLED'), {
      username: limited.plainUser,
      password: limited.plainPassword,
    });
    const results = await Promise.allSettled([1, 2].map(() => target.execute('SELECT pg_sleep(0.5)')));
    const rejected = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    t.is((rejected.reason as { code?: string }).code, '53300');
    t.like(classifyPostgreSqlError(rejected.reason), { code: 'ServiceUnavailable', retryAfterSeconds: 30 });
  } finally {
    await own.closeAll();
  }
});

test('a statement timeout (57014) and a lock timeout (55P03) are RequestTimeout', async (t) => {
  const timedOut = await failure(database.execute('SELECT pg_sleep(5)', [], { timeoutMs: 100 }));
  t.like(classifyPostgreSqlError(timedOut), { code: 'RequestTimeout', retryAfterSeconds: 30 });
  t.false(isRecordError(timedOut));

  const other = new PostgreSqlPools();
  const waiter = new PostgreSqlPools();
  try {
    const waiting = await waiter.get(settingsOf(db, 'DISABLED'), {
      username: db.plainUser,
      password: db.plainPassword,
    });
    const holder = await other.get(settingsOf(db, 'REQUIRED'), { username: db.user, password: db.password });
    const lock = await holdLock(holder, 'LOCK TABLE public.lock_me IN ACCESS EXCLUSIVE MODE');
    const waited = await failure(
      waiting.transaction((runner) => runner.execute('SELECT * FROM public.lock_me'), { lockWaitSeconds: 1 }),
    );
    await lock.release();
    t.is((waited as { code?: string }).code, '55P03');
    t.is(classifyPostgreSqlError(waited).code, 'RequestTimeout');
  } finally {
    await other.closeAll();
    await waiter.closeAll();
  }
});

test('a terminated backend (57P01) is ServiceUnavailable', async (t) => {
  const error = await failure(
    database.withConnection(async (runner) => {
      const [{ pid }] = (await runner.execute('SELECT pg_backend_pid() AS pid')) as [{ pid: number }];
      const sleeping = runner.execute('SELECT pg_sleep(5)');
      await new Promise((resolve) => setTimeout(resolve, 200));
      await server.adminQuery("SELECT pg_terminate_backend(:'pid'::int)", { pid: String(pid) });
      await sleeping;
    }),
  );
  t.is((error as { code?: string }).code, '57P01');
  t.like(classifyPostgreSqlError(error), { code: 'ServiceUnavailable', retryAfterSeconds: 30 });
});

test('a deadlock (40P01) is retryable', async (t) => {
  const other = new PostgreSqlPools();
  const own = new PostgreSqlPools();
  try {
    const first = await own.get(settingsOf(db, 'DISABLED'), { username: db.plainUser, password: db.plainPassword });
    const second = await other.get(settingsOf(db, 'REQUIRED'), { username: db.user, password: db.password });
    let firstLocked: () => void = () => {};
    const firstHasLock = new Promise<void>((resolve) => {
      firstLocked = resolve;
    });
    let secondLocked: () => void = () => {};
    const secondHasLock = new Promise<void>((resolve) => {
      secondLocked = resolve;
    });
    const results = await Promise.allSettled([
      first.transaction(async (runner) => {
        await runner.execute('SELECT id FROM public.deadlock_rows WHERE id = 2 FOR UPDATE');
        firstLocked();
        await secondHasLock;
        await runner.execute('SELECT id FROM public.deadlock_rows WHERE id = 3 FOR UPDATE');
      }),
      second.transaction(async (runner) => {
        await runner.execute('SELECT id FROM public.deadlock_rows WHERE id = 3 FOR UPDATE');
        secondLocked();
        await firstHasLock;
        await runner.execute('SELECT id FROM public.deadlock_rows WHERE id = 2 FOR UPDATE');
      }),
    ]);
    const rejected = results.filter((result) => result.status === 'rejected') as PromiseRejectedResult[];
    t.is(rejected.length, 1, 'the server breaks the deadlock by aborting one transaction');
    t.is((rejected[0]!.reason as { code?: string }).code, '40P01');
    t.true(isRetryableTransaction(rejected[0]!.reason));
    const classified = classifyPostgreSqlError(rejected[0]!.reason);
    t.like(classified, { code: 'ServiceUnavailable', retryAfterSeconds: 30 });
    t.regex(classified.message, /^deadlock .*SQLSTATE 40P01 deadlock_detected/);
  } finally {
    await other.closeAll();
    await own.closeAll();
  }
});

test('missing table (42P01) and column (42703) are ResourceNotFoundError; a missing privilege (42501) AccessDenied', async (t) => {
  t.is(
    classifyPostgreSqlError(await failure(database.execute('SELECT * FROM public.gone'))).code,
    'ResourceNotFoundError',
  );
  t.is(
    classifyPostgreSqlError(await failure(database.execute('SELECT gone FROM public.people'))).code,
    'ResourceNotFoundError',
  );
  const denied = classifyPostgreSqlError(await failure(database.execute('SELECT * FROM public.admins_only')));
  t.is(denied.code, 'AccessDenied');
  t.is(denied.message, 'the database user lacks a privilege: permission denied for table admins_only');
});

/** Runs one INSERT/UPDATE that fails on its record, and returns the per-record message. */
async function recordFailure(sql: string, params: (string | number | null)[]): Promise<string> {
  const error = await failure(database.execute(sql, params));
  t_isRecord(error);
  const message = describeRecordError(error, new Set(['people', 'id', 'email', 'short', 'amount', 'small']));
  const classified = classifyPostgreSqlError(error).message;
  for (const text of [message, classified]) {
    for (const value of params) {
      if (typeof value === 'string' && value.length > 2) {
        if (text.includes(value)) throw new Error(`a value leaked into: ${text}`);
      }
    }
  }
  return message;
}

function t_isRecord(error: unknown): void {
  if (!isRecordError(error)) throw new Error(`not a record error: ${String(error)}`);
}

test('per-record failures name the key, column or constraint and never the value (no DETAIL)', async (t) => {
  t.is(
    await recordFailure('INSERT INTO public.people (id, email) VALUES ($1, $2)', [2, SECRET_VALUE]),
    'duplicate value for unique key "people_email_key": another row already has it',
  );
  t.is(
    await recordFailure('INSERT INTO public.people (id, email) VALUES ($1, $2)', [1, 'fresh.value@example.com']),
    'duplicate value for unique key "people_pkey": another row already has it',
  );
  t.is(
    await recordFailure('INSERT INTO public.people (id, email) VALUES ($1, $2)', [3, null]),
    'field "email" does not allow null',
  );
  t.is(
    await recordFailure('INSERT INTO public.people (id, email, parent) VALUES ($1, $2, $3)', [4, 'p4@example.com', 99]),
    'foreign key "people_parent_fkey" fails: the referenced row does not exist',
  );
  t.is(
    await recordFailure('INSERT INTO public.people (id, email, age) VALUES ($1, $2, $3)', [5, 'p5@example.com', -7]),
    'check constraint "age_positive" is violated',
  );
  t.is(
    await recordFailure('INSERT INTO public.people (id, email, short) VALUES ($1, $2, $3)', [
      6,
      'p6@example.com',
      'toolongvalue',
    ]),
    'the value is too long for its field (SQLSTATE 22001 string_data_right_truncation)',
  );
  t.is(
    await recordFailure('INSERT INTO public.people (id, email, amount) VALUES ($1, $2, $3)', [
      7,
      'p7@example.com',
      '123456.789',
    ]),
    'the value is out of range for its field (SQLSTATE 22003 numeric_value_out_of_range)',
  );
  t.is(
    await recordFailure('INSERT INTO public.people (id, email, small) VALUES ($1, $2, $3)', [
      8,
      'p8@example.com',
      '99999999',
    ]),
    'the value is out of range for its field (SQLSTATE 22003 numeric_value_out_of_range)',
  );
  t.is(
    await recordFailure('INSERT INTO public.people (id, email, small) VALUES ($1, $2, $3)', [
      9,
      'p9@example.com',
      'secretword',
    ]),
    'the value cannot be read as the type of its field (SQLSTATE 22P02 invalid_text_representation)',
  );
  // The server's DETAIL would have said "Key (email)=(ada.secret@example.com) already exists".
  const duplicate = await failure(
    database.execute('INSERT INTO public.people (id, email) VALUES (10, $1)', [SECRET_VALUE]),
  );
  t.regex((duplicate as { detail?: string }).detail ?? '', /ada\.secret/);
  t.false(classifyPostgreSqlError(duplicate).message.includes('ada.secret'));
  t.is(classifyPostgreSqlError(duplicate).code, 'ClientError');
});

test('UTF-8 that is not valid is a record error without its bytes', async (t) => {
  const error = await failure(database.execute("SELECT convert_from('\\xc328'::bytea, 'UTF8')"));
  t.true(isRecordError(error));
  t.is(
    describeRecordError(error),
    'the text has bytes that are not valid in the database encoding, for its field (SQLSTATE 22021 character_not_in_repertoire)',
  );
});

test('a trigger that RAISEs a value, with any SQLSTATE, never returns the value (message, DETAIL, HINT)', async (t) => {
  await runPsql(
    { ...server.admin, database: db.database },
    `CREATE TABLE public.raising (id int PRIMARY KEY, email text);
     CREATE FUNCTION public.raise_email() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF NEW.id = 1 THEN RAISE EXCEPTION 'email % is refused', NEW.email USING DETAIL = NEW.email, HINT = NEW.email; END IF;
       IF NEW.id = 2 THEN RAISE EXCEPTION 'bad %', NEW.email USING ERRCODE = '23514'; END IF;
       IF NEW.id = 3 THEN RAISE EXCEPTION 'cast % failed', NEW.email USING ERRCODE = '22P02'; END IF;
       IF NEW.id = 4 THEN RAISE EXCEPTION 'odd %', NEW.email USING ERRCODE = 'XX001'; END IF;
       RETURN NEW;
     END $$;
     CREATE TRIGGER raising_check BEFORE INSERT ON public.raising FOR EACH ROW EXECUTE FUNCTION public.raise_email();
     GRANT ALL ON public.raising TO ${db.plainUser};`,
  );
  const expected = [
    "a trigger or function refused the record with RAISE EXCEPTION (SQLSTATE P0001 raise_exception); its message is in the database server's log",
    'check constraint is violated',
    'the value cannot be read as the type of its field (SQLSTATE 22P02 invalid_text_representation)',
    'the database refused the record (SQLSTATE XX001)',
  ];
  for (const [index, message] of expected.entries()) {
    const error = await failure(
      database.execute('INSERT INTO public.raising (id, email) VALUES ($1, $2)', [index + 1, SECRET_VALUE]),
    );
    t.true(String((error as { message?: string }).message).includes(SECRET_VALUE), 'the server put the value in');
    t.is(describeRecordError(error, new Set(['raising', 'id', 'email'])), message);
    t.false(JSON.stringify(classifyPostgreSqlError(error).message).includes(SECRET_VALUE));
  }
});
