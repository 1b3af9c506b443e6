/**
 * Decodes an AppFlow event, runs the operation its `type` names and answers with a plain response object.
 *
 * - An unknown or missing `type` fails the invocation (throws), as both official SDKs do: there is no response
 *   shape to answer with.
 * - A known type with a malformed body is answered with `isSuccess: false`, `InvalidArgument`, naming the property.
 * - Every failure of an operation is mapped to an AppFlow error code in one place (errorMapping.ts).
 * - Responses never carry a `type` property; `isSuccess` and `errorDetails` are always present.
 */
import { isLeft } from 'fp-ts/Either';
import { createDeadline, type LambdaContextLike } from './deadline';
import { describeDecodeErrors } from './decodeErrors';
import type { Dependencies, OperationContext } from './dependencies';
import { toErrorDetails } from './errorMapping';
import { InvalidArgumentError } from './errors';
import { describeConnectorConfiguration } from './operations/describeConnectorConfiguration';
import { describeEntity } from './operations/describeEntity';
import { listEntities } from './operations/listEntities';
import { queryData } from './operations/queryData';
import { retrieveData } from './operations/retrieveData';
import { validateConnectorRuntimeSettings } from './operations/validateConnectorRuntimeSettings';
import { validateCredentials } from './operations/validateCredentials';
import { writeData } from './operations/writeData';
import { type ErrorDetails, RequestCodecs, type RequestType } from './protocol/codecs';
import { redact } from './redaction';

type Operation = (request: never, context: OperationContext) => Promise<object>;

const OPERATIONS: Record<RequestType, Operation> = {
  ValidateConnectorRuntimeSettingsRequest: validateConnectorRuntimeSettings,
  ValidateCredentialsRequest: validateCredentials,
  DescribeConnectorConfigurationRequest: describeConnectorConfiguration,
  ListEntitiesRequest: listEntities,
  DescribeEntityRequest: describeEntity,
  QueryDataRequest: queryData,
  RetrieveDataRequest: retrieveData,
  WriteDataRequest: writeData,
};

/** The operation-specific properties of a failed response, all null. */
const FAILURE_FIELDS: Record<Exclude<RequestType, 'DescribeConnectorConfigurationRequest'>, Record<string, null>> = {
  ValidateConnectorRuntimeSettingsRequest: { errorsByInputField: null },
  ValidateCredentialsRequest: {},
  ListEntitiesRequest: { entities: null, nextToken: null, cacheControl: null },
  DescribeEntityRequest: { entityDefinition: null, cacheControl: null },
  QueryDataRequest: { records: null, nextToken: null },
  RetrieveDataRequest: { records: null },
  WriteDataRequest: { writeRecordResults: null },
};

export class UnsupportedRequestTypeError extends Error {
  constructor(type: unknown) {
    // The Lambda runtime logs a thrown error's message, so it gets the same redaction as our own log lines.
    const shown = typeof type === 'string' ? JSON.stringify(redact(type).slice(0, 80)) : 'missing';
    super(`unsupported AppFlow request type: ${shown}; expected one of ${Object.keys(RequestCodecs).join(', ')}`);
    this.name = 'UnsupportedRequestTypeError';
  }
}

function isRequestType(value: unknown): value is RequestType {
  return typeof value === 'string' && Object.hasOwn(RequestCodecs, value);
}

async function failureResponse(type: RequestType, errorDetails: ErrorDetails): Promise<object> {
  if (type === 'DescribeConnectorConfigurationRequest') {
    // The configuration's required properties must be present even in a failure.
    return { ...(await describeConnectorConfiguration({})), isSuccess: false, errorDetails };
  }
  return { isSuccess: false, errorDetails, ...FAILURE_FIELDS[type] };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value.slice(0, 256) : undefined;
}

export async function dispatch(
  event: unknown,
  lambdaContext: LambdaContextLike | undefined,
  dependencies: Dependencies,
) {
  const type = event !== null && typeof event === 'object' ? (event as { type?: unknown }).type : undefined;
  if (!isRequestType(type)) {
    dependencies.logger.error('unsupported request type', { requestType: text(type) ?? null });
    throw new UnsupportedRequestTypeError(type);
  }
  const started = Date.now();
  const connectorContext = (event as { connectorContext?: { flowName?: unknown; executionId?: unknown } })
    .connectorContext;
  const logger = dependencies.logger.child({
    requestType: type,
    flowName: text(connectorContext?.flowName),
    executionId: text(connectorContext?.executionId),
    awsRequestId: lambdaContext?.awsRequestId,
  });
  let response: object;
  const decoded = RequestCodecs[type].decode(event);
  if (isLeft(decoded)) {
    response = await failureResponse(
      type,
      toErrorDetails(new InvalidArgumentError(describeDecodeErrors(type, decoded.left))),
    );
  } else {
    const context: OperationContext = { ...dependencies, logger, deadline: createDeadline(type, lambdaContext) };
    try {
      response = await OPERATIONS[type](decoded.right as never, context);
    } catch (error) {
      response = await failureResponse(type, toErrorDetails(error));
    }
  }
  const { isSuccess, errorDetails } = response as { isSuccess: boolean; errorDetails: ErrorDetails | null };
  logger.info('request finished', {
    durationMs: Date.now() - started,
    isSuccess,
    errorCode: errorDetails?.errorCode ?? null,
    errorMessage: errorDetails?.errorMessage ?? null,
  });
  return response;
}
