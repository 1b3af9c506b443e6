/**
 * Where the demo gets its server: only the demo looks for one, only for its engine; a missing server is one
 * clear message (what to install, or DEMO_DATABASE_URL); DEMO_DATABASE_URL (and the tests' TEST_MYSQL_URL) name an
 * existing server, which works without TLS when --tls-mode DISABLED asks for it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { type MariaDbServer, startMariaDb } from '../../local/mariadb';
import { type PostgreSqlServer, startThrowawayPostgreSql } from '../../local/postgresql';
import { type Machine, planDemoServer } from '../../runner/demo/server';
import { REPO_ROOT, runRunner } from './support/cli';

/** A machine with only the given files, recording every path the check looked at. */
function machine(files: readonly string[], isRoot: boolean, commands: readonly string[] = []) {
  const looked: string[] = [];
  const fake: Machine = {
    exists: (path) => {
      looked.push(path);
      return files.includes(path);
    },
    list: (directory) => {
      looked.push(directory);
      return files
        .filter((file) => file.startsWith(`${directory}/`))
        .map((file) => file.slice(directory.length + 1).split('/')[0]!);
    },
    onPath: (command) => {
      looked.push(`PATH:${command}`);
      return commands.includes(command);
    },
    isRoot,
  };
  return { fake, looked };
}

test('npm start has no prestart that installs or demands database servers', (t) => {
  const scripts = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;
  t.is(scripts.prestart, undefined);
  t.is(scripts.prebench, undefined);
  t.notRegex(scripts.start!, /ensure-/);
});

test('a user without the demo engine’s server is told what to install or which variable to set', (t) => {
  const { fake, looked } = machine(['/usr/lib/postgresql/15/bin/postgres'], false);
  const plan = planDemoServer('MYSQL', null, {}, fake);
  t.is(plan.kind, 'missing');
  if (plan.kind !== 'missing') return;
  t.regex(plan.message, /MariaDB's server is not installed: install it \(sudo apt-get install mariadb-server\)/);
  t.regex(plan.message, /DEMO_DATABASE_URL=mysql:\/\/admin:password@host:3306 npm start/);
  t.regex(plan.message, /--host HOST --database NAME --user USER/);
  // Only the engine the demo runs is looked for.
  t.false(looked.some((path) => path.includes('postgresql')));

  const postgres = planDemoServer('POSTGRESQL', null, {}, machine(['/usr/sbin/mariadbd'], false).fake);
  t.is(postgres.kind, 'missing');
  if (postgres.kind === 'missing') {
    t.regex(postgres.message, /sudo apt-get install postgresql/);
    t.regex(
      postgres.message,
      /DEMO_DATABASE_URL=postgresql:\/\/admin:password@host:5432\/postgres npm start -- --engine postgresql/,
    );
  }
});

test('as root with apt-get the demo engine’s package alone is installed; an installed server or a URL needs nothing', (t) => {
  const root = planDemoServer('POSTGRESQL', null, {}, machine([], true, ['apt-get']).fake);
  t.is(root.kind, 'install');
  if (root.kind === 'install') {
    t.is(root.packageName, 'postgresql');
    t.regex(root.script, /scripts\/ensure-postgresql\.sh$/);
  }
  t.is(planDemoServer('MYSQL', null, {}, machine(['/usr/sbin/mariadbd'], false).fake).kind, 'throwaway');
  const external = planDemoServer(
    'MYSQL',
    null,
    { TEST_MYSQL_URL: 'mysql://root:x@db.internal:3307' },
    machine([], false).fake,
  );
  t.deepEqual(external, { kind: 'external', variable: 'TEST_MYSQL_URL', address: 'db.internal:3307' });
});

let noTls: MariaDbServer;
let postgres: PostgreSqlServer;

test.before(async () => {
  // A MariaDB that offers no TLS, as a developer's local server often does.
  [noTls, postgres] = await Promise.all([startMariaDb({ extraArgs: ['--skip-ssl'] }), startThrowawayPostgreSql()]);
});

test.after.always(async () => {
  await Promise.all([noTls?.stop(), postgres?.stop()]);
});

const mariaDbUrl = () => `mysql://${noTls.admin.user}:${noTls.admin.password}@${noTls.admin.host}:${noTls.admin.port}`;

// Serial (ava runs serial tests before the others): the other demos on this server must not be running while it
// checks that the demo left no database behind.
test.serial('DEMO_DATABASE_URL runs the demo on that server, without TLS when --tls-mode DISABLED asks', async (t) => {
  const result = await runRunner(['--tls-mode', 'DISABLED'], { DEMO_DATABASE_URL: mariaDbUrl() });
  t.is(result.code, 0, result.stderr);
  t.regex(
    result.stderr,
    new RegExp(`using the server at 127\\.0\\.0\\.1:${noTls.admin.port} \\(DEMO_DATABASE_URL\\) for the demo`),
  );
  t.notRegex(result.stderr, /starting a throwaway/);
  t.regex(result.stdout, new RegExp(`127\\.0\\.0\\.1:${noTls.admin.port}/appflow_demo_\\w+ \\(tlsMode DISABLED\\)`));
  t.regex(result.stdout, /rows written\s+\d+ into orders_copy with UPSERT/);
  t.regex(result.stdout, /result\s+ok/);
  // The demo removes what it created on a server it does not own.
  const left = (await noTls.adminQuery("SHOW DATABASES LIKE 'appflow_demo%'")) as unknown[];
  t.is(left.length, 0);
});

test('the tests’ TEST_MYSQL_URL still works for the demo, without TLS when asked', async (t) => {
  const result = await runRunner(['--tls-mode', 'DISABLED', '--entity', 'customers'], { TEST_MYSQL_URL: mariaDbUrl() });
  t.is(result.code, 0, result.stderr);
  t.regex(result.stderr, /using the server at .* \(TEST_MYSQL_URL\) for the demo/);
  t.regex(result.stdout, /rows read\s+40 from customers/);
});

test('a server without TLS and the default tlsMode: the demo says to pass --tls-mode DISABLED', async (t) => {
  const result = await runRunner([], { DEMO_DATABASE_URL: mariaDbUrl() });
  t.is(result.code, 1);
  t.regex(
    result.stderr,
    new RegExp(
      `error: the server at 127\\.0\\.0\\.1:${noTls.admin.port} offers no TLS, and the demo logs in with tlsMode REQUIRED: run with --tls-mode DISABLED \\(or DB_TLS_MODE=DISABLED\\)`,
    ),
  );
});

test('a postgresql:// DEMO_DATABASE_URL picks the PostgreSQL demo; a contradicting --engine is refused', async (t) => {
  const admin = postgres.admin;
  const url = `postgresql://${encodeURIComponent(admin.user)}:${encodeURIComponent(admin.password ?? '')}@${admin.host}:${admin.port}/postgres`;
  const [demo, contradiction] = await Promise.all([
    runRunner(['--entity', 'customers'], { DEMO_DATABASE_URL: url }),
    runRunner(['--engine', 'mysql'], { DEMO_DATABASE_URL: url }),
  ]);
  t.is(demo.code, 0, demo.stderr);
  t.regex(demo.stderr, new RegExp(`using the server at 127\\.0\\.0\\.1:${admin.port} \\(DEMO_DATABASE_URL\\)`));
  t.regex(demo.stdout, /rows read\s+40 from customers/);
  t.is(contradiction.code, 2);
  t.regex(
    contradiction.stderr,
    /DEMO_DATABASE_URL names a PostgreSQL server but --engine\/DB_ENGINE is MYSQL: drop --engine, or run with --engine postgresql/,
  );
});

test('your own server without TLS: the hint names --tls-mode DISABLED, the runner’s flag', async (t) => {
  const database = await noTls.createDatabase({ prefix: 'own', requireTls: false });
  const args = ['--host', database.host, '--port', String(database.port), '--database', database.database];
  const env = { DB_USERNAME: database.user, DB_PASSWORD: database.password };
  const [required, disabled] = await Promise.all([
    runRunner(args, env),
    runRunner([...args, '--tls-mode', 'DISABLED'], env),
  ]);
  t.is(required.code, 1);
  t.regex(
    required.stderr,
    /ClientError: the server does not support TLS.* — the server offers no TLS: run with --tls-mode DISABLED \(or DB_TLS_MODE=DISABLED\)/,
  );
  t.is(disabled.code, 0, disabled.stderr);
});
