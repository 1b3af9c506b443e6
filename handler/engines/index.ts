/**
 * The engine a profile's settings name: the one place that maps `engine` to an implementation of Engine.
 */
import type { ConnectionSettings } from '../settings';
import type { Engine } from './engine';
import { mysqlEngine } from './mysql';
import { postgresqlEngine } from './postgresql';

export function engineFor(settings: Pick<ConnectionSettings, 'engine'>): Engine {
  switch (settings.engine) {
    case 'MYSQL':
      return mysqlEngine;
    case 'POSTGRESQL':
      return postgresqlEngine;
  }
}
