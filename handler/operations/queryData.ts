/**
 * QueryData: one page of records of a table or view, filtered by AppFlow's filter expression.
 *
 * - The read is planned (../read/plan.ts): selected fields, the filter's condition, and the paging key — chosen so
 *   that a token can carry two values of it within AppFlow's 2,048 characters; without one the read pages by offset.
 * - The page is read (../read/pages.ts): streamed, encoded as rows arrive, ended by size, bytes or time.
 * - The token (../paging/token.ts) is validated against the plan before anything in it is used.
 */

import { tableOf, withDatabase } from '../databaseAccess';
import type { OperationContext } from '../dependencies';
import { ConnectorError, InvalidArgumentError } from '../errors';
import { decodeToken, encodeToken, type PageToken } from '../paging/token';
import type { QueryDataRequest, QueryDataResponse } from '../protocol/codecs';
import { LIMITS } from '../protocol/constants';
import { readKeysetPage, readOffsetPage } from '../read/pages';
import { planRead } from '../read/plan';

/** Whether this instance has said that tokens are signed with the public default key (said once per instance). */
let publicKeyAnnounced = false;

export async function queryData(request: QueryDataRequest, context: OperationContext): Promise<QueryDataResponse> {
  const maxResults = request.maxResults ?? LIMITS.defaultPageSize;
  if (maxResults < 1) throw new InvalidArgumentError('maxResults must be at least 1');
  const { connectorRuntimeSettings, credentials, entityDefinition } = request.connectorContext;
  if (context.tokenKey.publicDefault && !publicKeyAnnounced) {
    publicKeyAnnounced = true;
    context.logger.warn(
      'paging tokens are signed with the public default key: set PAGING_TOKEN_KEY to a secret so that only this ' +
        'deployment can sign them (every token is validated against the query either way)',
    );
  }

  return withDatabase(context, connectorRuntimeSettings, credentials, async (session) => {
    const { database, engine } = session;
    const table = await tableOf(context, session, request.entityIdentifier);
    const plan = planRead(engine, table, {
      selectedFieldNames: request.selectedFieldNames,
      filterExpression: request.filterExpression,
      entityDefinition,
    });

    const token = request.nextToken
      ? decodeToken(context.tokenKey, request.nextToken, {
          query: plan.query,
          mode: plan.keyColumns ? 'keyset' : 'offset',
          keyColumns: plan.keyColumns,
          checkCell: engine.values.checkKeyCell,
          limit: plan.limit,
        })
      : null;
    const remaining = token ? token.remaining : plan.limit;
    const pageTarget = Math.min(maxResults, remaining ?? Number.POSITIVE_INFINITY);

    const page = plan.keyColumns
      ? await readKeysetPage(database, engine, plan, token, pageTarget, context)
      : await readOffsetPage(database, engine, plan, token, pageTarget, context);
    context.phases.lap('read');

    const remainingAfter = remaining === null ? null : remaining - page.records.length;
    const nextToken =
      page.continuation && (remainingAfter === null || remainingAfter > 0)
        ? issueToken(context, { ...page.continuation, remaining: remainingAfter })
        : null;
    context.logger.debug('page read', {
      records: page.records.length,
      bytesAtMost: page.bytesAtMost,
      statements: page.statements,
      endedBy: page.endedBy,
      more: nextToken !== null,
    });
    return { isSuccess: true, errorDetails: null, records: page.records, nextToken };
  });
}

/** Encodes the continuation; the paging key was chosen so that it always fits AppFlow's token size. */
function issueToken(context: OperationContext, token: PageToken): string {
  const text = encodeToken(context.tokenKey, token);
  if (text.length > LIMITS.maxTokenLength) {
    // Unreachable while tokenLengthBound is right: a token AppFlow would refuse is never handed out.
    throw new ConnectorError('ServerError', 'a paging token would exceed 2,048 characters');
  }
  return text;
}
