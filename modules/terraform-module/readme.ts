import { DEPLOYER_STATEMENTS } from '../deployer-policy';
/**
 * The module's README: prose about obtaining and using the module, then Requirements / Resources / Inputs /
 * Outputs tables generated from the module's own configuration files, between the markers terraform-docs uses.
 */
import type { ModuleConfiguration } from './render';

export const MODULE_PATH_IN_REPOSITORY = 'terraform/appflow-mysql-connector';

type Json = ModuleConfiguration['variables.tf.json'][string];

interface VariableJson {
  readonly type: string;
  readonly description?: string;
  readonly default?: Json;
  readonly sensitive?: boolean;
}

/** A table cell: one line, pipes escaped, angle brackets kept from being read as HTML. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('\n', ' ');
}

/** A code span in a table cell: only pipes need escaping (GFM splits cells before reading code spans). */
function code(text: string): string {
  return `\`${text.replaceAll('|', '\\|').replaceAll('\n', ' ')}\``;
}

/** A default value the way HCL would write it. */
function hclValue(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(hclValue).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([key, item]) => ` ${key} = ${hclValue(item)}`)
      .join(',')} }`.replace('{ }', '{}');
  }
  return JSON.stringify(value);
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '------').join('|')}|`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

export function renderModuleDocs(configuration: ModuleConfiguration): string {
  const terraform = configuration['versions.tf.json'].terraform as {
    required_version: string;
    required_providers: { [name: string]: { source: string; version: string } };
  };
  const variables = configuration['variables.tf.json'].variable as unknown as { [name: string]: VariableJson };
  const outputs = configuration['outputs.tf.json'].output as unknown as {
    [name: string]: { description?: string };
  };
  const main = configuration['main.tf.json'] as unknown as {
    resource?: { [type: string]: { [name: string]: unknown } };
    data?: { [type: string]: { [name: string]: unknown } };
  };

  const requirements = [
    ['terraform', code(terraform.required_version)],
    ...Object.entries(terraform.required_providers).map(([name, provider]) => [
      name,
      `${code(provider.version)} (${provider.source})`,
    ]),
  ];
  const resources = [
    ...Object.entries(main.resource ?? {}).flatMap(([type, byName]) =>
      Object.keys(byName).map((name) => [`${type}.${name}`, 'resource']),
    ),
    ...Object.entries(main.data ?? {}).flatMap(([type, byName]) =>
      Object.keys(byName).map((name) => [`${type}.${name}`, 'data source']),
    ),
  ].map(([address, kind]) => [code(address as string), kind as string]);

  // Required inputs first, then the optional ones, each group alphabetically.
  const variableEntries = Object.entries(variables).sort(
    ([nameA, a], [nameB, b]) =>
      Number('default' in a) - Number('default' in b) || (nameA < nameB ? -1 : nameA > nameB ? 1 : 0),
  );
  const inputs = variableEntries.map(([name, variable]) => [
    code(name),
    cell(`${variable.description ?? ''}${variable.sensitive ? ' (sensitive)' : ''}`),
    code(variable.type),
    'default' in variable ? code(hclValue(variable.default as Json)) : 'n/a',
    'default' in variable ? 'no' : 'yes',
  ]);
  const outputRows = Object.entries(outputs).map(([name, output]) => [code(name), cell(output.description ?? '')]);

  return [
    '<!-- BEGIN_TF_DOCS -->',
    '## Requirements',
    '',
    table(['Name', 'Version'], requirements),
    '',
    '## Resources',
    '',
    table(['Name', 'Type'], resources),
    '',
    '## Inputs',
    '',
    table(['Name', 'Description', 'Type', 'Default', 'Required'], inputs),
    '',
    '## Outputs',
    '',
    table(['Name', 'Description'], outputRows),
    '<!-- END_TF_DOCS -->',
  ].join('\n');
}

/** The deployer policy as a JSON document with placeholders, for the README. */
function renderDeployerPolicyTemplate(): string {
  const document = {
    Version: '2012-10-17',
    Statement: DEPLOYER_STATEMENTS.map((statement) => ({
      Sid: statement.sid,
      Effect: 'Allow',
      Action: statement.actions,
      Resource: statement.resources,
    })),
  };
  return ['```json', JSON.stringify(document, null, 2), '```'].join('\n');
}

export function renderReadme(configuration: ModuleConfiguration): string {
  return `# appflow-mysql-connector (Terraform module)

Deploys the Amazon AppFlow custom connector for MySQL, MariaDB and Aurora MySQL, or for PostgreSQL and Aurora
PostgreSQL (\`db_engine\`). The module keeps its name \`appflow-mysql-connector\`, so that existing sources stay
valid: it serves both engines.

* the connector Lambda (\`nodejs22.x\`, arm64; the package \`lambda.zip\` ships inside this directory), published as
  a new version on every change, and its log group with a retention;
* its IAM role \`<function_name>-<region>\` (role names are global: the region keeps a second region's deployment
  from colliding; cut to IAM's 64 characters; \`role_path\`, \`role_permissions_boundary\`, or none at all with
  \`execution_role_arn\`) with one inline policy and no managed policy: \`logs:CreateLogStream\`/
  \`PutLogEvents\` on its own log group only; \`secretsmanager:GetSecretValue\` on its own profiles' secrets only,
  \`appflow!<account>-<connector_label>-*\` (AppFlow names a custom connector's profile secret
  \`appflow!<account>-<connector_label>-<profile name>-…\`); with subnets, the EC2 network-interface actions of
  AWS's VPC access policy; with \`kms_key_arn\`, \`kms:Decrypt\` with that key through Secrets Manager of this
  region; with IAM authentication, \`rds-db:connect\` as that one user;
* the permission for \`appflow.amazonaws.com\` to invoke the published version, limited to this account and region,
  and the same permission on the version before it, kept for one more release so that a run in flight when the
  registration moves still reaches the function;
* the connector registration: a CloudFormation stack holding an \`AWS::AppFlow::Connector\` (the AWS provider has
  no resource for it) naming the published version, so that new code reaches AppFlow: CloudFormation updates the
  registration in place (\`UpdateConnectorRegistration\`);
* one connection profile with the runtime settings \`engine\`, \`host\`, \`port\` (\`db_port\`, else 3306 for MYSQL
  and 5432 for POSTGRESQL), \`database\`, \`schema\` (POSTGRESQL only, when \`db_schema\` is set), \`tlsMode\`, authenticated
  with user and password (BASIC) or with RDS/Aurora IAM database authentication (IAM: no password);
* \`PAGING_TOKEN_KEY\` for the Lambda: \`paging_token_key\` if given, else a random key made once at the first apply
  (\`terraform_data.paging_token_key\`, a sensitive attribute: see "Secrets in the state");
* optionally, EventBridge rules that tell an SNS topic (\`alert_topic_arn\`, or one created with
  \`create_alert_topic\`) when a flow of this connector ends a run without success or is deactivated;
* optionally, flows that copy tables to S3 on demand (\`aws_appflow_flow\`) or on a schedule, incrementally with a
  timestamp column. Scheduled flows are CloudFormation stacks holding an \`AWS::AppFlow::Flow\` with
  \`FlowStatus: Active\`: \`aws_appflow_flow\` would create them in Draft, never to run (its \`flow_status\` is
  read-only, hashicorp/terraform-provider-aws#36441). \`error_deactivation_threshold\` sets after how many
  consecutive failed runs AppFlow deactivates a scheduled flow;
* optionally, flows into the database (\`destination_flows\`): files from S3 written to a table with INSERT, UPSERT,
  UPDATE or DELETE, by \`id_field_names\`, the refused records to an error bucket.

Names derived from \`connector_label\` and flow names stay exactly as they were when AWS accepts them; a label or
flow name with characters AWS rejects in a function, role, log group or stack name (\`hr.mysql\`), or too long,
gets the cleaned, cut name plus \`-\` and the first 8 hex digits of the SHA-256 of the original, so that
\`hr.mysql\` and \`hr-mysql\`, or flows \`a.b\` and \`a_b\`, never share a resource.

The module has no \`create\` input: Terraform's own \`count\` (or \`for_each\`) on the module block switches
the whole connector on and off (\`count = var.enabled ? 1 : 0\`), as examples/multiple-connectors does with
\`for_each\`.

The module configures no provider and no backend: the caller does. It is written in Terraform's JSON syntax
(\`*.tf.json\`), generated from the project's CDKTF construct; do not edit it by hand (see "Changing the module").

## Getting the module

From Git (replace \`YOUR-ORG\` with the owner of your copy of this repository):

\`\`\`hcl
module "mysql_connector" {
  # the URL of your copy of this repository, pinned to a release tag or a commit
  source = "git::https://github.com/YOUR-ORG/appflow-mysql-connector.git//${MODULE_PATH_IN_REPOSITORY}?ref=<tag or commit>"

  connector_label = "HrMysql"
  db_host         = "hr-db.cluster-abc123.eu-west-1.rds.amazonaws.com"
  db_name         = "hr"
  db_username     = "appflow_reader"
  db_password     = var.db_password
}
\`\`\`

Pin \`ref\` to something that never moves: a release tag \`vMAJOR.MINOR.PATCH\` once your copy has one (no release
has been tagged yet: see [Versions](../../CONTRIBUTING.md#versions)), otherwise a full commit id.

From a checkout of the repository, with a relative path:

\`\`\`hcl
module "mysql_connector" {
  source = "../appflow-mysql-connector/${MODULE_PATH_IN_REPOSITORY}"
  # ... the same inputs
}
\`\`\`

For PostgreSQL, name the engine and, unless it is \`public\`, the schema whose tables and views become entities
(names are exact: \`Employees\` is not \`employees\`; a schema with MYSQL is refused at plan time):

\`\`\`hcl
module "mysql_connector" {
  source = "../appflow-mysql-connector/${MODULE_PATH_IN_REPOSITORY}"

  connector_label = "HrPostgres"
  db_engine       = "POSTGRESQL"
  db_host         = "hr-db.cluster-abc123.eu-west-1.rds.amazonaws.com"
  db_name         = "hr"
  db_schema       = "payroll"
  db_username     = "appflow_reader"
  db_password     = var.db_password
}
\`\`\`

With IAM database authentication (RDS or Aurora; the MySQL user is created \`IDENTIFIED WITH AWSAuthenticationPlugin
AS 'RDS'\`, the PostgreSQL user is granted \`rds_iam\`, and TLS is required):

\`\`\`hcl
module "mysql_connector" {
  source = "../appflow-mysql-connector/${MODULE_PATH_IN_REPOSITORY}"

  connector_label     = "HrMysql"
  db_host             = aws_db_instance.hr.address
  db_name             = "hr"
  db_username         = "appflow_iam"
  authentication_type = "IAM"
  db_resource_id      = aws_db_instance.hr.resource_id
}
\`\`\`

Runnable root configurations in this repository: [examples/minimal](../../examples/minimal),
[examples/postgresql](../../examples/postgresql) (the same for a PostgreSQL schema),
[examples/complete](../../examples/complete) (private subnets with egress to the database and a Secrets Manager
endpoint only, one KMS key for the secret, the environment and the logs, a TLS-only versioned bucket, a scheduled
incremental flow, an on-demand one, a flow back into the database and alerts) and [examples/multiple-connectors](../../examples/multiple-connectors)
(\`for_each\` over two databases).

## Before you apply

* **The database must be reachable during apply.** AppFlow calls the Lambda while Terraform applies: creating the
  profile calls ValidateCredentials (it connects with the profile's credentials), creating a flow calls
  DescribeEntity on its table. The database, the user and every table a flow names must exist and be reachable from
  the Lambda then, or the profile or flow fails to create.
* **Network.** Without \`subnet_ids\` the Lambda runs outside any VPC and reaches the database over the internet.
  With them, the security groups must reach the database and the subnets need a route to Secrets Manager (a VPC
  endpoint or a NAT gateway).
* **Secrets in the state.** \`db_password\`, \`paging_token_key\` and the generated key are sensitive: plans,
  \`terraform show\`, \`terraform state show\` and \`-replace\` plans print \`(sensitive value)\`. The state file
  itself (and \`terraform show -json\`) holds them in clear text, as it holds every secret Terraform manages — keep
  the state encrypted and access-controlled. AppFlow stores the password in a Secrets Manager secret
  (\`profile_secret_arn\`). The paging token key is also in the Lambda's environment: whoever may call
  \`lambda:GetFunctionConfiguration\` on the function reads it; with \`lambda_kms_key_arn\` only principals that may
  also use that key can (Lambda: "When you use a customer managed key, only users in your account with access to
  the KMS key can view or manage the function's code or configuration"). The key only authenticates paging tokens
  (it grants no access to data). Rotate it between flow runs: \`terraform apply -replace='module.<name>.terraform_data.paging_token_key[0]'\`
  (or change \`paging_token_key\`); a run in flight at that moment fails on its next page and the next run
  succeeds.
* **KMS key.** \`kms_key_arn\` must be the key ARN (\`arn:...:key/<id>\`): IAM policies match a key by its key ARN
  only, so an alias ARN is refused at plan time.
* **Secret names.** If AWS ever names profile secrets other than \`appflow!<account>-<connector_label>-…\`, attach
  a policy with \`secretsmanager:GetSecretValue\` on the new pattern to the role (\`role_name\` output).
  The pattern of label \`hr\` also matches the secrets of a label that starts with \`hr-\` (\`hr-eu\`): in one
  account and region, give no connector a label that is another's label followed by \`-\`.
* **Flows.** The destination bucket's policy must allow \`appflow.amazonaws.com\` to write (\`s3:PutObject\`,
  \`s3:AbortMultipartUpload\`, \`s3:ListMultipartUploadParts\`, \`s3:ListBucketMultipartUploads\`,
  \`s3:GetBucketAcl\`, \`s3:PutObjectAcl\`), and the flows must be created after it: \`examples/complete\` shows
  both. Incremental pulls need a Scheduled flow and a DateTime column that changes with every update.
* **Order.** Registration invokes the Lambda, and creating the profile makes AppFlow validate the credentials
  through it: the module orders permission → registration → profile → flows itself.
* **Deployer permissions.** The identity that applies needs the policy in the \`deployer_policy_json\` output
  (below as a template): besides Terraform's own calls, CloudFormation's AppFlow resource handlers call
  \`lambda:InvokeFunction\`, \`appflow:UseConnectorProfile\`, \`s3:ListAllMyBuckets\` and \`kms:List*\` with its
  credentials, and AppFlow creates the profile's secret with them.

## Operating the flows

* **A scheduled flow stopped.** AppFlow deactivates a scheduled flow after repeated failed runs
  (\`error_deactivation_threshold\`) and publishes "AppFlow Scheduled Flow Deactivated"; Terraform shows no drift,
  because the flow's status lives in AppFlow, not in the stack's template. With \`alert_topic_arn\` or
  \`create_alert_topic\` the topic hears it. Fix the cause (the Lambda's log group shows it), then
  \`aws appflow start-flow --flow-name <name>\` reactivates it, keeping its incremental watermark and run history.
  Never \`terraform apply -replace\` the flow's stack to restart it: a new flow starts over with a full pull and no
  history. \`aws appflow describe-flow --flow-name <name> --query flowStatus\` shows the status.
* **Switching a flow between OnDemand and Scheduled** is refused at plan time: the two kinds are different
  resources with the same AppFlow flow name, and the new one would race the deletion of the old. Remove the flow,
  apply, add it back with the new \`trigger_type\`, apply again.
* **Releases.** A new \`lambda.zip\` publishes a version; CloudFormation moves the registration to it in place, and
  the next run of every flow uses it. The version before keeps its invoke permission until the release after.
* **Destroy.** Destroy while no flow runs: CloudFormation deletes a flow without forcing, so a run in progress
  leaves the flow's stack in DELETE_FAILED. Before \`terraform destroy\`, \`aws appflow stop-flow\` each scheduled flow
  and wait for running executions to end (\`aws appflow describe-flow-execution-records --flow-name <name>\`), or
  cancel them (\`aws appflow cancel-flow-executions --flow-name <name>\`). A stack left in DELETE_FAILED: run
  \`terraform destroy\` again once the run has ended.

## Deployer policy

What \`deployer_policy_json\` contains, with \`{partition}\`, \`{region}\`, \`{account}\`, \`{roleName}\`,
\`{functionName}\`, \`{label}\` and \`{topicName}\` filled in for the connector:

${renderDeployerPolicyTemplate()}

## Testing

\`tests/connector.tftest.hcl\` applies the module against a mocked AWS provider and checks the values the module
computes (names, ARNs, statements, settings). It needs Terraform 1.7 or later (\`mock_provider\`); the module was
tested with Terraform 1.11.4 and hashicorp/aws 5.100.0, the only provider version it admits. The project's own
tests also plan it offline with the real provider and check the IAM policy as AWS receives it:

\`\`\`sh
terraform init && terraform test
\`\`\`

\`terraform init\` here writes \`.terraform.lock.hcl\`, which git ignores: a module does not pin providers, the root
configuration that calls it does (commit the lock file of your root configuration).

## Changing the module

Everything here except \`tests/\` is generated by \`scripts/build-module.ts\` from the construct in \`modules/\`
and the Lambda bundle: run \`npm run build && npm run build:module\`. CI regenerates the module and fails when the
committed files differ.

${renderModuleDocs(configuration)}
`;
}
