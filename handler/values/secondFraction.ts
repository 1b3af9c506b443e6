/**
 * Fractions of a second beyond what a column keeps: the servers round (MySQL 8, PostgreSQL) or drop (MariaDB) them
 * without an error, so the stored value would not be the one sent; refused, as exact numbers refuse extra digits.
 */
import type { Converted } from '../engines/engine';
import { type ConvertedColumn, fieldLabel } from './conversions';

/** A refusal when `fraction` (a second's) has nonzero digits beyond the `kept` ones, else null; `fate` says why. */
export function fractionBeyond(field: ConvertedColumn, kept: number, fraction: string, fate: string): Converted | null {
  if (!/[1-9]/.test(fraction.slice(kept))) return null;
  const digits = `${kept} digit${kept === 1 ? '' : 's'}`;
  return {
    ok: false,
    message: `${fieldLabel(field)} keeps ${digits} of a second's fraction; the value has more (${fate})`,
  };
}
