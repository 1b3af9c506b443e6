/**
 * `npm run bench -- [--engine mysql|postgresql] [--rows N] [--out bench-results/bench.json] [--page-size 1000]
 *                   [--depths 0,0.25,0.5,0.75,1]
 *                   [--repeat 5] [--samples 5] [--startup-samples 5] [--write-rows N] [--write-batch 1000]
 *                   [--tls REQUIRED|DISABLED] [--bundle dist/lambda/index.js]`
 *
 * Prints the report, writes the JSON file and the latency chart (SVG) beside it. Exits 0 even when a target is
 * missed (the figures are the output); exits 1 when the benchmark itself fails.
 */
import { parseArgs } from 'node:util';
import { runBenchmark } from './benchmark';

function numberFlag(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value.replace(/[_,]/g, ''));
  if (!Number.isFinite(parsed)) throw new Error(`--${name} must be a number, got ${value}`);
  return parsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      engine: { type: 'string' },
      rows: { type: 'string' },
      out: { type: 'string' },
      'page-size': { type: 'string' },
      depths: { type: 'string' },
      repeat: { type: 'string' },
      samples: { type: 'string' },
      'startup-samples': { type: 'string' },
      'write-rows': { type: 'string' },
      'write-batch': { type: 'string' },
      tls: { type: 'string' },
      bundle: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(
      'usage: npm run bench -- [--engine mysql|postgresql] [--rows 1000000] [--out bench-results/bench.json]\n' +
        '         [--page-size 1000]' +
        ' [--depths 0,0.1,0.25,0.5,0.75,0.9,1] [--repeat 5] [--samples 5] [--startup-samples 5]\n' +
        '         [--write-rows 100000] [--write-batch 1000] [--tls REQUIRED|DISABLED] [--bundle dist/lambda/index.js]\n',
    );
    return;
  }
  const engine = values.engine?.toUpperCase();
  if (engine !== undefined && engine !== 'MYSQL' && engine !== 'POSTGRESQL') {
    throw new Error('--engine must be mysql or postgresql');
  }
  const tls = values.tls?.toUpperCase();
  if (tls !== undefined && tls !== 'REQUIRED' && tls !== 'DISABLED')
    throw new Error('--tls must be REQUIRED or DISABLED');
  const run = await runBenchmark({
    engine,
    rows: numberFlag(values.rows, 'rows'),
    out: values.out,
    pageSize: numberFlag(values['page-size'], 'page-size'),
    depths: values.depths?.split(',').map((depth) => numberFlag(depth.trim(), 'depths')!),
    repeat: numberFlag(values.repeat, 'repeat'),
    samples: numberFlag(values.samples, 'samples'),
    startupSamples: numberFlag(values['startup-samples'], 'startup-samples'),
    writeRows: numberFlag(values['write-rows'], 'write-rows'),
    writeBatch: numberFlag(values['write-batch'], 'write-batch'),
    tlsMode: tls,
    bundlePath: values.bundle,
  });
  process.stdout.write('\n' + run.report);
  process.stdout.write(`\nfigures: ${run.jsonPath}\nchart:   ${run.svgPath}\n`);
}

// Ctrl-C: exit through process.exit so that the throwaway server is stopped by its exit handler.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

main().catch((error: unknown) => {
  process.stderr.write(
    `benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
