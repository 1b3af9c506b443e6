/**
 * The one interface a database engine implements, and the engine-neutral types it speaks in.
 *
 * Operations (handler/operations), the filter translator (handler/filter), paging (handler/paging) and the write
 * path (handler/write) use only what is declared here: they write no SQL, import no driver and know no driver error
 * code. An engine lives in one folder (handler/engines/<name>/) and is chosen by `engineFor(settings)`
 * (handler/engines/index.ts). README.md, "Adding an engine", states the contract member by member.
 *
 * Columns and tables an engine receives are always ones its own catalog returned: an engine may keep its own facts
 * on them (a subtype of ColumnMeta / TableMeta) and read them back.
 */
import type { ConnectorError } from '../errors';
import type { FieldDataType } from '../protocol/codecs';
import type { DatabaseCredentials } from '../secrets';
import type { ConnectionSettings } from '../settings';
import type { JsonValue } from '../values/json';
import type { EngineName } from './registry';

// ---------------------------------------------------------------------------------------------------------------
// Connections

/** A bound parameter. Values reach SQL only as these, never as SQL text. */
export type SqlParam = string | number | null | Buffer;

/** A statement and its parameters, in placeholder order. */
export interface Statement {
  readonly sql: string;
  readonly params: readonly SqlParam[];
}

export interface QueryOptions {
  /**
   * This statement may take at most this long; when the time is up it is stopped (on the server, not just no
   * longer awaited) and the call rejects with an error the engine's `errors.classify` calls RequestTimeout.
   */
  readonly timeoutMs?: number;
  /** Rows as arrays in select-list order (faster to read and encode than objects). */
  readonly rowsAsArray?: boolean;
}

/** How `readRows` reads a result: row by row, until the consumer has enough or the time is up. */
export interface RowStreamOptions {
  /** After this long the statement is stopped (on the server) and the read ends with the rows delivered. */
  readonly timeoutMs: number;
  /** Receives each row (select-list order) as it arrives; returns false once it wants no further row. */
  readonly onRow: (row: unknown[]) => boolean;
  /** The consumer's estimate of a row's size in bytes (the engine may size its network batches by it). */
  readonly rowBytes?: number;
  /**
   * `onRow` returns false at this row at the latest (a page's last row plus the one that says there is more): the
   * engine need not ask for more, and may end the read in the same round trip as the statement.
   */
  readonly rowsAtMost?: number;
}

/** How a streamed read ended: all rows delivered, the consumer had enough, or the time ran out. */
export type RowStreamEnd = 'complete' | 'stopped' | 'timed out';

export interface SqlRunner {
  /** Runs one statement with bound parameters and returns its rows (objects, or arrays with `rowsAsArray`). */
  execute<T = unknown>(sql: string, params?: readonly SqlParam[], options?: QueryOptions): Promise<T>;
}

/** What the server reports about a statement that changes rows and returns none (no RETURNING). */
export interface WriteResult {
  /** The server's row count: rows inserted, deleted, or (UPDATE) what its engine counts, see `WriteStatements`. */
  readonly affectedRows: number;
  /**
   * The first value an AUTO_INCREMENT insert generated, as MySQL's OK packet reports it ('0' when none); null where
   * the engine reports no such value (PostgreSQL reads generated values with RETURNING).
   */
  readonly firstGeneratedId: string | null;
}

/** A runner that also writes: every connection and transaction an engine lends is one. */
export interface SqlWriter extends SqlRunner {
  /** Runs one INSERT, UPDATE or DELETE without RETURNING, with bound parameters. */
  write(sql: string, params?: readonly SqlParam[], options?: QueryOptions): Promise<WriteResult>;
}

/** Statements inside a transaction (`Database.transaction`). */
export interface TransactionRunner extends SqlWriter {
  /**
   * Runs `work` (statements on this runner) so that when it throws, what it did is undone and the transaction can
   * go on: inside a savepoint where a failed statement would abort the whole transaction (PostgreSQL); as it is
   * where the server undoes a failed statement by itself (MySQL/InnoDB).
   */
  isolated<T>(work: () => Promise<T>): Promise<T>;
}

export interface TransactionOptions {
  /** How long a statement may wait for a row lock before failing (at most the engine's own default, 10 s). */
  readonly lockWaitSeconds?: number;
}

/** A pool of connections to one database with one login. */
export interface Database extends SqlWriter {
  /**
   * The settings the pool was opened with: its connection identity. Profiles that differ only in their namespace
   * (PostgreSQL's schema) share the pool, so a request takes its namespace from its session, never from here.
   */
  readonly settings: ConnectionSettings;
  /**
   * Makes sure pooled connections still work before a request uses them: after the server restarted or dropped an
   * idle connection, the broken ones are discarded and a new one is opened, so the request itself never fails on a
   * stale connection. Cheap when the pool was used a moment ago.
   */
  ensureReady(timeoutMs: number): Promise<void>;
  /** Milliseconds since the pool last served a statement (or was created). */
  idleForMs(): number;
  /** Runs `work` on one connection inside a transaction; commits when it returns, rolls back when it throws. */
  transaction<T>(work: (connection: TransactionRunner) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Runs one SELECT and hands its rows (as arrays) to `onRow` one at a time as they arrive, without collecting
   * them. A statement the consumer no longer wants, or that outlives `timeoutMs`, is stopped; the rows delivered
   * until then stand. An error thrown by `onRow` rejects the read with that error once the statement is stopped.
   */
  readRows(sql: string, params: readonly SqlParam[], options: RowStreamOptions): Promise<RowStreamEnd>;
  /** Runs `work` on one dedicated connection (no transaction). */
  withConnection<T>(work: (connection: SqlWriter) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * An engine's pools, kept across warm invocations: one pool per connection identity (server, database, TLS mode,
 * user, password). A pool unused for a while is closed; `discard` drops the pool of credentials the server refused.
 */
export interface EnginePools {
  get(settings: ConnectionSettings, credentials: DatabaseCredentials): Promise<Database>;
  discard(settings: ConnectionSettings, credentials: DatabaseCredentials): void;
  closeAll(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------------
// Catalog

/** A listed table or view. */
export interface TableSummary {
  readonly name: string;
  readonly isView: boolean;
  /** Rows can be inserted or updated (the entity is writable). */
  readonly writable: boolean;
  readonly comment: string | null;
}

/**
 * What every engine knows about a column. Engine-specific facts (MySQL's value kind and unsigned flag, a
 * PostgreSQL array's element type) live on the engine's own subtype.
 */
export interface ColumnMeta {
  readonly name: string;
  /** The declared type as the server prints it, for labels and messages: `int(10) unsigned`, `numeric(12,2)`. */
  readonly declaredType: string;
  readonly dataType: FieldDataType;
  readonly nullable: boolean;
  /** The default as a value (string form); null when the column has none, defaults to NULL or to an expression. */
  readonly defaultValue: string | null;
  /** True when an INSERT may leave the column out (a default, NULL allowed, server-numbered or generated). */
  readonly defaultedOnCreate: boolean;
  /**
   * The server numbers new rows in this column (AUTO_INCREMENT, serial, identity): an INSERT that leaves it out,
   * or gives it null, gets a generated value, which `writes.insert` reports back when asked.
   */
  readonly serverGenerated: boolean;
  /** False when no write may set the column (a generated column, GENERATED ALWAYS AS IDENTITY). */
  readonly writable: boolean;
  readonly primaryKey: boolean;
  /** Part of a unique key usable to identify rows (see TableMeta.uniqueKeys). */
  readonly uniqueKey: boolean;
  /** Characters of a character column, bytes of a binary one; null when not limited. */
  readonly maxLength: number | null;
  readonly numericPrecision: number | null;
  readonly numericScale: number | null;
  /** Allowed values of an enumeration column; null for other columns. */
  readonly enumValues: readonly string[] | null;
  readonly comment: string | null;
  /** Can identify a record (id field of writes and RetrieveData) and be compared with a value in a condition. */
  readonly comparable: boolean;
  /** Can be in an ORDER BY (offset paging orders by every such column). */
  readonly orderable: boolean;
  /**
   * ORDER BY on this column agrees with `>`/`<=` against a bound key value (what keyset paging relies on), and
   * its values survive a round trip through a token cell (`values.keyCell` → `dialect.selectPage`'s keyset).
   */
  readonly keysetSafe: boolean;
  /** Offered to AppFlow as the timestamp field of incremental flows (an instant, not a whole day). */
  readonly incrementalTimestamp: boolean;
  /** FieldDefinition constraints: the longest value in characters, the value range a JSON number states exactly,
   *  the date format; null where there is none to state. */
  readonly lengthLimit: number | null;
  readonly valueRange: { readonly min: number; readonly max: number } | null;
  readonly dateFormat: string | null;
  /** Upper bound of the bytes one rendered value of this column takes in a record; Infinity when unbounded. */
  readonly renderedBytesAtMost: number;
  /** Upper bound of the JSON bytes of one token key cell of this column; Infinity when never a paging key. */
  readonly keyCellBytesAtMost: number;
}

export interface TableMeta {
  readonly name: string;
  /** The namespace it was read from (`Catalog.namespaceOf`): MySQL's database, PostgreSQL's schema. */
  readonly namespace: string;
  readonly isView: boolean;
  /** INSERT (and the insert half of UPSERT) may write it. */
  readonly insertable: boolean;
  /** UPDATE and DELETE (and the update half of UPSERT) may write it. */
  readonly updatable: boolean;
  /** insertable || updatable: the entity is writable. */
  readonly writable: boolean;
  readonly comment: string | null;
  /** Columns in table order. */
  readonly columns: readonly ColumnMeta[];
  readonly columnsByName: ReadonlyMap<string, ColumnMeta>;
  readonly primaryKey: readonly string[];
  /**
   * Unique keys other than the primary key that identify current rows: all columns NOT NULL, no expression parts,
   * and usable to find the row an UPSERT updates (not partial, not deferrable).
   */
  readonly uniqueKeys: readonly (readonly string[])[];
  /**
   * The keys an UPSERT can name, when the engine knows some of primaryKey/uniqueKeys cannot decide a conflict
   * (PostgreSQL: a DEFERRABLE primary key cannot arbitrate ON CONFLICT). Absent: the primary key and uniqueKeys.
   * Read it through handler/catalog/upsertKeys.ts `upsertKeysOf`.
   */
  readonly upsertKeys?: readonly (readonly string[])[];
}

export interface Catalog {
  /** The namespace the catalog reads and writes: MySQL's database, PostgreSQL's schema. */
  namespaceOf(settings: ConnectionSettings): string;
  /** Why `name` can never name a table of this engine (too long, a character the server cannot store), or null. */
  tableNameProblem(name: string): string | null;
  /**
   * One page of tables and views of `namespace` after `afterName` (exclusive), ordered by name in binary order
   * (`Tbl` and `tbl` are two entries). `afterName` has passed `tableNameProblem`.
   */
  listTables(
    runner: SqlRunner,
    namespace: string,
    afterName: string | null,
    limit: number,
    timeoutMs: number,
  ): Promise<{ tables: TableSummary[]; hasMore: boolean }>;
  /** One table or view, exact name; ResourceNotFoundError when `namespace` has none of that name. */
  describeTable(runner: SqlRunner, namespace: string, name: string, timeoutMs: number): Promise<TableMeta>;
  /**
   * Why `namespace` cannot be read (its name and the namespaces the user can see), or null when it can. For an
   * engine whose connection succeeds to a namespace that does not exist (PostgreSQL's schema), which would
   * otherwise list no entity and succeed. Absent: nothing to check (MySQL refuses to connect to a database that
   * does not exist, error 1049).
   */
  namespaceProblem?(runner: SqlRunner, namespace: string, timeoutMs: number): Promise<string | null>;
}

// ---------------------------------------------------------------------------------------------------------------
// Conditions (what the filter translator and RetrieveData produce; the dialect renders them)

/** A typed value in a condition; the dialect binds it as a parameter of the column's type. */
export type Literal =
  | { readonly kind: 'text'; readonly value: string }
  /** An exact number compared exactly (never through a double): `-?digits[.digits]`, `scale` fraction digits. */
  | { readonly kind: 'exact'; readonly text: string; readonly scale: number }
  /** A double, compared with a FLOAT/DOUBLE column as is. */
  | { readonly kind: 'float'; readonly value: number }
  /** `YYYY-MM-DD`. */
  | { readonly kind: 'date'; readonly text: string }
  /** A UTC instant `YYYY-MM-DD HH:MM:SS[.ffffff]`. */
  | { readonly kind: 'datetime'; readonly text: string }
  | { readonly kind: 'bytes'; readonly value: Buffer };

export type ConditionOperator = '=' | '<>' | '<' | '<=' | '>' | '>=';

/**
 * An engine-neutral WHERE condition. Columns are names the caller checked against the table. Every node renders
 * parenthesized; SQL's three-valued logic applies except where a node says otherwise.
 */
export type Condition =
  | { readonly type: 'and' | 'or'; readonly operands: readonly Condition[] }
  /** The complement: true where the operand is false OR unknown (NULL). */
  | { readonly type: 'not'; readonly operand: Condition }
  | { readonly type: 'isNull'; readonly column: string; readonly negated: boolean }
  | { readonly type: 'compare'; readonly column: string; readonly op: ConditionOperator; readonly value: Literal }
  /** Inclusive on both ends. */
  | { readonly type: 'between'; readonly column: string; readonly low: Literal; readonly high: Literal }
  /** `column IN (values)`, or also NULL when `orNull`. `values` is not empty. */
  | { readonly type: 'in'; readonly column: string; readonly values: readonly Literal[]; readonly orNull: boolean }
  /** Literal substring match (no wildcard in `text` is special); case sensitivity follows the column. */
  | { readonly type: 'contains'; readonly column: string; readonly text: string }
  /**
   * A Boolean column by the truth a record shows (any non-zero number is true): `true`, `false`, or `any` (every
   * non-null value).
   */
  | { readonly type: 'truth'; readonly column: string; readonly truth: boolean | 'any' }
  /** False for every value, unknown for NULL. */
  | { readonly type: 'never'; readonly column: string }
  /** True for every value, unknown for NULL. */
  | { readonly type: 'always'; readonly column: string }
  /** `operand` OR the column is NULL. */
  | { readonly type: 'orNull'; readonly column: string; readonly operand: Condition };

// ---------------------------------------------------------------------------------------------------------------
// SQL dialect (reads)

/** A token's key cell: numbers and text as they came from the driver, binary as base64. */
export type KeyCell = string | number | { readonly b64: string };

/** One statement of a page (QueryData), or of a lookup by ids (RetrieveData). */
export interface PageQuery {
  readonly table: TableMeta;
  /** The select list: `values.recordEncoder(select)` encodes the first `select.length` cells of each row. */
  readonly select: readonly ColumnMeta[];
  readonly where: Condition | null;
  /** Keyset paging: the key columns are selected after `select` (to resume from), ordered by, and bounded. */
  readonly keyset: {
    readonly columns: readonly ColumnMeta[];
    /** Only rows strictly after this key (null: from the start). */
    readonly after: readonly KeyCell[] | null;
    /** Only rows up to and including this key (null: to the end). */
    readonly until: readonly KeyCell[] | null;
  } | null;
  /** ORDER BY these ascending when there is no keyset (offset paging, RetrieveData); empty: no order. */
  readonly orderBy: readonly ColumnMeta[];
  /**
   * Offset paging: after `orderBy`, the engine's tie-breakers make the order total on what records show, so that
   * every statement of a read puts rows in the same order (rows that still tie show identical records).
   */
  readonly totalOrder?: boolean;
  /** At most this many rows; null: no limit. */
  readonly limit: number | null;
  readonly offset: number;
}

/** Limits of exact numbers in conditions (filter literals beyond them are refused with a message). */
export interface ExactNumberLimits {
  /** Significant digits in all. */
  readonly digits: number;
  /** Digits after the decimal point. */
  readonly scale: number;
}

export interface SqlDialect {
  /** The engine's name in messages: "MySQL", "PostgreSQL". */
  readonly label: string;
  readonly exactNumberLimits: ExactNumberLimits;
  /** Fraction digits of seconds the engine keeps (6: microseconds); filter literals with more nonzero digits are refused. */
  readonly secondFractionDigits: number;
  /** Renders a condition, its literals bound (for tests and tools; statements render it themselves). */
  condition(condition: Condition): Statement;
  /** The SELECT of a page or lookup; rows are read as arrays. Throws InvalidArgumentError for a key cell that does
   *  not fit its column (`values.checkKeyCell`). */
  selectPage(query: PageQuery): Statement;
  /** The highest key of the table in key order, as one row of the key columns (no row when the table is empty). */
  selectHighestKey(table: TableMeta, keyColumns: readonly ColumnMeta[]): Statement;
}

// ---------------------------------------------------------------------------------------------------------------
// Writes

/** Facts of a write target, read once per WriteData request; an engine may add its own fields (its writes read them). */
export interface WriteTargetFacts {
  /**
   * Every table the write reaches rolls back a failed statement. False when it cannot be known: then statements
   * hold one record each (never retried), and allOrNone is refused.
   */
  readonly transactional: boolean;
  /**
   * The target has AFTER triggers (null: unknown). On a target that cannot roll back, a failure such a trigger
   * raised may leave the row written.
   */
  readonly afterTriggers: boolean | null;
  /**
   * A multi-row INSERT reports exact generated ids for all its rows; when false, such records go one per statement,
   * unless they carry a unique key the engine reads the ids back by (`readsBackGeneratedIds`).
   */
  readonly multiRowGeneratedIds: boolean;
  /** The engine reads generated ids back by an InsertRequest's `readBackKey` (inside a transaction). */
  readonly readsBackGeneratedIds?: boolean;
  /**
   * The server may skip a row it was sent without an error (PostgreSQL: a BEFORE or INSTEAD OF row trigger that
   * returns NULL, a DO INSTEAD rule). A multi-row statement on such a target runs in a transaction of its own, so
   * that when the server reports fewer rows than were sent, the statement is undone and its records are written
   * one by one, each getting its own outcome. Optional: absent means false.
   */
  readonly maySkipRows?: boolean;
  /**
   * The target may have triggers the user cannot see (MySQL: information_schema.TRIGGERS lists a table's triggers
   * only to a user with the TRIGGER privilege on it). Such a trigger may write a table that cannot roll back, so a
   * statement that failed is never run again — neither record by record nor after a deadlock — as that could
   * repeat what the trigger wrote. Multi-row statements stay (inside the target's own rollback). Absent: false.
   */
  readonly triggersHidden?: boolean;
}

export interface InsertRequest {
  readonly table: TableMeta;
  readonly columns: readonly ColumnMeta[];
  /** Row-major: `rows` × `columns.length` values, each converted by `values.converter` of its column. */
  readonly params: readonly SqlParam[];
  readonly rows: number;
  /**
   * UPSERT: a row whose values of these key columns equal a record's is updated (the record's other columns
   * only; absent columns keep their values), else the record is inserted. A collision on another unique key must
   * fail, never update that other row.
   */
  readonly upsertKey: readonly ColumnMeta[] | null;
  /** Report the values the server generated for this column, one per row in order. */
  readonly generated: ColumnMeta | null;
  /**
   * A unique key (NOT NULL columns, all among `columns`, without `generated`) that identifies each row inserted:
   * where a multi-row statement's generated values may not be consecutive, the engine reads them back by it, in the
   * same transaction (`runner` is then a transaction's connection). Absent or null: no such key.
   */
  readonly readBackKey?: readonly ColumnMeta[] | null;
}

/** Identifies one row by its id columns (UPDATE, DELETE, exists). */
export interface RowRequest {
  readonly table: TableMeta;
  readonly idColumns: readonly ColumnMeta[];
  /** Values of `idColumns`, converted by `values.converter`. */
  readonly idParams: readonly SqlParam[];
}

/**
 * The statements of WriteData. Each throws the driver's error when the server refuses the statement (the caller
 * asks `errors` what it means); `facts` is what `readTargetFacts` returned for this table.
 */
export interface WriteStatements {
  /**
   * An INSERT can report the stored value of any column it did not write (PostgreSQL's RETURNING: a default, an
   * identity, a value a view's base table or trigger filled in), not only the AUTO_INCREMENT value: an INSERT's
   * recordId then reports the stored id of every record that lacked it. Absent: only `serverGenerated` columns.
   */
  readonly reportsAbsentIds?: boolean;
  readTargetFacts(runner: SqlRunner, table: TableMeta, timeoutMs: number): Promise<WriteTargetFacts>;
  /** Inserts (or upserts) `rows` records with one statement; the generated values when asked, else null. */
  insert(
    runner: SqlWriter,
    request: InsertRequest,
    facts: WriteTargetFacts,
    timeoutMs: number,
  ): Promise<{
    generated: readonly string[] | null;
    /**
     * The rows the server says it inserted or updated (its row count, or the rows RETURNING gave), when that count
     * is comparable with the rows sent; null when the engine's count means something else (MySQL's affected rows
     * of an upsert count 2 per updated row).
     */
    written?: number | null;
  }>;
  /** Sets `columns` of the row; returns the rows MATCHED (a row whose values do not change counts). */
  update(
    runner: SqlWriter,
    row: RowRequest,
    columns: readonly ColumnMeta[],
    params: readonly SqlParam[],
    timeoutMs: number,
  ): Promise<number>;
  /** Deletes the row; returns the rows deleted. */
  delete(runner: SqlWriter, row: RowRequest, timeoutMs: number): Promise<number>;
  /** True when the row exists. */
  exists(runner: SqlRunner, row: RowRequest, timeoutMs: number): Promise<boolean>;
  /**
   * Inside a transaction: checks now the target's deferred key constraints (unique, primary key, exclusion) that
   * would otherwise be checked at COMMIT, throwing the violation like a failed statement. Absent, or a no-op, where
   * the target has none (MySQL has no deferred constraints).
   */
  checkDeferred?(runner: SqlRunner, table: TableMeta, facts: WriteTargetFacts, timeoutMs: number): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------------
// Values

/** Turns a row (array, select-list order) into a record: one JSON object as text. */
export type RecordEncoder = (row: readonly unknown[]) => string;

export type Converted =
  | { readonly ok: true; readonly param: SqlParam }
  | { readonly ok: false; readonly message: string };

/** Converts one JSON value of a record (null included) for a column; the message names the field, never the value. */
export type Convert = (value: JsonValue) => Converted;

export interface ValueCodecs {
  /**
   * The encoder of rows read by `dialect.selectPage` with this `select` list: built once per table description and
   * select list, then reused by every page of a warm instance (so it keeps no state between calls), called per row
   * (the hot path of reads: no per-row allocation beyond the record's text). Extra trailing cells are ignored.
   */
  recordEncoder(columns: readonly ColumnMeta[]): RecordEncoder;
  /** The converter of a column's record values into bound parameters (built once per request and column). */
  converter(column: ColumnMeta): Convert;
  /** A key column's value as read by `selectPage` / `selectHighestKey`, as a token cell. */
  keyCell(value: unknown, column: ColumnMeta): KeyCell;
  /** True when `cell` is a value this key column can hold (type, format, declared size): checked before use. */
  checkKeyCell(cell: KeyCell, column: ColumnMeta): boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// Errors

/** What a write statement concerns: the target table and the columns it may name. */
export interface StatementTarget {
  readonly table: string;
  readonly columns: ReadonlySet<string>;
}

export interface RecordErrorContext {
  /** Column names and the table name: quoted names that may stay in a message. */
  readonly identifiers: ReadonlySet<string>;
  /** The id columns of an UPSERT, else empty. */
  readonly upsertIdColumns: readonly string[];
}

export interface ErrorClassifier {
  /** Any failure (driver, network, TLS) as a ConnectorError with the AppFlow code; ConnectorErrors pass unchanged. */
  classify(error: unknown): ConnectorError;
  /** The server refused the login: worth reading the secret again once (it may have been rotated). */
  isAuthenticationFailure(error: unknown): boolean;
  /**
   * The failure concerns the record(s) of a write statement (a value, a key, a constraint, a trigger), not the
   * connection, the server, the time, a privilege or `target` itself having changed (those stop the batch).
   */
  isRecordError(error: unknown, target: StatementTarget): boolean;
  /** The server refused a value or key before storing the row (a record error that certainly wrote nothing). */
  isValueError(error: unknown): boolean;
  /** A record's failure message, safe for AppFlow: names fields and keys, never quotes a value. */
  describeRecordError(error: unknown, context: RecordErrorContext): string;
  /**
   * The server rolled the statement's transaction back because of other sessions (a deadlock, a serialization
   * failure): nothing of it was written, and running it again may succeed.
   */
  isTransactionConflict?(error: unknown): boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// The engine

export interface Engine {
  /** The engine's folder, handler/engines/<name>/ (its registry entry's `name`). */
  readonly name: EngineName;
  /** A new set of pools (one per Lambda instance; see handler/engines/pools.ts). */
  createPools(): EnginePools;
  readonly catalog: Catalog;
  readonly dialect: SqlDialect;
  readonly values: ValueCodecs;
  readonly writes: WriteStatements;
  readonly errors: ErrorClassifier;
}
