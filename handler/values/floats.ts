/**
 * FLOAT and DOUBLE values compared with decimal text (filter literals, RetrieveData ids) by the value a record
 * shows: `f op L` holds exactly when the shown decimal (float32Text for FLOAT, JavaScript's shortest round-trip
 * text for DOUBLE) compares so with L as exact decimals. So `f = 0.1` finds the row shown as 0.1 (stored as the
 * float32 0.100000001490116…), and `f = 0.10000000001` does not.
 *
 * Why a plain comparison with one bound suffices: let g be "read decimal text as the column's type" (Number, then
 * Math.fround for FLOAT) and show(v) the rendered text; g(show(v)) = v and g is monotonic, so show is strictly
 * increasing. For c = g(L): every stored v < c shows below L and every v > c shows above L; only v = c needs
 * looking at, and it is decided once, here, by comparing show(c) with L. The SQL then compares the column with the
 * double c (FLOAT widens to double exactly), which an index can serve.
 */
import type { ComparisonOperator } from '../filter/ast';
import { compareDecimalText } from './decimal';

/** Shortest decimal text that reads back as the same float32 (FLOAT columns arrive widened to a double). */
export function float32Text(value: number): string {
  if (!Number.isFinite(value)) return 'null';
  for (let precision = 1; precision <= 9; precision++) {
    const candidate = Number(value.toPrecision(precision));
    if (Math.fround(candidate) === value) return String(candidate);
  }
  return String(value);
}

export type FloatPrecision = 'single' | 'double';

/** The text a record shows for a stored value. */
export function shownFloatText(precision: FloatPrecision, value: number): string {
  return precision === 'single' ? float32Text(value) : String(value);
}

export type FloatCondition =
  /** Compare the column with `value` (a double) by `op`. */
  | { readonly op: ComparisonOperator; readonly value: number }
  /** No non-null value matches. */
  | 'never'
  /** Every non-null value matches. */
  | 'always';

/**
 * The condition on the stored value that means "the shown value `op` the decimal `literal`". `literal` must be
 * decimal text (`-?digits[.digits][e±digits]`) whose double value is finite.
 */
export function floatCondition(precision: FloatPrecision, op: ComparisonOperator, literal: string): FloatCondition {
  const asDouble = Number(literal);
  const c = precision === 'single' ? Math.fround(asDouble) : asDouble;
  // Beyond FLOAT's range: every stored value shows below (or above) the literal; comparing with the finite double
  // itself says exactly that.
  const bound = Number.isFinite(c) ? c : asDouble;
  const relation = Number.isFinite(c) ? compareDecimalText(shownFloatText(precision, c), literal) : c > 0 ? 1 : -1;
  if (relation === 0) return { op, value: bound };
  switch (op) {
    case '=':
      return 'never';
    case '!=':
      return 'always';
    case '<':
    case '<=':
      // Shown below L: exactly the values up to c (c itself shows below L) or below c (c shows above L).
      return { op: relation < 0 ? '<=' : '<', value: bound };
    case '>':
    case '>=':
      return { op: relation < 0 ? '>' : '>=', value: bound };
  }
}
