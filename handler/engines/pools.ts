/**
 * Connection pools of every engine, kept across warm invocations: each engine's own pools (`Engine.createPools`),
 * created the first time a profile of that engine is used. The caller has chosen the engine (once per request).
 */
import type { DatabaseCredentials } from '../secrets';
import type { ConnectionSettings } from '../settings';
import type { Database, Engine, EnginePools } from './engine';

export class DatabasePools {
  private readonly byEngine = new Map<string, EnginePools>();

  private poolsOf(engine: Engine): EnginePools {
    let pools = this.byEngine.get(engine.name);
    if (!pools) {
      pools = engine.createPools();
      this.byEngine.set(engine.name, pools);
    }
    return pools;
  }

  get(engine: Engine, settings: ConnectionSettings, credentials: DatabaseCredentials): Promise<Database> {
    return this.poolsOf(engine).get(settings, credentials);
  }

  /** Drops a pool whose credentials were rejected. */
  discard(engine: Engine, settings: ConnectionSettings, credentials: DatabaseCredentials): void {
    this.byEngine.get(engine.name)?.discard(settings, credentials);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.byEngine.values()].map((pools) => pools.closeAll()));
  }
}
