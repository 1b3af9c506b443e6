/**
 * QueryData: one page of records of a table or view, filtered by AppFlow's filter expression.
 *
 * - The filter is parsed and translated to SQL in which every literal is a bound parameter (../filter).
 * - Pages follow the paging key (keyset); the first page records the highest key of the table, and later pages do
 *   not read beyond it, so a read started by one flow run has a fixed end: rows inserted with a higher key while
 *   the flow runs are left for the next run (incremental flows pick them up by their timestamp), rows inserted
 *   below the current position are skipped, and rows updated or deleted ahead of it are read as they are when
 *   their page is read.
 * - Tables and views without a primary key or a unique NOT NULL index are ordered by all their columns and paged
 *   by offset: stable while the data does not change, with a cost that grows with depth.
 * - A page ends at `maxResults` rows, at the response byte budget, when the filter's LIMIT is used up, or when a
 *   share of the time budget is spent; a token is returned whenever more may follow.
 */

import { withDatabase } from '../db/access';
import type { ColumnMeta, TableMeta } from '../db/columns';
import { quoteIdentifier } from '../db/identifiers';
import type { Database, SqlParam } from '../db/pool';
import { createRecordEncoder, resolveSelectedColumns, selectExpression, serializedRecordBytes } from '../db/records';
import type { OperationContext } from '../dependencies';
import { ConnectorError, InvalidArgumentError } from '../errors';
import { compileFilter, type FilterField } from '../filter';
import { keyComparison, orderBy, toKeyCell } from '../paging/keyset';
import { decodeToken, encodeToken, type KeyCell, type PageToken, queryFingerprint } from '../paging/token';
import type { EntityDefinition, QueryDataRequest, QueryDataResponse } from '../protocol/codecs';
import { LIMITS } from '../protocol/constants';

/** Fields the request may use: the entity definition AppFlow sent back (when present) narrows the table's columns. */
export function allowedFieldNames(definition: EntityDefinition | null | undefined): ReadonlySet<string> | undefined {
  return definition ? new Set(definition.fields.map((field) => field.fieldName)) : undefined;
}

export function filterFieldsOf(table: TableMeta, allowed: ReadonlySet<string> | undefined): Map<string, FilterField> {
  const fields = new Map<string, FilterField>();
  for (const column of table.columns) {
    if (!allowed || allowed.has(column.name)) fields.set(column.name, { name: column.name, dataType: column.dataType });
  }
  return fields;
}

export interface PagePlan {
  readonly table: TableMeta;
  readonly selected: readonly ColumnMeta[];
  readonly keyColumns: readonly ColumnMeta[] | null;
  readonly where: string | null;
  readonly whereParams: readonly SqlParam[];
  readonly query: string;
}

function formatKey(columns: readonly ColumnMeta[], row: readonly unknown[], offset: number): string {
  return columns.map((column, index) => `${column.name}=${String(row[offset + index]).slice(0, 64)}`).join(', ');
}

async function readHighestKey(database: Database, plan: PagePlan, timeoutMs: number): Promise<KeyCell[] | null> {
  const keyColumns = plan.keyColumns!;
  const rows = await database.execute<unknown[][]>(
    `SELECT ${keyColumns.map((column) => quoteIdentifier(column.name)).join(', ')} FROM ${quoteIdentifier(plan.table.name)} ` +
      `ORDER BY ${orderBy(keyColumns, 'DESC')} LIMIT 1`,
    [],
    { timeoutMs, rowsAsArray: true },
  );
  const row = rows[0];
  return row ? row.map(toKeyCell) : null;
}

export async function queryData(request: QueryDataRequest, context: OperationContext): Promise<QueryDataResponse> {
  const maxResults = request.maxResults ?? LIMITS.defaultPageSize;
  if (maxResults < 1) throw new InvalidArgumentError('maxResults must be at least 1');
  const { connectorRuntimeSettings, credentials, entityDefinition } = request.connectorContext;

  return withDatabase(context, connectorRuntimeSettings, credentials, async (database) => {
    const table = await context.tables.get(database, request.entityIdentifier, context.deadline.statementTimeoutMs());
    const allowed = allowedFieldNames(entityDefinition);
    const selected = resolveSelectedColumns(table.columnsByName, table.columns, request.selectedFieldNames, allowed);
    if (selected.length === 0)
      throw new InvalidArgumentError('selectedFieldNames: no field of this entity is selected');
    const filter = compileFilter(request.filterExpression, filterFieldsOf(table, allowed));
    const keyColumns = table.pagingKey ? table.pagingKey.map((name) => table.columnsByName.get(name)!) : null;
    const query = queryFingerprint([
      table.name,
      request.filterExpression?.trim() ?? '',
      selected.map((column) => column.name).join('\u0000'),
      keyColumns ? 'k' : 'o',
    ]);
    const plan: PagePlan = { table, selected, keyColumns, where: filter.where, whereParams: filter.params, query };

    const token = request.nextToken ? decodeToken(context.tokenKey, request.nextToken, query) : null;
    if (token && (token.mode === 'keyset') !== (keyColumns !== null)) {
      throw new InvalidArgumentError('nextToken was issued before the table key changed; start the read again');
    }
    const remaining = token ? token.remaining : filter.limit;
    const pageTarget = Math.min(maxResults, remaining ?? Number.POSITIVE_INFINITY);

    const page = keyColumns
      ? await readKeysetPage(database, plan, token, pageTarget, context)
      : await readOffsetPage(database, plan, token, pageTarget, context);

    const remainingAfter = remaining === null ? null : remaining - page.records.length;
    const nextToken =
      page.continuation && (remainingAfter === null || remainingAfter > 0)
        ? issueToken(context, table.name, { ...page.continuation, remaining: remainingAfter })
        : null;
    context.logger.debug('page read', {
      records: page.records.length,
      bytesAtMost: page.bytesAtMost,
      more: nextToken !== null,
    });
    return { isSuccess: true, errorDetails: null, records: page.records, nextToken };
  });
}

/**
 * Encodes the continuation within AppFlow's token size. Keys of long text can make a token too long: the snapshot
 * key is dropped first (the read then ends where the table ends when its last page is read); a resume key that
 * alone does not fit cannot be paged by, which the paging-key choice makes all but impossible (VARCHAR keys of
 * several hundred characters with escapes).
 */
function issueToken(context: OperationContext, tableName: string, token: PageToken): string {
  const full = encodeToken(context.tokenKey, token);
  if (full.length <= LIMITS.maxTokenLength) return full;
  const unbounded = encodeToken(context.tokenKey, { ...token, until: null });
  if (unbounded.length <= LIMITS.maxTokenLength) return unbounded;
  throw new ConnectorError(
    'ClientError',
    `the key values of entity "${tableName.slice(0, 64)}" are too long to resume a read from within a paging token`,
  );
}

interface Page {
  readonly records: string[];
  /** An upper bound of the records' serialized size. */
  readonly bytesAtMost: number;
  /** Where the next page starts, or null when this was the last one. */
  readonly continuation: Omit<PageToken, 'remaining'> | null;
}

/** Response bytes that are not records: property names, the token, braces. */
const RESPONSE_OVERHEAD_BYTES = 4096;

/**
 * What a page's records will weigh in the serialized response. Counting every record exactly costs a scan per
 * record, so records are first counted at an upper bound (3 bytes per UTF-16 unit: UTF-8 and the runtime's escaping
 * of `"` and `\` never take more) and counted exactly only when the bound could pass the budget.
 */
interface PageBytes {
  /** Exact bytes of records[0 .. countedUpTo). */
  exact: number;
  countedUpTo: number;
  /** Upper bound of the bytes of the records not yet counted exactly. */
  pendingBound: number;
}

function upperBoundBytes(record: string): number {
  return 3 * record.length + 3;
}

/**
 * Adds rows to the page while they fit. Returns how many of `rows` were taken and whether the byte budget ended
 * the page.
 */
function takeRows(
  rows: readonly unknown[][],
  limit: number,
  encode: (row: readonly unknown[]) => string,
  records: string[],
  bytes: PageBytes,
  describeKey: (row: readonly unknown[]) => string,
): { taken: number; full: boolean } {
  const budget = LIMITS.responseBudgetBytes - RESPONSE_OVERHEAD_BYTES;
  let taken = 0;
  for (; taken < rows.length && taken < limit; taken++) {
    const row = rows[taken]!;
    const record = encode(row);
    const bound = upperBoundBytes(record);
    if (bytes.exact + bytes.pendingBound + bound <= budget) {
      records.push(record);
      bytes.pendingBound += bound;
      continue;
    }
    for (; bytes.countedUpTo < records.length; bytes.countedUpTo++) {
      bytes.exact += serializedRecordBytes(records[bytes.countedUpTo]!);
    }
    bytes.pendingBound = 0;
    const size = serializedRecordBytes(record);
    if (bytes.exact + size > budget) {
      if (records.length === 0) {
        throw new ConnectorError(
          'InvalidArgument',
          `the record with ${describeKey(row)} is ${size} bytes once serialized, more than one AppFlow response can carry ` +
            `(${budget} bytes); select fewer fields for this entity`,
        );
      }
      return { taken, full: true };
    }
    records.push(record);
    bytes.exact += size;
    bytes.countedUpTo = records.length;
  }
  return { taken, full: false };
}

/**
 * The statement that reads the next chunk of a keyset page: the filter, not beyond the snapshot key, strictly after
 * the last key read, in key order, one row more than wanted (it tells whether anything follows without a COUNT).
 * The selected columns come first, then the key columns (to resume from).
 */
export function keysetChunkSql(
  plan: PagePlan,
  after: readonly KeyCell[] | null,
  until: readonly KeyCell[] | null,
  want: number,
): { sql: string; params: SqlParam[] } {
  const keyColumns = plan.keyColumns!;
  const selectList = [...plan.selected, ...keyColumns].map(selectExpression).join(', ');
  const conditions: string[] = [];
  const params: SqlParam[] = [];
  if (plan.where) {
    conditions.push(`(${plan.where})`);
    params.push(...plan.whereParams);
  }
  if (until) {
    const upper = keyComparison(keyColumns, until, '<=');
    conditions.push(upper.sql);
    params.push(...upper.params);
  }
  if (after) {
    const lower = keyComparison(keyColumns, after, '>');
    conditions.push(lower.sql);
    params.push(...lower.params);
  }
  const sql =
    `SELECT ${selectList} FROM ${quoteIdentifier(plan.table.name)} WHERE ${conditions.join(' AND ')} ` +
    `ORDER BY ${orderBy(keyColumns)} LIMIT ${want + 1}`;
  return { sql, params };
}

/** How one paging strategy reads: a chunk of rows, and where the page resumes after the rows taken from it. */
interface ChunkReader {
  fetch(want: number): Promise<unknown[][]>;
  /** Moves the position past the first `taken` rows of the last chunk. */
  advance(rows: readonly unknown[][], taken: number): void;
  continuation(): Omit<PageToken, 'remaining'>;
  /** Names a row in an error; only the first row of a page can be too large to send on its own. */
  describeRow(row: readonly unknown[]): string;
}

/**
 * Fills a page chunk by chunk until it has `pageTarget` records, the byte budget is reached, the rows run out, or
 * the page's share of the time budget is spent.
 */
async function fillPage(
  reader: ChunkReader,
  encode: (row: readonly unknown[]) => string,
  pageTarget: number,
  context: OperationContext,
): Promise<Page> {
  const records: string[] = [];
  const bytes: PageBytes = { exact: 0, countedUpTo: 0, pendingBound: 0 };
  for (;;) {
    const want = Math.min(LIMITS.fetchChunkRows, pageTarget - records.length);
    const rows = await reader.fetch(want);
    const { taken, full } = takeRows(rows, want, encode, records, bytes, (row) => reader.describeRow(row));
    reader.advance(rows, taken);
    const exhausted = !full && rows.length <= want;
    const bytesAtMost = bytes.exact + bytes.pendingBound;
    if (exhausted) return { records, bytesAtMost, continuation: null };
    if (full || records.length >= pageTarget || context.deadline.isPastShare(LIMITS.pageTimeShare)) {
      return { records, bytesAtMost, continuation: reader.continuation() };
    }
  }
}

async function readKeysetPage(
  database: Database,
  plan: PagePlan,
  token: PageToken | null,
  pageTarget: number,
  context: OperationContext,
): Promise<Page> {
  const keyColumns = plan.keyColumns!;
  // The first page fixes the end of the read; later pages carry it (or none, when it did not fit a token).
  const until = token ? token.until : await readHighestKey(database, plan, context.deadline.statementTimeoutMs());
  if (!token && !until) return { records: [], bytesAtMost: 0, continuation: null };
  let after = token?.after ?? null;
  const keyOffset = plan.selected.length;
  const reader: ChunkReader = {
    fetch(want) {
      const { sql, params } = keysetChunkSql(plan, after, until, want);
      return database.execute<unknown[][]>(sql, params, {
        rowsAsArray: true,
        timeoutMs: context.deadline.statementTimeoutMs(),
      });
    },
    advance(rows, taken) {
      if (taken > 0) after = keyColumns.map((_, index) => toKeyCell(rows[taken - 1]![keyOffset + index]));
    },
    continuation: () => ({ query: plan.query, mode: 'keyset', after, until, offset: 0 }),
    describeRow: (row) => formatKey(keyColumns, row, keyOffset),
  };
  return fillPage(reader, createRecordEncoder(plan.selected), pageTarget, context);
}

async function readOffsetPage(
  database: Database,
  plan: PagePlan,
  token: PageToken | null,
  pageTarget: number,
  context: OperationContext,
): Promise<Page> {
  // No key: order by every column that can be ordered, so that the order is as stable as the data allows.
  const orderColumns = plan.table.columns.filter((column) => column.kind !== 'spatial');
  const selectList = plan.selected.map(selectExpression).join(', ');
  let offset = token?.offset ?? 0;
  const reader: ChunkReader = {
    fetch(want) {
      const sql =
        `SELECT ${selectList} FROM ${quoteIdentifier(plan.table.name)}` +
        (plan.where ? ` WHERE (${plan.where})` : '') +
        ` ORDER BY ${orderBy(orderColumns)} LIMIT ${want + 1} OFFSET ${offset}`;
      return database.execute<unknown[][]>(sql, [...plan.whereParams], {
        rowsAsArray: true,
        timeoutMs: context.deadline.statementTimeoutMs(),
      });
    },
    advance(_rows, taken) {
      offset += taken;
    },
    continuation: () => ({ query: plan.query, mode: 'offset', after: null, until: null, offset }),
    describeRow: () => `position ${offset + 1}`,
  };
  return fillPage(reader, createRecordEncoder(plan.selected), pageTarget, context);
}
