/**
 * Flows from the connection profile to S3: on-demand flows as `aws_appflow_flow`, scheduled flows as CloudFormation
 * stacks (created Active). One resource per flow spec, or one `for_each` resource of each kind when the specs are a
 * Terraform expression (the plain module's `flows` variable).
 */
import { AppflowFlow } from '@cdktf/provider-aws/lib/appflow-flow';
import { CloudformationStack } from '@cdktf/provider-aws/lib/cloudformation-stack';
import {
  DataResource,
  type ITerraformDependable,
  TerraformIterator,
  type TerraformResourceLifecycle,
  Token,
} from 'cdktf';
import type { Construct } from 'constructs';
import { CONNECTOR_API_VERSION, DEFAULTS, type FlowTriggerType, type S3FileType } from './constants';
import { type InputRule, RULES } from './input-rules';
import { FLOW_STACK_NAME_RULE, physicalName } from './physical-names';
import { expressionOf } from './switch';

/** A flow that copies one table or view of the database to S3. */
export interface FlowSpec {
  /** Flow name (pattern `[a-zA-Z0-9][\w!@#.-]+`, at most 256 characters), unique among the flows. Required. */
  readonly name: string;
  /** Table or view to read (an entity identifier the connector lists). Required. */
  readonly entityName: string;
  /** Destination S3 bucket; its bucket policy must let appflow.amazonaws.com write. Required. */
  readonly bucketName: string;
  /** Key prefix inside the bucket. Default: none (AppFlow writes under `<flow name>/`). */
  readonly bucketPrefix?: string;
  /** Output file format: PARQUET, JSON or CSV. Default: PARQUET. */
  readonly fileType?: S3FileType;
  /** OnDemand (run from the console or API) or Scheduled. Default: OnDemand. */
  readonly triggerType?: FlowTriggerType;
  /** Schedule of a Scheduled flow, e.g. `rate(1hours)`; required exactly when triggerType is Scheduled. Default: none. */
  readonly scheduleExpression?: string;
  /** DateTime column for incremental pulls (Scheduled flows only): each run reads the rows changed since the last. Default: none (full pulls). */
  readonly incrementalTimestampField?: string;
  /** Description of the flow. Default: none. */
  readonly description?: string;
  /**
   * Scheduled flows only: after this many consecutive failed runs (1 to 100) AppFlow deactivates the flow and
   * publishes "AppFlow Scheduled Flow Deactivated". Default: none (AppFlow's own threshold).
   */
  readonly errorDeactivationThreshold?: number;
}

/** One FlowSpec field as the plain module's `flows` variable spells it. */
export interface FlowField {
  readonly key: keyof FlowSpec;
  /** Attribute name in the module's Terraform object type. */
  readonly attribute: string;
  readonly rule: InputRule<string>;
  /** Must be given (no default). */
  readonly required: boolean;
  /** Value used when the field is left out; optional fields without one are null in Terraform. */
  readonly defaultValue?: string;
  /** The Terraform type of the attribute. Default: string. */
  readonly type?: 'string' | 'number';
}

const TRIGGER_TYPE_RULE: InputRule<string> = {
  requirement: 'must be OnDemand or Scheduled',
  accepts: (value) => value === 'OnDemand' || value === 'Scheduled',
  terraformCondition: (e) => `try(contains(["OnDemand", "Scheduled"], ${e}), false)`,
};

/** The FlowSpec fields in the order the module documents them. */
export const FLOW_FIELDS: readonly FlowField[] = [
  { key: 'name', attribute: 'name', rule: RULES.flowName, required: true },
  { key: 'entityName', attribute: 'entity_name', rule: RULES.entityName, required: true },
  { key: 'bucketName', attribute: 'bucket_name', rule: RULES.bucketName, required: true },
  { key: 'bucketPrefix', attribute: 'bucket_prefix', rule: RULES.bucketPrefix, required: false },
  {
    key: 'fileType',
    attribute: 'file_type',
    rule: RULES.fileType,
    required: false,
    defaultValue: DEFAULTS.fileType,
  },
  {
    key: 'triggerType',
    attribute: 'trigger_type',
    rule: TRIGGER_TYPE_RULE,
    required: false,
    defaultValue: DEFAULTS.triggerType,
  },
  { key: 'scheduleExpression', attribute: 'schedule_expression', rule: RULES.scheduleExpression, required: false },
  {
    key: 'incrementalTimestampField',
    attribute: 'incremental_timestamp_field',
    rule: RULES.timestampField,
    required: false,
  },
  { key: 'description', attribute: 'description', rule: RULES.flowDescription, required: false },
  {
    key: 'errorDeactivationThreshold',
    attribute: 'error_deactivation_threshold',
    rule: RULES.errorDeactivationThreshold as unknown as InputRule<string>,
    required: false,
    type: 'number',
  },
];

/** The Terraform type of a field in the module's `flows` object type. */
export function terraformTypeOf(field: FlowField): string {
  const type = field.type ?? 'string';
  if (field.required) return type;
  if (field.defaultValue === undefined) return `optional(${type})`;
  return `optional(${type}, ${JSON.stringify(field.defaultValue)})`;
}

/** A rule across fields of one flow, checked by the construct and by the module's `flows` validation. */
export interface FlowConsistencyRule {
  /** In the construct's words (camelCase props). */
  readonly requirement: string;
  /** In the module's words (snake_case attributes). */
  readonly terraformRequirement: string;
  readonly accepts: (flow: FlowSpec) => boolean;
  /** The same check over the Terraform object `flow`. */
  readonly terraformCondition: (flow: string) => string;
}

export const FLOW_CONSISTENCY_RULES: readonly FlowConsistencyRule[] = [
  {
    requirement: 'a Scheduled flow needs scheduleExpression, an OnDemand flow must not have one',
    terraformRequirement: 'a Scheduled flow needs schedule_expression, an OnDemand flow must not have one',
    accepts: (flow: FlowSpec) =>
      ((flow.triggerType ?? DEFAULTS.triggerType) === 'Scheduled') === (flow.scheduleExpression !== undefined),
    terraformCondition: (f: string) => `(${f}.trigger_type == "Scheduled") == (${f}.schedule_expression != null)`,
  },
  {
    requirement:
      'incrementalTimestampField needs triggerType Scheduled (AppFlow pulls incrementally on schedules only)',
    terraformRequirement:
      'incremental_timestamp_field needs trigger_type Scheduled (AppFlow pulls incrementally on schedules only)',
    accepts: (flow: FlowSpec) =>
      flow.incrementalTimestampField === undefined || (flow.triggerType ?? DEFAULTS.triggerType) === 'Scheduled',
    terraformCondition: (f: string) => `${f}.incremental_timestamp_field == null || ${f}.trigger_type == "Scheduled"`,
  },
  {
    requirement: 'errorDeactivationThreshold needs triggerType Scheduled (AppFlow deactivates scheduled flows only)',
    terraformRequirement:
      'error_deactivation_threshold needs trigger_type Scheduled (AppFlow deactivates scheduled flows only)',
    accepts: (flow: FlowSpec) =>
      flow.errorDeactivationThreshold === undefined || (flow.triggerType ?? DEFAULTS.triggerType) === 'Scheduled',
    terraformCondition: (f: string) => `${f}.error_deactivation_threshold == null || ${f}.trigger_type == "Scheduled"`,
  },
];

/** The values one flow is built from: plain strings, or expressions over `each.value`. */
interface FlowValues {
  readonly name: string;
  readonly entityName: string;
  readonly bucketName: string;
  readonly bucketPrefix: string | undefined;
  readonly fileType: string;
  readonly scheduleExpression: string | undefined;
  readonly incrementalTimestampField: string | undefined;
  readonly description: string | undefined;
  readonly errorDeactivationThreshold: string | undefined;
}

function valuesOfSpec(spec: FlowSpec): FlowValues {
  return {
    name: spec.name,
    entityName: spec.entityName,
    bucketName: spec.bucketName,
    bucketPrefix: spec.bucketPrefix,
    fileType: spec.fileType ?? DEFAULTS.fileType,
    scheduleExpression: spec.scheduleExpression,
    incrementalTimestampField: spec.incrementalTimestampField,
    description: spec.description,
    errorDeactivationThreshold:
      spec.errorDeactivationThreshold === undefined ? undefined : String(spec.errorDeactivationThreshold),
  };
}

function valuesOfIterator(iterator: TerraformIterator): FlowValues {
  const attribute = (key: keyof FlowSpec): string => {
    const field = FLOW_FIELDS.find((candidate) => candidate.key === key);
    if (field === undefined) throw new Error(`FLOW_FIELDS has no entry for ${key}`);
    return iterator.getString(field.attribute);
  };
  return {
    name: attribute('name'),
    entityName: attribute('entityName'),
    bucketName: attribute('bucketName'),
    bucketPrefix: attribute('bucketPrefix'),
    fileType: attribute('fileType'),
    scheduleExpression: attribute('scheduleExpression'),
    incrementalTimestampField: attribute('incrementalTimestampField'),
    description: attribute('description'),
    errorDeactivationThreshold: attribute('errorDeactivationThreshold'),
  };
}

export interface FlowsProps {
  /** The flow specs, or a Terraform expression of a list of objects shaped like FLOW_FIELDS. */
  readonly flows: readonly FlowSpec[];
  /** Name of the connection profile the flows read from. */
  readonly profileName: string;
  /** What the flows must wait for (the profile). */
  readonly dependsOn: ITerraformDependable[];
  readonly tags: Record<string, string> | undefined;
}

/** The flows of a connector: on-demand flows as aws_appflow_flow, scheduled flows as CloudFormation stacks. */
export interface Flows {
  /** One resource per on-demand spec, or a single for_each resource when the specs are an expression. */
  readonly onDemand: AppflowFlow[];
  /** One stack per scheduled spec, or a single for_each stack when the specs are an expression. */
  readonly scheduled: CloudformationStack[];
}

/**
 * Adds the flows, keyed by flow name. aws_appflow_flow creates a scheduled flow in Draft and cannot activate it
 * (its flow_status is read-only, hashicorp/terraform-provider-aws#36441), so a scheduled flow would never run:
 * scheduled flows are CloudFormation stacks holding an AWS::AppFlow::Flow with FlowStatus Active, which stays
 * Active across applies. On-demand flows have no status to set and stay aws_appflow_flow.
 */
export function addFlows(scope: Construct, props: FlowsProps): Flows {
  if (Token.isUnresolved(props.flows)) {
    const list = expressionOf(props.flows);
    const byName = (condition: string) =>
      TerraformIterator.fromMap(Token.asAnyMap(`\${{ for flow in ${list} : flow.name => flow if ${condition} }}`));
    const onDemand = byName('flow.trigger_type != "Scheduled"');
    const scheduled = byName('flow.trigger_type == "Scheduled"');
    const kinds = new DataResource(scope, 'flow_trigger_types', {
      forEach: TerraformIterator.fromMap(
        Token.asAnyMap(`\${{ for flow in ${list} : flow.name => flow.trigger_type }}`),
      ),
      lifecycle: { ignoreChanges: ['input'] },
    });
    kinds.addOverride('input', `\${each.value}`);
    const kindOf = `${kinds.terraformResourceType}.${kinds.friendlyUniqueId}[each.key].output`;
    return {
      onDemand: [
        addOnDemandFlow(
          scope,
          'flows',
          valuesOfIterator(onDemand),
          props,
          onDemand,
          triggerUnchanged(kindOf, '"OnDemand"'),
        ),
      ],
      scheduled: [
        addScheduledFlow(
          scope,
          'scheduled_flows',
          valuesOfIterator(scheduled),
          props,
          scheduled,
          triggerUnchanged(kindOf, '"Scheduled"'),
        ),
      ],
    };
  }
  const isScheduled = (spec: FlowSpec) => (spec.triggerType ?? DEFAULTS.triggerType) === 'Scheduled';
  const kindOf = (spec: FlowSpec) => {
    const kind = new DataResource(scope, `flow-trigger-type-${spec.name}`, {
      lifecycle: { ignoreChanges: ['input'] },
    });
    kind.addOverride('input', spec.triggerType ?? DEFAULTS.triggerType);
    return `${kind.terraformResourceType}.${kind.friendlyUniqueId}.output`;
  };
  return {
    onDemand: props.flows
      .filter((spec) => !isScheduled(spec))
      .map((spec) =>
        addOnDemandFlow(
          scope,
          `flow-${spec.name}`,
          valuesOfSpec(spec),
          props,
          undefined,
          triggerUnchanged(kindOf(spec), '"OnDemand"'),
        ),
      ),
    scheduled: props.flows
      .filter(isScheduled)
      .map((spec) =>
        addScheduledFlow(
          scope,
          `scheduled-flow-${spec.name}`,
          valuesOfSpec(spec),
          props,
          undefined,
          triggerUnchanged(kindOf(spec), '"Scheduled"'),
        ),
      ),
  };
}

/**
 * Refuses at plan time to switch a flow between OnDemand and Scheduled. The two kinds are different resources
 * (aws_appflow_flow, a CloudFormation stack) with the same AppFlow flow name, and Terraform would create the new one
 * while deleting the old, unordered: CreateFlow can race DeleteFlow. A terraform_data per flow keeps the trigger type
 * the flow was created with (ignore_changes): its output is that first value, known at plan time.
 */
function triggerUnchanged(kindOf: string, kind: string): TerraformResourceLifecycle {
  return {
    precondition: [
      {
        condition: Token.asAny(`\${${kindOf} == ${kind}}`),
        errorMessage:
          'A flow cannot switch between OnDemand and Scheduled in one apply (the old and the new resource would race ' +
          'for the flow name). Remove the flow from the configuration and apply, then add it back with the new ' +
          'trigger_type and apply again.',
      },
    ],
  };
}

function addOnDemandFlow(
  scope: Construct,
  id: string,
  flow: FlowValues,
  props: FlowsProps,
  forEach: TerraformIterator | undefined,
  lifecycle: TerraformResourceLifecycle,
): AppflowFlow {
  return new AppflowFlow(scope, id, {
    forEach,
    lifecycle,
    name: flow.name,
    description: flow.description,
    sourceFlowConfig: {
      connectorType: 'CustomConnector',
      connectorProfileName: props.profileName,
      apiVersion: CONNECTOR_API_VERSION,
      sourceConnectorProperties: { customConnector: { entityName: flow.entityName } },
    },
    destinationFlowConfig: [
      {
        connectorType: 'S3',
        destinationConnectorProperties: {
          s3: {
            bucketName: flow.bucketName,
            bucketPrefix: flow.bucketPrefix,
            s3OutputFormatConfig: { fileType: flow.fileType },
          },
        },
      },
    ],
    // AppFlow requires a projection: Map_all copies every field of the entity unchanged. The empty
    // EXCLUDE_SOURCE_FIELDS_LIST is what AppFlow stores for Map_all; writing it avoids a diff after apply.
    task: [
      {
        taskType: 'Map_all',
        sourceFields: [],
        connectorOperator: [{ customConnector: 'NO_OP' }],
        taskProperties: { EXCLUDE_SOURCE_FIELDS_LIST: '[]' },
      },
    ],
    triggerConfig: { triggerType: 'OnDemand' },
    tags: props.tags,
    dependsOn: props.dependsOn,
  });
}

const ifGiven = (parameter: string, value: unknown) => ({
  'Fn::If': [`Has${parameter}`, value, { Ref: 'AWS::NoValue' }],
});
const given = (parameter: string) => ({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: parameter }, ''] }] });

/**
 * The CloudFormation template of a scheduled flow: the same flow as addOnDemandFlow, created Active. Optional
 * values are parameters that are empty when left out (a condition then drops the property).
 */
export const SCHEDULED_FLOW_TEMPLATE = {
  AWSTemplateFormatVersion: '2010-09-09',
  Description: 'A scheduled Amazon AppFlow flow, created active (managed by Terraform)',
  Parameters: {
    FlowName: { Type: 'String' },
    Description: { Type: 'String', Default: '' },
    ConnectorProfileName: { Type: 'String' },
    ApiVersion: { Type: 'String' },
    EntityName: { Type: 'String' },
    BucketName: { Type: 'String' },
    BucketPrefix: { Type: 'String', Default: '' },
    FileType: { Type: 'String' },
    ScheduleExpression: { Type: 'String' },
    IncrementalTimestampField: { Type: 'String', Default: '' },
    ErrorDeactivationThreshold: { Type: 'String', Default: '' },
  },
  Conditions: {
    HasDescription: given('Description'),
    HasBucketPrefix: given('BucketPrefix'),
    HasIncrementalTimestampField: given('IncrementalTimestampField'),
    HasErrorDeactivationThreshold: given('ErrorDeactivationThreshold'),
  },
  Resources: {
    Flow: {
      Type: 'AWS::AppFlow::Flow',
      Properties: {
        FlowName: { Ref: 'FlowName' },
        Description: ifGiven('Description', { Ref: 'Description' }),
        FlowStatus: 'Active',
        SourceFlowConfig: {
          ConnectorType: 'CustomConnector',
          ConnectorProfileName: { Ref: 'ConnectorProfileName' },
          ApiVersion: { Ref: 'ApiVersion' },
          SourceConnectorProperties: { CustomConnector: { EntityName: { Ref: 'EntityName' } } },
          IncrementalPullConfig: ifGiven('IncrementalTimestampField', {
            DatetimeTypeFieldName: { Ref: 'IncrementalTimestampField' },
          }),
        },
        DestinationFlowConfigList: [
          {
            ConnectorType: 'S3',
            DestinationConnectorProperties: {
              S3: {
                BucketName: { Ref: 'BucketName' },
                BucketPrefix: ifGiven('BucketPrefix', { Ref: 'BucketPrefix' }),
                S3OutputFormatConfig: { FileType: { Ref: 'FileType' } },
              },
            },
          },
        ],
        Tasks: [
          {
            TaskType: 'Map_all',
            SourceFields: [],
            ConnectorOperator: { CustomConnector: 'NO_OP' },
            TaskProperties: [{ Key: 'EXCLUDE_SOURCE_FIELDS_LIST', Value: '[]' }],
          },
        ],
        TriggerConfig: {
          TriggerType: 'Scheduled',
          TriggerProperties: {
            ScheduleExpression: { Ref: 'ScheduleExpression' },
            DataPullMode: { 'Fn::If': ['HasIncrementalTimestampField', 'Incremental', 'Complete'] },
            // ScheduledTriggerProperties.FlowErrorDeactivationThreshold (1-100): consecutive failed runs after
            // which AppFlow deactivates the flow (AWS::AppFlow::Flow ScheduledTriggerProperties, AppFlow API
            // reference). hashicorp/aws 5.100.0's aws_appflow_flow has no such attribute.
            FlowErrorDeactivationThreshold: ifGiven('ErrorDeactivationThreshold', {
              Ref: 'ErrorDeactivationThreshold',
            }),
          },
        },
      },
    },
  },
  Outputs: {
    FlowArn: { Value: { 'Fn::GetAtt': ['Flow', 'FlowArn'] } },
  },
};

/** A value for a stack parameter: optional values become "" (the template's "left out"). */
function parameter(value: string | undefined): string {
  if (value === undefined) return '';
  if (!Token.isUnresolved(value)) return value;
  const expression = expressionOf(value);
  return `\${${expression} == null ? "" : ${expression}}`;
}

/**
 * "appflow-flow-<flow name>" when CloudFormation accepts it as it is; else with the rejected characters replaced by
 * "-" and a short hash of the flow name, so that flows `a.b` and `a_b` get two stacks (physical-names.ts).
 */
export function scheduledFlowStackName(flowName: string): string {
  return physicalName(FLOW_STACK_NAME_RULE, flowName);
}

function addScheduledFlow(
  scope: Construct,
  id: string,
  flow: FlowValues,
  props: FlowsProps,
  forEach: TerraformIterator | undefined,
  lifecycle: TerraformResourceLifecycle,
): CloudformationStack {
  return new CloudformationStack(scope, id, {
    forEach,
    lifecycle,
    name: scheduledFlowStackName(flow.name),
    templateBody: JSON.stringify(SCHEDULED_FLOW_TEMPLATE),
    parameters: {
      FlowName: flow.name,
      Description: parameter(flow.description),
      ConnectorProfileName: props.profileName,
      ApiVersion: CONNECTOR_API_VERSION,
      EntityName: flow.entityName,
      BucketName: flow.bucketName,
      BucketPrefix: parameter(flow.bucketPrefix),
      FileType: flow.fileType,
      ScheduleExpression: parameter(flow.scheduleExpression),
      IncrementalTimestampField: parameter(flow.incrementalTimestampField),
      ErrorDeactivationThreshold: parameter(flow.errorDeactivationThreshold),
    },
    tags: props.tags,
    dependsOn: props.dependsOn,
  });
}
