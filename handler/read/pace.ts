/**
 * How fast a read's rows arrive, measured while reading and remembered by this Lambda instance for the next page of
 * the same query: what sizes a page's statements.
 *
 * Why the first statement of a page is small when the pace is unknown: a server holds narrow rows in its network
 * buffer until the buffer fills or the statement ends (MySQL's net_buffer_length, 16 KB by default; PostgreSQL's
 * 8 KB send buffer), so a statement over a source that yields one row every 30 ms and asks for 1,001 rows delivers
 * nothing for 30 s, and the page ends with no row at all (PostgreSQL: the same, its portal read in batches of about
 * 2 MB). A page's first statement of unknown pace asks for one row (and the one more that tells
 * whether anything follows), so any source that yields a couple of rows within a call is read; the next statements
 * grow by the pace it measured. This instance remembers the pace for the query's next page, so a warm instance
 * reading a fast table spends no extra statement.
 *
 * Why the record size is remembered too: a statement asks for no more rows than the byte budget can take, and before
 * a page has read a row only the columns' declared sizes are known, which for `text`, a wide VARCHAR or JSON are far
 * beyond what rows hold (a 1,000-row page of short texts would be asked for in a few hundred rows, or one, then the
 * rest: two statements per page). The next page starts from the largest record measured instead.
 */

/** Rows of a page's first statement when this instance has not measured the query's pace yet. */
export const FIRST_STATEMENT_ROWS = 1;

/**
 * A statement is sized to take at most this share of the time left, by the pace measured so far: a page's first
 * statement more (the call has nothing yet; an offset's skipped rows cost their time again in every statement, so a
 * deep page needs one large statement), later ones less (the page already holds rows; a statement stopped at the
 * deadline only wastes the time it took).
 */
export const FIRST_STATEMENT_TIME_SHARE = 0.8;
export const STATEMENT_TIME_SHARE = 0.5;

/** Queries whose pace an instance remembers (least recently measured forgotten first). */
const REMEMBERED_QUERIES = 256;

/** What an instance learnt about a read from its earlier pages. */
export interface ReadMemory {
  /** Milliseconds per row visited, or null when it is not known (never measured, or a statement timed out). */
  readonly msPerRow: number | null;
  /** The largest serialized record the read has produced, in bytes (0: none yet). */
  readonly largestRecordBytes: number;
}

/** By server, namespace and query fingerprint. */
const reads = new Map<string, ReadMemory>();

/** What earlier pages of this read on this instance measured, or null. */
export function rememberedRead(read: string): ReadMemory | null {
  return reads.get(read) ?? null;
}

/**
 * Remembers what a page measured: its pace (null forgets it: it is not known) and the largest record met so far,
 * which is kept across pages (a page's records cannot be known before they are read; the largest one met is a
 * better guess of the next page's than what the columns could hold at most).
 */
export function rememberRead(read: string, measured: ReadMemory): void {
  const largestRecordBytes = Math.max(measured.largestRecordBytes, reads.get(read)?.largestRecordBytes ?? 0);
  reads.delete(read);
  const msPerRow = measured.msPerRow !== null && Number.isFinite(measured.msPerRow) ? measured.msPerRow : null;
  reads.set(read, { msPerRow, largestRecordBytes });
  if (reads.size > REMEMBERED_QUERIES) reads.delete(reads.keys().next().value!);
}
