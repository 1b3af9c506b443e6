import { AppflowConnectorProfile } from '@cdktf/provider-aws/lib/appflow-connector-profile';
import type { AppflowFlow } from '@cdktf/provider-aws/lib/appflow-flow';
import { CloudformationStack } from '@cdktf/provider-aws/lib/cloudformation-stack';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { DataResource, Fn, type TerraformResource, type TerraformResourceLifecycle, Token } from 'cdktf';
import { Construct } from 'constructs';
import {
  APPFLOW_PRINCIPAL,
  type AuthenticationType,
  CONNECTOR_DESCRIPTIONS,
  type DatabaseEngine,
  DEFAULT_PORTS,
  DEFAULTS,
  IAM_CUSTOM_AUTHENTICATION_TYPE,
  LAMBDA_ARCHITECTURE,
  LAMBDA_HANDLER,
  LAMBDA_RUNTIME,
  LIMITS,
  type LogLevel,
  PROFILE_PROPERTY_KEYS,
  type TlsMode,
} from './constants';
import { deployerStatements } from './deployer-policy';
import { addDestinationFlows, type DestinationFlowSpec, destinationFlowProblems } from './destination-flows';
import { addFlowAlerts } from './flow-alerts';
import { addFlows, FLOW_CONSISTENCY_RULES, FLOW_FIELDS, type FlowSpec } from './flows';
import { byEngineExpression, type InputRule, RULES, SCHEMA_NEEDS_POSTGRESQL, terraformString } from './input-rules';
import { LambdaCode } from './lambda-code';
import {
  boundedText,
  CONNECTOR_STACK_NAME_RULE,
  FUNCTION_NAME_RULE,
  PROFILE_NAME_RULE,
  physicalName,
} from './physical-names';
import {
  addBlockWhen,
  choose,
  createWhen,
  equals,
  expressionOf,
  not,
  planTimeSwitch,
  type Switch,
  terraformValue,
} from './switch';

/**
 * Props of AppflowMysqlConnector. Every value may also be a Terraform token (a variable, another resource's
 * attribute): such values are checked by Terraform, not at synth time.
 */
export interface AppflowMysqlConnectorProps {
  /** Label the connector is registered under (pattern `[a-zA-Z0-9][\w!@#.-]+`, at most 256 characters). Required. */
  readonly connectorLabel: string;
  /** Description of the registered connector, shown in the AppFlow console. Default: by engine, "Amazon AppFlow custom connector for MySQL and MariaDB" or "... for PostgreSQL". */
  readonly connectorDescription?: string;
  /** Database engine: MYSQL (MySQL, MariaDB, Aurora MySQL) or POSTGRESQL (PostgreSQL, Aurora PostgreSQL), in any case. Default: MYSQL. */
  readonly engine?: DatabaseEngine | string;
  /** Host name or IP address of the database server, reachable from the Lambda. Required. */
  readonly host: string;
  /** TCP port of the server, 1 to 65535. Default: 3306 for MYSQL, 5432 for POSTGRESQL. */
  readonly port?: number;
  /** Database to connect to; for MYSQL its tables and views are the entities. Required. */
  readonly database: string;
  /** POSTGRESQL only: the schema whose tables and views are the entities (given to MYSQL it is refused). Default: none, the connector then reads `public`. */
  readonly schema?: string;
  /** Database user of the connection profile. Required. */
  readonly username: string;
  /** How the profile authenticates: BASIC (user and password) or IAM (RDS/Aurora IAM database authentication, no password). Default: BASIC. */
  readonly authenticationType?: AuthenticationType;
  /** Password of the user, for BASIC only: must be a token (e.g. a sensitive TerraformVariable), so that it never lands in the synthesized JSON. Default: none (required for BASIC). */
  readonly password?: string;
  /** For IAM: resource id of the RDS instance (db-...), Aurora cluster (cluster-...) or RDS Proxy (prx-...) the connector connects to; the Lambda role may then connect as `username` there. Default: none (required for IAM). */
  readonly databaseResourceId?: string;
  /** TLS to the database: DISABLED, REQUIRED (encrypt) or VERIFY_IDENTITY (encrypt and verify). Default: REQUIRED. */
  readonly tlsMode?: TlsMode;
  /** Name of the connection profile. Default: "<connectorLabel>-profile". */
  readonly profileName?: string;
  /** ARN of the customer-managed KMS key (key/..., not alias/...) AppFlow encrypts the profile's secret with; the Lambda may then decrypt with it. Default: none (AppFlow's AWS-managed key). */
  readonly kmsKeyArn?: string;
  /** Name of the Lambda function; its role is named "<functionName>-<region>" (cut to IAM's 64 characters), since role names are global. Default: "appflow-<connectorLabel>" when Lambda accepts it as it is; else other characters than letters, digits, - and _ replaced by -, cut, and "-<8 hex digits of the label's SHA-256>" appended, so that labels like hr.mysql and hr-mysql never share a function. */
  readonly functionName?: string;
  /** Lambda timeout in seconds, 1 to 900. Default: 30. */
  readonly timeoutSeconds?: number;
  /** Lambda memory in MB, 128 to 10240. Default: 1024. */
  readonly memorySize?: number;
  /** LOG_LEVEL of the Lambda: DEBUG, INFO, WARN or ERROR. Default: INFO. */
  readonly logLevel?: LogLevel;
  /** Retention of the Lambda's log group in days, a value CloudWatch Logs accepts (0 = never expire). Default: 30. */
  readonly logRetentionDays?: number;
  /** Reserved concurrent executions of the Lambda. Default: none (unreserved). */
  readonly reservedConcurrency?: number;
  /** Subnets to run the Lambda in; give securityGroupIds too. Default: none (the Lambda runs outside any VPC). */
  readonly subnetIds?: string[];
  /** Security groups of the Lambda in the VPC; give subnetIds too. Default: none. */
  readonly securityGroupIds?: string[];
  /** Flows that copy tables of the database to S3. Default: none. */
  readonly flows?: readonly FlowSpec[];
  /** Flows that write files from S3 into tables of the database (INSERT, UPSERT, UPDATE or DELETE). Default: none. */
  readonly destinationFlows?: readonly DestinationFlowSpec[];
  /**
   * SNS topic that hears when a flow of this connector fails a run or is deactivated (EventBridge rules on
   * "AppFlow End Flow Run Report" and "AppFlow Scheduled Flow Deactivated"). Its policy must let
   * events.amazonaws.com publish. Default: none (see createAlertTopic).
   */
  readonly alertTopicArn?: string;
  /** Create the alert topic ("<functionName>-flow-alerts", publishable by these rules only). Default: false. */
  readonly createAlertTopic?: boolean;
  /** An existing execution role for the Lambda: then no role and no inline policy are created (attach `policyJson`). Default: none (the construct creates one). */
  readonly executionRoleArn?: string;
  /** ARN of the policy that sets the permissions boundary of the created role. Default: none. */
  readonly rolePermissionsBoundary?: string;
  /** Path of the created role. Default: "/". */
  readonly rolePath?: string;
  /** Customer-managed KMS key (key ARN) that encrypts the Lambda's environment (PAGING_TOKEN_KEY): only who may use the key can then read the function's configuration. Default: none (an AWS-owned key). */
  readonly lambdaKmsKeyArn?: string;
  /** Customer-managed KMS key (key ARN) for the Lambda's log group; its key policy must allow logs.<region>.amazonaws.com. Default: none. */
  readonly logGroupKmsKeyArn?: string;
  /** Tags for every resource that takes tags (the profile takes none). Default: none. */
  readonly tags?: Record<string, string>;
  /**
   * Key of the MAC that protects the connector's paging tokens (PAGING_TOKEN_KEY of the Lambda): must be a token
   * (e.g. a sensitive TerraformVariable) when given. Default: a random value generated once at the first apply,
   * kept in the Terraform state as a sensitive attribute (terraform_data.paging_token_key's triggers_replace).
   */
  readonly pagingTokenKey?: string;
  /** The Lambda package. Default: LambdaCode.fromBundleDirectory(), i.e. dist/lambda built by `npm run build`. */
  readonly code?: LambdaCode;
}

/** Thrown at synth time when props are invalid; lists every problem, each naming its prop. */
export class InvalidConnectorPropsError extends Error {
  constructor(
    readonly constructId: string,
    readonly problems: readonly string[],
  ) {
    super(`AppflowMysqlConnector "${constructId}": invalid props:\n  - ${problems.join('\n  - ')}`);
    this.name = 'InvalidConnectorPropsError';
  }
}

/** The CloudFormation stack that registers the connector: AWS provider 5.x has no resource for it. */
const REGISTRATION_TEMPLATE = {
  AWSTemplateFormatVersion: '2010-09-09',
  Description: 'Registers an Amazon AppFlow custom connector (managed by Terraform)',
  Parameters: {
    ConnectorLabel: { Type: 'String' },
    ConnectorDescription: { Type: 'String' },
    LambdaArn: { Type: 'String' },
  },
  Resources: {
    Connector: {
      Type: 'AWS::AppFlow::Connector',
      Properties: {
        ConnectorLabel: { Ref: 'ConnectorLabel' },
        Description: { Ref: 'ConnectorDescription' },
        ConnectorProvisioningType: 'LAMBDA',
        ConnectorProvisioningConfig: { Lambda: { LambdaArn: { Ref: 'LambdaArn' } } },
      },
    },
  },
  Outputs: {
    ConnectorArn: { Value: { 'Fn::GetAtt': ['Connector', 'ConnectorArn'] } },
  },
};

/**
 * An Amazon AppFlow custom connector for MySQL and MariaDB, or for PostgreSQL (prop `engine`): the Lambda, its role and log group, the registration
 * of the connector, one connection profile (user and password, or IAM database authentication) and optional flows
 * to S3.
 */
export class AppflowMysqlConnector extends Construct {
  readonly function: LambdaFunction;
  /** The created execution role; undefined when executionRoleArn is given (or, in the module, a single counted resource). */
  readonly role: IamRole | undefined;
  /** ARN and name of the execution role, created or given. */
  readonly roleArn: string;
  readonly roleName: string;
  /** The connector's permissions as an IAM policy JSON (what the created role gets inline; attach it to your own role). */
  readonly policyJson: string;
  /** The destination flows (S3 into the database). */
  readonly destinationFlows: AppflowFlow[];
  readonly logGroup: CloudwatchLogGroup;
  readonly invokePermission: LambdaPermission;
  /** Keeps AppFlow's permission on the version before the current one for one more release (runs in flight). */
  readonly previousVersionInvokePermission: LambdaPermission;
  /** The CloudFormation stack holding the AWS::AppFlow::Connector. */
  readonly registration: CloudformationStack;
  readonly profile: AppflowConnectorProfile;
  /** The on-demand flows: one resource per flow spec, or a single for_each resource when the flows are an expression. */
  readonly flows: AppflowFlow[];
  /** The scheduled flows (CloudFormation stacks with an active AWS::AppFlow::Flow), like `flows`. */
  readonly scheduledFlows: CloudformationStack[];
  /** The label as registered (read from the registration, so that users of it depend on it). */
  readonly connectorLabel: string;
  readonly connectorArn: string;

  constructor(scope: Construct, id: string, props: AppflowMysqlConnectorProps) {
    super(scope, id);
    validateProps(id, props);

    const label = props.connectorLabel;
    const functionName = props.functionName ?? AppflowMysqlConnector.defaultFunctionName(label);
    const roleGiven = isPresent(props.executionRoleArn);
    const tags = props.tags;

    const partitionData = new DataAwsPartition(this, 'partition');
    const partition = partitionData.partition;
    const region = new DataAwsRegion(this, 'region').id; // the region name; `name` is deprecated in provider 6.x
    const account = new DataAwsCallerIdentity(this, 'caller_identity').accountId;

    const vpcEnabled = isNonEmptyList(props.subnetIds);
    const kmsEnabled = isPresent(props.kmsKeyArn);
    const iamEnabled = equals(props.authenticationType, 'IAM', DEFAULTS.authenticationType);

    const logGroupName = `/aws/lambda/${functionName}`;
    this.logGroup = new CloudwatchLogGroup(this, 'log_group', {
      name: logGroupName,
      retentionInDays: props.logRetentionDays ?? DEFAULTS.logRetentionDays,
      kmsKeyId: props.logGroupKmsKeyArn,
      tags,
    });

    // The name is computed, not read from the role: the deployer policy (a data source) is then read at plan time.
    const createdRoleName = AppflowMysqlConnector.roleName(functionName, region);
    const role = createWhen(
      not(roleGiven),
      (count) =>
        new IamRole(this, 'role', {
          count,
          name: createdRoleName,
          path: props.rolePath,
          permissionsBoundary: props.rolePermissionsBoundary,
          // IAM role descriptions: at most 1000 characters.
          description: boundedText('Runs the AppFlow connector ', label, 1000),
          assumeRolePolicy: Fn.jsonencode({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
          }),
          tags,
        }),
    );
    this.role = role;
    this.roleArn = givenOrCreated(props.executionRoleArn, roleGiven, role, 'arn');
    // The name of a given role is the last part of its ARN (a role ARN may hold a path).
    this.roleName =
      roleGiven === true
        ? Fn.element(Fn.reverse(Fn.split('/', props.executionRoleArn as string)), 0)
        : roleGiven === false
          ? createdRoleName
          : `\${${expressionOf(props.executionRoleArn)} != null ? element(reverse(split("/", ${expressionOf(props.executionRoleArn)})), 0) : ${createdRoleName.slice(2, -1)}}`;
    // One inline policy instead of AWSLambdaBasicExecutionRole and AWSLambdaVPCAccessExecutionRole, which allow
    // logs:CreateLogGroup/CreateLogStream/PutLogEvents on every log group of the account.
    // A policy document rather than jsonencode: its optional statements (VPC, KMS, IAM database authentication)
    // can then be dynamic blocks, which Terraform accepts even when, say, the key ARN is only known after apply.
    const writeLogsStatement = {
      sid: 'WriteOwnLogs',
      effect: 'Allow',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [`arn:${partition}:logs:${region}:${account}:log-group:${logGroupName}:*`],
    };
    // AppFlow names a custom connector's profile secrets appflow!<account>-<connectorLabel>-<profileName>-...: the
    // connector may read the secrets of its own profiles only, not those of other connectors of the account.
    const readSecretsStatement = {
      sid: 'ReadOwnProfileSecrets',
      effect: 'Allow',
      actions: ['secretsmanager:GetSecretValue'],
      resources: [`arn:${partition}:secretsmanager:${region}:${account}:secret:appflow!${account}-${label}-*`],
    };
    // What AWSLambdaVPCAccessExecutionRole allows besides logs: managing the function's network interfaces
    // (the Describe actions take no resource-level permissions).
    const networkInterfacesStatement = {
      sid: 'ManageVpcNetworkInterfaces',
      effect: 'Allow',
      actions: [
        'ec2:CreateNetworkInterface',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeSubnets',
        'ec2:DeleteNetworkInterface',
        'ec2:AssignPrivateIpAddresses',
        'ec2:UnassignPrivateIpAddresses',
      ],
      resources: ['*'],
    };
    const decryptSecretsStatement = {
      sid: 'DecryptConnectionSecrets',
      effect: 'Allow',
      actions: ['kms:Decrypt'],
      resources: [props.kmsKeyArn],
      condition: [
        {
          test: 'StringEquals',
          variable: 'kms:ViaService',
          // The service's DNS name in this partition (amazonaws.com, amazonaws.com.cn, ...).
          values: [`secretsmanager.${region}.${partitionData.dnsSuffix}`],
        },
      ],
    };
    // IAM database authentication: the role signs tokens for this one database user.
    const connectAsUserStatement = {
      sid: 'ConnectAsDatabaseUser',
      effect: 'Allow',
      actions: ['rds-db:connect'],
      resources: [`arn:${partition}:rds-db:${region}:${account}:dbuser:${props.databaseResourceId}/${props.username}`],
    };
    const optionalStatements: [Switch, Record<string, unknown>][] = [
      [vpcEnabled, networkInterfacesStatement],
      [kmsEnabled, decryptSecretsStatement],
      [iamEnabled, connectAsUserStatement],
    ];
    // Terraform checks these preconditions before it renders the statements (the rds-db ARN needs the resource id).
    const policyDocument = new DataAwsIamPolicyDocument(this, 'connector_policy', {
      lifecycle: authenticationPreconditions(props),
    });
    policyDocument.addOverride('statement', [
      writeLogsStatement,
      readSecretsStatement,
      ...optionalStatements.filter(([enabled]) => enabled === true).map(([, statement]) => statement),
    ]);
    // Statements decided at plan time become dynamic blocks; JSON syntax writes several blocks of one type as an array.
    const planTimeStatements = optionalStatements.flatMap(([enabled, statement]) =>
      typeof enabled === 'object' ? [{ for_each: `\${${enabled.expression} ? [1] : []}`, content: statement }] : [],
    );
    if (planTimeStatements.length > 0) policyDocument.addOverride('dynamic.statement', planTimeStatements);
    this.policyJson = policyDocument.json;
    const inlinePolicy = createWhen(
      not(roleGiven),
      (count) =>
        new IamRolePolicy(this, 'inline_policy', {
          count,
          name: 'appflow-connector',
          role: attributeOfOne(role, 'name'),
          policy: policyDocument.json,
        }),
    );

    const code = (props.code ?? LambdaCode.fromBundleDirectory()).bind(this);
    this.function = new LambdaFunction(this, 'function', {
      functionName,
      // Lambda descriptions: at most 256 characters; the engine is in the profile, not here.
      description: boundedText('Amazon AppFlow custom connector ', label, 256),
      role: this.roleArn,
      kmsKeyArn: props.lambdaKmsKeyArn,
      runtime: LAMBDA_RUNTIME,
      architectures: [LAMBDA_ARCHITECTURE],
      handler: LAMBDA_HANDLER,
      filename: code.filename,
      sourceCodeHash: code.sourceCodeHash,
      // Every change of code or configuration publishes a version: the registration names that version, so that
      // an apply of new code updates the registration (AppFlow keeps what it read at registration otherwise).
      publish: true,
      timeout: props.timeoutSeconds ?? DEFAULTS.timeoutSeconds,
      memorySize: props.memorySize ?? DEFAULTS.memorySize,
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment: {
        variables: {
          LOG_LEVEL: props.logLevel ?? DEFAULTS.logLevel,
          PAGING_TOKEN_KEY: this.pagingTokenKey(props.pagingTokenKey),
        },
      },
      tags,
      // The log group must exist before the function writes to it, or Lambda creates one without retention; the
      // policy must be in place before Lambda checks that the role may create network interfaces (VPC), and stay
      // until the function and its network interfaces are gone.
      dependsOn: [this.logGroup, ...(inlinePolicy === undefined ? [] : [inlinePolicy])],
      lifecycle: vpcPreconditions(props),
    });
    addBlockWhen(this.function, 'vpc_config', vpcEnabled, {
      subnet_ids: props.subnetIds,
      security_group_ids: props.securityGroupIds,
    });

    // Confused-deputy protection: only AppFlow acting for this account, in this region, may invoke. The permission
    // covers the published version the registration names; a new version gets its permission before the
    // registration moves to it (create before destroy), and the old version loses it afterwards.
    this.invokePermission = new LambdaPermission(this, 'appflow_invoke', {
      statementId: 'AllowAppflowInvoke',
      action: 'lambda:InvokeFunction',
      functionName: this.function.functionName,
      qualifier: this.function.version,
      principal: APPFLOW_PRINCIPAL,
      sourceAccount: account,
      sourceArn: `arn:${partition}:appflow:${region}:${account}:*`,
      lifecycle: { createBeforeDestroy: true },
    });
    // A run in flight when a release moves the registration may still call the version before: its permission
    // stays for one more release (version N-1 while N is registered; version 1 has both statements). Published
    // versions are numbered one by one, and every change of this function publishes exactly one.
    this.previousVersionInvokePermission = new LambdaPermission(this, 'appflow_invoke_previous', {
      statementId: 'AllowAppflowInvokePreviousVersion',
      action: 'lambda:InvokeFunction',
      functionName: this.function.functionName,
      qualifier: `\${tostring(max(1, tonumber(${expressionOf(this.function.version)}) - 1))}`,
      principal: APPFLOW_PRINCIPAL,
      sourceAccount: account,
      sourceArn: `arn:${partition}:appflow:${region}:${account}:*`,
      lifecycle: { createBeforeDestroy: true },
    });

    // Registering invokes the Lambda (DescribeConnectorConfiguration), so the permission must exist first.
    this.registration = new CloudformationStack(this, 'registration', {
      name: AppflowMysqlConnector.defaultStackName(label),
      templateBody: JSON.stringify(REGISTRATION_TEMPLATE),
      parameters: {
        ConnectorLabel: label,
        ConnectorDescription: props.connectorDescription ?? defaultConnectorDescription(props.engine),
        // The version ARN: CloudFormation calls UpdateConnectorRegistration when it changes (in place).
        LambdaArn: this.function.qualifiedArn,
      },
      tags,
      dependsOn: [this.invokePermission, this.previousVersionInvokePermission],
    });
    this.connectorLabel = Token.asString(Fn.lookupNested(this.registration.parameters, ['ConnectorLabel']));
    // null rather than an error while the stack has no outputs (e.g. after a failed create).
    this.connectorArn = `\${lookup(${expressionOf(this.registration.outputs)}, "ConnectorArn", null)}`;

    const profileProperties: Record<string, PropertyValue> = {
      [PROFILE_PROPERTY_KEYS.engine]: engineProperty(props.engine),
      [PROFILE_PROPERTY_KEYS.host]: props.host,
      [PROFILE_PROPERTY_KEYS.port]: portProperty(props.port, props.engine),
      [PROFILE_PROPERTY_KEYS.database]: props.database,
      [PROFILE_PROPERTY_KEYS.schema]: props.schema,
      [PROFILE_PROPERTY_KEYS.tlsMode]: props.tlsMode ?? DEFAULTS.tlsMode,
    };
    // Creating the profile makes AppFlow call ValidateCredentials, which reads the secret: the label must be
    // registered ("is not registered" otherwise) and the role must already be allowed to read secrets.
    this.profile = new AppflowConnectorProfile(this, 'profile', {
      name: props.profileName ?? AppflowMysqlConnector.defaultProfileName(label),
      connectorType: 'CustomConnector',
      connectorLabel: this.connectorLabel,
      connectionMode: 'Public',
      kmsArn: props.kmsKeyArn,
      connectorProfileConfig: {
        connectorProfileCredentials: {
          customConnector: { authenticationType: choose(iamEnabled, 'CUSTOM', 'BASIC') },
        },
        connectorProfileProperties: {
          customConnector: {
            profileProperties: Object.fromEntries(
              Object.entries(profileProperties).flatMap(([key, value]) =>
                value === undefined ? [] : [[key, attributeValue(value)]],
              ),
            ),
          },
        },
      },
      dependsOn: [this.registration, ...(inlinePolicy === undefined ? [] : [inlinePolicy])],
      lifecycle: schemaPreconditions(props),
    });
    // `schema` as an expression may be null at plan time: then the properties are filtered by Terraform.
    if (Token.isUnresolved(props.schema)) {
      this.profile.addOverride(
        'connector_profile_config.connector_profile_properties.custom_connector.profile_properties',
        propertiesExpression(profileProperties),
      );
    }
    const credentials = 'connector_profile_config.connector_profile_credentials.custom_connector';
    addBlockWhen(this.profile, `${credentials}.basic`, not(iamEnabled), {
      username: props.username,
      password: props.password,
    });
    // The secret of an IAM profile only names the user: the connector signs a token instead of sending a password.
    addBlockWhen(this.profile, `${credentials}.custom`, iamEnabled, {
      custom_authentication_type: IAM_CUSTOM_AUTHENTICATION_TYPE,
      credentials_map: { username: props.username },
    });

    const flows = addFlows(this, {
      flows: props.flows ?? [],
      profileName: this.profile.name,
      dependsOn: [this.profile],
      tags,
    });
    this.flows = flows.onDemand;
    this.scheduledFlows = flows.scheduled;
    this.destinationFlows = addDestinationFlows(this, {
      flows: props.destinationFlows ?? [],
      profileName: this.profile.name,
      dependsOn: [this.profile],
      tags,
    });

    const topicName = `\${format("%s-flow-alerts", ${terraformValue(functionName)})}`;
    const alerts = addFlowAlerts(this, {
      flowNames: flowNamesExpression(props.flows, props.destinationFlows),
      topicArn: props.alertTopicArn,
      createTopic: props.createAlertTopic,
      topicName,
      functionName,
      partition,
      region,
      account,
      tags,
    });
    this.alertTopicArn = alerts.topicArn;

    const deployerPolicy = new DataAwsIamPolicyDocument(this, 'deployer_policy', {});
    deployerPolicy.addOverride(
      'statement',
      deployerStatements({
        partition,
        region,
        account,
        roleName: this.roleName,
        functionName,
        label,
        topicName,
      }),
    );
    this.deployerPolicyJson = deployerPolicy.json;
  }

  /** The IAM policy (JSON) that lets a deployer apply and destroy this connector (deployer-policy.ts). */
  readonly deployerPolicyJson: string;

  /** The topic the flow alerts go to (given or created); null when alerts are off. */
  readonly alertTopicArn: string;

  /**
   * PAGING_TOKEN_KEY: the given key, else a random one made once at the first apply. uuid() changes on every plan;
   * ignore_changes keeps the first value, so the key (and the tokens AppFlow holds) survive later applies.
   */
  private pagingTokenKey(given: string | undefined): string {
    const keyGiven = isPresent(given);
    const generated = createWhen(not(keyGiven), (count) => {
      // triggers_replace rather than input: terraform_data copies input to output, which Terraform does not mark
      // sensitive, so `terraform show` and `state show` printed the key. triggers_replace keeps the mark of the
      // sensitive() value in the state (sensitive_attributes) and has no unmarked copy.
      const data = new DataResource(this, 'paging_token_key', {
        count,
        lifecycle: { ignoreChanges: ['triggers_replace'] },
      });
      data.addOverride('triggers_replace', `\${sensitive(join("", [uuid(), uuid()]))}`);
      return data;
    });
    if (keyGiven === true) return given as string;
    const address = `${generated?.terraformResourceType}.${generated?.friendlyUniqueId}`;
    if (keyGiven === false) return `\${${address}.triggers_replace}`;
    return `\${${keyGiven.expression} ? ${expressionOf(given)} : one(${address}[*].triggers_replace)}`;
  }

  /**
   * "<functionName>-<region>", the function name cut so that the whole fits IAM's 64 characters: role names are
   * global to the account, so a name without the region collides with the same connector in a second region.
   */
  static roleName(functionName: string, region: string): string {
    const regionName = expressionOf(region);
    return `\${format("%s-%s", substr(${terraformValue(functionName)}, 0, 63 - length(${regionName})), ${regionName})}`;
  }

  /** "appflow-<label>", or a cleaned, cut form with a hash of the label when Lambda would refuse that (physical-names.ts). */
  static defaultFunctionName(label: string): string {
    return physicalName(FUNCTION_NAME_RULE, label);
  }

  /** "appflow-connector-<label>", or a cleaned, cut form with a hash of the label (physical-names.ts). */
  static defaultStackName(label: string): string {
    return physicalName(CONNECTOR_STACK_NAME_RULE, label);
  }

  /** "<label>-profile", or a cut form with a hash of the label when that exceeds AppFlow's 256 characters. */
  static defaultProfileName(label: string): string {
    return physicalName(PROFILE_NAME_RULE, label);
  }
}

/** The registered connector's description by engine, so that PostgreSQL users never read "MySQL" in the console. */
export function defaultConnectorDescription(engine: string | undefined): string {
  const fallback = CONNECTOR_DESCRIPTIONS[DEFAULTS.engine];
  if (engine === undefined) return fallback;
  if (!Token.isUnresolved(engine)) return CONNECTOR_DESCRIPTIONS[engine.toUpperCase() as DatabaseEngine] ?? fallback;
  return `\${${byEngineExpression(expressionOf(engine), (name) => terraformString(CONNECTOR_DESCRIPTIONS[name]))}}`;
}

/** Terraform address of a resource (`type.id`): with `[*]` it reads the same with and without count. */
function address(resource: TerraformResource | undefined): string {
  if (resource === undefined) throw new Error('address of a resource that was not created');
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}

/** An attribute of a resource that may carry a count: `one(type.id[*].attr)` reads it either way. */
function attributeOfOne(resource: TerraformResource | undefined, attribute: string): string {
  if (resource === undefined) return 'null';
  if (resource.count === undefined) return resource.getStringAttribute(attribute);
  return `\${one(${address(resource)}[*].${attribute})}`;
}

/** The given value when present, else the created resource's attribute: decided at synth or at plan time. */
function givenOrCreated(
  given: string | undefined,
  isGiven: Switch,
  resource: TerraformResource | undefined,
  attribute: string,
): string {
  if (isGiven === true) return given as string;
  if (isGiven === false) return attributeOfOne(resource, attribute);
  return `\${${expressionOf(given)} != null ? ${expressionOf(given)} : one(${address(resource)}[*].${attribute})}`;
}

/** The names of every flow of the connector, as a Terraform list expression (for the alert rules' flow ARNs). */
function flowNamesExpression(
  flows: readonly FlowSpec[] | undefined,
  destinationFlows: readonly DestinationFlowSpec[] | undefined,
): string {
  const names = (list: readonly { name: string }[] | undefined) => {
    if (list === undefined) return '[]';
    if (Token.isUnresolved(list)) return `[for flow in ${expressionOf(list)} : flow.name]`;
    return `[${list.map((flow) => terraformValue(flow.name)).join(', ')}]`;
  };
  return `concat(${names(flows)}, ${names(destinationFlows)})`;
}

/** A profile property: a string known at synth time (or a CDKTF token), a Terraform expression, or no value. */
type PropertyValue = string | { readonly expression: string } | undefined;

/** The engine in upper case, as the connector names it; an expression is upper-cased by Terraform. */
function engineProperty(engine: string | undefined): PropertyValue {
  if (engine === undefined) return DEFAULTS.engine;
  if (Token.isUnresolved(engine)) return { expression: `upper(${expressionOf(engine)})` };
  return engine.toUpperCase();
}

/**
 * The port as the runtime setting's string: the given one, else the engine's default port. Either may be a
 * Terraform expression, and an optional module variable may still be null at plan time.
 */
function portProperty(port: number | undefined, engine: string | undefined): PropertyValue {
  if (port !== undefined && !Token.isUnresolved(port)) return String(port);
  const known = engine === undefined || !Token.isUnresolved(engine);
  // Conditionals rather than a lookup in an object literal: see propertiesExpression about braces.
  const defaultPort = known
    ? String(DEFAULT_PORTS[(engine ?? DEFAULTS.engine).toUpperCase() as DatabaseEngine])
    : Object.entries(DEFAULT_PORTS)
        .filter(([name]) => name !== DEFAULTS.engine)
        .reduceRight(
          (otherwise, [name, number]) => `upper(${expressionOf(engine)}) == "${name}" ? ${number} : (${otherwise})`,
          String(DEFAULT_PORTS[DEFAULTS.engine]),
        );
  if (port === undefined) return known ? defaultPort : { expression: `tostring(${defaultPort})` };
  return { expression: `tostring(coalesce(${expressionOf(port)}, ${defaultPort}))` };
}

/** The value of a map attribute: a plain string, or a whole-attribute `${...}` expression. */
function attributeValue(value: Exclude<PropertyValue, undefined>): string {
  return typeof value === 'string' ? value : `\${${value.expression}}`;
}

/**
 * The profile properties as one Terraform expression, leaving out those that are null at plan time (AppFlow
 * refuses empty values, and an optional module variable may be null). Written without braces: CDKTF takes the
 * first `}` inside a hand-written `${...}` for its end and renders the references after it wrongly.
 */
function propertiesExpression(properties: Readonly<Record<string, PropertyValue>>): string {
  const pairs = Object.entries(properties).map(([key, value]) => {
    const expression = typeof value === 'object' ? value.expression : terraformValue(value);
    return `[${terraformString(key)}, ${expression}]`;
  });
  const list = `[${pairs.join(', ')}]`;
  const keys = `[for pair in ${list} : pair[0] if pair[1] != null]`;
  const values = `[for pair in ${list} : pair[1] if pair[1] != null]`;
  return `\${zipmap(${keys}, ${values})}`;
}

function isNonEmptyList(list: string[] | undefined): Switch {
  if (list === undefined) return false;
  if (Token.isUnresolved(list)) return planTimeSwitch(`length(${expressionOf(list)}) > 0`);
  return list.length > 0;
}

function isPresent(value: string | undefined): Switch {
  if (value === undefined) return false;
  // A token may still be null when Terraform evaluates it (an optional module variable).
  if (Token.isUnresolved(value)) return planTimeSwitch(`${expressionOf(value)} != null`);
  return true;
}

/** The check Terraform must make when the VPC lists are only known at plan time (a lifecycle precondition). */
function vpcPreconditions(props: AppflowMysqlConnectorProps): TerraformResourceLifecycle | undefined {
  const { subnetIds, securityGroupIds } = props;
  if (!Token.isUnresolved(subnetIds) && !Token.isUnresolved(securityGroupIds)) return undefined;
  const length = (list: string[] | undefined) => (list === undefined ? '0' : `length(${expressionOf(list)})`);
  return {
    precondition: [
      {
        condition: Token.asAny(`\${(${length(subnetIds)} == 0) == (${length(securityGroupIds)} == 0)}`),
        errorMessage: 'Give subnet ids and security group ids together, or neither.',
      },
    ],
  };
}

/** The authentication checks Terraform must make when the authentication type is only known at plan time. */
function authenticationPreconditions(props: AppflowMysqlConnectorProps): TerraformResourceLifecycle | undefined {
  if (!Token.isUnresolved(props.authenticationType)) return undefined;
  const type = terraformValue(props.authenticationType);
  const check = (condition: string, errorMessage: string) => ({
    condition: Token.asAny(`\${${condition}}`),
    errorMessage,
  });
  return {
    precondition: [
      check(
        `${type} == "IAM" || ${terraformValue(props.password)} != null`,
        'BASIC authentication needs the password.',
      ),
      check(
        `${type} != "IAM" || ${terraformValue(props.databaseResourceId)} != null`,
        'IAM authentication needs the database resource id.',
      ),
      check(
        `${type} != "IAM" || ${terraformValue(props.tlsMode ?? DEFAULTS.tlsMode)} != "DISABLED"`,
        'IAM authentication needs TLS: RDS refuses IAM tokens over unencrypted connections.',
      ),
    ],
  };
}

/** The schema check Terraform must make when the engine or the schema is only known at plan time. */
function schemaPreconditions(props: AppflowMysqlConnectorProps): TerraformResourceLifecycle | undefined {
  const { engine, schema } = props;
  if (schema === undefined || (!Token.isUnresolved(schema) && !Token.isUnresolved(engine))) return undefined;
  return {
    precondition: [
      {
        condition: Token.asAny(
          `\${${SCHEMA_NEEDS_POSTGRESQL.terraformCondition(terraformValue(engine ?? DEFAULTS.engine), terraformValue(schema))}}`,
        ),
        errorMessage: `${SCHEMA_NEEDS_POSTGRESQL.requirement('The schema', 'engine')}.`,
      },
    ],
  };
}

function validateProps(id: string, props: AppflowMysqlConnectorProps): void {
  const problems: string[] = [];
  const check = <T>(name: string, value: T | undefined, rule: InputRule<T>, required = false) => {
    if (value === undefined || value === null) {
      if (required) problems.push(`${name} is required`);
      return;
    }
    if (Token.isUnresolved(value)) return;
    if (!rule.accepts(value)) problems.push(`${name} ${rule.requirement} (got ${JSON.stringify(value)})`);
  };

  check('connectorLabel', props.connectorLabel, RULES.connectorLabel, true);
  check('connectorDescription', props.connectorDescription, RULES.connectorDescription);
  check('engine', props.engine, RULES.engine);
  check('host', props.host, RULES.host, true);
  check('port', props.port, RULES.port);
  check('database', props.database, RULES.database, true);
  check('schema', props.schema, RULES.schema);
  const engine = props.engine ?? DEFAULTS.engine;
  if (!Token.isUnresolved(engine) && !Token.isUnresolved(props.schema)) {
    if (!SCHEMA_NEEDS_POSTGRESQL.accepts(engine, props.schema)) {
      problems.push(`${SCHEMA_NEEDS_POSTGRESQL.requirement('schema', 'engine')} (engine is ${JSON.stringify(engine)})`);
    }
  }
  check('username', props.username, RULES.username, true);
  check('tlsMode', props.tlsMode, RULES.tlsMode);
  check('profileName', props.profileName, RULES.profileName);
  check('kmsKeyArn', props.kmsKeyArn, RULES.kmsKeyArn);
  check('functionName', props.functionName, RULES.functionName);
  check('timeoutSeconds', props.timeoutSeconds, RULES.timeoutSeconds);
  check('memorySize', props.memorySize, RULES.memorySize);
  check('logLevel', props.logLevel, RULES.logLevel);
  check('logRetentionDays', props.logRetentionDays, RULES.logRetentionDays);
  check('reservedConcurrency', props.reservedConcurrency, RULES.reservedConcurrency);

  check('authenticationType', props.authenticationType, RULES.authenticationType);
  check('databaseResourceId', props.databaseResourceId, RULES.databaseResourceId);
  if (props.password !== undefined && !Token.isUnresolved(props.password)) {
    problems.push('password must be a Terraform token (e.g. a sensitive TerraformVariable), not a plain string');
  }
  if (props.pagingTokenKey !== undefined && !Token.isUnresolved(props.pagingTokenKey)) {
    problems.push('pagingTokenKey must be a Terraform token (e.g. a sensitive TerraformVariable), not a plain string');
  }
  checkAuthentication(props, problems);

  checkVpc(props, check, problems);
  checkFlows(props.flows, check, problems);
  problems.push(...destinationFlowProblems(props.destinationFlows));
  checkFlowNamesUnique(props.flows, props.destinationFlows, problems);
  check('executionRoleArn', props.executionRoleArn, RULES.roleArn);
  check('rolePermissionsBoundary', props.rolePermissionsBoundary, RULES.policyArn);
  check('rolePath', props.rolePath, RULES.rolePath);
  check('lambdaKmsKeyArn', props.lambdaKmsKeyArn, RULES.kmsKeyArn);
  check('logGroupKmsKeyArn', props.logGroupKmsKeyArn, RULES.kmsKeyArn);
  check('alertTopicArn', props.alertTopicArn, RULES.topicArn);
  if (props.alertTopicArn !== undefined && props.createAlertTopic === true) {
    problems.push(
      'alertTopicArn and createAlertTopic exclude each other: name a topic or let the construct create one',
    );
  }
  if (
    props.executionRoleArn !== undefined &&
    (props.rolePermissionsBoundary !== undefined || props.rolePath !== undefined)
  ) {
    if (!Token.isUnresolved(props.executionRoleArn)) {
      problems.push(
        'rolePermissionsBoundary and rolePath apply to the created role: leave them out with executionRoleArn',
      );
    }
  }

  if (problems.length > 0) throw new InvalidConnectorPropsError(id, problems);
}

function checkAuthentication(props: AppflowMysqlConnectorProps, problems: string[]): void {
  const type = props.authenticationType ?? DEFAULTS.authenticationType;
  if (Token.isUnresolved(type)) return;
  if (type === 'BASIC') {
    if (props.password === undefined || props.password === '')
      problems.push('password is required for BASIC authentication');
    if (props.databaseResourceId !== undefined) problems.push('databaseResourceId is for IAM authentication only');
  }
  if (type === 'IAM') {
    if (props.password !== undefined)
      problems.push('password must be left out for IAM authentication (no password is used)');
    if (props.databaseResourceId === undefined) problems.push('databaseResourceId is required for IAM authentication');
    const tlsMode = props.tlsMode ?? DEFAULTS.tlsMode;
    if (tlsMode === 'DISABLED')
      problems.push('tlsMode DISABLED cannot be used with IAM authentication (RDS needs TLS)');
  }
}

/** AppFlow flow names are unique per account and region: a source and a destination flow may not share one. */
function checkFlowNamesUnique(
  flows: readonly FlowSpec[] | undefined,
  destinationFlows: readonly DestinationFlowSpec[] | undefined,
  problems: string[],
): void {
  if (flows === undefined || destinationFlows === undefined) return;
  if (Token.isUnresolved(flows) || Token.isUnresolved(destinationFlows)) return;
  const sourceNames = new Set(flows.map((flow) => flow.name));
  const seen = new Set<string>();
  destinationFlows.forEach((flow, index) => {
    if (Token.isUnresolved(flow.name)) return;
    if (sourceNames.has(flow.name) || seen.has(flow.name)) {
      problems.push(`destinationFlows[${index}].name "${flow.name}" is used by another flow`);
    }
    seen.add(flow.name);
  });
}

type Check = <T>(name: string, value: T | undefined, rule: InputRule<T>, required?: boolean) => void;

function checkVpc(props: AppflowMysqlConnectorProps, check: Check, problems: string[]): void {
  const { subnetIds, securityGroupIds } = props;
  const known = (list: string[] | undefined): list is string[] => list !== undefined && !Token.isUnresolved(list);
  if (known(subnetIds)) {
    for (const [index, subnetId] of subnetIds.entries()) check(`subnetIds[${index}]`, subnetId, RULES.subnetId);
    if (subnetIds.length > LIMITS.subnets) problems.push(`subnetIds must list at most ${LIMITS.subnets} subnets`);
  }
  if (known(securityGroupIds)) {
    for (const [index, groupId] of securityGroupIds.entries()) {
      check(`securityGroupIds[${index}]`, groupId, RULES.securityGroupId);
    }
    if (securityGroupIds.length > LIMITS.securityGroups) {
      problems.push(`securityGroupIds must list at most ${LIMITS.securityGroups} security groups`);
    }
  }
  if (known(subnetIds ?? []) && known(securityGroupIds ?? [])) {
    const subnetCount = subnetIds?.length ?? 0;
    const groupCount = securityGroupIds?.length ?? 0;
    if (subnetCount > 0 && groupCount === 0) problems.push('subnetIds needs securityGroupIds too (both or neither)');
    if (groupCount > 0 && subnetCount === 0) problems.push('securityGroupIds needs subnetIds too (both or neither)');
  }
}

function checkFlows(flows: readonly FlowSpec[] | undefined, check: Check, problems: string[]): void {
  if (flows === undefined || Token.isUnresolved(flows)) return;
  const seen = new Set<string>();
  flows.forEach((flow, index) => {
    const name = `flows[${index}]`;
    for (const field of FLOW_FIELDS)
      check(`${name}.${field.key}`, flow[field.key] as string | undefined, field.rule, field.required);
    for (const rule of FLOW_CONSISTENCY_RULES) {
      if (!rule.accepts(flow)) problems.push(`${name}: ${rule.requirement}`);
    }
    if (!Token.isUnresolved(flow.name)) {
      if (seen.has(flow.name)) problems.push(`${name}.name "${flow.name}" is used by another flow`);
      seen.add(flow.name);
    }
  });
}
