/**
 * `npm run fuzz`: the long fuzz run (build first: it loads dist/lambda/index.js). `--help` lists the flags.
 *
 * For each property it prints cases, time, cases/s and what the cases produced; a failing property prints
 * fast-check's report (seed, path, counterexample, broken invariant; the schemas property adds a runnable
 * reproduction). The exit status is 1 when any property failed, 2 for a bad command line or a broken stage.
 */

import { DEFAULT_ENGINE, ENGINES } from '../handler/engines/registry';
import { closestName } from '../runner/suggest';
import { closeFuzzContext, createFuzzContext, PROPERTIES } from './properties';
import { KNOWN_DEFECTS } from './schema/switches';
import { FUZZ_ENGINES, type FuzzEngine, isFuzzEngine } from './stage';
import { startFuzzStage } from './starters';

// The stage captures the bundle's stdout logs: keep a handle on the real stdout for the report.
const write = process.stdout.write.bind(process.stdout);
const print = (line = '') => {
  write(`${line}\n`);
};

interface Options {
  engine: FuzzEngine;
  runs: number;
  minutes: number | null;
  seed: number;
  only: string[] | null;
  samples: boolean;
  knownDefects: string[] | 'all' | undefined;
}

/** A mistake on the command line: printed as a message with the usage hint, never as a stack trace. */
class UsageError extends Error {}

const FLAGS: readonly { flag: string; value: string | null; help: string }[] = [
  {
    flag: '--engine',
    value: 'mysql|postgresql',
    help: 'the database to fuzz: mysql (default) starts a throwaway MariaDB; postgresql a throwaway PostgreSQL with TLS (runtime settings engine=POSTGRESQL and a mixed-case schema)',
  },
  {
    flag: '--runs',
    value: 'N',
    help: 'total cases, spread over the properties by weight (default 20000; the schemas property gets about 1 per 1000)',
  },
  {
    flag: '--minutes',
    value: 'M',
    help: 'time box instead of a case count: the schemas property gets half of M minutes (all of it alone), the others share the rest by weight; --runs is then ignored',
  },
  { flag: '--seed', value: 'N', help: 'replay a run (default: random, printed at the start)' },
  {
    flag: '--only',
    value: 'name[,name]',
    help: `run only these properties: ${PROPERTIES.map((p) => p.name).join(', ')}`,
  },
  {
    flag: '--include-known-defects',
    value: '[feature,feature]',
    help: `schemas property: also generate features switched off because of a known defect (all of them, or those named): ${KNOWN_DEFECTS.map((d) => d.feature).join(', ') || '(none listed)'}`,
  },
  { flag: '--samples', value: null, help: 'print one example event and answer per outcome' },
  { flag: '--help', value: null, help: 'this text (also -h)' },
];

function usage(): string {
  const lines = ['usage: npm run fuzz -- [flags]   (or: tsx fuzz/run.ts [flags])', ''];
  for (const { flag, value, help } of FLAGS) lines.push(`  ${`${flag}${value ? ` ${value}` : ''}`.padEnd(44)} ${help}`);
  lines.push('', 'Flags take their value after a space or "=": --engine=postgresql.');
  return lines.join('\n');
}

function parseArgs(argv: readonly string[]): Options | 'help' {
  const options: Options = {
    engine: ENGINES[DEFAULT_ENGINE].name,
    runs: 20_000,
    minutes: null,
    seed: Date.now() % 2_147_483_647,
    only: null,
    samples: false,
    knownDefects: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? (arg.split(/=(.*)/s, 2) as [string, string]) : [arg, undefined];
    const value = () => {
      const next = inline ?? argv[++i];
      if (next === undefined || (inline === undefined && next.startsWith('--')))
        throw new UsageError(`${flag} needs a value`);
      return next;
    };
    const integer = (name: string, text: string, min: number) => {
      const n = Number(text);
      if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min)
        throw new UsageError(`${name} must be a whole number of at least ${min}, not "${text}"`);
      return n;
    };
    if (flag === '--engine') {
      const engine = value();
      if (!isFuzzEngine(engine)) {
        const guess = closestName(engine, FUZZ_ENGINES);
        throw new UsageError(
          `--engine must be one of ${FUZZ_ENGINES.join(', ')}, not "${engine}"${guess ? ` (did you mean ${guess}?)` : ''}`,
        );
      }
      options.engine = engine;
    } else if (flag === '--runs') options.runs = integer('--runs', value(), 1);
    else if (flag === '--minutes') {
      const text = value();
      const minutes = Number(text);
      if (!/^\d+(\.\d+)?$/.test(text) || !(minutes > 0))
        throw new UsageError(`--minutes must be a positive number, not "${text}"`);
      options.minutes = minutes;
    } else if (flag === '--seed') options.seed = integer('--seed', value(), 0);
    else if (flag === '--only') {
      options.only = value().split(',');
      for (const name of options.only) {
        if (!PROPERTIES.some((property) => property.name === name)) {
          const guess = closestName(
            name,
            PROPERTIES.map((property) => property.name),
          );
          throw new UsageError(
            `unknown property "${name}"${guess ? ` (did you mean ${guess}?)` : ''}; properties: ${PROPERTIES.map((p) => p.name).join(', ')}`,
          );
        }
      }
    } else if (flag === '--include-known-defects') {
      options.knownDefects = inline === undefined ? 'all' : inline.split(',').filter(Boolean);
    } else if (flag === '--samples') options.samples = true;
    else if (flag === '--help' || flag === '-h') return 'help';
    else {
      const guess = closestName(
        flag,
        FLAGS.map((entry) => entry.flag),
      );
      throw new UsageError(`unknown flag ${flag}${guess ? ` (did you mean ${guess}?)` : ''}; --help lists the flags`);
    }
  }
  return options;
}

/** Milliseconds of a --minutes time box for one property: half for the (slow) schemas property, the rest by weight. */
function timeShare(
  minutes: number,
  property: (typeof PROPERTIES)[number],
  selected: readonly (typeof PROPERTIES)[number][],
): number {
  const total = minutes * 60_000;
  const others = selected.filter((p) => p.name !== 'schemas');
  const hasSchemas = selected.some((p) => p.name === 'schemas');
  if (property.name === 'schemas') return others.length === 0 ? total : total / 2;
  const pool = hasSchemas ? total / 2 : total;
  return (pool * property.weight) / others.reduce((sum, p) => sum + p.weight, 0);
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
  const parsed = parseArgs(process.argv.slice(2));
  if (parsed === 'help') {
    print(usage());
    return 0;
  }
  const options = parsed;
  const selected = PROPERTIES.filter((property) => !options.only || options.only.includes(property.name));
  const totalWeight = selected.reduce((sum, property) => sum + property.weight, 0);
  print(
    `fuzz: ${options.runs} cases over ${selected.length} properties on ${options.engine}, seed ${options.seed}` +
      (options.minutes === null ? '' : `, at most ${options.minutes} min`),
  );
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
        const interruptAfterMs = options.minutes === null ? undefined : timeShare(options.minutes, property, selected);
        const result = await property.run(context, {
          numRuns: options.minutes === null ? numRuns : Math.max(numRuns, 1_000_000_000),
          seed,
          interruptAfterMs,
          knownDefects: options.knownDefects,
        });
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
    if (error instanceof UsageError) print(`fuzz: ${error.message}`);
    else print(`fuzz: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(2);
  },
);
