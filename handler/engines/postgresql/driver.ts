/**
 * node-postgres, loaded on first use (as ../mysql/driver.ts does for mysql2): a cold Lambda that answers only
 * configuration calls never initialises it.
 */
import type { PgResultClass } from './portalRead';

type PgModule = typeof import('pg');

let pg: Promise<PgModule> | undefined;

export function loadPg(): Promise<PgModule> {
  // pg is CommonJS: its exports come back under `default` or spread as names, depending on the loader.
  pg ??= import('pg').then((module) => ((module as unknown as { default?: PgModule }).default ?? module) as PgModule);
  return pg;
}

/** pg's row decoder and value preparation (the ones pg's own Query uses; pg-cursor reaches them the same way). */
export interface PgInternals {
  readonly Result: PgResultClass;
  readonly prepareValue: (value: unknown) => unknown;
}

let internals: Promise<PgInternals> | undefined;

export function loadPgInternals(): Promise<PgInternals> {
  internals ??= Promise.all([
    // @ts-expect-error pg's internal modules have no type declarations
    import('pg/lib/result.js'),
    // @ts-expect-error pg's internal modules have no type declarations
    import('pg/lib/utils.js'),
  ]).then(([result, utils]) => ({
    Result: (result.default ?? result) as PgResultClass,
    prepareValue: ((utils.default ?? utils) as { prepareValue: PgInternals['prepareValue'] }).prepareValue,
  }));
  return internals;
}
