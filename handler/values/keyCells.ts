/**
 * The size of a paging key cell in a token's JSON payload (handler/paging/token.ts), which each engine states per key
 * column (`ColumnMeta.keyCellBytesAtMost`) so the read plan can bound the token's length before it reads a row.
 */

/** JSON size of a base64 cell of `bytes` bytes: `{"b":"..."}`. */
export function base64CellBytes(bytes: number): number {
  return 4 * Math.ceil(bytes / 3) + 8;
}

/** The longest JSON a number field of the payload can take (`-9007199254740991`, `1.7976931348623157e+308`). */
export const NUMBER_JSON_BYTES = 24;
