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
import type * as t from 'io-ts';
import { createDeadline, type LambdaContextLike } from './deadline';
import { describeDecodeErrors } from './decodeErrors';
import type { Dependencies, OperationContext } from './dependencies';
import { toErrorDetails } from './errorMapping';
import { InvalidArgumentError } from './errors';
import { PhaseClock } from './phases';
import type { ErrorDetails, RequestType } from './protocol/codecs';
import { redact } from './redaction';
import { isRequestType, REQUEST_TYPES } from './requestTypes';

/** An entry of the table seen from code that handles every type alike: its operation takes what its codec decoded. */
type RequestHandlingOfAnyType = {
  readonly codec: t.Decoder<unknown, unknown>;
  readonly operation: (request: unknown, context: OperationContext) => Promise<object>;
  readonly budgetMs: number;
};

export class UnsupportedRequestTypeError extends Error {
  constructor(type: unknown) {
    // The Lambda runtime logs a thrown error's message, so it gets the same redaction as our own log lines.
    const shown = typeof type === 'string' ? JSON.stringify(redact(type).slice(0, 80)) : 'missing';
    super(`unsupported AppFlow request type: ${shown}; expected one of ${Object.keys(REQUEST_TYPES).join(', ')}`);
    this.name = 'UnsupportedRequestTypeError';
  }
}

/** The answer to a request that failed: `isSuccess` false, the error, and the type's own properties. */
async function failureResponse(type: RequestType, errorDetails: ErrorDetails): Promise<object> {
  const { failure } = REQUEST_TYPES[type];
  if ('answer' in failure) return { ...(await failure.answer()), isSuccess: false, errorDetails };
  return { isSuccess: false, errorDetails, ...failure.nullFields };
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
  const phases = new PhaseClock();
  const connectorContext = (event as { connectorContext?: { flowName?: unknown; executionId?: unknown } })
    .connectorContext;
  const logger = dependencies.logger.child({
    requestType: type,
    flowName: text(connectorContext?.flowName),
    executionId: text(connectorContext?.executionId),
    awsRequestId: lambdaContext?.awsRequestId,
  });
  let response: object;
  const handling = REQUEST_TYPES[type] as RequestHandlingOfAnyType;
  const decoded = handling.codec.decode(event);
  if (isLeft(decoded)) {
    response = await failureResponse(
      type,
      toErrorDetails(new InvalidArgumentError(describeDecodeErrors(type, decoded.left))),
    );
  } else {
    const context: OperationContext = {
      ...dependencies,
      logger,
      deadline: createDeadline(handling.budgetMs, lambdaContext),
      phases,
    };
    try {
      response = await handling.operation(decoded.right, context);
    } catch (error) {
      response = await failureResponse(type, toErrorDetails(error));
    }
  }
  const { isSuccess, errorDetails } = response as { isSuccess: boolean; errorDetails: ErrorDetails | null };
  logger.info('request finished', {
    durationMs: Date.now() - started,
    ...phases.fields(),
    isSuccess,
    errorCode: errorDetails?.errorCode ?? null,
    errorMessage: errorDetails?.errorMessage ?? null,
  });
  return response;
}
