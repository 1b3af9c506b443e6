/**
 * The throwaway PostgreSQL the PostgreSQL engine's tests will run against: it must really enforce what those tests
 * rely on (TLS for the first user, passwords, a server time zone that is not UTC) and clean up after itself.
 * Connections go through psql (libpq), the `pg` client is not a dependency yet.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import test from 'ava';
import {
  externalPostgreSql,
  type PostgreSqlDatabase,
  type PostgreSqlServer,
  type PsqlConnection,
  PsqlError,
  runPsql,
  SERVER_TIME_ZONE,
  startThrowawayPostgreSql,
} from '../support/postgresql';

let server: PostgreSqlServer;
let database: PostgreSqlDatabase;
let startupMs: number;

test.before(async () => {
  const started = Date.now();
  server = await startThrowawayPostgreSql();
  startupMs = Date.now() - started;
  database = await server.createDatabase();
  await database.query("CREATE TABLE things (id int PRIMARY KEY, name text); INSERT INTO things VALUES (1, 'one')");
});
test.after.always(async () => {
  await server?.stop();
});

/** The app user over TLS, verifying the certificate against the run's CA and the host name. */
function verified(db: PostgreSqlDatabase, options: { host?: string; of?: PostgreSqlServer } = {}): PsqlConnection {
  return {
    host: options.host ?? '127.0.0.1',
    port: db.port,
    user: db.user,
    password: db.password,
    database: db.database,
    sslmode: 'verify-full',
    sslrootcert: (options.of ?? server).caFile!,
  };
}

async function refusal(connection: PsqlConnection, sql = 'SELECT 1'): Promise<string> {
  const error = await runPsql(connection, sql).then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof PsqlError)) throw new Error(`expected psql to fail, got ${String(error)}`);
  return error.message;
}

const uidOf = (pid: number) => Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** State and parent process of a live process from /proc (the command name may hold ')', so read after the last). */
const stat = (pid: number | string): { state: string; parent: number } | null => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1)!.split(' ');
    return { state: fields[0]!, parent: Number(fields[1]) };
  } catch {
    return null;
  }
};

/** The postmaster's children (each leads its own process group: PostgreSQL calls setsid() in every child). */
const childrenOf = (pid: number): number[] =>
  readdirSync('/proc')
    .filter((entry) => /^[0-9]+$/.test(entry) && stat(entry)?.parent === pid)
    .map(Number);

/** Still running: a zombie has released the server's shared memory and does not count. */
const running = (pid: number) => !['Z', 'X', undefined].includes(stat(pid)?.state);

test('the server starts, not as root, and the app user connects over verified TLS with its awkward password', async (t) => {
  t.log(`startup (initdb, certificates, server ready): ${startupMs} ms`);
  t.regex(database.password, /&/);
  t.regex(database.password, /#/);
  t.regex(database.password, /'/);
  t.regex(database.password, /"/);
  t.regex(database.password, /\\/);
  t.not(uidOf(server.pid!), 0, 'initdb and postgres refuse root: the server runs as an unprivileged user');

  const rows = await runPsql(
    verified(database),
    'SELECT current_user, current_database(), ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid(); SELECT name FROM things',
  );
  t.deepEqual(rows, [[database.user, database.database, 'true'], ['one']]);
});

test('the server certificate names both 127.0.0.1 and localhost, and is checked', async (t) => {
  const byName = await runPsql(verified(database, { host: 'localhost' }), 'SELECT 1');
  t.deepEqual(byName, [['1']]);
  t.regex(server.caPem!, /BEGIN CERTIFICATE/);
  // Any other CA: verify-full must fail, so the run's CA is what made the connections above succeed.
  const otherCa = '/etc/ssl/certs/ca-certificates.crt';
  t.true(existsSync(otherCa));
  t.regex(await refusal({ ...verified(database), sslrootcert: otherCa }), /certificate verify failed/);
});

test('the app user is refused without TLS; the plain user is let in without TLS and sees the same tables', async (t) => {
  const message = await refusal({ ...verified(database), sslmode: 'disable' });
  t.regex(
    message,
    /no pg_hba\.conf entry for host "127\.0\.0\.1", user "u_[0-9a-f]+", database "[^"]+", no encryption/,
  );

  const plain: PsqlConnection = {
    host: database.host,
    port: database.port,
    user: database.plainUser,
    password: database.plainPassword,
    database: database.database,
    sslmode: 'disable',
  };
  const rows = await runPsql(
    plain,
    'SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid(); SELECT name FROM things WHERE id = 1',
  );
  t.deepEqual(rows, [['false'], ['one']]);
});

test('passwords are checked, and one database user cannot enter another database', async (t) => {
  t.regex(
    await refusal({ ...verified(database), password: `${database.password}x` }),
    /password authentication failed for user "u_[0-9a-f]+"/,
  );
  const other = await server.createDatabase({ prefix: 'other' });
  t.regex(
    await refusal({ ...verified(database), database: other.database }),
    /permission denied for database "other_[0-9a-f]+"/,
  );
  t.deepEqual(await other.query('SELECT current_database()'), [[other.database]]);
});

test('the server time zone is not UTC, so a connector that forgets to set UTC is caught', async (t) => {
  const rows = await database.query(
    "SHOW timezone; SELECT to_char(timestamptz '2026-01-02 00:00:00+00', 'YYYY-MM-DD HH24:MI:SS TZH:TZM')",
  );
  t.deepEqual(rows, [[SERVER_TIME_ZONE], ['2026-01-02 03:00:00 +03:00']]);
  t.not(SERVER_TIME_ZONE.toUpperCase(), 'UTC');
});

test.serial('restart keeps port and data: clean, immediate and after a crash (committed rows survive)', async (t) => {
  const own = await startThrowawayPostgreSql();
  try {
    const db = await own.createDatabase();
    await db.query('CREATE TABLE survivors (n int)');
    const pids = [own.pid];
    for (const [n, mode] of [
      [1, 'clean'],
      [2, 'immediate'],
      [3, 'crash'],
    ] as const) {
      await db.query('INSERT INTO survivors VALUES (:n)', { n: String(n) });
      const children = childrenOf(own.pid!);
      if (mode === 'crash') t.true(children.length >= 3, 'the postmaster has started its auxiliary processes');
      const started = Date.now();
      await own.shutdown(mode);
      // A backend that outlives its postmaster holds the shared memory and makes the next start fail.
      t.deepEqual(children.filter(running), [], `no process of the server is left after a ${mode} shutdown`);
      await own.start();
      t.log(`restart (${mode}): ${Date.now() - started} ms`);
      pids.push(own.pid);
      t.deepEqual(
        await db.query('SELECT n FROM survivors ORDER BY n'),
        Array.from({ length: n }, (_, i) => [String(i + 1)]),
      );
    }
    t.is(new Set(pids).size, 4, 'every restart runs a new postmaster');
    t.false(alive(pids[0]!));

    await own.shutdown('clean');
    t.is(own.pid, null);
    t.regex(await refusal(verified(db, { of: own })), /Connection refused/);
    await own.start();
    t.deepEqual(await db.query('SELECT count(*) FROM survivors'), [['3']]);
  } finally {
    await own.stop();
  }
});

test.serial('stop ends every server process and removes the directory', async (t) => {
  const own = await startThrowawayPostgreSql();
  const db = await own.createDatabase();
  const pid = own.pid!;
  const children = childrenOf(pid);
  const directory = own.directory!;
  t.true(existsSync(directory));
  t.true(alive(pid));
  t.true(children.length >= 3, 'the postmaster has started its auxiliary processes');
  const started = Date.now();
  await own.stop();
  t.log(`stop: ${Date.now() - started} ms`);
  t.false(alive(pid));
  t.deepEqual(children.filter(running), [], 'no process of the server is left');
  t.false(existsSync(directory));
  t.regex(await refusal(verified(db, { of: own })), /Connection refused/);
});

test('an existing server (TEST_POSTGRES_URL): databases and users are created, then dropped again', async (t) => {
  const url = new URL(`postgresql://${server.host}:${server.port}/postgres`);
  url.username = encodeURIComponent(server.admin.user);
  url.password = encodeURIComponent(server.admin.password);
  const external = externalPostgreSql(`${url.href}?sslmode=require`);
  const db = await external.createDatabase({ prefix: 'ext' });
  t.deepEqual(await db.query('SELECT current_user, current_database()'), [[db.user, db.database]]);
  await external.stop();
  const left = await server.adminQuery(
    "SELECT datname FROM pg_database WHERE datname = :'database' UNION ALL SELECT rolname FROM pg_roles WHERE rolname IN (:'user', :'plain')",
    { database: db.database, user: db.user, plain: db.plainUser },
  );
  t.deepEqual(left, []);
});
