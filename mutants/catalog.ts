/**
 * The planted defects of `npm run mutants` (issue 24): each one a small, realistic mistake someone could make in
 * handler/, and the test files that must catch it. A plant is an exact search string in one file (found exactly once,
 * or the run fails loudly: the code moved and the plant must be re-anchored) and its replacement.
 *
 * Keep anchors small and on lines that state the rule itself, so that unrelated edits around them do not move them.
 * `dependsOn` marks a plant whose catching test (or fix) is another piece of work: it may survive, or its anchor may
 * be gone, until that work is merged; the runner reports it as such instead of as a failure of the suite.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: plants are source text, template literals included
export interface Plant {
  /** Short kebab-case name, for --only and the table. */
  readonly name: string;
  /** What the defect does to a user, in one line. */
  readonly defect: string;
  /** The README promise or issue item the plant breaks. */
  readonly promise: string;
  /** Path from the repository root. */
  readonly file: string;
  readonly search: string;
  readonly replace: string;
  /** Test files (from the repository root) that must fail with the plant in place. */
  readonly tests: readonly string[];
  /** ava --match patterns that narrow the run (optional: all tests of the files otherwise). */
  readonly match?: readonly string[];
  /** Work that must be merged before this plant is expected to be killed. */
  readonly dependsOn?: string;
}

const TLS_IDENTITY = ['test/runtime/tlsIdentity.test.ts'];
const TLS_REQUIRED = ['test/runtime/tlsRequired.test.ts'];
const RETRIEVE_LIMITS = ['test/runtime/retrieveLimits.test.ts'];
const MYSQL_WRITES = ['test/runtime/writeData.test.ts', 'test/runtime/writeSemantics.test.ts'];

export const PLANTS: readonly Plant[] = [
  // --- The seven survivors of issue 24 ---------------------------------------------------------------------------
  {
    name: 'log-record-in-batch-stopped',
    defect: 'the "write batch stopped" log line carries the first record',
    promise: 'README Errors: logs never hold a record value',
    file: 'handler/operations/writeData.ts',
    search: "context.logger.warn('write batch stopped', { code: batchFailure.code });",
    replace: "context.logger.warn('write batch stopped', { code: batchFailure.code, firstRecord: texts[0] });",
    tests: ['test/runtime/writeLogScan.test.ts'],
  },
  {
    name: 'postgresql-host-name-check-off',
    defect: 'PostgreSQL VERIFY_IDENTITY accepts a trusted certificate issued to any name',
    promise: 'README tlsMode VERIFY_IDENTITY; issue 17 item 1',
    file: 'handler/engines/postgresql/connection.ts',
    search: 'tlsOptions(settings.tlsMode, false, { checkServerIdentity })',
    replace: 'tlsOptions(settings.tlsMode, false, { checkServerIdentity: () => undefined })',
    tests: TLS_IDENTITY,
  },
  {
    name: 'mysql-deadlock-not-retryable',
    defect: 'a MySQL deadlock is no longer a timeout: answered with a code AppFlow does not retry',
    promise: 'issue 17 item 7: every record ends written, or reported with a retryable code',
    file: 'handler/engines/mysql/errors.ts',
    // The classification (merged main): 1213 is no longer a transaction conflict, so neither retried nor answered
    // with the retryable ServiceUnavailable.
    search: 'const CONFLICT_ERRNOS = new Set([1213, 1614]);',
    replace: 'const CONFLICT_ERRNOS = new Set([1614]);',
    tests: ['test/runtime/deadlockOutcome.test.ts', 'test/runtime/writeConcurrency.test.ts'],
  },
  {
    name: 'postgresql-deadlock-not-retryable',
    defect: 'a PostgreSQL deadlock or serialization failure is answered ServerError, which AppFlow does not retry',
    promise: 'issue 17 item 7: every record ends written, or reported with a retryable code',
    file: 'handler/engines/postgresql/errors.ts',
    // The classification (merged main): neither state answers TransactionConflictError (ServiceUnavailable) any
    // more; both fall through to ServerError. Retries still happen (isTransactionConflict is untouched).
    search: "    if (state === '40001' || state === '40P01') {\n      return new TransactionConflictError(",
    replace: "    if (state === '') {\n      return new TransactionConflictError(",
    tests: ['test/runtime/deadlockOutcome.test.ts', 'test/engines/postgresql/writeTruth.test.ts'],
  },
  {
    name: 'postgresql-deadlock-outlasting-retries-not-retryable',
    defect:
      'a PostgreSQL deadlock (40P01) that outlasts the retries is answered ServerError, which AppFlow does not retry',
    promise: 'issue 17 item 7: every record ends written, or reported with a retryable code',
    file: 'handler/engines/postgresql/errors.ts',
    // 40P01 only: the serialization failure (40001) keeps its retryable answer.
    search: "    if (state === '40001' || state === '40P01') {\n      return new TransactionConflictError(",
    replace: "    if (state === '40001') {\n      return new TransactionConflictError(",
    tests: ['test/runtime/deadlockOutcome.test.ts', 'test/engines/postgresql/writeTruth.test.ts'],
  },
  {
    name: 'page-byte-budget-one-over',
    defect: 'a page may exceed the response byte budget by one byte',
    promise: 'README Reading: pages stay within the response size AppFlow accepts',
    file: 'handler/read/pages.ts',
    search: 'if (bytes.exact + size > PAGE_BUDGET_BYTES) return false;',
    replace: 'if (bytes.exact + size > PAGE_BUDGET_BYTES + 1) return false;',
    tests: ['test/runtime/pagingLimits.test.ts'],
    match: ['records weighing the byte budget*'],
  },
  {
    name: 'offset-paging-first-column-only',
    defect: 'keyless tables are paged in the order of their first column only: rows that tie are lost or repeated',
    promise: 'README Reading: every row exactly once',
    file: 'handler/read/pages.ts',
    search: 'const orderColumns = plan.table.columns.filter((column) => column.orderable);',
    replace: 'const orderColumns = plan.table.columns.filter((column) => column.orderable).slice(0, 1);',
    tests: ['test/runtime/pagingTies.test.ts'],
  },
  {
    name: 'retrieve-id-limit-raised',
    defect: 'RetrieveData takes 1,001 ids',
    promise: 'README Operations: RetrieveData takes at most 1,000 ids',
    file: 'handler/protocol/constants.ts',
    search: 'maxRetrieveIds: 1000,',
    replace: 'maxRetrieveIds: 1001,',
    tests: RETRIEVE_LIMITS,
  },
  {
    name: 'mysql-host-name-check-removed',
    defect: 'MySQL VERIFY_IDENTITY accepts a trusted certificate issued to any name',
    promise: 'README tlsMode VERIFY_IDENTITY; issue 17 item 1',
    file: 'handler/engines/mysql/connection.ts',
    search: 'tlsOptions(settings.tlsMode, undefined, { verifyIdentity: true })',
    replace: 'tlsOptions(settings.tlsMode, undefined, {})',
    tests: TLS_IDENTITY,
  },
  // --- One per README promise of issue 24 item 2 ------------------------------------------------------------------
  {
    name: 'mysql-ip-host-checked-as-localhost',
    defect: 'a MySQL server given by IP address is checked against "localhost" (mysql2 gives Node no name)',
    promise: 'README tlsMode VERIFY_IDENTITY for an IP host',
    file: 'handler/engines/mysql/ipHostSocket.ts',
    search: '  if (isIP(host) === 0) return;',
    replace: "  if (host !== '') return;",
    tests: TLS_IDENTITY,
  },
  {
    name: 'retrieve-limit-off-by-one',
    defect: 'RetrieveData refuses exactly 1,000 ids',
    promise: 'README Operations: RetrieveData takes at most 1,000 ids',
    file: 'handler/operations/retrieveData.ts',
    search: 'if (ids.length > LIMITS.maxRetrieveIds) {',
    replace: 'if (ids.length >= LIMITS.maxRetrieveIds) {',
    tests: RETRIEVE_LIMITS,
  },
  {
    name: 'describe-cache-hint-unit',
    defect: "DescribeEntity's cache hint says 600 minutes",
    promise: 'README Operations: DescribeEntity gives a 10-minute cache hint',
    file: 'handler/operations/describeEntity.ts',
    search: "cacheControl: { timeToLive: LIMITS.metadataCacheSeconds, timeToLiveUnit: 'SECONDS' },",
    replace: "cacheControl: { timeToLive: LIMITS.metadataCacheSeconds, timeToLiveUnit: 'MINUTES' },",
    tests: RETRIEVE_LIMITS,
  },
  {
    name: 'mysql-required-without-tls',
    defect: 'MySQL tlsMode REQUIRED connects without TLS',
    promise: 'README tlsMode REQUIRED: encrypted',
    file: 'handler/engines/mysql/connection.ts',
    // The options per tlsMode are shared (handler/engines/certificates.ts): this engine asks for those of DISABLED.
    search: 'tlsOptions(settings.tlsMode, undefined,',
    replace: "tlsOptions(settings.tlsMode === 'REQUIRED' ? 'DISABLED' : settings.tlsMode, undefined,",
    tests: TLS_REQUIRED,
  },
  {
    name: 'postgresql-required-without-tls',
    defect: 'PostgreSQL tlsMode REQUIRED connects without TLS',
    promise: 'README tlsMode REQUIRED: encrypted',
    file: 'handler/engines/postgresql/connection.ts',
    search: 'tlsOptions(settings.tlsMode, false,',
    replace: "tlsOptions(settings.tlsMode === 'REQUIRED' ? 'DISABLED' : settings.tlsMode, false,",
    tests: TLS_REQUIRED,
  },
  {
    name: 'lock-wait-whole-budget',
    defect: 'an all-or-none write waits for a row lock for all of the remaining time',
    promise: 'README Writing: row-lock waits give up at half the remaining time',
    file: 'handler/write/batch.ts',
    search: 'database.transaction(writeAll, { lockWaitSeconds: context.deadline.remainingMs() / 2000 })',
    replace: 'database.transaction(writeAll, { lockWaitSeconds: context.deadline.remainingMs() / 1000 })',
    tests: ['test/runtime/lockWaitShare.test.ts'],
  },
  // --- One per defect class of issues 17 and 18 --------------------------------------------------------------------
  {
    name: 'decimal-rounded-on-write',
    defect: 'a MySQL DECIMAL with one fraction digit too many is stored rounded',
    promise: 'README Writing: values are never silently changed',
    file: 'handler/engines/mysql/values.ts',
    search: '  if (fractionDigits > scale) {',
    replace: '  if (fractionDigits > scale + 1) {',
    tests: ['test/runtime/writeLimits.test.ts', 'test/runtime/writeSemantics.test.ts'],
  },
  {
    name: 'row-skipped-at-page-boundary',
    defect: 'offset paging skips the first row of every next page',
    promise: 'README Reading: every row exactly once',
    file: 'handler/read/pages.ts',
    search: '        offset += taken;',
    replace: '        offset += taken + 1;',
    tests: ['test/runtime/paging.test.ts', 'test/engines/postgresql/paging.test.ts'],
  },
  {
    name: 'mysql-generated-id-shifted',
    defect: 'MySQL reports record 2 the id generated for record 3',
    promise: 'README Writing: recordId is the id of that record; issue 17 item 6',
    file: 'handler/engines/mysql/writes.ts',
    search: 'generated.push((first + BigInt(position) * step).toString());',
    replace: 'generated.push((first + BigInt(position + 1) * step).toString());',
    tests: ['test/runtime/generatedIdsPerRecord.test.ts', ...MYSQL_WRITES],
  },
  {
    name: 'postgresql-generated-ids-reordered',
    defect: 'PostgreSQL hands RETURNING ids to the records in reverse order',
    promise: 'README Writing: generated ids come from RETURNING, one per row; issue 17 item 6',
    file: 'handler/engines/postgresql/writes.ts',
    search: "generated: rows.map((row) => (row[0] === null ? '' : String(row[0]))),",
    replace: "generated: rows.map((row) => (row[0] === null ? '' : String(row[0]))).reverse(),",
    tests: ['test/runtime/generatedIdsPerRecord.test.ts', 'test/engines/postgresql/operations.test.ts'],
  },
  {
    name: 'mysql-missing-row-reported-written',
    defect: 'a MySQL UPDATE that matched no row is reported written',
    promise: 'README Writing: no row matching its id fails the record; issue 17 item 6',
    file: 'handler/engines/mysql/writes.ts',
    search: '      { timeoutMs },\n    );\n    return header.affectedRows;\n  },\n\n  async delete',
    replace: '      { timeoutMs },\n    );\n    return Math.max(1, header.affectedRows);\n  },\n\n  async delete',
    tests: MYSQL_WRITES,
  },
  {
    name: 'postgresql-missing-row-reported-written',
    defect: 'a PostgreSQL UPDATE that matched (or a trigger let through) no row is reported written',
    promise: 'README Writing: no row matching its id fails the record; issue 17 item 6',
    file: 'handler/engines/postgresql/writes.ts',
    search: '      { timeoutMs },\n    );\n    return header.affectedRows;\n  },\n\n  async delete',
    replace: '      { timeoutMs },\n    );\n    return Math.max(1, header.affectedRows);\n  },\n\n  async delete',
    tests: ['test/engines/postgresql/operations.test.ts'],
  },
  {
    name: 'postgresql-check-message-with-values',
    defect: "a PostgreSQL CHECK violation answers the server's DETAIL, which quotes the row's values",
    promise: 'README Writing: messages never echo the value; issue 17 item 2',
    file: 'handler/engines/postgresql/errors.ts',
    search: "message = `${named('check constraint', pg.constraint)} is violated`;",
    replace: "message = `${named('check constraint', pg.constraint)} is violated: ${pg.detail ?? ''}`;",
    tests: ['test/runtime/writeLogScan.test.ts'],
  },
  {
    name: 'paging-token-refused',
    defect: 'the connector refuses its own nextToken',
    promise: 'README Reading: a token the connector issues is accepted back; issue 18 item 1',
    file: 'handler/paging/token.ts',
    search: 'if (given.length !== expectedMac.length || !timingSafeEqual(given, expectedMac)) {',
    replace: 'if (given.length !== expectedMac.length || timingSafeEqual(given, expectedMac)) {',
    tests: ['test/runtime/paging.test.ts'],
  },
  {
    name: 'paging-token-forgery-accepted',
    defect: 'a token with a forged integrity check is accepted',
    promise: 'README Security: forged tokens are refused',
    file: 'handler/paging/token.ts',
    search: 'if (given.length !== expectedMac.length || !timingSafeEqual(given, expectedMac)) {',
    replace: 'if (given.length !== expectedMac.length) {',
    tests: ['test/runtime/tokenIntegrity.test.ts', 'test/runtime/paging.test.ts'],
  },
  // --- One per defect class fixed in the write/read/values/catalog round (mutants2) -------------------------------
  {
    name: 'mysql-enum-folded-to-first-loose-match',
    defect:
      "an ENUM value is stored as the first allowed value equal to it ignoring case/accents, not the collation's match",
    promise: 'README Writing: values are never silently changed (ENUM matched under the column collation)',
    file: 'handler/engines/mysql/values.ts',
    search:
      "    // The text as written: the server matches it under the column's own collation (see the file comment).\n    return accepted(text);",
    replace: '    return accepted(enumLookup(column.enumValues).get(looseForm(text)) ?? text);',
    tests: ['test/runtime/fractionalPrecision.test.ts'],
    match: ['ENUM and SET values*'],
  },
  {
    name: 'mysql-set-members-folded',
    defect: 'SET members are stored as the first allowed member equal to them ignoring case/accents',
    promise: 'README Writing: values are never silently changed (SET matched under the column collation)',
    file: 'handler/engines/mysql/values.ts',
    search: "  return accepted(text.includes(' ,') || text.endsWith(' ') ? text.replace(/ +(?=,|$)/g, '') : text);",
    replace: "  return accepted(text.split(',').map((member) => lookup.get(looseForm(member)) ?? member).join(','));",
    tests: ['test/runtime/fractionalPrecision.test.ts'],
    match: ['ENUM and SET values*'],
  },
  {
    name: 'mysql-enum-precheck-loosened',
    defect: 'an ENUM value no allowed value matches reaches the server (the connector pre-check accepts anything)',
    promise: 'README Writing: a value the column cannot hold fails that record, naming the field',
    file: 'handler/engines/mysql/values.ts',
    search: '    if (!enumLookup(column.enumValues).has(looseForm(text))) {',
    replace: "    if (text === '\\u0000') {",
    tests: ['test/runtime/fractionalPrecision.test.ts'],
    match: ['ENUM and SET values*'],
  },
  {
    name: 'mysql-second-fraction-check-removed',
    defect:
      'a DATETIME/TIMESTAMP/TIME fraction beyond the column precision is accepted (the server rounds or drops it)',
    promise: 'README Writing: values are never silently changed',
    file: 'handler/engines/mysql/values.ts',
    // The check itself is shared (handler/values/secondFraction.ts); the defect is this engine skipping it.
    search: "  return fractionBeyond(column, column.timePrecision ?? 0, fraction, 'they would be rounded or dropped');",
    replace: '  return null;',
    tests: ['test/runtime/fractionalPrecision.test.ts'],
    match: ['a fraction beyond a column precision*'],
  },
  {
    name: 'mysql-float-scale-check-removed',
    defect: 'a FLOAT(M,D)/DOUBLE(M,D) value with digits beyond D is accepted (the server rounds it)',
    promise: 'README Writing: values are never silently changed',
    file: 'handler/engines/mysql/values.ts',
    search: '  if (parsed === null || parsed.fraction.length <= scale) return null;',
    replace: '  if (parsed === null || parsed.fraction.length >= 0) return null;',
    tests: ['test/runtime/fractionalPrecision.test.ts'],
    match: ['a fraction beyond a column precision*'],
  },
  {
    name: 'postgresql-second-fraction-check-removed',
    defect: 'a PostgreSQL time/timestamp/interval fraction beyond the column precision is accepted (rounded)',
    promise: 'README Writing: values are never silently changed',
    file: 'handler/engines/postgresql/values.ts',
    search: "  return fractionBeyond(column, column.timePrecision ?? 6, fraction, 'it would be rounded');",
    replace: '  return null;',
    tests: ['test/engines/postgresql/valueFidelity.test.ts'],
    match: ['time, timetz and interval texts*'],
  },
  {
    name: 'mysql-float-precision-check-removed',
    defect: 'a MySQL FLOAT/DOUBLE value its binary float would change is stored changed',
    promise: 'README Writing: values are never silently changed',
    file: 'handler/engines/mysql/values.ts',
    search: '  if (!keptByFloat(precision, trimmed))',
    replace: "  if (trimmed === '\\u0000' && !keptByFloat(precision, trimmed))",
    tests: ['test/engines/mysql/valueFidelity.test.ts'],
    match: ['FLOAT and DOUBLE refuse*'],
  },
  {
    name: 'postgresql-float-precision-check-removed',
    defect: 'a PostgreSQL real/double precision value its binary float would change is stored changed',
    promise: 'README Writing: values are never silently changed',
    file: 'handler/engines/postgresql/values.ts',
    search: '  if (!keptByFloat(precision, text))',
    replace: "  if (text === '\\u0000' && !keptByFloat(precision, text))",
    tests: ['test/engines/postgresql/valueFidelity.test.ts'],
    match: ['real and double precision refuse*'],
  },
  {
    name: 'postgresql-trigger-skipped-row-reported-written',
    defect: 'a PostgreSQL INSERT row a BEFORE trigger (or DO INSTEAD NOTHING rule) skipped is reported written',
    promise: 'README Writing: a record the server did not write is "not written"',
    file: 'handler/engines/postgresql/writes.ts',
    search: '), written: rows.length };',
    replace: '), written: request.rows };',
    tests: ['test/engines/postgresql/writeTruth.test.ts'],
    match: ['rows a BEFORE trigger*'],
  },
  {
    name: 'mysql-signal-text-returned',
    defect: "a trigger's SIGNAL text (which may quote the record's values) is returned as the record's message",
    promise: 'README Writing: messages never echo the value',
    file: 'handler/engines/mysql/errors.ts',
    search:
      "? `a trigger or stored routine refused the record with SIGNAL (${name}); its text is not returned, as it may hold the record's values`",
    replace: '? `a trigger or stored routine refused the record with SIGNAL (${name}): ${text}`',
    tests: ['test/runtime/writeTruth.test.ts'],
    match: ['a trigger SIGNAL that quotes the record*'],
  },
  {
    name: 'postgresql-raise-text-returned',
    defect:
      "a trigger's RAISE EXCEPTION text (which may quote the record's values) is returned as the record's message",
    promise: 'README Writing: messages never echo the value',
    file: 'handler/engines/postgresql/errors.ts',
    search:
      "message = `a trigger or function refused the record with RAISE EXCEPTION (${errorName(error)}); its message is in the database server's log`;",
    replace:
      'message = `a trigger or function refused the record with RAISE EXCEPTION (${errorName(error)}): ${pg.message}`;',
    tests: ['test/engines/postgresql/writeTruth.test.ts'],
    match: ['a trigger that RAISEs*'],
  },
  {
    name: 'mysql-zerofill-key-cell-padded',
    defect: 'ZEROFILL keys go into the token zero-padded: the cell rule refuses the connector its own nextToken',
    promise: 'README Reading: a token the connector issues is accepted back, for every key type',
    file: 'handler/engines/mysql/dialect.ts',
    search: '    return `(${quoteIdentifier(column.name)} + 0)`;',
    replace: '    return selectExpression(mysql);',
    tests: ['test/runtime/keyExtremes.test.ts'],
    match: ['MariaDB: keys of type *zerofill*'],
  },
  {
    name: 'deadlock-retries-removed',
    defect: 'a statement the server rolled back for a deadlock or serialization failure is never run again',
    promise: 'README Writing: writers that collide both end written (issue 17 item 7)',
    file: 'handler/write/batch.ts',
    search: 'const MAX_CONFLICT_RETRIES = 5;',
    replace: 'const MAX_CONFLICT_RETRIES = 0;',
    tests: ['test/runtime/writeConcurrency.test.ts'],
  },
];
