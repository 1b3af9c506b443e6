/**
 * `npm run fuzz`'s command line (fuzz/run.ts): `--help` explains every flag, and a mistake is a one-line message
 * with a suggestion and exit status 2, never a stack trace (issue 23, item 8). Nothing here starts a server: the
 * command line is checked first.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import test from 'ava';

const ROOT = resolve(__dirname, '..', '..');

function fuzz(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'fuzz/run.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

test('--help explains every flag and exits 0', (t) => {
  const { status, output } = fuzz('--help');
  t.is(status, 0);
  for (const flag of [
    '--engine',
    '--runs',
    '--minutes',
    '--seed',
    '--only',
    '--include-known-defects',
    '--samples',
    '--help',
  ]) {
    t.regex(output, new RegExp(`^  ${flag}\\b.* \\S`, 'm'), flag);
  }
  t.regex(output, /schemas/);
});

test('an unknown flag says which and suggests the nearest, without a stack trace', (t) => {
  const { status, output } = fuzz('--enigne', 'mysql');
  t.is(status, 2);
  t.is(output.trim(), 'fuzz: unknown flag --enigne (did you mean --engine?); --help lists the flags');
});

test('bad values are named with what is allowed', (t) => {
  const cases: [string[], RegExp][] = [
    [
      ['--engine', 'postgres'],
      /--engine must be one of mysql, postgresql, not "postgres" \(did you mean postgresql\?\)/,
    ],
    [['--minutes', 'soon'], /--minutes must be a positive number, not "soon"/],
    [['--runs', '-5'], /--runs must be a whole number of at least 1/],
    [['--only', 'schema'], /unknown property "schema" \(did you mean schemas\?\)/],
    [['--seed'], /--seed needs a value/],
  ];
  for (const [args, message] of cases) {
    const { status, output } = fuzz(...args);
    t.is(status, 2, args.join(' '));
    t.regex(output, message, args.join(' '));
    t.notRegex(output, /\n\s+at /, 'no stack trace');
  }
});
