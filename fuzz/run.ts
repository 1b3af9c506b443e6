/**
 * `npm run fuzz`: the long fuzz run (build first: it loads dist/lambda/index.js).
 *
 *   tsx fuzz/run.ts [--engine mysql|postgresql] [--runs 20000] [--seed N] [--only name[,name]] [--samples]
 *
 * --engine picks the database the properties run against (fuzz/stage.ts): mysql (the default) a throwaway MariaDB,
 * postgresql a throwaway PostgreSQL with TLS (the connector's runtime settings engine=POSTGRESQL and a schema).
 * --runs is the total number of cases, spread over the properties by their weight; --seed makes a run replayable
 * (the default is random and printed); --samples prints one example event and answer per outcome. For each property it prints cases, time, cases/s and what the cases
 * produced; a failing property prints fast-check's report (seed, path, counterexample, broken invariant). The exit
 * status is 1 when any property failed.
 */
import { closeFuzzContext, createFuzzContext, PROPERTIES } from './properties';
import { FUZZ_ENGINES, type FuzzEngine, isFuzzEngine, startFuzzStage } from './stage';

// The stage captures the bundle's stdout logs: keep a handle on the real stdout for the report.
const write = process.stdout.write.bind(process.stdout);
const print = (line = '') => {
  write(`${line}\n`);
};

interface Options {
  engine: FuzzEngine;
  runs: number;
  seed: number;
  only: string[] | null;
  samples: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = {
    engine: 'mysql',
    runs: 20_000,
    seed: Date.now() % 2_147_483_647,
    only: null,
    samples: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = () => inline ?? argv[++i] ?? '';
    if (flag === '--engine') {
      const engine = value();
      if (!isFuzzEngine(engine)) throw new Error(`--engine must be one of ${FUZZ_ENGINES.join(', ')}`);
      options.engine = engine;
    } else if (flag === '--runs') options.runs = Number(value());
    else if (flag === '--seed') options.seed = Number(value());
    else if (flag === '--only') options.only = value().split(',');
    else if (flag === '--samples') options.samples = true;
    else if (flag === '--help' || flag === '-h') {
      print(
        'usage: tsx fuzz/run.ts [--engine mysql|postgresql] [--runs N] [--seed N] ' +
          '[--only random-events,mutated-events,filters,tokens,writes,shown-values] [--samples]\n' +
          '  --engine   the database to fuzz against (default mysql: a throwaway MariaDB; postgresql: a throwaway\n' +
          '             PostgreSQL, connector settings engine=POSTGRESQL and a schema)',
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}`);
  }
  if (!Number.isSafeInteger(options.runs) || options.runs < 1) throw new Error('--runs must be a positive integer');
  if (!Number.isSafeInteger(options.seed)) throw new Error('--seed must be an integer');
  for (const name of options.only ?? []) {
    if (!PROPERTIES.some((property) => property.name === name)) throw new Error(`unknown property ${name}`);
  }
  return options;
}

function truncate(text: string, max = 12_000): string {
  return text.length > max ? `${text.slice(0, max)}\n… (${text.length - max} more characters)` : text;
}

/** fast-check's report, and the broken invariant it wraps (fast-check 4 attaches it as the cause). */
function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const why = cause instanceof Error ? `${cause.name}: ${cause.message}` : cause === undefined ? '' : String(cause);
  return why && !error.message.includes(why) ? `${error.message}\n\nBroken invariant: ${why}` : error.message;
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const selected = PROPERTIES.filter((property) => !options.only || options.only.includes(property.name));
  const totalWeight = selected.reduce((sum, property) => sum + property.weight, 0);
  print(`fuzz: ${options.runs} cases over ${selected.length} properties on ${options.engine}, seed ${options.seed}`);
  const started = performance.now();
  const stage = await startFuzzStage(options.engine);
  const context = await createFuzzContext(stage);
  print(`stage ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const failures: string[] = [];
  try {
    for (const property of selected) {
      const numRuns = Math.max(1, Math.round((options.runs * property.weight) / totalWeight));
      // Each property's seed depends on its position in PROPERTIES only, so that --only replays the same cases.
      const seed = (options.seed + PROPERTIES.indexOf(property) * 7919) % 2_147_483_647;
      print(`\n[${property.name}] ${property.title}\n  ${numRuns} runs, seed ${seed}`);
      const begin = performance.now();
      try {
        const result = await property.run(context, { numRuns, seed });
        const seconds = result.ms / 1000;
        print(
          `  PASS ${result.cases} cases in ${seconds.toFixed(1)} s (${(result.cases / seconds).toFixed(0)} cases/s)`,
        );
        print(`  ${result.summary}`);
        for (const [shape, { count, example }] of result.notable) {
          print(`  ! ${count}× ${shape.slice(0, 400)}`);
          if (options.samples) print(`    example: ${example}`);
        }
        if (options.samples) {
          for (const [outcome, sample] of result.samples) print(`  - ${outcome}:\n    ${sample}`);
        }
      } catch (error) {
        const seconds = (performance.now() - begin) / 1000;
        failures.push(property.name);
        print(`  FAIL after ${seconds.toFixed(1)} s`);
        print(truncate(describeFailure(error)));
        print(context.diagnostics());
      }
    }
  } finally {
    await closeFuzzContext(context);
    await stage.teardown();
  }
  const total = (performance.now() - started) / 1000;
  print(
    failures.length === 0
      ? `\nall ${selected.length} properties passed in ${total.toFixed(0)} s`
      : `\n${failures.length} propert${failures.length === 1 ? 'y' : 'ies'} failed: ${failures.join(', ')} ` +
          `(replay with --engine ${options.engine} --seed ${options.seed}); ${total.toFixed(0)} s`,
  );
  return failures.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    print(`fuzz: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(2);
  },
);
