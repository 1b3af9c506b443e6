/**
 * mysql2 connection pools, kept across warm invocations. One pool per (server, database, TLS mode, user,
 * password): a rotated password gets a new pool and the old one is closed.
 *
 * Every session is UTC (DATETIME literals in filters are UTC instants; TIMESTAMP values are read in UTC) and strict
 * (bad values are errors, never silently truncated; an explicit 0 in an AUTO_INCREMENT column stays 0). Values
 * reach SQL only through `execute`, i.e. server-side prepared statements with bound parameters.
 */
import type mysql from 'mysql2/promise';
import { within } from '../../deadline';
import { CommitOutcomeUnknownError } from '../../errors';
import { LIMITS } from '../../protocol/constants';
import type { DatabaseCredentials } from '../../secrets';
import type { ConnectionSettings } from '../../settings';
import { tlsOptions } from '../certificates';
import type { QueryOptions, RowStreamEnd, RowStreamOptions, SqlParam, SqlWriter, WriteResult } from '../engine';
import { PoolCache } from '../poolCache';
import {
  type EngineConnections,
  type EngineLease,
  LOCK_WAIT_SECONDS,
  POOL_SIZE,
  PooledDatabase,
} from '../pooledDatabase';
import { loadMysql } from './driver';
import { greetingWatchedStream } from './greeting';
import { carryIpHostForIdentity } from './ipHostSocket';

/** Session set-up run on every new connection. */
const SESSION_SETUP =
  "SET time_zone = '+00:00', " +
  // NO_AUTO_VALUE_ON_ZERO: an explicit 0 in an AUTO_INCREMENT column is written as 0, not replaced by a new id.
  "sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION," +
  "NO_AUTO_VALUE_ON_ZERO', " +
  `innodb_lock_wait_timeout = ${LOCK_WAIT_SECONDS}`;
/** See `maxPreparedStatements` below. */
const PREPARED_STATEMENTS_PER_CONNECTION = 32;

/**
 * mysql2's `ssl` option for each TLS mode (settings.ts TLS_MODES). REQUIRED is like MySQL's ssl-mode=REQUIRED: the
 * connection fails if the server does not offer TLS. Under VERIFY_IDENTITY, mysql2 checks that the certificate names
 * the host (a DNS name, or an IP address SAN for an IP host) only when `verifyIdentity` is true: without it, any
 * certificate a trusted CA signed for any name passes (mysql2 lib/base/connection.js startTLS; MySQL's
 * ssl-mode=VERIFY_IDENTITY likewise checks the name,
 * https://dev.mysql.com/doc/refman/8.0/en/connection-options.html#option_general_ssl-mode).
 */
export function sslOptions(settings: ConnectionSettings): Promise<mysql.SslOptions | undefined> {
  return tlsOptions(settings.tlsMode, undefined, { verifyIdentity: true });
}

/**
 * Failures of a connection that worked before (the server restarted, dropped it, or a proxy cut it): mysql2 drops
 * it from the pool and another probe reaches a fresh one. A failure to connect at all (refused, timed out, TLS,
 * login) is not one of these: another attempt would only spend the same time again.
 */
const STALE_CONNECTION_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'ECONNRESET',
  'EPIPE',
  'ER_CONNECTION_KILLED',
  'ER_SERVER_SHUTDOWN',
  'ER_CLIENT_INTERACTION_TIMEOUT',
]);

function isStaleConnection(error: unknown): boolean {
  const { fatal, code, message } = (error ?? {}) as { fatal?: boolean; code?: string; message?: string };
  if (code !== undefined && STALE_CONNECTION_CODES.has(code)) return true;
  return fatal === true && /closed state/.test(message ?? '');
}

/** How long the clean-up after a timed-out statement (KILL QUERY, ROLLBACK) may take before it is abandoned. */
const CLEANUP_MS = 1_500;

/** Rows a streamed read skips after its consumer stopped, before it stops the statement instead. */
const SKIPPED_ROWS_AT_MOST = 16;

/** The part of mysql2's callback connection that streams a prepared statement's rows. */
interface StreamingConnection {
  execute(options: { sql: string; rowsAsArray: boolean }, values: readonly SqlParam[]): RowEvents;
}
/**
 * The connection's own events. A streamed statement has no callback, so mysql2 reports a lost connection (the
 * server killed the session, restarted, or the network cut it) only here, on the connection, never on the statement
 * (mysql2 lib/base/connection.js `_notifyError`).
 */
interface ConnectionEvents {
  on(event: 'error' | 'end', listener: (error?: unknown) => void): unknown;
  removeListener(event: 'error' | 'end', listener: (error?: unknown) => void): unknown;
}
interface RowEvents {
  on(event: 'result', listener: (row: unknown[]) => void): RowEvents;
  on(event: 'error', listener: (error: unknown) => void): RowEvents;
  on(event: 'end', listener: () => void): RowEvents;
}

/** What mysql2 reports when the server closes the connection without an error message (its own wording and code). */
function connectionLostError(): Error {
  return Object.assign(new Error('Connection lost: The server closed the connection.'), {
    code: 'PROTOCOL_CONNECTION_LOST',
    fatal: true,
  });
}

function isStatementTimeout(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'PROTOCOL_SEQUENCE_TIMEOUT';
}

/**
 * One pooled connection lent to a piece of work. mysql2's statement timeout only rejects the promise: the statement
 * keeps running on the server and the connection stays busy. So when it fires the statement is killed
 * (KILL QUERY on another connection) and the connection destroyed, never returned to the pool.
 */
class Lease implements EngineLease {
  private abandoned = false;

  constructor(
    private readonly connection: mysql.PoolConnection,
    private readonly kill: (threadId: number) => Promise<void>,
  ) {}

  get isAbandoned(): boolean {
    return this.abandoned;
  }

  readonly runner: SqlWriter = {
    write: async (sql, params, options): Promise<WriteResult> => {
      // mysql2's OK packet: insertId is a number, or a string beyond 2^53 (bigNumberStrings).
      const header = await this.runner.execute<{ affectedRows: number; insertId: number | string }>(
        sql,
        params,
        options,
      );
      return { affectedRows: header.affectedRows, firstGeneratedId: String(header.insertId) };
    },
    execute: async <T>(sql: string, params: readonly SqlParam[] = [], options: QueryOptions = {}): Promise<T> => {
      try {
        const [result] = await this.connection.execute(
          {
            sql,
            ...(options.timeoutMs === undefined ? {} : { timeout: Math.max(1, Math.floor(options.timeoutMs)) }),
            ...(options.rowsAsArray ? { rowsAsArray: true } : {}),
          },
          params as never,
        );
        return result as T;
      } catch (error) {
        if (isStatementTimeout(error)) await this.abandon();
        throw error;
      }
    },
  };

  /** See `Database.readRows`. */
  readRows(sql: string, params: readonly SqlParam[], options: RowStreamOptions): Promise<RowStreamEnd> {
    const core = (this.connection as unknown as { connection: StreamingConnection & ConnectionEvents }).connection;
    return new Promise<RowStreamEnd>((resolve, reject) => {
      let wanted = true;
      let skipped = 0;
      let settled = false;
      let failure: { error: unknown } | null = null;
      const finish = (outcome: RowStreamEnd | { error: unknown }) => {
        if (typeof outcome === 'string') resolve(outcome);
        else reject(outcome.error);
      };
      const done = () => {
        settled = true;
        clearTimeout(timer);
        core.removeListener('error', connectionLost);
        core.removeListener('end', connectionLost);
      };
      const settle = (outcome: RowStreamEnd | { error: unknown }) => {
        if (settled) return;
        done();
        finish(failure ?? outcome);
      };
      // Stops the statement: the connection is given up (its remaining rows would still arrive) and the query killed.
      const stop = (end: RowStreamEnd) => {
        if (settled) return;
        done();
        void this.abandon().then(() => finish(failure ?? end));
      };
      // The connection died under the read: the read fails at once with the connection error (never a complete
      // page of the rows that did arrive; 'stopped' only when the consumer had already taken all it wanted), and the
      // dead connection is destroyed, never returned to the pool.
      const connectionLost = (error?: unknown) => {
        if (settled) return;
        done();
        this.abandoned = true;
        this.connection.destroy();
        finish(failure ?? (wanted ? { error: error ?? connectionLostError() } : 'stopped'));
      };
      // Throws for parameters the driver refuses, before anything is sent: the promise then rejects with that.
      const events = core.execute({ sql, rowsAsArray: true }, params);
      const timer = setTimeout(() => stop('timed out'), Math.max(1, Math.floor(options.timeoutMs)));
      core.on('error', connectionLost);
      core.on('end', connectionLost);
      events.on('result', (row) => {
        if (settled) return;
        if (!wanted) {
          if (++skipped > SKIPPED_ROWS_AT_MOST) stop('stopped');
          return;
        }
        try {
          wanted = options.onRow(row);
        } catch (error) {
          failure = { error };
          wanted = false;
        }
      });
      events.on('error', (error) => settle({ error }));
      events.on('end', () => settle(wanted ? 'complete' : 'stopped'));
    });
  }

  async abandon(): Promise<void> {
    if (this.abandoned) return;
    this.abandoned = true;
    const threadId = this.connection.threadId;
    this.connection.destroy();
    await within(
      this.kill(threadId).catch(() => {}),
      CLEANUP_MS,
    );
  }

  /** A statement without parameters that cannot be prepared (transaction control, session settings). */
  private async control(sql: string): Promise<void> {
    await this.connection.query(sql);
  }

  async begin(lockWaitSeconds: number): Promise<void> {
    // Always set: the session keeps the value for whoever uses the connection next.
    await this.control(`SET SESSION innodb_lock_wait_timeout = ${lockWaitSeconds}`);
    await this.control('START TRANSACTION');
  }

  async commit(): Promise<void> {
    try {
      await this.control('COMMIT');
    } catch (error) {
      // The server answered with an error: the transaction was not committed. Anything else (the connection broke,
      // the server went away) leaves the outcome unknown.
      if (!isServerAnswer(error)) {
        await this.abandon();
        throw new CommitOutcomeUnknownError(error);
      }
      await this.rollback();
      throw error;
    }
  }

  /** Rolls back, or gives the connection up when that does not work in time (the server rolls back on close). */
  async rollback(): Promise<void> {
    if (this.abandoned) return;
    const outcome = await within(
      this.connection.rollback().then(() => 'done' as const),
      CLEANUP_MS,
    ).catch(() => 'failed' as const);
    if (outcome !== 'done') await this.abandon();
  }

  finish(): void {
    if (!this.abandoned) this.connection.release();
  }
}

/** Error codes the server sends as it ends the session: what it was doing is not known to have finished or not. */
const SESSION_ENDED = new Set([
  'ER_CONNECTION_KILLED',
  'ER_SERVER_SHUTDOWN',
  'ER_NORMAL_SHUTDOWN',
  'ER_QUERY_INTERRUPTED',
]);

/** A server's error answer to a statement (not a broken connection, not a session the server ended). */
function isServerAnswer(error: unknown): boolean {
  const driver = (error ?? {}) as { errno?: number; sqlState?: string; fatal?: boolean; code?: string };
  return (
    driver.errno !== undefined &&
    driver.sqlState !== undefined &&
    !driver.fatal &&
    !SESSION_ENDED.has(driver.code ?? '')
  );
}

/** One mysql2 pool: the primitives the shared PooledDatabase runs its orchestration on. */
class MySqlConnections implements EngineConnections {
  private readonly pool: mysql.Pool;

  constructor(
    settings: ConnectionSettings,
    credentials: DatabaseCredentials,
    driver: typeof mysql,
    ssl: mysql.SslOptions | undefined,
  ) {
    this.pool = driver.createPool({
      host: settings.host,
      port: settings.port,
      // The same TCP connection mysql2 would open, failing clearly when the server sends no MySQL greeting; under
      // VERIFY_IDENTITY it carries an IP host, the only way the certificate is checked against it (ipHostSocket.ts).
      stream: greetingWatchedStream(
        settings.host,
        settings.port,
        ssl?.verifyIdentity ? (socket) => carryIpHostForIdentity(socket, settings.host) : undefined,
      ),
      database: settings.database,
      user: credentials.username,
      password: credentials.password,
      ssl,
      connectTimeout: LIMITS.connectTimeoutMs,
      connectionLimit: POOL_SIZE,
      // maxIdle below connectionLimit would start a timer that keeps a process that loaded the bundle alive until
      // the pool is closed; unused pools are closed by DatabasePools instead.
      maxIdle: POOL_SIZE,
      idleTimeout: 60_000,
      enableKeepAlive: true,
      charset: 'utf8mb4_general_ci',
      timezone: 'Z',
      // Exact values: BIGINT and DECIMAL as strings, dates as the server's text, JSON as its text.
      supportBigNumbers: true,
      bigNumberStrings: true,
      decimalNumbers: false,
      dateStrings: true,
      jsonStrings: true,
      // Server-side prepared statements kept open per connection (mysql2 closes the least recently used one
      // beyond this): at most POOL_SIZE × 32 = 64 per warm instance, so ~250 warm instances stay under MySQL's
      // default max_prepared_stmt_count (16,382), which every client of the server shares.
      maxPreparedStatements: PREPARED_STATEMENTS_PER_CONNECTION,
      // IAM tokens are sent in clear text when the server asks for it (RDS does); TLS is enforced for them.
      enableCleartextPlugin: credentials.cleartext === true,
      multipleStatements: false,
    });
    this.pool.pool.on('connection', (connection) => {
      connection.query(SESSION_SETUP);
    });
  }

  async lease(): Promise<EngineLease> {
    return new Lease(await this.pool.getConnection(), this.killQuery);
  }

  async probe(timeoutMs: number): Promise<void> {
    await this.pool.query({ sql: 'SELECT 1', timeout: Math.max(1, Math.floor(timeoutMs)) });
  }

  isStaleConnection(error: unknown): boolean {
    return isStaleConnection(error);
  }

  private readonly killQuery = async (threadId: number): Promise<void> => {
    await this.pool.query({ sql: `KILL QUERY ${Math.trunc(threadId)}`, timeout: CLEANUP_MS });
  };

  close(): Promise<void> {
    return this.pool.end();
  }
}

/** MySQL pools by connection identity, reused across warm invocations. */
export class MySqlPools extends PoolCache {
  constructor() {
    super(
      async (settings, credentials) =>
        new PooledDatabase(
          settings,
          new MySqlConnections(settings, credentials, await loadMysql(), await sslOptions(settings)),
        ),
    );
  }
}
