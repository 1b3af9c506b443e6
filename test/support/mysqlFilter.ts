/**
 * A filter expression as MySQL SQL: the engine-neutral translation (handler/filter/translate.ts) rendered by the
 * MySQL dialect. What tests and tools use to see the SQL a filter becomes; reads render the condition inside their
 * page statement (dialect.selectPage).
 */

import type { SqlParam } from '../../handler/engines/engine';
import { mysqlDialect } from '../../handler/engines/mysql/dialect';
import { type Filter, type FilterField, translateFilter, translateFilterTree } from '../../handler/filter';

export interface CompiledFilter {
  /** SQL condition to use as `WHERE (${where})`, or null when there is no condition. */
  readonly where: string | null;
  /** One parameter per `?` in `where`, in order. */
  readonly params: readonly SqlParam[];
  /** Total record cap from `LIMIT n`, or null. */
  readonly limit: number | null;
}

function render({ condition, limit }: ReturnType<typeof translateFilter>): CompiledFilter {
  if (condition === null) return { where: null, params: [], limit };
  const { sql, params } = mysqlDialect.condition(condition);
  return { where: sql, params, limit };
}

/** Compiles a filter expression; null/empty/blank means "no filter". */
export function compileFilter(
  expression: string | null | undefined,
  fields: ReadonlyMap<string, FilterField>,
): CompiledFilter {
  return render(translateFilter(expression, fields, mysqlDialect));
}

/** Compiles an already parsed filter (used directly by tests that generate trees). */
export function compileFilterTree(filter: Filter, fields: ReadonlyMap<string, FilterField>): CompiledFilter {
  return render(translateFilterTree(filter, fields, mysqlDialect));
}
