/**
 * The plain Terraform module, defined as a CDKTF stack: every construct prop becomes a variable (validated with the
 * construct's own rules), the construct is built from those variables, and its results become outputs.
 * scripts/build-module.ts synthesizes this stack and writes the JSON as the module's *.tf.json files.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import {
  TerraformDataSource,
  TerraformLocal,
  TerraformOutput,
  TerraformResource,
  TerraformStack,
  TerraformVariable,
  Token,
} from 'cdktf';
import type { Construct } from 'constructs';
import {
  DATABASE_ENGINES,
  defaultPortsText,
  defaultSchemaOf,
  enginesText,
  hasSchemaSetting,
  NO_SCHEMA_ENGINES,
  orList,
  SCHEMA_ENGINES,
} from '../../handler/engines/registry';
import { AppflowMysqlConnector } from '../appflow-mysql-connector';
import {
  type AuthenticationType,
  CONNECTOR_DESCRIPTIONS,
  DEFAULTS,
  LIMITS,
  type LogLevel,
  MODULE_LAMBDA_ZIP,
  type TlsMode,
} from '../constants';
import { DESTINATION_FLOW_FIELDS, DESTINATION_FLOW_RULES, DESTINATION_FLOW_TYPE } from '../destination-flows';
import { FLOW_CONSISTENCY_RULES, FLOW_FIELDS, terraformTypeOf } from '../flows';
import { byEngineExpression, type InputRule, RULES, terraformString, variableValidation } from '../input-rules';
import { LambdaCode } from '../lambda-code';
import { FUNCTION_NAME_RULE, PROFILE_NAME_RULE, physicalNameExpression } from '../physical-names';
import { expressionOf } from '../switch';

/** Terraform addresses of the module's resources: `<type>.<name>` reads better than CDKTF's hashed ids. */
const RESOURCE_NAMES: Readonly<Record<string, string>> = {
  partition: 'current',
  region: 'current',
  caller_identity: 'current',
  function: 'connector',
  role: 'connector',
  log_group: 'connector',
  profile: 'connector',
  connector_policy: 'connector',
  inline_policy: 'connector',
  paging_token_key: 'paging_token_key',
};

interface Validation {
  readonly condition: string;
  readonly errorMessage: string;
}

interface VariableSpec {
  readonly type: string;
  readonly description: string;
  /** Leave out for a required variable. */
  readonly default?: unknown;
  readonly sensitive?: boolean;
  readonly validation?: readonly Validation[];
}

/** A validation whose condition is a Terraform expression (wrapped in `${}` as JSON syntax wants). */
function validation(condition: string, errorMessage: string): Validation {
  return { condition: `\${${condition}}`, errorMessage };
}

function listValidation(name: string, rule: InputRule<string>, maxItems: number): Validation[] {
  return [
    validation(
      `alltrue([for item in var.${name} : ${rule.terraformCondition('item')}])`,
      `${name} ${rule.requirement}.`,
    ),
    validation(`length(var.${name}) <= ${maxItems}`, `${name} must list at most ${maxItems} items.`),
  ];
}

function flowsValidation(): Validation[] {
  const fieldChecks = FLOW_FIELDS.map((field) => {
    const reference = `flow.${field.attribute}`;
    const condition = field.rule.terraformCondition(reference);
    const nullable = !field.required && field.defaultValue === undefined;
    return validation(
      `alltrue([for flow in var.flows : ${nullable ? `${reference} == null || ${condition}` : condition}])`,
      `Every flow's ${field.attribute} ${field.rule.requirement}.`,
    );
  });
  const consistencyChecks = FLOW_CONSISTENCY_RULES.map((rule) =>
    validation(
      `alltrue([for flow in var.flows : ${rule.terraformCondition('flow')}])`,
      `In flows, ${rule.terraformRequirement}.`,
    ),
  );
  return [
    ...fieldChecks,
    ...consistencyChecks,
    validation(
      'length(distinct([for flow in var.flows : flow.name])) == length(var.flows)',
      'Flow names must be unique.',
    ),
  ];
}

function destinationFlowsValidation(): Validation[] {
  const fieldChecks = DESTINATION_FLOW_FIELDS.map((field) => {
    const reference = `flow.${field.attribute}`;
    const condition = field.rule.terraformCondition(reference);
    const nullable = !field.required && field.defaultValue === undefined;
    return validation(
      `alltrue([for flow in var.destination_flows : ${nullable ? `${reference} == null || ${condition}` : condition}])`,
      `Every destination flow's ${field.attribute} ${field.rule.requirement}.`,
    );
  });
  return [
    ...fieldChecks,
    validation(
      `alltrue([for flow in var.destination_flows : alltrue([for column in flow.id_field_names : ${RULES.timestampField.terraformCondition('column')}])])`,
      "Every destination flow's id_field_names must be column names.",
    ),
    ...DESTINATION_FLOW_RULES.map((rule) =>
      validation(
        `alltrue([for flow in var.destination_flows : ${rule.terraformCondition('flow')}])`,
        `In destination_flows, ${rule.terraformRequirement}.`,
      ),
    ),
    validation(
      'length(distinct([for flow in var.destination_flows : flow.name])) == length(var.destination_flows)',
      'Destination flow names must be unique.',
    ),
  ];
}

const FLOW_TYPE = `list(object({ ${FLOW_FIELDS.map((field) => `${field.attribute} = ${terraformTypeOf(field)}`).join(', ')} }))`;

/** The module's inputs, in the order the README lists them. */
export const MODULE_VARIABLES = {
  connector_label: {
    type: 'string',
    description:
      'Label the connector is registered under in AppFlow (pattern [a-zA-Z0-9][\\w!@#.-]+, at most 256 characters).',
    validation: [variableValidation('connector_label', RULES.connectorLabel)],
  },
  db_host: {
    type: 'string',
    description: 'Host name or IP address of the database server, reachable from the Lambda.',
    validation: [variableValidation('db_host', RULES.host)],
  },
  db_name: {
    type: 'string',
    description: `Database the connector connects to. ${DATABASE_ENGINES.map((engine) =>
      hasSchemaSetting(engine) ? `${engine}: those of db_schema.` : `${engine}: its tables and views are the entities.`,
    ).join(' ')}`,
    validation: [variableValidation('db_name', RULES.database)],
  },
  db_username: {
    type: 'string',
    description:
      'Database user of the connection profile (BASIC: with db_password; IAM: the user tokens are signed for).',
    validation: [variableValidation('db_username', RULES.username)],
  },
  db_password: {
    type: 'string',
    description:
      'Password of db_username, for BASIC authentication (leave null for IAM). AppFlow keeps it in a Secrets Manager ' +
      'secret; Terraform keeps it in the state.',
    default: null,
    sensitive: true,
  },
  authentication_type: {
    type: 'string',
    description:
      'BASIC (user and password) or IAM (RDS/Aurora IAM database authentication: no password, the Lambda role ' +
      'signs a token for db_username, which needs TLS and db_resource_id).',
    default: DEFAULTS.authenticationType,
    validation: [variableValidation('authentication_type', RULES.authenticationType)],
  },
  db_resource_id: {
    type: 'string',
    description:
      'For IAM authentication: resource id of the RDS instance (db-...), Aurora cluster (cluster-...) or RDS Proxy (prx-...) the connector connects to; the Lambda ' +
      'role gets rds-db:connect as db_username there.',
    default: null,
    validation: [variableValidation('db_resource_id', RULES.databaseResourceId, true)],
  },
  db_engine: {
    type: 'string',
    description: `Database engine: ${enginesText()}, in any case.`,
    default: DEFAULTS.engine,
    validation: [variableValidation('db_engine', RULES.engine)],
  },
  db_port: {
    type: 'number',
    description: `TCP port of the database server, 1 to 65535. null: ${defaultPortsText()}.`,
    default: null,
    validation: [variableValidation('db_port', RULES.port, true)],
  },
  db_schema: {
    type: 'string',
    description:
      `${orList(SCHEMA_ENGINES)} only (refused with ${orList(NO_SCHEMA_ENGINES)}): the schema whose tables and views ` +
      'the connector offers; nothing of another schema is listed or read. Names are exact (Employees is not ' +
      `employees). null: the connector reads ${orList(SCHEMA_ENGINES.map((engine) => defaultSchemaOf(engine)!))}.`,
    default: null,
    validation: [variableValidation('db_schema', RULES.schema, true)],
  },
  db_tls_mode: {
    type: 'string',
    description:
      'TLS to the database: DISABLED, REQUIRED (encrypt) or VERIFY_IDENTITY (encrypt and verify the certificate and host name).',
    default: DEFAULTS.tlsMode,
    validation: [variableValidation('db_tls_mode', RULES.tlsMode)],
  },
  connector_description: {
    type: 'string',
    description: `Description of the registered connector, shown in the AppFlow console. null: by db_engine, ${orList(DATABASE_ENGINES.map((engine) => `"${CONNECTOR_DESCRIPTIONS[engine]}"`))}.`,
    default: null,
    validation: [variableValidation('connector_description', RULES.connectorDescription, true)],
  },
  profile_name: {
    type: 'string',
    description: 'Name of the connection profile. null: "<connector_label>-profile".',
    default: null,
    validation: [variableValidation('profile_name', RULES.profileName, true)],
  },
  kms_key_arn: {
    type: 'string',
    description:
      'ARN of the customer-managed KMS key (arn:...:key/<id>; an alias ARN is refused, IAM policies match keys by key ARN only) ' +
      "for the profile's secret; the Lambda may then decrypt with it through Secrets Manager. null: AppFlow's AWS-managed key.",
    default: null,
    validation: [variableValidation('kms_key_arn', RULES.kmsKeyArn, true)],
  },
  function_name: {
    type: 'string',
    description:
      'Name of the Lambda function. null: "appflow-<connector_label>" when Lambda accepts that as it is; else characters other than letters, digits, - and _ become -, ' +
      'the name is cut and "-<first 8 hex digits of the SHA-256 of connector_label>" appended (so hr.mysql and hr-mysql never share a function, role or log group; at most 64). ' +
      'The role is "<function_name>-<region>", cut to 64 characters: role names are global, so the same connector can be deployed in several regions.',
    default: null,
    validation: [variableValidation('function_name', RULES.functionName, true)],
  },
  timeout_seconds: {
    type: 'number',
    description: 'Lambda timeout in seconds, 1 to 900.',
    default: DEFAULTS.timeoutSeconds,
    validation: [variableValidation('timeout_seconds', RULES.timeoutSeconds)],
  },
  memory_size: {
    type: 'number',
    description: 'Lambda memory in MB, 128 to 10240.',
    default: DEFAULTS.memorySize,
    validation: [variableValidation('memory_size', RULES.memorySize)],
  },
  log_level: {
    type: 'string',
    description: 'LOG_LEVEL of the Lambda: DEBUG, INFO, WARN or ERROR.',
    default: DEFAULTS.logLevel,
    validation: [variableValidation('log_level', RULES.logLevel)],
  },
  lambda_kms_key_arn: {
    type: 'string',
    description:
      "Customer-managed KMS key (key ARN) that encrypts the Lambda's environment, which holds PAGING_TOKEN_KEY: only principals that may use the key " +
      "can then read the function's configuration. null: Lambda's AWS-owned key.",
    default: null,
    validation: [variableValidation('lambda_kms_key_arn', RULES.kmsKeyArn, true)],
  },
  log_group_kms_key_arn: {
    type: 'string',
    description:
      "Customer-managed KMS key (key ARN) for the Lambda's log group; its key policy must allow logs.<region>.amazonaws.com to use it. null: CloudWatch Logs' own encryption.",
    default: null,
    validation: [variableValidation('log_group_kms_key_arn', RULES.kmsKeyArn, true)],
  },
  execution_role_arn: {
    type: 'string',
    description:
      'An existing execution role for the Lambda (trusting lambda.amazonaws.com). Then the module creates no role and no inline policy: attach the ' +
      'connector_policy_json output to your role. null: the module creates the role "<function_name>-<region>".',
    default: null,
    validation: [variableValidation('execution_role_arn', RULES.roleArn, true)],
  },
  role_permissions_boundary: {
    type: 'string',
    description: 'ARN of the policy that sets the permissions boundary of the created role. null: none.',
    default: null,
    validation: [variableValidation('role_permissions_boundary', RULES.policyArn, true)],
  },
  role_path: {
    type: 'string',
    description: 'Path of the created role.',
    default: '/',
    validation: [variableValidation('role_path', RULES.rolePath)],
  },
  alert_topic_arn: {
    type: 'string',
    description:
      'SNS topic told when a flow of this connector fails a run or is deactivated (EventBridge rules on "AppFlow End Flow Run Report" with a status other than ' +
      '"Execution Successful" and "AppFlow Scheduled Flow Deactivated", matched by flow ARN). Its policy must let events.amazonaws.com publish (an encrypted topic: ' +
      'its key policy too). null: see create_alert_topic.',
    default: null,
    validation: [variableValidation('alert_topic_arn', RULES.topicArn, true)],
  },
  create_alert_topic: {
    type: 'bool',
    description:
      'Create the alert topic "<function_name>-flow-alerts" (only these rules may publish) instead of naming one; subscribe to it (alert_topic_arn output).',
    default: false,
  },
  log_retention_days: {
    type: 'number',
    description: "Retention of the Lambda's log group in days (a value CloudWatch Logs accepts; 0 = never expire).",
    default: DEFAULTS.logRetentionDays,
    validation: [variableValidation('log_retention_days', RULES.logRetentionDays)],
  },
  reserved_concurrency: {
    type: 'number',
    description: 'Reserved concurrent executions of the Lambda. null: unreserved.',
    default: null,
    validation: [variableValidation('reserved_concurrency', RULES.reservedConcurrency, true)],
  },
  subnet_ids: {
    type: 'list(string)',
    description:
      'Subnets to run the Lambda in (give security_group_ids too). The subnets need a route to Secrets Manager. Empty: no VPC.',
    default: [],
    validation: listValidation('subnet_ids', RULES.subnetId, LIMITS.subnets),
  },
  security_group_ids: {
    type: 'list(string)',
    description:
      'Security groups of the Lambda in the VPC (give subnet_ids too); they must allow traffic to the database.',
    default: [],
    validation: listValidation('security_group_ids', RULES.securityGroupId, LIMITS.securityGroups),
  },
  flows: {
    type: FLOW_TYPE,
    description:
      'Flows copying tables to S3: name, entity_name (table), bucket_name, optional bucket_prefix, file_type (PARQUET|JSON|CSV), ' +
      'trigger_type (OnDemand|Scheduled), schedule_expression (e.g. rate(1hours), Scheduled only), incremental_timestamp_field ' +
      "(Scheduled only), description, error_deactivation_threshold (Scheduled only, 1-100 consecutive failed runs before AppFlow deactivates the flow; null: AppFlow's default). " +
      "Scheduled flows are CloudFormation stacks whose AWS::AppFlow::Flow is created Active. Changing a flow's trigger_type is refused: remove the flow in one apply, add it back in the next. " +
      'The bucket policy must let appflow.amazonaws.com write.',
    default: [],
    validation: flowsValidation(),
  },
  destination_flows: {
    type: DESTINATION_FLOW_TYPE,
    description:
      'On-demand flows writing files from S3 into tables: name, entity_name (table), source_bucket_name, source_bucket_prefix (folder), file_type (CSV|JSON), ' +
      'write_operation (INSERT|UPSERT|UPDATE|DELETE), id_field_names (required for UPSERT, UPDATE, DELETE), error_bucket_name and error_bucket_prefix (where AppFlow ' +
      'writes the records the database refused), fail_on_first_error, description. The source bucket policy must let appflow.amazonaws.com read.',
    default: [],
    validation: destinationFlowsValidation(),
  },
  paging_token_key: {
    type: 'string',
    description:
      'Key of the MAC that protects paging tokens (PAGING_TOKEN_KEY of the Lambda). null: a random key generated at the first ' +
      'apply and kept (terraform_data.paging_token_key, a sensitive attribute: plans, `terraform show` and `state show` print "(sensitive value)"). ' +
      'Readable by whoever reads the state file, and by whoever may call lambda:GetFunctionConfiguration (and, with lambda_kms_key_arn, use that key).',
    default: null,
    sensitive: true,
  },
  tags: {
    type: 'map(string)',
    description: 'Tags for every resource that takes tags (connection profiles take none).',
    default: {},
  },
} satisfies Record<string, VariableSpec>;

type VariableName = keyof typeof MODULE_VARIABLES;

/** The module's outputs, in the order the README lists them. */
const OUTPUT_DESCRIPTIONS = {
  connector_label: 'Label of the registered connector (use it as connector_label of other profiles).',
  connector_arn: 'ARN of the registered connector.',
  connector_description: 'Description of the registered connector (what the AppFlow console shows beside the label).',
  profile_name: 'Name of the connection profile (connector_profile_name of flows).',
  profile_arn: 'ARN of the connection profile.',
  function_name: 'Name of the connector Lambda function.',
  function_arn: 'ARN of the connector Lambda function.',
  role_arn: 'ARN of the Lambda execution role (attach more policies here).',
  role_name: 'Name of the Lambda execution role.',
  log_group_name: "Name of the Lambda's CloudWatch log group.",
  flow_arns: 'ARNs of the flows (to S3 and from S3), by flow name.',
  function_version: 'The published version of the Lambda the registration names (what AppFlow runs).',
  function_qualified_arn: 'ARN of that published version.',
  profile_secret_arn: "ARN of the Secrets Manager secret AppFlow keeps the profile's credentials in.",
  alert_topic_arn: 'SNS topic the flow alerts go to (given or created); null without alerts.',
  connector_policy_json:
    "The connector's permissions as an IAM policy: the created role's inline policy; attach it to your own role with execution_role_arn.",
  deployer_policy_json:
    'A scoped IAM policy for the identity that applies and destroys this module (also in the README).',
} as const;

/** A Terraform address rename: CDKTF's hashed logical id to the module's readable resource name. */
export interface AddressRename {
  /** `<resource type>.<CDKTF logical id>` (data sources without the `data.` prefix). */
  readonly from: string;
  readonly to: string;
}

export class ConnectorModuleStack extends TerraformStack {
  private readonly connector: AppflowMysqlConnector;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // CDKTF refuses resources without a provider in scope; the module build removes this block again, since a
    // module must leave provider configuration to its caller.
    new AwsProvider(this, 'aws', {});

    const variables = {} as Record<VariableName, TerraformVariable>;
    for (const [name, spec] of Object.entries(MODULE_VARIABLES) as [VariableName, VariableSpec][]) {
      const variable = new TerraformVariable(this, name, {
        type: spec.type,
        description: spec.description,
        default: spec.default ?? undefined,
        // null from a caller means "the default" for variables that have a non-null default.
        nullable: spec.default === undefined || spec.default === null ? undefined : false,
        sensitive: spec.sensitive,
        validation: spec.validation ? [...spec.validation] : undefined,
      });
      // CDKTF cannot synthesize `default: null` (it leaves the key out, which makes the variable required).
      if (spec.default === null) variable.addOverride('default', null);
      variables[name] = variable;
    }
    const value = (name: VariableName) => variables[name].value;
    const label = variables.connector_label.stringValue;

    // Locals, so that the names are written once in the module (the function, role and log group share one).
    // Their construct ids differ from the variables' (ids are shared in a scope); their Terraform names do not.
    const local = (name: string, expression: unknown) => {
      const element = new TerraformLocal(this, `local_${name}`, expression);
      element.overrideLogicalId(name);
      return element;
    };
    // Hand-written: CDKTF mangles a `${...}` (the default names) inside Fn.* arguments.
    const labelExpression = expressionOf(label);
    const functionName = local(
      'function_name',
      `\${coalesce(var.function_name, ${physicalNameExpression(FUNCTION_NAME_RULE, labelExpression)})}`,
    );
    const profileName = local(
      'profile_name',
      `\${coalesce(var.profile_name, ${physicalNameExpression(PROFILE_NAME_RULE, labelExpression)})}`,
    );
    const connectorDescription = local(
      'connector_description',
      `\${coalesce(var.connector_description, ${byEngineExpression('var.db_engine', (engine) => terraformString(CONNECTOR_DESCRIPTIONS[engine]))})}`,
    );

    const connector = new AppflowMysqlConnector(this, 'connector', {
      connectorLabel: label,
      connectorDescription: connectorDescription.asString,
      engine: variables.db_engine.stringValue,
      host: variables.db_host.stringValue,
      port: variables.db_port.numberValue,
      database: variables.db_name.stringValue,
      schema: variables.db_schema.stringValue,
      username: variables.db_username.stringValue,
      password: variables.db_password.stringValue,
      authenticationType: variables.authentication_type.stringValue as AuthenticationType,
      databaseResourceId: variables.db_resource_id.stringValue,
      tlsMode: variables.db_tls_mode.stringValue as TlsMode,
      profileName: profileName.asString,
      kmsKeyArn: variables.kms_key_arn.stringValue,
      functionName: functionName.asString,
      timeoutSeconds: variables.timeout_seconds.numberValue,
      memorySize: variables.memory_size.numberValue,
      logLevel: variables.log_level.stringValue as LogLevel,
      logRetentionDays: variables.log_retention_days.numberValue,
      reservedConcurrency: variables.reserved_concurrency.numberValue,
      subnetIds: variables.subnet_ids.listValue,
      securityGroupIds: variables.security_group_ids.listValue,
      flows: value('flows'),
      destinationFlows: value('destination_flows'),
      alertTopicArn: variables.alert_topic_arn.stringValue,
      createAlertTopic: variables.create_alert_topic.booleanValue as unknown as boolean,
      executionRoleArn: variables.execution_role_arn.stringValue,
      rolePermissionsBoundary: variables.role_permissions_boundary.stringValue,
      rolePath: variables.role_path.stringValue,
      lambdaKmsKeyArn: variables.lambda_kms_key_arn.stringValue,
      logGroupKmsKeyArn: variables.log_group_kms_key_arn.stringValue,
      tags: Token.asStringMap(value('tags')),
      pagingTokenKey: variables.paging_token_key.stringValue,
      code: LambdaCode.fromZipFile(`\${path.module}/${MODULE_LAMBDA_ZIP}`),
    });

    this.connector = connector;

    const flows = connector.flows[0];
    const scheduledFlows = connector.scheduledFlows[0];
    const destinationFlows = connector.destinationFlows[0];
    const outputs: Record<keyof typeof OUTPUT_DESCRIPTIONS, unknown> = {
      connector_label: connector.connectorLabel,
      connector_arn: connector.connectorArn,
      connector_description: connectorDescription.asString,
      profile_name: connector.profile.name,
      profile_arn: connector.profile.arn,
      function_name: connector.function.functionName,
      function_arn: connector.function.arn,
      role_arn: connector.roleArn,
      role_name: connector.roleName,
      log_group_name: connector.logGroup.name,
      flow_arns:
        flows === undefined || scheduledFlows === undefined || destinationFlows === undefined
          ? {}
          : `\${merge({ for name, flow in ${flows.terraformResourceType}.${flows.friendlyUniqueId} : name => flow.arn }, ` +
            `{ for name, stack in ${scheduledFlows.terraformResourceType}.${scheduledFlows.friendlyUniqueId} : name => lookup(stack.outputs, "FlowArn", null) }, ` +
            `{ for name, flow in ${destinationFlows.terraformResourceType}.${destinationFlows.friendlyUniqueId} : name => flow.arn })}`,
      function_version: connector.function.version,
      function_qualified_arn: connector.function.qualifiedArn,
      profile_secret_arn: connector.profile.credentialsArn,
      alert_topic_arn: connector.alertTopicArn,
      connector_policy_json: connector.policyJson,
      deployer_policy_json: connector.deployerPolicyJson,
    };
    for (const [name, description] of Object.entries(OUTPUT_DESCRIPTIONS)) {
      // Construct ids are shared by variables and outputs of the stack: name the outputs apart, then rename.
      const output = new TerraformOutput(this, `output_${name}`, {
        value: outputs[name as keyof typeof OUTPUT_DESCRIPTIONS],
        description,
      });
      output.overrideLogicalId(name);
    }
  }

  /**
   * Readable names for the construct's resources and data sources. Applied to the synthesized JSON: CDKTF's
   * overrideLogicalId cannot be used here, since the construct references its resources while creating them.
   */
  addressRenames(): AddressRename[] {
    const renames: AddressRename[] = [];
    for (const element of this.connector.node.findAll()) {
      if (element instanceof TerraformResource || element instanceof TerraformDataSource) {
        const type = element.terraformResourceType;
        const name = RESOURCE_NAMES[element.node.id] ?? element.node.id;
        renames.push({ from: `${type}.${element.friendlyUniqueId}`, to: `${type}.${name}` });
      }
    }
    return renames;
  }
}
