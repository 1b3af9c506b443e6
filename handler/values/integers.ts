/** Integer writes: an exact integer within its column type's range, bound as decimal text (64 bits keep every digit). */
import type { Converted } from '../engines/engine';
import { accepted, type ConvertedColumn, fieldLabel, shapeRefusal } from './conversions';
import type { ExactDecimal } from './decimal';

/** Inclusive bounds of an integer column type. */
export type IntegerRange = { readonly min: bigint; readonly max: bigint };

/** `parsed` as bound decimal text; refused when it is not an integer (null, fraction digits) or is outside `range`. */
export function checkedInteger(column: ConvertedColumn, parsed: ExactDecimal | null, range: IntegerRange): Converted {
  if (parsed === null || parsed.fraction !== '') return shapeRefusal(column, 'an integer');
  const exact = BigInt((parsed.negative ? '-' : '') + (parsed.integer || '0'));
  if (exact >= range.min && exact <= range.max) return accepted(exact.toString());
  const message = `${fieldLabel(column)} expects an integer from ${range.min} to ${range.max}; the value is out of range`;
  return { ok: false, message };
}
