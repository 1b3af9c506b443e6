/**
 * The fuzz properties, shared by the long CLI run (fuzz/run.ts, `npm run fuzz`) and the short suite version
 * (test/fuzz/fuzz.test.ts). Each property runs `numRuns` cases with a given seed against a shared stage (a
 * throwaway MariaDB or PostgreSQL with the fixture schema, the local Secrets Manager endpoint and the built bundle:
 * fuzz/stage.ts) and throws the
 * fast-check report (counterexample + broken invariant) when an invariant breaks.
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
import fc from 'fast-check';
import { InvalidArgumentError } from '../handler/errors';
import { type FilterField, parseFilter } from '../handler/filter';
import { createTokenKey, encodeToken, type KeyCell } from '../handler/paging/token';
import { connectionSettingProblems } from '../handler/settings';
import {
  connectorContext,
  describeConnectorConfigurationEvent,
  describeEntityEvent,
  listEntitiesEvent,
  queryDataEvent,
  retrieveDataEvent,
  runtimeSettingsFor,
  secretArnFor,
  validateConnectorRuntimeSettingsEvent,
  validateCredentialsEvent,
  writeDataEvent,
} from '../test/support/events';
import { matchesFilter, type Row } from '../test/support/filterEvaluator';
import { capturedLogs } from '../test/support/lambda';
import {
  applyMutations,
  edgeNumber,
  HOSTILE_STRINGS,
  INVALID_TYPES,
  jsLikeValue,
  jsonValue,
  mutationArb,
  PROTOCOL_KEYS,
  weirdString,
} from './arbitraries';
import { fingerprintDifferences, type Watcher } from './database';
import { anyFilter, type FilterFieldInfo, filterExpression } from './filters';
import {
  type CheckedResponse,
  call,
  checkOutcome,
  checkRecords,
  OutcomeStats,
  REQUEST_TYPES,
  type Secrets,
  StrayRejections,
  safeStringify,
  violated,
} from './harness';
import { schemas } from './schema/property';
import type { FuzzEngine, FuzzStage } from './stage';

// ---------------------------------------------------------------------------------------------------------------
// Shared context
// ---------------------------------------------------------------------------------------------------------------

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

/**
 * The password as it would appear in a thrown message (raw) and inside JSON text (answers, log lines): it holds a
 * double quote, which JSON escapes, so looking for the raw text alone in JSON would never find it.
 */
export function forbiddenForms(password: string): string[] {
  return [...new Set([password, JSON.stringify(password).slice(1, -1)])];
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
async function exercise(context: FuzzContext, event: unknown, stats: OutcomeStats): Promise<CheckedResponse | null> {
  const mark = context.strays.mark();
  const outcome = await call(context.stage.bundle, event);
  const checked = checkOutcome(event, outcome, context.secrets);
  stats.record(event, outcome, checked);
  context.strays.assertNoneSince(mark, context.secrets);
  return checked;
}

/** Runs fc.assert with the options every property uses, then the per-property end checks. */
async function runProperty<T>(
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
function checkShape(event: Record<string, unknown>, checked: CheckedResponse): void {
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

/**
 * Keeps every connection attempt on this machine: a mutated host that the connector would accept (and so try to
 * resolve and connect to) is replaced by loopback, where nothing but the test server listens. Hosts the connector
 * refuses as malformed are left as they are: they never reach the network. No DNS query, no packet to another
 * address, ever leaves the sandbox.
 */
function defuseHosts(value: unknown, keep: string): void {
  if (Array.isArray(value)) {
    for (const item of value) defuseHosts(item, keep);
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.host === 'string' && record.host !== keep) {
      const wouldConnect = connectionSettingProblems({ host: record.host, database: 'x' }).host === undefined;
      if (wouldConnect) record.host = '127.0.0.1';
    }
    for (const key of Object.keys(record)) defuseHosts(record[key], keep);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 1. Random events
// ---------------------------------------------------------------------------------------------------------------

const typeValue = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom<unknown>(...REQUEST_TYPES) },
  { weight: 2, arbitrary: fc.constantFrom(...INVALID_TYPES) },
  { weight: 1, arbitrary: weirdString },
);

/** Objects built from the protocol's own property names with random values: they get past the first checks. */
const nearMissObject = (values: fc.Arbitrary<unknown>) =>
  fc.dictionary(
    fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...PROTOCOL_KEYS) }, { weight: 1, arbitrary: weirdString }),
    values,
    {
      maxKeys: 8,
    },
  );

const randomEvent: fc.Arbitrary<unknown> = fc.oneof(
  // { type, ...random JSON properties }
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        typeValue,
        nearMissObject(fc.oneof(jsonValue, nearMissObject(jsonValue))),
        fc.oneof({ weight: 10, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      )
      .map(([type, body, withType]) => (withType ? { ...body, type } : body)),
  },
  // The same with values only an in-process call can produce (undefined, NaN, null prototypes, holes).
  {
    weight: 2,
    arbitrary: fc.tuple(typeValue, nearMissObject(jsLikeValue), fc.boolean()).map(([type, body, nullProto]) => {
      const event = nullProto ? Object.assign(Object.create(null) as object, body) : { ...body };
      return Object.assign(event, { type });
    }),
  },
  // Not an object at all.
  { weight: 1, arbitrary: fc.oneof(jsonValue, jsLikeValue) },
);

export const randomEvents: FuzzProperty = {
  name: 'random-events',
  title: 'random JSON events: throw only for an unknown type, otherwise a schema-valid answer',
  weight: 4,
  async run(context, options) {
    const stats = new OutcomeStats();
    const property = fc.asyncProperty(randomEvent, async (event) => {
      await exercise(context, event, stats);
    });
    return runProperty(context, this.name, options, stats, property);
  },
};

// ---------------------------------------------------------------------------------------------------------------
// 2. Mutated valid events
// ---------------------------------------------------------------------------------------------------------------

function baseEvents(context: FuzzContext, realToken: string): Record<string, unknown>[] {
  const { target } = context.stage;
  const defs = context.definitions;
  const withDefinition = (entity: string) => connectorContext(target, { entityDefinition: defs.get(entity) });
  const scratchWrite = (operation: string, records: Record<string, unknown>[], extra: Record<string, unknown> = {}) =>
    writeDataEvent(target, SCRATCH_TABLE, operation, records, extra);
  return [
    describeConnectorConfigurationEvent(),
    validateConnectorRuntimeSettingsEvent(runtimeSettingsFor(target)),
    validateConnectorRuntimeSettingsEvent({ host: 'db.example.com', port: '3306', database: 'x' }, 'SOURCE'),
    validateCredentialsEvent(target),
    listEntitiesEvent(target, { maxResult: 2 }),
    ...FIXTURE_ENTITIES.map((entity) => describeEntityEvent(target, entity)),
    queryDataEvent(target, 'all_types', { maxResults: 1 }),
    queryDataEvent(target, 'all_types', { maxResults: 1, nextToken: realToken }),
    queryDataEvent(target, 'all_types', {
      maxResults: 2,
      selectedFieldNames: ['id', 'name', 'price', 'seen_at'],
      filterExpression: "name CONTAINS 'i' AND price > 1.5 OR seen_at BETWEEN 2024-01-01T00:00:00Z AND 2025-01-01",
      connectorContext: withDefinition('all_types'),
    }),
    queryDataEvent(target, 'order_lines', {
      maxResults: 2,
      selectedFieldNames: ['sku', 'order_id'],
      filterExpression: "quantity > 1 AND sku IN ('A-1', 'B-2') LIMIT 10",
    }),
    queryDataEvent(target, 'event_log', { maxResults: 2, filterExpression: 'happened_at >= 2024-01-01T00:00:00Z' }),
    queryDataEvent(target, 'customers', { maxResults: 1, connectorContext: withDefinition('customers') }),
    queryDataEvent(target, 'line_totals', { maxResults: 3, filterExpression: 'total > 0' }),
    retrieveDataEvent(target, 'all_types', 'id', ['1', '2']),
    retrieveDataEvent(target, 'order_lines', 'order_id', ['1'], { selectedFieldNames: ['sku'] }),
    retrieveDataEvent(target, 'customers', 'email', ['ada@example.com'], {
      connectorContext: withDefinition('customers'),
    }),
    scratchWrite('INSERT', [
      { id: 1, name: 'a', qty: 1, price: '1.50', created: '2024-03-01T10:00:00Z' },
      { id: 2, name: 'b' },
    ]),
    scratchWrite('UPSERT', [{ id: 1, name: 'c', qty: 2 }, { id: 3 }], { idFieldNames: ['id'], allOrNone: true }),
    scratchWrite('UPDATE', [{ id: 1, qty: 5, price: 2 }], {
      idFieldNames: ['id'],
      connectorContext: withDefinition(SCRATCH_TABLE),
    }),
    scratchWrite('DELETE', [{ id: 2 }, { id: 3 }], { idFieldNames: ['id'] }),
  ];
}

function replacementValues(context: FuzzContext): unknown[] {
  const { stage } = context;
  const { other, home } = stage;
  const fieldNames = [...context.definitions.values()].flatMap((definition) =>
    definition.fields.map((field) => field.fieldName),
  );
  return [
    ...FIXTURE_ENTITIES,
    'ALL_TYPES',
    'All_Types',
    'all_types ',
    'FUZZ_SCRATCH',
    'secret_table',
    `${other}.secret_table`,
    `\`${other}\`.\`secret_table\``,
    `${other}\`.\`secret_table`,
    `${home}.all_types`,
    'information_schema.TABLES',
    other,
    home,
    'localhost',
    '127.0.0.1',
    String(stage.target.port),
    'DISABLED',
    'VERIFY_IDENTITY',
    'REQUIRED',
    secretArnFor('no-such-secret'),
    'arn:aws:secretsmanager:us-east-1:123456789012:secret:x',
    ...REQUEST_TYPES,
    'INSERT',
    'UPSERT',
    'UPDATE',
    'DELETE',
    'CONNECTOR_PROFILE',
    'SOURCE',
    'DESTINATION',
    'BasicAuth',
    'CustomAuth',
    ...new Set(fieldNames),
    ['id'],
    ['order_id', 'line_no'],
    [],
    [''],
    ...HOSTILE_STRINGS.filter((s) => s.length > 0 && s.length < 40).slice(0, 30),
    // PostgreSQL: the other schema's same-named tables, quoted forms, the catalog, the database, the engines.
    ...(stage.engine === 'postgresql'
      ? [
          `"${other}"."secret_table"`,
          `${other}.customers`,
          `"${home}".all_types`,
          'pg_catalog.pg_class',
          stage.database,
          'MYSQL',
          'POSTGRESQL',
        ]
      : []),
  ];
}

export const mutatedEvents: FuzzProperty = {
  name: 'mutated-events',
  title:
    'valid events of every operation, mutated: never a rejection, always a schema-valid answer, never ServerError or UnknownError',
  weight: 4,
  async run(context, options) {
    const stats = new OutcomeStats();
    const realToken = await firstToken(context, queryDataEvent(context.stage.target, 'all_types', { maxResults: 1 }));
    const bases = baseEvents(context, realToken);
    let writesChecked = 0;
    const property = fc.asyncProperty(
      fc.nat({ max: bases.length - 1 }),
      fc.array(mutationArb(replacementValues(context)), { minLength: 1, maxLength: 3 }),
      async (index, mutations) => {
        const event = applyMutations(bases[index], mutations);
        defuseHosts(event, context.stage.target.host);
        const isWrite =
          event !== null && typeof event === 'object' && (event as { type?: unknown }).type === 'WriteDataRequest';
        if (
          isWrite &&
          FIXTURE_ENTITIES.includes((event as { entityIdentifier?: unknown }).entityIdentifier as string)
        ) {
          // The fixtures must stay as they are for the other properties (and writing through an updatable view
          // legitimately changes its base table): such writes go to the scratch table instead.
          (event as { entityIdentifier: string }).entityIdentifier = SCRATCH_TABLE;
        }
        const entity = isWrite ? (event as { entityIdentifier?: unknown }).entityIdentifier : null;
        const before = isWrite ? await context.watcher.fingerprint(typeof entity === 'string' ? entity : null) : null;
        const checked = await exercise(context, event, stats);
        if (checked) {
          checkShape(event as Record<string, unknown>, checked);
          // ServerError and UnknownError mean something unchecked reached the database or escaped classification.
          const code = checked.response.errorDetails?.errorCode;
          if (code === 'ServerError' || code === 'UnknownError') {
            violated(`a mutated event was answered with ${code}: ${checked.text.slice(0, 600)}`);
          }
        }
        if (before) {
          writesChecked++;
          const after = await context.watcher.fingerprint(typeof entity === 'string' ? entity : null);
          const changed = fingerprintDifferences(before, after);
          if (changed.length > 0) {
            violated(
              `a WriteData for entity ${safeStringify(entity)} changed something else: ${changed.join(', ')}` +
                `\nanswer: ${checked?.text.slice(0, 800)}`,
            );
          }
        }
      },
    );
    return runProperty(context, this.name, options, stats, property, () => `writes checked ${writesChecked}`);
  },
};

/** The nextToken of the first page of a query (setup; the query must have more than one page). */
async function firstToken(context: FuzzContext, event: Record<string, unknown>): Promise<string> {
  const chain = await tokenChain(context, event, 'nextToken');
  if (!chain[0]) throw new Error(`fuzz setup: no nextToken for ${safeStringify(event).slice(0, 300)}`);
  return chain[0];
}

/** Every nextToken of a paged read, in order. */
async function tokenChain(context: FuzzContext, event: Record<string, unknown>, key: 'nextToken'): Promise<string[]> {
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

// ---------------------------------------------------------------------------------------------------------------
// 3. Filters
// ---------------------------------------------------------------------------------------------------------------

export const filters: FuzzProperty = {
  name: 'filters',
  title: 'random filter expressions: success or InvalidArgument, never a database error',
  weight: 4,
  async run(context, options) {
    const stats = new OutcomeStats();
    const { target } = context.stage;
    const entities = FIXTURE_ENTITIES.map((entity) => context.definitions.get(entity)!);
    const caseArb = fc.constantFrom(...entities).chain((definition) =>
      fc.record({
        entity: fc.constant(definition.entity.entityIdentifier),
        filter: anyFilter(definition.fields),
        maxResults: fc.integer({ min: 1, max: 5 }),
        withDefinition: fc.boolean(),
      }),
    );
    const property = fc.asyncProperty(caseArb, async ({ entity, filter, maxResults, withDefinition }) => {
      const event = queryDataEvent(target, entity, {
        maxResults,
        filterExpression: filter,
        ...(withDefinition
          ? { connectorContext: connectorContext(target, { entityDefinition: context.definitions.get(entity) }) }
          : {}),
      });
      const checked = (await exercise(context, event, stats))!;
      checkShape(event, checked);
      const { response } = checked;
      if (!response.isSuccess && response.errorDetails?.errorCode !== 'InvalidArgument') {
        violated(
          `the filter was answered with ${response.errorDetails?.errorCode}, not InvalidArgument: ` +
            `${response.errorDetails?.errorMessage}`,
        );
      }
    });
    return runProperty(context, this.name, options, stats, property);
  },
};

// ---------------------------------------------------------------------------------------------------------------
// 4. Tokens
// ---------------------------------------------------------------------------------------------------------------

interface TokenQuery {
  readonly label: string;
  readonly event: Record<string, unknown>;
  /** Tokens this connector issued for exactly this query (each valid for it). */
  readonly tokens: readonly string[];
  readonly kind: 'query' | 'list';
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

function flipBit(text: string, bit: number): string {
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.length === 0) return text;
  const position = bit % (bytes.length * 8);
  bytes[position >> 3]! ^= 1 << (position & 7);
  return bytes.toString('base64url');
}

type TokenEdit =
  | { readonly kind: 'flipBody' | 'flipSignature'; readonly bit: number }
  | { readonly kind: 'truncate' | 'deleteChar'; readonly at: number }
  | { readonly kind: 'insert' | 'replaceChar'; readonly at: number; readonly text: string }
  | { readonly kind: 'append'; readonly text: string }
  | { readonly kind: 'swapCase' | 'pad' | 'dropSignature' | 'doubleDot' | 'reverse' };

const tokenEdit: fc.Arbitrary<TokenEdit> = fc.oneof(
  fc.record({ kind: fc.constantFrom('flipBody' as const, 'flipSignature' as const), bit: fc.nat() }),
  fc.record({ kind: fc.constantFrom('truncate' as const, 'deleteChar' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constantFrom('insert' as const, 'replaceChar' as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.constantFrom('A', '_', '-', '.', '=', '+', '/', ' ', '%', '\u0000', 'é'),
      fc.string({ maxLength: 3 }),
    ),
  }),
  fc.record({
    kind: fc.constant('append' as const),
    text: fc.oneof(fc.constantFrom('.', '=', 'A', '.x'), weirdString),
  }),
  fc.record({
    kind: fc.constantFrom(
      'swapCase' as const,
      'pad' as const,
      'dropSignature' as const,
      'doubleDot' as const,
      'reverse' as const,
    ),
  }),
);

function editToken(token: string, edit: TokenEdit): string {
  const dot = token.lastIndexOf('.');
  const body = dot >= 0 ? token.slice(0, dot) : token;
  const signature = dot >= 0 ? token.slice(dot + 1) : '';
  const at = (n: number) => (token.length === 0 ? 0 : n % (token.length + 1));
  switch (edit.kind) {
    case 'flipBody':
      return `${flipBit(body, edit.bit)}${dot >= 0 ? `.${signature}` : ''}`;
    case 'flipSignature':
      return dot >= 0 ? `${body}.${flipBit(signature, edit.bit)}` : flipBit(token, edit.bit);
    case 'truncate':
      return token.slice(0, at(edit.at));
    case 'deleteChar':
      return token.slice(0, at(edit.at)) + token.slice(at(edit.at) + 1);
    case 'insert':
      return token.slice(0, at(edit.at)) + edit.text + token.slice(at(edit.at));
    case 'replaceChar':
      return token.slice(0, at(edit.at)) + edit.text + token.slice(at(edit.at) + 1);
    case 'append':
      return token + edit.text;
    case 'swapCase':
      return [...token].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
    case 'pad':
      return `${body}==${dot >= 0 ? `.${signature}` : ''}`;
    case 'dropSignature':
      return body;
    case 'doubleDot':
      return token.replace('.', '..');
    case 'reverse':
      return [...token].reverse().join('');
  }
}

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

const keyCell: fc.Arbitrary<KeyCell> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(...HOSTILE_STRINGS.filter((s) => s.length < 100)),
  edgeNumber.filter((n) => Number.isFinite(n)),
  fc.base64String({ maxLength: 16 }).map((b64) => ({ b64 })),
  fc.string({ maxLength: 8 }).map((b64) => ({ b64 })),
);

/** Payloads signed with the connector's default key: they pass the MAC, so the decoder's own checks are fuzzed. */
const signedForgery = fc.record({
  mode: fc.constantFrom<'keyset' | 'offset'>('keyset', 'offset'),
  after: fc.option(fc.array(keyCell, { minLength: 0, maxLength: 3 })),
  until: fc.option(fc.array(keyCell, { minLength: 0, maxLength: 3 })),
  offset: fc.oneof(fc.nat(10), edgeNumber),
  remaining: fc.option(fc.oneof(fc.integer({ min: -2, max: 20 }), edgeNumber)),
});

type TokenCase =
  | { readonly kind: 'issued' | 'foreign' | 'edited' | 'random' | 'forged'; readonly token: string }
  | { readonly kind: 'signed'; readonly token: string };

export const tokens: FuzzProperty = {
  name: 'tokens',
  title: 'random, mutated, forged and replayed nextTokens: InvalidArgument unless the token is one issued',
  weight: 3,
  async run(context, options) {
    const stats = new OutcomeStats();
    const { target } = context.stage;
    const queryEvents: { label: string; event: Record<string, unknown> }[] = [
      { label: 'all_types keyset', event: queryDataEvent(target, 'all_types', { maxResults: 1 }) },
      { label: 'event_log offset', event: queryDataEvent(target, 'event_log', { maxResults: 1 }) },
      {
        label: 'order_lines filtered',
        event: queryDataEvent(target, 'order_lines', {
          maxResults: 1,
          selectedFieldNames: ['sku', 'line_no'],
          filterExpression: 'quantity >= 1 LIMIT 10',
        }),
      },
    ];
    const queries: TokenQuery[] = [];
    for (const { label, event } of queryEvents) {
      queries.push({ label, event, tokens: await tokenChain(context, event, 'nextToken'), kind: 'query' });
    }
    const listEvent = listEntitiesEvent(target, { maxResult: 2 });
    queries.push({
      label: 'list entities',
      event: listEvent,
      tokens: await tokenChain(context, listEvent, 'nextToken'),
      kind: 'list',
    });
    for (const query of queries) {
      if (query.tokens.length === 0) throw new Error(`fuzz setup: ${query.label} issued no token`);
    }
    const allTokens = queries.flatMap((query) => query.tokens);
    const key = createTokenKey();
    let equivalentSpellingsRefused = 0;

    const caseArb = fc.nat({ max: queries.length - 1 }).chain((index) => {
      const query = queries[index]!;
      const others = allTokens.filter((token) => !query.tokens.includes(token));
      const tokenArb: fc.Arbitrary<TokenCase> = fc.oneof(
        { weight: 1, arbitrary: fc.constantFrom(...query.tokens).map((token) => ({ kind: 'issued' as const, token })) },
        { weight: 1, arbitrary: fc.constantFrom(...others).map((token) => ({ kind: 'foreign' as const, token })) },
        {
          weight: 5,
          arbitrary: fc
            .tuple(fc.constantFrom(...allTokens), fc.array(tokenEdit, { minLength: 1, maxLength: 3 }))
            .map(([token, edits]) => ({ kind: 'edited' as const, token: edits.reduce(editToken, token) })),
        },
        {
          weight: 2,
          arbitrary: fc
            .oneof(
              fc.string({ maxLength: 40 }),
              weirdString,
              fc.stringMatching(/^[A-Za-z0-9_-]{1,80}\.[A-Za-z0-9_-]{22}$/),
              fc.base64String({ maxLength: 60 }),
            )
            .map((token) => ({ kind: 'random' as const, token })),
        },
        {
          weight: 2,
          // Unsigned payloads: random JSON, or a plausible one, with a real signature, a random one or none.
          arbitrary: fc
            .tuple(
              fc.oneof(
                jsonValue,
                signedForgery.map((p) => ({
                  v: 1,
                  q: 'x',
                  m: p.mode[0],
                  a: p.after,
                  u: p.until,
                  o: p.offset,
                  r: p.remaining,
                })),
              ),
              fc.oneof(
                fc.constantFrom(...allTokens.map((token) => token.slice(token.lastIndexOf('.') + 1))),
                fc.stringMatching(/^[A-Za-z0-9_-]{22}$/),
                fc.constant(''),
              ),
              fc.constantFrom('e1:', ''),
            )
            .map(([payload, signature, prefix]) => ({
              kind: 'forged' as const,
              token:
                query.kind === 'list'
                  ? base64url(prefix + safeStringify(payload)).slice(0, 400) + (signature ? `.${signature}` : '')
                  : `${base64url(safeStringify(payload))}${signature ? `.${signature}` : ''}`,
            })),
        },
        ...signedCases(query),
      );
      return fc.record({ query: fc.constant(query), token: tokenArb });
    });
    function signedCases(query: TokenQuery): fc.WeightedArbitrary<TokenCase>[] {
      if (query.kind !== 'query') return [];
      return [
        {
          weight: 2,
          arbitrary: fc.tuple(signedForgery, fc.constantFrom(...query.tokens)).map(([payload, issued]) => {
            // Keep the query fingerprint of an issued token so that the decoder's field checks are reached.
            const q = JSON.parse(Buffer.from(issued.split('.')[0]!, 'base64url').toString('utf8')).q as string;
            return {
              kind: 'signed' as const,
              token: encodeToken(key, { query: q, ...payload } as never),
            };
          }),
        },
      ];
    }

    const property = fc.asyncProperty(caseArb, async ({ query, token }) => {
      const event = { ...query.event, nextToken: token.token };
      const checked = (await exercise(context, event, stats))!;
      checkShape(event, checked);
      const { response } = checked;
      const listCursor = query.kind === 'list' ? listTokenCursor(token.token) : null;
      if (listCursor !== null && !isPlainIdentifier(listCursor, context.stage.engine)) {
        // A well-formed ListEntities cursor naming something no table can be called (e.g. a character outside the
        // BMP, which MariaDB identifiers cannot hold, or an empty name on PostgreSQL): either a page after it, or
        // InvalidArgument.
        if (!response.isSuccess && response.errorDetails?.errorCode !== 'InvalidArgument') {
          violated(
            `a ListEntities cursor token for ${safeStringify(listCursor).slice(0, 80)} was answered with ` +
              `${response.errorDetails?.errorCode}, not a page or InvalidArgument: ${checked.text.slice(0, 600)}`,
          );
        }
        return;
      }
      const expectSuccess =
        token.token === '' || (query.kind === 'list' ? listCursor !== null : query.tokens.includes(token.token));
      if (query.kind === 'query' && !expectSuccess && isNonCanonicalSpelling(token.token, query.tokens)) {
        equivalentSpellingsRefused++;
      }
      if (token.kind === 'signed') {
        // A correctly signed payload may be a valid position; anything else must be refused as InvalidArgument.
        if (!response.isSuccess && response.errorDetails?.errorCode !== 'InvalidArgument') {
          violated(
            `a signed forged token was answered with ${response.errorDetails?.errorCode}: ${checked.text.slice(0, 600)}`,
          );
        }
        return;
      }
      if (expectSuccess) {
        if (!response.isSuccess) violated(`an issued token was refused: ${checked.text.slice(0, 600)}`);
        return;
      }
      if (response.isSuccess) {
        violated(
          `a token this connector never issued for this query was accepted (${token.kind}): ${checked.text.slice(0, 600)}`,
        );
      }
      if (response.errorDetails?.errorCode !== 'InvalidArgument') {
        violated(`a bad token was answered with ${response.errorDetails?.errorCode}, not InvalidArgument`);
      }
    });
    return runProperty(
      context,
      this.name,
      options,
      stats,
      property,
      () => `non-canonical spellings of issued tokens refused ${equivalentSpellingsRefused}`,
    );
  },
};

/**
 * A QueryData token spelled differently from an issued one but decoding to the same bytes (base64url leaves spare bits
 * in the last character of the signature). The decoder accepts only the canonical spelling (handler/paging/token.ts),
 * so such a token is refused like any other that was never issued; this only counts that the fuzzer reached the case.
 */
function isNonCanonicalSpelling(token: string, issued: readonly string[]): boolean {
  const parts = token.split('.');
  if (parts.length !== 2 || !/^[A-Za-z0-9_-]{22}$/.test(parts[1]!) || !BASE64URL.test(parts[0]!)) return false;
  return issued.some((real) => {
    const [body, signature] = real.split('.') as [string, string];
    return body === parts[0] && Buffer.from(signature, 'base64url').equals(Buffer.from(parts[1]!, 'base64url'));
  });
}

/**
 * ListEntities tokens are plain cursors: any canonical base64url of "e1:<name>" is a valid one. Returns the name,
 * or null when the token is not such a cursor.
 */
function listTokenCursor(token: string): string | null {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const valid =
    text.startsWith('e1:') && text.length <= 200 && Buffer.from(text, 'utf8').toString('base64url') === token;
  return valid ? text.slice(3) : null;
}

/**
 * A name a table could have. MariaDB: 1 to 64 characters, all in the BMP, no NUL, no trailing space.
 * PostgreSQL: 1 to 63 bytes of UTF-8, no NUL (and, to be safe, no lone surrogate or U+FFFD).
 */
function isPlainIdentifier(name: string, engine: FuzzEngine): boolean {
  if (engine === 'postgresql') {
    return name.length > 0 && Buffer.byteLength(name, 'utf8') <= 63 && !/[\ud800-\udfff\u0000\ufffd]/.test(name);
  }
  return name.length > 0 && name.length <= 64 && !/[\ud800-\udfff\u0000\ufffd]/.test(name) && !name.endsWith(' ');
}

// ---------------------------------------------------------------------------------------------------------------
// 5. Writes
// ---------------------------------------------------------------------------------------------------------------

const INJECTION_KEYS = [
  'id`; DROP TABLE x; --',
  'id`',
  '`id`',
  'ID',
  'Id',
  'name ',
  ' name',
  'id,name',
  `${TARGET_TABLE}.id`,
  '(SELECT 1)',
  'id) VALUES (1); DELETE FROM all_types; --',
  'qty` = 0, `price',
  'qty = qty + 1',
  '__proto__',
  'constructor',
  '',
  '\u0000',
  'sku',
  'payload',
  'name_length',
  'updated_at',
];

const COLUMN_NAMES = ['id', 'name', 'qty', 'price', 'created'] as const;

const idValue = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -1, max: 12 }) },
  { weight: 2, arbitrary: fc.integer({ min: -1, max: 12 }).map(String) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(
      1.5,
      '1.0',
      ' 1',
      '1e0',
      2 ** 31,
      -(2 ** 31) - 1,
      '0x1',
      '',
      null,
      true,
      {},
      [1],
    ),
  },
  { weight: 1, arbitrary: fc.integer() },
);

const columnValue: Record<(typeof COLUMN_NAMES)[number], fc.Arbitrary<unknown>> = {
  id: idValue,
  name: fc.oneof(
    fc.string({ maxLength: 22 }),
    fc.string({ unit: 'grapheme', maxLength: 22 }),
    fc.constantFrom(...HOSTILE_STRINGS.filter((s) => s.length < 60)),
    fc.constantFrom<unknown>(
      null,
      42,
      true,
      ['a'],
      { a: 1 },
      'x'.repeat(21),
      'é'.repeat(20),
      '\ud83d\ude00'.repeat(10),
    ),
  ),
  qty: fc.oneof(
    fc.integer({ min: -5, max: 100 }),
    fc.constantFrom<unknown>(null, '7', '7.5', 7.5, 2 ** 31, -(2 ** 31), 1e20, 'many', true, '', [1]),
  ),
  price: fc.oneof(
    fc.double({ min: -2e6, max: 2e6, noNaN: true }),
    fc.stringMatching(/^-?[0-9]{1,7}(\.[0-9]{1,4})?$/),
    fc.constantFrom<unknown>(null, '1e3', 1e-9, '12.345', 999999.99, 1000000, '-0', 'abc', true, {}),
  ),
  created: fc.oneof(
    fc
      .date({ min: new Date('0999-01-01'), max: new Date('9999-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString()),
    fc.constantFrom<unknown>(
      null,
      '2024-01-01',
      '2024-01-01 10:00:00',
      '2024-01-01T10:00:00',
      '2024-01-01T10:00:00+02:00',
      '2024-02-30T00:00:00Z',
      '0000-00-00 00:00:00',
      'now()',
      '',
      0,
      1700000000000,
      true,
    ),
  ),
};

const recordEntry: fc.Arbitrary<[string, unknown]> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc
      .constantFrom(...COLUMN_NAMES)
      .chain((key) => columnValue[key].map((value) => [key, value] as [string, unknown])),
  },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...INJECTION_KEYS), jsonValue) },
  { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 6 }), jsonValue) },
);

/** Values every column accepts: records made of them should be written (unless their id collides). */
const validColumnValue: Record<(typeof COLUMN_NAMES)[number], fc.Arbitrary<unknown>> = {
  id: fc.integer({ min: 0, max: 12 }),
  name: fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom(null, 'Émilie', "O'Brien", '`x`', '\\', '\ud83d\ude00')),
  qty: fc.integer({ min: -1000, max: 1000 }),
  price: fc.oneof(
    fc.integer({ min: -99_999_999, max: 99_999_999 }).map((cents) => (cents / 100).toFixed(2)),
    fc.integer({ min: -999_999, max: 999_999 }),
    fc.constant(null),
  ),
  created: fc.oneof(
    fc
      .date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
      .map((d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z')),
    fc.constant(null),
  ),
};

const validRecord: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    validColumnValue.id,
    fc.subarray(['name', 'qty', 'price', 'created'] as const),
    validColumnValue.name,
    validColumnValue.qty,
    validColumnValue.price,
    validColumnValue.created,
  )
  .map(([id, keys, name, qty, price, created]) => {
    const values = { name, qty, price, created };
    return { id, ...Object.fromEntries(keys.map((key) => [key, values[key]])) };
  });

/** A record as AppFlow sends it (JSON text), plus the object it came from (null when the text is not an object). */
interface RecordCase {
  readonly text: string;
  readonly value: Record<string, unknown> | null;
}

const recordCase: fc.Arbitrary<RecordCase> = fc.oneof(
  { weight: 12, arbitrary: validRecord.map((value) => ({ text: JSON.stringify(value), value })) },
  {
    weight: 6,
    arbitrary: fc.uniqueArray(recordEntry, { maxLength: 6, selector: ([key]) => key }).map((entries) => {
      const value = Object.fromEntries(entries) as Record<string, unknown>;
      return { text: JSON.stringify(value), value };
    }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<RecordCase>(
      { text: '{"id":4,"id":6}', value: null },
      { text: '{"id":4,"name":"x","name":"y"}', value: null },
      { text: '[{"id":4}]', value: null },
      { text: '"{\\"id\\":4}"', value: null },
      { text: 'null', value: null },
      { text: '', value: null },
      { text: '{"id":4', value: null },
      { text: '{"id":4}  trailing', value: null },
      { text: "{'id':4}", value: null },
      { text: '\ufeff{"id":4}', value: null },
      { text: '{"id":4 /* c */}', value: null },
      { text: '{"id":4,"qty":1e400}', value: null },
      { text: '{"id":12345678901234567890}', value: null },
      { text: '{"id":4,"name":"\\ud800"}', value: null },
    ),
  },
  { weight: 1, arbitrary: weirdString.map((text) => ({ text, value: null })) },
);

const writeCase = fc.record({
  operation: fc.constantFrom('INSERT', 'UPSERT', 'UPDATE', 'DELETE'),
  records: fc.array(recordCase, { maxLength: 8 }),
  idFieldNames: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom<unknown>(null, ['id']) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<unknown>(
        [],
        ['name'],
        ['id', 'name'],
        ['qty'],
        ['nope'],
        ['id`; DROP TABLE x; --'],
        ['id', 'id'],
        ['ID'],
      ),
    },
  ),
  allOrNone: fc.oneof({ weight: 3, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.constant(null) }),
  definition: fc.constantFrom('none', 'full', 'narrow'),
});

export const writes: FuzzProperty = {
  name: 'writes',
  title: 'random records written: never outside the target table, never partial with allOrNone',
  weight: 2,
  async run(context, options) {
    const stats = new OutcomeStats();
    const { target } = context.stage;
    const { watcher } = context;
    const order = 'id';
    const { sql } = context.stage;
    await watcher.query(`DELETE FROM ${sql.quote(TARGET_TABLE)}`);
    await watcher.query(sql.targetSeed(TARGET_TABLE));
    const seedDump = await watcher.dump(TARGET_TABLE, order);
    const full = context.definitions.get(TARGET_TABLE)!;
    const narrow = { ...full, fields: full.fields.filter((field) => ['id', 'name'].includes(field.fieldName)) };
    const counters = { allSucceeded: 0, rolledBack: 0, changed: 0 };

    const property = fc.asyncProperty(writeCase, async (input) => {
      // Every case starts from the seed rows, so that a counterexample replays (and shrinks) on its own.
      let before = await watcher.dump(TARGET_TABLE, order);
      if (before !== seedDump) {
        await watcher.query(`DELETE FROM ${sql.quote(TARGET_TABLE)}`);
        await watcher.query(sql.targetSeed(TARGET_TABLE));
        before = await watcher.dump(TARGET_TABLE, order);
      }
      const othersBefore = await watcher.fingerprint(TARGET_TABLE);
      const entityDefinition = input.definition === 'full' ? full : input.definition === 'narrow' ? narrow : null;
      const event = {
        ...writeDataEvent(target, TARGET_TABLE, input.operation, [], {
          idFieldNames: input.idFieldNames,
          allOrNone: input.allOrNone,
          connectorContext: connectorContext(target, { entityDefinition }),
        }),
        records: input.records.map((record) => record.text),
      };
      const checked = (await exercise(context, event, stats))!;
      const after = await watcher.dump(TARGET_TABLE, order);
      const othersAfter = await watcher.fingerprint(TARGET_TABLE);
      const changedElsewhere = fingerprintDifferences(othersBefore, othersAfter);
      const changed = after !== before;
      const show = () => `\nanswer: ${checked.text.slice(0, 1500)}\ntable before: ${before}\ntable after: ${after}`;

      // (a) never a write outside the target table (nor a schema change anywhere).
      if (changedElsewhere.length > 0) violated(`the write changed ${changedElsewhere.join(', ')}${show()}`);
      const results = checked.response.writeRecordResults as { isSuccess: boolean; recordId?: string | null }[] | null;
      // (c) one result per record, or no results and nothing written.
      if (results === null || results === undefined) {
        if (checked.response.isSuccess) violated(`a successful WriteData has no writeRecordResults${show()}`);
        if (changed) violated(`the request was refused as a whole, yet the table changed${show()}`);
      } else if (results.length !== input.records.length) {
        violated(`${results.length} results for ${input.records.length} records${show()}`);
      }
      const list = results ?? [];
      const allSucceeded = list.length === input.records.length && list.every((result) => result.isSuccess);
      if (checked.response.isSuccess !== allSucceeded && input.records.length > 0) {
        violated(`isSuccess ${checked.response.isSuccess} disagrees with the per-record results${show()}`);
      }
      // (b) allOrNone: all written, or the table byte-for-byte unchanged and no record claiming success.
      if (input.allOrNone === true && !allSucceeded) {
        if (changed) violated(`allOrNone with a failed record, yet the table changed (partial write)${show()}`);
        if (list.some((result) => result.isSuccess)) {
          violated(`allOrNone rolled back, yet a record is reported written${show()}`);
        }
      }
      // No silent writes: when every record failed, nothing may have changed.
      if (list.length > 0 && list.every((result) => !result.isSuccess) && changed) {
        violated(`every record failed, yet the table changed${show()}`);
      }
      // Successful records did what they say, for plain integer ids on the primary key.
      if (input.idFieldNames === null || safeStringify(input.idFieldNames) === '["id"]') {
        const rows = JSON.parse(after.slice(0, after.lastIndexOf(' checksum '))) as { id: number | string }[];
        const ids = new Set(rows.map((row) => String(row.id)));
        list.forEach((result, index) => {
          const value = input.records[index]?.value;
          const id = value?.id;
          if (!result.isSuccess || typeof id !== 'number' || !Number.isSafeInteger(id)) return;
          if (result.recordId !== String(id)) {
            violated(`record ${index} (id ${id}) is reported with recordId ${safeStringify(result.recordId)}${show()}`);
          }
          if (input.operation === 'DELETE' && ids.has(String(id))) {
            violated(`record ${index} was reported deleted, yet row id ${id} is still there${show()}`);
          }
          if (input.operation !== 'DELETE' && !ids.has(String(id))) {
            violated(`record ${index} was reported written, yet there is no row id ${id}${show()}`);
          }
        });
      }
      if (allSucceeded) counters.allSucceeded++;
      else if (input.allOrNone === true) counters.rolledBack++;
      if (changed) counters.changed++;
    });
    return runProperty(
      context,
      this.name,
      options,
      stats,
      property,
      () =>
        `all records written ${counters.allSucceeded}, allOrNone rolled back ${counters.rolledBack}, ` +
        `table changed ${counters.changed}`,
    );
  },
};

// ---------------------------------------------------------------------------------------------------------------
// 6. Shown values
// ---------------------------------------------------------------------------------------------------------------

/** Every record of a read, following nextToken. */
async function readAll(context: FuzzContext, stats: OutcomeStats, extra: Record<string, unknown>) {
  const records: string[] = [];
  let nextToken: string | null = null;
  do {
    const event = queryDataEvent(context.stage.target, SHOWN_TABLE, { maxResults: 1000, ...extra, nextToken });
    const checked = (await exercise(context, event, stats))!;
    checkShape(event, checked);
    if (!checked.response.isSuccess) return { error: checked.response.errorDetails, records };
    records.push(...((checked.response.records ?? []) as string[]));
    nextToken = (checked.response.nextToken as string | null | undefined) ?? null;
  } while (nextToken);
  return { error: null, records };
}

export const shownValues: FuzzProperty = {
  name: 'shown-values',
  title: 'filters on FLOAT, DOUBLE, Boolean, ZEROFILL and date fields select exactly what the records show',
  weight: 2,
  async run(context, options) {
    const stats = new OutcomeStats();
    const definition = context.definitions.get(SHOWN_TABLE)!;
    const fields = new Map<string, FilterField>(
      definition.fields.map((field) => [field.fieldName, { name: field.fieldName, dataType: field.dataType as never }]),
    );
    // The rows as the connector shows them; every value of this table is exact as a JS number.
    const all = await readAll(context, stats, {});
    if (all.error) throw new Error(`fuzz setup: reading ${SHOWN_TABLE} failed: ${safeStringify(all.error)}`);
    const rows = all.records.map((record) => JSON.parse(record) as Row);
    const counters = { selected: 0, partial: 0, refused: 0 };
    const property = fc.asyncProperty(filterExpression(definition.fields), async (expression) => {
      let expected: number[] | 'InvalidArgument';
      try {
        const filter = parseFilter(expression);
        const ids = rows
          .filter((row) => matchesFilter(filter, row, fields, context.stage.sql.shownRules))
          .map((row) => Number(row.id));
        expected = filter.limit === null ? ids : ids.slice(0, filter.limit);
        if (context.stage.sql.unstorableText?.test(expression)) expected = 'InvalidArgument';
      } catch (error) {
        if (!(error instanceof InvalidArgumentError)) throw error;
        expected = 'InvalidArgument';
      }
      const read = await readAll(context, stats, { filterExpression: expression, selectedFieldNames: ['id'] });
      const got = read.error
        ? read.error.errorCode
        : read.records.map((record) => (JSON.parse(record) as { id: number }).id);
      if (safeStringify(got) !== safeStringify(expected)) {
        violated(
          `the connector answered ${safeStringify(got)} where the records it shows select ${safeStringify(expected)}` +
            `${read.error ? ` (${read.error.errorMessage})` : ''}`,
        );
      }
      if (expected === 'InvalidArgument') counters.refused++;
      else if (expected.length > 0 && expected.length < rows.length) counters.partial++;
      if (expected !== 'InvalidArgument') counters.selected++;
    });
    return runProperty(
      context,
      this.name,
      options,
      stats,
      property,
      () => `compared ${counters.selected} (${counters.partial} split the rows), refused by both ${counters.refused}`,
    );
  },
};

export const PROPERTIES: readonly FuzzProperty[] = [
  randomEvents,
  mutatedEvents,
  filters,
  tokens,
  writes,
  shownValues,
  schemas,
];
