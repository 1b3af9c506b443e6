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
 * Whether `text` is longer than `limit` characters as the column would hold it. For a fixed-length CHAR(n)
 * (`padded`), trailing spaces are padding by definition: only the part before them must fit.
 */
export function exceedsCharacterLength(text: string, limit: number, padded: boolean): boolean {
  if (text.length <= limit) return false; // code points never outnumber UTF-16 code units
  let end = text.length;
  if (padded) while (end > 0 && text.charCodeAt(end - 1) === 0x20) end--;
  return codePoints(end === text.length ? text : text.slice(0, end)) > limit;
}

/** The refusal message: names the field and the limit, never the value. */
export function characterLengthMessage(fieldLabel: string, limit: number): string {
  return `${fieldLabel} holds at most ${limit} character${limit === 1 ? '' : 's'}; the value is longer`;
}
