/**
 * What the MySQL catalog says of columns, through the built bundle against the throwaway MariaDB and, for MySQL 8
 * (no server here), on MySQL 8's documented information_schema answers as fixtures: expression defaults are no
 * default values, one TINYINT(1) rule for both servers, and the column facts the value code reads (collation,
 * fractional-seconds precision, scale, SRID).
 */
import { randomBytes } from 'node:crypto';
import test from 'ava';
import mysql from 'mysql2/promise';
import { literalDefault, readTableMeta } from '../../../handler/engines/mysql/catalog';
import { classifyColumn, type MySqlColumnMeta } from '../../../handler/engines/mysql/columns';
import { defaultsShown } from '../../support/engineStage';
import { type ConnectorStage, startConnectorStage } from '../../support/environment';
import {
  describeEntityEvent,
  listEntitiesEvent,
  queryDataEvent,
  secretArnFor,
  writeDataEvent,
} from '../../support/events';
import { invoke } from '../../support/lambda';
import { catalogTable } from '../../support/mysqlColumns';

interface Field {
  fieldName: string;
  dataType: string;
  defaultValue: string | null;
  writeProperties: { isDefaultedOnCreate: boolean };
}

let stage: ConnectorStage;
let connection: mysql.Connection;

test.before(async () => {
  stage = await startConnectorStage({ seed: false });
  connection = await stage.database.connect();
  await connection.query(`
    CREATE TABLE defaults (
      id int PRIMARY KEY,
      stamped timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
      stamped3 datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      uid varchar(40) NOT NULL DEFAULT (UUID()),
      two int NOT NULL DEFAULT (1 + 1),
      today date NOT NULL DEFAULT (CURDATE()),
      word varchar(20) NOT NULL DEFAULT 'it''s',
      looks_like_call varchar(30) NOT NULL DEFAULT 'current_timestamp()',
      number_text varchar(5) NOT NULL DEFAULT '5',
      empty varchar(5) NOT NULL DEFAULT '',
      five int NOT NULL DEFAULT 5,
      minus decimal(5,2) NOT NULL DEFAULT -1.5,
      big double NOT NULL DEFAULT 1e3,
      nothing varchar(5) DEFAULT NULL,
      on_flag tinyint(1) NOT NULL DEFAULT 1,
      off_flag boolean NOT NULL DEFAULT FALSE,
      bit_flag bit(1) NOT NULL DEFAULT b'1',
      bits bit(4) NOT NULL DEFAULT b'101'
    )`);
  await connection.query(`
    CREATE TABLE widths (
      id int PRIMARY KEY,
      flag tinyint(1),
      unsigned_flag tinyint(1) unsigned,
      filled_flag tinyint(1) zerofill,
      wide tinyint(4),
      plain tinyint,
      bool_flag boolean
    )`);
  await connection.query(`
    CREATE TABLE facts (
      id int PRIMARY KEY,
      choice enum('a','A') COLLATE utf8mb4_bin,
      choices set('x','y') CHARACTER SET latin1 COLLATE latin1_general_cs,
      name varchar(10) COLLATE utf8mb4_unicode_ci,
      at datetime(3),
      at0 timestamp NULL,
      t time(6),
      d2 double(10,2),
      d double,
      f2 float(7,3),
      n decimal(12,4),
      place point REF_SYSTEM_ID=4326,
      shape geometry
    )`);
});
test.after.always(async () => {
  await connection?.end();
  await stage?.teardown();
});

async function describe(entity: string, target = stage.target): Promise<Map<string, Field>> {
  const answer = await invoke<{ isSuccess: boolean; entityDefinition: { fields: Field[] } }>(
    stage.bundle,
    describeEntityEvent(target, entity),
  );
  t_assert(answer.isSuccess, JSON.stringify(answer));
  return new Map(answer.entityDefinition.fields.map((field) => [field.fieldName, field]));
}

function t_assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

test('MariaDB: only literal defaults are default values; expression defaults are defaulted on create without one', async (t) => {
  const fields = await describe('defaults');
  const shown = defaultsShown(fields.values());
  t.deepEqual(shown, {
    id: [null, false],
    stamped: [null, true],
    stamped3: [null, true],
    uid: [null, true],
    two: [null, true],
    today: [null, true],
    word: ["it's", true],
    looks_like_call: ['current_timestamp()', true],
    number_text: ['5', true],
    empty: ['', true],
    five: ['5', true],
    minus: ['-1.50', true],
    big: ['1000', true],
    nothing: [null, true],
    // A Boolean field's default is shown as a record shows it.
    on_flag: ['true', true],
    off_flag: ['false', true],
    bit_flag: ['true', true],
    bits: [null, true],
  });

  // Every default value shown is what the server stores when the field is left out.
  const written = await invoke<{ isSuccess: boolean; writeRecordResults: { isSuccess: boolean }[] }>(
    stage.bundle,
    writeDataEvent(stage.target, 'defaults', 'INSERT', [{ id: 1 }]),
  );
  t.true(written.writeRecordResults[0]!.isSuccess, JSON.stringify(written));
  const read = await invoke<{ records: string[] }>(stage.bundle, queryDataEvent(stage.target, 'defaults'));
  const stored = JSON.parse(read.records[0]!) as Record<string, unknown>;
  for (const [name, field] of fields) {
    if (field.defaultValue === null) continue;
    // Numbers compare as numbers (DECIMAL(5,2)'s default prints -1.50, a record shows the number -1.5).
    if (typeof stored[name] === 'number') t.is(stored[name], Number(field.defaultValue), name);
    else if (typeof stored[name] === 'boolean') t.is(String(stored[name]), field.defaultValue, name);
    else t.is(stored[name], field.defaultValue, name);
  }
  t.is(stored.two, 2);
  t.regex(String(stored.uid), /^[0-9a-f-]{36}$/);
});

test('MariaDB: TINYINT(1) is Boolean only when signed and without ZEROFILL (the rule MySQL 8 can follow too)', async (t) => {
  const fields = await describe('widths');
  t.deepEqual(Object.fromEntries([...fields.values()].map((field) => [field.fieldName, field.dataType])), {
    id: 'Integer',
    flag: 'Boolean',
    unsigned_flag: 'Short',
    filled_flag: 'Short',
    wide: 'Short',
    plain: 'Short',
    bool_flag: 'Boolean',
  });
});

/**
 * COLUMN_TYPE as MySQL 8.0.19+ prints these declarations (it drops the display width except for signed TINYINT(1)
 * and for ZEROFILL columns: MySQL 8.0.19 release notes), and as MariaDB 10.11 prints them. Both must map alike.
 */
const TINYINT_DECLARATIONS: readonly { declared: string; mysql8: string; mariadb: string; dataType: string }[] = [
  { declared: 'TINYINT(1)', mysql8: 'tinyint(1)', mariadb: 'tinyint(1)', dataType: 'Boolean' },
  { declared: 'BOOLEAN', mysql8: 'tinyint(1)', mariadb: 'tinyint(1)', dataType: 'Boolean' },
  { declared: 'TINYINT(1) UNSIGNED', mysql8: 'tinyint unsigned', mariadb: 'tinyint(1) unsigned', dataType: 'Short' },
  {
    declared: 'TINYINT(1) ZEROFILL',
    mysql8: 'tinyint(1) unsigned zerofill',
    mariadb: 'tinyint(1) unsigned zerofill',
    dataType: 'Short',
  },
  { declared: 'TINYINT(4)', mysql8: 'tinyint', mariadb: 'tinyint(4)', dataType: 'Short' },
  { declared: 'TINYINT', mysql8: 'tinyint', mariadb: 'tinyint(4)', dataType: 'Short' },
  { declared: 'TINYINT UNSIGNED', mysql8: 'tinyint unsigned', mariadb: 'tinyint(3) unsigned', dataType: 'Short' },
];

test('MySQL 8 and MariaDB catalog answers for TINYINT map to the same data type', async (t) => {
  for (const { declared, mysql8, mariadb, dataType } of TINYINT_DECLARATIONS) {
    const onMySql8 = classifyColumn({ sqlType: 'tinyint', columnType: mysql8, isJson: false }).dataType;
    const onMariaDb = classifyColumn({ sqlType: 'tinyint', columnType: mariadb, isJson: false }).dataType;
    t.is<string, string>(onMySql8, dataType, `${declared} on MySQL 8`);
    t.is<string, string>(onMariaDb, dataType, `${declared} on MariaDB`);
  }
  // And what the real MariaDB prints is what the table says.
  const [rows] = await connection.query(
    `SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type FROM information_schema.COLUMNS
     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'widths' ORDER BY ORDINAL_POSITION`,
  );
  const printed = Object.fromEntries((rows as { name: string; type: string }[]).map((row) => [row.name, row.type]));
  t.like(printed, {
    flag: 'tinyint(1)',
    unsigned_flag: 'tinyint(1) unsigned',
    filled_flag: 'tinyint(1) unsigned zerofill',
    bool_flag: 'tinyint(1)',
  });
});

/**
 * COLUMN_DEFAULT and EXTRA as MySQL 8.0 reports them (literals unquoted; expression defaults marked DEFAULT_GENERATED
 * in EXTRA: MySQL 8.0 Reference Manual, "The INFORMATION_SCHEMA COLUMNS Table").
 */
const MYSQL8_DEFAULTS: readonly {
  declared: string;
  sqlType: string;
  columnDefault: string | null;
  extra: string;
  value: string | null;
}[] = [
  {
    declared: 'TIMESTAMP DEFAULT CURRENT_TIMESTAMP',
    sqlType: 'timestamp',
    columnDefault: 'CURRENT_TIMESTAMP',
    extra: 'DEFAULT_GENERATED',
    value: null,
  },
  {
    declared: 'DATETIME(3) DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)',
    sqlType: 'datetime',
    columnDefault: 'CURRENT_TIMESTAMP(3)',
    extra: 'DEFAULT_GENERATED on update CURRENT_TIMESTAMP(3)',
    value: null,
  },
  // MySQL 5.7 and 8.0 before 8.0.13 print CURRENT_TIMESTAMP without the mark.
  {
    declared: 'TIMESTAMP DEFAULT NOW() (old)',
    sqlType: 'timestamp',
    columnDefault: 'CURRENT_TIMESTAMP',
    extra: '',
    value: null,
  },
  {
    declared: 'VARCHAR(40) DEFAULT (UUID())',
    sqlType: 'varchar',
    columnDefault: 'uuid()',
    extra: 'DEFAULT_GENERATED',
    value: null,
  },
  {
    declared: 'INT DEFAULT (1 + 1)',
    sqlType: 'int',
    columnDefault: '(1 + 1)',
    extra: 'DEFAULT_GENERATED',
    value: null,
  },
  { declared: "VARCHAR(30) DEFAULT 'uuid()'", sqlType: 'varchar', columnDefault: 'uuid()', extra: '', value: 'uuid()' },
  { declared: "VARCHAR(20) DEFAULT 'it''s'", sqlType: 'varchar', columnDefault: "it's", extra: '', value: "it's" },
  { declared: "VARCHAR(5) DEFAULT ''", sqlType: 'varchar', columnDefault: '', extra: '', value: '' },
  { declared: 'INT DEFAULT 5', sqlType: 'int', columnDefault: '5', extra: '', value: '5' },
  { declared: 'VARCHAR(5) DEFAULT NULL', sqlType: 'varchar', columnDefault: null, extra: '', value: null },
  { declared: 'INT AUTO_INCREMENT', sqlType: 'int', columnDefault: null, extra: 'auto_increment', value: null },
];

test('MySQL 8 catalog answers: expression defaults are no default values, literals are', (t) => {
  for (const { declared, ...facts } of MYSQL8_DEFAULTS) {
    t.is(literalDefault(facts, false), facts.value, declared);
  }
});

test('column facts for the value code: collation, fractional-seconds precision, scale, SRID', async (t) => {
  const table = await catalogTable(connection, stage.database.database, 'facts');
  const column = (name: string) => table.columnsByName.get(name) as MySqlColumnMeta;
  const facts = (name: string) => {
    const { collation, timePrecision, numericScale, numericPrecision, srid } = column(name);
    return { collation, timePrecision, numericScale, numericPrecision, srid };
  };
  const none = { collation: null, timePrecision: null, numericScale: null, numericPrecision: null, srid: null };
  t.deepEqual(facts('choice'), { ...none, collation: 'utf8mb4_bin' });
  t.deepEqual(facts('choices'), { ...none, collation: 'latin1_general_cs' });
  t.deepEqual(facts('name'), { ...none, collation: 'utf8mb4_unicode_ci' });
  t.deepEqual(facts('at'), { ...none, timePrecision: 3 });
  t.deepEqual(facts('at0'), { ...none, timePrecision: 0 });
  t.deepEqual(facts('t'), { ...none, timePrecision: 6 });
  t.deepEqual(facts('d2'), { ...none, numericScale: 2 });
  t.deepEqual(facts('d'), none);
  t.deepEqual(facts('f2'), { ...none, numericScale: 3 });
  t.deepEqual(facts('n'), { ...none, numericScale: 4, numericPrecision: 12 });
  t.deepEqual(facts('place'), { ...none, srid: 4326 });
  t.deepEqual(facts('shape'), none);
});

test('column privileges: a user is described with the columns it may read (write-only: those it may write)', async (t) => {
  await connection.query(`
    CREATE TABLE granted (id int PRIMARY KEY, name varchar(10), salary int);
    INSERT INTO granted VALUES (1, 'Ada', 100), (2, 'Grace', 200);
    CREATE TABLE written (id int PRIMARY KEY, name varchar(10), salary int);
    CREATE TABLE hidden_key (secret_id int PRIMARY KEY, name varchar(10))`);
  const user = `cg_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  const admin = await mysql.createConnection({ ...stage.server.admin, multipleStatements: true });
  try {
    const on = (table: string) => `\`${stage.database.database}\`.\`${table}\``;
    await admin.query(`CREATE USER ?@'%' IDENTIFIED BY ?`, [user, password]);
    // SELECT on two columns and INSERT on a third: reading the third would be refused.
    await admin.query(`GRANT SELECT (id, name), INSERT (salary) ON ${on('granted')} TO ?@'%'`, [user]);
    await admin.query(`GRANT INSERT (id, name) ON ${on('written')} TO ?@'%'`, [user]);
    await admin.query(`GRANT SELECT (name) ON ${on('hidden_key')} TO ?@'%'`, [user]);
  } finally {
    await admin.end();
  }
  const secretArn = secretArnFor(user);
  stage.secrets.putSecret(secretArn, { username: user, password });
  const target = { ...stage.target, secretArn };

  const listed = await invoke<{ entities: { entityIdentifier: string }[] }>(stage.bundle, listEntitiesEvent(target));
  t.deepEqual(listed.entities.map((entity) => entity.entityIdentifier).sort(), ['granted', 'hidden_key', 'written']);
  t.deepEqual([...(await describe('granted', target)).keys()], ['id', 'name']);
  t.deepEqual([...(await describe('written', target)).keys()], ['id', 'name']);
  const hidden = await describe('hidden_key', target);
  t.deepEqual([...hidden.keys()], ['name']);

  const read = await invoke<{ isSuccess: boolean; records: string[] }>(stage.bundle, queryDataEvent(target, 'granted'));
  t.true(read.isSuccess, JSON.stringify(read));
  t.deepEqual(
    read.records.map((record) => JSON.parse(record)).sort((a, b) => a.id - b.id),
    [
      { id: 1, name: 'Ada' },
      { id: 2, name: 'Grace' },
    ],
  );
  const readHidden = await invoke<{ isSuccess: boolean; records: string[] }>(
    stage.bundle,
    queryDataEvent(target, 'hidden_key'),
  );
  t.true(readHidden.isSuccess, JSON.stringify(readHidden));
});

/** The columns of MySQL 8.0's information_schema.COLUMNS (MySQL 8.0 Reference Manual, "The INFORMATION_SCHEMA COLUMNS Table"). */
const MYSQL8_COLUMNS_TABLE = new Set([
  'TABLE_CATALOG',
  'TABLE_SCHEMA',
  'TABLE_NAME',
  'COLUMN_NAME',
  'ORDINAL_POSITION',
  'COLUMN_DEFAULT',
  'IS_NULLABLE',
  'DATA_TYPE',
  'CHARACTER_MAXIMUM_LENGTH',
  'CHARACTER_OCTET_LENGTH',
  'NUMERIC_PRECISION',
  'NUMERIC_SCALE',
  'DATETIME_PRECISION',
  'CHARACTER_SET_NAME',
  'COLLATION_NAME',
  'COLUMN_TYPE',
  'COLUMN_KEY',
  'EXTRA',
  'PRIVILEGES',
  'COLUMN_COMMENT',
  'GENERATION_EXPRESSION',
  'SRS_ID',
]);

const column8 = (row: Record<string, unknown>) => ({
  sqlType: 'int',
  isNullable: 'YES',
  columnDefault: null,
  extra: '',
  isGenerated: null,
  generationExpression: '',
  maxLength: null,
  maxBytes: null,
  numericScale: null,
  datetimePrecision: null,
  collation: null,
  privileges: 'select,insert,update,references',
  comment: '',
  ...row,
});

/**
 * MySQL 8.0's answers for
 *   CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY, flag TINYINT(1), small TINYINT(1) UNSIGNED,
 *     created TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), uid VARCHAR(36) NOT NULL DEFAULT (UUID()),
 *     word VARCHAR(10) NOT NULL DEFAULT 'it''s', qty INT NOT NULL, total INT AS (qty * 2),
 *     place POINT NOT NULL SRID 4326, UNIQUE KEY by_expr ((qty + 1)))
 * as its information_schema reports them (COLUMN_TYPE without display widths, expression defaults marked
 * DEFAULT_GENERATED, generated columns in EXTRA, the SRID in ST_GEOMETRY_COLUMNS, a functional key part without a
 * column name). A statement naming a COLUMNS column MySQL 8 does not have fails as MySQL 8 would.
 */
function mysql8Catalog(): { execute: (sql: string) => Promise<never> } {
  const answer = (sql: string): unknown[] => {
    if (/SELECT VERSION\(\)/.test(sql)) return [{ version: '8.0.36' }];
    if (/information_schema\.TABLES/.test(sql)) {
      return [{ name: 'orders', tableType: 'BASE TABLE', comment: '', viewUpdatable: null }];
    }
    if (/information_schema\.COLUMNS/.test(sql)) {
      for (const [, name] of sql.matchAll(/\b([A-Z_]+) AS \w+/g)) {
        if (name !== 'NULL' && !MYSQL8_COLUMNS_TABLE.has(name!)) {
          throw new Error(`ER_BAD_FIELD_ERROR: Unknown column '${name}' in 'field list'`);
        }
      }
      return [
        column8({ name: 'id', columnType: 'int', isNullable: 'NO', extra: 'auto_increment', numericScale: 0 }),
        column8({ name: 'flag', sqlType: 'tinyint', columnType: 'tinyint(1)', numericScale: 0 }),
        column8({ name: 'small', sqlType: 'tinyint', columnType: 'tinyint unsigned', numericScale: 0 }),
        column8({
          name: 'created',
          sqlType: 'timestamp',
          columnType: 'timestamp(3)',
          isNullable: 'NO',
          columnDefault: 'CURRENT_TIMESTAMP(3)',
          extra: 'DEFAULT_GENERATED',
          datetimePrecision: 3,
        }),
        column8({
          name: 'uid',
          sqlType: 'varchar',
          columnType: 'varchar(36)',
          isNullable: 'NO',
          columnDefault: 'uuid()',
          extra: 'DEFAULT_GENERATED',
          maxLength: 36,
          maxBytes: 144,
          collation: 'utf8mb4_0900_ai_ci',
        }),
        column8({
          name: 'word',
          sqlType: 'varchar',
          columnType: 'varchar(10)',
          isNullable: 'NO',
          columnDefault: "it's",
          maxLength: 10,
          maxBytes: 40,
          collation: 'utf8mb4_0900_ai_ci',
        }),
        column8({ name: 'qty', columnType: 'int', isNullable: 'NO', numericScale: 0 }),
        column8({
          name: 'total',
          columnType: 'int',
          extra: 'VIRTUAL GENERATED',
          generationExpression: '(`qty` * 2)',
          numericScale: 0,
        }),
        column8({ name: 'place', sqlType: 'point', columnType: 'point', isNullable: 'NO' }),
      ];
    }
    if (/information_schema\.STATISTICS/.test(sql)) {
      return [
        { indexName: 'PRIMARY', columnName: 'id', nonUnique: 0 },
        { indexName: 'by_expr', columnName: null, nonUnique: 0 },
      ];
    }
    if (/information_schema\.ST_GEOMETRY_COLUMNS/.test(sql)) return [{ name: 'place', srid: 4326 }];
    throw new Error(`MySQL 8 fixture has no answer for: ${sql.replace(/\s+/g, ' ').slice(0, 120)}`);
  };
  return { execute: async (sql: string) => answer(sql) as never };
}

test('MySQL 8 catalog answers (fixture): a table is described, with the same mapping as on MariaDB', async (t) => {
  const table = await readTableMeta(mysql8Catalog(), 'shop', 'orders', 5000);
  const column = (name: string) => table.columnsByName.get(name) as MySqlColumnMeta;
  t.deepEqual(table.primaryKey, ['id']);
  t.deepEqual(table.uniqueKeys, []);
  t.like(column('id'), { serverGenerated: true, defaultedOnCreate: true });
  t.like(column('flag'), { dataType: 'Boolean' });
  t.like(column('small'), { dataType: 'Short', unsigned: true });
  t.like(column('created'), { defaultValue: null, defaultedOnCreate: true, timePrecision: 3 });
  t.like(column('uid'), { defaultValue: null, defaultedOnCreate: true, collation: 'utf8mb4_0900_ai_ci' });
  t.like(column('word'), { defaultValue: "it's", defaultedOnCreate: true });
  t.like(column('qty'), { defaultedOnCreate: false });
  t.like(column('total'), { generated: true, writable: false });
  t.like(column('place'), { srid: 4326, kind: 'spatial' });
});
