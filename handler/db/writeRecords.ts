/**
 * The checks and conversions of WriteData before any SQL runs: the write plan (operation, id columns, checked once
 * per request) and each record parsed, checked against the table's real columns and converted to bound parameters.
 *
 * - Id fields: required for UPSERT; for UPDATE and DELETE they default to the table's primary key when
 *   `idFieldNames` is absent or empty (AppFlow normally sends them); for INSERT they are optional and only name the
 *   value reported as `recordId`. UPSERT ids must be the primary key or a unique index whose columns are all
 *   NOT NULL: ON DUPLICATE KEY UPDATE identifies rows by unique keys only.
 * - Every record key must be a column of the table (and of the entity definition AppFlow sent, when it sent one);
 *   generated columns cannot be written. For DELETE the non-id fields are checked by name only and ignored.
 * - `recordId` is the record's id field value (a string as it is, other values as JSON text); composite ids are a
 *   JSON array of the values, e.g. `[1,2]`. Without id fields it is the primary key from the record, or the
 *   generated AUTO_INCREMENT value of an INSERT, else "".
 */
import { InvalidArgumentError } from '../errors';
import type { WriteOperationType } from '../protocol/codecs';
import { type ColumnMeta, isScalarKind, type TableMeta } from './columns';
import type { SqlParam } from './pool';
import { JsonObject, JsonSyntaxError, type JsonValue, readJson, toJsonText } from './writeJson';
import { convertValue, idText } from './writeValues';

export interface WritePlan {
  readonly table: TableMeta;
  readonly operation: WriteOperationType;
  /** Columns that identify a row (UPDATE, UPSERT, DELETE) or name the recordId (INSERT; may be empty). */
  readonly idColumns: readonly ColumnMeta[];
  /** True when `idColumns` came from `idFieldNames` (INSERT: only then does the record have to hold them). */
  readonly explicitIds: boolean;
  /** Fields the request may use (the entity definition AppFlow sent), or undefined for all columns. */
  readonly allowed: ReadonlySet<string> | undefined;
}

function sameSet(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && left.every((name) => right.includes(name));
}

/** Checks the request-level parts of a write; InvalidArgumentError when they cannot work for any record. */
export function planWrite(
  table: TableMeta,
  operation: WriteOperationType,
  idFieldNames: readonly string[] | null | undefined,
  allowed: ReadonlySet<string> | undefined,
): WritePlan {
  if (!table.writable) {
    throw new InvalidArgumentError(`entity "${table.name.slice(0, 128)}" is a view that cannot be written`);
  }
  const given = idFieldNames ?? [];
  if (new Set(given).size !== given.length) throw new InvalidArgumentError('idFieldNames: a field is named twice');
  let names: readonly string[] = given;
  if (names.length === 0 && (operation === 'UPDATE' || operation === 'DELETE')) names = table.primaryKey;
  if (names.length === 0 && operation === 'INSERT') names = table.primaryKey;
  if (names.length === 0 && operation !== 'INSERT') {
    throw new InvalidArgumentError(
      operation === 'UPSERT'
        ? 'idFieldNames is required for UPSERT'
        : `idFieldNames is required for ${operation}: the entity has no primary key to default to`,
    );
  }
  const idColumns = names.map((name) => {
    const column = table.columnsByName.get(name);
    if (!column || (allowed && !allowed.has(name))) {
      throw new InvalidArgumentError(`idFieldNames: "${name.slice(0, 64)}" is not a field of this entity`);
    }
    if (!isScalarKind(column.kind)) {
      throw new InvalidArgumentError(
        `idFieldNames: field "${column.name}" (${column.columnType}) cannot identify a record`,
      );
    }
    if (column.generated && (operation === 'UPSERT' || operation === 'INSERT') && given.length > 0) {
      throw new InvalidArgumentError(
        `idFieldNames: field "${column.name}" is a generated column and cannot be written`,
      );
    }
    return column;
  });
  if (operation === 'UPSERT') {
    const keys = [table.primaryKey, ...table.uniqueKeys].filter((key) => key.length > 0);
    if (!keys.some((key) => sameSet(key, names))) {
      throw new InvalidArgumentError(
        `idFieldNames for UPSERT must be the primary key or a unique index with NOT NULL columns; ` +
          `(${names.join(', ').slice(0, 200)}) is neither`,
      );
    }
  }
  return { table, operation, idColumns, explicitIds: given.length > 0, allowed };
}

/** A record ready to be written. */
export interface PreparedRecord {
  /** Position in the request. */
  readonly index: number;
  /** Columns written (INSERT, UPSERT: every field of the record; UPDATE: the non-id fields; DELETE: none). */
  readonly columns: readonly ColumnMeta[];
  readonly params: readonly SqlParam[];
  /** Values of the plan's id columns, in their order (UPDATE, UPSERT, DELETE). */
  readonly idParams: readonly SqlParam[];
  /** The record id as far as the record tells it (see formatRecordId). */
  readonly recordId: string;
  /** The id values of the record, for a recordId completed by a generated value. */
  readonly recordIdParts: readonly (JsonValue | undefined)[];
  /** INSERT: position in the id columns of the AUTO_INCREMENT column the statement generates, else -1. */
  readonly generatedIdPosition: number;
  /** Records with the same key are written by one multi-row statement. */
  readonly shapeKey: string;
}

export type PreparedOrFailed =
  | { readonly ok: true; readonly record: PreparedRecord }
  | { readonly ok: false; readonly index: number; readonly recordId: string; readonly message: string };

/**
 * The recordId of id values. `undefined` parts are absent from the record; the one at `generated.position` is the
 * AUTO_INCREMENT value an INSERT generated.
 */
export function formatRecordId(
  parts: readonly (JsonValue | undefined)[],
  generated?: { readonly position: number; readonly value: string },
): string {
  const text = (part: JsonValue | undefined, position: number, single: boolean): string => {
    if (part !== undefined) return single ? idText(part) : toJsonText(part);
    if (generated && generated.position === position) return generated.value;
    return single ? '' : 'null';
  };
  if (parts.length === 1) return text(parts[0], 0, true);
  if (parts.length === 0) return '';
  return '[' + parts.map((part, position) => text(part, position, false)).join(',') + ']';
}

/** Parses, checks and converts one record string. */
export function prepareRecord(plan: WritePlan, text: string, index: number): PreparedOrFailed {
  const fail = (message: string, recordId = ''): PreparedOrFailed => ({ ok: false, index, recordId, message });
  let parsed: JsonValue;
  try {
    parsed = readJson(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) return fail(`the record is not valid JSON: ${error.message}`);
    throw error;
  }
  if (!(parsed instanceof JsonObject)) return fail('the record is not a JSON object');
  const { table, operation, idColumns } = plan;
  const entries = parsed.entries;

  // The id first, so that even a record with a bad value reports which record it is.
  const idParts = idColumns.map((column) => entries.get(column.name) ?? undefined);
  const knownId = formatRecordId(idParts.map((part) => (part === null ? undefined : part)));
  const needsIds = operation !== 'INSERT';
  for (const [position, column] of idColumns.entries()) {
    const value = idParts[position];
    if (needsIds && (value === undefined || value === null)) {
      return fail(`id field "${column.name}" is ${value === null ? 'null' : 'missing'} in the record`, knownId);
    }
  }

  const columns: ColumnMeta[] = [];
  const params: SqlParam[] = [];
  const idNames = new Set(idColumns.map((column) => column.name));
  for (const [name, value] of entries) {
    const column = table.columnsByName.get(name);
    if (!column || (plan.allowed && !plan.allowed.has(name))) {
      return fail(`unknown field "${name.slice(0, 64)}": the entity has no such field`, knownId);
    }
    if (operation === 'DELETE') continue;
    if (column.generated) {
      return fail(`field "${name}" is a generated column and cannot be written`, knownId);
    }
    // An INSERT of null into an AUTO_INCREMENT column asks for a generated value: leave the column out.
    if (value === null && column.autoIncrement && operation === 'INSERT') continue;
    if (operation === 'UPDATE' && idNames.has(name)) continue;
    const converted = convertValue(column, value);
    if (!converted.ok) return fail(converted.message, knownId);
    columns.push(column);
    params.push(converted.param);
  }

  const idParams: SqlParam[] = [];
  if (needsIds) {
    for (const [position, column] of idColumns.entries()) {
      const converted = convertValue(column, idParts[position]!);
      if (!converted.ok) return fail(converted.message, knownId);
      idParams.push(converted.param);
    }
  }

  let generatedIdPosition = -1;
  if (operation === 'INSERT') {
    const present = new Set(columns.map((column) => column.name));
    const missing = table.columns.find((column) => !column.defaultedOnCreate && !present.has(column.name));
    if (missing) return fail(`field "${missing.name}" is required: it is NOT NULL without a default`, knownId);
    generatedIdPosition = idColumns.findIndex((column) => column.autoIncrement && !present.has(column.name));
  }

  // Canonical column order (table order) so that records with the same fields share one statement.
  const order = new Map(table.columns.map((column, position) => [column.name, position]));
  const sorted = columns.map((column, position) => ({ column, param: params[position]! }));
  sorted.sort((left, right) => order.get(left.column.name)! - order.get(right.column.name)!);
  return {
    ok: true,
    record: {
      index,
      columns: sorted.map((item) => item.column),
      params: sorted.map((item) => item.param),
      idParams,
      recordId: knownId,
      recordIdParts: idParts.map((part) => (part === null ? undefined : part)),
      generatedIdPosition,
      shapeKey: sorted.map((item) => item.column.name).join('\u0000'),
    },
  };
}
