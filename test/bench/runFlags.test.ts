/**
 * `npm run bench`'s command line: a mistyped flag is one line with a suggestion and exit status 2 (no stack trace),
 * and --help explains every flag. Neither needs a database server.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import test from 'ava';
import { BENCH_FLAGS, benchHelp, parseBenchFlags } from '../../bench/run';

const REPO_ROOT = join(__dirname, '..', '..');

function runBench(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'bench/run.ts', ...args],
      { cwd: REPO_ROOT },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

test('an unknown flag says "did you mean" and exits 2, without a stack trace', async (t) => {
  const result = await runBench(['--rowz', '1000']);
  t.is(result.code, 2);
  t.is(
    result.stderr,
    'error: unknown flag --rowz (did you mean --rows?)\nRun npm run bench -- --help to see every flag.\n',
  );
  t.is(result.stdout, '');
});

test('bad values are one line each', (t) => {
  t.throws(() => parseBenchFlags(['--engine', 'oracle']), {
    message: '--engine must be mysql or postgresql, not "oracle"',
  });
  t.throws(() => parseBenchFlags(['--tls', 'VERIFY_IDENTITY']), {
    message: '--tls must be REQUIRED or DISABLED, not "VERIFY_IDENTITY"',
  });
  t.throws(() => parseBenchFlags(['--rows', 'many']), { message: '--rows must be a number, not "many"' });
  t.throws(() => parseBenchFlags(['--rows']), { message: '--rows needs a value' });
  t.throws(() => parseBenchFlags(['100000']), { message: 'unexpected argument "100000": every value follows a flag' });
  t.like(parseBenchFlags(['--engine', 'postgresql', '--rows', '100_000']), {
    options: { engine: 'POSTGRESQL', rows: 100000 },
  });
});

test('--help explains every flag and exits 0', async (t) => {
  const result = await runBench(['--help']);
  t.is(result.code, 0);
  t.is(result.stdout, benchHelp());
  for (const [name, spec] of Object.entries(BENCH_FLAGS)) {
    t.regex(
      result.stdout,
      new RegExp(`\\n  --${name}\\b.*\\n {6}${spec.description.slice(0, 20).replace(/[()|.,]/g, '\\$&')}`),
      name,
    );
  }
});
