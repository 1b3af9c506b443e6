/**
 * The keys an UPSERT can name. An engine whose primary key may be unable to decide a conflict (PostgreSQL: a
 * DEFERRABLE primary key cannot arbitrate ON CONFLICT) states its `upsertKeys` on its table; otherwise they are the
 * primary key and the unique keys. DescribeEntity offers UPSERT only on these, and WriteData refuses any other
 * idFieldNames for UPSERT before sending anything.
 */
import type { TableMeta } from '../engines/engine';

export function upsertKeysOf(table: TableMeta): readonly (readonly string[])[] {
  return table.upsertKeys ?? [table.primaryKey, ...table.uniqueKeys].filter((key) => key.length > 0);
}

/** Whether `names` (in any order) is one of the table's UPSERT keys. */
export function isUpsertKey(table: TableMeta, names: readonly string[]): boolean {
  return upsertKeysOf(table).some((key) => key.length === names.length && key.every((name) => names.includes(name)));
}
