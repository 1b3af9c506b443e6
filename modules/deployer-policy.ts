/**
 * The IAM policy a deployer (the identity running `terraform apply`/`destroy`) needs for one connector, scoped to
 * the connector's own resources where the action takes a resource. Besides Terraform's own calls it covers what
 * CloudFormation's resource handlers call with the deployer's credentials: the AWS::AppFlow::Connector handlers
 * invoke the Lambda (lambda:InvokeFunction, to read DescribeConnectorConfiguration), and the AWS::AppFlow::Flow
 * handlers list the account's buckets and keys (s3:ListAllMyBuckets, s3:GetBucketLocation, s3:GetBucketPolicy,
 * kms:ListKeys, kms:ListAliases, kms:ListGrants, kms:DescribeKey, kms:CreateGrant) and use the connection profile
 * (appflow:UseConnectorProfile) — the `handlers` permissions of the resource types' schemas
 * (aws-cloudformation/aws-cloudformation-resource-providers-appflow, aws-appflow-connector.json and
 * aws-appflow-flow.json). AppFlow itself creates the profile's secret with the caller's credentials
 * (secretsmanager:CreateSecret, PutResourcePolicy: the AmazonAppFlowFullAccess managed policy lists them).
 */

/** One statement: actions and the resources they are scoped to (ARN templates with {partition} etc.). */
export interface DeployerStatement {
  readonly sid: string;
  readonly actions: readonly string[];
  /** ARN templates; placeholders: {partition} {region} {account} {roleName} {functionName} {label} {topicName}. */
  readonly resources: readonly string[];
  /** What the statement is for (the README shows it). */
  readonly purpose: string;
}

export const DEPLOYER_STATEMENTS: readonly DeployerStatement[] = [
  {
    sid: 'ConnectorRole',
    purpose: 'the execution role and its inline policy (not needed with execution_role_arn)',
    actions: [
      'iam:CreateRole',
      'iam:DeleteRole',
      'iam:GetRole',
      'iam:UpdateRole',
      'iam:UpdateRoleDescription',
      'iam:UpdateAssumeRolePolicy',
      'iam:TagRole',
      'iam:UntagRole',
      'iam:ListRolePolicies',
      'iam:ListAttachedRolePolicies',
      'iam:ListInstanceProfilesForRole',
      'iam:PutRolePolicy',
      'iam:GetRolePolicy',
      'iam:DeleteRolePolicy',
      'iam:PutRolePermissionsBoundary',
      'iam:DeleteRolePermissionsBoundary',
      'iam:PassRole',
    ],
    resources: ['arn:{partition}:iam::{account}:role/*{roleName}'],
  },
  {
    sid: 'ConnectorFunction',
    purpose:
      'the Lambda function, its versions and AppFlow’s invoke permission; CloudFormation’s AWS::AppFlow::Connector handlers invoke it',
    actions: [
      'lambda:CreateFunction',
      'lambda:DeleteFunction',
      'lambda:GetFunction',
      'lambda:GetFunctionConfiguration',
      'lambda:GetFunctionCodeSigningConfig',
      'lambda:UpdateFunctionCode',
      'lambda:UpdateFunctionConfiguration',
      'lambda:PublishVersion',
      'lambda:ListVersionsByFunction',
      'lambda:PutFunctionConcurrency',
      'lambda:DeleteFunctionConcurrency',
      'lambda:AddPermission',
      'lambda:RemovePermission',
      'lambda:GetPolicy',
      'lambda:TagResource',
      'lambda:UntagResource',
      'lambda:ListTags',
      'lambda:InvokeFunction',
    ],
    resources: [
      'arn:{partition}:lambda:{region}:{account}:function:{functionName}',
      'arn:{partition}:lambda:{region}:{account}:function:{functionName}:*',
    ],
  },
  {
    sid: 'ConnectorLogGroup',
    purpose: 'the function’s log group',
    actions: [
      'logs:CreateLogGroup',
      'logs:DeleteLogGroup',
      'logs:PutRetentionPolicy',
      'logs:DeleteRetentionPolicy',
      'logs:AssociateKmsKey',
      'logs:DisassociateKmsKey',
      'logs:TagResource',
      'logs:UntagResource',
      'logs:ListTagsForResource',
      'logs:TagLogGroup',
      'logs:UntagLogGroup',
      'logs:ListTagsLogGroup',
    ],
    resources: ['arn:{partition}:logs:{region}:{account}:log-group:/aws/lambda/{functionName}*'],
  },
  {
    sid: 'RegistrationAndFlowStacks',
    purpose: 'the CloudFormation stacks registering the connector and holding scheduled flows',
    actions: [
      'cloudformation:CreateStack',
      'cloudformation:UpdateStack',
      'cloudformation:DeleteStack',
      'cloudformation:DescribeStacks',
      'cloudformation:DescribeStackEvents',
      'cloudformation:GetTemplate',
      'cloudformation:TagResource',
      'cloudformation:UntagResource',
    ],
    resources: ['arn:{partition}:cloudformation:{region}:{account}:stack/appflow-*/*'],
  },
  {
    sid: 'AppFlowConnectorProfilesAndFlows',
    purpose: 'the registration, profile and flows (directly and through CloudFormation’s AppFlow handlers)',
    actions: [
      'appflow:RegisterConnector',
      'appflow:UpdateConnectorRegistration',
      'appflow:UnRegisterConnector',
      'appflow:CreateConnectorProfile',
      'appflow:UpdateConnectorProfile',
      'appflow:DeleteConnectorProfile',
      'appflow:UseConnectorProfile',
      'appflow:CreateFlow',
      'appflow:UpdateFlow',
      'appflow:DeleteFlow',
      'appflow:DescribeFlow',
      'appflow:StartFlow',
      'appflow:StopFlow',
      'appflow:TagResource',
      'appflow:UntagResource',
      'appflow:ListTagsForResource',
    ],
    resources: ['arn:{partition}:appflow:{region}:{account}:*'],
  },
  {
    sid: 'AppFlowDescribe',
    purpose: 'AppFlow’s list and describe calls, which take no resource',
    actions: [
      'appflow:DescribeConnector',
      'appflow:DescribeConnectors',
      'appflow:DescribeConnectorProfiles',
      'appflow:DescribeConnectorEntity',
      'appflow:ListConnectors',
      'appflow:ListConnectorEntities',
      'appflow:ListFlows',
    ],
    resources: ['*'],
  },
  {
    sid: 'ProfileSecret',
    purpose: 'the Secrets Manager secret AppFlow creates for the profile with the caller’s credentials',
    actions: [
      'secretsmanager:CreateSecret',
      'secretsmanager:PutResourcePolicy',
      'secretsmanager:PutSecretValue',
      'secretsmanager:UpdateSecret',
      'secretsmanager:DescribeSecret',
      'secretsmanager:DeleteSecret',
      'secretsmanager:TagResource',
    ],
    resources: ['arn:{partition}:secretsmanager:{region}:{account}:secret:appflow!{account}-{label}-*'],
  },
  {
    sid: 'HandlersListBucketsAndKeys',
    purpose: 'what CloudFormation’s AWS::AppFlow::Flow handlers list and check (no resource-level permissions)',
    actions: [
      's3:ListAllMyBuckets',
      's3:GetBucketLocation',
      's3:GetBucketPolicy',
      'kms:ListKeys',
      'kms:ListAliases',
      'kms:ListGrants',
      'kms:DescribeKey',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeSubnets',
      'ec2:DescribeVpcs',
      'ec2:DescribeNetworkInterfaces',
      'logs:DescribeLogGroups',
      'cloudformation:ValidateTemplate',
    ],
    resources: ['*'],
  },
  {
    sid: 'CustomerManagedKeys',
    purpose: 'grants on the customer-managed keys of the profile, the function environment and the log group',
    actions: ['kms:CreateGrant', 'kms:DescribeKey', 'kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['arn:{partition}:kms:{region}:{account}:key/*'],
  },
  {
    sid: 'FlowAlerts',
    purpose: 'the EventBridge rules and the alert topic (with alert_topic_arn or create_alert_topic)',
    actions: [
      'events:PutRule',
      'events:DeleteRule',
      'events:DescribeRule',
      'events:PutTargets',
      'events:RemoveTargets',
      'events:ListTargetsByRule',
      'events:TagResource',
      'events:UntagResource',
      'events:ListTagsForResource',
      'sns:CreateTopic',
      'sns:DeleteTopic',
      'sns:GetTopicAttributes',
      'sns:SetTopicAttributes',
      'sns:TagResource',
      'sns:UntagResource',
      'sns:ListTagsForResource',
    ],
    resources: [
      'arn:{partition}:events:{region}:{account}:rule/*',
      'arn:{partition}:sns:{region}:{account}:{topicName}',
    ],
  },
];

export interface DeployerPolicyNames {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly roleName: string;
  readonly functionName: string;
  readonly label: string;
  readonly topicName: string;
}

/** The statements with the placeholders filled, in the shape of aws_iam_policy_document's statement blocks. */
export function deployerStatements(names: DeployerPolicyNames): Record<string, unknown>[] {
  const fill = (template: string) =>
    template.replace(/\{(\w+)\}/g, (_, key: string) => names[key as keyof DeployerPolicyNames]);
  return DEPLOYER_STATEMENTS.map((statement) => ({
    sid: statement.sid,
    effect: 'Allow',
    actions: [...statement.actions],
    resources: statement.resources.map(fill),
  }));
}
