/**
 * Loads the BUILT connector bundle (dist/lambda/index.js, run `npm run build` first) and invokes it the way the
 * Lambda runtime does: `handler(event, context)`, then a JSON round trip of the answer. Everything the bundle
 * writes to stdout (its structured logs) is captured, so tests can assert that no secret was ever logged.
 */
import { recordSuiteOutput } from '../../local/secretRegistry';
import {
  type ConnectorBundle,
  DEFAULT_BUNDLE_PATH,
  loadBundle,
  lambdaContext as runtimeContext,
} from '../../runner/transport/bundle';

export type { ConnectorBundle };
export const BUNDLE_PATH = DEFAULT_BUNDLE_PATH;

const captured: string[] = [];
let capturing = false;

/** Routes stdout lines into memory (and to stderr when TEST_SHOW_LOGS is set). */
function captureStdout(): void {
  if (capturing) return;
  capturing = true;
  const original = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const textChunk = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    captured.push(textChunk);
    recordSuiteOutput(textChunk);
    if (process.env.TEST_SHOW_LOGS) process.stderr.write(textChunk);
    const callback = rest.find((item) => typeof item === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof process.stdout.write;
  void original;
}

/**
 * A secret as it would appear in a thrown message (raw) and inside JSON text (answers, log lines): a password may
 * hold a double quote, which JSON escapes, so looking for the raw text alone in JSON would never find it.
 */
export function forbiddenForms(secret: string): string[] {
  return [...new Set([secret, JSON.stringify(secret).slice(1, -1)])];
}

/** True when `text` holds `secret` as written or JSON-escaped (log lines and responses are JSON). */
export function containsSecret(text: string, secret: string): boolean {
  return forbiddenForms(secret).some((form) => text.includes(form));
}

/** Everything the connector logged in this test process so far. */
export function capturedLogs(): string {
  return captured.join('');
}

/**
 * The lines with this `message` the connector logged while `call` ran (parsed), with the call's result. Only for
 * serial tests: a call running beside it in the same process would add its own lines.
 */
export async function logLinesDuring<T>(
  message: string,
  call: () => Promise<T>,
): Promise<{ result: T; lines: Record<string, unknown>[] }> {
  const before = capturedLogs().length;
  const result = await call();
  const lines = capturedLogs()
    .slice(before)
    .split('\n')
    .filter((line) => line.includes(`"message":${JSON.stringify(message)}`))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { result, lines };
}

/** The built bundle, its stdout captured from now on. */
export function loadHandler(): ConnectorBundle {
  captureStdout();
  return loadBundle(BUNDLE_PATH);
}

/** A Lambda context with the given time left. */
export function lambdaContext(remainingMs = 30_000) {
  return runtimeContext({ remainingMs, awsRequestId: 'test-request', functionName: 'appflow-mysql-connector-test' });
}

/** Invokes the handler and returns what AppFlow would receive: the answer after a JSON round trip. */
export async function invoke<T = Record<string, unknown>>(
  bundle: ConnectorBundle,
  event: unknown,
  remainingMs?: number,
): Promise<T> {
  let answer: object;
  try {
    answer = await bundle.handler(event, lambdaContext(remainingMs));
  } catch (error) {
    recordSuiteOutput(`invocation failed: ${String(error)}`);
    throw error;
  }
  const text = JSON.stringify(answer);
  // Every answer goes to the scanned suite output: a secret in a response fails the build.
  recordSuiteOutput(text);
  return JSON.parse(text) as T;
}
