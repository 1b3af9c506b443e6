/**
 * The keys an UPSERT can name. An engine whose primary key may be unable to decide a conflict (PostgreSQL: a
 * DEFERRABLE primary key cannot arbitrate ON CONFLICT) states its `upsertKeys` on its table; otherwise they are the
 * primary key and the unique keys. DescribeEntity offers UPSERT only on these.
 *
 * (For the lead: `upsertKeys` belongs on engine.ts TableMeta; the write plan's UPSERT check in
 * handler/write/records.ts and PostgreSQL's insertSql should read `upsertKeysOf(table)` too.)
 */
import type { TableMeta } from '../engines/engine';

export function upsertKeysOf(table: TableMeta): readonly (readonly string[])[] {
  const stated = (table as { readonly upsertKeys?: readonly (readonly string[])[] }).upsertKeys;
  return stated ?? [table.primaryKey, ...table.uniqueKeys].filter((key) => key.length > 0);
}
