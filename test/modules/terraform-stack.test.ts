// The CDKTF app's stack through real Terraform: init against the provider mirror, validate, and an offline plan
// whose only AWS call (STS GetCallerIdentity) is answered by a loopback stand-in.
import { join } from 'node:path';
import test from 'ava';
import { App } from 'cdktf';
import { recordSuiteOutput, registerTestSecret } from '../../local/secretRegistry';
import { ConnectorStack, configFromEnvironment } from '../../modules/connector-stack';
import {
  FAKE_ACCOUNT_ID,
  offlineAwsEnvironment,
  type StsStandIn,
  startStsStandIn,
  TerraformCli,
} from '../support/terraform';
import { stubBundle } from './support';

const REGION = 'eu-west-1';
const PASSWORD = 'plan-time-password-7f3a';

interface PlannedChange {
  address: string;
  type: string;
  change: { actions: string[]; after: Record<string, unknown>; after_unknown: Record<string, unknown> };
}

interface Plan {
  resource_changes: PlannedChange[];
}

let terraform: TerraformCli;
let sts: StsStandIn;
let stackDirectory: string;
let planOutput: string;
let plan: Plan;

test.before(async () => {
  registerTestSecret(PASSWORD);
  terraform = TerraformCli.create();
  sts = await startStsStandIn();
  const outdir = join(terraform.workDirectory, 'cdktf.out');
  const app = new App({ outdir });
  const config = configFromEnvironment({
    AWS_REGION: REGION,
    CONNECTOR_LABEL: 'HrMysql',
    DB_HOST: 'hr-db.example.internal',
    // DB_NAME left out: the stack asks for it as the Terraform variable db_name.
    DB_USERNAME: 'appflow_reader',
    SUBNET_IDS: 'subnet-0123456789abcdef0',
    SECURITY_GROUP_IDS: 'sg-0123456789abcdef0',
    FLOWS_JSON: JSON.stringify([
      {
        name: 'employees-to-s3',
        entityName: 'employees',
        bucketName: 'hr-exports',
        triggerType: 'Scheduled',
        scheduleExpression: 'rate(1hours)',
        incrementalTimestampField: 'updated_at',
      },
    ]),
  });
  new ConnectorStack(app, 'connector', { ...config, bundleDirectory: stubBundle() });
  app.synth();
  stackDirectory = join(outdir, 'stacks', 'connector');

  await terraform.init(stackDirectory);
  const environment = { ...offlineAwsEnvironment(sts, REGION), TF_VAR_db_password: PASSWORD, TF_VAR_db_name: 'hr' };
  planOutput = await terraform.mustRun(
    ['plan', '-input=false', '-lock=false', '-out=plan.bin'],
    stackDirectory,
    environment,
  );
  // The suite's leak check scans this for the password, like everything else the suite produces.
  recordSuiteOutput(planOutput);
  plan = JSON.parse(await terraform.mustRun(['show', '-json', 'plan.bin'], stackDirectory, environment)) as Plan;
});

test.after.always(async () => {
  await sts?.close();
  terraform?.dispose();
});

const changeOf = (type: string): PlannedChange => {
  const changes = plan.resource_changes.filter((change) => change.type === type);
  if (changes.length !== 1) throw new Error(`expected one ${type} in the plan, found ${changes.length}`);
  return changes[0] as PlannedChange;
};

test('the synthesized stack validates', async (t) => {
  const result = await terraform.run(['validate'], stackDirectory);
  t.is(result.code, 0, result.stdout + result.stderr);
});

test('the plan creates the connector and nothing else, resolving account and region through STS', (t) => {
  t.true(sts.actions.includes('GetCallerIdentity'));
  t.true(plan.resource_changes.every((change) => change.change.actions.join() === 'create'));
  // The scheduled flow is the second CloudFormation stack (created Active); no managed policy is attached.
  t.deepEqual(plan.resource_changes.map((change) => change.type).sort(), [
    'aws_appflow_connector_profile',
    'aws_cloudformation_stack',
    'aws_cloudformation_stack',
    'aws_cloudwatch_log_group',
    'aws_iam_role',
    'aws_iam_role_policy',
    'aws_lambda_function',
    // The registered version's permission, and the version before's for one more release.
    'aws_lambda_permission',
    'aws_lambda_permission',
    // The paging token key, and the trigger type the flow is created with (a switch is refused at plan time).
    'terraform_data',
    'terraform_data',
  ]);
  const permissions = plan.resource_changes.filter((change) => change.type === 'aws_lambda_permission');
  t.like(permissions.find((each) => each.change.after.statement_id === 'AllowAppflowInvoke')?.change.after, {
    principal: 'appflow.amazonaws.com',
    source_account: FAKE_ACCOUNT_ID,
    source_arn: `arn:aws:appflow:${REGION}:${FAKE_ACCOUNT_ID}:*`,
  });
});

test('the planned role policy allows its own logs, its own profile secrets and its network interfaces only', (t) => {
  const policy = JSON.parse(changeOf('aws_iam_role_policy').change.after.policy as string);
  t.deepEqual(
    policy.Statement.map((statement: { Sid: string; Resource: string }) => [statement.Sid, statement.Resource]).sort(),
    [
      ['ManageVpcNetworkInterfaces', '*'],
      [
        'ReadOwnProfileSecrets',
        `arn:aws:secretsmanager:${REGION}:${FAKE_ACCOUNT_ID}:secret:appflow!${FAKE_ACCOUNT_ID}-HrMysql-*`,
      ],
      ['WriteOwnLogs', `arn:aws:logs:${REGION}:${FAKE_ACCOUNT_ID}:log-group:/aws/lambda/appflow-HrMysql:*`],
    ],
  );
  t.is(changeOf('aws_iam_role').change.after.name, `appflow-HrMysql-${REGION}`);
});

test('the planned profile, flow and function carry the configured values', (t) => {
  const profile = changeOf('aws_appflow_connector_profile').change;
  t.like(profile.after, {
    name: 'HrMysql-profile',
    connector_type: 'CustomConnector',
    connector_profile_config: [
      {
        connector_profile_properties: [
          {
            custom_connector: [
              {
                profile_properties: {
                  host: 'hr-db.example.internal',
                  port: '3306',
                  database: 'hr',
                  tlsMode: 'REQUIRED',
                },
              },
            ],
          },
        ],
      },
    ],
  });
  // Read from the registration stack, whose parameters (holding the Lambda ARN) are only known after apply.
  t.is(profile.after_unknown.connector_label, true);
  const stacks = plan.resource_changes.filter((change) => change.type === 'aws_cloudformation_stack');
  t.deepEqual(stacks.map((stack) => stack.change.after.name).sort(), [
    'appflow-connector-HrMysql',
    'appflow-flow-employees-to-s3',
  ]);
  const flow = stacks.find((stack) => stack.change.after.name === 'appflow-flow-employees-to-s3')?.change.after;
  t.is(JSON.parse(flow?.template_body as string).Resources.Flow.Properties.FlowStatus, 'Active');
  t.like(flow?.parameters, { FlowName: 'employees-to-s3', IncrementalTimestampField: 'updated_at' });
  t.like(changeOf('aws_lambda_function').change.after, {
    function_name: 'appflow-HrMysql',
    runtime: 'nodejs22.x',
    vpc_config: [{ subnet_ids: ['subnet-0123456789abcdef0'], security_group_ids: ['sg-0123456789abcdef0'] }],
  });
});

test('the password given at plan time is hidden in the plan output', (t) => {
  t.false(planOutput.includes(PASSWORD));
  t.regex(planOutput, /password\s+= \(sensitive value\)/);
});
