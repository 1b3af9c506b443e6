/**
 * mysql2 connection pools, kept across warm invocations. One pool per (server, database, TLS mode, user,
 * password): a rotated password gets a new pool and the old one is closed.
 *
 * Every session is UTC (DATETIME literals in filters are UTC instants; TIMESTAMP values are read in UTC) and strict
 * (bad values are errors, never silently truncated). Values reach SQL only through `execute`, i.e. server-side
 * prepared statements with bound parameters.
 */
import { createHash } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import type mysql from 'mysql2/promise';
import { loadMysql, loadRdsCertificates } from '../lazyModules';
import { LIMITS } from '../protocol/constants';
import type { DatabaseCredentials } from '../secrets';
import type { ConnectionSettings } from '../settings';

export type SqlParam = string | number | null | Buffer;

export interface QueryOptions {
  /** Client-side timeout for this statement; the connection is dropped when it fires. */
  readonly timeoutMs?: number;
  /** Rows as arrays in select-list order (faster to read and encode than objects). */
  readonly rowsAsArray?: boolean;
}

export interface SqlRunner {
  /** Runs one statement with bound parameters; returns rows (SELECT) or the result header (INSERT/UPDATE/DELETE). */
  execute<T = unknown>(sql: string, params?: readonly SqlParam[], options?: QueryOptions): Promise<T>;
}

export interface TransactionOptions {
  /** How long a statement may wait for a row lock before failing (InnoDB's innodb_lock_wait_timeout). */
  readonly lockWaitSeconds?: number;
}

export interface Database extends SqlRunner {
  readonly settings: ConnectionSettings;
  /**
   * Makes sure pooled connections still work before a request uses them: after the server restarted or dropped an
   * idle connection, the broken ones are discarded and a new one is opened, so the request itself never fails on a
   * stale connection. Cheap when the pool was used a moment ago.
   */
  ensureReady(timeoutMs: number): Promise<void>;
  /** Runs `work` on one connection inside a transaction; rolls back when it throws. */
  transaction<T>(work: (connection: SqlRunner) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Runs `work` on one dedicated connection (no transaction). */
  withConnection<T>(work: (connection: SqlRunner) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Session set-up run on every new connection. */
/** Row-lock waits longer than this fail the statement (a write has 30 s in all). */
const LOCK_WAIT_SECONDS = 10;
const SESSION_SETUP =
  "SET time_zone = '+00:00', " +
  "sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION', " +
  `innodb_lock_wait_timeout = ${LOCK_WAIT_SECONDS}`;
/** One Lambda instance serves one request at a time; two connections cover a transaction plus metadata reads. */
const POOL_SIZE = 2;

async function sslOptions(settings: ConnectionSettings): Promise<mysql.SslOptions | undefined> {
  switch (settings.tlsMode) {
    case 'DISABLED':
      return undefined;
    case 'REQUIRED':
      // Encrypted, certificate not verified (like MySQL's ssl-mode=REQUIRED). The connection fails if the server
      // does not offer TLS.
      return { rejectUnauthorized: false, minVersion: 'TLSv1.2' };
    case 'VERIFY_IDENTITY':
      // Node checks the chain and the host name against these CAs: the system's plus Amazon RDS's bundle.
      return {
        ca: [...rootCertificates, ...(await loadRdsCertificates())],
        rejectUnauthorized: true,
        minVersion: 'TLSv1.2',
      };
  }
}

function wrapRunner(target: {
  execute: (options: mysql.QueryOptions, values?: unknown) => Promise<[unknown, unknown]>;
}): SqlRunner {
  return {
    async execute<T>(sql: string, params: readonly SqlParam[] = [], options: QueryOptions = {}) {
      const [result] = await target.execute(
        {
          sql,
          ...(options.timeoutMs === undefined ? {} : { timeout: Math.max(1, Math.floor(options.timeoutMs)) }),
          ...(options.rowsAsArray ? { rowsAsArray: true } : {}),
        },
        params,
      );
      return result as T;
    },
  };
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

/** A pool used within this many milliseconds is assumed healthy. */
const FRESH_POOL_MS = 1_000;

class PooledDatabase implements Database {
  private readonly pool: mysql.Pool;
  private readonly runner: SqlRunner;
  private lastUsed = 0;

  constructor(
    readonly settings: ConnectionSettings,
    credentials: DatabaseCredentials,
    driver: typeof mysql,
    ssl: mysql.SslOptions | undefined,
  ) {
    this.pool = driver.createPool({
      host: settings.host,
      port: settings.port,
      database: settings.database,
      user: credentials.username,
      password: credentials.password,
      ssl,
      connectTimeout: LIMITS.connectTimeoutMs,
      connectionLimit: POOL_SIZE,
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
      maxPreparedStatements: 256,
      // IAM tokens are sent in clear text when the server asks for it (RDS does); TLS is enforced for them.
      enableCleartextPlugin: credentials.cleartext === true,
      multipleStatements: false,
    });
    this.pool.pool.on('connection', (connection) => {
      connection.query(SESSION_SETUP);
    });
    this.runner = wrapRunner(this.pool as never);
  }

  async ensureReady(timeoutMs: number): Promise<void> {
    if (Date.now() - this.lastUsed < FRESH_POOL_MS) return;
    // Each failed probe removes one broken idle connection; one more than the pool holds always reaches a new one.
    for (let attempt = 0; ; attempt++) {
      try {
        await this.pool.query({ sql: 'SELECT 1', timeout: Math.max(1, Math.floor(timeoutMs)) });
        this.lastUsed = Date.now();
        return;
      } catch (error) {
        if (!isStaleConnection(error) || attempt >= POOL_SIZE) throw error;
      }
    }
  }

  async execute<T>(sql: string, params?: readonly SqlParam[], options?: QueryOptions): Promise<T> {
    const result = await this.runner.execute<T>(sql, params, options);
    this.lastUsed = Date.now();
    return result;
  }

  async withConnection<T>(work: (connection: SqlRunner) => Promise<T>): Promise<T> {
    const connection = await this.pool.getConnection();
    try {
      return await work(wrapRunner(connection as never));
    } finally {
      connection.release();
    }
  }

  async transaction<T>(work: (connection: SqlRunner) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const connection = await this.pool.getConnection();
    let healthy = true;
    try {
      if (options.lockWaitSeconds !== undefined) {
        const seconds = Math.max(1, Math.min(LOCK_WAIT_SECONDS, Math.floor(options.lockWaitSeconds)));
        await connection.query(`SET SESSION innodb_lock_wait_timeout = ${seconds}`);
      }
      await connection.beginTransaction();
      const result = await work(wrapRunner(connection as never));
      await connection.commit();
      this.lastUsed = Date.now();
      return result;
    } catch (error) {
      try {
        await connection.rollback();
      } catch {
        // The connection is broken (killed, timed out): the server rolls back on disconnect.
        healthy = false;
      }
      throw error;
    } finally {
      if (healthy) connection.release();
      else connection.destroy();
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

function poolKey(settings: ConnectionSettings, credentials: DatabaseCredentials): string {
  const passwordHash = createHash('sha256').update(credentials.password).digest('hex');
  return [
    settings.host,
    settings.port,
    settings.database,
    settings.tlsMode,
    credentials.username,
    passwordHash,
    credentials.cleartext === true,
  ].join('\u0000');
}

const MAX_POOLS = 16;

/** Pools by connection identity, reused across warm invocations. */
export class DatabasePools {
  private readonly pools = new Map<string, Database>();

  async get(settings: ConnectionSettings, credentials: DatabaseCredentials): Promise<Database> {
    const key = poolKey(settings, credentials);
    let database = this.pools.get(key);
    if (database) {
      // Most recently used last.
      this.pools.delete(key);
      this.pools.set(key, database);
      return database;
    }
    database = new PooledDatabase(settings, credentials, await loadMysql(), await sslOptions(settings));
    this.pools.set(key, database);
    // Pools of a rotated password or a connection no longer used are closed once more than a few exist; a pool is
    // never closed under a request that is using it, since one instance serves one request at a time.
    while (this.pools.size > MAX_POOLS) {
      const [oldestKey, oldest] = this.pools.entries().next().value as [string, Database];
      this.pools.delete(oldestKey);
      void oldest.close().catch(() => {});
    }
    return database;
  }

  /** Drops a pool whose credentials were rejected. */
  discard(settings: ConnectionSettings, credentials: DatabaseCredentials): void {
    const key = poolKey(settings, credentials);
    const database = this.pools.get(key);
    if (database) {
      this.pools.delete(key);
      void database.close().catch(() => {});
    }
  }

  async closeAll(): Promise<void> {
    const all = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(all.map((database) => database.close().catch(() => {})));
  }
}
