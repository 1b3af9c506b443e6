/**
 * The command line as users meet it, run as a child process: --help, wrong flags, an unreachable database, a
 * missing bundle, a bad output path. None of these needs a database server.
 */
import { join } from 'node:path';
import test from 'ava';
import { freeLoopbackPort } from '../../local/mariadb';
import { FLAGS, type FlagSpec } from '../../runner/flags';
import { runRunner, temporaryDirectory } from './support/cli';

const dir = temporaryDirectory('runner-cli');

test('--help documents every flag with an example and exits 0', async (t) => {
  const result = await runRunner(['--help']);
  t.is(result.code, 0);
  t.is(result.stderr, '');
  for (const [name, spec] of Object.entries(FLAGS) as [string, FlagSpec][]) {
    t.true(result.stdout.includes(`--${name}`), `--${name} is documented`);
    t.true(result.stdout.includes(`e.g. ${spec.example}`), `--${name} has its example`);
    if (spec.env) t.true(result.stdout.includes(`(env ${spec.env})`), `--${name} names ${spec.env}`);
  }
  t.regex(result.stdout, /Exit status:/);
});

test('a wrong flag exits 2 with a suggestion and a hint to --help', async (t) => {
  const result = await runRunner(['--entitty', 'orders']);
  t.is(result.code, 2);
  t.is(result.stdout, '');
  t.is(
    result.stderr,
    'error: unknown flag --entitty (did you mean --entity?)\nRun with --help to see every flag, each with an example.\n',
  );
});

test('bad values exit 2 with the reason', async (t) => {
  const cases: [string[], RegExp][] = [
    [['--limit', '0'], /--limit must be a whole number of at least 1, not "0"/],
    [
      ['--write-to', 't', '--write-operation', 'MERGE'],
      /--write-operation must be one of INSERT, UPSERT, UPDATE, DELETE/,
    ],
    [['--incremental-field', 'u', '--since', 'yesterday'], /--since must be an ISO 8601 date or time/],
    [['--function', 'f', '--host', 'h', '--database', 'd'], /--function needs --secret-arn/],
    [['--database', 'shop'], /--database\/DB_NAME given without --host\/DB_HOST/],
    [['--entity'], /--entity needs a value \(e\.g\. --entity orders\)/],
  ];
  const results = await Promise.all(cases.map(([args]) => runRunner(args)));
  results.forEach((result, index) => {
    t.is(result.code, 2, cases[index]![0].join(' '));
    t.regex(result.stderr, cases[index]![1]);
  });
});

test('an unreachable database is one clear error line and exit 1; the password is never printed', async (t) => {
  const port = await freeLoopbackPort();
  const password = 'Never-Print-Me-7c1d';
  const result = await runRunner(
    ['--host', '127.0.0.1', '--port', String(port), '--database', 'shop', '--user', 'reader', '--entity', 'orders'],
    { DB_PASSWORD: password },
  );
  t.is(result.code, 1, result.stderr);
  t.regex(
    result.stderr,
    new RegExp(
      `error: ValidateCredentials failed: ServiceUnavailable: .*ECONNREFUSED.*127\\.0\\.0\\.1:${port}.* — is the database running`,
    ),
  );
  t.regex(result.stdout, /result\s+failed at ValidateCredentials \(exit status 1\)/);
  t.notRegex(result.stderr, /no password given/);
  t.false(result.stdout.includes(password));
  t.false(result.stderr.includes(password));
});

test('a missing bundle and an unwritable output path are clear errors', async (t) => {
  const [bundle, output] = await Promise.all([
    runRunner(['--bundle', join(dir, 'missing.js'), '--host', 'h', '--database', 'd', '--user', 'u', '--entity', 'e']),
    runRunner([
      '--out',
      join(dir, 'no', 'such', 'dir', 'rows.csv'),
      '--host',
      'h',
      '--database',
      'd',
      '--user',
      'u',
      '--entity',
      'e',
    ]),
  ]);
  t.is(bundle.code, 1);
  t.regex(
    bundle.stderr,
    /error: the connector bundle .*missing\.js does not exist: run npm run build first, or pass --bundle\n$/,
  );
  t.is(output.code, 1);
  t.regex(output.stderr, /error: cannot write the output file .*rows\.csv \(ENOENT\)\n$/);
});

test('a local run without DB_PASSWORD says so before it logs in', async (t) => {
  const port = await freeLoopbackPort();
  const result = await runRunner(
    ['--host', '127.0.0.1', '--port', String(port), '--database', 'shop', '--entity', 'orders'],
    {
      DB_USERNAME: 'reader',
    },
  );
  t.is(result.code, 1);
  t.regex(result.stderr, /^ {2}note: no password given \(DB_PASSWORD is unset\): the login is tried without one\n/);
});

test('--help names the variables npm run synth reads too (DB_USERNAME, DB_TLS_MODE) and the demo server variable', async (t) => {
  const result = await runRunner(['--help']);
  t.regex(result.stdout, /--user USER {3}\(env DB_USERNAME\)/);
  t.regex(result.stdout, /--tls-mode MODE {3}\(env DB_TLS_MODE\)/);
  t.regex(result.stdout, /DEMO_DATABASE_URL/);
});
