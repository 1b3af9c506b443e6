/**
 * The built connector as the Lambda runtime sees it: `handler(event, context)` from the bundle, answered objects
 * serialized with JSON.stringify. Events are the runner's (runner/events.ts), shaped as AppFlow sends them.
 */
import {
  type ConnectionTarget,
  describeConnectorConfigurationEvent,
  type FlowIdentity,
  profileFor,
  queryDataEvent as queryData,
  secretArnFor,
  writeDataEvent as writeData,
} from '../runner/events';
import {
  type ConnectorBundle,
  DEFAULT_BUNDLE_PATH,
  loadBundle as loadBuilt,
  lambdaContext as runtimeContext,
} from '../runner/transport/bundle';

export {
  type ConnectionTarget,
  type ConnectorBundle,
  DEFAULT_BUNDLE_PATH,
  describeConnectorConfigurationEvent,
  secretArnFor,
};

const BENCH_FLOW: FlowIdentity = {
  executionId: '3f0f6e4c-9b7a-4d7e-8a53-2b1c0d9e7f11',
  flowName: 'bench-flow',
  profileLabel: 'bench-profile',
};

export function queryDataEvent(target: ConnectionTarget, entity: string, maxResults: number, nextToken: string | null) {
  const page = {
    entityDefinition: null,
    entityIdentifier: entity,
    selectedFieldNames: null,
    filterExpression: null,
    maxResults,
    nextToken,
  };
  return queryData(profileFor(target), BENCH_FLOW, page);
}

export function writeDataEvent(
  target: ConnectionTarget,
  entity: string,
  operation: 'INSERT' | 'UPSERT',
  records: readonly string[],
  idFieldNames: readonly string[] | null,
) {
  const batch = {
    entityDefinition: null,
    entityIdentifier: entity,
    operation,
    idFieldNames,
    records,
    allOrNone: false,
  };
  return writeData(profileFor(target), BENCH_FLOW, batch);
}

/** A Lambda context with 30 s left, like AppFlow's data-call budget. */
export function lambdaContext(remainingMs = 30_000) {
  return runtimeContext({ remainingMs, awsRequestId: 'bench-request', functionName: 'appflow-mysql-connector-bench' });
}

let quieted = false;

/**
 * The connector logs one JSON line per request to stdout (CloudWatch in Lambda). In the benchmark's own process
 * those lines are dropped so the terminal shows only the report; the write still happens, as in Lambda.
 */
function quietConnectorLogs(): void {
  if (quieted) return;
  quieted = true;
  const original = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    if (typeof chunk === 'string' && chunk.startsWith('{"timestamp":')) {
      const callback = rest.find((item) => typeof item === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }
    return original(chunk as never, ...(rest as []));
  }) as typeof process.stdout.write;
}

/** Loads the bundle into this process (set the Secrets Manager environment first). */
export function loadBundle(bundlePath: string): ConnectorBundle {
  quietConnectorLogs();
  return loadBuilt(bundlePath);
}

/** One call as the runtime makes it: the handler's answer and its serialization. */
export async function invokeSerialized(
  bundle: ConnectorBundle,
  event: unknown,
): Promise<{ response: Record<string, unknown>; serialized: string }> {
  const response = (await bundle.handler(event, lambdaContext())) as Record<string, unknown>;
  const serialized = JSON.stringify(response);
  return { response, serialized };
}

/** Throws with the connector's error when an answer is not a success. */
export function expectSuccess(response: Record<string, unknown>, what: string): void {
  if (response.isSuccess !== true) {
    throw new Error(`${what} failed: ${JSON.stringify(response.errorDetails ?? response).slice(0, 500)}`);
  }
}
