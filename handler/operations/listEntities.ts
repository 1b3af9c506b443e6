/**
 * ListEntities: the tables and views of the configured database (never other schemas), in name order, paged by
 * `maxResult` and `nextToken` (the last name of the previous page, base64url-encoded).
 */
import { entityFor } from '../catalog/fieldDefinitions';
import { namespaceProblem } from '../catalog/namespaces';
import { withDatabase } from '../databaseAccess';
import type { OperationContext } from '../dependencies';
import type { Catalog } from '../engines/engine';
import { InvalidArgumentError } from '../errors';
import type { ListEntitiesRequest, ListEntitiesResponse } from '../protocol/codecs';
import { LIMITS } from '../protocol/constants';

const TOKEN_PREFIX = 'e1:';

function notOurToken(): InvalidArgumentError {
  return new InvalidArgumentError('nextToken is not a ListEntities token of this connector');
}

function decodeListToken(token: string | null | undefined): string | null {
  if (!token) return null;
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (
    !text.startsWith(TOKEN_PREFIX) ||
    Buffer.from(text, 'utf8').toString('base64url') !== token ||
    text.length > 200
  ) {
    throw notOurToken();
  }
  return text.slice(TOKEN_PREFIX.length);
}

/** The name is compared with the catalog's names in SQL: a name no table can have is no cursor. */
function checkCursor(name: string | null, catalog: Catalog): string | null {
  if (name !== null && catalog.tableNameProblem(name) !== null) throw notOurToken();
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
  const cursor = decodeListToken(request.nextToken);
  const { connectorRuntimeSettings, credentials } = request.connectorContext;
  return withDatabase(context, connectorRuntimeSettings, credentials, async ({ database, engine, namespace }) => {
    const { catalog } = engine;
    const after = checkCursor(cursor, catalog);
    const pageSize = Math.min(maxResult, 10_000);
    const { tables, hasMore } = await catalog.listTables(
      database,
      namespace,
      after,
      pageSize,
      context.deadline.statementTimeoutMs(),
    );
    // Nothing at all: say so when the namespace itself is wrong (a misspelled schema), rather than list nothing.
    if (after === null && tables.length === 0) {
      const problem = await namespaceProblem(engine, database, namespace, context.deadline.statementTimeoutMs());
      if (problem !== null) throw new InvalidArgumentError(`connectorRuntimeSettings: ${problem}`);
    }
    const last = tables.at(-1);
    return {
      isSuccess: true,
      errorDetails: null,
      entities: tables.map((table) => entityFor(table, namespace)),
      nextToken: hasMore && last ? Buffer.from(TOKEN_PREFIX + last.name, 'utf8').toString('base64url') : null,
      cacheControl: { timeToLive: LIMITS.metadataCacheSeconds, timeToLiveUnit: 'SECONDS' },
    };
  });
}
