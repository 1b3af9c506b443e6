/**
 * The one place where failures become AppFlow error details. Operations throw ConnectorErrors for the failures they
 * understand; a driver or network error is classified by its engine (`Engine.errors.classify`) where it leaves the
 * database (handler/databaseAccess.ts), so what reaches this point is a ConnectorError, or a bug. Messages are
 * redacted and bounded.
 */
import { ConnectorError } from './errors';
import type { ErrorDetails } from './protocol/codecs';
import { redact } from './redaction';

const MAX_MESSAGE_LENGTH = 1000;

function bounded(message: string): string {
  const clean = redact(message);
  return clean.length > MAX_MESSAGE_LENGTH ? clean.slice(0, MAX_MESSAGE_LENGTH) + '…' : clean;
}

/** Anything that is not a ConnectorError by now is a bug (or an error no engine saw): UnknownError. */
function asConnectorError(error: unknown): ConnectorError {
  if (error instanceof ConnectorError) return error;
  const text = (error as { message?: string } | null)?.message ?? String(error);
  return new ConnectorError('UnknownError', `unexpected error: ${text}`, { cause: error });
}

export function toErrorDetails(error: unknown): ErrorDetails {
  const classified = asConnectorError(error);
  return {
    errorCode: classified.code,
    errorMessage: bounded(classified.message),
    retryAfterSeconds: classified.retryAfterSeconds,
  };
}
