/**
 * The page statements of every engine (`SqlDialect.selectPage`, `selectHighestKey`), assembled once: the selected
 * columns, then the key columns (to resume from); the filter, not beyond the snapshot key, strictly after the last
 * key read, in key order (keyset); or the filter in the order of `orderBy` and, for a total order, the engine's
 * tie-breakers, from `offset` (offset paging, RetrieveData).
 *
 * An engine supplies only its SQL primitives (`PageSql`): how it quotes a name, selects a column, names the relation
 * read, renders a condition, compares a key and breaks ties.
 */
import { InvalidArgumentError } from '../errors';
import type { ColumnMeta, Condition, KeyCell, SqlDialect, SqlParam, TableMeta } from './engine';

export interface PageSql {
  quoteIdentifier(name: string): string;
  /** A selected column, as the engine's record encoder reads it. */
  selected(column: ColumnMeta): string;
  /** A key column as selected to resume from: its value in the form a token cell holds. */
  keyExpression(column: ColumnMeta): string;
  /** What FROM names: the table, with whatever makes the read return exactly the entity's rows. */
  source(table: TableMeta): string;
  /** The filter on `table`'s columns; its parameters are pushed onto `params` in placeholder order. */
  where(condition: Condition, table: TableMeta, params: SqlParam[]): string;
  /** `(k1, k2, …) op (v1, v2, …)` (one cell per column, checked), the cells bound as the key columns' values. */
  keyComparison(columns: readonly ColumnMeta[], cells: readonly KeyCell[], op: '>' | '<=', params: SqlParam[]): string;
  /** ORDER BY terms after `orderBy` that make offset paging's order total on what records show. */
  tieBreakers(table: TableMeta): string[];
}

export function pageStatements(sql: PageSql): Pick<SqlDialect, 'selectPage' | 'selectHighestKey'> {
  const orderBy = (columns: readonly ColumnMeta[], direction: 'ASC' | 'DESC' = 'ASC') =>
    columns.map((column) => `${sql.quoteIdentifier(column.name)} ${direction}`).join(', ');
  const keyBound = (columns: readonly ColumnMeta[], cells: readonly KeyCell[], op: '>' | '<=', params: SqlParam[]) => {
    if (cells.length !== columns.length) {
      throw new InvalidArgumentError('nextToken does not match the paging key of this entity');
    }
    return sql.keyComparison(columns, cells, op, params);
  };
  return {
    selectPage(query) {
      const params: SqlParam[] = [];
      const keyColumns = query.keyset?.columns ?? [];
      // A select list may be empty where the engine allows it (PostgreSQL: each row is an empty record).
      const selectList = [...query.select.map(sql.selected), ...keyColumns.map(sql.keyExpression)];
      const conditions: string[] = [];
      if (query.where) conditions.push(sql.where(query.where, query.table, params));
      if (query.keyset?.until) conditions.push(keyBound(keyColumns, query.keyset.until, '<=', params));
      if (query.keyset?.after) conditions.push(keyBound(keyColumns, query.keyset.after, '>', params));
      const order = query.keyset ? keyColumns : query.orderBy;
      let text = `SELECT ${selectList.join(', ')} FROM ${sql.source(query.table)}`;
      if (conditions.length > 0) text += ` WHERE ${conditions.join(' AND ')}`;
      const orderList = order.length > 0 ? [orderBy(order)] : [];
      if (!query.keyset && query.totalOrder) orderList.push(...sql.tieBreakers(query.table));
      if (orderList.length > 0) text += ` ORDER BY ${orderList.join(', ')}`;
      if (query.limit !== null) text += ` LIMIT ${Math.max(0, Math.trunc(query.limit))}`;
      if (query.offset > 0) text += ` OFFSET ${Math.trunc(query.offset)}`;
      return { sql: text, params };
    },
    selectHighestKey(table, keyColumns) {
      return {
        sql:
          `SELECT ${keyColumns.map(sql.keyExpression).join(', ')} FROM ${sql.source(table)} ` +
          `ORDER BY ${orderBy(keyColumns, 'DESC')} LIMIT 1`,
        params: [],
      };
    },
  };
}
