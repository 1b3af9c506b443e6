/**
 * What the fuzz properties (fuzz/properties/) share: the context every property runs in (a stage of fuzz/stage.ts,
 * the tables the properties create, the entity definitions, the watcher), one checked invocation, the fc.assert
 * call with the end-of-property checks, and the checks that hold for the answer of any read or write.
 */
import fc from 'fast-check';
import { describeEntityEvent } from '../../test/support/events';
import { capturedLogs, forbiddenForms } from '../../test/support/lambda';
import type { Watcher } from '../database';
import type { FilterFieldInfo } from '../filters';
import {
  type CheckedResponse,
  call,
  checkOutcome,
  checkRecords,
  type OutcomeStats,
  type Secrets,
  StrayRejections,
  safeStringify,
  violated,
} from '../harness';
import type { FuzzStage } from '../stage';

/** Fixture entities (test/support/fixtures.ts) that reads may use. */
export const FIXTURE_ENTITIES = ['all_types', 'order_lines', 'event_log', 'customers', 'active_items', 'line_totals'];
/** Scratch table for the WriteData events of property 2 (same shape as the target of property 5). */
export const SCRATCH_TABLE = 'fuzz_scratch';
/** Target table of property 5. */
export const TARGET_TABLE = 'fuzz_target';
/** Read-only table of property 6: values whose shown form differs from their stored form. */
export const SHOWN_TABLE = 'fuzz_shown';

interface EntityDefinitionLike {
  readonly entity: { readonly entityIdentifier: string };
  readonly fields: readonly FilterFieldInfo[];
}

export interface FuzzContext {
  readonly stage: FuzzStage;
  readonly watcher: Watcher;
  readonly secrets: Secrets;
  readonly strays: StrayRejections;
  /** What DescribeEntity answers for each fixture entity (and the write tables). */
  readonly definitions: ReadonlyMap<string, EntityDefinitionLike>;
  /** Server liveness and the end of its error log, for failure reports. */
  diagnostics(): string;
}

export interface PropertyOptions {
  readonly numRuns: number;
  readonly seed: number;
  /** Stop starting new cases after this long (a time-boxed run, `--minutes`); the cases run so far count. */
  readonly interruptAfterMs?: number;
  /** Known-defect features to generate anyway (fuzz/schema/switches.ts); 'all' for every one. */
  readonly knownDefects?: readonly string[] | 'all';
}

export interface PropertyResult {
  readonly name: string;
  /** Cases run, shrinking runs included. */
  readonly cases: number;
  readonly ms: number;
  /** What the cases produced (success / error codes / throws), and property-specific counters. */
  readonly summary: string;
  /** One example event and answer per outcome. */
  readonly samples: ReadonlyMap<string, string>;
  /** Distinct ServerError / UnknownError / ClientError answers, with a count and one example event. */
  readonly notable: ReadonlyMap<string, { count: number; example: string }>;
}

export interface FuzzProperty {
  readonly name: string;
  readonly title: string;
  /** Share of the CLI's total runs (cost-adjusted: slower properties get fewer). */
  readonly weight: number;
  run(context: FuzzContext, options: PropertyOptions): Promise<PropertyResult>;
}

async function describe(stage: FuzzStage, entity: string): Promise<EntityDefinitionLike> {
  const answer = (await stage.bundle.handler(describeEntityEvent(stage.target, entity))) as {
    isSuccess: boolean;
    entityDefinition: EntityDefinitionLike | null;
  };
  if (!answer.isSuccess || !answer.entityDefinition) {
    throw new Error(`fuzz setup: DescribeEntity ${entity} failed: ${safeStringify(answer)}`);
  }
  return JSON.parse(JSON.stringify(answer.entityDefinition)) as EntityDefinitionLike;
}

/** Prepares the shared context: scratch tables, entity definitions, the watcher. */
export async function createFuzzContext(stage: FuzzStage): Promise<FuzzContext> {
  const watcher = await stage.openWatcher();
  const { sql } = stage;
  for (const table of [SCRATCH_TABLE, TARGET_TABLE]) {
    await watcher.query(`DROP TABLE IF EXISTS ${sql.quote(table)}`);
    await watcher.query(sql.targetDdl(table));
  }
  await watcher.query(sql.targetSeed(TARGET_TABLE));
  await watcher.query(`DROP TABLE IF EXISTS ${sql.quote(SHOWN_TABLE)}`);
  await watcher.query(sql.shownDdl(SHOWN_TABLE));
  await watcher.query(sql.shownSeed(SHOWN_TABLE));
  const definitions = new Map<string, EntityDefinitionLike>();
  for (const entity of [...FIXTURE_ENTITIES, SCRATCH_TABLE, TARGET_TABLE, SHOWN_TABLE]) {
    definitions.set(entity, await describe(stage, entity));
  }
  const strays = new StrayRejections();
  strays.install();
  return {
    stage,
    watcher,
    secrets: { forbidden: forbiddenForms(stage.password) },
    strays,
    definitions,
    diagnostics: () => stage.diagnostics(),
  };
}

export async function closeFuzzContext(context: FuzzContext): Promise<void> {
  context.strays.uninstall();
  await context.watcher.close();
}

/** One invocation with the universal checks; returns the checked response (null when it threw for a bad type). */
export async function exercise(
  context: FuzzContext,
  event: unknown,
  stats: OutcomeStats,
): Promise<CheckedResponse | null> {
  const mark = context.strays.mark();
  const outcome = await call(context.stage.bundle, event);
  const checked = checkOutcome(event, outcome, context.secrets);
  stats.record(event, outcome, checked);
  context.strays.assertNoneSince(mark, context.secrets);
  return checked;
}

/** Runs fc.assert with the options every property uses, then the per-property end checks. */
export async function runProperty<T>(
  context: FuzzContext,
  name: string,
  options: PropertyOptions,
  stats: OutcomeStats,
  property: fc.IAsyncPropertyWithHooks<T>,
  extra: () => string = () => '',
): Promise<PropertyResult> {
  const logStart = capturedLogs().length;
  const strayMark = context.strays.mark();
  const started = performance.now();
  await fc.assert(property, {
    numRuns: options.numRuns,
    seed: options.seed,
    // A case that does not answer within the Lambda budget (10 s here) is a failure, not a stall.
    timeout: 20_000,
    ...(options.interruptAfterMs === undefined
      ? {}
      : { interruptAfterTimeLimit: options.interruptAfterMs, markInterruptAsFailure: false }),
  });
  const ms = performance.now() - started;
  // Late rejections (a dropped promise failing after its case ended) and the logs of the whole property.
  await new Promise((resolve) => setTimeout(resolve, 20));
  context.strays.assertNoneSince(strayMark, context.secrets);
  const logs = capturedLogs().slice(logStart);
  for (const secret of context.secrets.forbidden) {
    if (logs.includes(secret)) violated(`${name}: the connector logged the database password`);
  }
  const more = extra();
  return {
    name,
    cases: stats.cases,
    ms,
    summary: stats.summary() + (more ? `; ${more}` : ''),
    samples: stats.samples,
    notable: stats.notable,
  };
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}

/** Checks that hold for the answer of any read or write, given the event that produced it. */
export function checkShape(event: Record<string, unknown>, checked: CheckedResponse): void {
  const { response } = checked;
  if (checked.type === 'QueryDataRequest') {
    checkRecords(checked, isPositiveInteger(event.maxResults) ? event.maxResults : undefined);
  } else if (checked.type === 'RetrieveDataRequest') {
    checkRecords(checked);
  } else if (checked.type === 'ListEntitiesRequest' && response.isSuccess) {
    const entities = (response.entities ?? []) as unknown[];
    if (isPositiveInteger(event.maxResult) && entities.length > event.maxResult) {
      violated(`ListEntities returned ${entities.length} entities, more than maxResult ${event.maxResult}`);
    }
  } else if (checked.type === 'WriteDataRequest') {
    const results = response.writeRecordResults as unknown[] | null | undefined;
    if (results && Array.isArray(event.records) && results.length !== event.records.length) {
      violated(`WriteData answered ${results.length} results for ${event.records.length} records`);
    }
  }
}

/** Every nextToken of a paged read, in order. */
export async function tokenChain(
  context: FuzzContext,
  event: Record<string, unknown>,
  key: 'nextToken',
): Promise<string[]> {
  const tokens: string[] = [];
  let next: string | null = null;
  for (let page = 0; page < 50; page++) {
    const answer = (await context.stage.bundle.handler({ ...event, [key]: next })) as Record<string, unknown>;
    if (!answer.isSuccess) throw new Error(`fuzz setup: paging failed: ${safeStringify(answer).slice(0, 500)}`);
    next = (answer.nextToken as string | null) ?? null;
    if (!next) break;
    tokens.push(next);
  }
  return tokens;
}
