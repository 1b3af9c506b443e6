/**
 * Database credentials from the Secrets Manager secret AppFlow created for the connection profile.
 * BasicAuth secrets hold `{"username": "...", "password": "..."}`. The AWS SDK v3 client uses its standard
 * configuration, so `AWS_ENDPOINT_URL_SECRETS_MANAGER` and the default credential chain work.
 *
 * Secrets are cached per ARN for a short time (warm invocations skip the call) and dropped at once when the
 * database rejects them, so a rotated password is picked up on the next attempt.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConnectorError, InvalidArgumentError, ResourceNotFoundError } from './errors';
import { LIMITS } from './protocol/constants';

export interface DatabaseCredentials {
  readonly username: string;
  readonly password: string;
}

export interface SecretSource {
  get(secretArn: string): Promise<DatabaseCredentials>;
  /** Forgets a cached secret (after the database rejected it). */
  invalidate(secretArn: string): void;
}

const ARN_PATTERN = /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):\d{12}:secret:.+$/;

function regionOf(secretArn: string): string | undefined {
  return ARN_PATTERN.exec(secretArn)?.[1];
}

function classifySecretsManagerError(error: unknown, secretArn: string): ConnectorError {
  const name = (error as { name?: string }).name ?? '';
  const secretName = secretArn.split(':secret:')[1] ?? 'the secret';
  switch (name) {
    case 'ResourceNotFoundException':
      return new ResourceNotFoundError(
        `secret ${secretName} was not found (it can take a minute to appear after the connection is created)`,
        { cause: error },
      );
    case 'AccessDeniedException':
    case 'AccessDenied':
    case 'UnrecognizedClientException':
      return new ConnectorError('AccessDenied', `the connector is not allowed to read secret ${secretName}`, {
        cause: error,
      });
    case 'DecryptionFailure':
      return new ConnectorError('AccessDenied', `secret ${secretName} cannot be decrypted with its KMS key`, {
        cause: error,
      });
    case 'ThrottlingException':
    case 'TooManyRequestsException':
      return new ConnectorError('RateLimitExceeded', 'Secrets Manager throttled the request', {
        cause: error,
        retryAfterSeconds: 5,
      });
    case 'InvalidRequestException':
    case 'InvalidParameterException':
      return new ConnectorError('ClientError', `secret ${secretName} cannot be read: ${(error as Error).message}`, {
        cause: error,
      });
    default:
      return new ConnectorError('ServiceUnavailable', 'Secrets Manager could not be reached', {
        cause: error,
        retryAfterSeconds: 5,
      });
  }
}

function parseBasicAuthSecret(secretString: string | undefined, secretArn: string): DatabaseCredentials {
  const secretName = secretArn.split(':secret:')[1] ?? 'the secret';
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString ?? '');
  } catch {
    // Never include the secret text in the message.
    throw new ConnectorError('InvalidCredentials', `secret ${secretName} is not a JSON object`);
  }
  const record = parsed as { username?: unknown; password?: unknown } | null;
  if (!record || typeof record.username !== 'string' || record.username === '' || typeof record.password !== 'string') {
    throw new ConnectorError(
      'InvalidCredentials',
      `secret ${secretName} must hold string "username" and "password" keys`,
    );
  }
  return { username: record.username, password: record.password };
}

export class SecretsManagerSource implements SecretSource {
  private readonly clients = new Map<string, SecretsManagerClient>();
  private readonly cache = new Map<string, { credentials: DatabaseCredentials; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number = LIMITS.secretTtlMs,
    private readonly now: () => number = Date.now,
  ) {}

  private client(region: string | undefined): SecretsManagerClient {
    const key = region ?? '';
    let client = this.clients.get(key);
    if (!client) {
      client = new SecretsManagerClient(region ? { region, maxAttempts: 2 } : { maxAttempts: 2 });
      this.clients.set(key, client);
    }
    return client;
  }

  async get(secretArn: string): Promise<DatabaseCredentials> {
    if (secretArn.trim() === '') throw new InvalidArgumentError('credentials.secretArn is empty');
    const cached = this.cache.get(secretArn);
    if (cached && cached.expiresAt > this.now()) return cached.credentials;
    let secretString: string | undefined;
    try {
      const output = await this.client(regionOf(secretArn)).send(new GetSecretValueCommand({ SecretId: secretArn }));
      secretString = output.SecretString;
    } catch (error) {
      throw classifySecretsManagerError(error, secretArn);
    }
    const credentials = parseBasicAuthSecret(secretString, secretArn);
    this.cache.set(secretArn, { credentials, expiresAt: this.now() + this.ttlMs });
    return credentials;
  }

  invalidate(secretArn: string): void {
    this.cache.delete(secretArn);
  }
}
