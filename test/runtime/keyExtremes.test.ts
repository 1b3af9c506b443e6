/**
 * A token the connector issues is always accepted back: for every column type MariaDB can page by, a table keyed by
 * that type holding its extreme values (both ends of its range, the widest renderings: ZEROFILL beyond 20 digits,
 * 65-digit decimals, 4-byte characters, microseconds, negative times) is read one record a page through the built
 * bundle, every row exactly once, in key order.
 */
import test, { type ExecutionContext } from 'ava';
import { type ConnectorStage, startConnectorStage } from '../support/environment';
import { queryDataEvent } from '../support/events';
import { invoke } from '../support/lambda';

let stage: ConnectorStage;

/** Key type, and its values as SQL literals (each a distinct key). */
const KEY_TYPES: Record<string, { type: string; values: string[] }> = {
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
  time: { type: 'TIME(6)', values: ["'-838:59:59.000000'", "'-00:00:00.000001'", "'00:00:00'", "'838:59:59.000000'"] },
  char: { type: 'CHAR(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin', values: ["''", "'a'", "'😀😀😀😀😀😀😀😀😀😀'"] },
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

test.before(async () => {
  stage = await startConnectorStage({ seed: false });
  const connection = await stage.database.connect();
  for (const [name, { type, values }] of Object.entries(KEY_TYPES)) {
    await connection.query(`CREATE TABLE key_${name} (k ${type} NOT NULL PRIMARY KEY, v INT NOT NULL)`);
    await connection.query(
      `INSERT INTO key_${name} (k, v) VALUES ${values.map((value, index) => `(${value}, ${index})`).join(', ')}`,
    );
  }
  await connection.end();
});

test.after.always(async () => {
  await stage?.teardown();
});

interface Page {
  isSuccess: boolean;
  records: string[] | null;
  nextToken: string | null;
  errorDetails: unknown;
}

async function readOneByOne(t: ExecutionContext, entity: string): Promise<string[]> {
  const records: string[] = [];
  let nextToken: string | null = null;
  for (let pages = 0; pages < 20; pages++) {
    const page: Page = await invoke<Page>(
      stage.bundle,
      queryDataEvent(stage.target, entity, { maxResults: 1, nextToken }),
    );
    if (!page.isSuccess) {
      t.fail(`${entity}, page ${pages + 1}: ${JSON.stringify(page.errorDetails)}`);
      break;
    }
    records.push(...page.records!);
    nextToken = page.nextToken;
    if (nextToken === null) break;
    t.true(nextToken.length <= 2048);
  }
  return records;
}

for (const [name, { values }] of Object.entries(KEY_TYPES)) {
  test(`keys of type ${name}: one record a page, every token accepted back, every row once in key order`, async (t) => {
    const records = await readOneByOne(t, `key_${name}`);
    // v numbers the rows; the key order is the server's.
    const connection = await stage.database.connect();
    const [rows] = await connection.query(`SELECT v FROM key_${name} ORDER BY k`);
    await connection.end();
    t.deepEqual(
      records.map((record) => (JSON.parse(record) as { v: number }).v),
      (rows as { v: number }[]).map((row) => row.v),
    );
    t.is(records.length, values.length);
  });
}
