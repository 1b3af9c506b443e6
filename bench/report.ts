/**
 * Ratios, targets and the two outputs: the terminal table and the JSON file (every figure, every ratio).
 * Targets are ratios from one run on one machine and one data set; they are reported, never asserted as timings.
 */
import { type DatabaseEngine, DEFAULT_ENGINE } from '../handler/engines/registry';
import type { ReportNames } from './driver';
import type { DepthResults } from './measureDepth';
import type { ReadResults } from './measureRead';
import type { SmallPage } from './measureSmallPages';
import type { ColdStart, StartupResults } from './measureStartup';
import type { WriteResults } from './measureWrite';
import { MYSQL_REPORT_NAMES } from './mysqlDriver';
import { POSTGRESQL_REPORT_NAMES } from './postgresqlDriver';
import { ratio, round } from './stats';

/** Each engine's words in the report. */
const REPORT_NAMES: Readonly<Record<DatabaseEngine, ReportNames>> = {
  MYSQL: MYSQL_REPORT_NAMES,
  POSTGRESQL: POSTGRESQL_REPORT_NAMES,
};

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cpus: number;
  readonly memoryGb: number;
  readonly os: string;
  readonly node: string;
  readonly server: string;
  /** The client library's version: mysql2 for MYSQL runs, pg for POSTGRESQL runs. */
  readonly mysql2?: string;
  readonly pg?: string;
  /** 1-minute load average when the run started and when it ended: other work on the machine skews the figures. */
  readonly loadAverageStart: number;
  readonly loadAverageEnd: number;
}

export interface BenchSettings {
  /** Absent for the default engine (a MYSQL run's file has no engine, as before engines existed). */
  readonly engine?: DatabaseEngine;
  readonly rows: number;
  readonly pageSize: number;
  readonly depths: readonly number[];
  readonly repeat: number;
  readonly samples: number;
  readonly startupSamples: number;
  readonly writeRows: number;
  readonly writeBatch: number;
  readonly tlsMode: string;
  readonly bundlePath: string;
}

export interface DatasetInfo {
  readonly table: string;
  readonly rows: number;
  readonly columns: readonly string[];
  readonly seedSeconds: number;
  readonly seedRowsPerSecond: number;
  readonly settleSeconds: number;
  /** Bytes per row on disk: InnoDB's clustered index (MYSQL), the table's heap (POSTGRESQL). */
  readonly avgRowBytes: number;
  readonly dataMB: number;
}

export interface Ratios {
  /** Connector full read rows/s ÷ protocol ceiling rows/s (target ≥ 0.9). */
  readonly readVsProtocolCeiling: number;
  readonly readVsRawCeiling: number;
  /** What serializing records with JSON.stringify leaves of the raw stream. */
  readonly protocolVsRawCeiling: number;
  /** Connector last page ÷ first page latency (target ≤ 1.5). */
  readonly lastVsFirstPage: number;
  /** Connector middle page ÷ first page latency. */
  readonly middleVsFirstPage: number;
  /** OFFSET strategy last page ÷ first page. */
  readonly offsetLastVsFirstPage: number;
  /** OFFSET strategy last page ÷ connector last page. */
  readonly offsetVsConnectorLastPage: number;
  /** WriteData INSERT rows/s ÷ the client library's multi-row INSERT rows/s (target ≥ 0.9). */
  readonly writeInsertVsRaw: number;
  /** WriteData UPSERT rows/s ÷ the client library's multi-row upsert rows/s (target ≥ 0.9). */
  readonly writeUpsertVsRaw: number;
  /** Cold load + first DescribeConnectorConfiguration answer ÷ median page latency of the full read (target ≤ 0.5). */
  readonly coldStartVsPage: number;
  /** require() of the bundle ÷ node's own boot, in the first-QueryData cold starts (target ≤ 1). */
  readonly requireVsNodeBoot: number;
  /** Cold load + first QueryData page ÷ one warm first page (depth 0) (target ≤ 4). */
  readonly firstQueryVsWarmPage: number;
  /** QueryData of 1 and of 100 rows (warm, continued page) ÷ the client library's statement (target ≤ 2). */
  readonly smallPage1VsRaw: number;
  readonly smallPage100VsRaw: number;
}

export interface Target {
  readonly id: string;
  readonly description: string;
  readonly value: number;
  readonly comparison: '>=' | '<=';
  readonly limit: number;
  readonly met: boolean;
}

export interface BenchResult {
  readonly version: 1;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationSeconds: number;
  readonly machine: MachineInfo;
  readonly settings: BenchSettings;
  readonly dataset: DatasetInfo;
  readonly read: Omit<ReadResults, 'tokens'>;
  readonly depth: DepthResults;
  readonly write: WriteResults;
  readonly startup: StartupResults;
  /** QueryData of 1 and 100 rows against the client library's statement for the same rows. */
  readonly smallPages: readonly SmallPage[];
  readonly ratios: Ratios;
  readonly targets: readonly Target[];
}

export const ZIPPED_BUNDLE_LIMIT_BYTES = 1_000_000;

export function computeRatios(
  read: Omit<ReadResults, 'tokens'>,
  depth: DepthResults,
  write: WriteResults,
  startup: StartupResults,
  smallPages: readonly SmallPage[],
): Ratios {
  const small = (rows: number) => {
    const page = smallPages.find((candidate) => candidate.rows === rows);
    return page ? ratio(page.connectorMs, page.rawMs) : Number.NaN;
  };
  const first = depth.points[0]!;
  const last = depth.points[depth.points.length - 1]!;
  const middle = depth.points[Math.floor((depth.points.length - 1) / 2)]!;
  return {
    readVsProtocolCeiling: ratio(read.connector.rowsPerSecond, read.protocolCeiling.rowsPerSecond),
    readVsRawCeiling: ratio(read.connector.rowsPerSecond, read.rawCeiling.rowsPerSecond),
    protocolVsRawCeiling: ratio(read.protocolCeiling.rowsPerSecond, read.rawCeiling.rowsPerSecond),
    lastVsFirstPage: ratio(last.connectorMs, first.connectorMs),
    middleVsFirstPage: ratio(middle.connectorMs, first.connectorMs),
    offsetLastVsFirstPage: ratio(last.offsetTotalMs, first.offsetTotalMs),
    offsetVsConnectorLastPage: ratio(last.offsetTotalMs, last.connectorMs),
    writeInsertVsRaw: ratio(write.connectorInsert.rowsPerSecond, write.rawInsert.rowsPerSecond),
    writeUpsertVsRaw: ratio(write.connectorUpsert.rowsPerSecond, write.rawUpsert.rowsPerSecond),
    coldStartVsPage: ratio(startup.describe.loadAndAnswerMs, read.connector.pageMsP50),
    requireVsNodeBoot: ratio(startup.firstQuery.loadMs, startup.firstQuery.nodeBootMs),
    firstQueryVsWarmPage: ratio(startup.firstQuery.loadAndAnswerMs, depth.points[0]!.connectorMs),
    smallPage1VsRaw: small(1),
    smallPage100VsRaw: small(100),
  };
}

export function evaluateTargets(ratios: Ratios, startup: StartupResults): Target[] {
  // Judged on the figure as reported (rounded like the JSON file): a ratio of 0.5004 shown as 0.5 meets `<= 0.5`.
  const target = (id: string, description: string, figure: number, comparison: '>=' | '<=', limit: number): Target => {
    const value = round(figure);
    return { id, description, value, comparison, limit, met: comparison === '>=' ? value >= limit : value <= limit };
  };
  // The performance issue's targets (#21) first, then the earlier ones that still hold.
  return [
    target('read', 'full read rows/s vs protocol ceiling', ratios.readVsProtocolCeiling, '>=', 0.9),
    target('writeInsert', 'WriteData INSERT rows/s vs raw multi-row INSERT', ratios.writeInsertVsRaw, '>=', 0.9),
    target('writeUpsert', 'WriteData UPSERT rows/s vs raw multi-row upsert', ratios.writeUpsertVsRaw, '>=', 0.9),
    target('smallPage1', 'QueryData of 1 row vs raw statement', ratios.smallPage1VsRaw, '<=', 2),
    target('smallPage100', 'QueryData of 100 rows vs raw statement', ratios.smallPage100VsRaw, '<=', 2),
    target('require', 'require of the bundle vs node boot', ratios.requireVsNodeBoot, '<=', 1),
    target('firstQuery', 'load + first QueryData page vs warm page', ratios.firstQueryVsWarmPage, '<=', 4),
    target('flatPaging', 'last-page vs first-page latency', ratios.lastVsFirstPage, '<=', 1.5),
    target('bundle', 'zipped bundle bytes', startup.zippedBytes, '<=', ZIPPED_BUNDLE_LIMIT_BYTES),
    target('coldStart', 'cold load + first answer vs one page', ratios.coldStartVsPage, '<=', 0.5),
  ];
}

const int = (value: number) => Math.round(value).toLocaleString('en-US');
const fixed = (value: number, digits = 1) => value.toFixed(digits);

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Where the first call's answer time went, by the phases its log line names; the rest is outside them. */
function phaseSummary(cold: ColdStart): string {
  const phases = Object.entries(cold.phasesMs ?? {});
  if (phases.length === 0) return 'no phase fields';
  const inPhases = phases.reduce((sum, [, ms]) => sum + ms, 0);
  return (
    phases.map(([name, ms]) => `${name.replace(/Ms$/, '')} ${fixed(ms)} ms`).join(', ') +
    `; the other ${fixed(Math.max(0, cold.firstAnswerMs - inPhases))} ms of the first answer come after the ` +
    'read (token, answer, its serialization)'
  );
}

/** The report a reader sees on the terminal. */
export function formatReport(result: BenchResult): string {
  const { read, depth, write, startup, ratios, machine, dataset, settings } = result;
  const names = REPORT_NAMES[settings.engine ?? DEFAULT_ENGINE];
  const library = names.libraryName;
  const lines: string[] = [];
  lines.push(
    `${names.title} — ` +
      `${dataset.rows.toLocaleString('en-US')} rows of ${dataset.table} ` +
      `(${fixed(dataset.avgRowBytes, 0)} B/row in ${names.storage}, ` +
      `${fixed(read.connector.avgRecordBytes, 0)} B/record), page size ${settings.pageSize}, TLS ${settings.tlsMode}`,
    `${machine.cpuModel}, ${machine.cpus} CPUs, ${fixed(machine.memoryGb, 0)} GB; node ${machine.node}; ` +
      `${machine.server}; ${library} ${machine[library]}; load average ` +
      `${fixed(machine.loadAverageStart, 2)} at start, ${fixed(machine.loadAverageEnd, 2)} at end`,
    `seeded in ${fixed(dataset.seedSeconds)} s (${int(dataset.seedRowsPerSecond)} rows/s), settled in ` +
      `${fixed(dataset.settleSeconds)} s; whole run ${fixed(result.durationSeconds)} s`,
    '',
    'Full read (median of ' + settings.repeat + ' runs, each in a fresh process)',
    table([
      ['', 'rows/s', 'MB/s records', 'seconds', 'peak RSS MB', 'vs raw', 'vs protocol'],
      [
        `raw ceiling: ${library} stream, rows decoded`,
        int(read.rawCeiling.rowsPerSecond),
        '-',
        fixed(read.rawCeiling.seconds, 2),
        fixed(read.rawCeiling.peakRssMb, 0),
        '1.00',
        '-',
      ],
      [
        'protocol ceiling: + JSON.stringify(row), response',
        int(read.protocolCeiling.rowsPerSecond),
        fixed(read.protocolCeiling.recordMBPerSecond),
        fixed(read.protocolCeiling.seconds, 2),
        fixed(read.protocolCeiling.peakRssMb, 0),
        fixed(ratios.protocolVsRawCeiling, 2),
        '1.00',
      ],
      [
        `connector: QueryData x${read.connector.pages}, response serialized`,
        int(read.connector.rowsPerSecond),
        fixed(read.connector.recordMBPerSecond),
        fixed(read.connector.seconds, 2),
        fixed(read.connector.peakRssMb, 0),
        fixed(ratios.readVsRawCeiling, 2),
        fixed(ratios.readVsProtocolCeiling, 2),
      ],
    ]),
    `connector pages: p50 ${fixed(read.connector.pageMsP50)} ms, p95 ${fixed(read.connector.pageMsP95)} ms, ` +
      `max ${fixed(read.connector.pageMsMax)} ms; ${fixed(read.connector.recordMB)} MB of records, ` +
      `${fixed(read.connector.responseMB)} MB serialized`,
    '',
    `Page latency against depth (median of ${depth.samples}, ms)`,
    table([
      ['rows before the page', 'connector', 'OFFSET total', 'COUNT(*)', names.offsetPageLabel, 'OFFSET/connector'],
      ...depth.points.map((point) => [
        int(point.offset),
        fixed(point.connectorMs),
        fixed(point.offsetTotalMs),
        fixed(point.offsetCountMs),
        fixed(point.offsetSelectMs),
        fixed(ratio(point.offsetTotalMs, point.connectorMs), 1) + 'x',
      ]),
    ]),
    '',
    'Small pages (warm instance, continued page, median)',
    table([
      ['rows', 'QueryData ms', 'raw statement ms', 'ratio'],
      ...result.smallPages.map((page) => [
        String(page.rows),
        fixed(page.connectorMs, 2),
        fixed(page.rawMs, 2),
        fixed(page.connectorMs / page.rawMs, 2),
      ]),
    ]),
    '',
    `Writes (${int(write.rows)} rows, ${write.batchSize} per request or statement)`,
    table([
      ['', 'rows/s', 'seconds', `vs ${library}`],
      [
        'WriteData INSERT',
        int(write.connectorInsert.rowsPerSecond),
        fixed(write.connectorInsert.seconds, 2),
        fixed(ratios.writeInsertVsRaw, 2),
      ],
      [`${library} multi-row INSERT`, int(write.rawInsert.rowsPerSecond), fixed(write.rawInsert.seconds, 2), '1.00'],
      [
        'WriteData UPSERT',
        int(write.connectorUpsert.rowsPerSecond),
        fixed(write.connectorUpsert.seconds, 2),
        fixed(ratios.writeUpsertVsRaw, 2),
      ],
      [
        `${library} ${names.upsertLabel}`,
        int(write.rawUpsert.rowsPerSecond),
        fixed(write.rawUpsert.seconds, 2),
        '1.00',
      ],
    ]),
    '',
    `Start-up (median of ${startup.samples} fresh processes)`,
    table([
      ['', 'node boot', 'require', 'first answer', 'load+answer', 'spawn→exit', 'RSS MB'],
      ...(
        [
          ['DescribeConnectorConfiguration', startup.describe],
          ['first QueryData page (warm DB)', startup.firstQuery],
        ] as const
      ).map(([label, cold]) => [
        label,
        fixed(cold.nodeBootMs),
        fixed(cold.loadMs),
        fixed(cold.firstAnswerMs),
        fixed(cold.loadAndAnswerMs),
        fixed(cold.wallMs),
        fixed(cold.rssMb, 0),
      ]),
    ]),
    `first QueryData's own log line: ${phaseSummary(startup.firstQuery)}`,
    `package ${int(startup.bundleBytes / 1024)} KiB (index.js ${int(startup.requiredBytes / 1024)} KiB, the rest loaded on first use), ${int(startup.zippedBytes / 1024)} KiB zipped (${startup.zipMethod})`,
    '',
    'Targets (ratios from this run)',
    table([
      ['', 'value', 'target', ''],
      ...result.targets.map((target) => [
        target.description,
        target.id === 'bundle' ? `${int(target.value)} B` : fixed(target.value, 2),
        `${target.comparison} ${target.id === 'bundle' ? `${int(target.limit)} B` : target.limit}`,
        target.met ? 'met' : 'MISSED',
      ]),
    ]),
  );
  return lines.join('\n') + '\n';
}

/** Rounds every number for the JSON file (timings to 3 decimals). */
export function roundDeep<T>(value: T): T {
  if (typeof value === 'number') return round(value) as T;
  if (Array.isArray(value)) return value.map((item) => roundDeep(item)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, roundDeep(item)])) as T;
  }
  return value;
}
