/**
 * The deployable CDKTF stack of main.ts: one connector configured from environment variables at synth time. The
 * database password is never read from the environment: it is the sensitive Terraform variable `db_password`,
 * asked for at plan time, so it never lands in cdktf.out. DB_HOST, DB_NAME and DB_USERNAME may be left unset too:
 * they then become the Terraform variables db_host, db_name and db_username, so that a plain `npm run synth` works.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { LocalBackend, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { AppflowMysqlConnector } from './appflow-mysql-connector';
import { type AuthenticationType, DEFAULT_PORTS, DEFAULTS, type LogLevel, type TlsMode } from './constants';
import type { FlowSpec } from './flows';
import { type InputRule, RULES, variableValidation } from './input-rules';
import { LambdaCode } from './lambda-code';

/** The environment variables main.ts reads, with their meaning and default (shown in errors and docs). */
export const ENVIRONMENT_VARIABLES = {
  STACK_NAME: 'Name of the CDKTF stack (directory cdktf.out/stacks/<name>). Default: appflow-mysql-connector.',
  AWS_REGION: 'Region to deploy to (AWS_DEFAULT_REGION is read too). Default: us-east-1.',
  CONNECTOR_LABEL: 'Label the connector is registered under. Default: MySqlConnector.',
  DB_HOST:
    'Host name or IP address of the database server. Default: the Terraform variable db_host, asked at plan time.',
  DB_ENGINE: `MYSQL (MySQL, MariaDB, Aurora MySQL) or POSTGRESQL (PostgreSQL, Aurora PostgreSQL). Default: ${DEFAULTS.engine}.`,
  DB_PORT: `TCP port of the database server. Default: ${DEFAULT_PORTS.MYSQL} for MYSQL, ${DEFAULT_PORTS.POSTGRESQL} for POSTGRESQL.`,
  DB_NAME: 'Database the connector connects to. Default: the Terraform variable db_name, asked at plan time.',
  DB_SCHEMA: 'POSTGRESQL only: the schema whose tables and views the connector offers. Default: none (public).',
  DB_USERNAME: 'Database user of the profile. Default: the Terraform variable db_username, asked at plan time.',
  DB_TLS_MODE: `DISABLED, REQUIRED or VERIFY_IDENTITY. Default: ${DEFAULTS.tlsMode}.`,
  DB_AUTHENTICATION: `BASIC (password, asked at plan time as db_password) or IAM (RDS IAM authentication). Default: ${DEFAULTS.authenticationType}.`,
  DB_RESOURCE_ID:
    'For IAM: resource id of the RDS instance (db-...), Aurora cluster (cluster-...) or RDS Proxy (prx-...). Default: none.',
  PROFILE_NAME: 'Name of the connection profile. Default: <CONNECTOR_LABEL>-profile.',
  FUNCTION_NAME:
    'Name of the Lambda function; its role is <FUNCTION_NAME>-<region>. Default: appflow-<CONNECTOR_LABEL>.',
  LOG_LEVEL: `LOG_LEVEL of the Lambda: DEBUG, INFO, WARN or ERROR. Default: ${DEFAULTS.logLevel}.`,
  LAMBDA_TIMEOUT_SECONDS: `Lambda timeout, 1 to 900. Default: ${DEFAULTS.timeoutSeconds}.`,
  LAMBDA_MEMORY_MB: `Lambda memory, 128 to 10240. Default: ${DEFAULTS.memorySize}.`,
  LOG_RETENTION_DAYS: `Retention of the Lambda's log group. Default: ${DEFAULTS.logRetentionDays}.`,
  RESERVED_CONCURRENCY: 'Reserved concurrent executions of the Lambda. Default: unreserved.',
  SUBNET_IDS: 'Comma-separated subnet ids to run the Lambda in (with SECURITY_GROUP_IDS). Default: no VPC.',
  SECURITY_GROUP_IDS: 'Comma-separated security group ids of the Lambda (with SUBNET_IDS). Default: none.',
  KMS_KEY_ARN:
    "ARN of the customer-managed KMS key (key/..., not an alias) for the profile's secret. Default: AppFlow's AWS-managed key.",
  FLOWS_JSON:
    'JSON array of flows, e.g. [{"name":"orders-to-s3","entityName":"orders","bucketName":"b"}]. Default: none.',
  LAMBDA_BUNDLE_DIR: 'Absolute path of the Lambda bundle. Default: dist/lambda (npm run build).',
} as const;

export type EnvironmentVariable = keyof typeof ENVIRONMENT_VARIABLES;

/** What main.ts deploys. */
export interface ConnectorStackConfig {
  readonly region: string;
  readonly connectorLabel: string;
  /** MYSQL or POSTGRESQL (any case). */
  readonly engine: string;
  /** Undefined: the Terraform variable db_host. */
  readonly host?: string;
  /** Undefined: the engine's default port. */
  readonly port?: number;
  /** Undefined: the Terraform variable db_name. */
  readonly database?: string;
  /** POSTGRESQL only. Undefined: the connector reads the schema public. */
  readonly schema?: string;
  /** Undefined: the Terraform variable db_username. */
  readonly username?: string;
  readonly tlsMode: TlsMode;
  readonly authenticationType: AuthenticationType;
  readonly databaseResourceId?: string;
  readonly profileName?: string;
  readonly functionName?: string;
  readonly logLevel: LogLevel;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  readonly logRetentionDays: number;
  readonly reservedConcurrency?: number;
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  readonly kmsKeyArn?: string;
  readonly flows: FlowSpec[];
  /** Default: dist/lambda. */
  readonly bundleDirectory?: string;
}

/** Names every environment variable that is malformed. */
export class EnvironmentConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid environment for the connector stack:\n  - ${problems.join('\n  - ')}`);
    this.name = 'EnvironmentConfigError';
  }
}

type Environment = Readonly<Record<string, string | undefined>>;

/** Reads the stack configuration; the construct checks the values themselves. */
export function configFromEnvironment(environment: Environment): ConnectorStackConfig {
  const problems: string[] = [];
  const text = (name: EnvironmentVariable): string | undefined => {
    const value = environment[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const integer = (name: EnvironmentVariable): number | undefined => {
    const value = text(name);
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value)) {
      problems.push(`${name} must be a whole number, got "${value}"`);
      return undefined;
    }
    return Number(value);
  };
  const list = (name: EnvironmentVariable): string[] =>
    (text(name) ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  const flows = (): FlowSpec[] => {
    const value = text('FLOWS_JSON');
    if (value === undefined) return [];
    try {
      const parsed: unknown = JSON.parse(value);
      if (Array.isArray(parsed) && parsed.every((item) => typeof item === 'object' && item !== null)) {
        return parsed as FlowSpec[];
      }
      problems.push('FLOWS_JSON must be a JSON array of flow objects');
    } catch (error) {
      problems.push(`FLOWS_JSON is not valid JSON: ${(error as Error).message}`);
    }
    return [];
  };

  const config: ConnectorStackConfig = {
    region: text('AWS_REGION') ?? environment.AWS_DEFAULT_REGION?.trim() ?? 'us-east-1',
    connectorLabel: text('CONNECTOR_LABEL') ?? 'MySqlConnector',
    engine: text('DB_ENGINE') ?? DEFAULTS.engine,
    host: text('DB_HOST'),
    port: integer('DB_PORT'),
    database: text('DB_NAME'),
    schema: text('DB_SCHEMA'),
    username: text('DB_USERNAME'),
    tlsMode: (text('DB_TLS_MODE') ?? DEFAULTS.tlsMode) as TlsMode,
    authenticationType: (text('DB_AUTHENTICATION') ?? DEFAULTS.authenticationType) as AuthenticationType,
    databaseResourceId: text('DB_RESOURCE_ID'),
    profileName: text('PROFILE_NAME'),
    functionName: text('FUNCTION_NAME'),
    logLevel: (text('LOG_LEVEL') ?? DEFAULTS.logLevel) as LogLevel,
    timeoutSeconds: integer('LAMBDA_TIMEOUT_SECONDS') ?? DEFAULTS.timeoutSeconds,
    memorySize: integer('LAMBDA_MEMORY_MB') ?? DEFAULTS.memorySize,
    logRetentionDays: integer('LOG_RETENTION_DAYS') ?? DEFAULTS.logRetentionDays,
    reservedConcurrency: integer('RESERVED_CONCURRENCY'),
    subnetIds: list('SUBNET_IDS'),
    securityGroupIds: list('SECURITY_GROUP_IDS'),
    kmsKeyArn: text('KMS_KEY_ARN'),
    flows: flows(),
    bundleDirectory: text('LAMBDA_BUNDLE_DIR'),
  };
  if (problems.length > 0) throw new EnvironmentConfigError(problems);
  return config;
}

/** The stack name main.ts uses. */
export function stackNameFromEnvironment(environment: Environment): string {
  return environment.STACK_NAME?.trim() || 'appflow-mysql-connector';
}

export class ConnectorStack extends TerraformStack {
  readonly connector: AppflowMysqlConnector;

  constructor(scope: Construct, id: string, config: ConnectorStackConfig) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: config.region });
    // CDKTF's default local backend stores an absolute path taken at synth time; this one is relative to
    // cdktf.out/stacks/<id> and puts the state where CDKTF would: terraform.<id>.tfstate in the project root.
    new LocalBackend(this, { path: `../../../terraform.${id}.tfstate` });

    // IAM authentication uses no password: the Lambda role signs a token instead.
    const password =
      config.authenticationType === 'IAM'
        ? undefined
        : new TerraformVariable(this, 'db_password', {
            type: 'string',
            sensitive: true,
            nullable: false,
            description: 'Password of the database user (asked for at plan time, never synthesized).',
            validation: [
              { condition: `\${length(var.db_password) > 0}`, errorMessage: 'db_password must not be empty.' },
            ],
          }).stringValue;
    // Settings the environment left out are asked for at plan time, checked with the construct's own rules.
    const orVariable = (value: string | undefined, name: string, rule: InputRule<string>, description: string) =>
      value ??
      new TerraformVariable(this, name, {
        type: 'string',
        nullable: false,
        description,
        validation: [variableValidation(name, rule)],
      }).stringValue;

    // The paging token key: leave it null for a random one generated at the first apply, or set your own.
    const pagingTokenKey = new TerraformVariable(this, 'paging_token_key', {
      type: 'string',
      sensitive: true,
      description: 'Key of the MAC that protects paging tokens. null: a random key generated once at the first apply.',
    });
    // CDKTF cannot synthesize `default: null` (it leaves the key out, which makes the variable required).
    pagingTokenKey.addOverride('default', null);

    this.connector = new AppflowMysqlConnector(this, 'connector', {
      connectorLabel: config.connectorLabel,
      engine: config.engine,
      host: orVariable(config.host, 'db_host', RULES.host, 'Host name or IP address of the database server.'),
      port: config.port,
      database: orVariable(config.database, 'db_name', RULES.database, 'Database the connector connects to.'),
      schema: config.schema,
      username: orVariable(config.username, 'db_username', RULES.username, 'Database user of the connection profile.'),
      password,
      authenticationType: config.authenticationType,
      databaseResourceId: config.databaseResourceId,
      tlsMode: config.tlsMode,
      profileName: config.profileName,
      functionName: config.functionName,
      logLevel: config.logLevel,
      timeoutSeconds: config.timeoutSeconds,
      memorySize: config.memorySize,
      logRetentionDays: config.logRetentionDays,
      reservedConcurrency: config.reservedConcurrency,
      subnetIds: config.subnetIds,
      securityGroupIds: config.securityGroupIds,
      kmsKeyArn: config.kmsKeyArn,
      flows: config.flows,
      pagingTokenKey: pagingTokenKey.stringValue,
      code: LambdaCode.fromBundleDirectory(config.bundleDirectory),
    });

    const outputs = {
      connector_label: this.connector.connectorLabel,
      connector_arn: this.connector.connectorArn,
      profile_name: this.connector.profile.name,
      function_name: this.connector.function.functionName,
      function_arn: this.connector.function.arn,
      role_arn: this.connector.roleArn,
    };
    for (const [name, value] of Object.entries(outputs)) new TerraformOutput(this, name, { value });
  }
}
