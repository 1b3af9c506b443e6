/**
 * What every engine's value converters share (handler/engines/<name>/values.ts): the result of one conversion, the
 * refusals — which name the field and its declared type, never the value — and base64 for binary columns.
 */
import type { Converted, SqlParam } from '../engines/engine';
import { type JsonValue, jsonTypeName } from './json';

/** The facts a refusal names. */
export interface ConvertedColumn {
  readonly name: string;
  /** The declared type as the server prints it: `decimal(6,2)`, `numeric(12,2)`. */
  readonly columnType: string;
}

export function accepted(param: SqlParam): Converted {
  return { ok: true, param };
}

export function fieldLabel(column: ConvertedColumn): string {
  return `field "${column.name}" (${column.columnType})`;
}

/** The value is of the wrong JSON type. */
export function refusal(column: ConvertedColumn, expected: string, value: JsonValue): Converted {
  return { ok: false, message: `${fieldLabel(column)} expects ${expected}, got ${jsonTypeName(value)}` };
}

/** The value is of the right JSON type but not of the expected form. */
export function shapeRefusal(column: ConvertedColumn, expected: string): Converted {
  return { ok: false, message: `${fieldLabel(column)} expects ${expected}; the value does not have that form` };
}

const BASE64 = /^(?:[A-Za-z0-9+/]*|[A-Za-z0-9_-]*)={0,2}$/;

/**
 * Binary values travel as base64 (standard or URL-safe alphabet, padding optional but, when present, right). Node's
 * base64 decoder reads both alphabets, so one decoding serves both.
 */
export function convertBase64(column: ConvertedColumn, value: JsonValue): Converted {
  if (typeof value !== 'string') return refusal(column, 'base64 text', value);
  const body = value.replace(/=+$/, '');
  const padded = body.length !== value.length;
  if (!BASE64.test(value) || body.length % 4 === 1 || (padded && value.length % 4 !== 0)) {
    return shapeRefusal(column, 'base64 text');
  }
  return accepted(Buffer.from(body, 'base64'));
}
