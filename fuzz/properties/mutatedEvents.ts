/**
 * Property 2, `mutated-events`: valid events of every operation against the fixture database, then damaged.
 */
import fc from 'fast-check';
import { connectionSettingProblems } from '../../handler/settings';
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
} from '../../test/support/events';
import { applyMutations, HOSTILE_STRINGS, mutationArb } from '../arbitraries';
import { fingerprintDifferences } from '../database';
import { OutcomeStats, REQUEST_TYPES, safeStringify, violated } from '../harness';
import {
  checkShape,
  exercise,
  FIXTURE_ENTITIES,
  type FuzzContext,
  type FuzzProperty,
  runProperty,
  SCRATCH_TABLE,
  tokenChain,
} from './shared';

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
    ...stage.sql.lookalikeNames(stage),
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
