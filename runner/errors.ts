/**
 * The runner's errors. Each is printed as one line (no stack trace unless --debug) and maps to an exit status.
 */
import { EXIT } from './constants';

/** Base class: a failure the runner explains in one line. */
export class RunnerError extends Error {
  readonly exitCode: number = EXIT.failed;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RunnerError';
  }
}

/** The command line is wrong: unknown flag, bad value, missing companion flag. */
export class UsageError extends RunnerError {
  override readonly exitCode: number = EXIT.usage;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The target cannot be used: bundle missing, MariaDB not installed, Lambda function not found, no AWS credentials. */
export class TargetError extends RunnerError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TargetError';
  }
}

/** An operation answered `isSuccess: false`, failed with a function error, or the flow cannot go on. */
export class OperationFailedError extends RunnerError {
  constructor(
    readonly operation: string,
    detail: string,
  ) {
    super(`${operation} failed: ${detail}`);
    this.name = 'OperationFailedError';
  }
}

/** A response broke the contract so badly that the flow cannot use it; the violations are reported separately. */
export class ContractBrokenError extends RunnerError {
  override readonly exitCode: number = EXIT.contract;
  constructor(readonly operation: string) {
    super(`${operation} answered with a response that breaks the protocol contract; the flow stopped there`);
    this.name = 'ContractBrokenError';
  }
}
