/**
 * The checks and conversions of WriteData before any SQL runs: the write plan (operation, id columns, checked once
 * per request) and each record parsed, checked against the table's real columns and converted to bound parameters.
 *
 * - Id fields: required for UPSERT; for UPDATE and DELETE they default to the table's primary key when
 *   `idFieldNames` is absent or empty (AppFlow normally sends them); for INSERT they are optional and only name the
 *   value reported as `recordId`. UPSERT ids must be the primary key or a unique index whose columns are all
 *   NOT NULL: ON DUPLICATE KEY UPDATE identifies rows by unique keys only.
 * - Every record key must be a column of the table (and of the entity definition AppFlow sent, when it sent one);
 *   generated columns (including the ROW START/END columns of a system-versioned table) cannot be written. For
 *   DELETE the non-id fields are checked by name only and ignored.
 * - INSERT: a record lacking columns that are NOT NULL without a default fails, naming them. UPSERT: such a record
 *   can only update an existing row (PreparedRecord.missing). An explicit null for a server-numbered column of an
 *   INSERT (AUTO_INCREMENT, serial, identity, GENERATED ALWAYS identity included) asks for a generated value, like
 *   an absent one; an explicit 0 is written as 0 (NO_AUTO_VALUE_ON_ZERO).
 * - `recordId` is the record's id field value (a string as it is, other values as JSON text); composite ids are a
 *   JSON array of the values, e.g. `[1,2]`. Without id fields it is the primary key from the record, or the
 *   generated AUTO_INCREMENT value of an INSERT, else "".
 */

import { isUpsertKey } from '../catalog/upsertKeys';
import type { ColumnMeta, Convert, SqlParam, TableMeta, ValueCodecs } from '../engines/engine';
import { InvalidArgumentError } from '../errors';
import type { WriteOperationType } from '../protocol/codecs';
import { floatCondition } from '../values/floats';
import { JsonNumber, JsonObject, JsonSyntaxError, type JsonValue, readJson, toJsonText } from '../values/json';

/** The text of an id value as reported in `recordId`: strings as they are, other values as their JSON text. */
export function idText(value: JsonValue): string {
  return typeof value === 'string' ? value : toJsonText(value);
}

export interface WritePlan {
  readonly table: TableMeta;
  readonly operation: WriteOperationType;
  /** Columns that identify a row (UPDATE, UPSERT, DELETE) or name the recordId (INSERT; may be empty). */
  readonly idColumns: readonly ColumnMeta[];
  /** True when `idColumns` came from `idFieldNames` (INSERT: only then does the record have to hold them). */
  readonly explicitIds: boolean;
  /** Fields the request may use (the entity definition AppFlow sent), or undefined for all columns. */
  readonly allowed: ReadonlySet<string> | undefined;
  /** What prepareRecord looks up for every record, computed once per request. */
  readonly lookup: RecordLookup;
  /** The engine's converter of each column's record values, by table position: the one JSON-to-value conversion. */
  readonly converters: readonly Convert[];
}

/** The columns a record writes, in table order, and what follows from them alone. */
interface Shape {
  /** Table positions of the columns written, in the record's order. */
  readonly positions: readonly number[];
  /** For each column in table order, its index in `positions`; null when `positions` is already in table order. */
  readonly order: readonly number[] | null;
  readonly columns: readonly ColumnMeta[];
  readonly shapeKey: string;
  /** INSERT, UPSERT: the columns that are NOT NULL without a default and absent (a new row needs them). */
  readonly missing: readonly ColumnMeta[];
  /** INSERT: see PreparedRecord.generatedIdPosition. */
  readonly generatedIdPosition: number;
  /** INSERT: see PreparedRecord.readBackKey. */
  readonly readBackKey: readonly ColumnMeta[] | null;
}

/** Per-request lookups of prepareRecord; remembers the last record's shape (records of a request mostly share it). */
class RecordLookup {
  /** Table position of each column the request may write or name. */
  readonly positions: ReadonlyMap<string, number>;
  /** Per table position: an id column (UPDATE leaves these out of SET). */
  readonly isId: readonly boolean[];
  /** Table position of each id column, in the plan's order. */
  readonly idPositions: readonly number[];
  private last: Shape | undefined;

  constructor(
    private readonly table: TableMeta,
    private readonly operation: WriteOperationType,
    private readonly idColumns: readonly ColumnMeta[],
    allowed: ReadonlySet<string> | undefined,
    private readonly reportsAbsentIds: boolean,
  ) {
    const positions = new Map<string, number>();
    table.columns.forEach((column, position) => {
      if (!allowed || allowed.has(column.name)) positions.set(column.name, position);
    });
    this.positions = positions;
    const idNames = new Set(idColumns.map((column) => column.name));
    this.isId = table.columns.map((column) => idNames.has(column.name));
    this.idPositions = idColumns.map((column) => table.columns.indexOf(column));
  }

  shape(positions: readonly number[]): Shape {
    const last = this.last;
    if (last !== undefined && sameNumbers(last.positions, positions)) return last;
    const shape = this.build(positions);
    this.last = shape;
    return shape;
  }

  private build(positions: readonly number[]): Shape {
    let ascending = true;
    for (let index = 1; index < positions.length; index++) {
      if (positions[index]! < positions[index - 1]!) ascending = false;
    }
    let order: number[] | null = null;
    if (!ascending) {
      order = positions.map((_, index) => index);
      order.sort((left, right) => positions[left]! - positions[right]!);
    }
    const columns = (order ?? positions.map((_, index) => index)).map(
      (index) => this.table.columns[positions[index]!]!,
    );
    let missing: ColumnMeta[] = [];
    let generatedIdPosition = -1;
    if (this.operation === 'INSERT' || this.operation === 'UPSERT') {
      const present = new Set(columns.map((column) => column.name));
      missing = this.table.columns.filter((column) => !column.defaultedOnCreate && !present.has(column.name));
    }
    if (this.operation === 'INSERT') {
      const present = new Set(columns.map((column) => column.name));
      generatedIdPosition = this.idColumns.findIndex(
        (column) => (column.serverGenerated || this.reportsAbsentIds) && !present.has(column.name),
      );
    }
    let readBackKey: ColumnMeta[] | null = null;
    if (generatedIdPosition >= 0) {
      const present = new Set(columns.map((column) => column.name));
      const key = [this.table.primaryKey, ...this.table.uniqueKeys].find(
        (names) => names.length > 0 && names.every((name) => present.has(name)),
      );
      if (key) readBackKey = key.map((name) => this.table.columnsByName.get(name)!);
    }
    return {
      positions: [...positions],
      order,
      columns,
      shapeKey: columns.map((column) => column.name).join('\u0000'),
      missing,
      generatedIdPosition,
      readBackKey,
    };
  }
}

function sameNumbers(left: readonly number[], right: readonly number[]): boolean {
  if (left.length !== right.length) return false;
  for (let index = 0; index < left.length; index++) if (left[index] !== right[index]) return false;
  return true;
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
  values: ValueCodecs,
  reportsAbsentIds = false,
): WritePlan {
  if (!table.writable) {
    throw new InvalidArgumentError(`entity "${table.name.slice(0, 128)}" is a view that cannot be written`);
  }
  const inserts = operation === 'INSERT' || operation === 'UPSERT';
  const updates = operation !== 'INSERT';
  if ((inserts && !table.insertable) || (updates && !table.updatable)) {
    throw new InvalidArgumentError(
      `entity "${table.name.slice(0, 128)}" ${table.isView ? 'is a view that ' : ''}cannot take ${operation}: ` +
        `rows can only be ` +
        (table.insertable ? 'inserted' : 'updated and deleted'),
    );
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
    if (!column.comparable) {
      throw new InvalidArgumentError(
        `idFieldNames: field "${column.name}" (${column.declaredType}) cannot identify a record`,
      );
    }
    if (!column.writable && (operation === 'UPSERT' || operation === 'INSERT') && given.length > 0) {
      throw new InvalidArgumentError(
        `idFieldNames: field "${column.name}" is a generated column and cannot be written`,
      );
    }
    return column;
  });
  if (operation === 'UPSERT') {
    const keys = [table.primaryKey, ...table.uniqueKeys].filter((key) => key.length > 0);
    const listed = names.join(', ').slice(0, 200);
    if (keys.some((key) => sameSet(key, names)) && !isUpsertKey(table, names)) {
      // A key the server cannot use to decide the conflict (PostgreSQL: a DEFERRABLE constraint, SQLSTATE 55000)
      // would fail every record with a server error after sending them: refuse the request before that.
      throw new InvalidArgumentError(
        `idFieldNames for UPSERT: the key (${listed}) is deferrable, and the database cannot use a deferrable key ` +
          `to decide which row an UPSERT updates; name a unique key with NOT NULL columns that is not deferrable`,
      );
    }
    if (!isUpsertKey(table, names)) {
      throw new InvalidArgumentError(
        `idFieldNames for UPSERT must be the primary key or a unique index with NOT NULL columns; ` +
          `(${listed}) is neither`,
      );
    }
  }
  return {
    table,
    operation,
    idColumns,
    explicitIds: given.length > 0,
    allowed,
    lookup: new RecordLookup(table, operation, idColumns, allowed, reportsAbsentIds),
    converters: table.columns.map((column) => values.converter(column)),
  };
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
  /**
   * No stored value shows as the record's id (a FLOAT id `0.10000000001`): UPDATE and DELETE find no row without
   * asking the server.
   */
  readonly idMatchesNothing?: boolean;
  /** INSERT: position in the id columns of the AUTO_INCREMENT column the statement generates, else -1. */
  readonly generatedIdPosition: number;
  /**
   * INSERT with a generated id: a unique key (NOT NULL) whose columns the record writes, by which the generated ids
   * of a multi-row statement can be read back; null when the record carries none.
   */
  readonly readBackKey: readonly ColumnMeta[] | null;
  /** Consecutive records with the same key are written by one multi-row statement. */
  readonly shapeKey: string;
  /**
   * UPSERT: the columns a new row would need that the record lacks (NOT NULL without a default). Such a record can
   * only update an existing row: it is written by UPDATE, and fails when no row matches.
   */
  readonly missing: readonly ColumnMeta[];
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

function failed(index: number, message: string, recordId = ''): PreparedOrFailed {
  return { ok: false, index, recordId, message };
}

/** Parses, checks and converts one record string. */
export function prepareRecord(plan: WritePlan, text: string, index: number): PreparedOrFailed {
  let parsed: JsonValue;
  try {
    parsed = readJson(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) return failed(index, `the record is not valid JSON: ${error.message}`);
    throw error;
  }
  if (!(parsed instanceof JsonObject)) return failed(index, 'the record is not a JSON object');
  const { table, operation, idColumns, lookup } = plan;
  const { keys, values } = parsed;

  // The id first, so that even a record with a bad value reports which record it is.
  const idParts: (JsonValue | undefined)[] = [];
  for (const column of idColumns) idParts.push(parsed.get(column.name) ?? undefined);
  const recordIdParts = idParts.map((part) => (part === null ? undefined : part));
  const knownId = formatRecordId(recordIdParts);
  const needsIds = operation !== 'INSERT';
  if (needsIds) {
    for (const [position, column] of idColumns.entries()) {
      const value = idParts[position];
      if (value === undefined || value === null) {
        return failed(
          index,
          `id field "${column.name}" is ${value === null ? 'null' : 'missing'} in the record`,
          knownId,
        );
      }
    }
  }

  const positions: number[] = [];
  const params: SqlParam[] = [];
  for (let entry = 0; entry < keys.length; entry++) {
    const name = keys[entry]!;
    const position = lookup.positions.get(name);
    if (position === undefined) {
      return failed(index, `unknown field "${name.slice(0, 64)}": the entity has no such field`, knownId);
    }
    if (operation === 'DELETE') continue;
    const column = table.columns[position]!;
    const value = values[entry]!;
    // An INSERT of null into a server-numbered column (AUTO_INCREMENT, serial, identity — also GENERATED ALWAYS,
    // which no write may set) asks for a generated value: leave the column out.
    if (value === null && column.serverGenerated && operation === 'INSERT') continue;
    if (!column.writable) {
      return failed(index, `field "${name}" is a generated column and cannot be written`, knownId);
    }
    if (operation === 'UPDATE' && lookup.isId[position]) continue;
    const converted = plan.converters[position]!(value);
    if (!converted.ok) return failed(index, converted.message, knownId);
    positions.push(position);
    params.push(converted.param);
  }

  const idParams: SqlParam[] = [];
  let idMatchesNothing = false;
  if (needsIds) {
    for (let position = 0; position < idColumns.length; position++) {
      // A float id is the value a record shows, not a value to store: one no stored float shows as matches no row
      // (it is not refused for a precision the column lacks, as a value to write would be).
      const shown = shownFloatId(idColumns[position]!, idParts[position]!);
      if (shown === 'never') idMatchesNothing = true;
      if (shown !== null) {
        idParams.push(shown === 'never' ? null : shown);
        continue;
      }
      const converted = plan.converters[lookup.idPositions[position]!]!(idParts[position]!);
      if (!converted.ok) return failed(index, converted.message, knownId);
      idParams.push(converted.param);
    }
  }

  // Canonical column order (table order) so that records with the same fields share one statement.
  const shape = lookup.shape(positions);
  if (operation === 'INSERT' && shape.missing.length > 0) return failed(index, requiredMessage(shape.missing), knownId);
  const order = shape.order;
  return {
    ok: true,
    record: {
      index,
      columns: shape.columns,
      params: order === null ? params : order.map((position) => params[position]!),
      idParams,
      recordId: knownId,
      recordIdParts,
      generatedIdPosition: shape.generatedIdPosition,
      readBackKey: shape.readBackKey,
      shapeKey: shape.shapeKey,
      missing: operation === 'UPSERT' ? shape.missing : [],
      idMatchesNothing,
    },
  };
}

/**
 * A FLOAT or DOUBLE id as a record shows it: the stored value whose shown text equals the id's decimal text (the
 * rule of filters and RetrieveData, handler/values/floats.ts), so `f = 0.1` as QueryData showed it finds the FLOAT
 * row stored as 0.100000001490116…; 'never' when no stored value shows so; null for other columns and values.
 */
function shownFloatId(column: ColumnMeta, value: JsonValue): number | 'never' | null {
  if (column.dataType !== 'Float' && column.dataType !== 'Double') return null;
  const text = value instanceof JsonNumber ? value.text : typeof value === 'string' ? value.trim() : null;
  if (text === null || !/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text) || !Number.isFinite(Number(text))) return null;
  const condition = floatCondition(column.dataType === 'Float' ? 'single' : 'double', '=', text);
  if (condition === 'never') return 'never';
  return condition === 'always' ? null : condition.value;
}

/** The fields a new row lacks, named (never a value). */
export function missingFieldsText(missing: readonly ColumnMeta[]): string {
  const names = missing.map((column) => `"${column.name}"`).join(', ');
  return `field${missing.length > 1 ? 's' : ''} ${names.length > 300 ? names.slice(0, 300) + '…' : names}`;
}

function requiredMessage(missing: readonly ColumnMeta[]): string {
  return missing.length === 1
    ? `field "${missing[0]!.name}" is required: it is NOT NULL without a default`
    : `${missingFieldsText(missing)} are required: they are NOT NULL without a default`;
}
