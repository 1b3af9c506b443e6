import type { ErrorCode } from './protocol/codecs';

/**
 * Every expected failure of the connector is a ConnectorError carrying the AppFlow ErrorCode it maps to.
 * Operations throw these; a database failure becomes one (a named subclass below, the driver's error as `cause`)
 * where it leaves its engine (`Engine.errors.classify`, called by databaseAccess.ts); the entry point turns them into
 * `{ isSuccess: false, errorDetails }` in one place (`toErrorDetails` in ./errorMapping.ts). Anything else that
 * escapes an operation is a bug and answers UnknownError.
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

/** The database refused the login (user name, password or IAM token). */
export class InvalidCredentialsError extends ConnectorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('InvalidCredentials', message, options);
    this.name = 'InvalidCredentialsError';
  }
}

/** The database user lacks a privilege the request needs. */
export class AccessDeniedError extends ConnectorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('AccessDenied', message, options);
    this.name = 'AccessDeniedError';
  }
}

/** The database did not answer in time (statement timeout, lock wait, deadlock): worth retrying later. */
export class RequestTimeoutError extends ConnectorError {
  constructor(message: string, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super('RequestTimeout', message, options);
    this.name = 'RequestTimeoutError';
  }
}

/** The database cannot be reached or is shutting down: worth retrying later. */
export class ServiceUnavailableError extends ConnectorError {
  constructor(message: string, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super('ServiceUnavailable', message, options);
    this.name = 'ServiceUnavailableError';
  }
}

/** The database has no free connections for this user or server: worth retrying later. */
export class RateLimitExceededError extends ConnectorError {
  constructor(message: string, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super('RateLimitExceeded', message, options);
    this.name = 'RateLimitExceededError';
  }
}

/** The connection cannot be set up as configured (TLS) or the server refused a statement for its content. */
export class DatabaseClientError extends ConnectorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ClientError', message, options);
    this.name = 'DatabaseClientError';
  }
}

/** The server failed a statement for a reason of its own. */
export class DatabaseServerError extends ConnectorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ServerError', message, options);
    this.name = 'DatabaseServerError';
  }
}

/**
 * A COMMIT whose outcome is not known: the connection broke (or the server went away) while it ran, so the
 * transaction may or may not have been committed. Thrown by `Database.transaction` (and by a statement's own
 * transaction) with the driver's error as `cause`; the engines classify it by that cause (`classifiedBy`). WriteData
 * reports its records "not confirmed", never "not written".
 */
export class CommitOutcomeUnknownError extends Error {
  constructor(cause: unknown) {
    super('the connection failed while the transaction committed', { cause });
    this.name = 'CommitOutcomeUnknownError';
  }

  /** As a ConnectorError: the code (and retry hint) `classify` gives its cause, the message saying so. */
  classifiedBy(classify: (error: unknown) => ConnectorError): ConnectorError {
    const cause = classify(this.cause);
    return new ConnectorError(cause.code, `the outcome of COMMIT is unknown: ${cause.message}`, {
      cause: this,
      ...(cause.retryAfterSeconds === null ? {} : { retryAfterSeconds: cause.retryAfterSeconds }),
    });
  }
}

/**
 * The database rolled the work back because of other sessions (a deadlock, a serialization failure), after the
 * connector had retried it as often as its time allowed: nothing of it was written, and it is worth running again.
 */
export class TransactionConflictError extends ConnectorError {
  constructor(message: string, options: { cause?: unknown; retryAfterSeconds: number }) {
    super('ServiceUnavailable', message, options);
    this.name = 'TransactionConflictError';
  }
}
