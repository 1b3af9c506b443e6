/**
 * Whether the namespace a profile names can be read, asked of the engine's catalog (`Catalog.namespaceProblem`):
 * a PostgreSQL schema that does not exist (or is misspelled: names are exact) would otherwise list no entity and
 * succeed. An engine without the check (MySQL: a connection to a database that does not exist is refused, error
 * 1049, before any statement) has nothing to report.
 */
import type { Engine, SqlRunner } from '../engines/engine';

/** Why `namespace` cannot be read (its name and the namespaces the user can see), or null when it can. */
export async function namespaceProblem(
  engine: Engine,
  runner: SqlRunner,
  namespace: string,
  timeoutMs: number,
): Promise<string | null> {
  return (await engine.catalog.namespaceProblem?.(runner, namespace, timeoutMs)) ?? null;
}
