/**
 * Part 5: writes. WriteData INSERT and UPSERT through the bundle's handler in batches of `batchSize` records (as
 * AppFlow sends them: one JSON string per record), against plain multi-row statements via mysql2 from the same
 * rows as value arrays: `INSERT INTO t (...) VALUES ?` and the same with `ON DUPLICATE KEY UPDATE c = VALUES(c)`.
 * Same table definition, same server, user and TLS, one statement (or request) at a time, autocommit.
 *
 * INSERT starts from an empty table; UPSERT then rewrites every row with changed values (all updates).
 */
import mysql from 'mysql2/promise';
import type { ConnectionTarget, ConnectorBundle } from './connector';
import { invokeSerialized, writeDataEvent } from './connector';
import { COLUMNS, generateRow, rowRecord, WRITE_TABLE } from './seed';
import { timed } from './stats';

export interface WriteFigure {
  readonly rows: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
}

export interface WriteResults {
  readonly batchSize: number;
  readonly rows: number;
  readonly connectorInsert: WriteFigure;
  readonly connectorUpsert: WriteFigure;
  readonly rawInsert: WriteFigure;
  readonly rawUpsert: WriteFigure;
}

export interface WriteOptions {
  readonly bundle: ConnectorBundle;
  readonly target: ConnectionTarget;
  readonly connection: mysql.ConnectionOptions;
  readonly rows: number;
  readonly batchSize: number;
  readonly log: (message: string) => void;
}

function figure(rows: number, ms: number): WriteFigure {
  return { rows, seconds: ms / 1000, rowsPerSecond: rows / (ms / 1000) };
}

function batches(rows: number, size: number): { first: number; last: number }[] {
  const list: { first: number; last: number }[] = [];
  for (let first = 1; first <= rows; first += size) list.push({ first, last: Math.min(rows, first + size - 1) });
  return list;
}

function valueArray(id: number, variant: number): unknown[] {
  const row = generateRow(id, variant);
  return COLUMNS.map((column) => row[column]);
}

export async function measureWrites(options: WriteOptions): Promise<WriteResults> {
  const connection = await mysql.createConnection({
    ...options.connection,
    charset: 'utf8mb4_general_ci',
    timezone: 'Z',
  });
  await connection.query("SET time_zone = '+00:00'");
  const plan = batches(options.rows, options.batchSize);
  const countRows = async () => {
    const [rows] = await connection.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${WRITE_TABLE}\``);
    return Number(rows[0]!.n);
  };

  const connectorRun = async (operation: 'INSERT' | 'UPSERT', variant: number) => {
    // Events are built before the clock starts: AppFlow sends them ready-made.
    const events = plan.map(({ first, last }) => {
      const records: string[] = [];
      for (let id = first; id <= last; id++) records.push(rowRecord(generateRow(id, variant)));
      return writeDataEvent(options.target, WRITE_TABLE, operation, records, operation === 'UPSERT' ? ['id'] : null);
    });
    const { ms } = await timed(async () => {
      for (const event of events) {
        const { response } = await invokeSerialized(options.bundle, event);
        if (response.isSuccess !== true) {
          const failures = (response.writeRecordResults as { isSuccess: boolean; errorMessage: string }[] | null) ?? [];
          const first = failures.find((result) => !result.isSuccess);
          throw new Error(
            `WriteData ${operation} failed: ${JSON.stringify(response.errorDetails)} ${first?.errorMessage ?? ''}`,
          );
        }
      }
    });
    return figure(options.rows, ms);
  };

  const rawRun = async (operation: 'INSERT' | 'UPSERT', variant: number) => {
    const columns = COLUMNS.map((name) => `\`${name}\``).join(', ');
    const update = COLUMNS.filter((name) => name !== 'id')
      .map((name) => `\`${name}\` = VALUES(\`${name}\`)`)
      .join(', ');
    const sql =
      `INSERT INTO \`${WRITE_TABLE}\` (${columns}) VALUES ?` +
      (operation === 'UPSERT' ? ` ON DUPLICATE KEY UPDATE ${update}` : '');
    const values = plan.map(({ first, last }) => {
      const rows: unknown[][] = [];
      for (let id = first; id <= last; id++) rows.push(valueArray(id, variant));
      return rows;
    });
    const { ms } = await timed(async () => {
      for (const rows of values) await connection.query(sql, [rows]);
    });
    return figure(options.rows, ms);
  };

  try {
    await connection.query(`TRUNCATE TABLE \`${WRITE_TABLE}\``);
    const connectorInsert = await connectorRun('INSERT', 0);
    if ((await countRows()) !== options.rows) throw new Error('WriteData INSERT did not write every row');
    options.log(`  WriteData INSERT      ${Math.round(connectorInsert.rowsPerSecond).toLocaleString('en-US')} rows/s`);
    const connectorUpsert = await connectorRun('UPSERT', 1);
    options.log(`  WriteData UPSERT      ${Math.round(connectorUpsert.rowsPerSecond).toLocaleString('en-US')} rows/s`);

    await connection.query(`TRUNCATE TABLE \`${WRITE_TABLE}\``);
    const rawInsert = await rawRun('INSERT', 0);
    if ((await countRows()) !== options.rows) throw new Error('raw INSERT did not write every row');
    options.log(`  mysql2 INSERT         ${Math.round(rawInsert.rowsPerSecond).toLocaleString('en-US')} rows/s`);
    const rawUpsert = await rawRun('UPSERT', 1);
    options.log(`  mysql2 INSERT ... ODKU ${Math.round(rawUpsert.rowsPerSecond).toLocaleString('en-US')} rows/s`);
    return { batchSize: options.batchSize, rows: options.rows, connectorInsert, connectorUpsert, rawInsert, rawUpsert };
  } finally {
    await connection.end();
  }
}
