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

/** Milliseconds per row visited, by server, namespace and query fingerprint. */
const paces = new Map<string, number>();

/** The pace measured for this read by an earlier page on this instance, or null. */
export function rememberedPace(read: string): number | null {
  return paces.get(read) ?? null;
}

/** Remembers the pace of a page's statements (ms per row visited), or forgets it (null: it is not known). */
export function rememberPace(read: string, msPerRow: number | null): void {
  paces.delete(read);
  if (msPerRow === null || !Number.isFinite(msPerRow)) return;
  paces.set(read, msPerRow);
  if (paces.size > REMEMBERED_QUERIES) paces.delete(paces.keys().next().value!);
}
