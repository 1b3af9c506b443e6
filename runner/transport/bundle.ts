/**
 * The built connector bundle (dist/lambda/index.js, `npm run build`) loaded into this process, and the Lambda
 * context the runtime hands its handler: one loader for the runner, the tests, the benchmark and the fuzzer.
 * What each does with the bundle's stdout (captured by the tests, dropped by the benchmark) stays with it.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The project's own bundle, wherever the process is started from. */
export const DEFAULT_BUNDLE_PATH = resolve(__dirname, '..', '..', 'dist', 'lambda', 'index.js');

/** What the bundle exports (scripts/build-lambda.mjs). */
export interface ConnectorBundle {
  handler(event: unknown, context?: unknown): Promise<object>;
  shutdown(): Promise<void>;
}

/** The bundle is missing, cannot be loaded or exports no handler; the message says which and what to do. */
export class BundleLoadError extends Error {
  constructor(
    message: string,
    readonly missing: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'BundleLoadError';
  }
}

/** Loads the bundle at `path` (Node's module cache: once per process). Throws BundleLoadError. */
export function loadBundle(path: string = DEFAULT_BUNDLE_PATH): ConnectorBundle {
  if (!existsSync(path)) {
    throw new BundleLoadError(`the connector bundle ${path} does not exist: run npm run build first`, true);
  }
  let loaded: unknown;
  try {
    loaded = require(path);
  } catch (error) {
    throw new BundleLoadError(`the connector bundle ${path} could not be loaded: ${(error as Error).message}`, false, {
      cause: error,
    });
  }
  if (typeof (loaded as Partial<ConnectorBundle>)?.handler !== 'function') {
    throw new BundleLoadError(`the connector bundle ${path} does not export a handler(event, context) function`, false);
  }
  return loaded as ConnectorBundle;
}

export interface LambdaContextOptions {
  /** Time left when the call starts (AppFlow's data calls: 30 s). */
  readonly remainingMs?: number;
  readonly awsRequestId?: string;
  readonly functionName?: string;
}

/** A Lambda context whose `getRemainingTimeInMillis` counts down from `remainingMs`, as the runtime's does. */
export function lambdaContext(options: LambdaContextOptions = {}) {
  const deadline = Date.now() + (options.remainingMs ?? 30_000);
  return {
    awsRequestId: options.awsRequestId ?? 'local-request',
    functionName: options.functionName ?? 'appflow-mysql-connector-local',
    functionVersion: '$LATEST',
    memoryLimitInMB: '1024',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    callbackWaitsForEmptyEventLoop: false,
  };
}
