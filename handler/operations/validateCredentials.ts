/**
 * ValidateCredentials: really connects with the secret's credentials (withDatabase probes the pool with a trivial
 * query unless it served one a moment ago) and holds a connection, within the 10-second budget even when the host
 * does not answer (connect timeout 5 s). It also checks that the profile's namespace exists and can be used (a
 * misspelled PostgreSQL schema is named, with the schemas the user can see): the one validation that connects.
 */
import { namespaceProblem } from '../catalog/namespaces';
import { withDatabase } from '../databaseAccess';
import type { OperationContext } from '../dependencies';
import { InvalidArgumentError } from '../errors';
import type { ValidateCredentialsRequest, ValidateCredentialsResponse } from '../protocol/codecs';

export async function validateCredentials(
  request: ValidateCredentialsRequest,
  context: OperationContext,
): Promise<ValidateCredentialsResponse> {
  await withDatabase(
    context,
    request.connectorRuntimeSettings,
    request.credentials,
    async ({ database, engine, namespace }) => {
      const problem = await database.withConnection((connection) =>
        namespaceProblem(engine, connection, namespace, context.deadline.statementTimeoutMs()),
      );
      if (problem !== null) throw new InvalidArgumentError(`connectorRuntimeSettings: ${problem}`);
    },
  );
  return { isSuccess: true, errorDetails: null };
}
