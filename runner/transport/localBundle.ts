/**
 * Runs a connector bundle (default dist/lambda/index.js) in this process the way the Lambda Node.js runtime does:
 * `handler(event, context)`, the answer serialized to JSON, a thrown error turned into a function error
 * (`Unhandled`, body `{errorType, errorMessage, trace}`). The event itself goes through a JSON round trip first.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { LOCAL_FUNCTION_TIMEOUT_MS } from '../constants';
import { TargetError } from '../errors';
import type { Invocation, Transport } from './types';

interface ConnectorBundle {
  handler(event: unknown, context: unknown): unknown;
  shutdown?: () => Promise<void>;
}

function loadBundle(path: string): ConnectorBundle {
  if (!existsSync(path)) {
    throw new TargetError(`the connector bundle ${path} does not exist: run npm run build first, or pass --bundle`);
  }
  let loaded: unknown;
  try {
    loaded = require(path);
  } catch (error) {
    throw new TargetError(`the connector bundle ${path} could not be loaded: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (typeof (loaded as Partial<ConnectorBundle>)?.handler !== 'function') {
    throw new TargetError(`the connector bundle ${path} does not export a handler(event, context) function`);
  }
  return loaded as ConnectorBundle;
}

let invocationCount = 0;

function lambdaContext() {
  const deadline = Date.now() + LOCAL_FUNCTION_TIMEOUT_MS;
  invocationCount += 1;
  return {
    awsRequestId: `local-runner-${process.pid}-${invocationCount}`,
    functionName: 'local-runner',
    functionVersion: '$LATEST',
    memoryLimitInMB: '1024',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    callbackWaitsForEmptyEventLoop: false,
  };
}

function errorBody(error: unknown) {
  const failure = error instanceof Error ? error : new Error(String(error));
  return {
    errorType: failure.name || 'Error',
    errorMessage: failure.message,
    trace: (failure.stack ?? '').split('\n'),
  };
}

/** A path inside the current directory as a relative one (the project's own bundle: dist/lambda/index.js). */
function shownPath(path: string): string {
  const inside = relative(process.cwd(), path);
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : path;
}

export function createLocalBundleTransport(bundlePath: string): Transport {
  const path = resolve(bundlePath);
  const bundle = loadBundle(path);
  return {
    description: `local bundle ${shownPath(path)}`,
    async invoke(event: object): Promise<Invocation> {
      const requestText = JSON.stringify(event);
      const started = performance.now();
      let body: string;
      let functionError: string | null = null;
      try {
        const answer = await bundle.handler(JSON.parse(requestText), lambdaContext());
        // The runtime answers `null` for undefined; a value JSON cannot represent is a marshalling error.
        try {
          body = JSON.stringify(answer) ?? 'null';
        } catch (error) {
          functionError = 'Unhandled';
          body = JSON.stringify({ errorType: 'Runtime.MarshalError', errorMessage: (error as Error).message });
        }
      } catch (error) {
        functionError = 'Unhandled';
        body = JSON.stringify(errorBody(error));
      }
      const ms = performance.now() - started;
      return {
        payload: JSON.parse(body),
        unparsedBody: null,
        bytes: Buffer.byteLength(body),
        requestBytes: Buffer.byteLength(requestText),
        ms,
        functionError,
      };
    },
    async close() {
      await bundle.shutdown?.();
    },
  };
}
