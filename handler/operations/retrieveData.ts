/**
 * RetrieveData: the records whose `idFieldName` equals one of `ids` (AppFlow sends ids as strings, even for
 * numeric keys). Same value rendering as QueryData; no paging, so the answer must fit one response.
 */

import { tableOf, withDatabase } from '../databaseAccess';
import type { OperationContext } from '../dependencies';
import type { ColumnMeta, Condition, Literal } from '../engines/engine';
import { InvalidArgumentError } from '../errors';
import type { RetrieveDataRequest, RetrieveDataResponse } from '../protocol/codecs';
import { LIMITS } from '../protocol/constants';
import { allowedFieldNames } from '../read/plan';
import { resolveSelectedColumns, serializedRecordBytes } from '../read/records';
import { floatCondition } from '../values/floats';

/**
 * An id given as text, checked against the id column's type: the literal it matches, `true`/`false` for a Boolean
 * column, or null when no stored value can show as it.
 */
function idLiteral(id: string, column: ColumnMeta): Literal | boolean | null {
  const bad = () =>
    new InvalidArgumentError(`ids: "${id.slice(0, 64)}" is not a valid value for field "${column.name}"`);
  if (!column.comparable) {
    throw new InvalidArgumentError(`idFieldName: field "${column.name}" cannot be used to look records up`);
  }
  switch (column.dataType) {
    case 'Integer':
    case 'Long':
    case 'Short':
    case 'BigInteger':
      if (!/^-?\d{1,20}$/.test(id)) throw bad();
      return { kind: 'exact', text: id, scale: 0 };
    case 'BigDecimal':
      if (!/^-?\d{1,65}(\.\d{1,30})?$/.test(id)) throw bad();
      return { kind: 'exact', text: id, scale: column.numericScale ?? 0 };
    case 'Float':
    case 'Double': {
      if (!/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(id) || !Number.isFinite(Number(id))) throw bad();
      // The stored value a record shows as `id`, or null when no stored value shows so (e.g. 0.10000000001).
      const match = floatCondition(column.dataType === 'Float' ? 'single' : 'double', '=', id);
      return typeof match === 'string' ? null : { kind: 'float', value: match.value };
    }
    case 'Boolean':
      if (!/^(true|false|0|1)$/i.test(id)) throw bad();
      return /^(true|1)$/i.test(id);
    case 'ByteArray':
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(id)) throw bad();
      return { kind: 'bytes', value: Buffer.from(id, 'base64') };
    default:
      return { kind: 'text', value: id };
  }
}

function sameLiteral(left: Literal, right: Literal): boolean {
  if (left.kind !== right.kind) return false;
  if (left.kind === 'bytes') return left.value.equals((right as typeof left).value);
  return JSON.stringify(left) === JSON.stringify(right);
}

/** The condition "the id column equals one of the ids"; null when no row can match. */
function idCondition(column: ColumnMeta, ids: readonly string[]): Condition | null {
  // Every id is checked first, so that a bad one is an error whatever the others are.
  const checked = [...new Set(ids)].map((id) => idLiteral(id, column));
  if (column.dataType === 'Boolean') {
    // As records show it: true is any non-zero value (a TINYINT(1) may hold 2 or -1).
    const truths = new Set(checked as boolean[]);
    return { type: 'truth', column: column.name, truth: truths.size === 2 ? 'any' : truths.has(true) };
  }
  const values: Literal[] = [];
  for (const literal of checked as (Literal | null)[]) {
    if (literal !== null && !values.some((value) => sameLiteral(value, literal))) values.push(literal);
  }
  return values.length === 0 ? null : { type: 'in', column: column.name, values, orNull: false };
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
  return withDatabase(context, connectorRuntimeSettings, credentials, async (session) => {
    const { database, engine } = session;
    const table = await tableOf(context, session, request.entityIdentifier);
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
    const where = idCondition(idColumn, ids);
    if (where === null) return { isSuccess: true, errorDetails: null, records: [] };
    const { sql, params } = engine.dialect.selectPage({
      table,
      select: selected,
      where,
      keyset: null,
      orderBy: [idColumn],
      limit: null,
      offset: 0,
    });
    const rows = await database.execute<unknown[][]>(sql, params, {
      rowsAsArray: true,
      timeoutMs: context.deadline.statementTimeoutMs(),
    });
    context.phases.lap('read');
    const encode = engine.values.recordEncoder(selected);
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
