/**
 * The engine is chosen in one place (handler/engines/index.ts engineFor): a profile naming POSTGRESQL reaches the
 * PostgreSQL engine on every data and metadata call (test/engines/postgresql/operations.test.ts covers what it does there);
 * here, with nothing to reach, every call gets on as far as the secret.
 */
import test from 'ava';
import {
  describeEntityEvent,
  listEntitiesEvent,
  queryDataEvent,
  retrieveDataEvent,
  secretArnFor,
  validateCredentialsEvent,
  writeDataEvent,
} from '../support/events';
import { invoke, loadHandler } from '../support/lambda';

const bundle = loadHandler();

// Nothing listens there and the secret does not exist: the answer must come before either is tried.
const target = { host: '127.0.0.1', port: 9, database: 'hr', secretArn: secretArnFor('no-such-secret') };
const postgresql = { engine: 'POSTGRESQL', schema: 'payroll' };

function withEngine(event: Record<string, unknown>): Record<string, unknown> {
  if ('connectorRuntimeSettings' in event) {
    return { ...event, connectorRuntimeSettings: { ...(event.connectorRuntimeSettings as object), ...postgresql } };
  }
  const context = event.connectorContext as { connectorRuntimeSettings: object };
  return {
    ...event,
    connectorContext: {
      ...context,
      connectorRuntimeSettings: { ...context.connectorRuntimeSettings, ...postgresql },
    },
  };
}

test('every call on a POSTGRESQL profile is served by an engine: none is refused as unavailable', async (t) => {
  const events = [
    validateCredentialsEvent(target),
    listEntitiesEvent(target),
    describeEntityEvent(target, 'employees'),
    queryDataEvent(target, 'employees'),
    retrieveDataEvent(target, 'employees', 'id', ['1']),
    writeDataEvent(target, 'employees', 'INSERT', [{ id: 1 }]),
  ];
  for (const event of events) {
    const response = await invoke<{ isSuccess: boolean; errorDetails: { errorMessage: string } }>(
      bundle,
      withEngine(event as Record<string, unknown>),
    );
    const type = String((event as { type: string }).type);
    t.false(response.isSuccess, type);
    t.notRegex(response.errorDetails.errorMessage, /not available/, type);
    // No Secrets Manager endpoint in this file: the call got past engine selection to reading the secret.
    t.regex(response.errorDetails.errorMessage, /Secrets Manager/, type);
  }
});
