/** Facts the runner checks the connector against and its own defaults, each with the reason it has this value. */

/** Lambda's synchronous invocation limit: 6 MB for the request and for the response (6 × 1024 × 1024 bytes). */
export const LAMBDA_PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;

/** WriteData batches stop growing at this request size, leaving room for the envelope under the 6 MB limit. */
export const WRITE_REQUEST_BUDGET_BYTES = 5_500_000;

/** AppFlow records a connector error when QueryData/WriteData/RetrieveData take over 30 s, anything else 10 s. */
export const DATA_OPERATION_LIMIT_MS = 30_000;
export const OTHER_OPERATION_LIMIT_MS = 10_000;

/** What the runner tells an in-process bundle it has left, like a Lambda function configured with a 30 s timeout. */
export const LOCAL_FUNCTION_TIMEOUT_MS = 30_000;

/** AppFlow's page size when a flow does not set one (both SDKs' MAX_RESULT_SIZE). */
export const DEFAULT_PAGE_SIZE = 1000;

/** Records per WriteData request unless --batch-size says otherwise. */
export const DEFAULT_BATCH_SIZE = 500;

/** The filter DSL's LIMIT takes POS_INTEGER, which needs at least two digits: LIMIT 5 is a syntax error. */
export const MIN_DSL_LIMIT = 10;

/** AppFlow's first incremental run looks back 30 days unless the user sets another start. */
export const DEFAULT_INCREMENTAL_LOOKBACK_DAYS = 30;

/** The API version the connector declares and the runner sends as `connectorContext.apiVersion`. */
export const API_VERSION = 'v1';

/** The secret ARN the runner serves locally (AppFlow names its secrets `appflow!<account>-...`). */
export const LOCAL_SECRET_ARN =
  'arn:aws:secretsmanager:us-east-1:123456789012:secret:appflow!123456789012-local-runner-Ab12Cd';

/** Flow and profile names sent in `connectorContext`, for the connector's log correlation. */
export const FLOW_NAME = 'local-runner';
export const PROFILE_LABEL = 'local-runner-profile';
export const CONNECTOR_LABEL = 'MySqlConnector';

/** Exit statuses (documented in --help). */
export const EXIT = {
  /** The flow ran end to end and every response honoured the contract. */
  ok: 0,
  /** An operation failed, a record failed to write, or the target could not be reached. */
  failed: 1,
  /** The command line was wrong. */
  usage: 2,
  /** A response broke the protocol contract. */
  contract: 3,
} as const;
