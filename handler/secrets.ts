/**
 * Database credentials from the Secrets Manager secret AppFlow created for the connection profile.
 * BasicAuth secrets hold `{"username": "...", "password": "..."}`; IAM (CustomAuth) secrets only the user name. The AWS SDK v3 client uses its standard
 * configuration, so `AWS_ENDPOINT_URL_SECRETS_MANAGER` and the default credential chain work.
 *
 * Secrets are cached per ARN for a short time (warm invocations skip the call) and dropped at once when the
 * database rejects them, so a rotated password is picked up on the next attempt.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConnectorError, InvalidArgumentError, ResourceNotFoundError } from './errors';
import { loadSecretsManager } from './lazyModules';
import { LIMITS } from './protocol/constants';

/** What a connection logs in with: a password, or an IAM token sent in clear text over TLS. */
export interface DatabaseCredentials {
  readonly username: string;
  readonly password: string;
  /** True for IAM tokens: the server asks for them with the mysql_clear_password plugin (over TLS only). */
  readonly cleartext?: boolean;
}

/** What the secret holds: a user and password (BasicAuth), or only a user for IAM database authentication. */
export type StoredCredentials =
  | { readonly kind: 'password'; readonly username: string; readonly password: string }
  | { readonly kind: 'iam'; readonly username: string };

/** The custom authentication type this connector declares for IAM database authentication. */
export const IAM_AUTHENTICATION_TYPE = 'IAM';

export interface SecretSource {
  get(secretArn: string): Promise<StoredCredentials>;
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

/**
 * BasicAuth secrets hold {"username", "password"}; CustomAuth secrets hold {"customAuthenticationType": "IAM",
 * "username"} (AppFlow flattens the profile's credentials map into the secret).
 */
function parseSecret(secretString: string | undefined, secretArn: string): StoredCredentials {
  const secretName = secretArn.split(':secret:')[1] ?? 'the secret';
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString ?? '');
  } catch {
    // Never include the secret text in the message.
    throw new ConnectorError('InvalidCredentials', `secret ${secretName} is not a JSON object`);
  }
  const record = parsed as { username?: unknown; password?: unknown; customAuthenticationType?: unknown } | null;
  if (!record || typeof record !== 'object' || typeof record.username !== 'string' || record.username === '') {
    throw new ConnectorError('InvalidCredentials', `secret ${secretName} must hold a string "username"`);
  }
  if (record.customAuthenticationType !== undefined) {
    if (record.customAuthenticationType !== IAM_AUTHENTICATION_TYPE) {
      const given = JSON.stringify(String(record.customAuthenticationType).slice(0, 32));
      throw new ConnectorError(
        'InvalidCredentials',
        `secret ${secretName} uses custom authentication type ${given}; this connector supports ${IAM_AUTHENTICATION_TYPE}`,
      );
    }
    return { kind: 'iam', username: record.username };
  }
  if (typeof record.password !== 'string') {
    throw new ConnectorError(
      'InvalidCredentials',
      `secret ${secretName} must hold string "username" and "password" keys`,
    );
  }
  return { kind: 'password', username: record.username, password: record.password };
}

export class SecretsManagerSource implements SecretSource {
  private readonly clients = new Map<string, SecretsManagerClient>();
  private readonly cache = new Map<string, { credentials: StoredCredentials; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number = LIMITS.secretTtlMs,
    private readonly now: () => number = Date.now,
  ) {}

  private async client(region: string | undefined): Promise<SecretsManagerClient> {
    const key = region ?? '';
    let client = this.clients.get(key);
    if (!client) {
      const { SecretsManagerClient } = await loadSecretsManager();
      // The SDK sets no network timeouts of its own: a Lambda in a VPC without a route to Secrets Manager would
      // hang until the Lambda itself times out, instead of answering ServiceUnavailable within AppFlow's budget.
      const options = { maxAttempts: 2, requestHandler: { connectionTimeout: 2_000, requestTimeout: 3_000 } };
      client = new SecretsManagerClient(region ? { ...options, region } : options);
      this.clients.set(key, client);
    }
    return client;
  }

  async get(secretArn: string): Promise<StoredCredentials> {
    if (secretArn.trim() === '') throw new InvalidArgumentError('credentials.secretArn is empty');
    const cached = this.cache.get(secretArn);
    if (cached && cached.expiresAt > this.now()) return cached.credentials;
    let secretString: string | undefined;
    try {
      const client = await this.client(regionOf(secretArn));
      const { GetSecretValueCommand } = await loadSecretsManager();
      const output = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
      secretString = output.SecretString;
    } catch (error) {
      throw classifySecretsManagerError(error, secretArn);
    }
    const credentials = parseSecret(secretString, secretArn);
    this.cache.set(secretArn, { credentials, expiresAt: this.now() + this.ttlMs });
    return credentials;
  }

  invalidate(secretArn: string): void {
    this.cache.delete(secretArn);
  }
}
