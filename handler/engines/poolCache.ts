/**
 * Pools by connection identity, reused across warm invocations: the part of `EnginePools` every engine shares. An
 * engine supplies how to open one pool; this keeps them, most recently used last.
 *
 * Pools of a rotated password or an old IAM token, or of a connection no longer used, are closed once more than a
 * few exist or once unused for minutes (with IAM authentication every token renewal opens a new pool, and the old
 * ones would otherwise keep their connections open on the server). A pool is never closed under a request that is
 * using it, since one instance serves one request at a time.
 */
import { createHash } from 'node:crypto';
import type { DatabaseCredentials } from '../secrets';
import type { ConnectionSettings } from '../settings';
import type { Database, EnginePools } from './engine';

const MAX_POOLS = 16;
/** A pool unused for this long is closed (longer than the gap between pages of one flow). */
const UNUSED_POOL_MS = 5 * 60_000;

/** Password hashes per credentials object: warm calls get the secret cache's same object, hashed once. */
const passwordHashes = new WeakMap<DatabaseCredentials, string>();

/** The identity a pool serves: server, database, TLS mode and login (the password only as a hash). */
function poolKey(settings: ConnectionSettings, credentials: DatabaseCredentials): string {
  let passwordHash = passwordHashes.get(credentials);
  if (passwordHash === undefined) {
    passwordHash = createHash('sha256').update(credentials.password).digest('hex');
    passwordHashes.set(credentials, passwordHash);
  }
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

export class PoolCache implements EnginePools {
  private readonly pools = new Map<string, Database>();

  constructor(
    private readonly open: (settings: ConnectionSettings, credentials: DatabaseCredentials) => Promise<Database>,
  ) {}

  async get(settings: ConnectionSettings, credentials: DatabaseCredentials): Promise<Database> {
    this.closeUnused();
    const key = poolKey(settings, credentials);
    const existing = this.reuse(key);
    if (existing) return existing;
    const opened = await this.open(settings, credentials);
    // Looked up again after the await: a concurrent call for the same identity may have made the pool meanwhile.
    const made = this.reuse(key);
    if (made) {
      void opened.close().catch(() => {});
      return made;
    }
    this.pools.set(key, opened);
    while (this.pools.size > MAX_POOLS) {
      const [oldestKey, oldest] = this.pools.entries().next().value as [string, Database];
      this.pools.delete(oldestKey);
      void oldest.close().catch(() => {});
    }
    return opened;
  }

  /** The pool of `key`, marked most recently used; undefined when there is none. */
  private reuse(key: string): Database | undefined {
    const database = this.pools.get(key);
    if (database) {
      this.pools.delete(key);
      this.pools.set(key, database);
    }
    return database;
  }

  /** Closes pools nobody used for a while. */
  private closeUnused(): void {
    for (const [key, database] of this.pools) {
      if (database.idleForMs() > UNUSED_POOL_MS) {
        this.pools.delete(key);
        void database.close().catch(() => {});
      }
    }
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
