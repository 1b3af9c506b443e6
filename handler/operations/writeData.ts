/**
 * WriteData: INSERT, UPDATE, UPSERT or DELETE records into a table, with one result per record in request order.
 * The semantics (order, batching, allOrNone, per-record failures, time budget) are those of the write path,
 * handler/write/batch.ts.
 */

import { tableOf, withDatabase } from '../databaseAccess';
import type { OperationContext } from '../dependencies';
import { InvalidArgumentError } from '../errors';
import type { WriteDataRequest, WriteDataResponse } from '../protocol/codecs';
import { allowedFieldNames } from '../read/plan';
import { writeRecords } from '../write/batch';

export async function writeData(request: WriteDataRequest, context: OperationContext): Promise<WriteDataResponse> {
  const operation = request.operation;
  if (!operation) throw new InvalidArgumentError('operation is required: one of INSERT, UPDATE, UPSERT, DELETE');
  const texts = request.records ?? [];
  if (texts.length === 0) return { isSuccess: true, errorDetails: null, writeRecordResults: [] };
  const { connectorRuntimeSettings, credentials, entityDefinition } = request.connectorContext;

  return withDatabase(context, connectorRuntimeSettings, credentials, async (session) => {
    const { database, engine } = session;
    const table = await tableOf(context, session, request.entityIdentifier);
    const { response, batchFailure } = await writeRecords(
      database,
      engine,
      table,
      {
        operation,
        idFieldNames: request.idFieldNames,
        allowed: allowedFieldNames(entityDefinition),
        allOrNone: request.allOrNone === true,
        records: texts,
      },
      context,
    );
    context.phases.lap('write');
    if (batchFailure) context.logger.warn('write batch stopped', { code: batchFailure.code });
    // The table or one of its columns is gone: read its definition again next time.
    if (batchFailure?.code === 'ResourceNotFoundError') context.tables.forget(session, table.name);
    return response;
  });
}
