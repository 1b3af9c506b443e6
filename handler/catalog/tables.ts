/**
 * Table metadata reused for a short time: pages of one flow arrive seconds apart. Read through the engine of the
 * database's settings, from the namespace those settings name.
 */
import type { Database, TableMeta } from '../engines/engine';
import { engineFor } from '../engines/index';
import { LIMITS } from '../protocol/constants';

export class TableMetaCache {
  private readonly entries = new WeakMap<Database, Map<string, { meta: TableMeta; expiresAt: number }>>();

  constructor(
    private readonly ttlMs: number = LIMITS.tableMetadataTtlMs,
    private readonly now: () => number = Date.now,
  ) {}

  async get(database: Database, tableName: string, timeoutMs: number): Promise<TableMeta> {
    let perDatabase = this.entries.get(database);
    if (!perDatabase) {
      perDatabase = new Map();
      this.entries.set(database, perDatabase);
    }
    const cached = perDatabase.get(tableName);
    if (cached && cached.expiresAt > this.now()) return cached.meta;
    const { catalog } = engineFor(database.settings);
    const meta = await catalog.describeTable(database, catalog.namespaceOf(database.settings), tableName, timeoutMs);
    perDatabase.set(tableName, { meta, expiresAt: this.now() + this.ttlMs });
    return meta;
  }

  /** Forgets a table (after a write failed in a way that suggests its definition changed). */
  forget(database: Database, tableName: string): void {
    this.entries.get(database)?.delete(tableName);
  }
}
