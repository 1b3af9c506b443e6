/**
 * Runs a connector bundle (default dist/lambda/index.js) in this process the way the Lambda Node.js runtime does:
 * `handler(event, context)`, the answer serialized to JSON, a thrown error turned into a function error
 * (`Unhandled`, body `{errorType, errorMessage, trace}`). The event itself goes through a JSON round trip first.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { LOCAL_FUNCTION_TIMEOUT_MS } from '../constants';
import { TargetError } from '../errors';
import { BundleLoadError, type ConnectorBundle, lambdaContext, loadBundle } from './bundle';
import type { Invocation, Transport } from './types';

let invocationCount = 0;

/** The bundle, its failures to load told as the runner tells problems with the target. */
function loadLocalBundle(path: string): ConnectorBundle {
  try {
    return loadBundle(path);
  } catch (error) {
    if (!(error instanceof BundleLoadError)) throw error;
    throw new TargetError(error.missing ? `${error.message}, or pass --bundle` : error.message, { cause: error.cause });
  }
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
  const bundle = loadLocalBundle(path);
  return {
    description: `local bundle ${shownPath(path)}`,
    async invoke(event: object): Promise<Invocation> {
      const requestText = JSON.stringify(event);
      const started = performance.now();
      let body: string;
      let functionError: string | null = null;
      try {
        invocationCount += 1;
        const context = lambdaContext({
          remainingMs: LOCAL_FUNCTION_TIMEOUT_MS,
          awsRequestId: `local-runner-${process.pid}-${invocationCount}`,
          functionName: 'local-runner',
        });
        const answer = await bundle.handler(JSON.parse(requestText), context);
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
      // A bundle given with --bundle may export no shutdown.
      await (bundle as Partial<ConnectorBundle>).shutdown?.();
    },
  };
}
