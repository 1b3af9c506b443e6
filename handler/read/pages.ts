/**
 * Reading one page of a plan (QueryData): rows are streamed and encoded as they arrive; a page ends at its size, at
 * the response byte budget, when a share of the time budget is spent, or at the deadline (the statement is stopped
 * and the rows read are kept); a continuation is returned whenever more may follow.
 *
 * - Keyset: the first page records the highest key of the table, and later pages do not read beyond it, so a read
 *   started by one flow run has a fixed end: rows inserted with a higher key while the flow runs are left for the
 *   next run (incremental flows pick them up by their timestamp), rows inserted below the current position are
 *   skipped, and rows updated or deleted ahead of it are read as they are when their page is read.
 * - Offset (tables and views without a usable key): ordered by every orderable column, then by the engine's
 *   tie-breakers, so that the order is total on what records show (rows that still tie show the same record): every
 *   row once while the data does not change, with a cost that grows with depth (an offset's rows are visited too).
 * - Statements are sized by pace and record size (./pace.ts): a page's first starts small, the next visit what the
 *   measured pace lets them within half the time left, so a slow source still yields rows in every call; a warm
 *   instance sizes by the records its earlier pages measured, not by what the columns could hold.
 * - Messages and log lines name fields and give sizes and counts, never a record value or a key value.
 */
import type { OperationContext } from '../dependencies';
import type { Database, Engine, KeyCell, RecordEncoder, Statement, TableMeta } from '../engines/engine';
import { type ConnectorError, InvalidArgumentError, RequestTimeoutError } from '../errors';
import type { PageToken } from '../paging/token';
import { LIMITS } from '../protocol/constants';
import {
  FIRST_STATEMENT_ROWS,
  FIRST_STATEMENT_TIME_SHARE,
  rememberedRead,
  rememberRead,
  STATEMENT_TIME_SHARE,
} from './pace';
import type { PagePlan } from './plan';
import { serializedRecordBytes } from './records';

/** Why a page ended (for the log). */
export type PageEnd = 'last' | 'size' | 'bytes' | 'time share' | 'deadline';

export interface Page {
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
  return new InvalidArgumentError(
    `a record of entity "${plan.table.name.slice(0, 64)}" is ${size} bytes once serialized, more than one AppFlow ` +
      `response can carry (${PAGE_BUDGET_BYTES} bytes); its largest fields: ${largest.join(', ')}; select fewer ` +
      'fields for this entity',
  );
}

/** Declared size of a record of these columns (names, quotes and separators included). */
export function declaredRecordBytes(columns: PagePlan['selected']): number {
  return columns.reduce((sum, column) => sum + column.name.length + 6 + column.renderedBytesAtMost, 2);
}

/**
 * Rows the next statement asks for: no more than the page still wants, than the byte budget can still take (by the
 * largest record met so far; before the first, by earlier pages' records or the declared size), and than the pace
 * allows: unknown, a few rows (see pace.ts); known, as many as the pace lets the statement visit — the rows an
 * offset skips count — within its share of the time left, and never fewer than a page's first statement. One row
 * more is always read, to tell whether anything follows.
 */
export function chunkRows(
  pageLeft: number,
  bytesLeft: number,
  rowBytes: number,
  msLeft: number,
  msPerRow: number | null,
  skipped: number,
  firstOfPage: boolean,
): number {
  let rows = Math.min(LIMITS.fetchChunkRows, pageLeft);
  rows = Math.max(1, Math.min(rows, Math.floor(Math.max(0, bytesLeft) / rowBytes) + 1));
  const small = Math.min(rows, FIRST_STATEMENT_ROWS);
  if (msPerRow === null) return small;
  if (msPerRow <= 0) return rows;
  const share = firstOfPage ? FIRST_STATEMENT_TIME_SHARE : STATEMENT_TIME_SHARE;
  const inTime = Math.floor((Math.max(0, msLeft) * share) / msPerRow) - skipped;
  // At least a few rows: the pace is an estimate (a statement's fixed cost counts in it), the clock is what ends a
  // page (its time share, the deadline).
  return Math.max(small, Math.min(rows, inTime));
}

/**
 * The statement that reads the next chunk of a keyset page: the filter, not beyond the snapshot key, strictly after
 * the last key read, in key order, one row more than wanted (it tells whether anything follows without a COUNT).
 * The selected columns come first, then the key columns (to resume from).
 */
export function keysetChunk(
  engine: Engine,
  plan: PagePlan,
  after: readonly KeyCell[] | null,
  until: readonly KeyCell[] | null,
  want: number,
): Statement {
  return engine.dialect.selectPage({
    table: plan.table,
    select: plan.selected,
    where: plan.where,
    keyset: { columns: plan.keyColumns!, after, until },
    orderBy: [],
    limit: Math.trunc(want) + 1,
    offset: 0,
  });
}

/** How one paging strategy reads: the statement of a chunk, and where the page resumes after the rows taken. */
interface ChunkSource {
  statement(want: number): Statement;
  /** Moves the position past `taken` rows of the last statement, `last` being the last of them. */
  advance(last: readonly unknown[], taken: number): void;
  /** Rows the next statement visits before its first row (an offset), which take time too. */
  skipped(): number;
  continuation(): Omit<PageToken, 'remaining'>;
}

/**
 * Record encoders are generated code (built per column list); a warm instance asked for small pages would otherwise
 * build one per call. Kept per table description, so a refreshed description gets new ones.
 */
const encodersByTable = new WeakMap<TableMeta, Map<string, RecordEncoder>>();

function recordEncoderFor(engine: Engine, plan: PagePlan): RecordEncoder {
  let encoders = encodersByTable.get(plan.table);
  if (!encoders) {
    encoders = new Map();
    encodersByTable.set(plan.table, encoders);
  }
  const key = plan.selected.map((column) => column.name).join('\u0000');
  let encoder = encoders.get(key);
  if (!encoder) {
    encoder = engine.values.recordEncoder(plan.selected);
    encoders.set(key, encoder);
  }
  return encoder;
}

/**
 * Fills a page statement by statement until it has `pageTarget` records, the byte budget is reached, the rows run
 * out, or the page's share of the time budget is spent. Rows are streamed: each is encoded as it arrives and only the
 * records are kept, so a page holds about what it will send. A statement still running when the time is up is
 * stopped and the page ends with the records read so far (an error only when there are none).
 */
async function fillPage(
  database: Database,
  engine: Engine,
  plan: PagePlan,
  source: ChunkSource,
  pageTarget: number,
  context: OperationContext,
): Promise<Page> {
  const encode = recordEncoderFor(engine, plan);
  const records: string[] = [];
  const bytes: PageBytes = { exact: 0, countedUpTo: 0, pendingBound: 0 };
  const declaredRowBytes = declaredRecordBytes(plan.selected);
  // Records of this page measured so far; 0 before its first row.
  let largestRowBytes = 0;
  let rowsVisited = 0;
  let readingMs = 0;
  // The same query text may name tables of other servers a warm instance also serves: what it learns is theirs apiece.
  const { host, port, database: databaseName } = database.settings;
  const readKey = [host, String(port), databaseName, plan.table.namespace, plan.query].join('\u0000');
  const remembered = rememberedRead(readKey);
  // Until this page has read a row: twice the largest record of the earlier pages (room for larger ones: a record
  // beyond the estimate only costs rows the server sends after the page is full), never more than the declared size.
  const startingRowBytes =
    remembered && remembered.largestRecordBytes > 0
      ? Math.min(declaredRowBytes, 2 * remembered.largestRecordBytes)
      : declaredRowBytes;
  let statements = 0;
  for (;;) {
    const skipped = source.skipped();
    const want = chunkRows(
      pageTarget - records.length,
      PAGE_BUDGET_BYTES - bytes.exact - bytes.pendingBound,
      largestRowBytes > 0 ? largestRowBytes : startingRowBytes,
      context.deadline.remainingMs(),
      rowsVisited > 0 ? readingMs / rowsVisited : (remembered?.msPerRow ?? null),
      skipped,
      statements === 0,
    );
    const done = (endedBy: PageEnd, more: boolean): Page => {
      rememberRead(readKey, {
        msPerRow: rowsVisited > 0 ? readingMs / rowsVisited : null,
        largestRecordBytes: largestRowBytes,
      });
      return {
        records,
        bytesAtMost: bytes.exact + bytes.pendingBound,
        continuation: more ? source.continuation() : null,
        statements,
        endedBy,
      };
    };
    const { sql, params } = source.statement(want);
    let seen = 0;
    let taken = 0;
    let full = false;
    let last: unknown[] | null = null;
    let longest = '';
    const started = performance.now();
    statements++;
    const end = await database.readRows(sql, params, {
      timeoutMs: context.deadline.statementTimeoutMs(),
      rowBytes: largestRowBytes > 0 ? largestRowBytes : startingRowBytes,
      rowsAtMost: Math.trunc(want) + 1,
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
    if (last) source.advance(last, taken);
    if (longest) largestRowBytes = Math.max(largestRowBytes, serializedRecordBytes(longest));
    if (end === 'timed out') {
      // What the statement visited before it was stopped is not known: the next page starts small again.
      rowsVisited = 0;
      if (records.length === 0) {
        rememberRead(readKey, { msPerRow: null, largestRecordBytes: largestRowBytes });
        throw new RequestTimeoutError('the database did not answer in time: no row arrived in time', {
          retryAfterSeconds: LIMITS.retryAfterSeconds,
        });
      }
      return done('deadline', true);
    }
    readingMs += performance.now() - started;
    rowsVisited += skipped + seen;
    if (end === 'complete' && !full && seen <= want) return done('last', false);
    if (full) return done('bytes', true);
    if (records.length >= pageTarget) return done('size', true);
    if (context.deadline.isPastShare(LIMITS.pageTimeShare)) return done('time share', true);
  }
}

/** The highest key of the table: where a read paged by key ends (fixed by its first page). */
async function readHighestKey(
  database: Database,
  engine: Engine,
  plan: PagePlan,
  timeoutMs: number,
): Promise<KeyCell[] | null> {
  const keyColumns = plan.keyColumns!;
  const { sql, params } = engine.dialect.selectHighestKey(plan.table, keyColumns);
  const rows = await database.execute<unknown[][]>(sql, params, { timeoutMs, rowsAsArray: true });
  const row = rows[0];
  return row ? row.map((value, index) => engine.values.keyCell(value, keyColumns[index]!)) : null;
}

export async function readKeysetPage(
  database: Database,
  engine: Engine,
  plan: PagePlan,
  token: PageToken | null,
  pageTarget: number,
  context: OperationContext,
): Promise<Page> {
  const keyColumns = plan.keyColumns!;
  // The first page fixes the end of the read; later pages carry it in their token.
  const until = token
    ? token.until
    : await readHighestKey(database, engine, plan, context.deadline.statementTimeoutMs());
  if (!until) return { records: [], bytesAtMost: 0, continuation: null, statements: 1, endedBy: 'last' };
  let after = token?.after ?? null;
  const keyOffset = plan.selected.length;
  return fillPage(
    database,
    engine,
    plan,
    {
      statement: (want) => keysetChunk(engine, plan, after, until, want),
      advance(last) {
        after = keyColumns.map((column, index) => engine.values.keyCell(last[keyOffset + index], column));
      },
      skipped: () => 0,
      continuation: () => ({ query: plan.query, mode: 'keyset', after, until, offset: 0 }),
    },
    pageTarget,
    context,
  );
}

export async function readOffsetPage(
  database: Database,
  engine: Engine,
  plan: PagePlan,
  token: PageToken | null,
  pageTarget: number,
  context: OperationContext,
): Promise<Page> {
  // No key: order by every column that can be ordered, so that the order is as stable as the data allows.
  const orderColumns = plan.table.columns.filter((column) => column.orderable);
  let offset = token?.offset ?? 0;
  return fillPage(
    database,
    engine,
    plan,
    {
      statement: (want) =>
        engine.dialect.selectPage({
          table: plan.table,
          select: plan.selected,
          where: plan.where,
          keyset: null,
          orderBy: orderColumns,
          totalOrder: true,
          limit: Math.trunc(want) + 1,
          offset,
        }),
      advance(_last, taken) {
        offset += taken;
      },
      skipped: () => offset,
      continuation: () => ({ query: plan.query, mode: 'offset', after: null, until: null, offset }),
    },
    pageTarget,
    context,
  );
}
