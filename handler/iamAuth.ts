/**
 * IAM database authentication (Amazon RDS and Aurora MySQL/MariaDB): instead of a password, the connector signs a
 * short-lived token with the Lambda role's credentials (@aws-sdk/rds-signer, SigV4, no network call) and sends it
 * over TLS with the mysql_clear_password plugin. The role needs `rds-db:connect` on the database user.
 *
 * Tokens live 15 minutes; a cached token is reused for 10 and dropped at once if the database rejects it.
 */
import { ConnectorError, InvalidArgumentError } from './errors';
import { loadRdsSigner } from './lazyModules';
import { registerSensitive } from './redaction';

/** Tokens are valid for 15 minutes; reuse one for at most 10 so a connection never starts with a dying token. */
export const IAM_TOKEN_REUSE_MS = 10 * 60_000;

export interface IamTokenRequest {
  readonly host: string;
  readonly port: number;
  readonly username: string;
}

export interface IamTokenSource {
  get(request: IamTokenRequest): Promise<string>;
  invalidate(request: IamTokenRequest): void;
}

function cacheKey(request: IamTokenRequest): string {
  return `${request.host}\u0000${request.port}\u0000${request.username}`;
}

export class RdsIamTokenSource implements IamTokenSource {
  private readonly cache = new Map<string, { token: string; expiresAt: number }>();

  constructor(
    private readonly region: () => string | undefined = () => process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION,
    private readonly now: () => number = Date.now,
  ) {}

  async get(request: IamTokenRequest): Promise<string> {
    const key = cacheKey(request);
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > this.now()) return cached.token;
    const region = this.region();
    if (!region) throw new InvalidArgumentError('IAM authentication needs the AWS region (AWS_REGION) of the database');
    const { Signer } = await loadRdsSigner();
    const signer = new Signer({ hostname: request.host, port: request.port, username: request.username, region });
    let token: string;
    try {
      token = await signer.getAuthToken();
    } catch (error) {
      throw new ConnectorError(
        'AccessDenied',
        'could not sign an IAM database token: the Lambda has no usable AWS credentials',
        {
          cause: error,
        },
      );
    }
    registerSensitive(token);
    // The signature authenticates on its own (for 15 minutes): also redacted where the token appears in pieces
    // (URL-encoded, split by a driver's message).
    const signature = /X-Amz-Signature=([0-9a-f]+)/.exec(token)?.[1];
    if (signature) registerSensitive(signature);
    this.cache.set(key, { token, expiresAt: this.now() + IAM_TOKEN_REUSE_MS });
    return token;
  }

  invalidate(request: IamTokenRequest): void {
    this.cache.delete(cacheKey(request));
  }
}
