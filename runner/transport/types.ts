/** How the runner reaches a connector: an in-process bundle or a deployed Lambda function, behind one interface. */

/** One synchronous invocation, as Lambda reports it. */
export interface Invocation {
  /** The response body parsed as JSON (for a function error: Lambda's `{errorType, errorMessage, ...}`). */
  readonly payload: unknown;
  /** Set when the body is not JSON at all: the raw text (the payload is then undefined). */
  readonly unparsedBody: string | null;
  /** Size of the serialized response: what counts against Lambda's 6 MB limit. */
  readonly bytes: number;
  /** Size of the serialized request event. */
  readonly requestBytes: number;
  /** Wall-clock time of the invocation. */
  readonly ms: number;
  /** Lambda's `X-Amz-Function-Error` (`Unhandled` for a thrown error), or null. */
  readonly functionError: string | null;
}

export interface Transport {
  /** One line saying what is invoked, e.g. `local bundle dist/lambda/index.js`. */
  readonly description: string;
  invoke(event: object): Promise<Invocation>;
  /** Releases what the transport holds (pooled connections of an in-process bundle). */
  close(): Promise<void>;
}

/** Lambda's body for a function error. */
export interface FunctionErrorBody {
  readonly errorType?: unknown;
  readonly errorMessage?: unknown;
}

/** `errorType: errorMessage` from a function-error body, whatever its shape. */
export function describeFunctionError(payload: unknown): string {
  const body = (payload ?? {}) as FunctionErrorBody;
  const type = typeof body.errorType === 'string' ? body.errorType : 'Error';
  const message = typeof body.errorMessage === 'string' ? body.errorMessage : JSON.stringify(payload ?? null);
  return `${type}: ${message.length > 500 ? message.slice(0, 500) + '…' : message}`;
}
