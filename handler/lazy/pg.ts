/**
 * node-postgres, with the internal row decoder and value preparation its own Query uses (../engines/postgresql/
 * portalRead.ts needs them): a lazy chunk of the bundle (dist/lambda/lazy/pg.mjs), loaded by
 * ../engines/postgresql/driver.ts.
 */
import pgExports from 'pg';
// @ts-expect-error pg's internal modules have no type declarations
import Result from 'pg/lib/result.js';
// @ts-expect-error pg's internal modules have no type declarations
import utils from 'pg/lib/utils.js';
import type { PgResultClass } from '../engines/postgresql/portalRead';

/** pg's module.exports (a CommonJS module's default export). */
export const pg = pgExports as unknown as typeof import('pg');
export const PgResult = Result as PgResultClass;
export const prepareValue = (utils as { prepareValue: (value: unknown) => unknown }).prepareValue;
