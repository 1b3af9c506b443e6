/** The benchmark's MySQL side: mysql2, with the connector's typing options (see bench/driver.ts). */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import mysql from 'mysql2/promise';
import type { OffsetReader, RawDriver, RawWriter, ReportNames } from './driver';
import { COLUMNS, TABLE, WRITE_TABLE } from './seed';

function mysql2Version(): string {
  const path = require.resolve('mysql2/package.json', { paths: [resolve(__dirname, '..')] });
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

const quoted = (name: string) => `\`${name}\``;

export const MYSQL_REPORT_NAMES: ReportNames = {
  title: 'AppFlow MySQL connector benchmark',
  storage: 'InnoDB',
  libraryName: 'mysql2',
  upsertLabel: 'INSERT ... ON DUPLICATE KEY UPDATE',
  offsetPageLabel: 'LIMIT off, n',
};

/** `connection`: the same server, user and TLS as the connector. */
export function mysqlDriver(connection: mysql.ConnectionOptions): RawDriver {
  const columns = COLUMNS.map(quoted).join(', ');
  return {
    engine: 'MYSQL',
    library: `mysql2 ${mysql2Version()}`,
    libraryName: MYSQL_REPORT_NAMES.libraryName,
    fullReadSql: `SELECT ${columns} FROM ${quoted(TABLE)} ORDER BY id`,
    workerConnection: connection as Record<string, unknown>,
    async openOffsetReader(): Promise<OffsetReader> {
      const session = await mysql.createConnection({
        ...connection,
        charset: 'utf8mb4_general_ci',
        timezone: 'Z',
        supportBigNumbers: true,
        bigNumberStrings: true,
        dateStrings: true,
      });
      return {
        count: () => session.query(`SELECT COUNT(*) AS cnt FROM ${quoted(TABLE)}`),
        page: (offset, rows) => session.query(`SELECT ${columns} FROM ${quoted(TABLE)} LIMIT ${offset}, ${rows}`),
        close: () => session.end(),
      };
    },
    async openWriter(): Promise<RawWriter> {
      const session = await mysql.createConnection({ ...connection, charset: 'utf8mb4_general_ci', timezone: 'Z' });
      await session.query("SET time_zone = '+00:00'");
      const update = COLUMNS.filter((name) => name !== 'id')
        .map((name) => `${quoted(name)} = VALUES(${quoted(name)})`)
        .join(', ');
      return {
        async truncate() {
          await session.query(`TRUNCATE TABLE ${quoted(WRITE_TABLE)}`);
        },
        async count() {
          const [rows] = await session.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${quoted(WRITE_TABLE)}`);
          return Number(rows[0]!.n);
        },
        prepare(operation, batches) {
          const sql =
            `INSERT INTO ${quoted(WRITE_TABLE)} (${columns}) VALUES ?` +
            (operation === 'UPSERT' ? ` ON DUPLICATE KEY UPDATE ${update}` : '');
          return {
            async run() {
              for (const rows of batches) await session.query(sql, [rows]);
            },
          };
        },
        close: () => session.end(),
      };
    },
  };
}
