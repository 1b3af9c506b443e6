/**
 * The PostgreSQL engine's pools against the throwaway PostgreSQL (real `pg` connections, TLS enforced for the
 * database owner, server time zone UTC+03:00).
 */
import { execFileSync } from 'node:child_process';
import test from 'ava';
import type { Database } from '../../../handler/engines/engine';
import { PostgreSqlPools } from '../../../handler/engines/postgresql/connection';
import type { DatabaseCredentials } from '../../../handler/secrets';
import type { ConnectionSettings, TlsMode } from '../../../handler/settings';
import {
  holdLock,
  type PostgreSqlDatabase,
  type PostgreSqlServer,
  SERVER_TIME_ZONE,
  startThrowawayPostgreSql,
} from '../../support/postgresql';

let server: PostgreSqlServer;
let db: PostgreSqlDatabase;
const pools = new PostgreSqlPools();

test.before(async () => {
  server = await startThrowawayPostgreSql();
  db = await server.createDatabase();
  await db.query('CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, at timestamptz)');
});
test.after.always(async () => {
  await pools.closeAll();
  await server?.stop();
});

function settingsOf(target: PostgreSqlDatabase, tlsMode: TlsMode, host = '127.0.0.1'): ConnectionSettings {
  return { host, port: target.port, database: target.database, tlsMode, engine: 'POSTGRESQL', schema: 'public' };
}
/** The owner: TLS only. */
const owner = (target: PostgreSqlDatabase = db): DatabaseCredentials => ({
  username: target.user,
  password: target.password,
});
/** The second user: allowed without TLS. */
const plain = (target: PostgreSqlDatabase = db): DatabaseCredentials => ({
  username: target.plainUser,
  password: target.plainPassword,
});

async function rejection(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (error === null) throw new Error('expected a rejection');
  return error as { code?: string; message: string };
}

async function backendsOf(user: string): Promise<string[][]> {
  return server.adminQuery("SELECT pid::text, state FROM pg_stat_activity WHERE usename = :'user' ORDER BY pid", {
    user,
  });
}

test('sessions are UTC, ISO dates and exact floats through startup parameters, not SET statements', async (t) => {
  const database = await pools.get(settingsOf(db, 'REQUIRED'), owner());
  const rows = await database.execute<{ name: string; setting: string; source: string }[]>(
    `SELECT name, setting, source FROM pg_settings
     WHERE name IN ('TimeZone', 'DateStyle', 'extra_float_digits', 'client_encoding', 'IntervalStyle', 'bytea_output')
     ORDER BY name`,
  );
  // 'client' is a startup parameter; a SET would show 'session'.
  t.deepEqual(rows, [
    { name: 'DateStyle', setting: 'ISO, YMD', source: 'client' },
    { name: 'IntervalStyle', setting: 'postgres', source: 'client' },
    { name: 'TimeZone', setting: 'UTC', source: 'client' },
    { name: 'bytea_output', setting: 'hex', source: 'client' },
    { name: 'client_encoding', setting: 'UTF8', source: 'client' },
    { name: 'extra_float_digits', setting: '1', source: 'client' },
  ]);
  t.not(SERVER_TIME_ZONE, 'UTC');
  const [at] = await database.execute<string[][]>("SELECT timestamptz '2026-01-02 03:00:00+03'", [], {
    rowsAsArray: true,
  });
  t.deepEqual(at, ['2026-01-02 00:00:00+00']);
});

test('execute binds $n parameters and returns rows, rows as arrays; write returns the row count', async (t) => {
  const database = await pools.get(settingsOf(db, 'REQUIRED'), owner());
  await database.write('DELETE FROM public.items WHERE id < 10');
  const tricky = "O'Brien \\ $1 -- ;";
  const inserted = await database.write('INSERT INTO public.items (id, name) VALUES ($1, $2), ($3, $4)', [
    1,
    tricky,
    '2',
    'two',
  ]);
  t.deepEqual(inserted, { affectedRows: 2, firstGeneratedId: null });
  t.deepEqual(await database.execute('SELECT id, name FROM public.items WHERE name = $1', [tricky]), [
    { id: 1, name: tricky },
  ]);
  t.deepEqual(
    await database.execute('SELECT id, name FROM public.items WHERE id < 10 ORDER BY id', [], { rowsAsArray: true }),
    [
      [1, tricky],
      [2, 'two'],
    ],
  );
  t.deepEqual(await database.write('UPDATE public.items SET name = $1 WHERE id > $2 AND id < 10', ['x', 0]), {
    affectedRows: 2,
    firstGeneratedId: null,
  });
  t.deepEqual(
    await database.execute('INSERT INTO public.items (id, name) VALUES ($1, $2) RETURNING id', [3, 'three']),
    [{ id: 3 }],
  );
  t.deepEqual(await database.write('DELETE FROM public.items WHERE id = $1', [99]), {
    affectedRows: 0,
    firstGeneratedId: null,
  });
});

test.serial("pg's global type registry neither changes nor is changed by the pool's exact parsers", async (t) => {
  const pg = (await import('pg')).default;
  const globalTimestamp = pg.types.getTypeParser(1114, 'text');
  const globalInt8 = pg.types.getTypeParser(20, 'text');
  // Another module in the process parses bigint as a (lossy) number, globally.
  pg.types.setTypeParser(20, Number);
  try {
    const database = await pools.get(settingsOf(db, 'REQUIRED'), owner());
    const [row] = await database.execute<unknown[][]>(
      "SELECT 9007199254740993::int8, '2026-01-02 03:04:05.123456'::timestamp, 1.5::numeric, true, 7::int2",
      [],
      { rowsAsArray: true },
    );
    t.deepEqual(row, ['9007199254740993', '2026-01-02 03:04:05.123456', '1.5', true, 7]);
    t.is(pg.types.getTypeParser(1114, 'text'), globalTimestamp);
  } finally {
    pg.types.setTypeParser(20, globalInt8);
  }
});

test('one pool per connection identity, reused; at most two connections each', async (t) => {
  const settings = settingsOf(db, 'REQUIRED');
  const first = await pools.get(settings, owner());
  t.is(await pools.get({ ...settings }, { ...owner() }), first);
  t.not(await pools.get({ ...settings, tlsMode: 'VERIFY_IDENTITY' }, owner()), first);
  const other = new PostgreSqlPools();
  const alone = await server.createDatabase({ prefix: 'sizing' });
  try {
    const database = await other.get(settingsOf(alone, 'DISABLED'), plain(alone));
    const pids = await Promise.all(
      [1, 2, 3, 4].map(() => database.execute<{ pid: number }[]>('SELECT pg_backend_pid() AS pid, pg_sleep(0.3)')),
    );
    t.is(new Set(pids.map((rows) => rows[0]!.pid)).size, 2, 'four statements at once share two connections');
    t.is((await backendsOf(alone.plainUser)).length, 2, 'the connections stay open for the next invocation');
  } finally {
    await other.closeAll();
  }
  t.deepEqual(await backendsOf(alone.plainUser), [], 'closeAll ends every connection');
});

test('TLS DISABLED: no encryption; a user that must use TLS is refused', async (t) => {
  const database = await pools.get(settingsOf(db, 'DISABLED'), plain());
  t.deepEqual(await database.execute('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()'), [{ ssl: false }]);
  const refused = await rejection((await pools.get(settingsOf(db, 'DISABLED'), owner())).execute('SELECT 1'));
  t.is(refused.code, '28000');
  t.regex(refused.message, /no pg_hba\.conf entry .* no encryption/);
});

test('TLS REQUIRED: encrypted without verifying the certificate', async (t) => {
  const database = await pools.get(settingsOf(db, 'REQUIRED'), owner());
  t.deepEqual(await database.execute('SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()'), [
    { ssl: true, version: 'TLSv1.3' },
  ]);
});

test.serial(
  'TLS VERIFY_IDENTITY: the run CA only counts through NODE_EXTRA_CA_CERTS, for the IP and the name',
  async (t) => {
    const saved = process.env.NODE_EXTRA_CA_CERTS;
    const local = new PostgreSqlPools();
    try {
      delete process.env.NODE_EXTRA_CA_CERTS;
      const unknownCa = await rejection(
        (await local.get(settingsOf(db, 'VERIFY_IDENTITY'), owner())).execute('SELECT 1'),
      );
      t.regex(unknownCa.message, /self[- ]signed certificate|unable to (get|verify)/i);

      process.env.NODE_EXTRA_CA_CERTS = server.caFile!;
      for (const host of ['127.0.0.1', 'localhost']) {
        // A pool of its own: VERIFY_IDENTITY reads the CAs when the pool is made.
        const fresh = new PostgreSqlPools();
        try {
          const database = await fresh.get(settingsOf(db, 'VERIFY_IDENTITY', host), owner());
          t.deepEqual(await database.execute('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()'), [
            { ssl: true },
          ]);
        } finally {
          await fresh.closeAll();
        }
      }
    } finally {
      if (saved === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
      else process.env.NODE_EXTRA_CA_CERTS = saved;
      await local.closeAll();
    }
  },
);

test('IAM tokens (sent in clear text) are refused without TLS', async (t) => {
  const refused = await rejection(
    pools.get(settingsOf(db, 'DISABLED'), { username: db.plainUser, password: 'token', cleartext: true }),
  );
  t.regex(refused.message, /IAM database authentication needs tlsMode/);
});

test('a statement timeout is enforced by the server (57014), which stops the statement; the pool stays usable', async (t) => {
  const own = new PostgreSqlPools();
  try {
    const database = await own.get(settingsOf(db, 'DISABLED'), plain());
    const started = Date.now();
    const error = await rejection(database.execute('SELECT pg_sleep(10.5)', [], { timeoutMs: 300 }));
    const elapsed = Date.now() - started;
    t.log(`statement timeout after ${elapsed} ms`);
    t.is(error.code, '57014');
    t.true(elapsed < 2_000);
    const running = await server.adminQuery(
      "SELECT count(*) FROM pg_stat_activity WHERE usename = :'user' AND query LIKE '%pg_sleep(10.5)%' AND state <> 'idle'",
      { user: db.plainUser },
    );
    t.deepEqual(running, [['0']], 'nothing is still running on the server');
    // The timeout was local to its own transaction: the next statement runs without it.
    t.deepEqual(await database.execute('SELECT pg_sleep(0.5)::text AS slept'), [{ slept: '' }]);
    t.deepEqual(await database.execute("SELECT current_setting('statement_timeout') AS s"), [{ s: '0' }]);

    // Inside a transaction: the statement fails, the transaction rolls back, the connection is reused.
    await database.execute('DELETE FROM public.items WHERE id = 50');
    const inTransaction = await rejection(
      database.transaction(async (runner) => {
        await runner.execute('INSERT INTO public.items (id, name) VALUES (50, $1)', ['rolled back']);
        await runner.execute('SELECT pg_sleep(10)', [], { timeoutMs: 200 });
      }),
    );
    t.is(inTransaction.code, '57014');
    t.deepEqual(await database.execute('SELECT id FROM public.items WHERE id = 50'), []);
  } finally {
    await own.closeAll();
  }
});

test('transaction commits, rolls back when the work throws, and waits for row locks at most lockWaitSeconds', async (t) => {
  const own = new PostgreSqlPools();
  const other = new PostgreSqlPools();
  try {
    const database = await own.get(settingsOf(db, 'DISABLED'), plain());
    await database.execute('DELETE FROM public.items WHERE id IN (60, 61)');
    await database.transaction(async (runner) => {
      await runner.execute('INSERT INTO public.items (id, name) VALUES (60, $1)', ['kept']);
    });
    await t.throwsAsync(
      database.transaction(async (runner) => {
        await runner.execute('INSERT INTO public.items (id, name) VALUES (61, $1)', ['gone']);
        throw new Error('work failed');
      }),
      { message: 'work failed' },
    );
    t.deepEqual(await database.execute('SELECT id FROM public.items WHERE id IN (60, 61) ORDER BY id'), [{ id: 60 }]);

    // Another connection holds the row lock; the waiting UPDATE gives up after about a second (55P03).
    const holder = await other.get(settingsOf(db, 'REQUIRED'), owner());
    const lock = await holdLock(holder, 'SELECT id FROM public.items WHERE id = 60 FOR UPDATE');
    const started = Date.now();
    const error = await rejection(
      database.transaction((runner) => runner.execute("UPDATE public.items SET name = 'x' WHERE id = 60"), {
        lockWaitSeconds: 1,
      }),
    );
    const waited = Date.now() - started;
    await lock.release();
    t.log(`lock wait gave up after ${waited} ms`);
    t.is(error.code, '55P03');
    t.true(waited >= 900 && waited < 3_000);
    t.deepEqual(await database.execute("SELECT current_setting('lock_timeout') AS s"), [{ s: '0' }]);
  } finally {
    await own.closeAll();
    await other.closeAll();
  }
});

test('a connection the server ends while lent is destroyed, not returned to the pool', async (t) => {
  const own = new PostgreSqlPools();
  try {
    const database = await own.get(settingsOf(db, 'DISABLED'), plain());
    let endedPid = 0;
    const error = await rejection(
      database.withConnection(async (runner) => {
        const [{ pid }] = (await runner.execute('SELECT pg_backend_pid() AS pid')) as [{ pid: number }];
        endedPid = pid;
        await server.adminQuery("SELECT pg_terminate_backend(:'pid'::int)", { pid: String(pid) });
        await new Promise((resolve) => setTimeout(resolve, 100));
        await runner.execute('SELECT 1');
      }),
    );
    t.truthy(error.message);
    t.not(endedPid, 0);
    // Both of the pool's connections at once (each holds its own for 100 ms): had the ended one gone back to the
    // pool, one of these would have been handed it and failed on its first statement (withConnection never retries).
    // pg-pool itself also drops a released client that is no longer queryable (pg-pool index.js release), so the
    // connector's own release(error) is a second guard: this test holds the outcome, whichever guard gives it.
    const pids = await Promise.all(
      [1, 2].map(() =>
        database.withConnection(async (runner) => {
          const [{ pid }] = (await runner.execute('SELECT pg_backend_pid() AS pid, pg_sleep(0.1)')) as [
            { pid: number },
          ];
          return pid;
        }),
      ),
    );
    t.is(new Set(pids).size, 2, 'two connections served at once');
    t.false(pids.includes(endedPid), 'neither is the connection the server ended');
  } finally {
    await own.closeAll();
  }
});

test.serial(
  'ensureReady after a server restart (clean, immediate, crash): requests never fail on a stale connection',
  async (t) => {
    const own = await startThrowawayPostgreSql();
    const local = new PostgreSqlPools();
    try {
      const target = await own.createDatabase();
      const database: Database = await local.get(settingsOf(target, 'REQUIRED'), owner(target));
      for (const mode of ['clean', 'immediate', 'crash'] as const) {
        // Both pooled connections open and idle.
        await Promise.all([1, 2].map(() => database.execute('SELECT pg_sleep(0.05)')));
        const before = await database.execute<{ pid: number }[]>('SELECT pg_backend_pid() AS pid');
        await own.restart(mode);
        // Past the "used a moment ago" shortcut.
        await new Promise((resolve) => setTimeout(resolve, 1_100));
        await database.ensureReady(5_000);
        const after = await database.execute<{ pid: number }[]>('SELECT pg_backend_pid() AS pid');
        t.not(after[0]!.pid, before[0]!.pid, `${mode}: a new backend serves the request`);
        t.deepEqual(await database.execute('SELECT 1 AS one'), [{ one: 1 }]);
      }
    } finally {
      await local.closeAll();
      await own.stop();
    }
  },
);

/**
 * Terminates every backend of `user` with the event loop blocked (psql run synchronously), the way a frozen Lambda
 * learns nothing of connections the server ended between two invocations: the pool still holds them as idle.
 */
function terminateBackendsWhileFrozen(user: string): void {
  const admin = server.admin;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    PGHOST: admin.host,
    PGPORT: String(admin.port),
    PGUSER: admin.user,
    PGPASSWORD: admin.password,
    PGDATABASE: admin.database,
    PGSSLMODE: 'require',
    APPFLOW_USER: user,
  };
  execFileSync('psql', ['--no-psqlrc', '--quiet', '--set=ON_ERROR_STOP=1'], {
    env,
    input:
      "\\getenv user APPFLOW_USER\nSELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :'user';\n" +
      'SELECT pg_sleep(0.3);\n',
    stdio: ['pipe', 'ignore', 'pipe'],
  });
}

test('ensureReady discards pooled connections the server ended while the process was frozen', async (t) => {
  const own = new PostgreSqlPools();
  const alone = await server.createDatabase({ prefix: 'frozen' });
  try {
    const database = await own.get(settingsOf(alone, 'DISABLED'), plain(alone));
    const before = await Promise.all(
      [1, 2].map(() => database.execute<{ pid: number }[]>('SELECT pg_backend_pid() AS pid, pg_sleep(0.1)')),
    );
    t.is(new Set(before.map((rows) => rows[0]!.pid)).size, 2, 'two idle connections in the pool');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    terminateBackendsWhileFrozen(alone.plainUser);
    // Same tick: the pool has not read the servers' goodbyes yet.
    await database.ensureReady(5_000);
    const [after] = await database.execute<{ pid: number }[]>('SELECT pg_backend_pid() AS pid');
    t.false(
      before.some((rows) => rows[0]!.pid === after!.pid),
      'a new connection serves the request',
    );
  } finally {
    await own.closeAll();
  }
});

test('close ends the pool: its connections are gone and it serves nothing more', async (t) => {
  const own = new PostgreSqlPools();
  const other = await server.createDatabase({ prefix: 'closing' });
  const database = await own.get(settingsOf(other, 'DISABLED'), plain(other));
  await database.execute('SELECT 1');
  t.is((await backendsOf(other.plainUser)).length, 1);
  await database.close();
  t.deepEqual(await backendsOf(other.plainUser), []);
  await t.throwsAsync(database.execute('SELECT 1'));
});

test('readRows streams rows with the pool’s exact parsers, stops when the consumer has enough, keeps the connection', async (t) => {
  const database = await pools.get(settingsOf(db, 'REQUIRED'), owner());
  const seen: unknown[][] = [];
  const end = await database.readRows(
    "SELECT g, g::int8 * 1000000000000, (g || '.50')::numeric FROM generate_series(1, 1000) g ORDER BY g",
    [],
    { timeoutMs: 5_000, onRow: (row) => seen.push(row) < 250 },
  );
  t.is(end, 'stopped');
  t.is(seen.length, 250);
  // int8 and numeric arrive as exact text, not through a double (pg's global parsers would give numbers).
  t.deepEqual(seen[249], [250, '250000000000000', '250.50']);
  const all: unknown[][] = [];
  t.is(
    await database.readRows('SELECT g FROM generate_series(1, $1::int) g', [333], {
      timeoutMs: 5_000,
      onRow: (row) => all.push(row) > 0,
    }),
    'complete',
  );
  t.is(all.length, 333);
  // Nothing was left open: a plain statement on the same pool still works.
  t.deepEqual(await database.execute('SELECT 1 AS one'), [{ one: 1 }]);
});

test('readRows: a read that outlives its timeout is stopped by the server, and the rows delivered stand', async (t) => {
  const database = await pools.get(settingsOf(db, 'REQUIRED'), owner());
  const seen: unknown[][] = [];
  const started = Date.now();
  // Each row after the first 150 costs 20 ms on the server: the 800 ms timeout ends the read part way.
  const end = await database.readRows(
    'SELECT g, CASE WHEN g > 150 THEN pg_sleep(0.02)::text END FROM generate_series(1, 10000) g',
    [],
    { timeoutMs: 800, onRow: (row) => seen.push(row) > 0 },
  );
  t.is(end, 'timed out');
  t.true(seen.length >= 100 && seen.length < 10_000, `rows delivered: ${seen.length}`);
  t.true(Date.now() - started < 800 + 2_500);
  t.deepEqual(await database.execute('SELECT 2 AS two'), [{ two: 2 }]);
});
