/**
 * node-postgres pools behind the Database interface of handler/engines/engine.ts, kept across warm invocations: one
 * pool per (host, port, database, TLS mode, user, password), two connections each.
 *
 * Session settings travel as startup parameters (`options: -c name=value`), not as SET statements run on every new
 * connection: a SET is a session-state change that makes RDS Proxy pin the client connection, and it is a round
 * trip. Placeholders are `$1…$n`; values are always bound (extended protocol, unnamed statements).
 *
 * Statement timeouts are enforced by the server: a statement with `timeoutMs` runs with `SET LOCAL
 * statement_timeout` inside a transaction (its own, or the caller's), so the server stops it (SQLSTATE 57014) and
 * the connection stays usable. pg's own `query_timeout` only stops waiting: the statement would keep running and
 * the connection would stay busy with it. pg's timer is still armed, a little later, as a backstop for a server or
 * network that stops answering altogether; when it fires the connection is destroyed, never reused.
 */
import { checkServerIdentity } from 'node:tls';
import type pg from 'pg';
import { within } from '../../deadline';
import { CommitOutcomeUnknownError, InvalidArgumentError } from '../../errors';
import { LIMITS } from '../../protocol/constants';
import type { DatabaseCredentials } from '../../secrets';
import type { ConnectionSettings } from '../../settings';
import { tlsOptions } from '../certificates';
import type {
  Database,
  QueryOptions,
  RowStreamEnd,
  RowStreamOptions,
  SqlParam,
  SqlWriter,
  WriteResult,
} from '../engine';
import { PoolCache } from '../poolCache';
import { type EngineConnections, type EngineLease, POOL_SIZE, PooledDatabase } from '../pooledDatabase';
import { loadPg, loadPgInternals } from './driver';
import { connectFailure } from './errors';
import { PortalRead } from './portalRead';
import { exactTypes } from './typeParsers';

/**
 * Startup parameters of every session:
 * - TimeZone UTC: timestamptz values print in UTC, and timestamp literals in filters are UTC;
 * - DateStyle ISO: dates print as YYYY-MM-DD whatever the database default (a database set to `SQL, DMY` would
 *   print 02/01/2026), and ISO input is read unambiguously;
 * - IntervalStyle postgres, bytea_output hex, extra_float_digits 1 (shortest text that round-trips, PostgreSQL 12+;
 *   a database default of 0 would round float4 to 6 and float8 to 15 digits): the text forms values.ts reads;
 * - client_encoding UTF8: pg decodes every text as UTF-8 but does not send client_encoding itself, so a database
 *   in another encoding would otherwise send its own bytes.
 */
export const SESSION_OPTIONS = [
  // Names the connector does not qualify (operators, functions, types) resolve in pg_catalog only: a user who may
  // create objects in a schema on the default path ("$user", public) cannot plant an operator or function that
  // runs with the connector's privileges or changes what a comparison means (CVE-2018-1058). Tables are always
  // schema-qualified; an extension's operators are named with their schema (dialect.ts).
  '-c search_path=pg_catalog',
  '-c TimeZone=UTC',
  '-c DateStyle=ISO,YMD',
  '-c IntervalStyle=postgres',
  '-c bytea_output=hex',
  '-c extra_float_digits=1',
  '-c client_encoding=UTF8',
].join(' ');

/** A row's size when the reader gives no estimate (sizes a streamed read's first batch: ./portalRead.ts). */
const DEFAULT_ROW_BYTES = 1024;
/** How much later than the server's statement_timeout the client gives up on an answer (network backstop). */
const CLIENT_GRACE_MS = 2_000;
/** How long ROLLBACK and other control statements may take before the connection is given up. */
const CLEANUP_MS = 1_500;
/**
 * How long a COMMIT may take before the client gives up (and the connection with it). Generous: a commit that the
 * client abandons may still succeed, and the request would then report a failure for rows that were written.
 */
const COMMIT_MS = 10_000;

/**
 * pg's `ssl` option for a TLS mode. REQUIRED is libpq's sslmode=require: pg fails when the server refuses TLS. Under
 * VERIFY_IDENTITY pg passes the host to tls.connect (SNI only for names), which checks it against the certificate's
 * DNS names, or its IP address SANs for an IP host: `checkServerIdentity` is named here so the check is visible and
 * cannot be lost to a default.
 */
export function sslOptions(settings: ConnectionSettings): Promise<pg.ClientConfig['ssl']> {
  return tlsOptions(settings.tlsMode, false, { checkServerIdentity });
}

/**
 * Failures of a connection that worked before (the server restarted or terminated it, a proxy cut it): another
 * attempt reaches a new connection. A failure to connect at all (refused, timed out, TLS, login) is not one of
 * these: trying again would only spend the same time again.
 */
export function isStaleConnection(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === '57P01' || code === '57P02') return true;
  return (
    code === undefined &&
    /^(Connection terminated unexpectedly|Client has encountered a connection error and is not queryable)/.test(
      message ?? '',
    )
  );
}

function isClientTimeout(error: unknown): boolean {
  return (error as { message?: string } | null)?.message === 'Query read timeout';
}

function milliseconds(timeoutMs: number): number {
  return Math.max(1, Math.floor(timeoutMs));
}

/**
 * One pooled client lent to a piece of work. While it is lent, pg-pool's idle error listener is off: an error event
 * (the server closing the socket between two statements) would crash the process without the listener added here.
 */
class Lease implements EngineLease {
  private broken: Error | undefined;
  private inTransaction = false;
  /** The statement_timeout (ms, 0 = the session's) set with SET LOCAL in the current transaction; -1: unknown. */
  private localTimeoutMs = 0;
  private readonly onError = (error: Error) => {
    this.broken ??= error;
  };

  constructor(private readonly client: pg.PoolClient) {
    client.on('error', this.onError);
  }

  private async query(config: pg.QueryConfig & { rowMode?: 'array'; query_timeout?: number }) {
    try {
      return await this.client.query(config as pg.QueryConfig);
    } catch (error) {
      // The statement may still run (client-side timeout) or the socket is gone: never reuse this connection.
      if (isClientTimeout(error) || isStaleConnection(error)) this.broken ??= error as Error;
      throw error;
    }
  }

  /** Transaction control and session statements: no parameters, simple protocol (several statements allowed). */
  async control(sql: string, timeoutMs = CLEANUP_MS + CLIENT_GRACE_MS): Promise<void> {
    await this.query({ text: sql, query_timeout: timeoutMs });
  }

  async begin(lockWaitSeconds: number): Promise<void> {
    await this.control(`BEGIN; SET LOCAL lock_timeout = '${lockWaitSeconds}s'`);
    this.inTransaction = true;
    this.localTimeoutMs = 0;
  }

  /**
   * Commits. A COMMIT the server refused with an ERROR (a deferred constraint) rolled the transaction back; any
   * other failure (the connection broke, the session was terminated, no answer in time) leaves the outcome
   * unknown: CommitOutcomeUnknownError, and the connection is not reused.
   */
  async commit(): Promise<void> {
    try {
      await this.control('COMMIT', COMMIT_MS);
    } catch (error) {
      this.inTransaction = false;
      if ((error as { severity?: string }).severity === 'ERROR') throw error;
      this.broken ??= error as Error;
      throw new CommitOutcomeUnknownError(error);
    }
    this.inTransaction = false;
  }

  /** Rolls back, or gives the connection up when that fails or takes too long (the server rolls back on close). */
  async rollback(): Promise<void> {
    if (this.broken) return;
    const outcome = await within(
      this.control('ROLLBACK').then(() => 'done' as const),
      CLEANUP_MS,
    ).catch(() => 'failed' as const);
    if (outcome !== 'done') this.broken ??= new Error('ROLLBACK did not complete');
    this.inTransaction = false;
  }

  private async setLocalTimeout(timeoutMs: number | undefined): Promise<void> {
    const wanted = timeoutMs === undefined ? 0 : milliseconds(timeoutMs);
    if (wanted === this.localTimeoutMs) return;
    await this.control(
      wanted === 0 ? 'SET LOCAL statement_timeout TO DEFAULT' : `SET LOCAL statement_timeout = ${wanted}`,
    );
    this.localTimeoutMs = wanted;
  }

  readonly runner: SqlWriter = {
    execute: async <T>(sql: string, params?: readonly SqlParam[], options?: QueryOptions): Promise<T> =>
      (await this.run(sql, params, options)).rows as T,
    write: async (sql, params, options): Promise<WriteResult> => ({
      affectedRows: (await this.run(sql, params, options)).rowCount ?? 0,
      firstGeneratedId: null,
    }),
  };

  private async run(
    sql: string,
    params: readonly SqlParam[] = [],
    options: QueryOptions = {},
  ): Promise<pg.QueryResult> {
    if (this.broken) throw this.broken;
    const config = {
      text: sql,
      values: params as SqlParam[],
      ...(options.rowsAsArray ? { rowMode: 'array' as const } : {}),
      ...(options.timeoutMs === undefined ? {} : { query_timeout: milliseconds(options.timeoutMs) + CLIENT_GRACE_MS }),
    };
    if (this.inTransaction) {
      await this.setLocalTimeout(options.timeoutMs);
      return await this.query(config);
    }
    if (options.timeoutMs === undefined) return await this.query(config);
    // A transaction of its own, so the timeout ends with it: BEGIN and SET LOCAL in one round trip.
    await this.control(`BEGIN; SET LOCAL statement_timeout = ${milliseconds(options.timeoutMs)}`);
    let result: pg.QueryResult;
    try {
      result = await this.query(config);
    } catch (error) {
      await this.rollback();
      throw error;
    }
    await this.commit();
    return result;
  }

  /**
   * Savepoints for per-record isolation (PooledDatabase): after an error the transaction refuses every statement
   * until it rolls back to one. They run as they are, with no SET LOCAL of their own (it would fail in an aborted
   * transaction); ROLLBACK TO undoes a SET LOCAL made after the savepoint, so the next statement sets its timeout
   * again. Names come from PooledDatabase (`appflow_N`), never from a request.
   */
  readonly savepoints = {
    set: (name: string) => this.savepointControl(`SAVEPOINT ${name}`),
    rollbackTo: async (name: string) => {
      await this.savepointControl(`ROLLBACK TO SAVEPOINT ${name}`);
      this.localTimeoutMs = -1;
    },
    release: (name: string) => this.savepointControl(`RELEASE SAVEPOINT ${name}`),
  };

  private async savepointControl(sql: string): Promise<void> {
    if (this.broken) throw this.broken;
    await this.query({ text: sql, query_timeout: CLEANUP_MS + CLIENT_GRACE_MS });
  }

  /**
   * Streams a SELECT (./portalRead.ts): BEGIN, `SET LOCAL statement_timeout` and the statement's first batch in one
   * round trip, COMMIT in the same one when that batch holds every row the consumer can take, else in one more, rows
   * handed over one by one as they arrive, so a page of wide rows never sits in memory whole. The server's timer
   * covers the whole read, so it stops a read that outlives `timeoutMs` (57014) and the rows delivered until then
   * stand. A consumer that has enough ends the transaction (and the portal with it) and the connection stays usable,
   * unless more than DROPPED_BYTES_AT_MOST of rows were still arriving: then the connection is given up.
   */
  async readRows(sql: string, params: readonly SqlParam[], options: RowStreamOptions): Promise<RowStreamEnd> {
    if (this.broken) throw this.broken;
    const { Result, prepareValue } = await loadPgInternals();
    const read = new PortalRead({
      sql,
      params,
      statementTimeoutMs: milliseconds(options.timeoutMs),
      rowBytes: options.rowBytes ?? DEFAULT_ROW_BYTES,
      rowsAtMost: options.rowsAtMost,
      onRow: options.onRow,
      Result,
      // The pool's own parsers, never pg's global ones: exactness depends on passing them.
      types: exactTypes,
      prepareValue,
    });
    this.inTransaction = true;
    this.localTimeoutMs = 0;
    try {
      this.client.query(read);
      const end = await within(read.done, milliseconds(options.timeoutMs) + CLIENT_GRACE_MS);
      if (end === 'timed out') {
        // The server did not stop the statement in time: never reuse this connection.
        this.broken ??= new Error('streamed read did not answer in time');
        return 'timed out';
      }
      if (read.abandoned) {
        // The rest of the rows were still arriving after the consumer stopped: the connection is given up (closed on
        // release), which stops the statement sooner than receiving and dropping them.
        this.broken ??= new Error('streamed read gave its connection up after the consumer stopped');
        return end;
      }
      this.inTransaction = false;
      return end;
    } catch (error) {
      if (isStaleConnection(error)) this.broken ??= error as Error;
      await this.rollback();
      if ((error as { code?: string }).code === '57014') return 'timed out';
      throw error;
    }
  }

  /** `SELECT 1` with a client-side limit only: it cannot run long on the server, and one round trip is enough. */
  async probe(timeoutMs: number): Promise<void> {
    await this.query({ text: 'SELECT 1', query_timeout: milliseconds(timeoutMs) });
  }

  finish(): void {
    this.client.removeListener('error', this.onError);
    // An Error destroys the client instead of returning it to the pool.
    this.client.release(this.broken ?? (this.inTransaction ? new Error('transaction left open') : undefined));
  }
}

/** One pg pool: the primitives the shared PooledDatabase runs its orchestration on. */
class PostgreSqlConnections implements EngineConnections {
  private readonly pool: pg.Pool;

  constructor(
    settings: ConnectionSettings,
    credentials: DatabaseCredentials,
    driver: typeof pg,
    ssl: pg.ClientConfig['ssl'],
  ) {
    this.pool = new driver.Pool({
      host: settings.host,
      port: settings.port,
      database: settings.database,
      user: credentials.username,
      password: credentials.password,
      ssl,
      options: SESSION_OPTIONS,
      application_name: 'appflow-connector',
      types: exactTypes as unknown as pg.CustomTypesConfig,
      max: POOL_SIZE,
      connectionTimeoutMillis: LIMITS.connectTimeoutMs,
      idleTimeoutMillis: 60_000,
      // The idle timer must not keep a process that loaded the bundle alive (tests, the local runner).
      allowExitOnIdle: true,
      keepAlive: true,
    });
    // An idle connection the server closes (restart, pg_terminate_backend, a proxy's idle timeout) emits 'error' on
    // the pool after pg-pool removed it; without a listener that event would crash the process.
    this.pool.on('error', () => {});
  }

  async lease(): Promise<Lease> {
    try {
      return new Lease(await this.pool.connect());
    } catch (error) {
      throw connectFailure(error);
    }
  }

  async probe(timeoutMs: number): Promise<void> {
    const lease = await this.lease();
    try {
      await lease.probe(timeoutMs);
    } finally {
      lease.finish();
    }
  }

  isStaleConnection(error: unknown): boolean {
    return isStaleConnection(error);
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/** PostgreSQL pools by connection identity, reused across warm invocations (the cache all engines share). */
export class PostgreSqlPools extends PoolCache {
  constructor() {
    super(async (settings, credentials) => {
      const [driver, ssl] = [await loadPg(), await sslOptions(settings)];
      return new PooledDatabase(settings, new PostgreSqlConnections(settings, credentials, driver, ssl));
    });
  }

  override async get(settings: ConnectionSettings, credentials: DatabaseCredentials): Promise<Database> {
    if (credentials.cleartext === true && settings.tlsMode === 'DISABLED') {
      // An IAM token is a password sent in clear text when the server asks for one: never without TLS.
      throw new InvalidArgumentError('IAM database authentication needs tlsMode REQUIRED or VERIFY_IDENTITY');
    }
    return super.get(settings, credentials);
  }
}
