import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { TerraformVariable, Testing } from 'cdktf';
import { recordSuiteOutput, registerTestSecret } from '../../local/secretRegistry';
import { AppflowMysqlConnector, InvalidConnectorPropsError } from '../../modules/appflow-mysql-connector';
import { LambdaCode } from '../../modules/lambda-code';
import { CONNECTOR_STACK_NAME_RULE, physicalNameExpression } from '../../modules/physical-names';
import {
  connectorPolicyDocument,
  onlyDataSource,
  onlyResource,
  resources,
  stubBundle,
  synthConnector,
  synthError,
} from './support';

/** A password given where a token belongs; the suite's leak check scans everything recorded for it. */
const PLAIN_PASSWORD = 'hunter2-plain-text';

/** A whole-value Terraform interpolation, as CDKTF writes it. */
const tf = (expression: string) => `\${${expression}}`;
const ref = (address: string, attribute: string) => tf(`${address}.${attribute}`);

test('the Lambda runs the bundle on nodejs22.x/arm64 with the default settings', (t) => {
  const { json } = synthConnector();
  const fn = onlyResource(json, 'aws_lambda_function');
  const role = onlyResource(json, 'aws_iam_role');
  const logGroup = onlyResource(json, 'aws_cloudwatch_log_group');
  const policy = onlyResource(json, 'aws_iam_role_policy');

  t.like(fn.body, {
    function_name: 'appflow-HrMysql',
    runtime: 'nodejs22.x',
    architectures: ['arm64'],
    handler: 'index.handler',
    timeout: 30,
    memory_size: 1024,
    role: ref(role.address, 'arn'),
    publish: true,
  });
  t.like(fn.body.environment, { variables: { LOG_LEVEL: 'INFO' } });
  t.regex(fn.body.filename as string, /^assets\/.+\/archive\.zip$/);
  // The asset hash (of the directory's contents), also in the asset path: stable across builds.
  t.true((fn.body.filename as string).includes(fn.body.source_code_hash as string));
  t.is(fn.body.reserved_concurrent_executions, undefined);
  t.is(fn.body.vpc_config, undefined);
  t.deepEqual(fn.body.depends_on, [logGroup.address, policy.address]);
  t.like(logGroup.body, { name: '/aws/lambda/appflow-HrMysql', retention_in_days: 30 });
});

test('the role trusts Lambda, is named for its region, and gets no managed policy', (t) => {
  const { json } = synthConnector();
  const role = onlyResource(json, 'aws_iam_role');
  const region = onlyDataSource(json, 'aws_region').address;
  t.regex(role.body.assume_role_policy as string, /"Service" = "lambda\.amazonaws\.com"/);
  t.regex(role.body.assume_role_policy as string, /"Action" = "sts:AssumeRole"/);
  t.is(role.body.name, tf(`format("%s-%s", substr("appflow-HrMysql", 0, 63 - length(${region}.id)), ${region}.id)`));
  t.deepEqual(resources(json, 'aws_iam_role_policy_attachment'), {});
});

test('the role may write its own logs and read only the secrets of its own profiles', (t) => {
  const { json } = synthConnector();
  const partition = ref(onlyDataSource(json, 'aws_partition').address, 'partition');
  const region = ref(onlyDataSource(json, 'aws_region').address, 'id');
  const account = ref(onlyDataSource(json, 'aws_caller_identity').address, 'account_id');
  const document = connectorPolicyDocument(json);
  const policy = onlyResource(json, 'aws_iam_role_policy');

  t.deepEqual(document.body.statement, [
    {
      sid: 'WriteOwnLogs',
      effect: 'Allow',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [`arn:${partition}:logs:${region}:${account}:log-group:/aws/lambda/appflow-HrMysql:*`],
    },
    {
      sid: 'ReadOwnProfileSecrets',
      effect: 'Allow',
      actions: ['secretsmanager:GetSecretValue'],
      resources: [`arn:${partition}:secretsmanager:${region}:${account}:secret:appflow!${account}-HrMysql-*`],
    },
  ]);
  t.is(document.body.dynamic, undefined);
  t.like(policy.body, {
    role: ref(onlyResource(json, 'aws_iam_role').address, 'name'),
    policy: ref(document.address, 'json'),
  });
});

test('only AppFlow acting for this account and region may invoke the Lambda', (t) => {
  const { json } = synthConnector();
  const partition = ref(onlyDataSource(json, 'aws_partition').address, 'partition');
  const region = ref(onlyDataSource(json, 'aws_region').address, 'id');
  const account = ref(onlyDataSource(json, 'aws_caller_identity').address, 'account_id');
  const fn = onlyResource(json, 'aws_lambda_function');

  const permissions = Object.values(resources(json, 'aws_lambda_permission'));
  t.deepEqual(
    permissions.find((each) => each.statement_id === 'AllowAppflowInvoke'),
    {
      statement_id: 'AllowAppflowInvoke',
      action: 'lambda:InvokeFunction',
      function_name: ref(fn.address, 'function_name'),
      qualifier: ref(fn.address, 'version'),
      principal: 'appflow.amazonaws.com',
      source_account: account,
      source_arn: `arn:${partition}:appflow:${region}:${account}:*`,
      lifecycle: { create_before_destroy: true },
    },
  );
  // The version before keeps its permission for one more release (runs in flight when the registration moves).
  t.like(
    permissions.find((each) => each.statement_id === 'AllowAppflowInvokePreviousVersion'),
    {
      qualifier: `\${tostring(max(1, tonumber(${fn.address}.version) - 1))}`,
      principal: 'appflow.amazonaws.com',
      source_account: account,
      lifecycle: { create_before_destroy: true },
    },
  );
});

test('the connector is registered through a CloudFormation stack pointing at the Lambda, after the permission', (t) => {
  const { json } = synthConnector();
  const stack = onlyResource(json, 'aws_cloudformation_stack');
  const template = JSON.parse(stack.body.template_body as string);

  t.deepEqual(template.Resources.Connector, {
    Type: 'AWS::AppFlow::Connector',
    Properties: {
      ConnectorLabel: { Ref: 'ConnectorLabel' },
      Description: { Ref: 'ConnectorDescription' },
      ConnectorProvisioningType: 'LAMBDA',
      ConnectorProvisioningConfig: { Lambda: { LambdaArn: { Ref: 'LambdaArn' } } },
    },
  });
  t.deepEqual(template.Outputs.ConnectorArn, { Value: { 'Fn::GetAtt': ['Connector', 'ConnectorArn'] } });
  t.deepEqual(stack.body.parameters, {
    ConnectorLabel: 'HrMysql',
    ConnectorDescription: 'Amazon AppFlow custom connector for MySQL and MariaDB',
    LambdaArn: ref(onlyResource(json, 'aws_lambda_function').address, 'qualified_arn'),
  });
  t.is(stack.body.name, 'appflow-connector-HrMysql');
  t.deepEqual(
    stack.body.depends_on,
    Object.keys(resources(json, 'aws_lambda_permission'))
      .map((name) => `aws_lambda_permission.${name}`)
      .sort(),
  );
});

test('the profile takes its label from the registration and carries the runtime settings', (t) => {
  const { json } = synthConnector();
  const stack = onlyResource(json, 'aws_cloudformation_stack');
  const profile = onlyResource(json, 'aws_appflow_connector_profile');

  t.deepEqual(profile.body, {
    name: 'HrMysql-profile',
    connector_type: 'CustomConnector',
    connector_label: `\${${stack.address}.parameters.ConnectorLabel}`,
    connection_mode: 'Public',
    connector_profile_config: {
      connector_profile_credentials: {
        custom_connector: {
          authentication_type: 'BASIC',
          basic: { username: 'appflow_reader', password: tf('var.db_password') },
        },
      },
      connector_profile_properties: {
        custom_connector: {
          profile_properties: {
            engine: 'MYSQL',
            host: 'hr-db.cluster-abc123.eu-west-1.rds.amazonaws.com',
            port: '3306',
            database: 'hr',
            tlsMode: 'REQUIRED',
          },
        },
      },
    },
    depends_on: [stack.address, onlyResource(json, 'aws_iam_role_policy').address],
  });
  t.true(
    Testing.toHaveResourceWithProperties(JSON.stringify(json), 'aws_appflow_connector_profile', {
      connector_type: 'CustomConnector',
    }),
  );
});

test('the password stays a sensitive variable: a plain string is refused', (t) => {
  const { json } = synthConnector();
  t.like(json.variable.db_password, { sensitive: true });

  registerTestSecret(PLAIN_PASSWORD);
  const message = synthError((_, required) => ({ ...required, password: PLAIN_PASSWORD }));
  recordSuiteOutput(message ?? '');
  t.truthy(message);
  t.regex(message ?? '', /password must be a Terraform token/);
  t.false((message ?? '').includes(PLAIN_PASSWORD));
});

test('port, TLS mode, log level, timeout, memory, retention, names and description are configurable', (t) => {
  const { json } = synthConnector((_, required) => ({
    ...required,
    port: 3307,
    tlsMode: 'VERIFY_IDENTITY',
    logLevel: 'DEBUG',
    timeoutSeconds: 900,
    memorySize: 2048,
    logRetentionDays: 365,
    reservedConcurrency: 5,
    functionName: 'hr-connector',
    profileName: 'hr-profile',
    connectorDescription: 'HR database, read only',
    tags: { Team: 'data' },
  }));
  t.like(onlyResource(json, 'aws_lambda_function').body, {
    function_name: 'hr-connector',
    timeout: 900,
    memory_size: 2048,
    reserved_concurrent_executions: 5,
    environment: { variables: { LOG_LEVEL: 'DEBUG' } },
    tags: { Team: 'data' },
  });
  t.regex(onlyResource(json, 'aws_iam_role').body.name as string, /^\$\{format\("%s-%s", substr\("hr-connector", /);
  t.like(onlyResource(json, 'aws_cloudwatch_log_group').body, {
    name: '/aws/lambda/hr-connector',
    retention_in_days: 365,
  });
  t.like(onlyResource(json, 'aws_cloudformation_stack').body, {
    parameters: { ConnectorDescription: 'HR database, read only' },
  });
  t.like(onlyResource(json, 'aws_appflow_connector_profile').body, {
    name: 'hr-profile',
    connector_profile_config: {
      connector_profile_properties: {
        custom_connector: { profile_properties: { port: '3307', tlsMode: 'VERIFY_IDENTITY' } },
      },
    },
  });
});

test('derived names replace the characters Lambda and CloudFormation reject, add a hash of the original, and respect their lengths', (t) => {
  const hash8 = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 8);
  t.is(AppflowMysqlConnector.defaultFunctionName('HrMysql'), 'appflow-HrMysql', 'a name that fits stays as it was');
  t.is(AppflowMysqlConnector.defaultFunctionName('hr.mysql@eu#1'), `appflow-hr-mysql-eu-1-${hash8('hr.mysql@eu#1')}`);
  t.not(AppflowMysqlConnector.defaultFunctionName('hr.mysql'), AppflowMysqlConnector.defaultFunctionName('hr-mysql'));
  t.is(AppflowMysqlConnector.defaultStackName('hr.mysql_eu'), `appflow-connector-hr-mysql-eu-${hash8('hr.mysql_eu')}`);
  t.is(AppflowMysqlConnector.defaultStackName('hr-mysql-eu'), 'appflow-connector-hr-mysql-eu');
  t.is(AppflowMysqlConnector.defaultProfileName('hr.mysql@eu'), 'hr.mysql@eu-profile');
  t.is(AppflowMysqlConnector.defaultFunctionName('x'.repeat(200)).length, 64);
  t.not(
    AppflowMysqlConnector.defaultFunctionName(`${'x'.repeat(200)}a`),
    AppflowMysqlConnector.defaultFunctionName(`${'x'.repeat(200)}b`),
  );
  t.is(AppflowMysqlConnector.defaultProfileName('x'.repeat(256)).length, 256);
  t.not(
    AppflowMysqlConnector.defaultProfileName(`${'x'.repeat(255)}a`),
    AppflowMysqlConnector.defaultProfileName(`${'x'.repeat(255)}b`),
  );
});

test('with subnets the Lambda runs in the VPC and its role may manage its network interfaces', (t) => {
  const { json } = synthConnector((_, required) => ({
    ...required,
    subnetIds: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'],
    securityGroupIds: ['sg-0123456789abcdef0'],
  }));
  const fn = onlyResource(json, 'aws_lambda_function');
  const statements = connectorPolicyDocument(json).body.statement as Record<string, unknown>[];

  t.deepEqual(fn.body.vpc_config, {
    subnet_ids: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'],
    security_group_ids: ['sg-0123456789abcdef0'],
  });
  t.deepEqual(resources(json, 'aws_iam_role_policy_attachment'), {});
  t.like(statements[2], { sid: 'ManageVpcNetworkInterfaces', resources: ['*'] });
  // Lambda checks at creation that the role may create network interfaces.
  t.true((fn.body.depends_on as string[]).includes(onlyResource(json, 'aws_iam_role_policy').address));
});

test('with a KMS key the profile is encrypted with it and the role may decrypt through Secrets Manager', (t) => {
  const keyArn = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const { json } = synthConnector((_, required) => ({ ...required, kmsKeyArn: keyArn }));
  const region = ref(onlyDataSource(json, 'aws_region').address, 'id');
  const dnsSuffix = ref(onlyDataSource(json, 'aws_partition').address, 'dns_suffix');
  const statements = connectorPolicyDocument(json).body.statement as Record<string, unknown>[];

  t.like(onlyResource(json, 'aws_appflow_connector_profile').body, { kms_arn: keyArn });
  t.is(statements.length, 3);
  t.deepEqual(statements[2], {
    sid: 'DecryptConnectionSecrets',
    effect: 'Allow',
    actions: ['kms:Decrypt'],
    resources: [keyArn],
    condition: [
      { test: 'StringEquals', variable: 'kms:ViaService', values: [`secretsmanager.${region}.${dnsSuffix}`] },
    ],
  });
});

test('IAM authentication names the user in a custom profile and lets the role connect as that user only', (t) => {
  const { json } = synthConnector((_, required) => ({
    ...required,
    password: undefined,
    authenticationType: 'IAM',
    databaseResourceId: 'db-ABCDEFGHIJKLMNOPQRSTUVWXY0',
  }));
  const partition = ref(onlyDataSource(json, 'aws_partition').address, 'partition');
  const region = ref(onlyDataSource(json, 'aws_region').address, 'id');
  const account = ref(onlyDataSource(json, 'aws_caller_identity').address, 'account_id');
  const statements = connectorPolicyDocument(json).body.statement as Record<string, unknown>[];
  const profile = onlyResource(json, 'aws_appflow_connector_profile').body as {
    connector_profile_config: { connector_profile_credentials: unknown };
  };

  t.deepEqual(profile.connector_profile_config.connector_profile_credentials, {
    custom_connector: {
      authentication_type: 'CUSTOM',
      custom: { custom_authentication_type: 'IAM', credentials_map: { username: 'appflow_reader' } },
    },
  });
  t.deepEqual(statements[2], {
    sid: 'ConnectAsDatabaseUser',
    effect: 'Allow',
    actions: ['rds-db:connect'],
    resources: [`arn:${partition}:rds-db:${region}:${account}:dbuser:db-ABCDEFGHIJKLMNOPQRSTUVWXY0/appflow_reader`],
  });
  t.is(statements.length, 3);
});

test('IAM authentication through RDS Proxy: the role may connect as the user at the proxy (prx-...)', (t) => {
  const { json } = synthConnector((_, required) => ({
    ...required,
    password: undefined,
    authenticationType: 'IAM',
    databaseResourceId: 'prx-0123a01b12345c0ab',
  }));
  const statements = connectorPolicyDocument(json).body.statement as { resources: string[] }[];
  t.true(
    statements.some((statement) => statement.resources[0]?.endsWith(':dbuser:prx-0123a01b12345c0ab/appflow_reader')),
  );
});

test('an on-demand flow copies the entity to S3 with Map_all, through the profile', (t) => {
  const { json } = synthConnector((_, required) => ({
    ...required,
    flows: [{ name: 'departments-to-s3', entityName: 'departments', bucketName: 'hr-exports', bucketPrefix: 'hr' }],
  }));
  const profile = onlyResource(json, 'aws_appflow_connector_profile');
  const flow = onlyResource(json, 'aws_appflow_flow');

  t.deepEqual(flow.body, {
    name: 'departments-to-s3',
    source_flow_config: {
      connector_type: 'CustomConnector',
      connector_profile_name: ref(profile.address, 'name'),
      api_version: 'v1',
      source_connector_properties: { custom_connector: { entity_name: 'departments' } },
    },
    destination_flow_config: [
      {
        connector_type: 'S3',
        destination_connector_properties: {
          s3: { bucket_name: 'hr-exports', bucket_prefix: 'hr', s3_output_format_config: { file_type: 'PARQUET' } },
        },
      },
    ],
    task: [
      {
        task_type: 'Map_all',
        source_fields: [],
        connector_operator: [{ custom_connector: 'NO_OP' }],
        task_properties: { EXCLUDE_SOURCE_FIELDS_LIST: '[]' },
      },
    ],
    trigger_config: { trigger_type: 'OnDemand' },
    depends_on: [profile.address],
    lifecycle: flow.body.lifecycle,
  });
  // The trigger type it was created with is kept, and a switch to Scheduled refused at plan time.
  const kind = Object.entries(resources(json, 'terraform_data')).find(([name]) => name.includes('flow-trigger-type'));
  t.is(kind?.[1].input, 'OnDemand');
  t.regex(JSON.stringify(flow.body.lifecycle), /cannot switch between OnDemand and Scheduled/);
});

test('a scheduled flow with a timestamp field pulls incrementally; without one it pulls everything', (t) => {
  const { json } = synthConnector((_, required) => ({
    ...required,
    flows: [
      {
        name: 'employees-to-s3',
        entityName: 'employees',
        bucketName: 'hr-exports',
        fileType: 'JSON',
        triggerType: 'Scheduled',
        scheduleExpression: 'rate(1hours)',
        incrementalTimestampField: 'updated_at',
      },
      {
        name: 'jobs-to-s3',
        entityName: 'jobs',
        bucketName: 'hr-exports',
        triggerType: 'Scheduled',
        scheduleExpression: 'rate(1days)',
      },
    ],
  }));
  // aws_appflow_flow would leave a scheduled flow in Draft: scheduled flows are CloudFormation stacks, created Active.
  t.deepEqual(resources(json, 'aws_appflow_flow'), {});
  const stacks = Object.values(resources(json, 'aws_cloudformation_stack'));
  const byName = (name: string) =>
    stacks.find((stack) => stack.name === `appflow-flow-${name}`) as Record<string, unknown>;
  const template = JSON.parse(byName('employees-to-s3').template_body as string);

  t.is(template.Resources.Flow.Properties.FlowStatus, 'Active');
  t.deepEqual(template.Resources.Flow.Properties.TriggerConfig, {
    TriggerType: 'Scheduled',
    TriggerProperties: {
      ScheduleExpression: { Ref: 'ScheduleExpression' },
      DataPullMode: { 'Fn::If': ['HasIncrementalTimestampField', 'Incremental', 'Complete'] },
      FlowErrorDeactivationThreshold: {
        'Fn::If': ['HasErrorDeactivationThreshold', { Ref: 'ErrorDeactivationThreshold' }, { Ref: 'AWS::NoValue' }],
      },
    },
  });
  t.deepEqual(template.Resources.Flow.Properties.SourceFlowConfig.IncrementalPullConfig, {
    'Fn::If': [
      'HasIncrementalTimestampField',
      { DatetimeTypeFieldName: { Ref: 'IncrementalTimestampField' } },
      { Ref: 'AWS::NoValue' },
    ],
  });
  t.like(byName('employees-to-s3'), {
    parameters: { FileType: 'JSON', ScheduleExpression: 'rate(1hours)', IncrementalTimestampField: 'updated_at' },
    depends_on: [onlyResource(json, 'aws_appflow_connector_profile').address],
  });
  t.like(byName('jobs-to-s3'), { parameters: { ScheduleExpression: 'rate(1days)', IncrementalTimestampField: '' } });
});

const invalidProps: [string, Record<string, unknown>, RegExp][] = [
  ['a label with a space', { connectorLabel: 'Hr Mysql' }, /connectorLabel must start with a letter or digit/],
  ['a label longer than 256', { connectorLabel: `a${'b'.repeat(256)}` }, /connectorLabel .* at most 256/],
  ['a description with forbidden characters', { connectorDescription: 'HR <db>' }, /connectorDescription/],
  ['timeout 0', { timeoutSeconds: 0 }, /timeoutSeconds must be an integer from 1 to 900/],
  ['timeout 901', { timeoutSeconds: 901 }, /timeoutSeconds must be an integer from 1 to 900/],
  ['memory 127', { memorySize: 127 }, /memorySize must be an integer from 128 to 10240/],
  ['memory 10241', { memorySize: 10241 }, /memorySize must be an integer from 128 to 10240/],
  ['a lower-case TLS mode', { tlsMode: 'required' }, /tlsMode must be one of DISABLED, REQUIRED, VERIFY_IDENTITY/],
  ['port 0', { port: 0 }, /port must be an integer from 1 to 65535/],
  ['port 65536', { port: 65536 }, /port must be an integer from 1 to 65535/],
  ['an empty host', { host: '' }, /host must be a host name/],
  ['an empty database', { database: '' }, /database must be a database name/],
  ['an empty user', { username: '' }, /username must be a user name/],
  ['an unknown log level', { logLevel: 'TRACE' }, /logLevel must be one of DEBUG, INFO, WARN, ERROR/],
  ['a retention CloudWatch rejects', { logRetentionDays: 31 }, /logRetentionDays must be one of/],
  ['a function name with a dot', { functionName: 'hr.connector' }, /functionName must contain letters, digits/],
  ['reserved concurrency 0', { reservedConcurrency: 0 }, /reservedConcurrency must be an integer from 1/],
  ['a KMS key that is no ARN', { kmsKeyArn: 'my-key' }, /kmsKeyArn must be the ARN of the KMS key itself/],
  [
    'a KMS alias ARN',
    { kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:alias/appflow' },
    /kmsKeyArn must be the ARN of the KMS key itself .*not an alias ARN: IAM policies match keys by key ARN only/,
  ],
  [
    'a flow description with a slash',
    { flows: [{ name: 'employees', entityName: 'employees', bucketName: 'hr-exports', description: 'HR/daily' }] },
    /flows\[0\]\.description may contain letters, digits, spaces and _!@#\.\?,- only/,
  ],
  [
    'an entity name with a space',
    { flows: [{ name: 'employees', entityName: 'old employees', bucketName: 'hr-exports' }] },
    /flows\[0\]\.entityName must be a table or view name without spaces/,
  ],
  ['a paging token key as plain text', { pagingTokenKey: 'not-secret' }, /pagingTokenKey must be a Terraform token/],
  ['subnets without security groups', { subnetIds: ['subnet-0a1b'] }, /subnetIds needs securityGroupIds too/],
  ['security groups without subnets', { securityGroupIds: ['sg-0a1b'] }, /securityGroupIds needs subnetIds too/],
  [
    'a malformed subnet id',
    { subnetIds: ['net-1'], securityGroupIds: ['sg-0a1b'] },
    /subnetIds\[0\] must be subnet ids/,
  ],
  ['BASIC without a password', { password: undefined }, /password is required for BASIC authentication/],
  [
    'BASIC with a database resource id',
    { databaseResourceId: 'db-ABCDEFGHIJKL' },
    /databaseResourceId is for IAM authentication only/,
  ],
  [
    'IAM without a database resource id',
    { authenticationType: 'IAM', password: undefined },
    /databaseResourceId is required for IAM authentication/,
  ],
  [
    'IAM with a password',
    { authenticationType: 'IAM', databaseResourceId: 'db-ABCDEFGHIJKL' },
    /password must be left out for IAM authentication/,
  ],
  [
    'IAM without TLS',
    { authenticationType: 'IAM', databaseResourceId: 'db-ABCDEFGHIJKL', password: undefined, tlsMode: 'DISABLED' },
    /tlsMode DISABLED cannot be used with IAM authentication/,
  ],
  [
    'a database name given as resource id',
    { authenticationType: 'IAM', databaseResourceId: 'hr-db', password: undefined },
    /databaseResourceId must be the resource id of the RDS instance/,
  ],
  [
    'an unknown authentication type',
    { authenticationType: 'KERBEROS' },
    /authenticationType must be one of BASIC, IAM/,
  ],
  [
    'a flow name with a space',
    { flows: [{ name: 'my flow', entityName: 'employees', bucketName: 'hr-exports' }] },
    /flows\[0\]\.name must start with a letter or digit/,
  ],
  [
    'two flows with the same name',
    {
      flows: [
        { name: 'employees', entityName: 'employees', bucketName: 'hr-exports' },
        { name: 'employees', entityName: 'jobs', bucketName: 'hr-exports' },
      ],
    },
    /flows\[1\]\.name "employees" is used by another flow/,
  ],
  [
    'a scheduled flow without a schedule',
    { flows: [{ name: 'employees', entityName: 'employees', bucketName: 'hr-exports', triggerType: 'Scheduled' }] },
    /flows\[0\]: a Scheduled flow needs scheduleExpression/,
  ],
  [
    'an on-demand flow with a schedule',
    {
      flows: [
        { name: 'employees', entityName: 'employees', bucketName: 'hr-exports', scheduleExpression: 'rate(1hours)' },
      ],
    },
    /flows\[0\]: a Scheduled flow needs scheduleExpression, an OnDemand flow must not have one/,
  ],
  [
    'an incremental on-demand flow',
    {
      flows: [
        {
          name: 'employees',
          entityName: 'employees',
          bucketName: 'hr-exports',
          incrementalTimestampField: 'updated_at',
        },
      ],
    },
    /flows\[0\]: incrementalTimestampField needs triggerType Scheduled/,
  ],
  [
    'a schedule that is no rate or cron expression',
    {
      flows: [
        {
          name: 'employees',
          entityName: 'employees',
          bucketName: 'hr-exports',
          triggerType: 'Scheduled',
          scheduleExpression: 'hourly',
        },
      ],
    },
    /flows\[0\]\.scheduleExpression must be a schedule expression like rate\(1hours\)/,
  ],
  [
    'a bucket name S3 rejects',
    { flows: [{ name: 'employees', entityName: 'employees', bucketName: 'HR_Exports' }] },
    /flows\[0\]\.bucketName must be an S3 bucket name/,
  ],
  [
    'an unknown file type',
    { flows: [{ name: 'employees', entityName: 'employees', bucketName: 'hr-exports', fileType: 'XML' }] },
    /flows\[0\]\.fileType must be one of PARQUET, JSON, CSV/,
  ],
];

for (const [description, overrides, expected] of invalidProps) {
  test(`synth fails on ${description}, naming the prop`, (t) => {
    const message = synthError((_, required) => ({ ...required, ...overrides }));
    t.truthy(message, 'the constructor should have thrown');
    t.regex(message ?? '', expected);
  });
}

test('every problem is reported at once', (t) => {
  const error = t.throws(
    () => synthConnector((_, required) => ({ ...required, connectorLabel: 'bad label', timeoutSeconds: 0, port: 0 })),
    { instanceOf: InvalidConnectorPropsError },
  );
  t.is(error?.problems.length, 3);
});

test('values that are Terraform tokens are left to Terraform, which checks them at plan time', (t) => {
  const { json } = synthConnector((scope, required) => {
    const variable = (name: string, type: string) => new TerraformVariable(scope, name, { type });
    return {
      ...required,
      connectorLabel: variable('label', 'string').stringValue,
      timeoutSeconds: variable('timeout', 'number').numberValue,
      port: variable('port', 'number').numberValue,
      subnetIds: variable('subnets', 'list(string)').listValue,
      securityGroupIds: variable('groups', 'list(string)').listValue,
      kmsKeyArn: variable('kms', 'string').stringValue,
      flows: variable('flows', 'list(any)').value,
    };
  });
  const fn = onlyResource(json, 'aws_lambda_function');
  const flow = onlyResource(json, 'aws_appflow_flow');
  const scheduled = Object.entries(resources(json, 'aws_cloudformation_stack')).find(([id]) =>
    id.includes('scheduled_flows'),
  )?.[1];

  t.like(fn.body, {
    timeout: tf('var.timeout'),
    dynamic: { vpc_config: { for_each: tf('length(var.subnets) > 0 ? [1] : []') } },
    lifecycle: { precondition: [{ condition: tf('(length(var.subnets) == 0) == (length(var.groups) == 0)') }] },
  });
  t.like(connectorPolicyDocument(json).body, {
    dynamic: {
      statement: [
        { for_each: tf('length(var.subnets) > 0 ? [1] : []'), content: { sid: 'ManageVpcNetworkInterfaces' } },
        { for_each: tf('var.kms != null ? [1] : []'), content: { resources: [tf('var.kms')] } },
      ],
    },
  });
  t.like(flow.body, {
    for_each: tf('{ for flow in var.flows : flow.name => flow if flow.trigger_type != "Scheduled" }'),
    name: tf('each.value.name'),
    trigger_config: { trigger_type: 'OnDemand' },
  });
  t.like(scheduled, {
    for_each: tf('{ for flow in var.flows : flow.name => flow if flow.trigger_type == "Scheduled" }'),
    parameters: { FlowName: tf('each.value.name') },
  });
  const registration = Object.entries(resources(json, 'aws_cloudformation_stack')).find(([id]) =>
    id.includes('registration'),
  )?.[1];
  // The same name rule as at synth time, computed by Terraform (sha256 there gives Node's hex).
  t.like(registration, { name: tf(physicalNameExpression(CONNECTOR_STACK_NAME_RULE, 'var.label')) });
  t.regex(registration?.name as string, /sha256\(var\.label\)/);
});

test('a missing bundle fails synth with a hint to build it', (t) => {
  const missing = join(stubBundle(), '..', 'missing');
  t.false(existsSync(missing));
  const message = synthError((_, required) => ({ ...required, code: LambdaCode.fromBundleDirectory(missing) }));
  t.regex(message ?? '', /run `npm run build` first/);
});
