/**
 * The time an operation may use. AppFlow gives data calls 30 s and the rest 10 s; the Lambda may have less left.
 * Operations ask the deadline for statement timeouts and whether to start another round trip.
 */
import { LIMITS } from './protocol/constants';

export interface LambdaContextLike {
  getRemainingTimeInMillis?: () => number;
  awsRequestId?: string;
}

export interface Deadline {
  /** Milliseconds left before the answer must be on its way. */
  remainingMs(): number;
  /** A timeout for the next statement: what is left, at least 1 ms. */
  statementTimeoutMs(): number;
  /** True once `share` of the budget is used: time to finish the page instead of fetching more. */
  isPastShare(share: number): boolean;
}

/** `budgetMs`: AppFlow's limit for the request type (requestTypes.ts); the Lambda's remaining time can cut it. */
export function createDeadline(
  budgetMs: number,
  context: LambdaContextLike | undefined,
  now: () => number = Date.now,
): Deadline {
  const start = now();
  const lambdaRemaining =
    typeof context?.getRemainingTimeInMillis === 'function'
      ? context.getRemainingTimeInMillis()
      : Number.POSITIVE_INFINITY;
  const usable = Math.max(500, Math.min(budgetMs, lambdaRemaining) - LIMITS.safetyMarginMs);
  const end = start + usable;
  return {
    remainingMs: () => end - now(),
    statementTimeoutMs: () => Math.max(1, end - now()),
    isPastShare: (share) => now() - start >= usable * share,
  };
}

/** `promise`'s value, or 'timed out' when it has not settled within `ms` (the promise itself is not stopped). */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timed out'> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timed out'>((resolve) => {
    timer = setTimeout(() => resolve('timed out'), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
