/**
 * Part 6: start-up. Bundle size (raw and zipped, the Lambda deployment package), and the cost of a cold instance:
 * a fresh `node` process that requires the bundle and answers a first request, timed inside the process
 * (performance.now() counts from process start) and from the parent (spawn to exit).
 *
 * - DescribeConnectorConfiguration: no I/O, so this is load + first answer.
 * - a first QueryData page: also the secret read (loopback Secrets Manager), the TLS connection, the table
 *   metadata and the page itself, against a warm database.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import type { ConnectionTarget } from './connector';
import { describeConnectorConfigurationEvent, queryDataEvent } from './connector';
import { TABLE } from './seed';
import { median } from './stats';
import { runNodeWorker } from './worker';

export interface ColdStart {
  /** Node's own start-up before the first line of the script (not the connector's doing). */
  readonly nodeBootMs: number;
  /** require() of the bundle. */
  readonly loadMs: number;
  /** The first handler call, answer serialized. */
  readonly firstAnswerMs: number;
  /** loadMs + firstAnswerMs: what the connector adds to a cold start. */
  readonly loadAndAnswerMs: number;
  /** From spawn to exit of the process, seen from the parent (includes process exit and pool shutdown). */
  readonly wallMs: number;
  /** RSS of the fresh process once it answered, MB. */
  readonly rssMb: number;
  /**
   * The first call's own account of its time, from its "request finished" log line (handler/phases.ts): secretMs,
   * connectMs, catalogMs, readMs (median of each); empty for a call that does not reach the database.
   */
  readonly phasesMs: Readonly<Record<string, number>>;
}

export interface StartupResults {
  /** The whole package: the bundle and its lazy files. */
  readonly bundleBytes: number;
  /** The bundle alone: what `require` parses. */
  readonly requiredBytes: number;
  readonly zippedBytes: number;
  /** 'zip -9' when the zip CLI is present, else 'deflate-raw -9 + zip headers' (within a few bytes of it). */
  readonly zipMethod: string;
  readonly samples: number;
  readonly describe: ColdStart;
  readonly firstQuery: ColdStart;
}

/**
 * The Lambda package: the bundle and, beside it, the lazy files it loads on first use (lazy/*.mjs, see
 * scripts/build-lambda.mjs), as paths relative to the bundle's directory.
 */
function packageFiles(bundlePath: string): string[] {
  const lazy = join(dirname(bundlePath), 'lazy');
  const lazyFiles = existsSync(lazy) ? readdirSync(lazy).map((name) => join('lazy', name)) : [];
  return [basename(bundlePath), ...lazyFiles.sort()];
}

function zippedSize(bundlePath: string): { bytes: number; method: string } {
  const directory = dirname(bundlePath);
  const files = packageFiles(bundlePath);
  try {
    execFileSync('sh', ['-c', 'command -v zip'], { stdio: 'pipe' });
    const dir = mkdtempSync(join(tmpdir(), 'bench-zip-'));
    try {
      const zipPath = join(dir, 'bundle.zip');
      execFileSync('zip', ['-9', '-q', zipPath, ...files], { stdio: 'pipe', cwd: directory });
      return { bytes: statSync(zipPath).size, method: 'zip -9' };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } catch {
    let bytes = 22;
    for (const file of files) {
      const name = Buffer.byteLength(file);
      // Local header (30) + central directory entry (46), the name twice; end of central directory (22) once.
      bytes += deflateRawSync(readFileSync(join(directory, file)), { level: 9 }).length + 30 + 46 + 2 * name;
    }
    return { bytes, method: 'deflate-raw -9 + zip headers' };
  }
}

interface ColdSample {
  nodeBootMs: number;
  loadMs: number;
  firstAnswerMs: number;
  rssMb: number;
  phasesMs: Record<string, number>;
}

function coldScript(bundlePath: string, event: unknown): string {
  return `
const { performance } = require('node:perf_hooks');
// The connector's log line of the call, picked out of stdout for its phase fields (secretMs, connectMs, ...).
const phasesMs = {};
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  const text = String(chunk);
  if (text.includes('"message":"request finished"')) {
    for (const [name, value] of Object.entries(JSON.parse(text))) if (/^[a-z]+Ms$/.test(name) && name !== 'durationMs') phasesMs[name] = value;
  }
  return write(chunk, ...rest);
};
const t0 = performance.now();
const bundle = require(${JSON.stringify(bundlePath)});
const t1 = performance.now();
const deadline = Date.now() + 30000;
bundle.handler(${JSON.stringify(event)}, { awsRequestId: 'cold', getRemainingTimeInMillis: () => deadline - Date.now() })
  .then((response) => {
    JSON.stringify(response);
    const t2 = performance.now();
    if (!response.isSuccess) throw new Error(JSON.stringify(response.errorDetails));
    const result = { nodeBootMs: t0, loadMs: t1 - t0, firstAnswerMs: t2 - t1, rssMb: process.memoryUsage().rss / 1048576, phasesMs };
    return bundle.shutdown().then(() => process.send({ ok: true, result }, () => process.exit(0)));
  })
  .catch((error) => process.send({ ok: false, error: String(error && error.stack || error) }, () => process.exit(1)));
`;
}

async function coldStarts(bundlePath: string, event: unknown, samples: number): Promise<ColdStart> {
  const runs: (ColdSample & { wallMs: number })[] = [];
  for (let sample = 0; sample < samples; sample++) {
    const { result, wallMs } = await runNodeWorker<ColdSample>(['-e', coldScript(bundlePath, event)], 60_000);
    runs.push({ ...result, wallMs });
  }
  const pick = (key: 'nodeBootMs' | 'loadMs' | 'firstAnswerMs' | 'wallMs' | 'rssMb') =>
    median(runs.map((run) => run[key]));
  return {
    nodeBootMs: pick('nodeBootMs'),
    loadMs: pick('loadMs'),
    firstAnswerMs: pick('firstAnswerMs'),
    loadAndAnswerMs: median(runs.map((run) => run.loadMs + run.firstAnswerMs)),
    wallMs: pick('wallMs'),
    rssMb: pick('rssMb'),
    phasesMs: Object.fromEntries(
      Object.keys(runs[0]?.phasesMs ?? {}).map((name) => [name, median(runs.map((run) => run.phasesMs[name] ?? 0))]),
    ),
  };
}

export async function measureStartup(options: {
  bundlePath: string;
  target: ConnectionTarget;
  pageSize: number;
  samples: number;
}): Promise<StartupResults> {
  const zipped = zippedSize(options.bundlePath);
  const describe = await coldStarts(options.bundlePath, describeConnectorConfigurationEvent(), options.samples);
  const firstQuery = await coldStarts(
    options.bundlePath,
    queryDataEvent(options.target, TABLE, options.pageSize, null),
    options.samples,
  );
  return {
    bundleBytes: packageFiles(options.bundlePath).reduce(
      (sum, file) => sum + statSync(join(dirname(options.bundlePath), file)).size,
      0,
    ),
    requiredBytes: statSync(options.bundlePath).size,
    zippedBytes: zipped.bytes,
    zipMethod: zipped.method,
    samples: options.samples,
    describe,
    firstQuery,
  };
}
