import test from 'ava';
import {
  type CommandLine,
  DEFAULT_BUNDLE_PATH,
  parseCommandLine,
  type RunnerOptions,
  suggestFlag,
} from '../../runner/flags';

const now = new Date('2024-05-01T00:00:00Z');

/** The options of a command line that runs a flow (not --help, not --save-profile). */
function optionsOf(parsed: CommandLine): RunnerOptions {
  if (parsed.help || parsed.save !== null) throw new Error('not a flow');
  return parsed.options;
}

test('no arguments: the demo', (t) => {
  const parsed = parseCommandLine([], {}, now);
  t.false(parsed.help);
  if (parsed.help || parsed.save !== null) return;
  t.deepEqual(parsed.options.target, {
    kind: 'demo',
    bundlePath: DEFAULT_BUNDLE_PATH,
    engine: 'MYSQL',
    server: null,
    schema: null,
    tlsMode: 'REQUIRED',
  });
  t.is(parsed.options.output, null);
});

test('a local database from flags and the environment (DB_*)', (t) => {
  const parsed = parseCommandLine(
    ['--host', 'db', '--entity', 'orders', '--out', 'x.CSV', '--tls-mode', 'verify_identity'],
    { DB_NAME: 'shop', DB_USER: 'reader', DB_PASSWORD: 'p&ss', DB_PORT: '3307', INIT_CWD: '/home/me/work' },
    now,
  );
  if (parsed.help || parsed.save !== null) return t.fail();
  t.deepEqual(parsed.options.target, {
    kind: 'local',
    bundlePath: DEFAULT_BUNDLE_PATH,
    settings: { engine: 'MYSQL', schema: null, host: 'db', port: '3307', database: 'shop', tlsMode: 'VERIFY_IDENTITY' },
    user: 'reader',
    password: 'p&ss',
  });
  // A relative --out is relative to where `npm start` was typed (npm's INIT_CWD), not the project root.
  t.deepEqual(parsed.options.output, { path: '/home/me/work/x.CSV', format: 'csv' });
});

test('a deployed function with its secret and profile settings', (t) => {
  const parsed = parseCommandLine(
    [
      '--function',
      'fn',
      '--secret-arn',
      'arn:s',
      '--host',
      'db',
      '--database',
      'shop',
      '--region',
      'eu-west-1',
      '--entity',
      'e',
    ],
    { DB_USER: 'ignored in deployed mode' },
    now,
  );
  if (parsed.help || parsed.save !== null) return t.fail();
  t.deepEqual(parsed.options.target, {
    kind: 'deployed',
    functionName: 'fn',
    region: 'eu-west-1',
    secretArn: 'arn:s',
    settings: { engine: 'MYSQL', schema: null, host: 'db', port: '3306', database: 'shop', tlsMode: 'REQUIRED' },
  });
  t.throws(
    () =>
      parseCommandLine(['--function', 'fn', '--secret-arn', 'a', '--host', 'h', '--database', 'd', '--user', 'u'], {}),
    {
      message: /--user is for the local bundle/,
    },
  );
});

test('--engine postgresql: the engine and schema reach the profile, the port defaults to 5432', (t) => {
  const local = parseCommandLine(
    ['--engine', 'postgresql', '--schema', 'Sales', '--host', 'db', '--entity', 'orders'],
    { DB_NAME: 'shop', DB_USER: 'reader' },
    now,
  );
  if (local.help || local.save !== null) return t.fail();
  t.deepEqual(local.options.target, {
    kind: 'local',
    bundlePath: DEFAULT_BUNDLE_PATH,
    settings: {
      engine: 'POSTGRESQL',
      schema: 'Sales',
      host: 'db',
      port: '5432',
      database: 'shop',
      tlsMode: 'REQUIRED',
    },
    user: 'reader',
    password: '',
  });
  const explicitPort = parseCommandLine(
    ['--engine', 'POSTGRESQL', '--host', 'db', '--port', '6543'],
    { DB_NAME: 'd', DB_USER: 'u' },
    now,
  );
  const explicit = optionsOf(explicitPort).target;
  if (explicit.kind !== 'local') return t.fail();
  t.is(explicit.settings.port, '6543');
  // DB_ENGINE and DB_SCHEMA work as the other DB_* variables do, and without a host they shape the demo.
  const fromEnv = parseCommandLine([], { DB_ENGINE: 'postgresql', DB_SCHEMA: 'public' }, now);
  t.deepEqual(optionsOf(fromEnv).target, {
    kind: 'demo',
    bundlePath: DEFAULT_BUNDLE_PATH,
    engine: 'POSTGRESQL',
    server: null,
    schema: 'public',
    tlsMode: 'REQUIRED',
  });
});

test('--engine takes MYSQL or POSTGRESQL; --schema needs POSTGRESQL', (t) => {
  t.throws(() => parseCommandLine(['--engine', 'oracle'], {}), {
    message: '--engine must be one of MYSQL, POSTGRESQL, not "oracle"',
  });
  t.throws(() => parseCommandLine(['--schema', 'sales'], {}), {
    message: /--schema\/DB_SCHEMA is for --engine postgresql/,
  });
  t.throws(
    () => parseCommandLine(['--engine', 'mysql', '--host', 'h', '--database', 'd', '--user', 'u'], { DB_SCHEMA: 's' }),
    {
      message: /--schema\/DB_SCHEMA is for --engine postgresql/,
    },
  );
});

test('flow flags: fields, incremental window (30 days back by default), limit, write-back', (t) => {
  const parsed = parseCommandLine(
    [
      '--entity',
      'orders',
      '--fields',
      'id, total',
      '--incremental-field',
      'updated_at',
      '--limit',
      '5',
      '--write-to',
      'copy',
      '--write-operation',
      'upsert',
      '--id-fields',
      'id',
    ],
    {},
    now,
  );
  if (parsed.help || parsed.save !== null) return t.fail();
  t.deepEqual(parsed.options.flow, {
    entity: 'orders',
    describe: false,
    fields: ['id', 'total'],
    filter: null,
    incremental: { field: 'updated_at', since: new Date('2024-04-01T00:00:00Z'), until: null },
    limit: 5,
    pageSize: 1000,
    write: { table: 'copy', operation: 'UPSERT', idFields: ['id'], batchSize: 500, allOrNone: false },
    preview: null,
  });
});

test('times: dates, local-less times are UTC, offsets are honoured', (t) => {
  const since = (value: string) => {
    const parsed = parseCommandLine(['--incremental-field', 'u', '--since', value], {}, now);
    return optionsOf(parsed).flow.incremental?.since.toISOString();
  };
  t.is(since('2024-03-01'), '2024-03-01T00:00:00.000Z');
  t.is(since('2024-03-01T10:20'), '2024-03-01T10:20:00.000Z');
  t.is(since('2024-03-01T10:20:30.5+02:00'), '2024-03-01T08:20:30.500Z');
  t.throws(() => since('03/01/2024'), { message: /ISO 8601/ });
  t.throws(() => parseCommandLine(['--incremental-field', 'u', '--since', '2024-03-02', '--until', '2024-03-01'], {}), {
    message: /--until must be later than --since/,
  });
});

test('companion flags are required together', (t) => {
  t.throws(() => parseCommandLine(['--since', '2024-01-01'], {}), { message: /need --incremental-field/ });
  t.throws(() => parseCommandLine(['--write-operation', 'UPSERT'], {}), {
    message: /--write-operation needs --write-to/,
  });
  t.throws(() => parseCommandLine(['--format', 'csv'], {}), { message: /--format needs --out/ });
  t.throws(() => parseCommandLine(['--host', 'h', '--database', 'd', '--user', 'u', '--out', 'x.jsonl'], {}), {
    message: /--out needs --entity/,
  });
  t.throws(() => parseCommandLine(['--secret-arn', 'a'], {}), { message: /--secret-arn is for a deployed connector/ });
});

test('mistyped flags get a suggestion', (t) => {
  t.is(suggestFlag('--entitty'), '--entity');
  t.is(suggestFlag('--incremental'), '--incremental-field');
  t.is(suggestFlag('--pagesize'), '--page-size');
  t.is(suggestFlag('--zzzzzzzz'), null);
});

test('one set of variable names with npm run synth: DB_USERNAME and DB_TLS_MODE (DB_USER still read); flags win', (t) => {
  const target = (argv: string[], env: NodeJS.ProcessEnv) => optionsOf(parseCommandLine(argv, env, now)).target;
  const synthNames = target(['--entity', 'orders'], {
    DB_HOST: 'db',
    DB_NAME: 'shop',
    DB_USERNAME: 'reader',
    DB_PASSWORD: 'pw',
    DB_TLS_MODE: 'verify_identity',
  });
  t.like(synthNames, { kind: 'local', user: 'reader', settings: { tlsMode: 'VERIFY_IDENTITY' } });
  t.like(target([], { DB_HOST: 'db', DB_NAME: 'shop', DB_USER: 'old-name', DB_PASSWORD: 'pw' }), { user: 'old-name' });
  t.like(
    target(['--tls-mode', 'disabled', '--user', 'flag'], {
      DB_HOST: 'db',
      DB_NAME: 's',
      DB_USERNAME: 'env',
      DB_TLS_MODE: 'REQUIRED',
    }),
    {
      user: 'flag',
      settings: { tlsMode: 'DISABLED' },
    },
  );
  // The demo honours DB_TLS_MODE too.
  t.like(target([], { DB_TLS_MODE: 'DISABLED' }), { kind: 'demo', tlsMode: 'DISABLED' });
  t.throws(() => target([], { DB_TLS_MODE: 'off' }), {
    message: '--tls-mode must be one of DISABLED, REQUIRED, VERIFY_IDENTITY, not "off"',
  });
});

test('an unset password is flagged', (t) => {
  const notes = (env: NodeJS.ProcessEnv) =>
    optionsOf(parseCommandLine(['--host', 'db', '--database', 's', '--user', 'u'], env, now)).notes;
  t.deepEqual(notes({}), ['no password given (DB_PASSWORD is unset): the login is tried without one']);
  t.deepEqual(notes({ DB_PASSWORD: 'pw' }), []);
});
