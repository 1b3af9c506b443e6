/** Protocol facts and the connector's own limits, each with the reason it has this value. */
export const LIMITS = {
  /**
   * Lambda's synchronous response limit is 6 MB. Records are JSON strings inside JSON, so the runtime escapes them
   * once more; pages stop adding records when the serialized response would pass this budget.
   */
  responseBudgetBytes: 5_500_000,
  /** AppFlow's default page size when `maxResults` / `maxResult` is absent (both SDKs' MAX_RESULT_SIZE). */
  defaultPageSize: 1000,
  /** Rows fetched per SQL round trip while filling a page: bounds memory however large `maxResults` is. */
  fetchChunkRows: 1000,
  /** QueryData and WriteData must answer within 30 s (SDK restrictions), everything else within 10 s. */
  dataOperationBudgetMs: 30_000,
  metadataOperationBudgetMs: 10_000,
  /** Time kept back from the budget for serializing the answer and the network. */
  safetyMarginMs: 3_000,
  /** A page stops fetching more chunks once this share of its time budget is used. */
  pageTimeShare: 0.6,
  /** Connect timeout: ValidateCredentials must answer in 10 s even when the host does not answer. */
  connectTimeoutMs: 5_000,
  /** How long a secret read from Secrets Manager is reused (refreshed at once on an authentication failure). */
  secretTtlMs: 5 * 60_000,
  /** How long table metadata (columns, keys) is reused between pages of one flow. */
  tableMetadataTtlMs: 30_000,
  /** AppFlow caches ListEntities/DescribeEntity answers; 600 s is its documented minimum. */
  metadataCacheSeconds: 600,
  /** RetrieveData: ids per request. */
  maxRetrieveIds: 1000,
  /** Writes per statement for multi-row INSERT: keeps placeholders under MySQL's 65,535 limit for wide tables. */
  maxPlaceholdersPerStatement: 60_000,
  /** nextToken size cap (AppFlow's own APIs cap tokens at 2048 chars). */
  maxTokenLength: 2048,
  /** How long to ask AppFlow to wait before retrying when the database is unreachable or saturated. */
  retryAfterSeconds: 30,
} as const;

/** The API version this connector declares; AppFlow echoes it as `connectorContext.apiVersion`. */
export const API_VERSION = 'v1';
