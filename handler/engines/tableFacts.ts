/**
 * The part of a TableMeta every catalog fills the same way once it has read the relation, its columns and its keys:
 * what may be written (writable is insertable or updatable), and the columns in order and by name.
 */
import type { ColumnMeta } from './engine';

/** What the catalog read of the relation itself. */
export interface RelationFacts {
  readonly isView: boolean;
  readonly insertable: boolean;
  readonly updatable: boolean;
  readonly comment: string | null;
}

export function tableFacts<C extends ColumnMeta>(
  relation: RelationFacts,
  columns: readonly C[],
  primaryKey: readonly string[],
  uniqueKeys: readonly (readonly string[])[],
) {
  return {
    isView: relation.isView,
    insertable: relation.insertable,
    updatable: relation.updatable,
    writable: relation.insertable || relation.updatable,
    comment: relation.comment,
    columns,
    columnsByName: new Map(columns.map((column) => [column.name, column])) as ReadonlyMap<string, C>,
    primaryKey,
    uniqueKeys,
  };
}
