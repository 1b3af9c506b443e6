/**
 * The schema every runtime test reads: one table with every MySQL/MariaDB column type the connector maps, a
 * composite-key table, a table without any key, a view (read-only), an updatable view, and a second database whose
 * tables must never appear.
 */
import type { MariaDbServer, TestDatabase } from './mariadb';

export const ALL_TYPES_TABLE = `
CREATE TABLE all_types (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'surrogate key',
  flag TINYINT(1) NULL,
  bit_flag BIT(1) NULL,
  bits BIT(12) NULL,
  tiny TINYINT NULL,
  tiny_u TINYINT UNSIGNED NULL,
  small SMALLINT NULL,
  small_u SMALLINT UNSIGNED NULL,
  medium MEDIUMINT NULL,
  medium_u MEDIUMINT UNSIGNED NULL,
  regular INT NULL,
  regular_u INT UNSIGNED NULL,
  big BIGINT NULL,
  big_u BIGINT UNSIGNED NULL,
  price DECIMAL(20,6) NULL,
  huge_decimal DECIMAL(65,30) NULL,
  ratio FLOAT NULL,
  measure DOUBLE NULL,
  name VARCHAR(100) NOT NULL DEFAULT 'unnamed',
  code CHAR(3) NULL,
  notes TEXT NULL,
  doc JSON NULL,
  raw VARBINARY(16) NULL,
  fixed_raw BINARY(4) NULL,
  blob_data BLOB NULL,
  status ENUM('new','active','closed') NULL,
  tags SET('a','b','c') NULL,
  born DATE NULL,
  alarm TIME NULL,
  made_in YEAR NULL,
  seen_at DATETIME(3) NULL,
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  location POINT NULL,
  name_length INT GENERATED ALWAYS AS (CHAR_LENGTH(name)) VIRTUAL,
  KEY idx_updated_at (updated_at)
) COMMENT 'every column type'`;

export const FIXTURE_SCHEMA = [
  ALL_TYPES_TABLE,
  `CREATE TABLE order_lines (
     order_id INT NOT NULL,
     line_no SMALLINT NOT NULL,
     sku VARCHAR(32) NOT NULL,
     quantity INT NOT NULL DEFAULT 1,
     note VARCHAR(200) NULL,
     PRIMARY KEY (order_id, line_no)
   ) COMMENT 'composite key'`,
  `CREATE TABLE event_log (
     happened_at DATETIME NOT NULL,
     message VARCHAR(200) NULL
   )`,
  `CREATE TABLE customers (
     email VARCHAR(120) NOT NULL,
     full_name VARCHAR(120) NULL,
     UNIQUE KEY uq_email (email)
   )`,
  `CREATE VIEW active_items AS SELECT id, name, status FROM all_types WHERE status = 'active'`,
  `CREATE VIEW line_totals AS SELECT order_id, SUM(quantity) AS total FROM order_lines GROUP BY order_id`,
];

export const ALL_TYPES_ROWS = [
  `INSERT INTO all_types (flag, bit_flag, bits, tiny, tiny_u, small, small_u, medium, medium_u, regular, regular_u,
     big, big_u, price, huge_decimal, ratio, measure, name, code, notes, doc, raw, fixed_raw, blob_data, status, tags,
     born, alarm, made_in, seen_at, updated_at, location)
   VALUES (1, b'1', b'101010101010', -128, 255, -32768, 65535, -8388608, 16777215, -2147483648, 4294967295,
     -9223372036854775808, 18446744073709551615, 12345678901234.123456,
     12345678901234567890123456789012345.123456789012345678901234567891, 1.1, 0.1,
     'Émilie "the" \\\\ O''Brien', 'abc', 'line1\\nline2', '{"a": [1, 2.50, {"b": null}], "big": 12345678901234567890}',
     X'00FF10', X'DEADBEEF', X'0102', 'active', 'a,c',
     '2024-02-29', '-12:30:00', 2024, '2024-03-01 10:15:30.123', '2024-03-02 08:00:00.250000', ST_GeomFromText('POINT(1 2)'))`,
  `INSERT INTO all_types (name, updated_at) VALUES ('all nulls', '2024-01-01 00:00:00')`,
];

export async function seedFixtures(database: TestDatabase): Promise<void> {
  const connection = await database.connect();
  try {
    for (const statement of [...FIXTURE_SCHEMA, ...ALL_TYPES_ROWS]) await connection.query(statement);
    await connection.query(
      `INSERT INTO order_lines (order_id, line_no, sku, quantity) VALUES (1, 1, 'A-1', 2), (1, 2, 'B-2', 1), (2, 1, 'A-1', 5)`,
    );
    await connection.query(
      `INSERT INTO event_log VALUES ('2024-01-01 00:00:00', 'first'), ('2024-01-01 00:00:00', 'first'), ('2024-01-02 00:00:00', 'second')`,
    );
    await connection.query(`INSERT INTO customers VALUES ('ada@example.com', 'Ada'), ('grace@example.com', 'Grace')`);
  } finally {
    await connection.end();
  }
}

/** A second database on the same server whose tables must never be listed or read. */
export async function seedOtherDatabase(server: MariaDbServer): Promise<TestDatabase> {
  const other = await server.createDatabase({ prefix: 'other' });
  await other.query('CREATE TABLE secret_table (id INT PRIMARY KEY, payload VARCHAR(20))');
  await other.query("INSERT INTO secret_table VALUES (1, 'do not read')");
  return other;
}
