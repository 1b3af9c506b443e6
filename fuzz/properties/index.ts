/**
 * The fuzz properties, one file each, shared by the long CLI run (fuzz/run.ts, `npm run fuzz`) and the short suite
 * version (test/fuzz/suite.ts). Each property runs `numRuns` cases with a given seed against a shared stage (a
 * throwaway MariaDB or PostgreSQL with the fixture schema, the local Secrets Manager endpoint and the built bundle:
 * fuzz/stage.ts) and throws the fast-check report (counterexample + broken invariant) when an invariant breaks.
 * Each property is the file of its name (random-events: randomEvents.ts) but the seventh, which lives with its
 * generator under fuzz/schema/; shared.ts holds the context and the checks they share.
 *
 * 1. random-events     random JSON (and JS-only) events, `type` among the eight, invalid ones, or missing
 * 2. mutated-events    valid events of every operation against the fixture DB, then damaged
 * 3. filters           random / grammar-aware / mutated filter expressions through QueryData
 * 4. tokens            random, mutated, forged and replayed nextTokens (QueryData and ListEntities)
 * 5. writes            random records written with random operations, ids and allOrNone to a dedicated table
 * 6. shown-values      filters on FLOAT, DOUBLE, Boolean, ZEROFILL and date columns select exactly the rows whose
 *                      records (as the connector shows them) the reference evaluator selects
 * 7. schemas           random tables of the engine's type catalog with edge values, checked by the round-trip,
 *                      read-completeness, write-truth, secrecy and metadata oracles (fuzz/schema/property.ts)
 *
 * Every case also checks the universal contract (harness.ts): throw only for an unknown type, otherwise a
 * schema-valid response, no `type` key, consistent isSuccess/errorDetails, never the password, never the other
 * database's rows, and no stray unhandled rejection.
 */
import { schemas } from '../schema/property';
import { filters } from './filters';
import { mutatedEvents } from './mutatedEvents';
import { randomEvents } from './randomEvents';
import type { FuzzProperty } from './shared';
import { shownValues } from './shownValues';
import { tokens } from './tokens';
import { writes } from './writes';

export {
  closeFuzzContext,
  createFuzzContext,
  type FuzzContext,
  type FuzzProperty,
  type PropertyOptions,
  type PropertyResult,
} from './shared';
export { filters, mutatedEvents, randomEvents, schemas, shownValues, tokens, writes };

/** In this order: a property's seed depends on its position here (fuzz/run.ts, test/fuzz/suite.ts). */
export const PROPERTIES: readonly FuzzProperty[] = [
  randomEvents,
  mutatedEvents,
  filters,
  tokens,
  writes,
  shownValues,
  schemas,
];
