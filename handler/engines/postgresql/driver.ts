/**
 * node-postgres, loaded on first use (as ../mysql/driver.ts does for mysql2): a cold Lambda that answers only
 * configuration calls never loads it. It is a file of its own in the package (dist/lambda/lazy/pg.mjs, see
 * ../../lazyModules.ts), with pg's row decoder and value preparation that ./portalRead.ts uses.
 */
import type { PgResultClass } from './portalRead';

type PgModule = typeof import('pg');

let chunk: Promise<typeof import('../../lazy/pg')> | undefined;

function loadChunk(): Promise<typeof import('../../lazy/pg')> {
  chunk ??= import('../../lazy/pg');
  return chunk;
}

export function loadPg(): Promise<PgModule> {
  return loadChunk().then((module) => module.pg);
}

/** pg's row decoder and value preparation (the ones pg's own Query uses; pg-cursor reaches them the same way). */
export interface PgInternals {
  readonly Result: PgResultClass;
  readonly prepareValue: (value: unknown) => unknown;
}

export function loadPgInternals(): Promise<PgInternals> {
  return loadChunk().then((module) => ({ Result: module.PgResult, prepareValue: module.prepareValue }));
}
