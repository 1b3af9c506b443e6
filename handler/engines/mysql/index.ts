/**
 * The MySQL engine: MySQL, MariaDB and Aurora MySQL through mysql2.
 */
import type { Engine, ValueCodecs } from '../engine';
import { mysqlCatalog } from './catalog';
import { mysqlColumn } from './columns';
import { MySqlPools } from './connection';
import { mysqlDialect } from './dialect';
import { mysqlErrors } from './errors';
import { checkKeyCell, toKeyCell } from './keys';
import { createRecordEncoder } from './recordEncoder';
import { convertValue } from './values';
import { mysqlWrites } from './writes';

const mysqlValues: ValueCodecs = {
  recordEncoder: (columns) => createRecordEncoder(columns.map(mysqlColumn)),
  converter(column) {
    const mysql = mysqlColumn(column);
    return (value) => convertValue(mysql, value);
  },
  keyCell: (value) => toKeyCell(value),
  checkKeyCell: (cell, column) => checkKeyCell(cell, mysqlColumn(column)),
};

export const mysqlEngine: Engine = {
  name: 'mysql',
  createPools: () => new MySqlPools(),
  catalog: mysqlCatalog,
  dialect: mysqlDialect,
  values: mysqlValues,
  writes: mysqlWrites,
  errors: mysqlErrors,
};
