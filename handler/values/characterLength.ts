/**
 * The declared character length of CHAR/VARCHAR columns, counted as the servers count it: characters, that is
 * Unicode code points (utf8mb4 and PostgreSQL's UTF-8 both store one character per code point).
 *
 * Both servers cut silently what exceeds the length by trailing spaces only, instead of refusing the value:
 * - PostgreSQL, "Character Types" (https://www.postgresql.org/docs/15/datatype-character.html): "An attempt to
 *   store a longer string into a column of these types will result in an error, unless the excess characters are
 *   all spaces, in which case the string will be truncated to the maximum length."
 * - MariaDB, even in strict mode, truncates excess trailing spaces of CHAR/VARCHAR with a note, not an error
 *   (checked on 10.11, STRICT_TRANS_TABLES: 'a ' into VARCHAR(1) utf8mb4_nopad_bin is stored 'a').
 * A record's value would then be reported written yet stored different, so the connector refuses it instead.
 */
import type { Converted } from '../engines/engine';
import { accepted, type ConvertedColumn, fieldLabel } from './conversions';

/** Code points of `text`, counting a surrogate pair once. */
function codePoints(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) index++;
    }
    count++;
  }
  return count;
}

/**
 * Whether the server would store `text` cut to `limit` characters without an error: it is longer than the limit only
 * by trailing spaces. A longer value with other characters in its excess is left to the server, which refuses it
 * (MySQL error 1406 in strict mode, PostgreSQL 22001) with a message the write path names. For a fixed-length
 * CHAR(n) (`padded`), trailing spaces are padding by definition and the value shown is the same: never cut.
 */
function exceedsCharacterLength(text: string, limit: number, padded: boolean): boolean {
  if (padded || text.length <= limit) return false; // code points never outnumber UTF-16 code units
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x20) end--;
  if (end === text.length) return false;
  return codePoints(text) > limit && codePoints(text.slice(0, end)) <= limit;
}

/** `text` bound as written, unless a column of `limit` characters (null: no limit) would cut it: then refused. */
export function textWithinLength(
  column: ConvertedColumn,
  text: string,
  limit: number | null,
  padded: boolean,
): Converted {
  if (limit === null || !exceedsCharacterLength(text, limit, padded)) return accepted(text);
  const characters = `${limit} character${limit === 1 ? '' : 's'}`;
  const message = `${fieldLabel(column)} holds at most ${characters}; the value is longer by trailing spaces the database would cut`;
  return { ok: false, message };
}
