/**
 * node-postgres, loaded on first use (as handler/lazyModules.ts does for mysql2): a cold Lambda that answers only
 * configuration calls never initialises it.
 */
type PgModule = typeof import('pg');

let pg: Promise<PgModule> | undefined;

export function loadPg(): Promise<PgModule> {
  // pg is CommonJS: its exports come back under `default` or spread as names, depending on the loader.
  pg ??= import('pg').then((module) => ((module as unknown as { default?: PgModule }).default ?? module) as PgModule);
  return pg;
}
