/**
 * Parts 1 and 2: the full read through the connector and its two ceilings, each run in a fresh process
 * (bench/readWorker.cjs), the three strategies interleaved run after run so that drift hits them alike.
 */
import { resolve } from 'node:path';
import type { ConnectionTarget } from './connector';
import { queryDataEvent } from './connector';
import type { RawDriver } from './driver';
import { TABLE } from './seed';
import { MB, median, percentile } from './stats';
import { runNodeWorker } from './worker';

const WORKER = resolve(__dirname, 'readWorker.cjs');
const ROOT = resolve(__dirname, '..');

interface WorkerReadResult {
  rows: number;
  ms: number;
  recordBytes: number;
  responseBytes: number;
  pages: number;
  peakRssMb: number;
  pageMs?: number[];
  tokens?: Record<string, string>;
  rssBeforeMb?: number;
}

export interface ReadFigure {
  readonly rows: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
  /** Rows/s of every run, in run order (the figure above is their median). */
  readonly runsRowsPerSecond: readonly number[];
  /** Peak RSS of the reading process (the worker), MB. */
  readonly peakRssMb: number;
}

export interface RecordReadFigure extends ReadFigure {
  /** UTF-8 bytes of the record strings delivered, MB (10^6 bytes). */
  readonly recordMB: number;
  readonly recordMBPerSecond: number;
  /** UTF-8 bytes of the serialized responses (records escaped once more), MB. */
  readonly responseMB: number;
  readonly avgRecordBytes: number;
}

export interface ConnectorReadFigure extends RecordReadFigure {
  readonly pages: number;
  readonly pageMsP50: number;
  readonly pageMsP95: number;
  readonly pageMsMax: number;
  /** RSS after loading the bundle and answering one warm-up call, before the read, MB. */
  readonly rssBeforeMb: number;
}

export interface ReadResults {
  readonly connector: ConnectorReadFigure;
  readonly rawCeiling: ReadFigure;
  readonly protocolCeiling: RecordReadFigure;
  /** nextToken for the page with this index (0-based), from the connector's own full read. */
  readonly tokens: Readonly<Record<number, string>>;
}

export interface ReadOptions {
  readonly target: ConnectionTarget;
  /** The engine's client library for the ceilings: the same server, user and TLS as the connector. */
  readonly driver: RawDriver;
  readonly bundlePath: string;
  readonly pageSize: number;
  readonly repeat: number;
  /** Page indices whose incoming nextToken the depth measurement needs. */
  readonly tokenPages: readonly number[];
  readonly log: (message: string) => void;
}

function pickMedianRun(runs: readonly WorkerReadResult[]): WorkerReadResult {
  const sorted = [...runs].sort((a, b) => a.rows / a.ms - b.rows / b.ms);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

function baseFigure(runs: readonly WorkerReadResult[]): ReadFigure & { chosen: WorkerReadResult } {
  const chosen = pickMedianRun(runs);
  return {
    chosen,
    rows: chosen.rows,
    seconds: chosen.ms / 1000,
    rowsPerSecond: chosen.rows / (chosen.ms / 1000),
    runsRowsPerSecond: runs.map((run) => run.rows / (run.ms / 1000)),
    peakRssMb: Math.max(...runs.map((run) => run.peakRssMb)),
  };
}

function recordFigure(runs: readonly WorkerReadResult[]): RecordReadFigure & { chosen: WorkerReadResult } {
  const base = baseFigure(runs);
  const { chosen } = base;
  return {
    ...base,
    recordMB: chosen.recordBytes / MB,
    recordMBPerSecond: chosen.recordBytes / MB / (chosen.ms / 1000),
    responseMB: chosen.responseBytes / MB,
    avgRecordBytes: chosen.rows > 0 ? chosen.recordBytes / chosen.rows : 0,
  };
}

export async function measureReads(options: ReadOptions): Promise<ReadResults> {
  const streamConfig = (mode: string) => ({
    mode,
    library: options.driver.libraryName,
    root: ROOT,
    connection: options.driver.workerConnection,
    sql: options.driver.fullReadSql,
    pageSize: options.pageSize,
  });
  const connectorConfig = {
    mode: 'connector',
    bundlePath: options.bundlePath,
    event: queryDataEvent(options.target, TABLE, options.pageSize, null),
    tokenPages: options.tokenPages,
  };
  const runs: Record<'raw' | 'protocol' | 'connector', WorkerReadResult[]> = { raw: [], protocol: [], connector: [] };
  for (let round = 0; round < options.repeat; round++) {
    for (const [mode, config] of [
      ['raw', streamConfig('raw')],
      ['protocol', streamConfig('protocol')],
      ['connector', connectorConfig],
    ] as const) {
      const { result } = await runNodeWorker<WorkerReadResult>([WORKER, JSON.stringify(config)]);
      runs[mode].push(result);
      options.log(
        `  read ${round + 1}/${options.repeat} ${mode.padEnd(9)} ${result.rows} rows in ${(result.ms / 1000).toFixed(2)} s` +
          ` = ${Math.round(result.rows / (result.ms / 1000)).toLocaleString('en-US')} rows/s`,
      );
    }
  }
  const connector = recordFigure(runs.connector);
  const pageMs = connector.chosen.pageMs ?? [];
  const tokens: Record<number, string> = {};
  for (const [page, token] of Object.entries(runs.connector[0]!.tokens ?? {})) tokens[Number(page)] = token;
  const { chosen: _c, ...connectorFigure } = connector;
  const { chosen: _r, ...rawFigure } = baseFigure(runs.raw);
  const { chosen: _p, ...protocolFigure } = recordFigure(runs.protocol);
  return {
    connector: {
      ...connectorFigure,
      pages: connector.chosen.pages,
      pageMsP50: median(pageMs),
      pageMsP95: percentile(pageMs, 0.95),
      pageMsMax: Math.max(...pageMs),
      rssBeforeMb: connector.chosen.rssBeforeMb ?? Number.NaN,
    },
    rawCeiling: rawFigure,
    protocolCeiling: protocolFigure,
    tokens,
  };
}
