/**
 * The schema facts of every engine of the registry (fuzz/schema/dialect.ts), by its folder name: a new engine does not
 * compile until it states them. Only this file knows them all.
 */
import type { SchemaDialect } from './dialect';
import { MYSQL_SCHEMA } from './mysql';
import { POSTGRESQL_SCHEMA } from './postgresql';
import type { Engine } from './types';

const DIALECTS: Record<Engine, SchemaDialect> = { mysql: MYSQL_SCHEMA, postgresql: POSTGRESQL_SCHEMA };

export function schemaDialect(engine: Engine): SchemaDialect {
  return DIALECTS[engine];
}
