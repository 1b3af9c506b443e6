/**
 * Whatever QueryData renders for a column, WriteData accepts for it and stores unchanged (MariaDB): for every type of
 * the README's MySQL / MariaDB mapping table, values at the edges of each type are read through the built bundle,
 * written back as read into an empty copy of the table, and the copy is compared with the original on the server
 * (by value and byte for byte) and by reading it again.
 */
import test from 'ava';
import type mysql from 'mysql2/promise';
import { mariaDbEngineStage } from '../../support/engineStage';
import { type ConnectorStage, startConnectorStage } from '../../support/environment';
import { queryDataEvent } from '../../support/events';
import { invoke } from '../../support/lambda';
import { refusedRecords } from '../../support/writes';

let stage: ConnectorStage;
let connection: mysql.Connection;

/** Every type of the mapping table; the comparison each needs on the server (default: by value and by bytes). */
const COLUMNS: readonly { name: string; type: string; compare?: 'json' }[] = [
  { name: 'bo', type: 'TINYINT(1)' },
  { name: 'bl', type: 'BOOL' },
  { name: 'b1', type: 'BIT(1)' },
  { name: 'ti', type: 'TINYINT' },
  { name: 'tiu', type: 'TINYINT UNSIGNED' },
  { name: 'si', type: 'SMALLINT' },
  { name: 'siu', type: 'SMALLINT UNSIGNED' },
  { name: 'mi', type: 'MEDIUMINT' },
  { name: 'mu', type: 'MEDIUMINT UNSIGNED' },
  { name: 'i', type: 'INT' },
  { name: 'iu', type: 'INT UNSIGNED' },
  { name: 'bi', type: 'BIGINT' },
  { name: 'biu', type: 'BIGINT UNSIGNED' },
  { name: 'de', type: 'DECIMAL(65,30)' },
  { name: 'de2', type: 'NUMERIC(6,2)' },
  { name: 'fl', type: 'FLOAT' },
  { name: 'fl2', type: 'FLOAT(7,3)' },
  { name: 'db', type: 'DOUBLE' },
  { name: 'db2', type: 'DOUBLE(10,2)' },
  { name: 're', type: 'REAL' },
  { name: 'ch', type: 'CHAR(10)' },
  { name: 'vc', type: 'VARCHAR(20)' },
  { name: 'tx', type: 'TEXT' },
  { name: 'en', type: "ENUM('a','b','Ab')" },
  { name: 'eb', type: "ENUM('a','A') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" },
  { name: 'st', type: "SET('x','y','z')" },
  { name: 'sb', type: "SET('x','X') CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" },
  { name: 'tm', type: 'TIME' },
  { name: 'tm3', type: 'TIME(3)' },
  { name: 'yr', type: 'YEAR' },
  { name: 'dd', type: 'DATE' },
  { name: 'dt', type: 'DATETIME' },
  { name: 'dt6', type: 'DATETIME(6)' },
  { name: 'ts', type: 'TIMESTAMP NULL' },
  { name: 'ts3', type: 'TIMESTAMP(3) NULL' },
  { name: 'js', type: 'JSON', compare: 'json' },
  { name: 'bn', type: 'BINARY(4)' },
  { name: 'vb', type: 'VARBINARY(10)' },
  { name: 'bb', type: 'BLOB' },
  { name: 'b8', type: 'BIT(8)' },
  { name: 'ge', type: 'GEOMETRY' },
  { name: 'pt', type: 'POINT' },
  { name: 'ls', type: 'LINESTRING' },
  { name: 'pg', type: 'POLYGON' },
  // A column restricted to an SRID: written back with the column's SRID (checked with ST_SRID below).
  { name: 'ps', type: 'POINT REF_SYSTEM_ID=4326' },
  // Types read as their text ("anything newer or exotic"): MariaDB's own.
  { name: 'uu', type: 'UUID' },
  { name: 'i6', type: 'INET6' },
  { name: 'i4', type: 'INET4' },
];

/** Rows of edge values, as SQL literals in COLUMNS order (NULL where a type has no edge to try in that row). */
const ROWS: readonly string[][] = [
  [
    '0',
    'FALSE',
    "b'0'",
    '-128',
    '0',
    '-32768',
    '0',
    '-8388608',
    '0',
    '-2147483648',
    '0',
    '-9223372036854775808',
    '0',
    "'-99999999999999999999999999999999999.999999999999999999999999999999'",
    "'-9999.99'",
    '-3.40282e38',
    "'-9999.999'",
    '-1.7976931348623157e308',
    "'-99999999.99'",
    '5e-324',
    "''",
    "''",
    "''",
    "'a'",
    "'a'",
    "''",
    "'x'",
    "'-838:59:59'",
    "'-838:59:58.999'",
    '0',
    "'0999-12-31'",
    "'1000-01-01 00:00:00'",
    "'0999-12-31 23:59:59.999999'",
    "'1970-01-01 00:00:01'",
    "'1970-01-01 00:00:01.000'",
    `'{"a": [1, 2.50, "x"], "b": {"c": null}}'`,
    "x'00000000'",
    "x''",
    "x''",
    "b'00000000'",
    "ST_GeomFromText('POINT(0 0)')",
    "ST_GeomFromText('POINT(-1.5 2.25)')",
    "ST_GeomFromText('LINESTRING(0 0,1 1,2 0)')",
    "ST_GeomFromText('POLYGON((0 0,4 0,4 4,0 4,0 0),(1 1,2 1,2 2,1 1))')",
    "ST_GeomFromText('POINT(13.4 52.52)', 4326)",
    "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'",
    "'2001:db8::ff00:42:8329'",
    "'192.0.2.1'",
  ],
  [
    '1',
    'TRUE',
    "b'1'",
    '127',
    '255',
    '32767',
    '65535',
    '8388607',
    '16777215',
    '2147483647',
    '4294967295',
    '9223372036854775807',
    '18446744073709551615',
    "'99999999999999999999999999999999999.999999999999999999999999999999'",
    "'0.01'",
    '0.1',
    "'0.001'",
    '0.1',
    "'0.01'",
    '-0.5',
    "'ünïcødé 🎉'",
    `'quote " back \\\\ tab\\t '`,
    "'line\\nbreak'",
    "'Ab'",
    "'A'",
    "'x,y,z'",
    "'X'",
    "'838:59:59'",
    "'12:30:00.125'",
    '1901',
    "'1000-01-01'",
    "'9999-12-31 23:59:59'",
    "'2024-02-29 10:15:30.123456'",
    "'2038-01-19 03:14:07'",
    "'2038-01-19 03:14:07.999'",
    `'[12345678901234567890, 1e2, -0.0, "é\\\\n"]'`,
    "x'DEADBEEF'",
    "x'00FF'",
    "x'0102030405'",
    "b'11111111'",
    "ST_GeomFromText('GEOMETRYCOLLECTION(POINT(1 2),LINESTRING(0 0,1 1))')",
    "ST_GeomFromText('POINT(1e-7 123456789.125)')",
    "ST_GeomFromText('LINESTRING(1.5 2.5,3.25 4.125)')",
    "ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 0))')",
    "ST_GeomFromText('POINT(-180 -90)', 4326)",
    "'00000000-0000-0000-0000-000000000000'",
    "'::ffff:192.0.2.128'",
    "'255.255.255.255'",
  ],
  [
    '1',
    'FALSE',
    "b'0'",
    '0',
    '1',
    '0',
    '1',
    '0',
    '1',
    '0',
    '1',
    '0',
    '1',
    "'0.000000000000000000000000000001'",
    "'0'",
    '16777216',
    "'1.5'",
    '1e300',
    "'1.5'",
    '3.3',
    "'abc'",
    "'trailing  '",
    "' leading'",
    "'b'",
    "'a'",
    "'y'",
    "'x,X'",
    "'00:00:00'",
    "'00:00:00.000'",
    '2155',
    "'9999-12-31'",
    "'0001-01-01 00:00:00'",
    "'1000-01-01 00:00:00.000001'",
    "'2024-03-31 01:30:00'",
    "'2000-01-01 00:00:00.001'",
    '\'"just a string"\'',
    "x'61620000'",
    "x'616263'",
    "REPEAT(x'FF', 300)",
    "b'10000000'",
    "ST_GeomFromText('MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((5 5,6 5,6 6,5 5)))')",
    "ST_GeomFromText('POINT(0 0.5)')",
    "ST_GeomFromText('LINESTRING(0 0,0 0)')",
    'NULL',
    "ST_GeomFromText('POINT(179.999999 89.5)', 4326)",
    "'ffffffff-ffff-ffff-ffff-ffffffffffff'",
    "'::'",
    "'0.0.0.0'",
  ],
  ['0', 'TRUE', "b'1'", ...Array<string>(COLUMNS.length - 3).fill('NULL')],
  // The year 0000 of the proleptic calendar (a date, unlike the zero date 0000-00-00).
  COLUMNS.map(({ name }) =>
    name === 'dd' ? "'0000-03-15'" : name === 'dt' ? "'0000-01-01 00:00:00'" : name === 'yr' ? "'0000'" : 'NULL',
  ),
];

const columnList = COLUMNS.map((column) => '`' + column.name + '`').join(', ');

test.before(async () => {
  stage = await startConnectorStage({ seed: false });
  connection = await stage.database.connect();
  const definitions = COLUMNS.map(
    (column) => `\`${column.name}\` ${column.type}${/NULL$/.test(column.type) ? '' : ' NULL'}`,
  );
  await connection.query(`CREATE TABLE rt (id INT PRIMARY KEY, ${definitions.join(', ')})`);
  await connection.query("SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION', time_zone = '+00:00'");
  for (const [index, row] of ROWS.entries()) {
    await connection.query(`INSERT INTO rt (id, ${columnList}) VALUES (${index + 1}, ${row.join(', ')})`);
  }
  const [warnings] = await connection.query('SHOW WARNINGS');
  if ((warnings as unknown[]).length > 0) throw new Error(`seeding warned: ${JSON.stringify(warnings)}`);
  await connection.query('CREATE TABLE rt_copy LIKE rt');
});
test.after.always(async () => {
  await connection?.end();
  await stage?.teardown();
});

async function read(entity: string): Promise<string[]> {
  const response = await invoke(stage.bundle, queryDataEvent(stage.target, entity));
  if (!response.isSuccess) throw new Error(JSON.stringify(response.errorDetails));
  return response.records as string[];
}

test('every value QueryData renders is accepted by WriteData and stored unchanged', async (t) => {
  const records = await read('rt');
  t.is(records.length, ROWS.length);
  const answer = await mariaDbEngineStage(stage).write('rt_copy', 'INSERT', records);
  const refused = refusedRecords(answer);
  t.deepEqual(refused, [], 'every record read is accepted back');
  const copy = await read('rt_copy');
  const changed: string[] = [];
  for (const column of COLUMNS) {
    const name = '`' + column.name + '`';
    const differs =
      column.compare === 'json'
        ? `NOT (a.${name} <=> b.${name}) AND NOT JSON_EQUALS(a.${name}, b.${name})`
        : `NOT (a.${name} <=> b.${name}) OR NOT (CAST(a.${name} AS BINARY) <=> CAST(b.${name} AS BINARY))`;
    const [rows] = await connection.query(`SELECT a.id FROM rt a LEFT JOIN rt_copy b USING (id) WHERE ${differs}`);
    for (const { id } of rows as { id: number }[]) {
      const shown = (records: string[]) => JSON.stringify(JSON.parse(records[id - 1]!)[column.name]);
      changed.push(`${column.name} ${column.type} of row ${id}: read ${shown(records)}, copy ${shown(copy)}`);
    }
  }
  t.deepEqual(changed, [], 'every value is stored unchanged');
  // The SRID is part of the stored value (compared by bytes above); stated on its own: the column's SRID.
  const [srids] = await connection.query(
    'SELECT id, ST_SRID(ps) AS srid FROM rt_copy WHERE ps IS NOT NULL ORDER BY id',
  );
  t.deepEqual(
    srids,
    [1, 2, 3].map((id) => ({ id, srid: 4326 })),
    "the copy's points carry the column's SRID",
  );
  // JSON is stored as text: the value is kept (checked above with JSON_EQUALS), its spacing is not.
  const spacingOfJson = (record: string) =>
    record.replace(/"js":(.*),"bn":/, (_, json: string) => `"js":${JSON.stringify(JSON.parse(json))},"bn":`);
  t.deepEqual(copy.map(spacingOfJson), records.map(spacingOfJson), 'the copy reads exactly as the original');
});
