/**
 * The whole benchmark in one run, on one machine and one data set: a throwaway MariaDB (or, with engine POSTGRESQL,
 * a throwaway PostgreSQL) seeded with a realistic table, then (1, 2) the full read through the connector and its ceilings, (3, 4) page latency against depth for
 * the Java sample's OFFSET strategy and the connector, (5) writes, (6) start-up. Writes the JSON file (every figure
 * and ratio) and the latency chart (SVG) beside it, and returns the result.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { dirname, resolve } from 'node:path';
import { type DatabaseEngine, DEFAULT_ENGINE, ENGINES } from '../handler/engines/registry';
import { startSecretsEndpoint } from '../local/secretsEndpoint';
import { latencyChartSvg } from './chart';
import { DEFAULT_BUNDLE_PATH, loadBundle } from './connector';
import type { BenchEngine } from './driver';
import { depthPages, measureDepths } from './measureDepth';
import { measureReads } from './measureRead';
import { measureSmallPages } from './measureSmallPages';
import { measureStartup } from './measureStartup';
import { measureWrites } from './measureWrite';
import { mysqlStage } from './mysqlStage';
import { postgresqlStage } from './postgresqlStage';
import { type BenchResult, computeRatios, evaluateTargets, formatReport, type MachineInfo, roundDeep } from './report';
import { COLUMNS, TABLE } from './seed';
import type { Stage, StageOptions } from './stage';

export interface BenchmarkOptions {
  /** The connector's engine and the server the benchmark starts: MYSQL (MariaDB, default) or POSTGRESQL. */
  readonly engine?: BenchEngine;
  /** Rows in the read table (default 1,000,000). */
  readonly rows?: number;
  /**
   * The JSON file (default bench-results/bench.json, for POSTGRESQL bench-results/bench-postgresql.json); the chart
   * is written beside it as <name>-latency.svg.
   */
  readonly out?: string;
  /** QueryData maxResults and the ceilings' page size (default 1000, AppFlow's default). */
  readonly pageSize?: number;
  /** Depths for the latency comparison, as fractions of the table (0 = first page, 1 = last page). */
  readonly depths?: readonly number[];
  /** Full reads per strategy; the median run is reported (default 5). */
  readonly repeat?: number;
  /** Samples per depth point (default 5). */
  readonly samples?: number;
  /** Fresh processes per start-up figure (default 5). */
  readonly startupSamples?: number;
  /** Rows written by each write measurement (default min(rows, 100,000)). */
  readonly writeRows?: number;
  /** Records per WriteData request and rows per mysql2 or pg statement (default 1000). */
  readonly writeBatch?: number;
  /** TLS between the clients and the server: REQUIRED (default, as the connector's default) or DISABLED. */
  readonly tlsMode?: 'REQUIRED' | 'DISABLED';
  readonly bundlePath?: string;
  /** Progress lines (default: to stderr). */
  readonly log?: (message: string) => void;
}

export interface BenchmarkRun {
  readonly result: BenchResult;
  readonly jsonPath: string;
  readonly svgPath: string;
  readonly report: string;
}

export const DEFAULT_DEPTHS = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1] as const;

export function svgPathFor(jsonPath: string): string {
  return jsonPath.replace(/\.json$/i, '') + '-latency.svg';
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
  return value;
}

/** Each engine's throwaway server, seeded, with its own client library beside the connector. */
const STAGES: Readonly<Record<DatabaseEngine, (options: StageOptions) => Promise<Stage>>> = {
  MYSQL: mysqlStage,
  POSTGRESQL: postgresqlStage,
};

export async function runBenchmark(options: BenchmarkOptions = {}): Promise<BenchmarkRun> {
  const engine = options.engine ?? DEFAULT_ENGINE;
  const rows = positiveInteger(options.rows ?? 1_000_000, 'rows');
  const pageSize = positiveInteger(options.pageSize ?? 1000, 'pageSize');
  const depths = [...(options.depths ?? DEFAULT_DEPTHS)];
  if (depths.length < 2 || depths.some((depth) => !(depth >= 0 && depth <= 1))) {
    throw new Error('depths must be at least two fractions between 0 and 1');
  }
  const repeat = positiveInteger(options.repeat ?? 5, 'repeat');
  const samples = positiveInteger(options.samples ?? 5, 'samples');
  const startupSamples = positiveInteger(options.startupSamples ?? 5, 'startupSamples');
  const writeRows = positiveInteger(options.writeRows ?? Math.min(rows, 100_000), 'writeRows');
  const writeBatch = positiveInteger(options.writeBatch ?? 1000, 'writeBatch');
  const tlsMode = options.tlsMode ?? 'REQUIRED';
  const bundlePath = resolve(options.bundlePath ?? DEFAULT_BUNDLE_PATH);
  const jsonPath = resolve(
    options.out ??
      (engine === DEFAULT_ENGINE ? 'bench-results/bench.json' : `bench-results/bench-${ENGINES[engine].name}.json`),
  );
  const svgPath = svgPathFor(jsonPath);
  const log = options.log ?? ((message: string) => process.stderr.write(message + '\n'));
  const startedAt = new Date();
  const loadAverageStart = loadavg()[0]!;

  // The bundled AWS SDK warns once per process on node < 22; the warning is not part of what is measured.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  process.env.LOG_LEVEL = 'INFO';
  const secrets = await startSecretsEndpoint();
  secrets.exportEnvironment();
  const { product } = ENGINES[engine].local;
  log(`starting a throwaway ${product}...`);
  const stage = await STAGES[engine]({ rows, tlsMode, secrets, log });
  let bundle: ReturnType<typeof loadBundle> | undefined;
  try {
    const { target, driver, seeded } = stage;
    const pages = depthPages(depths, rows, pageSize);

    log('full reads (connector, raw ceiling, protocol ceiling)...');
    const { tokens, ...read } = await measureReads({
      target,
      driver,
      bundlePath,
      pageSize,
      repeat,
      tokenPages: pages.map((page) => page.page).filter((page) => page > 0),
      log,
    });

    bundle = loadBundle(bundlePath);
    log('page latency against depth...');
    const depth = await measureDepths({ bundle, target, driver, pageSize, samples, pages, tokens, log });

    log('small pages (1 and 100 rows)...');
    const smallPages = await measureSmallPages({ bundle, target, driver, samples: Math.max(samples, 20) });

    log('writes...');
    const write = await measureWrites({
      bundle,
      target,
      driver,
      values: stage.values,
      rows: writeRows,
      batchSize: writeBatch,
      log,
    });

    log('start-up...');
    const startup = await measureStartup({ bundlePath, target, pageSize, samples: startupSamples });

    const machine: MachineInfo = {
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      cpus: cpus().length,
      memoryGb: totalmem() / 1024 ** 3,
      os: `${type()} ${release()}`,
      node: process.version,
      server: `${product} ${stage.version}`,
      [driver.libraryName]: driver.library.replace(/^\S+ /, ''),
      loadAverageStart,
      loadAverageEnd: loadavg()[0]!,
    };
    const ratios = computeRatios(read, depth, write, startup, smallPages);
    const finishedAt = new Date();
    const result: BenchResult = roundDeep({
      version: 1,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationSeconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
      machine,
      settings: {
        ...(engine === DEFAULT_ENGINE ? {} : { engine }),
        rows,
        pageSize,
        depths,
        repeat,
        samples,
        startupSamples,
        writeRows,
        writeBatch,
        tlsMode,
        bundlePath,
      },
      dataset: {
        table: TABLE,
        rows,
        columns: [...COLUMNS],
        seedSeconds: seeded.seconds,
        seedRowsPerSecond: rows / seeded.seconds,
        settleSeconds: seeded.settleSeconds,
        avgRowBytes: seeded.avgRowBytes,
        dataMB: seeded.dataMB,
      },
      read,
      depth,
      smallPages,
      write,
      startup,
      ratios,
      targets: evaluateTargets(ratios, startup),
    });
    mkdirSync(dirname(jsonPath), { recursive: true });
    writeFileSync(jsonPath, JSON.stringify(result, null, 2) + '\n');
    writeFileSync(
      svgPath,
      latencyChartSvg(
        depth,
        rows,
        `${rows.toLocaleString('en-US')} rows; ${machine.cpuModel}, ${machine.cpus} CPUs; ${machine.server}; ` +
          `node ${machine.node}`,
      ),
    );
    return { result, jsonPath, svgPath, report: formatReport(result) };
  } finally {
    await bundle?.shutdown();
    await stage.stop();
    await secrets.close();
  }
}
