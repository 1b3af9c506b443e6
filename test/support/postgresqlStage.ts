/**
 * The stage of a PostgreSQL runtime test file: the loopback Secrets Manager, a throwaway PostgreSQL (server time
 * zone UTC+03:00, TLS-only owner), one database with a schema of the file's own, the owner's secret, and the built
 * bundle; plus the runtime settings and requests that reach that schema through the bundle.
 */
import { secretArnFor } from './events';
import { type ConnectorBundle, invoke, loadHandler } from './lambda';
import { type PostgreSqlDatabase, type PostgreSqlServer, startThrowawayPostgreSql } from './postgresql';
import { type SecretsEndpoint, startSecretsEndpoint } from './secretsEndpoint';

export interface PostgreSqlAnswer {
  isSuccess: boolean;
  errorDetails: { errorCode: string; errorMessage: string; retryAfterSeconds?: number | null } | null;
  [key: string]: unknown;
}

export interface PostgreSqlStage {
  readonly secrets: SecretsEndpoint;
  readonly server: PostgreSqlServer;
  readonly db: PostgreSqlDatabase;
  readonly bundle: ConnectorBundle;
  /** The schema whose tables are the entities. */
  readonly schema: string;
  /** The ARN of the owner's secret. */
  readonly secretArn: string;
  /** Runtime settings of a profile on the stage's schema (TLS REQUIRED), with `extra` on top. */
  runtimeSettings(extra?: Record<string, string>): Record<string, string>;
  /** A connectorContext for `arn` (default: the owner's) and extra runtime settings. */
  connectorContext(arn?: string, settings?: Record<string, string>): Record<string, unknown>;
  /** A QueryDataRequest through the bundle (maxResults 1000, no filter, every field unless told otherwise). */
  query(
    entity: string,
    extra?: Record<string, unknown>,
    remainingMs?: number,
  ): Promise<PostgreSqlAnswer & { records: string[] | null; nextToken: string | null }>;
  /** A WriteDataRequest of record texts through the bundle (allOrNone false unless `extra` says). */
  write<T = PostgreSqlAnswer>(
    entity: string,
    operation: string,
    records: readonly string[],
    extra?: Record<string, unknown>,
    bundle?: ConnectorBundle,
  ): Promise<T>;
  /** ValidateCredentials through the bundle with `arn` and extra runtime settings. */
  validate(arn?: string, settings?: Record<string, string>): Promise<PostgreSqlAnswer>;
  /** Runs SQL as the owner with the schema first on the search path. */
  sql(text: string, variables?: Readonly<Record<string, string>>): Promise<string[][]>;
  teardown(): Promise<void>;
}

/** `secrets`: an endpoint already serving this process, as for startConnectorStage (environment.ts). */
export async function startPostgreSqlStage(options: {
  schema: string;
  secretName: string;
  secrets?: SecretsEndpoint;
}): Promise<PostgreSqlStage> {
  const secrets = options.secrets ?? (await startSecretsEndpoint());
  if (!options.secrets) secrets.exportEnvironment();
  const server = await startThrowawayPostgreSql();
  const db = await server.createDatabase();
  const { schema } = options;
  await db.query('CREATE SCHEMA :"schema"', { schema });
  const secretArn = secretArnFor(options.secretName);
  secrets.putSecret(secretArn, { username: db.user, password: db.password });
  const bundle = loadHandler();

  const runtimeSettings = (extra: Record<string, string> = {}): Record<string, string> => ({
    engine: 'POSTGRESQL',
    host: db.host,
    port: String(db.port),
    database: db.database,
    schema,
    tlsMode: 'REQUIRED',
    ...extra,
  });
  const connectorContext = (arn = secretArn, settings: Record<string, string> = {}) => ({
    connectorRuntimeSettings: runtimeSettings(settings),
    credentials: { secretArn: arn, authenticationType: 'BasicAuth' },
    apiVersion: 'v1',
    flowName: 'pg-flow',
    executionId: '3f0f6e4c-9b7a-4d7e-8a53-2b1c0d9e7f12',
    connectorProfileLabel: 'pg-profile',
    entityDefinition: null,
  });
  return {
    secrets,
    server,
    db,
    bundle,
    schema,
    secretArn,
    runtimeSettings,
    connectorContext,
    query: (entity, extra = {}, remainingMs) =>
      invoke(
        bundle,
        {
          type: 'QueryDataRequest',
          entityIdentifier: entity,
          selectedFieldNames: null,
          filterExpression: null,
          maxResults: 1000,
          nextToken: null,
          connectorContext: connectorContext(),
          ...extra,
        },
        remainingMs,
      ),
    write: <T>(
      entity: string,
      operation: string,
      records: readonly string[],
      extra: Record<string, unknown> = {},
      through: ConnectorBundle = bundle,
    ) =>
      invoke<T>(through, {
        type: 'WriteDataRequest',
        entityIdentifier: entity,
        operation,
        idFieldNames: null,
        records,
        allOrNone: false,
        connectorContext: connectorContext(),
        ...extra,
      }),
    validate: (arn = secretArn, settings = {}) =>
      invoke<PostgreSqlAnswer>(bundle, {
        type: 'ValidateCredentialsRequest',
        credentials: { secretArn: arn, authenticationType: 'BasicAuth' },
        connectorRuntimeSettings: runtimeSettings(settings),
      }),
    sql: (text, variables = {}) =>
      db.query(`SET search_path = :"appflow_stage_schema"; ${text}`, { ...variables, appflow_stage_schema: schema }),
    async teardown() {
      await bundle.shutdown();
      await server.stop();
      if (!options.secrets) await secrets.close();
    },
  };
}
