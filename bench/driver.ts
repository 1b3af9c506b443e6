/**
 * What the benchmark needs from an engine's own client library (mysql2, pg) besides the connector: the SQL of the
 * full read the ceilings stream (bench/readWorker.cjs), the Java sample's OFFSET strategy for the depth comparison,
 * and plain multi-row INSERT / upsert statements for the write comparison. One implementation per engine
 * (mysqlDriver.ts, postgresqlDriver.ts); the measurements are written once against this interface.
 */
import type { DatabaseEngine } from '../handler/engines/registry';

export type BenchEngine = DatabaseEngine;

/** The Java sample's strategy, one statement at a time: COUNT(*) then a page by OFFSET without ORDER BY. */
export interface OffsetReader {
  count(): Promise<unknown>;
  page(offset: number, rows: number): Promise<unknown>;
  close(): Promise<void>;
}

/** Plain multi-row statements into the write table, one statement per batch of value arrays (COLUMNS order). */
export interface RawWriter {
  truncate(): Promise<void>;
  count(): Promise<number>;
  /** Builds the statements before the clock starts; `run` sends them one after the other. */
  prepare(operation: 'INSERT' | 'UPSERT', batches: readonly (readonly unknown[][])[]): { run(): Promise<void> };
  close(): Promise<void>;
}

/** How the report (report.ts) names an engine's run and its raw statements; one per engine, beside its driver. */
export interface ReportNames {
  /** The report's first words. */
  readonly title: string;
  /** Where the table's rows are stored (what avgRowBytes measures). */
  readonly storage: string;
  /** The client library: the report's name for it and its version's key in the JSON's machine. */
  readonly libraryName: 'mysql2' | 'pg';
  /** The raw upsert statement. */
  readonly upsertLabel: string;
  /** The Java sample's page statement. */
  readonly offsetPageLabel: string;
}

export interface RawDriver {
  readonly engine: BenchEngine;
  /** The client library and its version, as the report names it: `mysql2 3.24.6`, `pg 8.23.1`. */
  readonly library: string;
  readonly libraryName: ReportNames['libraryName'];
  /** The full read the ceilings stream: every column of the read table, ORDER BY id. */
  readonly fullReadSql: string;
  /** What bench/readWorker.cjs needs to open the same connection as the connector (JSON). */
  readonly workerConnection: Record<string, unknown>;
  openOffsetReader(): Promise<OffsetReader>;
  openWriter(): Promise<RawWriter>;
}
