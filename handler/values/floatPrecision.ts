/**
 * Whether a FLOAT/real or DOUBLE/double precision column stores a decimal value unchanged, as records show it.
 *
 * A float column holds binary floats, and a record shows the shortest decimal that reads back as the stored float
 * (handler/values/floats.ts: float32Text for single precision, JavaScript's shortest round-trip text for double). So
 * "stored unchanged" means: the float the value is stored as shows as the same decimal number. 0.1 into a real is
 * the float32 0.100000001490116…, shown 0.1: kept. 16777217 into a real is the float32 16777216, shown 16777216:
 * changed, refused. 9007199254740993 into a double is 9007199254740992: changed, refused.
 *
 * The stored float is the decimal rounded to double, then (single precision) to float32: how MySQL/MariaDB store
 * FLOAT (the value is a double until it is stored). PostgreSQL reads real text straight into a float32 (strtof);
 * for every value accepted here both agree, since an accepted value is the shortest text of that float32 and so
 * reads as it directly too.
 */
import { compareDecimalText } from './decimal';
import { type FloatPrecision, shownFloatText } from './floats';

/** True when the decimal text (a finite decimal number) is stored and shown unchanged by a float column. */
export function keptByFloat(precision: FloatPrecision, decimal: string): boolean {
  const asDouble = Number(decimal);
  const stored = precision === 'single' ? Math.fround(asDouble) : asDouble;
  if (!Number.isFinite(stored)) return false;
  const shown = shownFloatText(precision, stored);
  // The same text is the same number; most values a flow writes are already their float's shortest text.
  return shown === decimal || compareDecimalText(shown, decimal) === 0;
}

/** The refusal message's reason for a value a float column would change. */
export function floatChangeReason(precision: FloatPrecision): string {
  return `holds ${precision} precision binary floats; the value is not one (it would be stored rounded)`;
}
