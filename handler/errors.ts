import type { ErrorCode } from './protocol/codecs';

/**
 * Every expected failure of the connector is a ConnectorError carrying the AppFlow ErrorCode it maps to.
 * Operations throw these; the entry point turns them into `{ isSuccess: false, errorDetails }` in one place
 * (see `toErrorDetails` in ./errorMapping.ts). Anything else that escapes an operation is a bug or an
 * unclassified driver error and is classified there too.
 *
 * Messages must be safe to show to a user: never a password, a secret string or a record value.
 */
export class ConnectorError extends Error {
  readonly code: ErrorCode;
  readonly retryAfterSeconds: number | null;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConnectorError';
    this.code = code;
    this.retryAfterSeconds = options?.retryAfterSeconds ?? null;
  }
}

/** Bad input from AppFlow or the user: malformed request, filter, token, record or unknown field. */
export class InvalidArgumentError extends ConnectorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('InvalidArgument', message, options);
    this.name = 'InvalidArgumentError';
  }
}

/** Something the request names does not exist: the secret, the table. */
export class ResourceNotFoundError extends ConnectorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ResourceNotFoundError', message, options);
    this.name = 'ResourceNotFoundError';
  }
}
