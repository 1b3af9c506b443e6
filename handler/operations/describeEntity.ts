/** DescribeEntity: the fields of one table or view, with their types and what AppFlow may do with them. */
import { entityFor, fieldDefinitionFor } from '../catalog/fieldDefinitions';
import { tableOf, withDatabase } from '../databaseAccess';
import type { OperationContext } from '../dependencies';
import type { DescribeEntityRequest, DescribeEntityResponse } from '../protocol/codecs';
import { LIMITS } from '../protocol/constants';

export async function describeEntity(
  request: DescribeEntityRequest,
  context: OperationContext,
): Promise<DescribeEntityResponse> {
  const { connectorRuntimeSettings, credentials } = request.connectorContext;
  return withDatabase(context, connectorRuntimeSettings, credentials, async (session) => {
    // Always fresh: a user describing an entity expects to see a column added a minute ago.
    context.tables.forget(session, request.entityIdentifier);
    const table = await tableOf(context, session, request.entityIdentifier);
    return {
      isSuccess: true,
      errorDetails: null,
      entityDefinition: {
        entity: entityFor(table, table.namespace),
        fields: table.columns.map((column) => fieldDefinitionFor(column, table)),
        customProperties: null,
      },
      cacheControl: { timeToLive: LIMITS.metadataCacheSeconds, timeToLiveUnit: 'SECONDS' },
    };
  });
}
