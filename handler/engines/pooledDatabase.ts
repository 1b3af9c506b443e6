/**
 * The `Database` every engine shares: a pool's connections lent to one piece of work at a time, with the
 * orchestration written once — the freshness probe, transactions with a bounded row-lock wait (begin, work,
 * rollback when the work fails, commit), and the clock `DatabasePools` reads to close unused pools.
 *
 * An engine supplies only primitives, as `EngineConnections`: lend one connection (`EngineLease`), probe the pool,
 * recognise a broken pooled connection, close. How its driver runs a statement, streams rows, stops a statement that
 * outlives its time and decides whether a connection may go back to the pool stays in the engine's lease.
 */
import type { ConnectionSettings } from '../settings';
import type {
  Database,
  QueryOptions,
  RowStreamEnd,
  RowStreamOptions,
  SqlParam,
  SqlWriter,
  TransactionOptions,
  TransactionRunner,
  WriteResult,
} from './engine';

/** One Lambda instance serves one request at a time; two connections cover a transaction plus metadata reads. */
export const POOL_SIZE = 2;
/** Row-lock waits longer than this fail the statement (a write has 30 s in all); also each engine's session default. */
export const LOCK_WAIT_SECONDS = 10;
/** A pool used within this many milliseconds is assumed healthy. */
const FRESH_POOL_MS = 1_000;

/** One pooled connection lent to a piece of work. */
export interface EngineLease {
  /** Statements on this connection (inside the transaction once `begin` has run). */
  readonly runner: SqlWriter;
  /** See `Database.readRows`. */
  readRows(sql: string, params: readonly SqlParam[], options: RowStreamOptions): Promise<RowStreamEnd>;
  /** Starts a transaction whose row-lock waits give up after `lockWaitSeconds`. */
  begin(lockWaitSeconds: number): Promise<void>;
  /**
   * Commits. A COMMIT the server refused leaves nothing committed and rejects with the server's error; when the
   * outcome is not known (the connection broke, no answer in time) it rejects with CommitOutcomeUnknownError and
   * the connection is never reused.
   */
  commit(): Promise<void>;
  /** Rolls back, or gives the connection up when that does not work in time (the server rolls back on close). */
  rollback(): Promise<void>;
  /** Returns the connection to the pool, or destroys it when it may not be reused. */
  finish(): void;
  /**
   * Savepoint statements, for an engine where a failed statement aborts the whole transaction (PostgreSQL); absent
   * where the server undoes a failed statement by itself and the transaction goes on (MySQL/InnoDB).
   */
  readonly savepoints?: {
    set(name: string): Promise<void>;
    rollbackTo(name: string): Promise<void>;
    release(name: string): Promise<void>;
  };
}

/** What an engine supplies for one pool: one connection identity (server, database, login). */
export interface EngineConnections {
  lease(): Promise<EngineLease>;
  /** One trivial statement; rejects with the driver's error when the pooled connection it used was broken. */
  probe(timeoutMs: number): Promise<void>;
  /** The error says a pooled connection was broken (the server restarted or dropped it), not that the server is down. */
  isStaleConnection(error: unknown): boolean;
  close(): Promise<void>;
}

export class PooledDatabase implements Database {
  private lastUsed = 0;
  private readonly created = Date.now();
  private savepointsMade = 0;

  constructor(
    readonly settings: ConnectionSettings,
    private readonly connections: EngineConnections,
  ) {}

  idleForMs(): number {
    return Date.now() - Math.max(this.lastUsed, this.created);
  }

  async ensureReady(timeoutMs: number): Promise<void> {
    if (Date.now() - this.lastUsed < FRESH_POOL_MS) return;
    // Each failed probe removes one broken idle connection; one more than the pool holds always reaches a new one.
    for (let attempt = 0; ; attempt++) {
      try {
        await this.connections.probe(timeoutMs);
        this.lastUsed = Date.now();
        return;
      } catch (error) {
        if (!this.connections.isStaleConnection(error) || attempt >= POOL_SIZE) throw error;
      }
    }
  }

  execute<T>(sql: string, params?: readonly SqlParam[], options?: QueryOptions): Promise<T> {
    return this.withConnection((runner) => runner.execute<T>(sql, params, options));
  }

  write(sql: string, params?: readonly SqlParam[], options?: QueryOptions): Promise<WriteResult> {
    return this.withConnection((runner) => runner.write(sql, params, options));
  }

  readRows(sql: string, params: readonly SqlParam[], options: RowStreamOptions): Promise<RowStreamEnd> {
    return this.withLease((lease) => lease.readRows(sql, params, options));
  }

  withConnection<T>(work: (connection: SqlWriter) => Promise<T>): Promise<T> {
    return this.withLease((lease) => work(lease.runner));
  }

  transaction<T>(work: (connection: TransactionRunner) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const lockWaitSeconds = Math.max(
      1,
      Math.min(LOCK_WAIT_SECONDS, Math.floor(options.lockWaitSeconds ?? LOCK_WAIT_SECONDS)),
    );
    return this.withLease(async (lease) => {
      let result: T;
      try {
        await lease.begin(lockWaitSeconds);
        result = await work({
          execute: (sql, params, queryOptions) => lease.runner.execute(sql, params, queryOptions),
          write: (sql, params, queryOptions) => lease.runner.write(sql, params, queryOptions),
          isolated: (isolatedWork) => this.isolated(lease, isolatedWork),
        });
      } catch (error) {
        await lease.rollback();
        throw error;
      }
      await lease.commit();
      return result;
    });
  }

  close(): Promise<void> {
    return this.connections.close();
  }

  /** See `TransactionRunner.isolated`: released when `work` succeeds, rolled back to when it throws. */
  private async isolated<T>(lease: EngineLease, work: () => Promise<T>): Promise<T> {
    const { savepoints } = lease;
    if (!savepoints) return work();
    const name = `appflow_${++this.savepointsMade}`;
    await savepoints.set(name);
    let result: T;
    try {
      result = await work();
    } catch (error) {
      await savepoints.rollbackTo(name);
      throw error;
    }
    await savepoints.release(name);
    return result;
  }

  private async withLease<T>(work: (lease: EngineLease) => Promise<T>): Promise<T> {
    const lease = await this.connections.lease();
    try {
      const result = await work(lease);
      this.lastUsed = Date.now();
      return result;
    } finally {
      lease.finish();
    }
  }
}
