/**
 * ListEntities: the tables and views of the configured database (never other schemas), in name order, paged by
 * `maxResult` and `nextToken` (the last name of the previous page, base64url-encoded).
 */
import { withDatabase } from '../db/access';
import { entityFor } from '../db/fieldDefinitions';
import { hasCharactersOutsideBmp } from '../db/identifiers';
import { listTables } from '../db/schema';
import type { OperationContext } from '../dependencies';
import { InvalidArgumentError } from '../errors';
import type { ListEntitiesRequest, ListEntitiesResponse } from '../protocol/codecs';
import { LIMITS } from '../protocol/constants';

const TOKEN_PREFIX = 'e1:';

function decodeListToken(token: string | null | undefined): string | null {
  if (!token) return null;
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const name = text.slice(TOKEN_PREFIX.length);
  // The name is compared with information_schema's utf8mb3 names in SQL: a character beyond that is no cursor.
  if (
    !text.startsWith(TOKEN_PREFIX) ||
    Buffer.from(text, 'utf8').toString('base64url') !== token ||
    text.length > 200 ||
    hasCharactersOutsideBmp(name)
  ) {
    throw new InvalidArgumentError('nextToken is not a ListEntities token of this connector');
  }
  return name;
}

export async function listEntities(
  request: ListEntitiesRequest,
  context: OperationContext,
): Promise<ListEntitiesResponse> {
  const maxResult = request.maxResult ?? LIMITS.defaultPageSize;
  if (maxResult < 1) throw new InvalidArgumentError('maxResult must be at least 1');
  // Tables are not folders: a path means AppFlow asks for children of an entity, and there are none.
  if (request.entitiesPath) {
    return { isSuccess: true, errorDetails: null, entities: [], nextToken: null, cacheControl: null };
  }
  const after = decodeListToken(request.nextToken);
  const { connectorRuntimeSettings, credentials } = request.connectorContext;
  return withDatabase(context, connectorRuntimeSettings, credentials, async (database) => {
    const pageSize = Math.min(maxResult, 10_000);
    const { tables, hasMore } = await listTables(
      database,
      database.settings.database,
      after,
      pageSize,
      context.deadline.statementTimeoutMs(),
    );
    const last = tables.at(-1);
    return {
      isSuccess: true,
      errorDetails: null,
      entities: tables.map((table) => entityFor(table, database.settings.database)),
      nextToken: hasMore && last ? Buffer.from(TOKEN_PREFIX + last.name, 'utf8').toString('base64url') : null,
      cacheControl: { timeToLive: LIMITS.metadataCacheSeconds, timeToLiveUnit: 'SECONDS' },
    };
  });
}
