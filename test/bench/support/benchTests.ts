/**
 * The benchmark at a small size, so that it cannot rot: every figure is produced and finite, the ratios and targets
 * are computed, the JSON file and the chart are written. No timing is asserted here: speed targets are ratios
 * reported by `npm run bench`, never pass/fail conditions of the test suite. Registered once per engine by
 * test/bench/bench.test.ts (MariaDB) and test/bench/benchPostgresql.test.ts (PostgreSQL).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { type BenchmarkRun, runBenchmark } from '../../../bench/benchmark';
import type { BenchEngine } from '../../../bench/driver';

export function registerBenchTests(engine: BenchEngine): void {
  let run: BenchmarkRun;
  let dir: string;

  test.before(async (t) => {
    t.timeout(300_000);
    dir = mkdtempSync(join(tmpdir(), 'bench-test-'));
    run = await runBenchmark({
      engine,
      rows: 3000,
      pageSize: 500,
      depths: [0, 0.5, 1],
      repeat: 1,
      samples: 2,
      startupSamples: 1,
      writeRows: 2000,
      writeBatch: 1000,
      out: join(dir, 'bench.json'),
      log: () => {},
    });
  });

  test.after.always(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Every number in the object is finite (NaN or Infinity would mean a figure was not measured). */
  function nonFiniteNumbers(value: unknown, path = ''): string[] {
    if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
    if (Array.isArray(value)) return value.flatMap((item, index) => nonFiniteNumbers(item, `${path}[${index}]`));
    if (value && typeof value === 'object') {
      return Object.entries(value).flatMap(([key, item]) => nonFiniteNumbers(item, path ? `${path}.${key}` : key));
    }
    return [];
  }

  test('every figure is present and finite', (t) => {
    const { result } = run;
    t.deepEqual(nonFiniteNumbers(result), []);
    t.is(result.dataset.rows, 3000);
    for (const figure of [result.read.connector, result.read.rawCeiling, result.read.protocolCeiling]) {
      t.is(figure.rows, 3000);
      t.true(figure.rowsPerSecond > 0);
      t.true(figure.peakRssMb > 0);
    }
    t.is(result.read.connector.pages, 6);
    t.true(result.read.connector.recordMBPerSecond > 0);
    t.true(result.read.connector.avgRecordBytes > 100);
    t.true(result.read.protocolCeiling.recordMBPerSecond > 0);

    t.deepEqual(
      result.depth.points.map((point) => [point.page, point.offset]),
      [
        [0, 0],
        [3, 1500],
        [5, 2500],
      ],
    );
    for (const point of result.depth.points) {
      t.is(point.connectorRecords, 500);
      t.true(point.connectorMs > 0 && point.offsetCountMs > 0 && point.offsetSelectMs > 0);
      t.true(point.offsetTotalMs >= Math.min(point.offsetCountMs, point.offsetSelectMs));
    }

    for (const figure of [
      result.write.connectorInsert,
      result.write.connectorUpsert,
      result.write.rawInsert,
      result.write.rawUpsert,
    ]) {
      t.is(figure.rows, 2000);
      t.true(figure.rowsPerSecond > 0);
    }

    const { startup } = result;
    t.true(startup.bundleBytes > 0 && startup.zippedBytes > 0 && startup.zippedBytes < startup.bundleBytes);
    for (const cold of [startup.describe, startup.firstQuery]) {
      t.true(cold.loadMs > 0 && cold.firstAnswerMs > 0 && cold.wallMs > 0 && cold.rssMb > 0);
    }
  });

  test('the ratios and the targets are computed from the figures', (t) => {
    const { ratios, read, write, depth, targets } = run.result;
    const close = (actual: number, expected: number) => Math.abs(actual - expected) <= 0.002 * Math.max(1, expected);
    t.true(close(ratios.readVsProtocolCeiling, read.connector.rowsPerSecond / read.protocolCeiling.rowsPerSecond));
    t.true(close(ratios.readVsRawCeiling, read.connector.rowsPerSecond / read.rawCeiling.rowsPerSecond));
    t.true(close(ratios.protocolVsRawCeiling, read.protocolCeiling.rowsPerSecond / read.rawCeiling.rowsPerSecond));
    const first = depth.points[0]!;
    const last = depth.points[depth.points.length - 1]!;
    t.true(close(ratios.lastVsFirstPage, last.connectorMs / first.connectorMs));
    t.true(close(ratios.offsetLastVsFirstPage, last.offsetTotalMs / first.offsetTotalMs));
    t.true(close(ratios.writeInsertVsRaw, write.connectorInsert.rowsPerSecond / write.rawInsert.rowsPerSecond));
    t.true(close(ratios.writeUpsertVsRaw, write.connectorUpsert.rowsPerSecond / write.rawUpsert.rowsPerSecond));
    // The performance issue's targets (#21) first, with its limits, then the earlier ones.
    t.deepEqual(
      targets.map((target) => `${target.id} ${target.comparison} ${target.limit}`),
      [
        'read >= 0.9',
        'writeInsert >= 0.9',
        'writeUpsert >= 0.9',
        'smallPage1 <= 2',
        'smallPage100 <= 2',
        'require <= 1',
        'firstQuery <= 4',
        'flatPaging <= 1.5',
        'bundle <= 1000000',
        'coldStart <= 0.5',
      ],
    );
    for (const target of targets) {
      t.is(typeof target.met, 'boolean', target.id);
      t.is(target.met, target.comparison === '>=' ? target.value >= target.limit : target.value <= target.limit);
    }
  });

  test('the JSON file holds the result and the chart is written beside it', (t) => {
    t.true(existsSync(run.jsonPath));
    t.deepEqual(JSON.parse(readFileSync(run.jsonPath, 'utf8')), JSON.parse(JSON.stringify(run.result)));
    t.is(run.svgPath, join(dir, 'bench-latency.svg'));
    const svg = readFileSync(run.svgPath, 'utf8');
    t.true(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
    t.true(svg.trimEnd().endsWith('</svg>'));
    t.is((svg.match(/<polyline /g) ?? []).length, 3);
    t.regex(svg, /OFFSET strategy/);
    t.regex(svg, /connector/);
  });

  test('the terminal report shows every section and every target', (t) => {
    for (const heading of ['Full read', 'Page latency against depth', 'Writes', 'Start-up', 'Targets']) {
      t.true(run.report.includes(heading), heading);
    }
    t.is((run.report.match(/ (met|MISSED)$/gm) ?? []).length, 10);
  });

  test("the first QueryData's phases come from its own log line", (t) => {
    const { describe, firstQuery } = run.result.startup;
    t.deepEqual(Object.keys(firstQuery.phasesMs).sort(), ['catalogMs', 'connectMs', 'readMs', 'secretMs']);
    const inPhases = Object.values(firstQuery.phasesMs).reduce((sum, ms) => sum + ms, 0);
    t.true(inPhases > 0 && inPhases <= firstQuery.firstAnswerMs, `${inPhases} ms of ${firstQuery.firstAnswerMs} ms`);
    t.deepEqual(describe.phasesMs, {}, 'DescribeConnectorConfiguration reaches no database');
    t.regex(run.report, /first QueryData's own log line: secret [\d.]+ ms, connect [\d.]+ ms, catalog [\d.]+ ms, read/);
  });

  test('the run names its engine, server and client library', (t) => {
    const { machine, settings } = run.result;
    if (engine === 'POSTGRESQL') {
      t.is(settings.engine, 'POSTGRESQL');
      t.regex(machine.server, /^PostgreSQL \d+/);
      t.regex(machine.pg ?? '', /^\d+\.\d+\.\d+$/);
      t.is(machine.mysql2, undefined);
      t.regex(run.report, /^AppFlow connector benchmark, PostgreSQL — /);
      for (const label of ['raw ceiling: pg stream', 'pg multi-row INSERT', 'pg INSERT ... ON CONFLICT DO UPDATE']) {
        t.true(run.report.includes(label), label);
      }
    } else {
      // A MySQL run's file keeps the shape it had before engines existed.
      t.false('engine' in settings);
      t.regex(machine.server, /^MariaDB /);
      t.regex(machine.mysql2 ?? '', /^\d+\.\d+\.\d+$/);
      t.regex(run.report, /^AppFlow MySQL connector benchmark — /);
      t.true(run.report.includes('raw ceiling: mysql2 stream'));
    }
  });
}
