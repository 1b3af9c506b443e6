/**
 * Runs the runner as users do, as a child process (`node --import tsx runner/cli.ts ...` in the repository root),
 * so exit statuses, stdout, stderr and files are real. The child gets no DB_* or AWS_* variables of this process
 * unless a test passes them.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
export { DEFAULT_BUNDLE_PATH as BUNDLE_PATH } from '../../../runner/transport/bundle';

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * At most this many runner processes at once per test file. Each child compiles the runner and loads the bundle and
 * its drivers: a dozen at once on a 2-core machine (two test files run side by side) stretched a first
 * ValidateCredentials past AppFlow's 10 s, which the runner rightly reports as a contract violation. Queued runs wait
 * for a slot; the file takes about as long, since the work is CPU-bound anyway.
 */
const MAX_RUNNERS_AT_ONCE = 2;
let runnersRunning = 0;
const waitingForSlot: (() => void)[] = [];

async function withRunnerSlot<T>(work: () => Promise<T>): Promise<T> {
  if (runnersRunning >= MAX_RUNNERS_AT_ONCE) await new Promise<void>((resolveSlot) => waitingForSlot.push(resolveSlot));
  else runnersRunning++;
  try {
    return await work();
  } finally {
    const next = waitingForSlot.shift();
    if (next) next();
    else runnersRunning--;
  }
}

export function runRunner(args: readonly string[], env: Record<string, string> = {}): Promise<RunResult> {
  return withRunnerSlot(() => spawnRunner(args, env));
}

function spawnRunner(args: readonly string[], env: Record<string, string>): Promise<RunResult> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('DB_') && !key.startsWith('AWS_')),
  ) as Record<string, string>;
  return new Promise((resolvePromise, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'runner/cli.ts', ...args],
      { cwd: REPO_ROOT, env: { ...inherited, ...env }, timeout: 90_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        if (code === null) {
          reject(new Error(`the runner did not exit normally: ${String(error)}\n${stderr}`));
          return;
        }
        resolvePromise({ code, stdout, stderr });
      },
    );
  });
}

/** A temporary directory removed when the test process exits. */
export function temporaryDirectory(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The `"id":<digits>` values of JSON Lines output, as text (order ids are beyond 2^53). */
export function idsOf(jsonLines: string): string[] {
  return jsonLines
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const match = /"id":(\d+)/.exec(line);
      if (!match) throw new Error(`no id in ${line}`);
      return match[1]!;
    });
}
