/**
 * Connection pools of every engine, kept across warm invocations: each engine's own pools (`Engine.createPools`),
 * created the first time a profile of that engine is used.
 */
import type { DatabaseCredentials } from '../secrets';
import type { ConnectionSettings } from '../settings';
import type { Database, EnginePools } from './engine';
import { engineFor } from './index';

export class DatabasePools {
  private readonly byEngine = new Map<string, EnginePools>();

  private poolsOf(settings: ConnectionSettings): EnginePools {
    const engine = engineFor(settings);
    let pools = this.byEngine.get(engine.name);
    if (!pools) {
      pools = engine.createPools();
      this.byEngine.set(engine.name, pools);
    }
    return pools;
  }

  get(settings: ConnectionSettings, credentials: DatabaseCredentials): Promise<Database> {
    return this.poolsOf(settings).get(settings, credentials);
  }

  /** Drops a pool whose credentials were rejected. */
  discard(settings: ConnectionSettings, credentials: DatabaseCredentials): void {
    this.byEngine.get(engineFor(settings).name)?.discard(settings, credentials);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.byEngine.values()].map((pools) => pools.closeAll()));
  }
}
