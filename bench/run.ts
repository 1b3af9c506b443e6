/**
 * `npm run bench -- [flags]`: the command line of the benchmark (see --help, generated from the table below). Prints
 * the report, writes the JSON file and the latency chart (SVG) beside it. Exits 0 even when a target is missed (the
 * figures are the output); 2 for a wrong command line; 1 when the benchmark itself fails.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  DATABASE_ENGINES,
  type DatabaseEngine,
  DEFAULT_ENGINE,
  ENGINE_NAMES,
  ENGINES,
  engineNamed,
} from '../handler/engines/registry';
import { closestFlag } from '../runner/suggest';
import { runBenchmark } from './benchmark';

interface BenchFlag {
  readonly type: 'string' | 'boolean';
  readonly value?: string;
  readonly description: string;
}

/** Every flag, with what it does and its default: --help is made from this table. */
export const BENCH_FLAGS = {
  engine: {
    type: 'string',
    value: ENGINE_NAMES.join('|'),
    description:
      'The server to measure: a throwaway MariaDB (mysql, default) or PostgreSQL 15 (postgresql), against mysql2 or pg. Only that engine has to be installed.',
  },
  rows: {
    type: 'string',
    value: 'N',
    description: 'Rows in the read table. Default 1,000,000 (about 80 s on 2 cores); 100000 for a quick run.',
  },
  out: {
    type: 'string',
    value: 'FILE',
    description:
      'The JSON file with every figure; the latency chart is written beside it (FILE without .json, plus -latency.svg). Default bench-results/bench.json (postgresql: bench-results/bench-postgresql.json).',
  },
  'page-size': {
    type: 'string',
    value: 'N',
    description: "QueryData maxResults and the ceilings' page size. Default 1000, AppFlow's default.",
  },
  depths: {
    type: 'string',
    value: 'A,B,…',
    description:
      'Where page latency is sampled, as fractions of the table (0 = first page, 1 = last). Default 0,0.1,0.25,0.5,0.75,0.9,1.',
  },
  repeat: {
    type: 'string',
    value: 'N',
    description: 'Full reads per strategy; the median run is reported. Default 5.',
  },
  samples: { type: 'string', value: 'N', description: 'Page-latency samples per depth. Default 5.' },
  'startup-samples': {
    type: 'string',
    value: 'N',
    description: 'Fresh Node processes per start-up figure (load, first answer, first page). Default 5.',
  },
  'write-rows': {
    type: 'string',
    value: 'N',
    description: 'Rows written by each write measurement (INSERT, then UPSERT). Default min(rows, 100,000).',
  },
  'write-batch': {
    type: 'string',
    value: 'N',
    description: 'Records per WriteData request, and rows per raw multi-row statement. Default 1000.',
  },
  tls: {
    type: 'string',
    value: 'REQUIRED|DISABLED',
    description: "TLS between every client and the server. Default REQUIRED, the connector's default.",
  },
  bundle: {
    type: 'string',
    value: 'PATH',
    description: 'The connector bundle to measure. Default dist/lambda/index.js (npm run bench builds it).',
  },
  help: { type: 'boolean', description: 'Show this help.' },
} as const satisfies Record<string, BenchFlag>;

export function benchHelp(): string {
  const lines = [
    'Usage: npm run bench -- [flags]',
    '',
    'Starts a throwaway server, seeds it with a realistic table and measures the connector against the raw driver:',
    'full reads, page latency by depth, writes and start-up. Prints a table, writes a JSON file and an SVG chart.',
    'Targets are ratios within one run; absolute figures depend on the machine.',
    '',
    'Flags:',
  ];
  for (const [name, spec] of Object.entries(BENCH_FLAGS) as [string, BenchFlag][]) {
    lines.push(`  --${name}${spec.value ? ` ${spec.value}` : ''}`);
    lines.push(`      ${spec.description}`);
  }
  lines.push(
    '',
    'Examples:',
    '  npm run bench -- --rows 100000',
    '  npm run bench -- --engine postgresql --rows 100000 --out /tmp/pg.json',
  );
  return `${lines.join('\n')}\n`;
}

export class BenchUsageError extends Error {}

function numberFlag(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value.replace(/[_,]/g, ''));
  if (!Number.isFinite(parsed)) throw new BenchUsageError(`--${name} must be a number, not ${JSON.stringify(value)}`);
  return parsed;
}

type BenchValues = {
  [K in keyof typeof BENCH_FLAGS]?: (typeof BENCH_FLAGS)[K]['type'] extends 'boolean' ? boolean : string;
};

/** Parses the flags; a wrong one is a BenchUsageError that says what to type instead. */
export function parseBenchFlags(argv: readonly string[]) {
  let values: BenchValues;
  try {
    const options = Object.fromEntries(
      Object.entries(BENCH_FLAGS).map(([name, spec]) => [
        name,
        name === 'help' ? { type: spec.type, short: 'h' } : { type: spec.type },
      ]),
    );
    values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values as BenchValues;
  } catch (error) {
    const failure = error as Error & { code?: string };
    const quoted = /'([^']+)'/.exec(failure.message)?.[1] ?? '';
    if (failure.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const suggestion = closestFlag(quoted, Object.keys(BENCH_FLAGS));
      throw new BenchUsageError(`unknown flag ${quoted}${suggestion ? ` (did you mean ${suggestion}?)` : ''}`);
    }
    if (failure.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      throw new BenchUsageError(`unexpected argument ${JSON.stringify(quoted)}: every value follows a flag`);
    }
    if (failure.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const flag = /--[\w-]+/.exec(quoted)?.[0] ?? quoted;
      throw new BenchUsageError(`${flag} needs a value`);
    }
    throw new BenchUsageError(failure.message);
  }
  if (values.help) return { help: true as const };
  const engine = values.engine === undefined ? undefined : engineNamed(values.engine);
  if (values.engine !== undefined && engine === undefined) {
    const names = DATABASE_ENGINES.map((known) => ENGINES[known].name);
    throw new BenchUsageError(
      `--engine must be ${names.slice(0, -1).join(', ')} or ${names.at(-1)}, not ${JSON.stringify(values.engine)}`,
    );
  }
  const tls = values.tls?.toUpperCase();
  if (tls !== undefined && tls !== 'REQUIRED' && tls !== 'DISABLED') {
    throw new BenchUsageError(`--tls must be REQUIRED or DISABLED, not ${JSON.stringify(values.tls)}`);
  }
  return {
    help: false as const,
    options: {
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
      tlsMode: tls as 'REQUIRED' | 'DISABLED' | undefined,
      bundlePath: values.bundle,
    },
  };
}

/** Installs (as root) or asks for the one server the run measures; the other engine need not be installed. */
function ensureServer(engine: DatabaseEngine): void {
  const script = join(__dirname, '..', 'scripts', ENGINES[engine].local.ensureScript);
  execFileSync('bash', [script], { stdio: ['ignore', 'inherit', 'inherit'] });
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseBenchFlags>;
  try {
    parsed = parseBenchFlags(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    process.stderr.write(`error: ${error.message}\nRun npm run bench -- --help to see every flag.\n`);
    process.exitCode = 2;
    return;
  }
  if (parsed.help) {
    process.stdout.write(benchHelp());
    return;
  }
  try {
    ensureServer(parsed.options.engine ?? DEFAULT_ENGINE);
  } catch {
    process.exitCode = 1;
    return;
  }
  const run = await runBenchmark(parsed.options);
  process.stdout.write('\n' + run.report);
  process.stdout.write(`\nfigures: ${run.jsonPath}\nchart:   ${run.svgPath}\n`);
}

if (require.main === module) {
  // Ctrl-C: exit through process.exit so that the throwaway server is stopped by its exit handler.
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));

  main().catch((error: unknown) => {
    process.stderr.write(
      `benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
