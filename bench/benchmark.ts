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
import { startMariaDb } from '../local/mariadb';
import { startPostgreSql } from '../local/postgresql';
import { type SecretsEndpoint, startSecretsEndpoint } from '../local/secretsEndpoint';
import { latencyChartSvg } from './chart';
import { type ConnectionTarget, DEFAULT_BUNDLE_PATH, loadBundle, secretArnFor } from './connector';
import type { BenchEngine, RawDriver } from './driver';
import { depthPages, measureDepths } from './measureDepth';
import { measureReads } from './measureRead';
import { measureSmallPages } from './measureSmallPages';
import { measureStartup } from './measureStartup';
import { measureWrites } from './measureWrite';
import { mysqlDriver } from './mysqlDriver';
import { postgresqlDriver, postgresqlValues, seedPostgresql } from './postgresqlDriver';
import { type BenchResult, computeRatios, evaluateTargets, formatReport, type MachineInfo, roundDeep } from './report';
import { COLUMNS, generateRow, type SeedResult, seed, TABLE } from './seed';

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

/** A seeded database the measurements run against, and how to stop its server. */
interface Stage {
  readonly target: ConnectionTarget;
  readonly driver: RawDriver;
  /** A row's values in COLUMNS order, as the driver binds them. */
  readonly values: (id: number, variant: number) => unknown[];
  /** `MariaDB 10.11.19-…`, `PostgreSQL 15.14 …`. */
  readonly server: string;
  readonly seeded: SeedResult;
  stop(): Promise<void>;
}

interface StageOptions {
  readonly rows: number;
  readonly tlsMode: 'REQUIRED' | 'DISABLED';
  readonly secrets: SecretsEndpoint;
  readonly log: (message: string) => void;
}

const progressEvery = (log: (message: string) => void) => (done: number) => {
  if (done % 100_000 === 0) log(`  ${done.toLocaleString('en-US')} rows`);
};

async function mysqlStage({ rows, tlsMode, secrets, log }: StageOptions): Promise<Stage> {
  log('starting a throwaway MariaDB...');
  const server = await startMariaDb({
    extraArgs: [
      '--innodb-buffer-pool-size=1G',
      '--innodb-log-file-size=512M',
      '--innodb-log-buffer-size=64M',
      '--max-allowed-packet=64M',
      '--innodb-doublewrite=0',
      // Flush the freshly loaded pages quickly (the default assumes a 200-IOPS disk), see seed.ts settle().
      '--innodb-io-capacity=20000',
      '--innodb-io-capacity-max=40000',
    ],
  });
  try {
    const database = await server.createDatabase({ prefix: 'bench', requireTls: tlsMode !== 'DISABLED' });
    const versionRows = (await server.adminQuery('SELECT VERSION() AS version')) as { version: string }[];
    log(`seeding ${rows.toLocaleString('en-US')} rows...`);
    const seeded = await seed({ ...server.admin, database: database.database }, rows, {
      onProgress: progressEvery(log),
    });
    log(`  seeded in ${seeded.seconds.toFixed(1)} s, flushed in ${seeded.settleSeconds.toFixed(1)} s`);
    const secretArn = secretArnFor(`bench-${database.database}`);
    secrets.putSecret(secretArn, { username: database.user, password: database.password });
    const connection = {
      host: database.host,
      port: database.port,
      user: database.user,
      password: database.password,
      database: database.database,
      ...(tlsMode === 'DISABLED' ? {} : { ssl: { rejectUnauthorized: false, minVersion: 'TLSv1.2' } }),
    };
    return {
      target: { host: database.host, port: database.port, database: database.database, secretArn, tlsMode },
      driver: mysqlDriver(connection),
      values: (id, variant) => {
        const row = generateRow(id, variant);
        return COLUMNS.map((column) => row[column]);
      },
      server: `MariaDB ${versionRows[0]?.version ?? 'unknown'}`,
      seeded,
      stop: () => server.stop(),
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

async function postgresqlStage({ rows, tlsMode, secrets, log }: StageOptions): Promise<Stage> {
  log('starting a throwaway PostgreSQL...');
  // Buffers and WAL sized like the MariaDB server's (1 GB buffer pool, a large redo log), so that neither engine
  // reads the table through a buffer cache far smaller than it.
  const server = await startPostgreSql({
    settings: {
      shared_buffers: '1GB',
      max_wal_size: '4GB',
      wal_buffers: '64MB',
      checkpoint_timeout: '30min',
      maintenance_work_mem: '256MB',
    },
  });
  try {
    const database = await server.createDatabase({ prefix: 'bench' });
    const [[version] = []] = await server.adminQuery('SHOW server_version');
    log(`seeding ${rows.toLocaleString('en-US')} rows...`);
    // The owner seeds over TLS without verification; seeding is not what is measured.
    const owner = {
      host: database.host,
      port: database.port,
      user: database.user,
      password: database.password,
      database: database.database,
      ssl: { rejectUnauthorized: false },
    } as const;
    const checkpoint = async () => {
      // Needs the admin's rights; an external server's admin may lack them.
      await server.adminQuery('CHECKPOINT').catch(() => {});
    };
    const seeded = await seedPostgresql(owner, rows, checkpoint, { onProgress: progressEvery(log) });
    log(
      `  seeded in ${seeded.seconds.toFixed(1)} s, vacuumed and checkpointed in ${seeded.settleSeconds.toFixed(1)} s`,
    );
    // The owner may connect only over TLS; its plain member (same tables) is the login when TLS is DISABLED.
    const login =
      tlsMode === 'DISABLED'
        ? { user: database.plainUser, password: database.plainPassword }
        : { user: database.user, password: database.password };
    const secretArn = secretArnFor(`bench-${database.database}`);
    secrets.putSecret(secretArn, { username: login.user, password: login.password });
    const connection = {
      ...owner,
      ...login,
      ssl: tlsMode === 'DISABLED' ? (false as const) : ({ rejectUnauthorized: false } as const),
    };
    return {
      target: {
        engine: 'POSTGRESQL',
        host: database.host,
        port: database.port,
        database: database.database,
        secretArn,
        tlsMode,
      },
      driver: postgresqlDriver(connection),
      values: postgresqlValues,
      server: `PostgreSQL ${version ?? 'unknown'}`,
      seeded,
      stop: () => server.stop(),
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
  return value;
}

/** Each engine's throwaway server, seeded, with its own client library beside the connector. */
const STAGES: Readonly<Record<DatabaseEngine, typeof mysqlStage>> = { MYSQL: mysqlStage, POSTGRESQL: postgresqlStage };

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
      server: stage.server,
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
        ...(engine === 'POSTGRESQL' ? { engine } : {}),
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
