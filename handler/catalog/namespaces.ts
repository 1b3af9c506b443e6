/**
 * Whether the namespace a profile names can be read: a PostgreSQL schema that does not exist (or is misspelled:
 * names are exact) would otherwise list no entity and succeed. MySQL needs no check: a connection to a database
 * that does not exist is refused (error 1049) before any statement.
 *
 * (For the lead: this belongs on engine.ts Catalog as `namespaceProblem(runner, namespace, timeoutMs)`, implemented
 * by the PostgreSQL catalog object in handler/engines/postgresql/index.ts; it is dispatched here meanwhile.)
 */
import type { Engine, SqlRunner } from '../engines/engine';
import { schemaProblem } from '../engines/postgresql/catalog';

/** Why `namespace` cannot be read (its name and the namespaces the user can see), or null when it can. */
export async function namespaceProblem(
  engine: Engine,
  runner: SqlRunner,
  namespace: string,
  timeoutMs: number,
): Promise<string | null> {
  return engine.name === 'postgresql' ? schemaProblem(runner, namespace, timeoutMs) : null;
}
