/**
 * The plan of a read (QueryData): which columns, which condition, which key pages follow, and the fingerprint a
 * token of this read carries. Engine-neutral: the condition is the filter's translation, rendered later by the
 * engine's dialect.
 */
import type { ColumnMeta, Condition, Engine, TableMeta } from '../engines/engine';
import { InvalidArgumentError } from '../errors';
import { type FilterField, translateFilter } from '../filter';
import { queryFingerprint, tokenLengthBound } from '../paging/token';
import type { EntityDefinition } from '../protocol/codecs';
import { LIMITS } from '../protocol/constants';
import { resolveSelectedColumns } from './records';

/** Fields the request may use: the entity definition AppFlow sent back (when present) narrows the table's columns. */
export function allowedFieldNames(definition: EntityDefinition | null | undefined): ReadonlySet<string> | undefined {
  return definition ? new Set(definition.fields.map((field) => field.fieldName)) : undefined;
}

export function filterFieldsOf(table: TableMeta, allowed: ReadonlySet<string> | undefined): Map<string, FilterField> {
  const fields = new Map<string, FilterField>();
  for (const column of table.columns) {
    if (!allowed || allowed.has(column.name)) fields.set(column.name, { name: column.name, dataType: column.dataType });
  }
  return fields;
}

export interface PagePlan {
  readonly table: TableMeta;
  readonly selected: readonly ColumnMeta[];
  /** The paging key, or null: pages by offset. */
  readonly keyColumns: readonly ColumnMeta[] | null;
  readonly where: Condition | null;
  /** The filter's LIMIT, or null. */
  readonly limit: number | null;
  /** Fingerprint of the query, carried by its tokens. */
  readonly query: string;
}

/** True when pages can be ordered and resumed by this key: every column is of a keyset-safe type. */
export function isPageableKey(key: readonly string[], byName: ReadonlyMap<string, ColumnMeta>): boolean {
  return key.length > 0 && key.every((name) => byName.get(name)?.keysetSafe === true);
}

/**
 * The key pages follow: the primary key, else a unique NOT NULL index, of column types that sort the way they compare
 * — and small enough that a token can carry two values of it (where the read is and where it ends) within AppFlow's
 * 2,048 characters. That is decided from the columns' declared sizes when the read is planned, never from the values
 * met: a key that could not fit is not used, and without one the read pages by offset.
 */
export function choosePagingKey(table: TableMeta): ColumnMeta[] | null {
  for (const key of [table.primaryKey, ...table.uniqueKeys]) {
    if (!isPageableKey(key, table.columnsByName)) continue;
    const columns = key.map((name) => table.columnsByName.get(name)!);
    if (tokenLengthBound(columns) <= LIMITS.maxTokenLength) return columns;
  }
  return null;
}

/** The plan of a QueryData request on `table`; InvalidArgumentError for a selection or filter that cannot work. */
export function planRead(
  engine: Engine,
  table: TableMeta,
  request: {
    readonly selectedFieldNames?: readonly string[] | null;
    readonly filterExpression?: string | null;
    readonly entityDefinition?: EntityDefinition | null;
  },
): PagePlan {
  const allowed = allowedFieldNames(request.entityDefinition);
  const selected = resolveSelectedColumns(table.columnsByName, table.columns, request.selectedFieldNames, allowed);
  if (selected.length === 0) throw new InvalidArgumentError('selectedFieldNames: no field of this entity is selected');
  const filter = translateFilter(request.filterExpression, filterFieldsOf(table, allowed), engine.dialect);
  const keyColumns = choosePagingKey(table);
  const query = queryFingerprint([
    table.name,
    request.filterExpression?.trim() ?? '',
    selected.map((column) => column.name).join('\u0000'),
    keyColumns ? `k\u0001${keyColumns.map((column) => column.name).join('\u0001')}` : 'o',
  ]);
  return { table, selected, keyColumns, where: filter.condition, limit: filter.limit, query };
}
