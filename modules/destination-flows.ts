/**
 * Flows INTO the database: AppFlow reads files from S3 and the connector writes their records to a table with
 * INSERT, UPSERT, UPDATE or DELETE (the write operations it declares in DescribeConnectorConfiguration). On-demand
 * `aws_appflow_flow`s, one per spec, or one `for_each` resource when the specs are a Terraform expression (the plain
 * module's `destination_flows` variable).
 */
import { AppflowFlow } from '@cdktf/provider-aws/lib/appflow-flow';
import { type ITerraformDependable, TerraformIterator, Token } from 'cdktf';
import type { Construct } from 'constructs';
import { CONNECTOR_API_VERSION } from './constants';
import { type InputRule, matches, oneOf, RULES } from './input-rules';
import { expressionOf } from './switch';

/** Write operations the connector supports as a destination (handler: supportedWriteOperations). */
export const WRITE_OPERATIONS = ['INSERT', 'UPSERT', 'UPDATE', 'DELETE'] as const;
export type WriteOperation = (typeof WRITE_OPERATIONS)[number];
/** File formats AppFlow reads from an S3 source (S3InputFormatConfig). */
export const S3_INPUT_FILE_TYPES = ['CSV', 'JSON'] as const;

/** A flow that writes the records of files in S3 to one table of the database. */
export interface DestinationFlowSpec {
  /** Flow name (pattern `[a-zA-Z0-9][\w!@#.-]+`, at most 256), unique among all flows of the connector. Required. */
  readonly name: string;
  /** Table to write to (an entity the connector lists). Required. */
  readonly entityName: string;
  /** Bucket holding the files to load; its policy must let appflow.amazonaws.com read. Required. */
  readonly sourceBucketName: string;
  /** Folder (key prefix) inside the bucket holding the files. Required (AppFlow reads one folder). */
  readonly sourceBucketPrefix: string;
  /** Format of the files: CSV or JSON. Default: CSV. */
  readonly fileType?: string;
  /** INSERT, UPSERT, UPDATE or DELETE. Default: INSERT. */
  readonly writeOperation?: WriteOperation | string;
  /** Columns that identify a row: required for UPSERT, UPDATE and DELETE, left out for INSERT. Default: none. */
  readonly idFieldNames?: readonly string[];
  /** Bucket AppFlow writes the records it could not write to (AppFlow's error handling). Default: none. */
  readonly errorBucketName?: string;
  /** Key prefix of those error files. Default: none. */
  readonly errorBucketPrefix?: string;
  /** Stop the run at the first record the database refuses. Default: false (AppFlow goes on, errors to the bucket). */
  readonly failOnFirstError?: boolean;
  /** Description of the flow. Default: none. */
  readonly description?: string;
}

/** A rule over one destination flow, in the construct's words and as a Terraform condition over object `f`. */
interface DestinationFlowRule {
  readonly requirement: string;
  readonly terraformRequirement: string;
  readonly accepts: (flow: DestinationFlowSpec) => boolean;
  readonly terraformCondition: (f: string) => string;
}

const IDENTIFIED_OPERATIONS = ['UPSERT', 'UPDATE', 'DELETE'];

export const DESTINATION_FLOW_RULES: readonly DestinationFlowRule[] = [
  {
    requirement: 'idFieldNames is required for UPSERT, UPDATE and DELETE (the columns that identify a row)',
    terraformRequirement: 'id_field_names is required for UPSERT, UPDATE and DELETE (the columns that identify a row)',
    accepts: (flow) =>
      !IDENTIFIED_OPERATIONS.includes(flow.writeOperation ?? 'INSERT') || (flow.idFieldNames?.length ?? 0) > 0,
    terraformCondition: (f) =>
      `!contains(${JSON.stringify(IDENTIFIED_OPERATIONS)}, ${f}.write_operation) || length(${f}.id_field_names) > 0`,
  },
  {
    requirement: 'errorBucketPrefix needs errorBucketName',
    terraformRequirement: 'error_bucket_prefix needs error_bucket_name',
    accepts: (flow) => flow.errorBucketPrefix === undefined || flow.errorBucketName !== undefined,
    terraformCondition: (f) => `${f}.error_bucket_prefix == null || ${f}.error_bucket_name != null`,
  },
];

/** The scalar fields, their module attribute, rule and default (null when none). */
export const DESTINATION_FLOW_FIELDS: readonly {
  readonly key: keyof DestinationFlowSpec;
  readonly attribute: string;
  readonly rule: InputRule<string>;
  readonly required: boolean;
  readonly defaultValue?: string;
}[] = [
  { key: 'name', attribute: 'name', rule: RULES.flowName, required: true },
  { key: 'entityName', attribute: 'entity_name', rule: RULES.entityName, required: true },
  { key: 'sourceBucketName', attribute: 'source_bucket_name', rule: RULES.bucketName, required: true },
  {
    key: 'sourceBucketPrefix',
    attribute: 'source_bucket_prefix',
    rule: matches('[^\\s]+', 512, 'must be a key prefix without spaces'),
    required: true,
  },
  {
    key: 'fileType',
    attribute: 'file_type',
    rule: oneOf<string>(S3_INPUT_FILE_TYPES),
    required: false,
    defaultValue: 'CSV',
  },
  {
    key: 'writeOperation',
    attribute: 'write_operation',
    rule: oneOf<string>(WRITE_OPERATIONS),
    required: false,
    defaultValue: 'INSERT',
  },
  { key: 'errorBucketName', attribute: 'error_bucket_name', rule: RULES.bucketName, required: false },
  { key: 'errorBucketPrefix', attribute: 'error_bucket_prefix', rule: RULES.bucketPrefix, required: false },
  { key: 'description', attribute: 'description', rule: RULES.flowDescription, required: false },
];

/** The module's Terraform type of `destination_flows`. */
export const DESTINATION_FLOW_TYPE = `list(object({ ${[
  ...DESTINATION_FLOW_FIELDS.map((field) => {
    if (field.required) return `${field.attribute} = string`;
    if (field.defaultValue === undefined) return `${field.attribute} = optional(string)`;
    return `${field.attribute} = optional(string, ${JSON.stringify(field.defaultValue)})`;
  }),
  'id_field_names = optional(list(string), [])',
  'fail_on_first_error = optional(bool, false)',
].join(', ')} }))`;

/** Synth-time problems of the specs, each naming its prop. */
export function destinationFlowProblems(flows: readonly DestinationFlowSpec[] | undefined): string[] {
  if (flows === undefined || Token.isUnresolved(flows)) return [];
  const problems: string[] = [];
  flows.forEach((flow, index) => {
    const name = `destinationFlows[${index}]`;
    for (const field of DESTINATION_FLOW_FIELDS) {
      const value = flow[field.key] as string | undefined;
      if (value === undefined) {
        if (field.required) problems.push(`${name}.${field.key} is required`);
      } else if (!Token.isUnresolved(value) && !field.rule.accepts(value)) {
        problems.push(`${name}.${field.key} ${field.rule.requirement} (got ${JSON.stringify(value)})`);
      }
    }
    for (const rule of DESTINATION_FLOW_RULES) if (!rule.accepts(flow)) problems.push(`${name}: ${rule.requirement}`);
  });
  return problems;
}

interface DestinationFlowValues {
  readonly name: string;
  readonly entityName: string;
  readonly sourceBucketName: string;
  readonly sourceBucketPrefix: string;
  readonly fileType: string;
  readonly writeOperation: string;
  readonly idFieldNames: string[] | undefined;
  readonly errorBucketName: string | undefined;
  readonly errorBucketPrefix: string | undefined;
  readonly failOnFirstError: boolean | undefined;
  readonly description: string | undefined;
}

function valuesOfSpec(spec: DestinationFlowSpec): DestinationFlowValues {
  return {
    name: spec.name,
    entityName: spec.entityName,
    sourceBucketName: spec.sourceBucketName,
    sourceBucketPrefix: spec.sourceBucketPrefix,
    fileType: spec.fileType ?? 'CSV',
    writeOperation: spec.writeOperation ?? 'INSERT',
    idFieldNames:
      spec.idFieldNames === undefined || spec.idFieldNames.length === 0 ? undefined : [...spec.idFieldNames],
    errorBucketName: spec.errorBucketName,
    errorBucketPrefix: spec.errorBucketPrefix,
    failOnFirstError: spec.failOnFirstError ?? false,
    description: spec.description,
  };
}

function valuesOfIterator(iterator: TerraformIterator): DestinationFlowValues {
  const ids = expressionOf(iterator.getList('id_field_names'));
  return {
    name: iterator.getString('name'),
    entityName: iterator.getString('entity_name'),
    sourceBucketName: iterator.getString('source_bucket_name'),
    sourceBucketPrefix: iterator.getString('source_bucket_prefix'),
    fileType: iterator.getString('file_type'),
    writeOperation: iterator.getString('write_operation'),
    // AppFlow takes no id fields for INSERT: an empty list becomes null.
    idFieldNames: Token.asList(`\${length(${ids}) > 0 ? ${ids} : null}`),
    errorBucketName: iterator.getString('error_bucket_name'),
    errorBucketPrefix: iterator.getString('error_bucket_prefix'),
    failOnFirstError: iterator.getBoolean('fail_on_first_error') as unknown as boolean,
    description: iterator.getString('description'),
  };
}

export interface DestinationFlowsProps {
  readonly flows: readonly DestinationFlowSpec[];
  readonly profileName: string;
  readonly dependsOn: ITerraformDependable[];
  readonly tags: Record<string, string> | undefined;
}

/** Adds the destination flows, keyed by flow name. */
export function addDestinationFlows(scope: Construct, props: DestinationFlowsProps): AppflowFlow[] {
  if (Token.isUnresolved(props.flows)) {
    const iterator = TerraformIterator.fromMap(
      Token.asAnyMap(`\${{ for flow in ${expressionOf(props.flows)} : flow.name => flow }}`),
    );
    return [addDestinationFlow(scope, 'destination_flows', valuesOfIterator(iterator), props, iterator)];
  }
  return props.flows.map((spec) =>
    addDestinationFlow(scope, `destination-flow-${spec.name}`, valuesOfSpec(spec), props, undefined),
  );
}

function addDestinationFlow(
  scope: Construct,
  id: string,
  flow: DestinationFlowValues,
  props: DestinationFlowsProps,
  forEach: TerraformIterator | undefined,
): AppflowFlow {
  return new AppflowFlow(scope, id, {
    forEach,
    name: flow.name,
    description: flow.description,
    sourceFlowConfig: {
      connectorType: 'S3',
      sourceConnectorProperties: {
        s3: {
          bucketName: flow.sourceBucketName,
          bucketPrefix: flow.sourceBucketPrefix,
          s3InputFormatConfig: { s3InputFileType: flow.fileType },
        },
      },
    },
    destinationFlowConfig: [
      {
        connectorType: 'CustomConnector',
        connectorProfileName: props.profileName,
        apiVersion: CONNECTOR_API_VERSION,
        destinationConnectorProperties: {
          customConnector: {
            entityName: flow.entityName,
            writeOperationType: flow.writeOperation,
            idFieldNames: flow.idFieldNames,
            // AppFlow writes the records the database refused to this bucket (and goes on, unless told to stop).
            errorHandlingConfig: {
              bucketName: flow.errorBucketName,
              bucketPrefix: flow.errorBucketPrefix,
              failOnFirstDestinationError: flow.failOnFirstError,
            },
          },
        },
      },
    ],
    // Every field of the files goes to the column of the same name.
    task: [
      {
        taskType: 'Map_all',
        sourceFields: [],
        connectorOperator: [{ s3: 'NO_OP' }],
        taskProperties: { EXCLUDE_SOURCE_FIELDS_LIST: '[]' },
      },
    ],
    triggerConfig: { triggerType: 'OnDemand' },
    tags: props.tags,
    dependsOn: props.dependsOn,
  });
}
