/**
 * A local Secrets Manager endpoint on loopback (for the tests and the local runner) that speaks the real AWS JSON 1.1 protocol for GetSecretValue.
 * The real AWS SDK client reaches it through the standard `AWS_ENDPOINT_URL_SECRETS_MANAGER` variable, so the
 * connector's production code path (client construction, request signing, error parsing) is what the tests run.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { registerTestSecret } from './secretRegistry';

export type SecretBehaviour =
  | { readonly kind: 'value'; readonly secretString: string }
  | { readonly kind: 'error'; readonly type: string; readonly message: string; readonly status?: number };

export interface SecretsEndpoint {
  readonly url: string;
  /** Serves `value` (an object is JSON-encoded) for this ARN from now on. */
  putSecret(arn: string, value: string | Record<string, string>): void;
  /** Answers GetSecretValue for this ARN with an AWS error, e.g. `AccessDeniedException`. */
  failSecret(arn: string, type: string, message: string, status?: number): void;
  /**
   * Answers the next `times` GetSecretValue calls for this ARN with ResourceNotFoundException, then as before: a
   * secret Secrets Manager does not show yet, right after AppFlow created it.
   */
  notFoundFor(arn: string, times: number): void;
  /** GetSecretValue calls received per ARN. */
  calls(arn: string): number;
  /** Points the AWS SDK at this endpoint (and gives it fake credentials and a region). */
  exportEnvironment(): void;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startSecretsEndpoint(): Promise<SecretsEndpoint> {
  const secrets = new Map<string, SecretBehaviour>();
  const callCounts = new Map<string, number>();
  const pendingNotFound = new Map<string, number>();
  const notFound = {
    __type: 'ResourceNotFoundException',
    message: "Secrets Manager can't find the specified secret.",
  };

  const server: Server = createServer(async (request, response) => {
    const body = await readBody(request);
    const reply = (status: number, payload: unknown) => {
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify(payload));
    };
    const target = request.headers['x-amz-target'];
    if (target !== 'secretsmanager.GetSecretValue') {
      reply(400, { __type: 'InvalidRequestException', message: `unsupported target ${String(target)}` });
      return;
    }
    if (!String(request.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256')) {
      reply(400, { __type: 'MissingAuthenticationTokenException', message: 'request is not signed' });
      return;
    }
    let secretId = '';
    try {
      secretId = String((JSON.parse(body) as { SecretId?: unknown }).SecretId ?? '');
    } catch {
      reply(400, { __type: 'SerializationException', message: 'bad JSON' });
      return;
    }
    callCounts.set(secretId, (callCounts.get(secretId) ?? 0) + 1);
    const behaviour = secrets.get(secretId);
    const stillHidden = pendingNotFound.get(secretId) ?? 0;
    if (stillHidden > 0) pendingNotFound.set(secretId, stillHidden - 1);
    if (!behaviour || stillHidden > 0) {
      reply(400, notFound);
      return;
    }
    if (behaviour.kind === 'error') {
      reply(behaviour.status ?? 400, { __type: behaviour.type, message: behaviour.message });
      return;
    }
    reply(200, {
      ARN: secretId,
      Name: secretId.split(':secret:')[1] ?? secretId,
      SecretString: behaviour.secretString,
      VersionId: '00000000-0000-0000-0000-000000000001',
      VersionStages: ['AWSCURRENT'],
      CreatedDate: 1_700_000_000,
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('secrets endpoint has no address');
  const url = `http://127.0.0.1:${address.port}`;

  return {
    url,
    putSecret(arn, value) {
      const secretString = typeof value === 'string' ? value : JSON.stringify(value);
      registerTestSecret(secretString);
      if (typeof value !== 'string' && value.password) registerTestSecret(value.password);
      secrets.set(arn, { kind: 'value', secretString: typeof value === 'string' ? value : JSON.stringify(value) });
    },
    failSecret(arn, type, message, status) {
      secrets.set(arn, { kind: 'error', type, message, ...(status === undefined ? {} : { status }) });
    },
    notFoundFor(arn, times) {
      pendingNotFound.set(arn, times);
    },
    calls(arn) {
      return callCounts.get(arn) ?? 0;
    },
    exportEnvironment() {
      process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = url;
      process.env.AWS_REGION = 'us-east-1';
      process.env.AWS_ACCESS_KEY_ID = 'AKIDTESTTESTTEST';
      process.env.AWS_SECRET_ACCESS_KEY = 'test-secret-access-key';
      process.env.AWS_EC2_METADATA_DISABLED = 'true';
      delete process.env.AWS_PROFILE;
      delete process.env.AWS_SESSION_TOKEN;
    },
    close() {
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
