/**
 * QueryData: one page of records of a table or view, filtered by AppFlow's filter expression.
 *
 * - The filter is parsed and translated to SQL in which every literal is a bound parameter (../filter).
 * - Pages follow the paging key (keyset); the first page records the highest key of the table, and later pages do
 *   not read beyond it, so a read started by one flow run has a fixed end: rows inserted with a higher key while
 *   the flow runs are left for the next run (incremental flows pick them up by their timestamp), rows inserted
 *   below the current position are skipped, and rows updated or deleted ahead of it are read as they are when
 *   their page is read.
 * - The paging key is chosen when the read is planned (choosePagingKey): a key whose declared size would not let a
 *   token carry two values of it is passed over, so a token the connector issues always fits AppFlow's limit.
 * - Tables and views without a usable primary key or unique NOT NULL index are ordered by all their columns and
 *   paged by offset: stable while the data does not change, with a cost that grows with depth.
 * - Rows are streamed and encoded as they arrive; a page ends at `maxResults` rows, at the response byte budget,
 *   when the filter's LIMIT is used up, when a share of the time budget is spent, or at the deadline (the statement
 *   is stopped and the rows read are kept); a token is returned whenever more may follow.
 * - Messages and log lines name fields and give sizes and counts, never a record value or a key value.
 */

import { withDatabase } from '../db/access';
import type { ColumnMeta, TableMeta } from '../db/columns';
import { quoteIdentifier } from '../db/identifiers';
import type { Database, SqlParam } from '../db/pool';
import { createRecordEncoder, resolveSelectedColumns, selectExpression, serializedRecordBytes } from '../db/records';
import { isPageableKey } from '../db/schema';
import type { OperationContext } from '../dependencies';
import { ConnectorError, InvalidArgumentError } from '../errors';
import { compileFilter, type FilterField } from '../filter';
import { keyComparison, orderBy, toKeyCell } from '../paging/keyset';
import {
  decodeToken,
  encodeToken,
  type KeyCell,
  type PageToken,
  queryFingerprint,
  tokenLengthBound,
} from '../paging/token';
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

/**
 * The key pages follow: the primary key, else a unique NOT NULL index, of column types that sort the way they compare
 * — and small enough that a token can carry two values of it (where the read is and where it ends) within AppFlow's
 * 2,048 characters. That is decided from the columns' declared sizes when the read is planned, never from the values
 * met: a key that could not fit is not used, and without one the read pages by offset.
 */
export function choosePagingKey(table: TableMeta): ColumnMeta[] | null {
  for (const key of [table.primaryKey, ...table.uniqueKeys]) {
    if (!isPageableKey(key, table.columnsByName)) continue;
    const columns = key.map((name) => table.columnsByName.get(name)!);
    if (tokenLengthBound(columns) <= LIMITS.maxTokenLength) return columns;
  }
  return null;
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

  return withDatabase(context, connectorRuntimeSettings, credentials, async (database) => {
    const table = await context.tables.get(database, request.entityIdentifier, context.deadline.statementTimeoutMs());
    const allowed = allowedFieldNames(entityDefinition);
    const selected = resolveSelectedColumns(table.columnsByName, table.columns, request.selectedFieldNames, allowed);
    if (selected.length === 0)
      throw new InvalidArgumentError('selectedFieldNames: no field of this entity is selected');
    const filter = compileFilter(request.filterExpression, filterFieldsOf(table, allowed));
    const keyColumns = choosePagingKey(table);
    const query = queryFingerprint([
      table.name,
      request.filterExpression?.trim() ?? '',
      selected.map((column) => column.name).join('\u0000'),
      keyColumns ? `k\u0001${keyColumns.map((column) => column.name).join('\u0001')}` : 'o',
    ]);
    const plan: PagePlan = { table, selected, keyColumns, where: filter.where, whereParams: filter.params, query };

    const token = request.nextToken
      ? decodeToken(context.tokenKey, request.nextToken, {
          query,
          mode: keyColumns ? 'keyset' : 'offset',
          keyColumns,
          limit: filter.limit,
        })
      : null;
    const remaining = token ? token.remaining : filter.limit;
    const pageTarget = Math.min(maxResults, remaining ?? Number.POSITIVE_INFINITY);

    const page = keyColumns
      ? await readKeysetPage(database, plan, token, pageTarget, context)
      : await readOffsetPage(database, plan, token, pageTarget, context);

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

/** Why a page ended (for the log). */
type PageEnd = 'last' | 'size' | 'bytes' | 'time share' | 'deadline';

interface Page {
  readonly records: string[];
  /** An upper bound of the records' serialized size. */
  readonly bytesAtMost: number;
  /** Where the next page starts, or null when this was the last one. */
  readonly continuation: Omit<PageToken, 'remaining'> | null;
  readonly statements: number;
  readonly endedBy: PageEnd;
}

/** Response bytes that are not records: property names, the token, braces. */
const RESPONSE_OVERHEAD_BYTES = 4096;
const PAGE_BUDGET_BYTES = LIMITS.responseBudgetBytes - RESPONSE_OVERHEAD_BYTES;

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

/** Adds a record to the page if it fits the byte budget; false when it does not (the page is full). */
function addRecord(record: string, records: string[], bytes: PageBytes): boolean {
  const bound = upperBoundBytes(record);
  if (bytes.exact + bytes.pendingBound + bound <= PAGE_BUDGET_BYTES) {
    records.push(record);
    bytes.pendingBound += bound;
    return true;
  }
  for (; bytes.countedUpTo < records.length; bytes.countedUpTo++) {
    bytes.exact += serializedRecordBytes(records[bytes.countedUpTo]!);
  }
  bytes.pendingBound = 0;
  const size = serializedRecordBytes(record);
  if (bytes.exact + size > PAGE_BUDGET_BYTES) return false;
  records.push(record);
  bytes.exact += size;
  bytes.countedUpTo = records.length;
  return true;
}

/** Size of a driver value, for messages: bytes of text or binary, characters of anything else. */
function valueSize(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (Buffer.isBuffer(value)) return value.length;
  return String(value).length;
}

/**
 * A record that no response can carry. The message names the fields and their sizes, never a value: not the record's
 * key either (it can be an e-mail address or another personal value), since messages reach AppFlow and the logs.
 */
function recordTooLarge(plan: PagePlan, row: readonly unknown[], size: number): ConnectorError {
  const largest = plan.selected
    .map((column, index) => ({ name: column.name, bytes: valueSize(row[index]) }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 3)
    .map((field) => `${field.name.slice(0, 64)} (${field.bytes} bytes)`);
  return new ConnectorError(
    'InvalidArgument',
    `a record of entity "${plan.table.name.slice(0, 64)}" is ${size} bytes once serialized, more than one AppFlow ` +
      `response can carry (${PAGE_BUDGET_BYTES} bytes); its largest fields: ${largest.join(', ')}; select fewer ` +
      'fields for this entity',
  );
}

/** Declared size of a record's value of this column, in bytes; Infinity when only the column's type bounds it. */
function declaredValueBytes(column: ColumnMeta): number {
  switch (column.kind) {
    case 'string':
    case 'json':
      return column.maxBytes ?? (column.maxLength === null ? Number.POSITIVE_INFINITY : column.maxLength * 4);
    case 'bytes':
      return column.maxLength === null ? Number.POSITIVE_INFINITY : Math.ceil(column.maxLength / 3) * 4;
    case 'spatial':
      return Number.POSITIVE_INFINITY;
    default:
      return 40;
  }
}

/** Declared size of a record of these columns (names, quotes and separators included). */
export function declaredRecordBytes(columns: readonly ColumnMeta[]): number {
  return columns.reduce((sum, column) => sum + column.name.length + 6 + declaredValueBytes(column), 2);
}

/**
 * Rows the next statement asks for: no more than the page still wants, than the byte budget can still take (by the
 * largest record met so far, or the declared size before the first), and than the time left allows at the pace rows
 * arrived so far. One row more is always read, to tell whether anything follows.
 */
function chunkRows(pageLeft: number, bytesLeft: number, rowBytes: number, msLeft: number, msPerRow: number): number {
  let rows = Math.min(LIMITS.fetchChunkRows, pageLeft);
  rows = Math.min(rows, Math.floor(Math.max(0, bytesLeft) / rowBytes) + 1);
  if (msPerRow > 0) rows = Math.min(rows, Math.floor(Math.max(0, msLeft) / msPerRow));
  return Math.max(1, rows);
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
  const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
  const sql =
    `SELECT ${selectList} FROM ${quoteIdentifier(plan.table.name)}${where} ` +
    `ORDER BY ${orderBy(keyColumns)} LIMIT ${Math.trunc(want) + 1}`;
  return { sql, params };
}

/** How one paging strategy reads: the statement of a chunk, and where the page resumes after the rows taken. */
interface ChunkSource {
  statement(want: number): { sql: string; params: SqlParam[] };
  /** Moves the position past `taken` rows of the last statement, `last` being the last of them. */
  advance(last: readonly unknown[], taken: number): void;
  continuation(): Omit<PageToken, 'remaining'>;
}

/**
 * Fills a page statement by statement until it has `pageTarget` records, the byte budget is reached, the rows run
 * out, or the page's share of the time budget is spent. Rows are streamed: each is encoded as it arrives and only the
 * records are kept, so a page holds about what it will send. A statement still running when the time is up is
 * stopped and the page ends with the records read so far (an error only when there are none).
 */
async function fillPage(
  database: Database,
  plan: PagePlan,
  source: ChunkSource,
  pageTarget: number,
  context: OperationContext,
): Promise<Page> {
  const encode = createRecordEncoder(plan.selected);
  const records: string[] = [];
  const bytes: PageBytes = { exact: 0, countedUpTo: 0, pendingBound: 0 };
  const declaredRowBytes = declaredRecordBytes(plan.selected);
  let largestRowBytes = 0;
  let rowsRead = 0;
  let readingMs = 0;
  for (let statements = 1; ; statements++) {
    const want = chunkRows(
      pageTarget - records.length,
      PAGE_BUDGET_BYTES - bytes.exact - bytes.pendingBound,
      largestRowBytes > 0 ? largestRowBytes : declaredRowBytes,
      context.deadline.remainingMs(),
      rowsRead > 0 ? readingMs / rowsRead : 0,
    );
    const { sql, params } = source.statement(want);
    let seen = 0;
    let taken = 0;
    let full = false;
    let last: unknown[] | null = null;
    let longest = '';
    const started = Date.now();
    const end = await database.readRows(sql, params, {
      timeoutMs: context.deadline.statementTimeoutMs(),
      onRow: (row) => {
        if (++seen > want) return false;
        const record = encode(row);
        if (!addRecord(record, records, bytes)) {
          if (records.length === 0) throw recordTooLarge(plan, row, serializedRecordBytes(record));
          full = true;
          return false;
        }
        if (record.length > longest.length) longest = record;
        taken++;
        last = row;
        return true;
      },
    });
    readingMs += Date.now() - started;
    rowsRead += Math.min(seen, want);
    if (last) source.advance(last, taken);
    if (longest) largestRowBytes = Math.max(largestRowBytes, serializedRecordBytes(longest));
    const bytesAtMost = bytes.exact + bytes.pendingBound;
    const done = (endedBy: PageEnd, more: boolean): Page => ({
      records,
      bytesAtMost,
      continuation: more ? source.continuation() : null,
      statements,
      endedBy,
    });
    if (end === 'timed out') {
      if (records.length === 0) {
        throw new ConnectorError('RequestTimeout', 'the database did not answer in time: no row arrived in time', {
          retryAfterSeconds: LIMITS.retryAfterSeconds,
        });
      }
      return done('deadline', true);
    }
    if (end === 'complete' && !full && seen <= want) return done('last', false);
    if (full) return done('bytes', true);
    if (records.length >= pageTarget) return done('size', true);
    if (context.deadline.isPastShare(LIMITS.pageTimeShare)) return done('time share', true);
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
  // The first page fixes the end of the read; later pages carry it in their token.
  const until = token ? token.until : await readHighestKey(database, plan, context.deadline.statementTimeoutMs());
  if (!until) return { records: [], bytesAtMost: 0, continuation: null, statements: 1, endedBy: 'last' };
  let after = token?.after ?? null;
  const keyOffset = plan.selected.length;
  return fillPage(
    database,
    plan,
    {
      statement: (want) => keysetChunkSql(plan, after, until, want),
      advance(last) {
        after = keyColumns.map((_, index) => toKeyCell(last[keyOffset + index]));
      },
      continuation: () => ({ query: plan.query, mode: 'keyset', after, until, offset: 0 }),
    },
    pageTarget,
    context,
  );
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
  return fillPage(
    database,
    plan,
    {
      statement: (want) => ({
        sql:
          `SELECT ${selectList} FROM ${quoteIdentifier(plan.table.name)}` +
          (plan.where ? ` WHERE (${plan.where})` : '') +
          ` ORDER BY ${orderBy(orderColumns)} LIMIT ${Math.trunc(want) + 1} OFFSET ${offset}`,
        params: [...plan.whereParams],
      }),
      advance(_last, taken) {
        offset += taken;
      },
      continuation: () => ({ query: plan.query, mode: 'offset', after: null, until: null, offset }),
    },
    pageTarget,
    context,
  );
}
