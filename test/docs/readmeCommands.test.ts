/**
 * The documentation cannot drift from the code: every shell command shown in a fenced block of README.md,
 * CONTRIBUTING.md or docs/*.md is in COMMANDS below, which says how it is checked — run here (the fast ones: --help,
 * a flag error), or the test that runs it, or why it cannot run here (it needs AWS). Besides, every `npm start -- …`
 * and `npm run bench -- …` shown is parsed by the real flag parsers (so every flag and value it names exists and is
 * accepted), and every `npm run X` the documentation names is a script of package.json.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { parseBenchFlags } from '../../bench/run';
import { parseCommandLine } from '../../runner/flags';
import { temporaryDirectory } from '../runner/support/cli';
import { npmScriptInvocations, type ShownCommand, shownCommands } from './support/shellCommands';

const ROOT = join(__dirname, '..', '..');

type Coverage =
  /** Run here, as a child process; its output must match. */
  | { readonly run: 'runner' | 'bench'; readonly expect: RegExp; readonly exit?: number }
  /**
   * Run by this test (file, exact title). A test declared once per engine (`${product}: title` in a loop over the
   * registry's engines) is named by its title after the engine's prefix.
   */
  | { readonly test: string; readonly title: string }
  /** Run by this file, which contains this text (CI's script). */
  | { readonly file: string; readonly contains: string }
  /** Cannot run here: why. */
  | { readonly manual: string };

/** Declared once per engine: with no flag for the default engine, with --engine for the others. */
const demo = {
  test: 'test/runner/demo.test.ts',
  title: 'without a database the demo flow runs end to end on a throwaway server and prints the summary',
};
const inAws = 'deploys to or reads from an AWS account';

/**
 * Every command the documentation shows, as shown (one line, without its comment), and how it is checked. A command
 * shown in two places with different meanings (plain `npm start`: the demo, or the entity list with DB_* exported)
 * lists each check.
 */
const COMMANDS: Readonly<Record<string, Coverage | readonly Coverage[]>> = {
  // README.md
  'npm ci && npm start': demo,
  'npm test': { file: '.ci/run', contains: '\nnpm test\n' },
  'terraform init && terraform apply': [
    { manual: inAws },
    {
      test: 'test/modules/terraform-module.test.ts',
      title: 'the module passes its own terraform test against a mocked AWS provider',
    },
  ],
  // docs/deploy.md
  'cd cdktf.out/stacks/appflow-mysql-connector && terraform init && terraform apply': [
    { manual: inAws },
    { test: 'test/modules/terraform-stack.test.ts', title: 'the synthesized stack validates' },
  ],
  'DB_HOST=hr-db.example.internal DB_NAME=hr DB_USERNAME=appflow_reader npm run synth': {
    test: 'test/modules/connector-stack.test.ts',
    title: 'main.ts synthesizes the stack offline, without AWS credentials or database settings',
  },
  'npm run build:module': {
    test: 'test/modules/terraform-module.test.ts',
    title: 'the committed module is what the current construct and Lambda bundle generate',
  },
  'npm run check:module': { file: '.ci/run', contains: '\nnpm run check:module\n' },
  // docs/in-aws.md
  "npm start -- --function appflow-HrMysql --region eu-west-1 --secret-arn 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:appflow!123456789012-HrMysql-HrMysql-profile-AbCdEf' --host hr-db.cluster-abc123.eu-west-1.rds.amazonaws.com --database hr":
    [
      { manual: inAws },
      {
        test: 'test/runner/deployed.test.ts',
        title: 'deployed mode plays the whole flow through the Lambda Invoke API, region taken from the ARN',
      },
    ],
  // docs/troubleshooting.md
  'aws appflow start-flow --flow-name <name>': { manual: inAws },
  // docs/performance.md
  'npm run bench': {
    manual: 'a 1,000,000-row run (~80 s on 2 cores); test/bench/bench.test.ts runs the same code at 3,000 rows',
  },
  'npm run bench -- --rows 100000': {
    test: 'test/bench/support/benchTests.ts',
    title: 'every figure is present and finite',
  },
  'npm run bench -- --rows 100000 --out /tmp/b.json --page-size 1000 --depths 0,0.25,0.5,0.75,1 --tls DISABLED': {
    test: 'test/bench/support/benchTests.ts',
    title: 'the JSON file holds the result and the chart is written beside it',
  },
  'npm run bench -- --engine postgresql': {
    // test/bench/benchPostgresql.test.ts registers these tests for POSTGRESQL.
    test: 'test/bench/support/benchTests.ts',
    title: 'the run names its engine, server and client library',
  },
  'npm run bench -- --help': { run: 'bench', expect: /--rows N\n {6}Rows in the read table/ },
  // docs/runner.md
  'npm ci': { manual: "npm's own install from package-lock.json; .ci/run does it on every CI run" },
  'npm start': [
    demo,
    {
      test: 'test/runner/localFlow.test.ts',
      title: 'without --entity the runner lists the entities and stops; an unknown entity is a clear error',
    },
  ],
  "DEMO_DATABASE_URL='mysql://admin:password@127.0.0.1:3306' npm start -- --tls-mode DISABLED": {
    test: 'test/runner/demoServer.test.ts',
    title: 'DEMO_DATABASE_URL runs the demo on that server, without TLS when --tls-mode DISABLED asks',
  },
  "DEMO_DATABASE_URL='postgresql://admin:password@127.0.0.1:5432/postgres' npm start": {
    test: 'test/runner/demoServer.test.ts',
    title: 'a postgresql:// DEMO_DATABASE_URL picks the PostgreSQL demo; a contradicting --engine is refused',
  },
  'npm start -- --engine postgresql': demo,
  'npm start -- --engine postgresql --schema shop': demo,
  "export DB_HOST=127.0.0.1 DB_PORT=3306 DB_NAME=shop DB_USERNAME=reader DB_PASSWORD='…'": {
    test: 'test/runner/flags.test.ts',
    title: 'one set of variable names with npm run synth: DB_USERNAME and DB_TLS_MODE (DB_USER still read); flags win',
  },
  'npm start -- --entity orders --describe': {
    test: 'test/runner/messages.test.ts',
    title: '--describe shows what DescribeEntity answered, on both engines, and reads nothing',
  },
  'npm start -- --entity orders --out orders.jsonl': {
    test: 'test/runner/localFlow.test.ts',
    title: 'a full flow to JSON Lines reads every row exactly once, page after page',
  },
  'npm start -- --engine postgresql --port 5432 --schema public --entity orders': {
    test: 'test/runner/localFlow.test.ts',
    title: "PostgreSQL: --schema reads that schema's tables",
  },
  'npm start -- --entity orders --fields id,status,total --filter "status = \'paid\'" --incremental-field updated_at --since 2024-03-01T00:00:00Z --until 2024-04-01 --limit 500 --out orders.csv':
    {
      test: 'test/runner/localFlow.test.ts',
      title: 'a filtered incremental flow reads only the rows in the window, with only the chosen fields',
    },
  'npm start -- --entity orders --write-to orders_copy --write-operation UPSERT --batch-size 200': {
    test: 'test/runner/localFlow.test.ts',
    title: 'write-back with UPSERT inserts new rows and updates existing ones in the destination table',
  },
  'npm start -- --host db.internal --database shop --user reader --save-profile shop': {
    test: 'test/runner/profiles.test.ts',
    title:
      '--save-profile writes the settings without the password unless asked, readable by the owner only; --profile uses them',
  },
  "DB_PASSWORD='…' npm start -- --profile shop --entity orders --out orders.jsonl": {
    test: 'test/runner/profiles.test.ts',
    title: 'a profile fills in what flags and variables leave unset: flags > environment > profile',
  },
  "npm start -- --function arn:aws:lambda:eu-west-1:123456789012:function:appflow-mysql-connector --secret-arn 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:appflow!123456789012-shop-AbCdEf' --host shop.cluster-xyz.eu-west-1.rds.amazonaws.com --database shop --entity orders --out orders.jsonl":
    {
      test: 'test/runner/deployed.test.ts',
      title: 'deployed mode plays the whole flow through the Lambda Invoke API, region taken from the ARN',
    },
  'npm start -- --help': {
    run: 'runner',
    expect: /Usage: npm start -- \[flags\][\s\S]*--entity NAME[\s\S]*Exit status:/,
  },
  'npm start -- --entitty orders': {
    run: 'runner',
    exit: 2,
    expect: /^error: unknown flag --entitty \(did you mean --entity\?\)\n/,
  },
};

const coverages = (text: string): readonly Coverage[] => {
  const coverage = COMMANDS[text];
  return coverage === undefined ? [] : Array.isArray(coverage) ? coverage : [coverage as Coverage];
};

function documents(): { file: string; text: string }[] {
  const files = ['README.md', 'CONTRIBUTING.md'];
  if (existsSync(join(ROOT, 'docs'))) {
    for (const name of readdirSync(join(ROOT, 'docs')).sort()) if (name.endsWith('.md')) files.push(`docs/${name}`);
  }
  return files
    .filter((file) => existsSync(join(ROOT, file)))
    .map((file) => ({ file, text: readFileSync(join(ROOT, file), 'utf8') }));
}

const shown: ShownCommand[] = documents().flatMap(({ file, text }) => shownCommands(file, text));

test('every command the documentation shows is listed with how it is checked, and every listed one is still shown', (t) => {
  const texts = new Set(shown.map((command) => command.text));
  const unlisted = shown.filter((command) => !Object.hasOwn(COMMANDS, command.text)).map((c) => `${c.file}: ${c.text}`);
  t.deepEqual(unlisted, [], 'shown in the documentation but not in COMMANDS: add each with how it is checked');
  const stale = Object.keys(COMMANDS).filter((text) => !texts.has(text));
  t.deepEqual(stale, [], 'in COMMANDS but no longer shown: remove them');
});

/** A profiles file holding the profiles the documentation uses, so that `--profile NAME` parses. */
function profilesFile(): string {
  const path = join(temporaryDirectory('docs-profiles'), 'runner-profiles.json');
  writeFileSync(
    path,
    JSON.stringify({ profiles: { shop: { host: 'db.internal', database: 'shop', user: 'reader' } } }),
  );
  return path;
}

test('every npm start command shown is accepted by the runner’s flag parser', (t) => {
  const env = { APPFLOW_RUNNER_PROFILES: profilesFile() };
  let checked = 0;
  for (const command of shown) {
    for (const invocation of npmScriptInvocations(command, 'start')) {
      const expectsError = coverages(command.text).some((coverage) => 'run' in coverage && coverage.exit === 2);
      if (expectsError) continue;
      t.notThrows(
        () => parseCommandLine(invocation.args, { ...env, ...invocation.env }),
        `${command.file}: ${command.text}`,
      );
      checked++;
    }
  }
  t.true(checked >= 5, `${checked} npm start commands checked`);
});

test('every npm run bench command shown is accepted by the benchmark’s flag parser', (t) => {
  let checked = 0;
  for (const command of shown) {
    for (const invocation of npmScriptInvocations(command, 'run bench')) {
      t.notThrows(() => parseBenchFlags(invocation.args), `${command.file}: ${command.text}`);
      checked++;
    }
  }
  t.true(checked >= 1);
});

/** A test declared in a loop over the engines: `\`${product}: title\`` (any variable before the colon). */
function declaredPerEngine(source: string, title: string): boolean {
  const escaped = title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`\`\\$\\{\\w+\\}: ${escaped}\``).test(source);
}

test('commands covered elsewhere name a test (or file) that exists and runs them', (t) => {
  for (const text of Object.keys(COMMANDS))
    for (const coverage of coverages(text)) {
      if ('test' in coverage) {
        const path = join(ROOT, coverage.test);
        t.true(existsSync(path), `${text}: ${coverage.test} exists`);
        const source = existsSync(path) ? readFileSync(path, 'utf8') : '';
        t.true(
          [`'`, '"', '`'].some((quote) => source.includes(`${quote}${coverage.title}${quote}`)) ||
            declaredPerEngine(source, coverage.title),
          `${text}: ${coverage.test} has the test "${coverage.title}"`,
        );
      } else if ('file' in coverage) {
        t.true(
          readFileSync(join(ROOT, coverage.file), 'utf8').includes(coverage.contains),
          `${text}: ${coverage.file} runs it`,
        );
      }
    }
});

function run(kind: 'runner' | 'bench', args: readonly string[], env: Record<string, string>) {
  const script = kind === 'runner' ? 'runner/cli.ts' : 'bench/run.ts';
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', script, ...args],
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

test('the fast commands run and print what the documentation says', async (t) => {
  const runs = shown.flatMap((command) => {
    const coverage = coverages(command.text).find((item) => 'run' in item);
    if (!coverage || !('run' in coverage)) return [];
    const invocations = npmScriptInvocations(command, coverage.run === 'runner' ? 'start' : 'run bench');
    return invocations.map(async (invocation) => {
      const result = await run(coverage.run, invocation.args, invocation.env);
      t.is(result.code, coverage.exit ?? 0, `${command.text}\n${result.stderr}`);
      t.regex(`${result.stdout}${result.stderr}`, coverage.expect, command.text);
    });
  });
  t.true(runs.length >= 2, 'the documentation shows fast commands to run');
  await Promise.all(runs);
});

test('every npm script the documentation names exists', (t) => {
  const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;
  for (const { file, text } of documents()) {
    for (const match of text.matchAll(/npm run ([\w:-]+)/g))
      t.true(Object.hasOwn(scripts, match[1]!), `${file}: npm run ${match[1]}`);
  }
  for (const builtin of ['start', 'test']) t.true(Object.hasOwn(scripts, builtin));
});

test('the two commands open the README, and CI runs the README’s test command', (t) => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const firstBlock = shownCommands('README.md', readme)
    .slice(0, 2)
    .map((command) => command.text);
  t.deepEqual(firstBlock, ['npm ci && npm start', 'npm test']);
  t.is(/^## .*$/m.exec(readme)?.[0], '## The two commands', 'the first section of the README');
  t.regex(readFileSync(join(ROOT, '.ci', 'run'), 'utf8'), /\nnpm test\n/);
});
