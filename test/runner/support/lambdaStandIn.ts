/**
 * A loopback stand-in for the Lambda Invoke API, reached by the real AWS SDK through AWS_ENDPOINT_URL_LAMBDA:
 * `POST /2015-03-31/functions/{name}/invocations` runs the bundle registered under that name in this process and
 * answers like Lambda — the handler's JSON with 200; for a thrown error 200 with `X-Amz-Function-Error: Unhandled`
 * and `{errorType, errorMessage, trace}`; for an unknown function 404 ResourceNotFoundException; for an answer over
 * 6 MB the function error Lambda gives (`Function.ResponseSizeTooLarge`).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

const PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;
const ACCOUNT = '123456789012';

interface Bundle {
  handler(event: unknown, context: unknown): Promise<unknown>;
}

export interface LambdaStandIn {
  readonly url: string;
  /** Invocations received per function name, including unknown names. */
  invocations(name: string): number;
  /** The `type` of every event received by a function, in order. */
  eventTypes(name: string): string[];
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': 'stand-in', ...headers });
  response.end(body);
}

function awsError(response: ServerResponse, status: number, type: string, message: string) {
  send(response, status, JSON.stringify({ Type: 'User', message }), { 'x-amzn-errortype': type });
}

/** `name`, `name:qualifier`, `arn:aws:lambda:region:account:function:name[:qualifier]` → `name`. */
function functionNameOf(raw: string): string {
  const arn = /:function:([^:]+)/.exec(raw);
  if (arn) return arn[1]!;
  return raw.split(':')[0]!;
}

/** `functions` maps function names to bundle paths (loaded in this process on first use). */
export async function startLambdaStandIn(functions: Record<string, string>): Promise<LambdaStandIn> {
  const loaded = new Map<string, Bundle>();
  const counts = new Map<string, number>();
  const types = new Map<string, string[]>();

  const server = createServer(async (request, response) => {
    const body = await readBody(request);
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(path);
    if (request.method !== 'POST' || !match) {
      awsError(response, 404, 'UnknownOperationException', `no such operation: ${request.method} ${path}`);
      return;
    }
    if (!String(request.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256')) {
      awsError(response, 403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
      return;
    }
    const name = functionNameOf(decodeURIComponent(match[1]!));
    counts.set(name, (counts.get(name) ?? 0) + 1);
    const bundlePath = functions[name];
    if (!bundlePath) {
      awsError(
        response,
        404,
        'ResourceNotFoundException',
        `Function not found: arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`,
      );
      return;
    }
    const invocationType = request.headers['x-amz-invocation-type'] ?? 'RequestResponse';
    if (invocationType !== 'RequestResponse') {
      awsError(
        response,
        400,
        'InvalidParameterValueException',
        `the stand-in answers RequestResponse only, not ${invocationType}`,
      );
      return;
    }
    let event: { type?: unknown };
    try {
      event = JSON.parse(body);
    } catch {
      awsError(response, 400, 'InvalidRequestContentException', 'Could not parse request body into json');
      return;
    }
    types.set(name, [...(types.get(name) ?? []), String(event?.type)]);
    let bundle = loaded.get(name);
    if (!bundle) {
      bundle = require(bundlePath) as Bundle;
      loaded.set(name, bundle);
    }
    const deadline = Date.now() + 30_000;
    const context = {
      awsRequestId: `stand-in-${counts.get(name)}`,
      functionName: name,
      getRemainingTimeInMillis: () => deadline - Date.now(),
    };
    const headers = { 'x-amz-executed-version': '$LATEST' };
    try {
      const answer = JSON.stringify(await bundle.handler(event, context)) ?? 'null';
      if (Buffer.byteLength(answer) > PAYLOAD_LIMIT_BYTES) {
        send(
          response,
          200,
          JSON.stringify({
            errorType: 'Function.ResponseSizeTooLarge',
            errorMessage: `Response payload size exceeded maximum allowed payload size (${PAYLOAD_LIMIT_BYTES} bytes).`,
          }),
          { ...headers, 'x-amz-function-error': 'Unhandled' },
        );
        return;
      }
      send(response, 200, answer, headers);
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      send(
        response,
        200,
        JSON.stringify({
          errorType: failure.name,
          errorMessage: failure.message,
          trace: (failure.stack ?? '').split('\n'),
        }),
        { ...headers, 'x-amz-function-error': 'Unhandled' },
      );
    }
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('the Lambda stand-in has no address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    invocations: (name) => counts.get(name) ?? 0,
    eventTypes: (name) => types.get(name) ?? [],
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
