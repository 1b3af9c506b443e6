/**
 * Decimal text read exactly, never through a double: the one reader behind the engines' integer, decimal and float
 * writes and the float shown-value rules (floats.ts). The text is an optional sign, digits with at most one point
 * (at least one digit on either side of it: `5.`, `.5`) and an optional exponent: "-12.50", "1e3", ".5", "+7".
 */

/** A finite decimal number as exact parts. */
export interface ExactDecimal {
  readonly negative: boolean;
  /** Digits before the point without leading zeros ("" for zero). */
  readonly integer: string;
  /** Fraction digits without trailing zeros. */
  readonly fraction: string;
}

const DECIMAL_TEXT = /^([-+])?(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/;

/** Decimal text as written: its sign, the digits before and after the point, the exponent's text ('' without). */
interface ScannedDecimal {
  readonly negative: boolean;
  readonly whole: string;
  readonly fraction: string;
  readonly exponent: string;
}

function scanDecimal(text: string): ScannedDecimal | null {
  const match = DECIMAL_TEXT.exec(text);
  if (match === null || (match[2] === '' && (match[3] ?? '') === '')) return null;
  return { negative: match[1] === '-', whole: match[2]!, fraction: match[3] ?? '', exponent: match[4] ?? '' };
}

/** Exponents of more digits are refused: a value a record could hold never needs one. */
const EXPONENT_DIGITS = 6;
/** Values whose point lies further in, or with more digits once a negative exponent is spelt out, are refused
 *  before their digits are built (1e999999 would be a megabyte of zeros); no column type holds one. */
const MAX_POINT = 1000;
const MAX_DIGITS = 2000;

/** Decimal text ("-12.50", "1e3", ".5") as exact parts; null when it is not decimal text or is absurdly large. */
export function readExactDecimal(text: string): ExactDecimal | null {
  const scanned = scanDecimal(text);
  if (scanned === null) return null;
  const exponent = scanned.exponent;
  const sign = exponent.charCodeAt(0) === 0x2d || exponent.charCodeAt(0) === 0x2b ? 1 : 0;
  if (exponent.length - sign > EXPONENT_DIGITS) return null;
  let digits = scanned.whole + scanned.fraction;
  let point = scanned.whole.length + Number(exponent || 0);
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > MAX_POINT || digits.length > MAX_DIGITS) return null;
  if (point > digits.length) digits += '0'.repeat(point - digits.length);
  const integer = digits.slice(0, point).replace(/^0+/, '');
  const fraction = digits.slice(point).replace(/0+$/, '');
  return { negative: scanned.negative && (integer !== '' || fraction !== ''), integer, fraction };
}

/** Plain decimal text of exact parts: "-1500", "0.25", "0". */
export function decimalText(value: ExactDecimal): string {
  return (value.negative ? '-' : '') + (value.integer || '0') + (value.fraction ? '.' + value.fraction : '');
}

interface Normalized {
  readonly sign: -1 | 0 | 1;
  /** Significant digits without leading or trailing zeros ('' for zero). */
  readonly digits: string;
  /** value = sign × 0.digits × 10^point */
  readonly point: number;
}

function normalize(text: string): Normalized {
  const scanned = scanDecimal(text);
  if (scanned === null) throw new Error('not decimal text');
  const all = scanned.whole + scanned.fraction;
  const lead = all.search(/[1-9]/);
  if (lead === -1) return { sign: 0, digits: '', point: 0 };
  const digits = all.slice(lead).replace(/0+$/, '');
  // Exponents beyond any double are clamped: they only need to compare as "huge" or "tiny".
  const exponent = Math.max(-100_000, Math.min(100_000, Number(scanned.exponent || 0)));
  return { sign: scanned.negative ? -1 : 1, digits, point: scanned.whole.length - lead + exponent };
}

/** Sign of (a − b) for two decimal texts (optional exponent, any number of exponent digits), exactly. */
export function compareDecimalText(a: string, b: string): number {
  const x = normalize(a);
  const y = normalize(b);
  if (x.sign !== y.sign) return Math.sign(x.sign - y.sign);
  if (x.sign === 0) return 0;
  let magnitude: number;
  if (x.point !== y.point) magnitude = x.point > y.point ? 1 : -1;
  else magnitude = x.digits === y.digits ? 0 : x.digits > y.digits ? 1 : -1;
  return magnitude * x.sign;
}
