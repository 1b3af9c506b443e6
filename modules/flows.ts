/**
 * Flows from the connection profile to S3: one `aws_appflow_flow` per flow spec, or one resource with `for_each`
 * when the specs are a Terraform expression (the plain module's `flows` variable). Both are built by `addFlow`.
 */
import { AppflowFlow } from '@cdktf/provider-aws/lib/appflow-flow';
import { type ITerraformDependable, TerraformIterator, Token } from 'cdktf';
import type { Construct } from 'constructs';
import { CONNECTOR_API_VERSION, DEFAULTS, type FlowTriggerType, type S3FileType } from './constants';
import { type InputRule, RULES } from './input-rules';
import { addBlockWhen, choose, planTimeSwitch, type Switch } from './switch';

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
  { key: 'description', attribute: 'description', rule: RULES.connectorDescription, required: false },
];

/** The Terraform type of a field in the module's `flows` object type. */
export function terraformTypeOf(field: FlowField): string {
  if (field.required) return 'string';
  if (field.defaultValue === undefined) return 'optional(string)';
  return `optional(string, ${JSON.stringify(field.defaultValue)})`;
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
];

/** The values one aws_appflow_flow is built from: plain strings, or expressions over `each.value`. */
interface FlowValues {
  readonly name: string;
  readonly entityName: string;
  readonly bucketName: string;
  readonly bucketPrefix: string | undefined;
  readonly fileType: string;
  readonly triggerType: string;
  readonly scheduleExpression: string | undefined;
  readonly incrementalTimestampField: string | undefined;
  readonly description: string | undefined;
  readonly scheduled: Switch;
  readonly incremental: Switch;
}

function valuesOfSpec(spec: FlowSpec): FlowValues {
  const triggerType = spec.triggerType ?? DEFAULTS.triggerType;
  return {
    name: spec.name,
    entityName: spec.entityName,
    bucketName: spec.bucketName,
    bucketPrefix: spec.bucketPrefix,
    fileType: spec.fileType ?? DEFAULTS.fileType,
    triggerType,
    scheduleExpression: spec.scheduleExpression,
    incrementalTimestampField: spec.incrementalTimestampField,
    description: spec.description,
    scheduled: triggerType === 'Scheduled',
    incremental: spec.incrementalTimestampField !== undefined,
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
    triggerType: attribute('triggerType'),
    scheduleExpression: attribute('scheduleExpression'),
    incrementalTimestampField: attribute('incrementalTimestampField'),
    description: attribute('description'),
    scheduled: planTimeSwitch('each.value.trigger_type == "Scheduled"'),
    incremental: planTimeSwitch('each.value.incremental_timestamp_field != null'),
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

/** Adds the flows: one resource per spec, or one for_each resource keyed by flow name when the specs are an expression. */
export function addFlows(scope: Construct, props: FlowsProps): AppflowFlow[] {
  if (Token.isUnresolved(props.flows)) {
    const iterator = TerraformIterator.fromComplexList(Token.asAny(props.flows), 'name');
    return [addFlow(scope, 'flows', valuesOfIterator(iterator), props, iterator)];
  }
  return props.flows.map((spec) => addFlow(scope, `flow-${spec.name}`, valuesOfSpec(spec), props, undefined));
}

function addFlow(
  scope: Construct,
  id: string,
  flow: FlowValues,
  props: FlowsProps,
  forEach: TerraformIterator | undefined,
): AppflowFlow {
  const resource = new AppflowFlow(scope, id, {
    forEach,
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
    triggerConfig: { triggerType: flow.triggerType },
    tags: props.tags,
    dependsOn: props.dependsOn,
  });
  addBlockWhen(resource, 'source_flow_config.incremental_pull_config', flow.incremental, {
    datetime_type_field_name: flow.incrementalTimestampField,
  });
  addBlockWhen(resource, 'trigger_config.trigger_properties', flow.scheduled, {
    scheduled: {
      schedule_expression: flow.scheduleExpression,
      data_pull_mode: choose(flow.incremental, 'Incremental', 'Complete'),
    },
  });
  return resource;
}
