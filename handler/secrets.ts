/**
 * Database credentials from the Secrets Manager secret AppFlow created for the connection profile.
 * BasicAuth secrets hold `{"username": "...", "password": "..."}`; IAM (CustomAuth) secrets only the user name. The AWS SDK v3 client uses its standard
 * configuration, so `AWS_ENDPOINT_URL_SECRETS_MANAGER` and the default credential chain work.
 *
 * Secrets are cached per ARN for a short time (warm invocations skip the call) and dropped at once when the
 * database rejects them, so a rotated password is picked up on the next attempt.
 *
 * AppFlow calls ValidateCredentials right after it created the profile's secret, when Secrets Manager can still
 * answer ResourceNotFoundException for a moment: a secret that is not found is asked for again, with backoff, while
 * the request's deadline leaves time for the database work after it.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Deadline } from './deadline';
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

/** What the request says about the secret it names. */
export interface SecretRequest {
  /**
   * `credentials.authenticationType` of the event. CustomAuth is IAM database authentication (the only custom
   * type this connector declares), BasicAuth a user and password; absent, the secret's own keys decide.
   */
  readonly authenticationType?: string | null;
  /** When given, a secret that is not found yet is asked for again while this deadline leaves time. */
  readonly deadline?: Deadline;
}

/** Waits before the next GetSecretValue of a secret that was not found: doubling from 200 ms. */
export const NOT_FOUND_RETRY_DELAYS_MS = [200, 400, 800, 1_600, 3_200] as const;
/** Time a retry leaves for connecting and querying afterwards. */
export const NOT_FOUND_RETRY_RESERVE_MS = 2_000;

export interface SecretSource {
  get(secretArn: string, request?: SecretRequest): Promise<StoredCredentials>;
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

/** Which credentials the secret must hold. */
type Expected = 'password' | 'iam' | 'either';

function expectedFrom(authenticationType: string | null | undefined): Expected {
  if (authenticationType === 'CustomAuth') return 'iam';
  if (authenticationType === 'BasicAuth') return 'password';
  return 'either';
}

/**
 * BasicAuth secrets hold {"username", "password"}. For CustomAuth AppFlow flattens the profile's credentials map
 * into the secret; whether it adds "customAuthenticationType" is not documented, so both {"username"} and
 * {"customAuthenticationType": "IAM", "username"} are read as IAM. The event's authentication type decides; without
 * one, a customAuthenticationType key means IAM.
 */
function parseSecret(secretString: string | undefined, secretArn: string, expected: Expected): StoredCredentials {
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
  const customType = record.customAuthenticationType;
  if (expected === 'iam' || (expected === 'either' && customType !== undefined)) {
    if (customType !== undefined && customType !== IAM_AUTHENTICATION_TYPE) {
      const given = JSON.stringify(String(customType).slice(0, 32));
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

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isNotFound(error: unknown): boolean {
  return (error as { name?: string }).name === 'ResourceNotFoundException';
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

  async get(secretArn: string, request: SecretRequest = {}): Promise<StoredCredentials> {
    if (secretArn.trim() === '') throw new InvalidArgumentError('credentials.secretArn is empty');
    const expected = expectedFrom(request.authenticationType);
    const key = `${expected}\u0000${secretArn}`;
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > this.now()) return cached.credentials;
    const secretString = await this.fetch(secretArn, request.deadline);
    const credentials = parseSecret(secretString, secretArn, expected);
    this.cache.set(key, { credentials, expiresAt: this.now() + this.ttlMs });
    return credentials;
  }

  /** GetSecretValue, asked again after ResourceNotFoundException while the deadline leaves time. */
  private async fetch(secretArn: string, deadline: Deadline | undefined): Promise<string | undefined> {
    const client = await this.client(regionOf(secretArn));
    const { GetSecretValueCommand } = await loadSecretsManager();
    for (let attempt = 0; ; attempt++) {
      try {
        const output = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
        return output.SecretString;
      } catch (error) {
        const delay = Math.min(
          NOT_FOUND_RETRY_DELAYS_MS[attempt] ?? 0,
          (deadline?.remainingMs() ?? 0) - NOT_FOUND_RETRY_RESERVE_MS,
        );
        if (!isNotFound(error) || deadline === undefined || delay <= 0) {
          throw classifySecretsManagerError(error, secretArn);
        }
        await sleep(delay);
      }
    }
  }

  invalidate(secretArn: string): void {
    for (const key of this.cache.keys()) if (key.endsWith(`\u0000${secretArn}`)) this.cache.delete(key);
  }
}
