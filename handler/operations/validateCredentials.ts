/**
 * ValidateCredentials: really connects with the secret's credentials (withDatabase probes the pool with a trivial
 * query unless it served one a moment ago) and holds a connection, within the 10-second budget even when the host
 * does not answer (connect timeout 5 s).
 */
import type { OperationContext } from '../dependencies';
import { withDatabase } from '../engines/access';
import type { ValidateCredentialsRequest, ValidateCredentialsResponse } from '../protocol/codecs';

export async function validateCredentials(
  request: ValidateCredentialsRequest,
  context: OperationContext,
): Promise<ValidateCredentialsResponse> {
  await withDatabase(context, request.connectorRuntimeSettings, request.credentials, (database) =>
    database.withConnection(async () => undefined),
  );
  return { isSuccess: true, errorDetails: null };
}
