/**
 * RetrieveData: the records whose `idFieldName` equals one of `ids` (AppFlow sends ids as strings, even for
 * numeric keys). Same value rendering as QueryData; no paging, so the answer must fit one response.
 */

import { withDatabase } from '../db/access';
import type { ColumnMeta } from '../db/columns';
import { floatCondition } from '../db/floats';
import { quoteIdentifier } from '../db/identifiers';
import type { SqlParam } from '../db/pool';
import { createRecordEncoder, resolveSelectedColumns, selectExpression, serializedRecordBytes } from '../db/records';
import type { OperationContext } from '../dependencies';
import { InvalidArgumentError } from '../errors';
import { keyPlaceholder } from '../paging/keyset';
import type { RetrieveDataRequest, RetrieveDataResponse } from '../protocol/codecs';
import { LIMITS } from '../protocol/constants';
import { allowedFieldNames } from './queryData';

/** An id given as text, checked against the id column's type. */
function idParam(id: string, column: ColumnMeta): SqlParam {
  const bad = () =>
    new InvalidArgumentError(`ids: "${id.slice(0, 64)}" is not a valid value for field "${column.name}"`);
  switch (column.kind) {
    case 'integer':
    case 'year':
      if (!/^-?\d{1,20}$/.test(id)) throw bad();
      return id;
    case 'decimal':
      if (!/^-?\d{1,65}(\.\d{1,30})?$/.test(id)) throw bad();
      return id;
    case 'float':
    case 'double': {
      if (!/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(id) || !Number.isFinite(Number(id))) throw bad();
      // The stored value a record shows as `id`, or null when no stored value shows so (e.g. 0.10000000001).
      const match = floatCondition(column.kind === 'float' ? 'single' : 'double', '=', id);
      return typeof match === 'string' ? null : match.value;
    }
    case 'boolean-int':
    case 'boolean-bit':
      if (!/^(true|false|0|1)$/i.test(id)) throw bad();
      return /^(true|1)$/i.test(id) ? 1 : 0;
    case 'bytes':
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(id)) throw bad();
      return Buffer.from(id, 'base64');
    case 'json':
    case 'spatial':
      throw new InvalidArgumentError(`idFieldName: field "${column.name}" cannot be used to look records up`);
    default:
      return id;
  }
}

export async function retrieveData(
  request: RetrieveDataRequest,
  context: OperationContext,
): Promise<RetrieveDataResponse> {
  const ids = request.ids ?? [];
  if (ids.length > LIMITS.maxRetrieveIds) {
    throw new InvalidArgumentError(`ids: at most ${LIMITS.maxRetrieveIds} ids per request, got ${ids.length}`);
  }
  const { connectorRuntimeSettings, credentials, entityDefinition } = request.connectorContext;
  return withDatabase(context, connectorRuntimeSettings, credentials, async (database) => {
    const table = await context.tables.get(database, request.entityIdentifier, context.deadline.statementTimeoutMs());
    const allowed = allowedFieldNames(entityDefinition);
    const selected = resolveSelectedColumns(table.columnsByName, table.columns, request.selectedFieldNames, allowed);
    const idFieldName = request.idFieldName ?? (table.primaryKey.length === 1 ? table.primaryKey[0]! : null);
    if (!idFieldName) {
      throw new InvalidArgumentError('idFieldName is required for an entity without a single-column primary key');
    }
    const idColumn = table.columnsByName.get(idFieldName);
    if (!idColumn || (allowed && !allowed.has(idFieldName))) {
      throw new InvalidArgumentError(`idFieldName: "${idFieldName.slice(0, 64)}" is not a field of this entity`);
    }
    if (ids.length === 0 || selected.length === 0) return { isSuccess: true, errorDetails: null, records: [] };
    const column = quoteIdentifier(idColumn.name);
    // Every id is checked first, so that a bad one is an error whatever the others are.
    const checked = [...new Set(ids)].map((id) => idParam(id, idColumn));
    const params = [...new Set(checked.filter((param) => param !== null))];
    let where: string;
    if (idColumn.kind === 'boolean-int' || idColumn.kind === 'boolean-bit') {
      // As records show it: true is any non-zero value (a TINYINT(1) may hold 2 or -1).
      where = params.length === 2 ? `${column} IS NOT NULL` : params[0] === 1 ? `${column} <> 0` : `${column} = 0`;
      params.length = 0;
    } else {
      if (params.length === 0) return { isSuccess: true, errorDetails: null, records: [] };
      const placeholder = keyPlaceholder(idColumn);
      where = `${column} IN (${params.map(() => placeholder).join(', ')})`;
    }
    const rows = await database.execute<unknown[][]>(
      `SELECT ${selected.map(selectExpression).join(', ')} FROM ${quoteIdentifier(table.name)} ` +
        `WHERE ${where} ORDER BY ${column}`,
      params,
      { rowsAsArray: true, timeoutMs: context.deadline.statementTimeoutMs() },
    );
    const encode = createRecordEncoder(selected);
    const records = rows.map(encode);
    const bytes = records.reduce((total, record) => total + serializedRecordBytes(record), 0);
    if (bytes > LIMITS.responseBudgetBytes) {
      throw new InvalidArgumentError(
        `the ${records.length} records are ${bytes} bytes once serialized, more than one response can carry; ask for fewer ids`,
      );
    }
    return { isSuccess: true, errorDetails: null, records };
  });
}
