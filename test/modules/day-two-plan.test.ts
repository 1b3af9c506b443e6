// Day two of a deployment, read from offline plans of the plain module with the real AWS provider (the loopback STS
// stand-in answers its one call): names that never collide, strings within AWS's limits, the paging token key kept
// sensitive, enterprise role options and KMS keys, alerts when flows stop, flows into the database, a deployer policy
// that covers the plan, and a flow that may not switch trigger type in one apply.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
const PASSWORD = 'day-two-plan-password-7f3a';
const KEY = (id: string) => `arn:aws:kms:${REGION}:${FAKE_ACCOUNT_ID}:key/${id}`;
const BOUNDARY = `arn:aws:iam::${FAKE_ACCOUNT_ID}:policy/DeveloperBoundary`;
const OWN_ROLE = `arn:aws:iam::${FAKE_ACCOUNT_ID}:role/platform/appflow-connector`;
const OWN_TOPIC = `arn:aws:sns:${REGION}:${FAKE_ACCOUNT_ID}:data-platform-alerts`;
/** 250 characters: a valid AppFlow label, far over what a Lambda description built from it may hold. */
const LONG_LABEL = `Pg${'x'.repeat(248)}`;
const hash8 = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 8);

interface PlannedChange {
  address: string;
  type: string;
  change: {
    actions: string[];
    after: Record<string, unknown>;
    after_unknown: Record<string, unknown>;
    after_sensitive: Record<string, unknown> | boolean;
  };
}

interface Plan {
  resource_changes: PlannedChange[];
  planned_values: { outputs: Record<string, { value?: unknown; sensitive: boolean }> };
}

const moduleCall = (name: string, inputs: string) => `
module "${name}" {
  source = "../module"

  db_host     = "hr-db.example.internal"
  db_name     = "hr"
  db_username = "appflow_writer"
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
  'dotted',
  `
  connector_label           = "hr.mysql"
  create_alert_topic        = true
  role_permissions_boundary = "${BOUNDARY}"
  role_path                 = "/appflow/"
  lambda_kms_key_arn        = "${KEY('11111111-1111-1111-1111-111111111111')}"
  log_group_kms_key_arn     = "${KEY('22222222-2222-2222-2222-222222222222')}"
  log_retention_days        = 14
  flows = [
    { name = "a.b", entity_name = "employees", bucket_name = "hr-exports", trigger_type = "Scheduled", schedule_expression = "rate(1hours)", error_deactivation_threshold = 5 },
    { name = "a_b", entity_name = "employees", bucket_name = "hr-exports", trigger_type = "Scheduled", schedule_expression = "rate(1days)" },
  ]
  destination_flows = [
    {
      name                 = "employees-from-s3"
      entity_name          = "employees"
      source_bucket_name   = "hr-imports"
      source_bucket_prefix = "employees"
      write_operation      = "UPSERT"
      id_field_names       = ["id"]
      error_bucket_name    = "hr-import-errors"
      error_bucket_prefix  = "employees"
    },
  ]`,
)}
${moduleCall('dashed', '  connector_label = "hr-mysql"')}
${moduleCall('long', `  connector_label = "${LONG_LABEL}"\n  db_engine       = "POSTGRESQL"`)}
${moduleCall(
  'own_role',
  `
  connector_label    = "HrOwnRole"
  execution_role_arn = "${OWN_ROLE}"
  alert_topic_arn    = "${OWN_TOPIC}"
  flows              = [{ name = "hr-own-role-to-s3", entity_name = "employees", bucket_name = "hr-exports" }]`,
)}
output "deployer_policy" {
  value = module.dotted.deployer_policy_json
}

output "long_description" {
  value = module.long.connector_description
}

output "dashed_description" {
  value = module.dashed.connector_description
}
`;

let terraform: TerraformCli;
let sts: StsStandIn;
let plan: Plan;

function environment(): Record<string, string> {
  return { ...offlineAwsEnvironment(sts, REGION), TF_VAR_db_password: PASSWORD };
}

async function prepare(name: string, rootConfiguration: string): Promise<string> {
  const base = join(terraform.workDirectory, name);
  buildModule({ outputDirectory: join(base, 'module'), bundleDirectory: stubBundle() });
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
  plan = await planJson(await prepare('day-two', ROOT));
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
const after = (address: string) => change(address).change.after;

test('labels and flow names that differ only in replaced characters get distinct physical names', (t) => {
  const fnDotted = after('module.dotted.aws_lambda_function.connector').function_name;
  const fnDashed = after('module.dashed.aws_lambda_function.connector').function_name;
  t.is(fnDashed, 'appflow-hr-mysql', 'a label Lambda accepts as it is keeps its name (existing deployments)');
  t.is(fnDotted, `appflow-hr-mysql-${hash8('hr.mysql')}`);
  t.not(after('module.dotted.aws_iam_role.connector[0]').name, after('module.dashed.aws_iam_role.connector[0]').name);
  t.not(
    after('module.dotted.aws_cloudwatch_log_group.connector').name,
    after('module.dashed.aws_cloudwatch_log_group.connector').name,
  );
  t.not(
    after('module.dotted.aws_cloudformation_stack.registration').name,
    after('module.dashed.aws_cloudformation_stack.registration').name,
  );
  const stackA = after('module.dotted.aws_cloudformation_stack.scheduled_flows["a.b"]').name;
  const stackB = after('module.dotted.aws_cloudformation_stack.scheduled_flows["a_b"]').name;
  t.is(stackA, `appflow-flow-a-b-${hash8('a.b')}`);
  t.is(stackB, `appflow-flow-a-b-${hash8('a_b')}`);
});

test('every generated name and description fits its limit, in engine-neutral or engine-true words', (t) => {
  const fn = after('module.long.aws_lambda_function.connector');
  t.true((fn.description as string).length <= 256, `${(fn.description as string).length}`);
  t.true((fn.description as string).startsWith('Amazon AppFlow custom connector Pg'));
  t.true((fn.function_name as string).length <= 64);
  t.regex(fn.function_name as string, new RegExp(`-${hash8(LONG_LABEL)}$`));
  t.true((after('module.long.aws_iam_role.connector[0]').name as string).length <= 64);
  t.true((after('module.long.aws_cloudformation_stack.registration').name as string).length <= 128);
  t.true((after('module.long.aws_appflow_connector_profile.connector').name as string).length <= 256);
  for (const name of ['dotted', 'dashed', 'long', 'own_role']) {
    t.notRegex(after(`module.${name}.aws_lambda_function.connector`).description as string, /MySQL|MariaDB/);
  }
  // The registration's parameters are unknown as a whole until the version is published: read the output.
  t.is(plan.planned_values.outputs.long_description?.value, 'Amazon AppFlow custom connector for PostgreSQL');
  t.is(plan.planned_values.outputs.dashed_description?.value, 'Amazon AppFlow custom connector for MySQL and MariaDB');
});

test('the created role takes a permissions boundary and a path; keys encrypt the environment and the log group', (t) => {
  t.like(after('module.dotted.aws_iam_role.connector[0]'), { permissions_boundary: BOUNDARY, path: '/appflow/' });
  t.like(after('module.dotted.aws_lambda_function.connector'), {
    kms_key_arn: KEY('11111111-1111-1111-1111-111111111111'),
  });
  t.like(after('module.dotted.aws_cloudwatch_log_group.connector'), {
    kms_key_id: KEY('22222222-2222-2222-2222-222222222222'),
    retention_in_days: 14,
  });
});

test('with an execution role of your own no role and no inline policy are created', (t) => {
  t.false(plan.resource_changes.some((each) => each.address.startsWith('module.own_role.aws_iam_role')));
  t.like(after('module.own_role.aws_lambda_function.connector'), { role: OWN_ROLE });
});

test('a scheduled flow takes a deactivation threshold, and EventBridge rules send stops and failures to a topic', (t) => {
  const stack = after('module.dotted.aws_cloudformation_stack.scheduled_flows["a.b"]');
  t.is((stack.parameters as Record<string, string>).ErrorDeactivationThreshold, '5');
  const template = JSON.parse(stack.template_body as string);
  t.deepEqual(template.Resources.Flow.Properties.TriggerConfig.TriggerProperties.FlowErrorDeactivationThreshold, {
    'Fn::If': ['HasErrorDeactivationThreshold', { Ref: 'ErrorDeactivationThreshold' }, { Ref: 'AWS::NoValue' }],
  });
  const flowArn = (name: string) => `arn:aws:appflow:${REGION}:${FAKE_ACCOUNT_ID}:flow/${name}`;
  const deactivated = JSON.parse(
    after('module.dotted.aws_cloudwatch_event_rule.flow_deactivated[0]').event_pattern as string,
  );
  t.deepEqual(deactivated, {
    source: ['aws.appflow'],
    'detail-type': ['AppFlow Scheduled Flow Deactivated'],
    resources: [flowArn('a.b'), flowArn('a_b'), flowArn('employees-from-s3')],
  });
  const failed = JSON.parse(
    after('module.dotted.aws_cloudwatch_event_rule.flow_run_failed[0]').event_pattern as string,
  );
  t.deepEqual(failed.detail, { status: [{ 'anything-but': ['Execution Successful'] }] });
  t.is(after('module.dotted.aws_sns_topic.alert_topic[0]').name, `appflow-hr-mysql-${hash8('hr.mysql')}-flow-alerts`);
  t.truthy(change('module.dotted.aws_sns_topic_policy.alert_topic_policy[0]'));
  // A topic of your own: the rules' targets name it, and no topic is created.
  t.is(after('module.own_role.aws_cloudwatch_event_target.flow_run_failed_target[0]').arn, OWN_TOPIC);
  t.false(plan.resource_changes.some((each) => each.address.startsWith('module.own_role.aws_sns_topic')));
  // No alert input, no rule.
  t.false(plan.resource_changes.some((each) => each.address.startsWith('module.dashed.aws_cloudwatch_event_rule')));
});

test('a destination flow writes files from S3 into a table with its write operation, id fields and error bucket', (t) => {
  const flow = after('module.dotted.aws_appflow_flow.destination_flows["employees-from-s3"]');
  t.like(flow, {
    name: 'employees-from-s3',
    source_flow_config: [
      {
        connector_type: 'S3',
        source_connector_properties: [{ s3: [{ bucket_name: 'hr-imports', bucket_prefix: 'employees' }] }],
      },
    ],
    trigger_config: [{ trigger_type: 'OnDemand' }],
  });
  const destination = (flow.destination_flow_config as Record<string, unknown>[])[0] as Record<string, unknown>;
  t.like(destination, {
    connector_type: 'CustomConnector',
    connector_profile_name: `hr.mysql-profile`,
    destination_connector_properties: [
      {
        custom_connector: [
          {
            entity_name: 'employees',
            write_operation_type: 'UPSERT',
            id_field_names: ['id'],
            error_handling_config: [
              { bucket_name: 'hr-import-errors', bucket_prefix: 'employees', fail_on_first_destination_error: false },
            ],
          },
        ],
      },
    ],
  });
});

test("the previous version keeps AppFlow's invoke permission for one more release", (t) => {
  const previous = change('module.dotted.aws_lambda_permission.appflow_invoke_previous');
  t.like(previous.change.after, {
    statement_id: 'AllowAppflowInvokePreviousVersion',
    principal: 'appflow.amazonaws.com',
    source_account: FAKE_ACCOUNT_ID,
  });
  t.like(previous.change.after_unknown, { qualifier: true });
});

/**
 * What applying and destroying each planned resource type calls with the deployer's credentials: Terraform's CRUD
 * calls for the type, plus, for the CloudFormation stacks, what the AWS::AppFlow::Connector and AWS::AppFlow::Flow
 * resource handlers declare (their schemas' `handlers` permissions).
 */
const NEEDED_ACTIONS: Record<string, string[]> = {
  aws_iam_role: [
    'iam:CreateRole',
    'iam:GetRole',
    'iam:DeleteRole',
    'iam:PutRolePermissionsBoundary',
    'iam:TagRole',
    'iam:ListRolePolicies',
    'iam:ListAttachedRolePolicies',
    'iam:PassRole',
  ],
  aws_iam_role_policy: ['iam:PutRolePolicy', 'iam:GetRolePolicy', 'iam:DeleteRolePolicy'],
  aws_lambda_function: [
    'lambda:CreateFunction',
    'lambda:GetFunction',
    'lambda:UpdateFunctionCode',
    'lambda:UpdateFunctionConfiguration',
    'lambda:PublishVersion',
    'lambda:ListVersionsByFunction',
    'lambda:DeleteFunction',
    'lambda:GetFunctionCodeSigningConfig',
    'kms:CreateGrant',
    'kms:Encrypt',
    'ec2:DescribeNetworkInterfaces',
  ],
  aws_lambda_permission: ['lambda:AddPermission', 'lambda:GetPolicy', 'lambda:RemovePermission'],
  aws_cloudwatch_log_group: [
    'logs:CreateLogGroup',
    'logs:DescribeLogGroups',
    'logs:PutRetentionPolicy',
    'logs:AssociateKmsKey',
    'logs:DeleteLogGroup',
    'logs:ListTagsForResource',
  ],
  aws_cloudformation_stack: [
    'cloudformation:CreateStack',
    'cloudformation:DescribeStacks',
    'cloudformation:UpdateStack',
    'cloudformation:DeleteStack',
    'cloudformation:GetTemplate',
    // AWS::AppFlow::Connector handlers
    'appflow:RegisterConnector',
    'appflow:UpdateConnectorRegistration',
    'appflow:UnRegisterConnector',
    'appflow:DescribeConnector',
    'lambda:InvokeFunction',
    // AWS::AppFlow::Flow handlers
    'appflow:CreateFlow',
    'appflow:StartFlow',
    'appflow:UpdateFlow',
    'appflow:DeleteFlow',
    'appflow:DescribeFlow',
    'appflow:UseConnectorProfile',
    'appflow:TagResource',
    'appflow:ListTagsForResource',
    'iam:PassRole',
    's3:ListAllMyBuckets',
    's3:GetBucketLocation',
    's3:GetBucketPolicy',
    'kms:ListGrants',
    'kms:ListKeys',
    'kms:DescribeKey',
    'kms:ListAliases',
    'kms:CreateGrant',
    'secretsmanager:CreateSecret',
    'secretsmanager:PutResourcePolicy',
  ],
  aws_appflow_connector_profile: [
    'appflow:CreateConnectorProfile',
    'appflow:DescribeConnectorProfiles',
    'appflow:UpdateConnectorProfile',
    'appflow:DeleteConnectorProfile',
    'secretsmanager:CreateSecret',
    'secretsmanager:PutResourcePolicy',
    'kms:CreateGrant',
    'kms:DescribeKey',
  ],
  aws_appflow_flow: [
    'appflow:CreateFlow',
    'appflow:DescribeFlow',
    'appflow:UpdateFlow',
    'appflow:DeleteFlow',
    'appflow:UseConnectorProfile',
    'appflow:TagResource',
    'appflow:ListTagsForResource',
    's3:GetBucketPolicy',
    's3:ListAllMyBuckets',
  ],
  aws_cloudwatch_event_rule: [
    'events:PutRule',
    'events:DescribeRule',
    'events:DeleteRule',
    'events:ListTagsForResource',
    'events:TagResource',
  ],
  aws_cloudwatch_event_target: ['events:PutTargets', 'events:ListTargetsByRule', 'events:RemoveTargets'],
  aws_sns_topic: [
    'sns:CreateTopic',
    'sns:GetTopicAttributes',
    'sns:SetTopicAttributes',
    'sns:DeleteTopic',
    'sns:ListTagsForResource',
  ],
  aws_sns_topic_policy: ['sns:SetTopicAttributes', 'sns:GetTopicAttributes'],
  terraform_data: [],
};

const matchesPattern = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  ).test(value);

test('the deployer policy the module outputs allows every action the planned resources need', (t) => {
  const document = JSON.parse(plan.planned_values.outputs.deployer_policy?.value as string) as {
    Statement: { Action: string | string[]; Resource: string | string[]; Effect: string }[];
  };
  const allowed = document.Statement.flatMap((statement) => [statement.Action].flat());
  const types = [...new Set(plan.resource_changes.map((each) => each.type))].sort();
  const missing: string[] = [];
  for (const type of types) {
    const needed = NEEDED_ACTIONS[type];
    if (needed === undefined) {
      missing.push(`${type}: no entry in NEEDED_ACTIONS`);
      continue;
    }
    for (const action of needed) {
      if (!allowed.some((pattern) => matchesPattern(pattern, action))) missing.push(`${type}: ${action}`);
    }
  }
  t.deepEqual(missing, []);
  // Scoped to the connector's own function and role, not to every function of the account.
  const functionStatement = document.Statement.find((statement) =>
    [statement.Action].flat().includes('lambda:CreateFunction'),
  );
  t.deepEqual([functionStatement?.Resource].flat().sort(), [
    `arn:aws:lambda:${REGION}:${FAKE_ACCOUNT_ID}:function:appflow-hr-mysql-${hash8('hr.mysql')}`,
    `arn:aws:lambda:${REGION}:${FAKE_ACCOUNT_ID}:function:appflow-hr-mysql-${hash8('hr.mysql')}:*`,
  ]);
});

test('the generated paging token key is printed by neither show, state show nor a -replace plan', async (t) => {
  const directory = await prepare(
    'paging-key',
    `provider "aws" {
  region = "${REGION}"
}

variable "db_password" {
  type      = string
  sensitive = true
}
${moduleCall('connector', '  connector_label = "HrMysql"')}`,
  );
  const key = 'module.connector.terraform_data.paging_token_key[0]';
  // Only the key is applied (it needs no AWS); the state then holds it as an apply would leave it.
  await terraform.mustRun(
    ['apply', '-auto-approve', '-input=false', '-lock=false', `-target=${key}`],
    directory,
    environment(),
  );
  const state = JSON.parse(readFileSync(join(directory, 'terraform.tfstate'), 'utf8'));
  const instance = state.resources.find((each: { type: string }) => each.type === 'terraform_data').instances[0];
  // triggers_replace has a dynamic type: the state keeps its value with its type. (Earlier releases kept the key in
  // input and output, where show printed it.)
  const value = (instance.attributes.triggers_replace?.value ?? instance.attributes.output?.value) as
    | string
    | undefined;
  t.truthy(value, 'the generated key is in the state');
  registerTestSecret(value as string);
  const printed = [
    await terraform.mustRun(['show'], directory, environment()),
    await terraform.mustRun(['state', 'show', key], directory, environment()),
    await terraform.mustRun(
      ['plan', '-input=false', '-lock=false', '-refresh=false', `-replace=${key}`],
      directory,
      environment(),
    ),
  ];
  for (const output of printed) {
    t.false(output.includes(value as string));
  }
  t.regex(printed[1] as string, /\(sensitive value\)/);
});

test('switching a flow between OnDemand and Scheduled is refused at plan time with the steps', async (t) => {
  const flows = (trigger: string) =>
    `  connector_label = "HrMysql"\n  flows = [{ name = "hr-switch", entity_name = "employees", bucket_name = "hr-exports"${trigger} }]`;
  const configuration = (trigger: string) => `provider "aws" {
  region = "${REGION}"
}

variable "db_password" {
  type      = string
  sensitive = true
}
${moduleCall('connector', flows(trigger))}`;
  const directory = await prepare('switch', configuration(''));
  // The state an apply of the on-demand flow leaves: the trigger type it was created with.
  await terraform.mustRun(
    [
      'apply',
      '-auto-approve',
      '-input=false',
      '-lock=false',
      '-target=module.connector.terraform_data.flow_trigger_types',
    ],
    directory,
    environment(),
  );
  writeFileSync(
    join(directory, 'main.tf'),
    configuration(', trigger_type = "Scheduled", schedule_expression = "rate(1hours)"'),
  );
  const result = await terraform.run(
    ['plan', '-input=false', '-lock=false', '-refresh=false'],
    directory,
    environment(),
  );
  recordSuiteOutput(result.stdout + result.stderr);
  t.not(result.code, 0);
  t.regex(
    result.stderr.replace(/\s+/g, ' '),
    /cannot switch between OnDemand and Scheduled in one apply.*Remove the flow/,
  );
});

test('examples/complete plans offline: hardened bucket, no open egress, a flow into the database and alerts', async (t) => {
  const base = join(terraform.workDirectory, 'complete');
  buildModule({ outputDirectory: join(base, 'terraform', 'appflow-mysql-connector'), bundleDirectory: stubBundle() });
  const directory = join(base, 'examples', 'complete');
  mkdirSync(directory, { recursive: true });
  writeFileSync(
    join(directory, 'main.tf'),
    readFileSync(join(__dirname, '..', '..', 'examples', 'complete', 'main.tf')),
  );
  await terraform.init(directory);
  const complete = await planJson(directory, [
    '-var=vpc_id=vpc-0123456789abcdef0',
    '-var=subnet_ids=["subnet-0123456789abcdef0"]',
    '-var=db_security_group_id=sg-0123456789abcdef0',
    '-var=db_host=hr-db.example.internal',
    '-var=db_name=hr',
    '-var=db_username=appflow_writer',
  ]);
  const find = (address: string) => complete.resource_changes.find((each) => each.address === address)?.change.after;
  // The connector reaches the database and the Secrets Manager endpoint only.
  const egress = complete.resource_changes.filter((each) => each.type === 'aws_vpc_security_group_egress_rule');
  t.deepEqual(egress.map((each) => each.address).sort(), [
    'aws_vpc_security_group_egress_rule.to_database',
    'aws_vpc_security_group_egress_rule.to_secrets_manager_endpoint[0]',
  ]);
  t.false(egress.some((each) => each.change.after.cidr_ipv4 === '0.0.0.0/0'));
  t.like(find('aws_s3_bucket_versioning.exports'), { versioning_configuration: [{ status: 'Enabled' }] });
  // The bucket policy is read after the bucket exists: check its statements as the plan's configuration holds them.
  const configuration = (
    complete as unknown as {
      configuration: { root_module: { resources: { address: string; expressions: unknown }[] } };
    }
  ).configuration;
  const bucketPolicy = JSON.stringify(
    configuration.root_module.resources.find(
      (each) => each.address === 'data.aws_iam_policy_document.appflow_writes_exports',
    )?.expressions,
  );
  interface StatementExpressions {
    effect?: { constant_value: string };
    condition?: { variable: { constant_value: string }; values: { constant_value?: string[] } }[];
  }
  const statements = (JSON.parse(bucketPolicy) as { statement: StatementExpressions[] }).statement;
  t.deepEqual(
    statements
      .filter((each) => each.effect?.constant_value === 'Deny')
      .flatMap((each) => each.condition ?? [])
      .map((condition) => [condition.variable.constant_value, condition.values.constant_value]),
    [['aws:SecureTransport', ['false']]],
  );
  t.is(
    bucketPolicy.match(/"aws:SourceArn"/g)?.length,
    2,
    'both AppFlow statements are limited to flows of this account and region',
  );
  const flow = find('module.mysql_connector.aws_appflow_flow.destination_flows["hr-departments-from-s3"]');
  t.like(flow, { name: 'hr-departments-from-s3', trigger_config: [{ trigger_type: 'OnDemand' }] });
  t.truthy(find('module.mysql_connector.aws_sns_topic.alert_topic[0]'));
  t.truthy(find('module.mysql_connector.aws_cloudwatch_event_rule.flow_deactivated[0]'));
});

// Earlier releases created the role without count; Terraform moves an instance without key to [0] when a count is
// added (no moved block needed), so upgrading keeps the role. This guards the upgrade path.
test("an earlier release's role moves to its new address instead of being replaced", async (t) => {
  const directory = await prepare(
    'moved-role',
    `provider "aws" {
  region = "${REGION}"
}

variable "db_password" {
  type      = string
  sensitive = true
}
${moduleCall('connector', '  connector_label = "HrMysql"')}`,
  );
  const roleName = `appflow-HrMysql-${REGION}`;
  writeFileSync(
    join(directory, 'terraform.tfstate'),
    JSON.stringify({
      version: 4,
      terraform_version: '1.11.4',
      serial: 1,
      lineage: '5b0e3a52-0000-4000-8000-000000000002',
      outputs: {},
      resources: [
        {
          module: 'module.connector',
          mode: 'managed',
          type: 'aws_iam_role',
          name: 'connector',
          provider: 'provider["registry.terraform.io/hashicorp/aws"]',
          instances: [
            {
              schema_version: 0,
              attributes: {
                id: roleName,
                name: roleName,
                arn: `arn:aws:iam::${FAKE_ACCOUNT_ID}:role/${roleName}`,
                path: '/',
                assume_role_policy: JSON.stringify({
                  Version: '2012-10-17',
                  Statement: [
                    { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
                  ],
                }),
                description: 'Runs the AppFlow connector HrMysql',
                max_session_duration: 3600,
                force_detach_policies: false,
              },
            },
          ],
        },
      ],
    }),
  );
  const moved = await planJson(directory, ['-refresh=false']);
  const role = moved.resource_changes.find((each) => each.address === 'module.connector.aws_iam_role.connector[0]') as
    | (PlannedChange & { previous_address?: string })
    | undefined;
  t.is(role?.previous_address, 'module.connector.aws_iam_role.connector');
  t.false(role?.change.actions.includes('delete'), JSON.stringify(role?.change.actions));
});
