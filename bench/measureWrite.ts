/**
 * Part 5: writes. WriteData INSERT and UPSERT through the bundle's handler in batches of `batchSize` records (as
 * AppFlow sends them: one JSON string per record), against plain multi-row statements via the engine's client
 * library from the same rows as value arrays (bench/driver.ts). mysql2: `INSERT INTO t (...) VALUES ?` and the same
 * with `ON DUPLICATE KEY UPDATE c = VALUES(c)`; pg: `INSERT INTO t (...) VALUES ($1, …), …` with every value bound,
 * and the same with `ON CONFLICT (id) DO UPDATE SET c = EXCLUDED.c`.
 * Same table definition, same server, user and TLS, one statement (or request) at a time, autocommit.
 *
 * INSERT starts from an empty table; UPSERT then rewrites every row with changed values (all updates).
 */
import type { ConnectionTarget, ConnectorBundle } from './connector';
import { invokeSerialized, writeDataEvent } from './connector';
import type { RawDriver } from './driver';
import { generateRow, rowRecord, WRITE_TABLE } from './seed';
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
  readonly driver: RawDriver;
  /** A row's values in COLUMNS order, as the driver binds them. */
  readonly values: (id: number, variant: number) => unknown[];
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

export async function measureWrites(options: WriteOptions): Promise<WriteResults> {
  const writer = await options.driver.openWriter();
  const plan = batches(options.rows, options.batchSize);
  const countRows = () => writer.count();

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
    const values = plan.map(({ first, last }) => {
      const rows: unknown[][] = [];
      for (let id = first; id <= last; id++) rows.push(options.values(id, variant));
      return rows;
    });
    const statements = writer.prepare(operation, values);
    const { ms } = await timed(() => statements.run());
    return figure(options.rows, ms);
  };

  try {
    await writer.truncate();
    const connectorInsert = await connectorRun('INSERT', 0);
    if ((await countRows()) !== options.rows) throw new Error('WriteData INSERT did not write every row');
    options.log(`  WriteData INSERT      ${Math.round(connectorInsert.rowsPerSecond).toLocaleString('en-US')} rows/s`);
    const connectorUpsert = await connectorRun('UPSERT', 1);
    options.log(`  WriteData UPSERT      ${Math.round(connectorUpsert.rowsPerSecond).toLocaleString('en-US')} rows/s`);

    await writer.truncate();
    const rawInsert = await rawRun('INSERT', 0);
    if ((await countRows()) !== options.rows) throw new Error('raw INSERT did not write every row');
    const library = options.driver.libraryName;
    options.log(
      `  ${library.padEnd(6)} INSERT         ${Math.round(rawInsert.rowsPerSecond).toLocaleString('en-US')} rows/s`,
    );
    const rawUpsert = await rawRun('UPSERT', 1);
    options.log(
      `  ${library.padEnd(6)} upsert         ${Math.round(rawUpsert.rowsPerSecond).toLocaleString('en-US')} rows/s`,
    );
    return { batchSize: options.batchSize, rows: options.rows, connectorInsert, connectorUpsert, rawInsert, rawUpsert };
  } finally {
    await writer.close();
  }
}
