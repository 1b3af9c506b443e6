/**
 * The deployable CDKTF stack of main.ts: one connector configured from environment variables at synth time. The
 * database password is never read from the environment: it is the sensitive Terraform variable `db_password`,
 * asked for at plan time, so it never lands in cdktf.out. DB_HOST, DB_NAME and DB_USERNAME may be left unset too:
 * they then become the Terraform variables db_host, db_name and db_username, so that a plain `npm run synth` works.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { LocalBackend, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import {
  DATABASE_ENGINES,
  defaultPortsText,
  defaultSchemaOf,
  ENGINES,
  enginesText,
  orList,
  SCHEMA_ENGINES,
} from '../handler/engines/registry';
import { AppflowMysqlConnector, InvalidConnectorPropsError } from './appflow-mysql-connector';
import { type AuthenticationType, type DatabaseEngine, DEFAULTS, type LogLevel, type TlsMode } from './constants';
import type { DestinationFlowSpec } from './destination-flows';
import type { FlowSpec } from './flows';
import { type InputRule, RULES, variableValidation } from './input-rules';
import { LambdaCode } from './lambda-code';

/**
 * The label used when CONNECTOR_LABEL is unset, by engine. MySqlConnector is what every MYSQL deployment so far was
 * registered under, so it stays; a PostgreSQL deployment that relied on it keeps its registration by setting
 * CONNECTOR_LABEL=MySqlConnector (a new label registers a new connector and replaces the profile and flows).
 */
export const DEFAULT_LABELS = Object.fromEntries(
  DATABASE_ENGINES.map((engine) => [engine, ENGINES[engine].connectorLabel]),
) as Readonly<Record<DatabaseEngine, string>>;

/** The environment variables main.ts reads, with their meaning and default (shown in errors and docs). */
export const ENVIRONMENT_VARIABLES = {
  STACK_NAME: 'Name of the CDKTF stack (directory cdktf.out/stacks/<name>). Default: appflow-mysql-connector.',
  AWS_REGION: 'Region to deploy to (AWS_DEFAULT_REGION is read too). Default: us-east-1.',
  CONNECTOR_LABEL: `Label the connector is registered under (what the AppFlow console lists). Default: ${DATABASE_ENGINES.map((engine) => `${DEFAULT_LABELS[engine]} for ${engine}`).join(', ')}.`,
  DB_HOST:
    'Host name or IP address of the database server. Default: the Terraform variable db_host, asked at plan time.',
  DB_ENGINE: `${enginesText()}. Default: ${DEFAULTS.engine}.`,
  DB_PORT: `TCP port of the database server. Default: ${defaultPortsText()}.`,
  DB_NAME: 'Database the connector connects to. Default: the Terraform variable db_name, asked at plan time.',
  DB_SCHEMA: `${orList(SCHEMA_ENGINES)} only: the schema whose tables and views the connector offers. Default: none (${orList(SCHEMA_ENGINES.map((engine) => defaultSchemaOf(engine)!))}).`,
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
    'JSON array of flows to S3, e.g. [{"name":"orders-to-s3","entityName":"orders","bucketName":"b"}]. Default: none.',
  DESTINATION_FLOWS_JSON:
    'JSON array of flows from S3 into tables, e.g. [{"name":"orders-from-s3","entityName":"orders","sourceBucketName":"b","sourceBucketPrefix":"orders","writeOperation":"UPSERT","idFieldNames":["id"]}]. Default: none.',
  ALERT_TOPIC_ARN: 'SNS topic told when a flow fails a run or is deactivated. Default: none (see CREATE_ALERT_TOPIC).',
  CREATE_ALERT_TOPIC: 'true: create the alert topic <FUNCTION_NAME>-flow-alerts. Default: false.',
  EXECUTION_ROLE_ARN: 'An existing execution role for the Lambda (no role is created). Default: none.',
  ROLE_PERMISSIONS_BOUNDARY: 'ARN of the permissions boundary policy of the created role. Default: none.',
  ROLE_PATH: 'Path of the created role. Default: /.',
  LAMBDA_KMS_KEY_ARN: "Customer-managed KMS key (key ARN) for the Lambda's environment. Default: an AWS-owned key.",
  LOG_GROUP_KMS_KEY_ARN: "Customer-managed KMS key (key ARN) for the Lambda's log group. Default: none.",
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
  readonly destinationFlows?: DestinationFlowSpec[];
  readonly alertTopicArn?: string;
  readonly createAlertTopic?: boolean;
  readonly executionRoleArn?: string;
  readonly rolePermissionsBoundary?: string;
  readonly rolePath?: string;
  readonly lambdaKmsKeyArn?: string;
  readonly logGroupKmsKeyArn?: string;
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
  const objects = <T>(name: EnvironmentVariable): T[] => {
    const value = text(name);
    if (value === undefined) return [];
    try {
      const parsed: unknown = JSON.parse(value);
      if (Array.isArray(parsed) && parsed.every((item) => typeof item === 'object' && item !== null)) {
        return parsed as T[];
      }
      problems.push(`${name} must be a JSON array of flow objects`);
    } catch (error) {
      problems.push(`${name} is not valid JSON: ${(error as Error).message}`);
    }
    return [];
  };
  const flag = (name: EnvironmentVariable): boolean | undefined => {
    const value = text(name)?.toLowerCase();
    if (value === undefined) return undefined;
    if (value === 'true' || value === 'false') return value === 'true';
    problems.push(`${name} must be true or false, got "${text(name)}"`);
    return undefined;
  };
  const engine = text('DB_ENGINE') ?? DEFAULTS.engine;

  const config: ConnectorStackConfig = {
    region: text('AWS_REGION') ?? environment.AWS_DEFAULT_REGION?.trim() ?? 'us-east-1',
    // By engine, so that a PostgreSQL connector is not listed as "MySqlConnector" in the AppFlow console.
    connectorLabel:
      text('CONNECTOR_LABEL') ??
      DEFAULT_LABELS[engine.toUpperCase() as DatabaseEngine] ??
      DEFAULT_LABELS[DEFAULTS.engine],
    engine,
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
    flows: objects<FlowSpec>('FLOWS_JSON'),
    destinationFlows: objects<DestinationFlowSpec>('DESTINATION_FLOWS_JSON'),
    alertTopicArn: text('ALERT_TOPIC_ARN'),
    createAlertTopic: flag('CREATE_ALERT_TOPIC'),
    executionRoleArn: text('EXECUTION_ROLE_ARN'),
    rolePermissionsBoundary: text('ROLE_PERMISSIONS_BOUNDARY'),
    rolePath: text('ROLE_PATH'),
    lambdaKmsKeyArn: text('LAMBDA_KMS_KEY_ARN'),
    logGroupKmsKeyArn: text('LOG_GROUP_KMS_KEY_ARN'),
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
      destinationFlows: config.destinationFlows,
      alertTopicArn: config.alertTopicArn,
      createAlertTopic: config.createAlertTopic,
      executionRoleArn: config.executionRoleArn,
      rolePermissionsBoundary: config.rolePermissionsBoundary,
      rolePath: config.rolePath,
      lambdaKmsKeyArn: config.lambdaKmsKeyArn,
      logGroupKmsKeyArn: config.logGroupKmsKeyArn,
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
      function_version: this.connector.function.version,
      profile_secret_arn: this.connector.profile.credentialsArn,
      alert_topic_arn: this.connector.alertTopicArn,
      deployer_policy_json: this.connector.deployerPolicyJson,
    };
    for (const [name, value] of Object.entries(outputs)) new TerraformOutput(this, name, { value });
  }
}

/** Which environment variable (or plan-time Terraform variable) sets each construct prop in this app. */
const PROP_SOURCES: Readonly<Record<string, string>> = {
  connectorLabel: 'CONNECTOR_LABEL',
  connectorDescription: 'CONNECTOR_LABEL',
  engine: 'DB_ENGINE',
  host: 'DB_HOST',
  port: 'DB_PORT',
  database: 'DB_NAME',
  schema: 'DB_SCHEMA',
  username: 'DB_USERNAME',
  password: 'db_password (Terraform variable)',
  authenticationType: 'DB_AUTHENTICATION',
  databaseResourceId: 'DB_RESOURCE_ID',
  tlsMode: 'DB_TLS_MODE',
  profileName: 'PROFILE_NAME',
  kmsKeyArn: 'KMS_KEY_ARN',
  functionName: 'FUNCTION_NAME',
  timeoutSeconds: 'LAMBDA_TIMEOUT_SECONDS',
  memorySize: 'LAMBDA_MEMORY_MB',
  logLevel: 'LOG_LEVEL',
  logRetentionDays: 'LOG_RETENTION_DAYS',
  reservedConcurrency: 'RESERVED_CONCURRENCY',
  subnetIds: 'SUBNET_IDS',
  securityGroupIds: 'SECURITY_GROUP_IDS',
  flows: 'FLOWS_JSON',
  destinationFlows: 'DESTINATION_FLOWS_JSON',
  alertTopicArn: 'ALERT_TOPIC_ARN',
  createAlertTopic: 'CREATE_ALERT_TOPIC',
  executionRoleArn: 'EXECUTION_ROLE_ARN',
  rolePermissionsBoundary: 'ROLE_PERMISSIONS_BOUNDARY',
  rolePath: 'ROLE_PATH',
  lambdaKmsKeyArn: 'LAMBDA_KMS_KEY_ARN',
  logGroupKmsKeyArn: 'LOG_GROUP_KMS_KEY_ARN',
  pagingTokenKey: 'paging_token_key (Terraform variable)',
};

/**
 * The problems of a failed synth in the words of the person who ran it: the environment variables they set, not
 * the construct's props. Undefined for errors that are not about the configuration (those keep their stack trace).
 */
export function synthProblems(error: unknown): string[] | undefined {
  if (error instanceof EnvironmentConfigError) return [...error.problems];
  if (!(error instanceof InvalidConnectorPropsError)) return undefined;
  // camelCase props are replaced wherever they appear; one-word props (host, database, ...) only where a problem
  // starts with them, since the same words also appear as prose ("a MySQL database has no schemas").
  const byLength = Object.keys(PROP_SOURCES).sort((a, b) => b.length - a.length);
  const camelCase = new RegExp(`\\b(${byLength.filter((prop) => /[A-Z]/.test(prop)).join('|')})\\b`, 'g');
  const leading = new RegExp(`^(${byLength.filter((prop) => !/[A-Z]/.test(prop)).join('|')})\\b`);
  const source = (prop: string) => PROP_SOURCES[prop] ?? prop;
  return error.problems.map((problem) => problem.replace(camelCase, source).replace(leading, source));
}

/** What `npm run synth` prints after a good synth: where the configuration is and how to deploy it. */
export function synthSummary(stackName: string, outdir: string): string {
  const directory = `${outdir}/stacks/${stackName}`;
  return [
    `Synthesized the connector stack "${stackName}" into ${directory}/ (cdk.tf.json and the Lambda package).`,
    'Next, deploy it with Terraform (asks for db_password and for any database setting the environment left out):',
    `  cd ${directory} && terraform init && terraform apply`,
    `The state is kept in terraform.${stackName}.tfstate in the project root.`,
  ].join('\n');
}
