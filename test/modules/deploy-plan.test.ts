// What a real deployment of the plain module would do, read from offline plans with the real AWS provider (the
// loopback STS stand-in answers its one call): the IAM policy as AWS would receive it, the role name, the scheduled
// flow's status, the registration following the code, and plan-time refusal of a KMS alias ARN.
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { recordSuiteOutput, registerTestSecret } from '../../local/secretRegistry';
import { buildModule } from '../../modules/terraform-module/build';
import {
  FAKE_ACCOUNT_ID,
  offlineAwsEnvironment,
  type StsStandIn,
  startStsStandIn,
  TerraformCli,
} from '../support/terraform';
import { stubBundle } from './support';

const REGION = 'eu-west-1';
const PASSWORD = 'deploy-plan-password-5c1e';
const KEY_ARN = `arn:aws:kms:${REGION}:${FAKE_ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const LONG_LABEL = `Warehouse${'x'.repeat(80)}`;

interface PlannedChange {
  address: string;
  type: string;
  change: {
    actions: string[];
    before: Record<string, unknown> | null;
    after: Record<string, unknown>;
    after_unknown: Record<string, unknown>;
    after_sensitive: Record<string, unknown> | boolean;
  };
}

interface Plan {
  resource_changes: PlannedChange[];
}

interface PolicyStatement {
  Sid: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string>>;
}

let terraform: TerraformCli;
let sts: StsStandIn;
let root: string;
let plan: Plan;

const moduleCall = (name: string, inputs: string) => `
module "${name}" {
  source = "../module"

  db_host     = "hr-db.example.internal"
  db_name     = "hr"
  db_username = "appflow_reader"
  db_password = var.db_password
${inputs}
}
`;

const ROOT = `
provider "aws" {
  region = "${REGION}"
}

variable "db_password" {
  type      = string
  sensitive = true
}
${moduleCall(
  'connector',
  `
  connector_label    = "HrMysql"
  kms_key_arn        = "${KEY_ARN}"
  subnet_ids         = ["subnet-0123456789abcdef0"]
  security_group_ids = ["sg-0123456789abcdef0"]
  flows = [
    {
      name                        = "employees-to-s3"
      entity_name                 = "employees"
      bucket_name                 = "hr-exports"
      trigger_type                = "Scheduled"
      schedule_expression         = "rate(1hours)"
      incremental_timestamp_field = "updated_at"
      description                 = "Hourly, changed rows only?"
    },
    { name = "departments-to-s3", entity_name = "departments", bucket_name = "hr-exports" },
  ]`,
)}
${moduleCall('long', `  connector_label = "${LONG_LABEL}"`)}
`;

function environment(): Record<string, string> {
  return { ...offlineAwsEnvironment(sts, REGION), TF_VAR_db_password: PASSWORD };
}

/** A directory holding the module built from `bundle` and a root configuration next to it. */
async function prepare(name: string, rootConfiguration: string, bundle = stubBundle()): Promise<string> {
  const base = join(terraform.workDirectory, name);
  buildModule({ outputDirectory: join(base, 'module'), bundleDirectory: bundle });
  const directory = join(base, 'root');
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, 'main.tf'), rootConfiguration);
  await terraform.init(directory);
  return directory;
}

async function planJson(directory: string, extraArgs: string[] = []): Promise<Plan> {
  const output = await terraform.mustRun(
    ['plan', '-input=false', '-lock=false', '-out=plan.bin', ...extraArgs],
    directory,
    environment(),
  );
  recordSuiteOutput(output);
  return JSON.parse(await terraform.mustRun(['show', '-json', 'plan.bin'], directory, environment())) as Plan;
}

test.before(async () => {
  registerTestSecret(PASSWORD);
  terraform = TerraformCli.create();
  sts = await startStsStandIn();
  root = await prepare('first', ROOT);
  plan = await planJson(root);
});

test.after.always(async () => {
  await sts?.close();
  terraform?.dispose();
});

const change = (address: string): PlannedChange => {
  const found = plan.resource_changes.find((candidate) => candidate.address === address);
  if (found === undefined) throw new Error(`${address} is not in the plan`);
  return found;
};

const policyOf = (moduleName: string): PolicyStatement[] =>
  JSON.parse(change(`module.${moduleName}.aws_iam_role_policy.connector[0]`).change.after.policy as string).Statement;

const statement = (statements: PolicyStatement[], sid: string): PolicyStatement => {
  const found = statements.find((candidate) => candidate.Sid === sid);
  if (found === undefined) throw new Error(`no statement ${sid} in ${JSON.stringify(statements)}`);
  return found;
};

test('the role may read the secrets of its own connector label only', (t) => {
  const read = statement(policyOf('connector'), 'ReadOwnProfileSecrets');
  t.deepEqual(read, {
    Sid: 'ReadOwnProfileSecrets',
    Effect: 'Allow',
    Action: 'secretsmanager:GetSecretValue',
    Resource: `arn:aws:secretsmanager:${REGION}:${FAKE_ACCOUNT_ID}:secret:appflow!${FAKE_ACCOUNT_ID}-HrMysql-*`,
  });
  const everySecretResource = policyOf('connector').flatMap((each) => [each.Resource].flat());
  t.false(
    everySecretResource.includes(
      `arn:aws:secretsmanager:${REGION}:${FAKE_ACCOUNT_ID}:secret:appflow!${FAKE_ACCOUNT_ID}-*`,
    ),
  );
});

test('log permissions cover the connector log group only, and no managed policy adds more', (t) => {
  const statements = policyOf('connector');
  const logs = statements.filter((each) => [each.Action].flat().some((action) => action.startsWith('logs:')));
  t.deepEqual(logs, [
    {
      Sid: 'WriteOwnLogs',
      Effect: 'Allow',
      Action: ['logs:PutLogEvents', 'logs:CreateLogStream'],
      Resource: `arn:aws:logs:${REGION}:${FAKE_ACCOUNT_ID}:log-group:/aws/lambda/appflow-HrMysql:*`,
    },
  ]);
  t.is(change('module.connector.aws_cloudwatch_log_group.connector').change.after.name, '/aws/lambda/appflow-HrMysql');
  // AWSLambdaBasicExecutionRole and AWSLambdaVPCAccessExecutionRole both allow log writes on every log group.
  t.deepEqual(
    plan.resource_changes.filter((each) => each.type === 'aws_iam_role_policy_attachment'),
    [],
  );
  // In a VPC the role manages the function's network interfaces, and nothing else of EC2.
  t.deepEqual([statement(statements, 'ManageVpcNetworkInterfaces').Action].flat().sort(), [
    'ec2:AssignPrivateIpAddresses',
    'ec2:CreateNetworkInterface',
    'ec2:DeleteNetworkInterface',
    'ec2:DescribeNetworkInterfaces',
    'ec2:DescribeSubnets',
    'ec2:UnassignPrivateIpAddresses',
  ]);
  t.false(policyOf('long').some((each) => each.Sid === 'ManageVpcNetworkInterfaces'));
});

test('the customer-managed key may be used through Secrets Manager of this region and partition only', (t) => {
  t.deepEqual(statement(policyOf('connector'), 'DecryptConnectionSecrets'), {
    Sid: 'DecryptConnectionSecrets',
    Effect: 'Allow',
    Action: 'kms:Decrypt',
    Resource: KEY_ARN,
    Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${REGION}.amazonaws.com` } },
  });
});

test('role names carry the region and fit IAM 64 characters, so a second region cannot collide', (t) => {
  t.is(change('module.connector.aws_iam_role.connector[0]').change.after.name, `appflow-HrMysql-${REGION}`);
  const long = change('module.long.aws_iam_role.connector[0]').change.after.name as string;
  t.true(long.length <= 64, long);
  t.true(long.endsWith(`-${REGION}`), long);
  t.true(long.startsWith('appflow-Warehouse'), long);
});

test('a scheduled flow is created Active through CloudFormation; an on-demand flow stays an aws_appflow_flow', (t) => {
  const stack = change('module.connector.aws_cloudformation_stack.scheduled_flows["employees-to-s3"]').change.after;
  const template = JSON.parse(stack.template_body as string);
  t.is(template.Resources.Flow.Type, 'AWS::AppFlow::Flow');
  t.is(template.Resources.Flow.Properties.FlowStatus, 'Active');
  t.is(template.Resources.Flow.Properties.TriggerConfig.TriggerType, 'Scheduled');
  t.deepEqual(stack.parameters, {
    FlowName: 'employees-to-s3',
    Description: 'Hourly, changed rows only?',
    ConnectorProfileName: 'HrMysql-profile',
    ApiVersion: 'v1',
    EntityName: 'employees',
    BucketName: 'hr-exports',
    BucketPrefix: '',
    FileType: 'PARQUET',
    ScheduleExpression: 'rate(1hours)',
    IncrementalTimestampField: 'updated_at',
    ErrorDeactivationThreshold: '',
  });
  t.is(stack.name, 'appflow-flow-employees-to-s3');

  const onDemand = change('module.connector.aws_appflow_flow.flows["departments-to-s3"]').change.after;
  t.like(onDemand, { name: 'departments-to-s3', trigger_config: [{ trigger_type: 'OnDemand' }] });
  t.false(plan.resource_changes.some((each) => each.address.includes('aws_appflow_flow.flows["employees-to-s3"]')));
});

test('the registration names the published version, which the invoke permission covers', (t) => {
  const fn = change('module.connector.aws_lambda_function.connector').change;
  t.is(fn.after.publish, true);
  const registration = change('module.connector.aws_cloudformation_stack.registration').change;
  t.like(registration.after_unknown, { parameters: true });
  const permission = change('module.connector.aws_lambda_permission.appflow_invoke').change;
  t.like(permission.after_unknown, { qualifier: true });
  t.like(permission.after, { principal: 'appflow.amazonaws.com', source_account: FAKE_ACCOUNT_ID });
});

test('a new bundle updates the registration in place to the new version', async (t) => {
  // The state of an earlier apply: version 1 of the function, registered by its version ARN.
  const functionArn = `arn:aws:lambda:${REGION}:${FAKE_ACCOUNT_ID}:function:appflow-HrMysql`;
  const bundle = join(mkdtempSync(join(tmpdir(), 'appflow-bundle-v2-')), 'lambda');
  cpSync(stubBundle(), bundle, { recursive: true });
  writeFileSync(join(bundle, 'index.js'), 'exports.handler = async () => ({ isSuccess: true, version: 2 });\n');
  const directory = await prepare('second', ROOT, bundle);
  const provider = 'provider["registry.terraform.io/hashicorp/aws"]';
  const instance = (attributes: Record<string, unknown>) => [{ schema_version: 0, attributes }];
  writeFileSync(
    join(directory, 'terraform.tfstate'),
    JSON.stringify({
      version: 4,
      terraform_version: '1.11.4',
      serial: 1,
      lineage: '5b0e3a52-0000-4000-8000-000000000001',
      outputs: {},
      resources: [
        {
          module: 'module.connector',
          mode: 'managed',
          type: 'aws_lambda_function',
          name: 'connector',
          provider,
          instances: instance({
            id: 'appflow-HrMysql',
            function_name: 'appflow-HrMysql',
            arn: functionArn,
            qualified_arn: `${functionArn}:1`,
            version: '1',
            publish: true,
            source_code_hash: 'aGFzaCBvZiB0aGUgZmlyc3QgYnVuZGxl',
            runtime: 'nodejs22.x',
            handler: 'index.handler',
            package_type: 'Zip',
          }),
        },
        {
          module: 'module.connector',
          mode: 'managed',
          type: 'aws_cloudformation_stack',
          name: 'registration',
          provider,
          instances: instance({
            id: `arn:aws:cloudformation:${REGION}:${FAKE_ACCOUNT_ID}:stack/appflow-connector-HrMysql/1`,
            name: 'appflow-connector-HrMysql',
            parameters: {
              ConnectorLabel: 'HrMysql',
              ConnectorDescription: 'Amazon AppFlow custom connector for MySQL and MariaDB',
              LambdaArn: `${functionArn}:1`,
            },
            outputs: { ConnectorArn: `arn:aws:appflow:${REGION}:${FAKE_ACCOUNT_ID}:connector/HrMysql` },
          }),
        },
      ],
    }),
  );
  const updated = await planJson(directory, ['-refresh=false']);
  const find = (address: string) => updated.resource_changes.find((each) => each.address === address)?.change;
  const fn = find('module.connector.aws_lambda_function.connector');
  const registration = find('module.connector.aws_cloudformation_stack.registration');
  t.deepEqual(fn?.actions, ['update']);
  t.is(fn?.before?.version, '1');
  t.like(fn?.after_unknown, { version: true, qualified_arn: true });
  // Updated in place (UpdateConnectorRegistration), not replaced: the profiles and flows of the label stay.
  t.deepEqual(registration?.actions, ['update']);
  t.like(registration?.before, { parameters: { LambdaArn: `${functionArn}:1` } });
  t.like(registration?.after_unknown, { parameters: true });
});

test('the paging token key is generated once and given to the Lambda as a sensitive value', (t) => {
  const generated = change('module.connector.terraform_data.paging_token_key[0]').change;
  t.deepEqual(generated.actions, ['create']);
  // triggers_replace, not input: terraform_data copies input to an output Terraform does not mark sensitive.
  t.like(generated.after_unknown, { triggers_replace: true });
  t.like(generated.after_sensitive, { triggers_replace: true });
  const fn = change('module.connector.aws_lambda_function.connector').change;
  // Known after apply (the generated key), so the plan shows the variables as unknown, never the key.
  t.like(fn.after_unknown, { environment: [{ variables: true }] });
});

test('a key of your own replaces the generated one', async (t) => {
  const directory = await prepare(
    'own-key',
    `provider "aws" {
  region = "${REGION}"
}

variable "db_password" {
  type      = string
  sensitive = true
}

variable "paging_token_key" {
  type      = string
  sensitive = true
  default   = "${'k'.repeat(40)}"
}
${moduleCall('connector', '  connector_label  = "HrMysql"\n  paging_token_key = var.paging_token_key')}`,
  );
  const own = await planJson(directory);
  t.false(own.resource_changes.some((each) => each.type === 'terraform_data'));
  const fn = own.resource_changes.find((each) => each.type === 'aws_lambda_function')?.change;
  t.like(fn?.after_sensitive, { environment: [{ variables: { PAGING_TOKEN_KEY: true } }] });
  t.like(fn?.after, { environment: [{ variables: { LOG_LEVEL: 'INFO' } }] });
});

test('a KMS alias ARN is refused at plan time with the reason', async (t) => {
  const directory = await prepare(
    'alias',
    ROOT.replace(KEY_ARN, `arn:aws:kms:${REGION}:${FAKE_ACCOUNT_ID}:alias/appflow-secrets`),
  );
  const result = await terraform.run(['plan', '-input=false', '-lock=false'], directory, environment());
  recordSuiteOutput(result.stdout + result.stderr);
  t.not(result.code, 0);
  t.regex(result.stderr.replace(/\s+/g, ' '), /kms_key_arn must be the ARN of the KMS key itself .*not an alias ARN/);
});
