/**
 * Deployed mode: the runner invokes functions through the real AWS SDK Lambda client, pointed by
 * AWS_ENDPOINT_URL_LAMBDA at a loopback stand-in that runs the local bundle (or a broken one) and answers like
 * Lambda. The connector reads its secret from the local Secrets Manager endpoint of this test process.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { type SecretsEndpoint, startSecretsEndpoint } from '../../local/secretsEndpoint';
import { DEMO_ORDER_COUNT } from '../../runner/demo/schema';
import { writeMalformedBundle, writeThrowingBundle } from './support/bundles';
import { BUNDLE_PATH, idsOf, runRunner, temporaryDirectory } from './support/cli';
import { type LambdaStandIn, startLambdaStandIn } from './support/lambdaStandIn';
import { type RunnerStage, startRunnerStage } from './support/stage';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:appflow!123456789012-deployed-test-Ab12Cd';
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:appflow-mysql-connector';

let stage: RunnerStage<'MYSQL'>;
let secrets: SecretsEndpoint;
let lambda: LambdaStandIn;
const dir = temporaryDirectory('runner-deployed');

test.before(async () => {
  secrets = await startSecretsEndpoint();
  secrets.exportEnvironment();
  // The bundles run in this process: keep their log lines out of the test output.
  process.env.LOG_LEVEL = 'ERROR';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  stage = await startRunnerStage('MYSQL');
  secrets.putSecret(SECRET_ARN, { username: stage.database.user, password: stage.database.password });
  lambda = await startLambdaStandIn({
    'appflow-mysql-connector': BUNDLE_PATH,
    'throwing-connector': writeThrowingBundle(dir),
    'malformed-connector': writeMalformedBundle(dir),
  });
});
test.after.always(async () => {
  await lambda?.close();
  await stage?.teardown();
  await secrets?.close();
});

/** The variables a deployed run gets: the stand-in's endpoint and fake credentials, nothing else from AWS. */
function awsEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_LAMBDA: lambda.url,
    AWS_ACCESS_KEY_ID: 'AKIDTESTTESTTEST',
    AWS_SECRET_ACCESS_KEY: 'test-secret-access-key',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(dir, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
    ...extra,
  };
}

function deployedArgs(functionName: string): string[] {
  return [
    '--function',
    functionName,
    '--secret-arn',
    SECRET_ARN,
    '--host',
    stage.database.host,
    '--port',
    String(stage.database.port),
    '--database',
    stage.database.database,
  ];
}

test('deployed mode plays the whole flow through the Lambda Invoke API, region taken from the ARN', async (t) => {
  const out = join(dir, 'deployed.jsonl');
  const before = lambda.eventTypes('appflow-mysql-connector').length;
  const result = await runRunner(
    [
      ...deployedArgs(FUNCTION_ARN),
      '--entity',
      'orders',
      '--page-size',
      '100',
      '--write-to',
      'orders_copy',
      '--write-operation',
      'UPSERT',
      '--out',
      out,
    ],
    awsEnv(),
  );
  t.is(result.code, 0, result.stderr);
  t.is(idsOf(readFileSync(out, 'utf8')).length, DEMO_ORDER_COUNT);
  t.regex(
    result.stderr,
    /target: Lambda function arn:aws:lambda:us-east-1:123456789012:function:appflow-mysql-connector \(us-east-1\)/,
  );
  t.regex(result.stdout, /rows written\s+360 into orders_copy with UPSERT/);
  t.deepEqual(lambda.eventTypes('appflow-mysql-connector').slice(before), [
    'DescribeConnectorConfigurationRequest',
    'ValidateConnectorRuntimeSettingsRequest',
    'ValidateCredentialsRequest',
    'ListEntitiesRequest',
    'DescribeEntityRequest',
    'DescribeEntityRequest',
    'QueryDataRequest',
    'QueryDataRequest',
    'QueryDataRequest',
    'QueryDataRequest',
    'WriteDataRequest',
  ]);
  const [row] = await stage.rows<{ copies: number }>('SELECT COUNT(*) AS copies FROM orders_copy');
  t.is(Number(row!.copies), DEMO_ORDER_COUNT);
});

test('an unknown function is one clear error line and a non-zero exit', async (t) => {
  const result = await runRunner(
    [...deployedArgs('no-such-function'), '--region', 'us-east-1', '--entity', 'orders'],
    awsEnv(),
  );
  t.is(result.code, 1, result.stderr);
  t.regex(
    result.stderr,
    /error: Lambda function "no-such-function" was not found in us-east-1 \(ResourceNotFoundException: Function not found: .*\); check --function and --region\n$/,
  );
  t.false(result.stderr.includes('    at '), 'no stack trace without --debug');
});

test('a function error (Unhandled) stops the flow at the operation that threw', async (t) => {
  const result = await runRunner(
    [...deployedArgs('throwing-connector'), '--entity', 'orders'],
    awsEnv({ AWS_REGION: 'us-east-1' }),
  );
  t.is(result.code, 1, result.stderr);
  t.regex(
    result.stderr,
    /error: QueryData failed: the function failed with an Unhandled error: TypeError: Cannot read properties of undefined \(reading 'rows'\)\n$/,
  );
  t.regex(result.stdout, /result\s+failed at QueryData \(exit status 1\)/);
});

test('a deployed connector that breaks the contract is reported violation by violation', async (t) => {
  const result = await runRunner(
    [...deployedArgs('malformed-connector'), '--entity', 'customers'],
    awsEnv({ AWS_REGION: 'us-east-1' }),
  );
  t.is(result.code, 3, result.stderr);
  t.regex(result.stderr, /✗ QueryData isSuccess: expected boolean, got nothing/);
  t.regex(result.stderr, /✗ QueryData records\[0\]: expected string, got an object/);
});

test('no AWS region anywhere is a clear error', async (t) => {
  const result = await runRunner([...deployedArgs('appflow-mysql-connector'), '--entity', 'orders'], awsEnv());
  t.is(result.code, 1, result.stderr);
  t.regex(result.stderr, /error: no AWS region: pass --region, use a function ARN, or set AWS_REGION\n$/);
});
