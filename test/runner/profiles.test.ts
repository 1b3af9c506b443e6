/**
 * Named profiles: a file of connection settings so that a user need not export DB_* for every run. Flags win over
 * variables, variables over the profile; the password is stored only when asked, in a file only its owner reads,
 * and a password in a file others can read is warned about.
 */
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { freeLoopbackPort } from '../../local/mariadb';
import { type CommandLine, parseCommandLine, type RunnerOptions } from '../../runner/flags';
import { loadProfile } from '../../runner/profiles';
import { runRunner, temporaryDirectory } from './support/cli';

const dir = temporaryDirectory('runner-profiles');

function optionsOf(parsed: CommandLine): RunnerOptions {
  if (parsed.help || parsed.save !== null) throw new Error('not a flow');
  return parsed.options;
}

function profilesFile(name: string, profiles: unknown, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ profiles }));
  chmodSync(path, mode);
  return path;
}

test('a profile fills in what flags and variables leave unset: flags > environment > profile', (t) => {
  const path = profilesFile('precedence.json', {
    shop: {
      engine: 'postgresql',
      host: 'profile-host',
      port: 6543,
      database: 'shop',
      schema: 'sales',
      user: 'p',
      tlsMode: 'DISABLED',
    },
  });
  const target = optionsOf(
    parseCommandLine(['--profile', 'shop', '--profiles', path, '--database', 'flag-db'], {
      DB_USERNAME: 'env-user',
      DB_PASSWORD: 'pw',
    }),
  ).target;
  t.deepEqual(target.kind === 'local' && { settings: target.settings, user: target.user }, {
    settings: {
      engine: 'POSTGRESQL',
      schema: 'sales',
      host: 'profile-host',
      port: '6543',
      database: 'flag-db',
      tlsMode: 'DISABLED',
    },
    user: 'env-user',
  });
  // APPFLOW_RUNNER_PROFILES names the file when --profiles does not.
  const fromVariable = optionsOf(
    parseCommandLine(['--profile', 'shop'], { APPFLOW_RUNNER_PROFILES: path, DB_PASSWORD: 'pw' }),
  ).target;
  t.like(fromVariable, { kind: 'local', settings: { host: 'profile-host' } });
});

test('a deployed profile holds the function, the secret and the region', (t) => {
  const path = profilesFile('deployed.json', {
    prod: {
      function: 'appflow-shop',
      secretArn: 'arn:aws:secretsmanager:eu-west-1:1:secret:s',
      region: 'eu-west-1',
      host: 'db',
      database: 'shop',
    },
  });
  t.like(optionsOf(parseCommandLine(['--profile', 'prod', '--profiles', path], {})).target, {
    kind: 'deployed',
    functionName: 'appflow-shop',
    region: 'eu-west-1',
    secretArn: 'arn:aws:secretsmanager:eu-west-1:1:secret:s',
  });
});

test('mistakes in the file are usage errors that name the file, the profile and the key', (t) => {
  const path = profilesFile('mistakes.json', { shop: { hots: 'db' }, other: { port: true } });
  t.throws(() => parseCommandLine(['--profile', 'shp', '--profiles', path], {}), {
    message: `--profile shp: ${path} has no such profile (did you mean shop?) (profiles: shop, other)`,
  });
  t.throws(() => parseCommandLine(['--profile', 'shop', '--profiles', path], {}), {
    message: new RegExp(`profile shop in ${path}: unknown key "hots" \\(did you mean host\\?\\)`),
  });
  t.throws(() => parseCommandLine(['--profile', 'other', '--profiles', path], {}), {
    message: /port must be a string or a number/,
  });
  t.throws(() => parseCommandLine(['--profile', 'x', '--profiles', join(dir, 'missing.json')], {}), {
    message: /does not exist \(make one with --save-profile\)/,
  });
});

test('a password in a file others can read is warned about', (t) => {
  const path = profilesFile(
    'readable.json',
    { shop: { host: 'db', database: 's', user: 'u', password: 'in-the-file' } },
    0o644,
  );
  t.deepEqual(loadProfile(path, 'shop').notes, [
    `${path} holds a password and other users may read it (mode 644): chmod 600 ${path}, or remove the password and use DB_PASSWORD`,
  ]);
  chmodSync(path, 0o600);
  t.deepEqual(loadProfile(path, 'shop').notes, []);
});

test('--save-profile writes the settings without the password unless asked, readable by the owner only; --profile uses them', async (t) => {
  const path = join(dir, 'saved', 'runner-profiles.json');
  const port = await freeLoopbackPort();
  const env = { APPFLOW_RUNNER_PROFILES: path, DB_PASSWORD: 'Never-Store-Me-51f2' };
  const saved = await runRunner(
    [
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--database',
      'shop',
      '--user',
      'reader',
      '--save-profile',
      'local',
    ],
    env,
  );
  t.is(saved.code, 0, saved.stderr);
  t.regex(
    saved.stdout,
    /saved profile local to .*runner-profiles\.json\nuse it with: npm start -- --profile local \(the password from DB_PASSWORD\)/,
  );
  t.is(statSync(path).mode & 0o777, 0o600);
  t.deepEqual(JSON.parse(readFileSync(path, 'utf8')), {
    profiles: { local: { host: '127.0.0.1', port, database: 'shop', user: 'reader' } },
  });

  const used = await runRunner(['--profile', 'local', '--entity', 'orders'], env);
  t.is(used.code, 1);
  t.regex(used.stderr, new RegExp(`ValidateCredentials failed: ServiceUnavailable: .*127\\.0\\.0\\.1:${port}`));

  const withPassword = await runRunner(['--profile', 'local', '--save-profile', 'local', '--save-password'], env);
  t.is(withPassword.code, 0, withPassword.stderr);
  t.is(JSON.parse(readFileSync(path, 'utf8')).profiles.local.password, 'Never-Store-Me-51f2');
  t.is(statSync(path).mode & 0o777, 0o600);
  t.false(withPassword.stdout.includes('Never-Store-Me-51f2'));
});
