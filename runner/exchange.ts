/**
 * One exchange with the connector as the flow needs it: send the request, record its metrics, check the answer
 * against the contract, and turn a function error, an unusable answer or `isSuccess: false` into an error that stops
 * the flow. Also the state the flow shares with the summary.
 */
import type { EntityDefinition, RequestType, WriteOperationType } from '../handler/protocol/codecs';
import { type ContractReport, checkResponse, operationName, type ResponseOf, type Violation } from './contract';
import { ContractBrokenError, OperationFailedError } from './errors';
import type { ConnectionProfile } from './events';
import { hintFor, type TargetKind } from './hints';
import type { Metrics } from './metrics';
import type { RowOutput } from './output';
import type { Progress } from './progress';
import { describeFunctionError, type Transport } from './transport/types';

/** What the flow found out, for the summary (filled in as it goes, so a failed run still reports its part). */
export interface FlowRecord {
  /** The --entity the flow was asked to read (null: list the entities). */
  requested: string | null;
  entities: string[] | null;
  source: string | null;
  filterExpression: string | null;
  destination: { table: string; operation: WriteOperationType } | null;
  preview: string[];
  /** The first few `recordId: message` of records that failed to write. */
  writeFailures: string[];
  /** With --describe: the entity's definition as DescribeEntity answered it. */
  described: EntityDefinition | null;
}

export function createFlowRecord(): FlowRecord {
  return {
    requested: null,
    entities: null,
    source: null,
    filterExpression: null,
    destination: null,
    preview: [],
    writeFailures: [],
    described: null,
  };
}

export interface FlowContext {
  readonly transport: Transport;
  readonly profile: ConnectionProfile;
  readonly output: RowOutput | null;
  readonly progress: Progress;
  readonly metrics: Metrics;
  readonly report: ContractReport;
  readonly record: FlowRecord;
  /** Which interface the user is in, so that hints name its flags and variables. */
  readonly targetKind: TargetKind;
}

/** Sends one request and returns its checked answer; throws when the flow cannot use it. */
export async function call<K extends RequestType>(
  context: FlowContext,
  type: K,
  event: object,
  explain: (response: ResponseOf<K>) => string = () => '',
): Promise<ResponseOf<K>> {
  const operation = operationName(type);
  const invocation = await context.transport.invoke(event);
  context.metrics.record(operation, invocation);
  if (invocation.functionError) {
    throw new OperationFailedError(
      operation,
      `the function failed with an ${invocation.functionError} error: ${describeFunctionError(invocation.payload)}`,
    );
  }
  const checked = checkResponse(type, invocation);
  context.report.add(...checked.violations);
  const response = checked.value;
  if (!response) throw new ContractBrokenError(operation);
  const code = response.errorDetails?.errorCode;
  if (!response.isSuccess && !(type === 'WriteDataRequest' && code === 'PartialWriteFailure')) {
    const details = response.errorDetails
      ? `${response.errorDetails.errorCode}: ${response.errorDetails.errorMessage}`
      : 'isSuccess is false (no errorDetails)';
    const extra = explain(response);
    const hint = code
      ? hintFor(context.targetKind, { code, message: response.errorDetails?.errorMessage ?? '', operation })
      : undefined;
    throw new OperationFailedError(operation, `${details}${extra ? ` (${extra})` : ''}${hint ? ` — ${hint}` : ''}`);
  }
  return response;
}

export function violation(operation: string, property: string, expected: string, got: string): Violation {
  return { operation, property, expected, got };
}
