/**
 * A token the connector issues is always accepted back, on every engine: for every column type it can page by, a
 * table keyed by that type holding its extreme values is read one record a page through the built bundle, every row
 * exactly once, in key order. MariaDB: both ends of each range, the widest renderings (ZEROFILL beyond 20 digits,
 * 65-digit decimals, 4-byte characters, microseconds, negative times). PostgreSQL: BC dates, ±infinity, NaN, numeric
 * with a scale above its precision or a negative scale, 4-byte characters. Such numeric(p,s) values print longer
 * than p digits (numeric(3,10): -0.0000000999; numeric(1,-1000): a 9 and 1,000 zeros): the paging plan sizes tokens
 * from the declared type, so a key whose two values (where the read is, where it ends) fit AppFlow's 2,048-character
 * token is paged by key, one that cannot fit is paged by offset, and every token handed out fits and is accepted.
 */
import test from 'ava';
import { type EngineName, readPages, stagesFor, tokenMode } from '../support/engineStage';

/** Key type, its values as SQL literals (each a distinct key), and the paging mode its size allows (default key). */
type KeyTypes = Record<string, { type: string; values: string[]; mode?: 'k' | 'o' }>;

const MARIADB_KEYS: KeyTypes = {
  tinyint: { type: 'TINYINT', values: ['-128', '-1', '0', '127'] },
  tinyint_unsigned: { type: 'TINYINT UNSIGNED', values: ['0', '255'] },
  tinyint_1: { type: 'TINYINT(1)', values: ['-128', '0', '1', '2', '127'] },
  smallint: { type: 'SMALLINT', values: ['-32768', '32767'] },
  smallint_zerofill: { type: 'SMALLINT(30) UNSIGNED ZEROFILL', values: ['0', '1', '65535'] },
  mediumint: { type: 'MEDIUMINT', values: ['-8388608', '8388607'] },
  int: { type: 'INT', values: ['-2147483648', '0', '2147483647'] },
  int_zerofill: { type: 'INT(25) UNSIGNED ZEROFILL', values: ['0', '7', '4294967295'] },
  bigint: { type: 'BIGINT', values: ['-9223372036854775808', '-9007199254740993', '9223372036854775807'] },
  bigint_unsigned: { type: 'BIGINT UNSIGNED', values: ['0', '9007199254740993', '18446744073709551615'] },
  bigint_zerofill: { type: 'BIGINT(25) UNSIGNED ZEROFILL', values: ['0', '42', '18446744073709551615'] },
  bigint_zerofill_255: { type: 'BIGINT(255) UNSIGNED ZEROFILL', values: ['1', '18446744073709551615'] },
  decimal_65_30: {
    type: 'DECIMAL(65,30)',
    values: [
      `-${'9'.repeat(35)}.${'9'.repeat(30)}`,
      '0',
      `0.${'0'.repeat(29)}1`,
      `${'9'.repeat(35)}.${'9'.repeat(30)}`,
    ],
  },
  decimal_65_0_zerofill: { type: 'DECIMAL(65,0) ZEROFILL', values: ['0', '5', '9'.repeat(65)] },
  decimal_10_2_zerofill: { type: 'DECIMAL(10,2) ZEROFILL', values: ['0.00', '0.01', '42.5', '99999999.99'] },
  float: { type: 'FLOAT', values: ['-3.40282e38', '-1.17549e-38', '0', '0.1', '3.40282e38'] },
  double: { type: 'DOUBLE', values: ['-1.7976931348623157e308', '-5e-324', '0', '0.1', '1.7976931348623157e308'] },
  year: { type: 'YEAR', values: ['1901', '2155'] },
  date: { type: 'DATE', values: ["'1000-01-01'", "'2024-02-29'", "'9999-12-31'"] },
  datetime: {
    type: 'DATETIME(6)',
    values: ["'1000-01-01 00:00:00.000000'", "'2024-02-29 12:00:00.5'", "'9999-12-31 23:59:59.999999'"],
  },
  timestamp: {
    type: 'TIMESTAMP(6)',
    values: ["'1970-01-01 00:00:01.000000'", "'2038-01-19 03:14:07.999999'"],
  },
  time: {
    type: 'TIME(6)',
    values: ["'-838:59:59.000000'", "'-00:00:00.000001'", "'00:00:00'", "'838:59:59.000000'"],
  },
  char: {
    type: 'CHAR(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin',
    values: ["''", "'a'", "'😀😀😀😀😀😀😀😀😀😀'"],
  },
  varchar: {
    type: 'VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin',
    values: ["''", "'\"\\\\'", `'${'😀'.repeat(100)}'`, "'zz'"],
  },
  binary: {
    type: 'BINARY(16)',
    values: ["''", 'UNHEX(REPEAT("FF", 16))', 'UNHEX("00112233445566778899AABBCCDDEEFF")'],
  },
  varbinary: { type: 'VARBINARY(50)', values: ["''", 'UNHEX(REPEAT("FF", 50))', 'UNHEX("00")'] },
};

const POSTGRESQL_KEYS: KeyTypes = {
  int2: { type: 'smallint', values: ['-32768', '0', '32767'] },
  int4: { type: 'integer', values: ['-2147483648', '2147483647'] },
  int8: { type: 'bigint', values: ['-9223372036854775808', '-9007199254740993', '9223372036854775807'] },
  numeric_3_5: { type: 'numeric(3,5)', values: ['-0.00999', '-0.00001', '0', '0.00123', '0.00999'] },
  numeric_3_neg2: { type: 'numeric(3,-2)', values: ['-99900', '-100', '0', '12300', '99900'] },
  numeric_1_0: { type: 'numeric(1,0)', values: ['-9', '0', '9'] },
  numeric_50_25: {
    type: 'numeric(50,25)',
    values: [`-${'9'.repeat(25)}.${'9'.repeat(25)}`, `0.${'0'.repeat(24)}1`, `${'9'.repeat(25)}.${'9'.repeat(25)}`],
  },
  numeric_nan: { type: 'numeric(10,2)', values: ["'NaN'", '-99999999.99', '0', '99999999.99'] },
  float4: {
    type: 'real',
    values: ["'-Infinity'", "'-3.4028235e38'", "'1.4e-45'", '0', "'3.4028235e38'", "'Infinity'", "'NaN'"],
  },
  float8: {
    type: 'double precision',
    values: [
      "'-Infinity'",
      "'-1.7976931348623157e308'",
      "'5e-324'",
      '0.1',
      "'1.7976931348623157e308'",
      "'Infinity'",
      "'NaN'",
    ],
  },
  boolean: { type: 'boolean', values: ['false', 'true'] },
  date: { type: 'date', values: ["'-infinity'", "'4713-01-01 BC'", "'0001-01-01'", "'5874897-12-31'", "'infinity'"] },
  timestamp: {
    type: 'timestamp(6)',
    values: [
      "'-infinity'",
      "'4713-01-01 00:00:00 BC'",
      "'2024-02-29 12:00:00.5'",
      "'294276-12-31 23:59:59.999999'",
      "'infinity'",
    ],
  },
  timestamptz: {
    type: 'timestamptz(6)',
    values: [
      "'-infinity'",
      "'4713-01-01 00:00:00+00 BC'",
      "'2024-02-29 12:00:00.5+05:30'",
      "'294276-12-30 23:59:59.999999+00'",
      "'infinity'",
    ],
  },
  varchar: { type: 'varchar(10) COLLATE "C"', values: ["''", "'\"\\'", `'${'😀'.repeat(10)}'`, "'zz'"] },
  bpchar: { type: 'char(5) COLLATE "C"', values: ["'a'", "'😀😀😀😀😀'"] },
  uuid: { type: 'uuid', values: ["'00000000-0000-0000-0000-000000000000'", "'ffffffff-ffff-ffff-ffff-ffffffffffff'"] },
  inet: {
    type: 'inet',
    values: ["'0.0.0.0/0'", "'255.255.255.255'", "'::'", "'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128'"],
  },
  time: { type: 'time(6)', values: ["'00:00:00'", "'12:34:56.789012'", "'24:00:00'"] },
  macaddr: { type: 'macaddr', values: ["'00:00:00:00:00:00'", "'ff:ff:ff:ff:ff:ff'"] },
  money: { type: 'money', values: ["'-92233720368547758.08'", '0', "'92233720368547758.07'"] },
  // numeric(p,s) with a scale above the precision or negative: printed longer than p digits.
  numeric_3_10: {
    type: 'numeric(3,10)',
    values: ['-0.0000000999', '-0.0000000001', '0', '0.0000000123', '0.0000000999', "'NaN'"],
  },
  numeric_3_neg5: { type: 'numeric(3,-5)', values: ['-99900000', '-100000', '0', '12300000', '99900000'] },
  numeric_2_600: { type: 'numeric(2,600)', values: ['-99e-600', '0', '1e-600', '99e-600'] },
  numeric_1_1000: { type: 'numeric(1,1000)', values: ['-9e-1000', '0', '9e-1000'], mode: 'o' },
  numeric_1_neg1000: { type: 'numeric(1,-1000)', values: ['-9e1000', '0', '9e1000'], mode: 'o' },
};

const KEY_TYPES: Record<EngineName, KeyTypes> = { MariaDB: MARIADB_KEYS, PostgreSQL: POSTGRESQL_KEYS };

const stages = stagesFor(test, 'keys', async (stage) => {
  for (const [name, { type, values }] of Object.entries(KEY_TYPES[stage.engine])) {
    await stage.exec(
      `CREATE TABLE key_${name} (k ${type} NOT NULL PRIMARY KEY, v INT NOT NULL);
       INSERT INTO key_${name} (k, v) VALUES ${values.map((value, index) => `(${value}, ${index})`).join(', ')};`,
    );
  }
});

for (const [engine, keyTypes] of Object.entries(KEY_TYPES) as [EngineName, KeyTypes][]) {
  for (const [name, { values, mode = 'k' }] of Object.entries(keyTypes)) {
    test(`${engine}: keys of type ${name} at their extremes: paged by ${mode === 'k' ? 'key' : 'offset'}, one record a page, every token fits and is accepted back, every row once${mode === 'k' ? ' in key order' : ''}`, async (t) => {
      const stage = stages[engine];
      const first = await stage.query(`key_${name}`, { maxResults: 1 });
      t.is(first.nextToken ? tokenMode(first.nextToken) : JSON.stringify(first.errorDetails), mode);
      const records = await readPages(t, stage.query, `key_${name}`, { maxResults: 1, maxPages: 20, tokenLimit: 2048 });
      // v numbers the rows; the key order is the server's.
      const expected = (await stage.rows(`SELECT v FROM key_${name} ORDER BY k`)).map(([v]) => Number(v));
      const read = records.map((record) => (JSON.parse(record) as { v: number }).v);
      const sorted = (list: number[]) => [...list].sort((a, b) => a - b);
      t.deepEqual(mode === 'k' ? read : sorted(read), mode === 'k' ? expected : sorted(expected));
      t.is(records.length, values.length);
    });
  }
}
