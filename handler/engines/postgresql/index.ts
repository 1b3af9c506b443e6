/**
 * The PostgreSQL engine: PostgreSQL 12+, Amazon RDS and Aurora PostgreSQL through node-postgres (pg; reads
 * pipelined by ./portalRead.ts).
 * Entities are the tables and views of one schema (the profile's `schema`, default `public`).
 */
import type { Catalog, Engine, ValueCodecs } from '../engine';
import { generatedRecordEncoder } from '../generatedEncoder';
import { ENGINES } from '../registry';
import { describeTable, listTables, type PgColumnMeta, schemaProblem } from './catalog';
import { PostgreSqlPools } from './connection';
import { postgresqlDialect } from './dialect';
import { postgresqlErrors } from './errors';
import { checkKeyCell, toKeyCell } from './keys';
import { converter, renderer } from './values';
import { postgresqlWrites } from './writes';

/** PostgreSQL keeps identifiers of at most NAMEDATALEN - 1 = 63 bytes (longer ones are cut, so never match). */
const IDENTIFIER_MAX_BYTES = 63;

const postgresqlCatalog: Catalog = {
  namespaceOf: (settings) => settings.schema ?? ENGINES.POSTGRESQL.namespace.default,
  tableNameProblem(name) {
    if (name.length === 0) return 'a table name cannot be empty';
    if (name.includes('\u0000')) return 'a table name cannot contain the NUL character';
    if (Buffer.byteLength(name, 'utf8') > IDENTIFIER_MAX_BYTES) {
      return `PostgreSQL table names have at most ${IDENTIFIER_MAX_BYTES} bytes`;
    }
    return null;
  },
  listTables,
  describeTable,
  namespaceProblem: schemaProblem,
};

const postgresqlValues: ValueCodecs = {
  recordEncoder: (columns) => generatedRecordEncoder(columns as readonly PgColumnMeta[], renderer),
  converter: (column) => converter(column as PgColumnMeta),
  keyCell: toKeyCell,
  checkKeyCell,
};

export const postgresqlEngine: Engine = {
  name: 'postgresql',
  createPools: () => new PostgreSqlPools(),
  catalog: postgresqlCatalog,
  dialect: postgresqlDialect,
  values: postgresqlValues,
  writes: postgresqlWrites,
  errors: postgresqlErrors,
};
