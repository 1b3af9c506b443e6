/**
 * Facts the connector's infrastructure depends on. Values that the Lambda also relies on (runtime-setting keys,
 * database engines and their ports, TLS modes, log levels, API version) mirror handler/; test/modules checks that
 * they stay equal. TLS modes are not mirrored: they are the handler's own list.
 */
import { DATABASE_ENGINES, type DatabaseEngine, DEFAULT_ENGINE, ENGINES } from '../handler/engines/registry';
import { TLS_MODES, type TlsMode } from '../handler/settings';

/** Lambda runtime: nodejs24.x fails validation with hashicorp/aws 5.100.0, the version this project pins. */
export const LAMBDA_RUNTIME = 'nodejs22.x';
/** The bundle is plain JavaScript (mysql2 has no native code), so the cheaper Graviton architecture works. */
export const LAMBDA_ARCHITECTURE = 'arm64';
/** `dist/lambda/index.js` exports `handler` (scripts/build-lambda.mjs). */
export const LAMBDA_HANDLER = 'index.handler';
/** The Lambda package file name inside the plain Terraform module. */
export const MODULE_LAMBDA_ZIP = 'lambda.zip';

/** The API version the connector declares in DescribeConnectorConfiguration (`supportedApiVersions`). */
export const CONNECTOR_API_VERSION = 'v1';
/** AppFlow invokes the connector Lambda as this service principal. */
export const APPFLOW_PRINCIPAL = 'appflow.amazonaws.com';

/**
 * Database engines the connector speaks (runtime setting `engine`, matched without regard to case) and the port used
 * when none is given, by engine: stated once, by the registry of engines (handler/engines/registry.ts).
 */
export { DATABASE_ENGINES, type DatabaseEngine, DEFAULT_PORTS } from '../handler/engines/registry';

/** TLS modes the connector understands (runtime setting `tlsMode`): stated once, by the handler's settings. */
export { TLS_MODES, type TlsMode };

/**
 * How the connection profile authenticates. BASIC: user and password (AppFlow's BasicAuth). IAM: RDS/Aurora IAM
 * database authentication, AppFlow's custom authentication type `IAM` whose secret only names the user; the
 * Lambda role signs a token (handler/iamAuth.ts).
 */
export const AUTHENTICATION_TYPES = ['BASIC', 'IAM'] as const;
export type AuthenticationType = (typeof AUTHENTICATION_TYPES)[number];
/** The custom authentication type the connector declares for IAM (handler/secrets.ts IAM_AUTHENTICATION_TYPE). */
export const IAM_CUSTOM_AUTHENTICATION_TYPE = 'IAM';

/** Levels accepted by the Lambda's LOG_LEVEL environment variable. */
export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Retention periods CloudWatch Logs accepts; 0 keeps the events forever. */
export const LOG_RETENTION_DAYS = [
  0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** File formats AppFlow writes to S3. */
export const S3_FILE_TYPES = ['PARQUET', 'JSON', 'CSV'] as const;
export type S3FileType = (typeof S3_FILE_TYPES)[number];

/** How a flow starts (AppFlow trigger types this module offers; event triggers need an event source). */
export const FLOW_TRIGGER_TYPES = ['OnDemand', 'Scheduled'] as const;
export type FlowTriggerType = (typeof FLOW_TRIGGER_TYPES)[number];

/** Defaults shared by the construct, the CDKTF app and the plain Terraform module. */
export const DEFAULTS = {
  /** Like the AWS JDBC sample: QueryData must answer within 30 s anyway. */
  timeoutSeconds: 30,
  /** Like the AWS JDBC sample; more memory also means more CPU for JSON encoding. */
  memorySize: 1024,
  logLevel: 'INFO' as LogLevel,
  logRetentionDays: 30,
  engine: DEFAULT_ENGINE,
  tlsMode: 'REQUIRED' as TlsMode,
  authenticationType: 'BASIC' as AuthenticationType,
  fileType: 'PARQUET' as S3FileType,
  triggerType: 'OnDemand' as FlowTriggerType,
} as const;

/**
 * The registered connector's description by engine (what the AppFlow console shows beside the label), so that a
 * PostgreSQL deployment never reads "MySQL". RegisterConnector `description`: `[\s\w/!@#+=,.-]*`, 2048.
 */
export const CONNECTOR_DESCRIPTIONS = Object.fromEntries(
  DATABASE_ENGINES.map((engine) => [engine, ENGINES[engine].connectorDescription]),
) as Readonly<Record<DatabaseEngine, string>>;

/** Lambda limits. */
export const LIMITS = {
  timeoutSeconds: { min: 1, max: 900 },
  memorySize: { min: 128, max: 10240 },
  subnets: 16,
  securityGroups: 5,
} as const;

/** The keys of the connector's CONNECTOR_PROFILE runtime settings (handler/settings.ts RUNTIME_SETTINGS). */
export const PROFILE_PROPERTY_KEYS = {
  engine: 'engine',
  host: 'host',
  port: 'port',
  database: 'database',
  schema: 'schema',
  tlsMode: 'tlsMode',
} as const;
