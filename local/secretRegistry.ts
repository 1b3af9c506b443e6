/**
 * Records every password, secret string and token that tests, the runner or the benchmark create, when
 * SUITE_SECRETS_DIR is set (the test command sets it). After the suite, scripts/run-tests.mjs scans everything the
 * suite printed and every captured connector log and response for these values: finding one fails the build.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export function registerTestSecret(value: string): void {
  const dir = process.env.SUITE_SECRETS_DIR;
  if (!dir || value.length < 6) return;
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, `secrets-${process.pid}.jsonl`), JSON.stringify(value) + '\n');
}

/** Appends text the suite produced (connector logs, responses, error messages) to the scanned output. */
export function recordSuiteOutput(text: string): void {
  const dir = process.env.SUITE_SECRETS_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, `output-${process.pid}.log`), text.endsWith('\n') ? text : text + '\n');
}
