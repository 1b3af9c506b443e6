import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import test from 'ava';
import { Testing } from 'cdktf';
import { recordSuiteOutput, registerTestSecret } from '../../local/secretRegistry';
import {
  ConnectorStack,
  configFromEnvironment,
  EnvironmentConfigError,
  stackNameFromEnvironment,
} from '../../modules/connector-stack';
import { stubBundle } from './support';

const REPOSITORY = resolve(__dirname, '..', '..');
const ENVIRONMENT_PASSWORD = 'hunter2-from-the-environment';
const REQUIRED_ENVIRONMENT = { DB_HOST: 'hr-db.example.internal', DB_NAME: 'hr', DB_USERNAME: 'appflow_reader' };

test('the environment supplies the database and everything else has defaults', (t) => {
  const config = configFromEnvironment(REQUIRED_ENVIRONMENT);
  t.like(config, {
    region: 'us-east-1',
    connectorLabel: 'MySqlConnector',
    engine: 'MYSQL',
    host: 'hr-db.example.internal',
    database: 'hr',
    username: 'appflow_reader',
    tlsMode: 'REQUIRED',
    logLevel: 'INFO',
    timeoutSeconds: 30,
    memorySize: 1024,
    logRetentionDays: 30,
    subnetIds: [],
    securityGroupIds: [],
    flows: [],
  });
  t.is(config.port, undefined); // the engine's default port, chosen by the construct
  t.is(config.schema, undefined);
  t.is(config.reservedConcurrency, undefined);
  t.is(config.kmsKeyArn, undefined);
  t.is(stackNameFromEnvironment({}), 'appflow-mysql-connector');
});

test('every documented variable is read', (t) => {
  const config = configFromEnvironment({
    ...REQUIRED_ENVIRONMENT,
    AWS_REGION: 'eu-west-1',
    CONNECTOR_LABEL: 'HrMysql',
    DB_ENGINE: 'postgresql',
    DB_PORT: '3307',
    DB_SCHEMA: 'Payroll',
    DB_TLS_MODE: 'VERIFY_IDENTITY',
    PROFILE_NAME: 'hr',
    FUNCTION_NAME: 'hr-connector',
    LOG_LEVEL: 'DEBUG',
    LAMBDA_TIMEOUT_SECONDS: '60',
    LAMBDA_MEMORY_MB: '2048',
    LOG_RETENTION_DAYS: '90',
    RESERVED_CONCURRENCY: '4',
    SUBNET_IDS: 'subnet-0a, subnet-0b,',
    SECURITY_GROUP_IDS: 'sg-0a',
    KMS_KEY_ARN: 'arn:aws:kms:eu-west-1:123456789012:key/abc',
    FLOWS_JSON: '[{"name":"employees-to-s3","entityName":"employees","bucketName":"hr-exports"}]',
    DESTINATION_FLOWS_JSON:
      '[{"name":"employees-from-s3","entityName":"employees","sourceBucketName":"hr-imports","sourceBucketPrefix":"in"}]',
    ALERT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:alerts',
    CREATE_ALERT_TOPIC: 'FALSE',
    EXECUTION_ROLE_ARN: 'arn:aws:iam::123456789012:role/own',
    ROLE_PERMISSIONS_BOUNDARY: 'arn:aws:iam::123456789012:policy/Boundary',
    ROLE_PATH: '/appflow/',
    LAMBDA_KMS_KEY_ARN: 'arn:aws:kms:eu-west-1:123456789012:key/env',
    LOG_GROUP_KMS_KEY_ARN: 'arn:aws:kms:eu-west-1:123456789012:key/logs',
    LAMBDA_BUNDLE_DIR: '/opt/bundle',
  });
  t.deepEqual(config, {
    region: 'eu-west-1',
    connectorLabel: 'HrMysql',
    engine: 'postgresql',
    host: 'hr-db.example.internal',
    port: 3307,
    database: 'hr',
    schema: 'Payroll',
    username: 'appflow_reader',
    tlsMode: 'VERIFY_IDENTITY',
    authenticationType: 'BASIC',
    databaseResourceId: undefined,
    profileName: 'hr',
    functionName: 'hr-connector',
    logLevel: 'DEBUG',
    timeoutSeconds: 60,
    memorySize: 2048,
    logRetentionDays: 90,
    reservedConcurrency: 4,
    subnetIds: ['subnet-0a', 'subnet-0b'],
    securityGroupIds: ['sg-0a'],
    kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/abc',
    flows: [{ name: 'employees-to-s3', entityName: 'employees', bucketName: 'hr-exports' }],
    destinationFlows: [
      { name: 'employees-from-s3', entityName: 'employees', sourceBucketName: 'hr-imports', sourceBucketPrefix: 'in' },
    ],
    alertTopicArn: 'arn:aws:sns:eu-west-1:123456789012:alerts',
    createAlertTopic: false,
    executionRoleArn: 'arn:aws:iam::123456789012:role/own',
    rolePermissionsBoundary: 'arn:aws:iam::123456789012:policy/Boundary',
    rolePath: '/appflow/',
    lambdaKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/env',
    logGroupKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/logs',
    bundleDirectory: '/opt/bundle',
  });
  // Without CONNECTOR_LABEL a PostgreSQL connector is not registered under a MySQL name.
  t.is(configFromEnvironment({ DB_ENGINE: 'postgresql' }).connectorLabel, 'PostgreSqlConnector');
  t.is(configFromEnvironment({ DB_ENGINE: 'MYSQL' }).connectorLabel, 'MySqlConnector');
  t.is(configFromEnvironment({ ...REQUIRED_ENVIRONMENT, AWS_DEFAULT_REGION: 'ap-south-1' }).region, 'ap-south-1');
});

test('malformed variables are all named in one error', (t) => {
  const error = t.throws(
    () => configFromEnvironment({ DB_PORT: '33o6', LAMBDA_TIMEOUT_SECONDS: '-1', FLOWS_JSON: '{"name":"x"}' }),
    { instanceOf: EnvironmentConfigError },
  );
  t.deepEqual(
    error?.problems.map((problem) => problem.split(' ')[0]),
    ['DB_PORT', 'LAMBDA_TIMEOUT_SECONDS', 'FLOWS_JSON'],
  );
  t.regex(error?.message ?? '', /DB_PORT must be a whole number, got "33o6"/);
});

test('database settings left out of the environment become validated Terraform variables', (t) => {
  const app = Testing.app();
  const stack = new ConnectorStack(app, 'connector', { ...configFromEnvironment({}), bundleDirectory: stubBundle() });
  const text = Testing.synth(stack);
  const json = JSON.parse(text);

  for (const name of ['db_host', 'db_name', 'db_username']) {
    t.like(json.variable[name], { type: 'string', nullable: false }, name);
    t.is(json.variable[name].default, undefined, `${name} is required at plan time`);
    t.is(json.variable[name].validation.length, 1, `${name} is validated`);
  }
  t.regex(json.variable.db_host.validation[0].condition, /var\.db_host/);
  t.true(
    Testing.toHaveResourceWithProperties(text, 'aws_appflow_connector_profile', {
      connector_profile_config: {
        connector_profile_credentials: { custom_connector: { basic: { username: `\${var.db_username}` } } },
        connector_profile_properties: {
          custom_connector: { profile_properties: { host: `\${var.db_host}`, database: `\${var.db_name}` } },
        },
      },
    }),
  );
});

test('the stack asks for the password at plan time and never synthesizes it', (t) => {
  // A password in the environment must not reach the synthesized JSON (main.ts never reads one).
  registerTestSecret(ENVIRONMENT_PASSWORD);
  const environment = { ...REQUIRED_ENVIRONMENT, DB_PASSWORD: ENVIRONMENT_PASSWORD };
  const app = Testing.app();
  const stack = new ConnectorStack(app, 'connector', {
    ...configFromEnvironment(environment),
    bundleDirectory: stubBundle(),
  });
  const text = Testing.synth(stack);
  recordSuiteOutput(text);
  const json = JSON.parse(text);

  t.like(json.variable.db_password, { type: 'string', sensitive: true, nullable: false });
  t.false(text.includes(ENVIRONMENT_PASSWORD));
  t.true(
    Testing.toHaveResourceWithProperties(text, 'aws_appflow_connector_profile', {
      connector_profile_config: {
        connector_profile_credentials: { custom_connector: { basic: { password: `\${var.db_password}` } } },
      },
    }),
  );
});

test('with IAM authentication the stack asks for no password', (t) => {
  const config = configFromEnvironment({
    ...REQUIRED_ENVIRONMENT,
    DB_AUTHENTICATION: 'IAM',
    DB_RESOURCE_ID: 'db-ABCDEFGHIJKLMNOPQRSTUVWXY0',
  });
  t.like(config, { authenticationType: 'IAM', databaseResourceId: 'db-ABCDEFGHIJKLMNOPQRSTUVWXY0' });
  const stack = new ConnectorStack(Testing.app(), 'connector', { ...config, bundleDirectory: stubBundle() });
  const text = Testing.synth(stack);

  t.is(JSON.parse(text).variable?.db_password, undefined);
  t.true(
    Testing.toHaveResourceWithProperties(text, 'aws_appflow_connector_profile', {
      connector_profile_config: {
        connector_profile_credentials: {
          custom_connector: { authentication_type: 'CUSTOM', custom: { custom_authentication_type: 'IAM' } },
        },
      },
    }),
  );
});

test('the stack configures the region, a relative local backend and the outputs', (t) => {
  const app = Testing.app();
  const stack = new ConnectorStack(app, 'connector', {
    ...configFromEnvironment({ ...REQUIRED_ENVIRONMENT, AWS_REGION: 'eu-west-1' }),
    bundleDirectory: stubBundle(),
  });
  const json = JSON.parse(Testing.synth(stack));

  t.deepEqual(json.provider.aws, [{ region: 'eu-west-1' }]);
  t.deepEqual(json.terraform.backend, { local: { path: '../../../terraform.connector.tfstate' } });
  t.deepEqual(Object.keys(json.output).sort(), [
    'alert_topic_arn',
    'connector_arn',
    'connector_label',
    'deployer_policy_json',
    'function_arn',
    'function_name',
    'function_version',
    'profile_name',
    'profile_secret_arn',
    'role_arn',
  ]);
});

test('main.ts synthesizes the stack offline, without AWS credentials or database settings', async (t) => {
  const workDirectory = mkdtempSync(join(tmpdir(), 'appflow-synth-'));
  try {
    const environment = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_') && !name.startsWith('DB_')),
    );
    const result = await run(join(REPOSITORY, 'node_modules', '.bin', 'tsx'), [join(REPOSITORY, 'main.ts')], {
      cwd: workDirectory,
      env: { ...environment, STACK_NAME: 'synth-check', CONNECTOR_LABEL: 'SynthCheck' },
    });
    t.is(result.code, 0, result.output);
    // A good synth says where the configuration is and what to do next.
    t.regex(result.output, /into cdktf\.out\/stacks\/synth-check\//);
    t.regex(result.output, /cd cdktf\.out\/stacks\/synth-check && terraform init && terraform apply/);
    const json = JSON.parse(
      readFileSync(join(workDirectory, 'cdktf.out', 'stacks', 'synth-check', 'cdk.tf.json'), 'utf8'),
    );
    t.like(Object.values(json.resource.aws_cloudformation_stack)[0], { parameters: { ConnectorLabel: 'SynthCheck' } });
    t.deepEqual(Object.keys(json.variable).sort(), [
      'db_host',
      'db_name',
      'db_password',
      'db_username',
      'paging_token_key',
    ]);
    // The paging token key is optional (null: generated at the first apply) and never shown.
    t.like(json.variable.paging_token_key, { default: null, sensitive: true });
  } finally {
    rmSync(workDirectory, { recursive: true, force: true });
  }
});

function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output: Buffer.concat(output).toString('utf8') }));
  });
}

test('a bad variable fails synth naming the variables the user set, without a stack trace', async (t) => {
  const workDirectory = mkdtempSync(join(tmpdir(), 'appflow-synth-bad-'));
  try {
    const environment = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_') && !name.startsWith('DB_')),
    );
    const result = await run(join(REPOSITORY, 'node_modules', '.bin', 'tsx'), [join(REPOSITORY, 'main.ts')], {
      cwd: workDirectory,
      env: { ...environment, STACK_NAME: 'synth-bad', DB_SCHEMA: 'payroll', LAMBDA_MEMORY_MB: '64' },
    });
    t.is(result.code, 1, result.output);
    t.regex(result.output, /Cannot synthesize the connector stack "synth-bad"/);
    t.regex(result.output, /- DB_SCHEMA is for engine POSTGRESQL only/);
    t.regex(result.output, /- LAMBDA_MEMORY_MB must be an integer from 128 to 10240/);
    t.notRegex(result.output, /\bschema is for|memorySize|\n\s+at /);
  } finally {
    rmSync(workDirectory, { recursive: true, force: true });
  }
});
