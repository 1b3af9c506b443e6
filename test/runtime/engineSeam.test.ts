/**
 * The engine is chosen in one place (handler/engines/index.ts engineFor): a profile naming POSTGRESQL is answered
 * with a clear InvalidArgument by every data and metadata call until that engine is wired, before any secret is
 * read or any connection is opened.
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

test('every call on a POSTGRESQL profile answers InvalidArgument: the engine is not available in this build', async (t) => {
  const events = [
    validateCredentialsEvent(target),
    listEntitiesEvent(target),
    describeEntityEvent(target, 'employees'),
    queryDataEvent(target, 'employees'),
    retrieveDataEvent(target, 'employees', 'id', ['1']),
    writeDataEvent(target, 'employees', 'INSERT', [{ id: 1 }]),
  ];
  for (const event of events) {
    const response = await invoke(bundle, withEngine(event as Record<string, unknown>));
    t.like(
      response,
      {
        isSuccess: false,
        errorDetails: {
          errorCode: 'InvalidArgument',
          errorMessage: 'engine POSTGRESQL is not available in this build',
        },
      },
      String((event as { type: string }).type),
    );
  }
});
