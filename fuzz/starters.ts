/**
 * The engine starters of the fuzz stage, one per engine of the registry: a new engine does not compile until it has
 * one. stage.ts states what a stage is and imports no starter; each starter (fuzz/mysql.ts, fuzz/postgresql.ts)
 * implements it, and only this file knows them all.
 */
import { startMySqlFuzzStage } from './mysql';
import { startPostgreSqlFuzzStage } from './postgresql';
import type { FuzzEngine, FuzzStage } from './stage';

const STARTERS: Record<FuzzEngine, () => Promise<FuzzStage>> = {
  mysql: startMySqlFuzzStage,
  postgresql: startPostgreSqlFuzzStage,
};

/** Starts the stage of an engine (with its fixtures seeded). */
export async function startFuzzStage(engine: FuzzEngine): Promise<FuzzStage> {
  return STARTERS[engine]();
}
