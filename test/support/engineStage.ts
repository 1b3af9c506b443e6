/**
 * One face for the runtime stage of either engine, so that a check written once runs against MariaDB and PostgreSQL
 * alike (a loop over RUNTIME_ENGINES, with a small table of what differs per engine): requests through the built
 * bundle, SQL as the database's owner, rows read raw. And the loop that reads an entity page by page.
 */
import type { ExecutionContext } from 'ava';
import { type ConnectorStage, startConnectorStage } from './environment';
import { queryDataEvent, writeDataEvent } from './events';
import { type ConnectorBundle, invoke } from './lambda';
import { startPostgreSqlStage } from './postgresqlStage';
import { type SecretsEndpoint, startSecretsEndpoint } from './secretsEndpoint';

export type EngineName = 'MariaDB' | 'PostgreSQL';

export interface Page {
  isSuccess: boolean;
  records: string[] | null;
  nextToken: string | null;
  errorDetails: { errorCode: string; errorMessage: string; retryAfterSeconds?: number | null } | null;
}

export interface RecordResult {
  isSuccess: boolean;
  recordId?: string | null;
  errorMessage: string | null;
}

export interface WriteAnswer {
  isSuccess: boolean;
  errorDetails: { errorCode: string; errorMessage: string; retryAfterSeconds: number | null } | null;
  writeRecordResults: RecordResult[] | null;
}

export interface EngineStage {
  readonly engine: EngineName;
  readonly bundle: ConnectorBundle;
  /** The password of the database's owner (the connector's user). */
  readonly password: string;
  /** A QueryDataRequest through the bundle (maxResults 1000, no filter, every field unless `extra` says). */
  query(entity: string, extra?: Record<string, unknown>): Promise<Page>;
  /** A WriteDataRequest of record texts through the bundle (allOrNone false unless `extra` says). */
  write(
    entity: string,
    operation: string,
    records: readonly string[],
    extra?: Record<string, unknown>,
  ): Promise<WriteAnswer>;
  /** Runs SQL (several statements allowed) as the database's owner; `params` fill `?` (MariaDB only). */
  exec(sql: string, params?: unknown[]): Promise<void>;
  /** The rows of a SELECT as arrays, each value as the engine's own client gives it (PostgreSQL: text). */
  rows(sql: string): Promise<unknown[][]>;
  teardown(): Promise<void>;
}

/** The MariaDB stage (no fixture schema) seen as an EngineStage. */
export function mariaDbEngineStage(stage: ConnectorStage): EngineStage {
  return {
    engine: 'MariaDB',
    bundle: stage.bundle,
    password: stage.database.password,
    query: (entity, extra = {}) => invoke<Page>(stage.bundle, queryDataEvent(stage.target, entity, extra)),
    write: (entity, operation, records, extra = {}) =>
      invoke<WriteAnswer>(stage.bundle, { ...writeDataEvent(stage.target, entity, operation, [], extra), records }),
    async exec(sql, params) {
      await stage.database.query(sql, params);
    },
    async rows(sql) {
      const connection = await stage.database.connect();
      try {
        const [rows] = await connection.query({ sql, rowsAsArray: true });
        return rows as unknown[][];
      } finally {
        await connection.end();
      }
    },
    teardown: () => stage.teardown(),
  };
}

/**
 * Starts the stage of `engine`; a PostgreSQL stage gets the schema `name` and a secret named after it. `secrets`: an
 * endpoint shared with the other engine's stage (the AWS endpoint variables are process-wide).
 */
export async function startEngineStage(
  engine: EngineName,
  name: string,
  secrets?: SecretsEndpoint,
): Promise<EngineStage> {
  if (engine === 'MariaDB') return mariaDbEngineStage(await startConnectorStage({ seed: false, secrets }));
  const stage = await startPostgreSqlStage({
    schema: name,
    secretName: `postgresql-${name.replaceAll('_', '-')}`,
    secrets,
  });
  return {
    engine,
    bundle: stage.bundle,
    password: stage.db.password,
    query: (entity, extra = {}) => stage.query(entity, extra),
    write: (entity, operation, records, extra = {}) => stage.write(entity, operation, records, extra),
    async exec(sql, params) {
      if (params) throw new Error('PostgreSQL stage SQL takes no ? parameters');
      await stage.sql(sql);
    },
    rows: (sql) => stage.sql(sql),
    teardown: () => stage.teardown(),
  };
}

export const RUNTIME_ENGINES: readonly EngineName[] = ['MariaDB', 'PostgreSQL'];

/**
 * Starts one stage per engine (side by side) in the file's test.before and tears them down after; `stages[engine]`
 * is the engine's stage once the file's tests run.
 */
export function stagesFor(
  test: {
    before: (run: () => Promise<void>) => void;
    after: { always: (run: () => Promise<void>) => void };
  },
  name: string,
  prepare: (stage: EngineStage) => Promise<void> = async () => {},
): Record<EngineName, EngineStage> {
  const stages = {} as Record<EngineName, EngineStage>;
  let secrets: SecretsEndpoint | undefined;
  test.before(async () => {
    secrets = await startSecretsEndpoint();
    secrets.exportEnvironment();
    await Promise.all(
      RUNTIME_ENGINES.map(async (engine) => {
        stages[engine] = await startEngineStage(engine, name, secrets);
        await prepare(stages[engine]);
      }),
    );
  });
  test.after.always(async () => {
    await Promise.all(Object.values(stages).map((stage) => stage.teardown()));
    await secrets?.close();
  });
  return stages;
}

/** The paging mode a token carries ('k' keyset, 'o' offset). */
export function tokenMode(token: string): string {
  return (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as { m: string }).m;
}

/**
 * Reads `entity` whole, `maxResults` records a page, handing each token back; a failed page fails the test. With
 * `tokenLimit`, every token handed out is asserted to be at most that long.
 */
export async function readPages(
  t: ExecutionContext,
  query: (entity: string, extra: Record<string, unknown>) => Promise<Page>,
  entity: string,
  options: { maxResults: number; maxPages: number; tokenLimit?: number },
): Promise<string[]> {
  const records: string[] = [];
  let nextToken: string | null = null;
  for (let pages = 0; pages < options.maxPages; pages++) {
    const page: Page = await query(entity, { maxResults: options.maxResults, nextToken });
    if (!page.isSuccess) {
      t.fail(`${entity}, page ${pages + 1}: ${JSON.stringify(page.errorDetails)}`);
      break;
    }
    records.push(...page.records!);
    nextToken = page.nextToken;
    if (nextToken === null) break;
    if (options.tokenLimit !== undefined) t.true(nextToken.length <= options.tokenLimit);
  }
  return records;
}

/** A field as DescribeEntity shows it, as far as its default goes. */
export interface FieldDefault {
  fieldName: string;
  defaultValue: string | null;
  writeProperties: { isDefaultedOnCreate: boolean };
}

/** Each field's [defaultValue, isDefaultedOnCreate], by field name: what a catalog test compares per engine. */
export function defaultsShown(fields: Iterable<FieldDefault>): Record<string, readonly [string | null, boolean]> {
  return Object.fromEntries(
    [...fields].map((field) => [
      field.fieldName,
      [field.defaultValue, field.writeProperties.isDefaultedOnCreate] as const,
    ]),
  );
}
