/**
 * ValidateCredentials: really connects with the secret's credentials and runs a trivial query, within the 10-second
 * budget even when the host does not answer (connect timeout 5 s).
 */
import { withDatabase } from '../db/access';
import type { OperationContext } from '../dependencies';
import type { ValidateCredentialsRequest, ValidateCredentialsResponse } from '../protocol/codecs';

export async function validateCredentials(
  request: ValidateCredentialsRequest,
  context: OperationContext,
): Promise<ValidateCredentialsResponse> {
  await withDatabase(context, request.connectorRuntimeSettings, request.credentials, (database) =>
    database.execute('SELECT 1', [], { timeoutMs: context.deadline.statementTimeoutMs() }),
  );
  return { isSuccess: true, errorDetails: null };
}
