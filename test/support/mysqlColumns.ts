/**
 * MySQL/MariaDB column descriptions as the catalog would give them, for tests of the value conversion and record
 * encoding: nullable, no default, no key, not generated; what a test cares about on top. And a real table as the
 * catalog describes it.
 */
import type mysql from 'mysql2/promise';
import { readTableMeta } from '../../handler/engines/mysql/catalog';
import { classifyColumn, type MySqlColumn, type MySqlTableMeta } from '../../handler/engines/mysql/columns';

/** A column of the given name, type and value kind (dataType String unless told otherwise). */
export function mysqlColumnOf(
  fields: Pick<MySqlColumn, 'name' | 'sqlType' | 'columnType' | 'kind'> & Partial<MySqlColumn>,
): MySqlColumn {
  return {
    unsigned: false,
    nullable: true,
    defaultValue: null,
    defaultedOnCreate: true,
    autoIncrement: false,
    generated: false,
    maxLength: null,
    numericScale: null,
    enumValues: null,
    comment: null,
    dataType: 'String',
    primaryKey: false,
    uniqueKey: false,
    ...fields,
  };
}

/** Column `f` of a COLUMN_TYPE ('decimal(6,2)', 'int unsigned', 'json'), classified as the catalog classifies it. */
export function mysqlColumn(columnType: string, overrides: Partial<MySqlColumn> = {}): MySqlColumn {
  const sqlType = columnType.replace(/\(.*$/, '').split(' ')[0]!.toLowerCase();
  const { dataType, kind } = classifyColumn({ sqlType, columnType, isJson: sqlType === 'json' });
  return mysqlColumnOf({
    name: 'f',
    sqlType,
    columnType,
    unsigned: /unsigned/.test(columnType),
    dataType,
    kind,
    ...overrides,
  });
}

/** The table as the MySQL catalog describes it, read through a mysql2 connection of the test's own. */
export function catalogTable(connection: mysql.Connection, database: string, table: string): Promise<MySqlTableMeta> {
  return readTableMeta(
    { execute: async (sql, params) => (await connection.execute(sql, params as never))[0] as never },
    database,
    table,
    5000,
  );
}
