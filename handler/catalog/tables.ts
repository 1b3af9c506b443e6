/**
 * Table metadata reused for a short time: pages of one flow arrive seconds apart. Kept per pool and namespace (two
 * profiles may share a pool and name different schemas), read through the session's engine.
 */
import type { Session } from '../databaseAccess';
import type { Database, TableMeta } from '../engines/engine';
import { LIMITS } from '../protocol/constants';

type Entry = { meta: TableMeta; expiresAt: number };

export class TableMetaCache {
  /** Pool → "namespace\u0000table" → entry; a pool that is dropped takes its entries with it. */
  private readonly entries = new WeakMap<Database, Map<string, Entry>>();

  constructor(
    private readonly ttlMs: number = LIMITS.tableMetadataTtlMs,
    private readonly now: () => number = Date.now,
  ) {}

  async get(session: Session, tableName: string, timeoutMs: number): Promise<TableMeta> {
    const { database, engine, namespace } = session;
    let perDatabase = this.entries.get(database);
    if (!perDatabase) {
      perDatabase = new Map();
      this.entries.set(database, perDatabase);
    }
    const key = entryKey(namespace, tableName);
    const cached = perDatabase.get(key);
    if (cached && cached.expiresAt > this.now()) return cached.meta;
    const meta = await engine.catalog.describeTable(database, namespace, tableName, timeoutMs);
    perDatabase.set(key, { meta, expiresAt: this.now() + this.ttlMs });
    return meta;
  }

  /** Forgets a table (after a write failed in a way that suggests its definition changed). */
  forget(session: Session, tableName: string): void {
    this.entries.get(session.database)?.delete(entryKey(session.namespace, tableName));
  }
}

/** Names may hold any character but NUL, which neither engine allows in an identifier. */
function entryKey(namespace: string, tableName: string): string {
  return `${namespace}\u0000${tableName}`;
}
