/**
 * Output files as a user meets them: a relative --out lands where `npm start` was typed (npm's INIT_CWD), a run that
 * fails or is interrupted never replaces a previous file, the rows it did read are kept in a .partial file that
 * says what it is, and output files are ignored by git.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { BUNDLE_PATH, idsOf, REPO_ROOT, runRunner, temporaryDirectory } from './support/cli';
import { type RunnerStage, startRunnerStage } from './support/stage';

const dir = temporaryDirectory('runner-output');
let stage: RunnerStage<'MYSQL'>;

test.before(async () => {
  stage = await startRunnerStage('MYSQL');
});

test.after.always(async () => {
  await stage?.teardown();
});

/** A bundle that answers the first QueryData page, then fails (`throw`) or interrupts the runner (`interrupt`). */
function bundleFailingOnSecondPage(how: 'throw' | 'interrupt'): string {
  const path = join(dir, `second-page-${how}.js`);
  const failure =
    how === 'throw'
      ? `throw new Error('the second page failed');`
      : `process.kill(process.pid, 'SIGINT'); return new Promise(() => {});`;
  writeFileSync(
    path,
    `'use strict';
const real = require(${JSON.stringify(BUNDLE_PATH)});
exports.handler = async (event, context) => {
  if (event.type === 'QueryDataRequest' && event.nextToken) { ${failure} }
  return real.handler(event, context);
};
exports.shutdown = () => real.shutdown();
`,
  );
  return path;
}

test('a relative --out is written in the directory npm start was typed in (INIT_CWD)', async (t) => {
  const userDir = temporaryDirectory('runner-user-dir');
  const result = await runRunner([...stage.localArgs, '--entity', 'customers', '--out', 'customers.jsonl'], {
    ...stage.env,
    INIT_CWD: userDir,
  });
  t.is(result.code, 0, result.stderr);
  t.is(idsOf(readFileSync(join(userDir, 'customers.jsonl'), 'utf8')).length, 40);
  t.false(existsSync(join(REPO_ROOT, 'customers.jsonl')));
  t.false(existsSync(join(userDir, 'customers.jsonl.partial')));
  t.regex(
    result.stdout,
    new RegExp(
      `output\\s+${userDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/customers\\.jsonl \\(JSON Lines, 40 rows\\)`,
    ),
  );
});

test('a run that fails before any row leaves the previous file as it was', async (t) => {
  const out = join(dir, 'kept.csv');
  writeFileSync(out, 'the previous export\n');
  const result = await runRunner([...stage.localArgs, '--entity', 'no_such_table', '--out', out], stage.env);
  t.is(result.code, 1);
  t.is(readFileSync(out, 'utf8'), 'the previous export\n');
  t.false(existsSync(`${out}.partial`));
  t.regex(
    result.stdout,
    /output\s+.*kept\.csv \(CSV, 0 rows\) — the run did not finish: .*kept\.csv was left as it was/,
  );
});

test('a run that fails midway keeps the rows read in a .partial file and says so; the previous file stays', async (t) => {
  const out = join(dir, 'midway.jsonl');
  writeFileSync(out, '{"previous":true}\n');
  const result = await runRunner(
    [
      ...stage.localArgs,
      '--bundle',
      bundleFailingOnSecondPage('throw'),
      '--entity',
      'orders',
      '--page-size',
      '10',
      '--out',
      out,
    ],
    stage.env,
  );
  t.is(result.code, 1);
  t.is(readFileSync(out, 'utf8'), '{"previous":true}\n');
  t.is(idsOf(readFileSync(`${out}.partial`, 'utf8')).length, 10);
  t.regex(
    result.stdout,
    /the run did not finish: the 10 rows read so far are in .*midway\.jsonl\.partial \(incomplete\); .*midway\.jsonl was left as it was/,
  );
});

test('an interrupted run says the rows so far are in an incomplete .partial file', async (t) => {
  const out = join(dir, 'interrupted.jsonl');
  const result = await runRunner(
    [
      ...stage.localArgs,
      '--bundle',
      bundleFailingOnSecondPage('interrupt'),
      '--entity',
      'orders',
      '--page-size',
      '10',
      '--out',
      out,
    ],
    stage.env,
  );
  t.is(result.code, 130);
  t.false(existsSync(out));
  t.is(idsOf(readFileSync(`${out}.partial`, 'utf8')).length, 10);
  t.regex(result.stderr, /interrupted — the 10 rows read so far are in .*interrupted\.jsonl\.partial \(incomplete\)/);
});

test('CSV and JSON Lines outputs (and their .partial files) are ignored by git', (t) => {
  const ignored = execFileSync(
    'git',
    ['check-ignore', '--no-index', 'orders.csv', 'sub/dir/rows.jsonl', 'orders.jsonl.partial'],
    {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    },
  );
  t.deepEqual(ignored.trim().split('\n'), ['orders.csv', 'sub/dir/rows.jsonl', 'orders.jsonl.partial']);
});
