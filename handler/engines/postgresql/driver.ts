/**
 * node-postgres, loaded on first use (as ../mysql/driver.ts does for mysql2): a cold Lambda that answers only
 * configuration calls never initialises it.
 */
type PgModule = typeof import('pg');

let pg: Promise<PgModule> | undefined;

export function loadPg(): Promise<PgModule> {
  // pg is CommonJS: its exports come back under `default` or spread as names, depending on the loader.
  pg ??= import('pg').then((module) => ((module as unknown as { default?: PgModule }).default ?? module) as PgModule);
  return pg;
}

type CursorModule = typeof import('pg-cursor');

let cursor: Promise<CursorModule> | undefined;

/** pg-cursor (same maintainers as pg): reads a result a batch of rows at a time through a portal, with backpressure. */
export function loadPgCursor(): Promise<CursorModule> {
  cursor ??= import('pg-cursor').then(
    (module) => ((module as unknown as { default?: CursorModule }).default ?? module) as CursorModule,
  );
  return cursor;
}
