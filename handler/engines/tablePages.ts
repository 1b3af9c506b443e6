/** What every engine's catalog does alike: list tables a page at a time, refuse a name that is no table. */
import { ResourceNotFoundError } from '../errors';
import type { SqlRunner, Statement, TableSummary } from './engine';

/**
 * `Catalog.listTables` reading the engine's `statement`: tables and views of a namespace after a name, at most `rows`
 * in binary name order. It asks for one row more than the page holds: that row only tells that more follow.
 */
export function tablePages<Row, Summary extends TableSummary>(
  statement: (namespace: string, afterName: string | null, rows: number) => Statement,
  toSummary: (row: Row) => Summary,
) {
  return async (runner: SqlRunner, namespace: string, afterName: string | null, limit: number, timeoutMs: number) => {
    const { sql, params } = statement(namespace, afterName, Math.max(0, Math.floor(limit)) + 1);
    const rows = await runner.execute<Row[]>(sql, params, { timeoutMs });
    return { tables: rows.slice(0, limit).map(toSummary), hasMore: rows.length > limit };
  };
}

/** `describeTable`'s refusal of a name that is no table or view of the configured `namespace` (database, schema). */
export const notATable = (name: string, namespace: string) =>
  new ResourceNotFoundError(`entity "${name.slice(0, 128)}" is not a table or view of the configured ${namespace}`);
