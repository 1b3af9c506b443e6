/**
 * The engine a profile's settings name: the one place that maps `engine` to an implementation of Engine. Its keys
 * are the registry's (handler/engines/registry.ts): the type system asks for one line per registry entry.
 */
import type { ConnectionSettings } from '../settings';
import type { Engine } from './engine';
import { mysqlEngine } from './mysql';
import { postgresqlEngine } from './postgresql';
import type { DatabaseEngine } from './registry';

const IMPLEMENTATIONS: Readonly<Record<DatabaseEngine, Engine>> = {
  MYSQL: mysqlEngine,
  POSTGRESQL: postgresqlEngine,
};

export function engineFor(settings: Pick<ConnectionSettings, 'engine'>): Engine {
  return IMPLEMENTATIONS[settings.engine];
}
