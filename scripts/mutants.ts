/**
 * `npm run mutants`: plants each defect of mutants/catalog.ts, one at a time, in a scratch copy of the repository,
 * builds the bundle there, runs the test files mapped to the plant and prints a table: plant, tests run, killed or
 * survived, time. Not part of `npm test` (minutes per plant).
 *
 *   npm run mutants                       every plant
 *   npm run mutants -- --only NAME[,NAME]  some plants
 *   npm run mutants -- --list             the catalog and whether each anchor is found exactly once, nothing run
 *   npm run mutants -- --baseline         first run every mapped test file unplanted (must pass, else the table lies)
 *   npm run mutants -- --stryker          only the general mutation tool: Stryker on each pure module in turn
 *   npm run mutants -- --stryker NAME[,NAME]  Stryker on these modules (mutants/stryker/NAME.json)
 *
 * The scratch copy is a plain copy of the tree (no .git, dist or node_modules; node_modules is a symbolic link to
 * this one), so the working tree is never changed. Exit status: 0 when every plant was killed or is marked
 * `dependsOn`; 1 when a plant survived, its anchor was not found exactly once, or the baseline failed.
 *
 * `--stryker` runs no plant: for each mutants/stryker/NAME.json (one module, the unit tests that exercise it, its own
 * JSON report .tmp/mutation/NAME.json) it merges that file over stryker.config.json into .tmp/mutation/NAME.config.json
 * and runs `stryker run` on it, one module after the other (concurrency 1: one ava run per mutant). A module's
 * `equivalentMutants` lists the survivors shown equivalent (docs/testing.md says why, one by one); they are reported
 * apart. Exit status 1 when Stryker failed or a mutant survived that is not on that list.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { PLANTS, type Plant } from '../mutants/catalog';

const ROOT = resolve(__dirname, '..');
/** Never copied: history, build output, dependencies (linked), terraform's and cdktf's caches. */
const SKIPPED = new Set(['.git', 'dist', 'node_modules', 'cdktf.out', '.terraform', '.tmp', '.stryker-tmp', 'reports']);
/** One plant's test run may not take longer (a hung test counts as killed, reported as a timeout). */
const PLANT_TIMEOUT_MS = 20 * 60_000;
/** One Stryker configuration per pure module (see runStryker). */
const STRYKER_DIR = join(ROOT, 'mutants', 'stryker');

interface Options {
  readonly only: ReadonlySet<string> | null;
  readonly list: boolean;
  readonly baseline: boolean;
  /** null: no Stryker run; empty: every module of mutants/stryker; else these modules. */
  readonly stryker: ReadonlySet<string> | null;
}

const USAGE =
  'usage: npm run mutants -- [--list] [--only NAME[,NAME]] [--baseline] | --stryker [MODULE[,MODULE]]\n' +
  '  --list      the catalog and whether each anchor is found exactly once; nothing is run\n' +
  '  --only      run only these plants (names from --list)\n' +
  '  --baseline  first run every mapped test file unplanted (they must pass)\n' +
  '  --stryker   instead of the plants, run Stryker on each pure module in turn (mutants/stryker/MODULE.json),\n' +
  `              or on the modules named (${strykerModules().join(', ')})`;

/** A command-line mistake: printed without a stack trace. */
class UsageError extends Error {}

function parseOptions(argv: readonly string[]): Options {
  let only: Set<string> | null = null;
  let list = false;
  let baseline = false;
  let stryker: Set<string> | null = null;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--help' || argument === '-h') throw new UsageError(USAGE);
    if (argument === '--list') list = true;
    else if (argument === '--baseline') baseline = true;
    else if (argument === '--stryker') {
      stryker ??= new Set();
      const names = argv[index + 1];
      if (names !== undefined && !names.startsWith('--')) {
        index++;
        for (const name of names.split(',')) stryker.add(name.trim());
      }
    } else if (argument === '--only') {
      const names = argv[++index];
      if (!names) throw new UsageError('--only needs a plant name (see --list)');
      only ??= new Set();
      for (const name of names.split(',')) only.add(name.trim());
    } else throw new UsageError(`unknown option ${argument}\n${USAGE}`);
  }
  if (stryker) {
    const unknown = [...stryker].filter((name) => !strykerModules().includes(name));
    if (unknown.length > 0) throw new UsageError(`no such Stryker module: ${unknown.join(', ')}\n${USAGE}`);
  }
  if (only) {
    const unknown = [...only].filter((name) => !PLANTS.some((plant) => plant.name === name));
    if (unknown.length > 0) throw new Error(`no such plant: ${unknown.join(', ')} (see --list)`);
  }
  return { only, list, baseline, stryker };
}

/** The modules with a Stryker configuration: mutants/stryker/NAME.json. */
function strykerModules(): string[] {
  return readdirSync(STRYKER_DIR)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

/**
 * Stryker on each module in turn: mutants/stryker/NAME.json merged over stryker.config.json (one level deep, so a
 * module's commandRunner or jsonReporter replaces the base's). True when every run passed Stryker's thresholds and
 * no mutant survived.
 */
function runStryker(names: readonly string[]): boolean {
  const base = JSON.parse(readFileSync(join(ROOT, 'stryker.config.json'), 'utf8')) as Record<string, unknown>;
  const outDir = join(ROOT, '.tmp', 'mutation');
  mkdirSync(outDir, { recursive: true });
  let ok = true;
  const summary: string[] = [];
  for (const name of names) {
    const own = JSON.parse(readFileSync(join(STRYKER_DIR, `${name}.json`), 'utf8')) as Record<string, unknown>;
    const { equivalentMutants = [], ...strykerOptions } = own as { equivalentMutants?: EquivalentMutant[] };
    const merged: Record<string, unknown> = { ...base, ...strykerOptions };
    delete merged.$schema;
    // Keys starting with `_` are notes for people (`_comment`, `_equivalentMutants`); Stryker warns on unknown keys.
    for (const key of Object.keys(merged)) if (key.startsWith('_')) delete merged[key];
    const configFile = join(outDir, `${name}.config.json`);
    writeFileSync(configFile, `${JSON.stringify(merged, null, 2)}\n`);
    const started = Date.now();
    console.log(`\nstryker ${name}: ${(own.mutate as string[]).join(', ')}`);
    const result = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js'), 'run', configFile],
      {
        cwd: ROOT,
        stdio: 'inherit',
      },
    );
    const seconds = (Date.now() - started) / 1000;
    const counts = mutantCounts(join(ROOT, (own.jsonReporter as { fileName: string }).fileName), equivalentMutants);
    summary.push(`${name}: ${counts?.text ?? 'no report'} (${seconds.toFixed(0)} s)`);
    for (const survivor of counts?.unexplained ?? []) summary.push(`  survived: ${survivor}`);
    for (const stale of counts?.staleEquivalents ?? []) {
      summary.push(`  listed as equivalent but not a survivor of this run (killed, or the code changed): ${stale}`);
    }
    if (result.status !== 0 || counts === null || counts.unexplained.length > 0) ok = false;
  }
  console.log(`\n${summary.join('\n')}`);
  return ok;
}

/**
 * A surviving mutant shown to change no behaviour. Named by what survives edits elsewhere in the file: the mutator,
 * its replacement, the source line as written and the column in it (one line can hold several such mutants).
 */
interface EquivalentMutant {
  readonly mutator: string;
  readonly replacement: string;
  readonly line: string;
  readonly column: number;
}

interface ReportedMutant {
  readonly status: string;
  readonly mutatorName: string;
  readonly replacement?: string;
  readonly location: { readonly start: { readonly line: number; readonly column: number } };
}

const describeMutant = (mutant: EquivalentMutant) =>
  `${mutant.mutator} → ${mutant.replacement} at column ${mutant.column} of \`${mutant.line.trim()}\``;

/**
 * "N mutants, K killed, T timed out, S survived (E known equivalent), …" from Stryker's JSON report, the survivors
 * not known to be equivalent, and the equivalent entries no survivor matched; null when there is no report.
 */
function mutantCounts(
  reportFile: string,
  equivalents: readonly EquivalentMutant[],
): { text: string; unexplained: string[]; staleEquivalents: string[] } | null {
  let report: { files: Record<string, { source: string; mutants: ReportedMutant[] }> };
  try {
    report = JSON.parse(readFileSync(reportFile, 'utf8'));
  } catch {
    return null;
  }
  const mutants = Object.values(report.files).flatMap((file) => {
    const lines = file.source.split('\n');
    return file.mutants.map((mutant) => ({
      status: mutant.status,
      named: {
        mutator: mutant.mutatorName,
        replacement: mutant.replacement ?? '',
        line: lines[mutant.location.start.line - 1] ?? '',
        column: mutant.location.start.column,
      },
    }));
  });
  const key = (mutant: EquivalentMutant) =>
    JSON.stringify([mutant.mutator, mutant.replacement, mutant.line, mutant.column]);
  const knownEquivalent = new Set(equivalents.map(key));
  const count = (status: string) => mutants.filter((mutant) => mutant.status === status).length;
  const killed = count('Killed');
  const timedOut = count('Timeout');
  const survivors = mutants.filter((mutant) => mutant.status === 'Survived' || mutant.status === 'NoCoverage');
  const unexplained = survivors.filter((mutant) => !knownEquivalent.has(key(mutant.named)));
  const matched = new Set(survivors.map((mutant) => key(mutant.named)));
  const staleEquivalents = equivalents.filter((mutant) => !matched.has(key(mutant))).map(describeMutant);
  const errors = count('CompileError') + count('RuntimeError');
  const detected = killed + timedOut;
  const valid = detected + survivors.length;
  const score = valid === 0 ? 100 : (100 * detected) / valid;
  const text =
    `${mutants.length} mutants, ${killed} killed, ${timedOut} timed out, ${survivors.length} survived ` +
    `(${survivors.length - unexplained.length} known equivalent), ${errors} errors, score ${score.toFixed(1)} %`;
  return { text, unexplained: unexplained.map((mutant) => describeMutant(mutant.named)), staleEquivalents };
}

/** How often the plant's search string occurs in its file of the working tree. */
function anchorCount(plant: Plant, root: string): number {
  let text: string;
  try {
    text = readFileSync(join(root, plant.file), 'utf8');
  } catch {
    return 0;
  }
  return text.split(plant.search).length - 1;
}

/** A copy of the working tree to plant in, with node_modules linked. */
function makeScratch(): string {
  const scratch = mkdtempSync(join(process.env.TEST_TMPDIR ?? tmpdir(), 'mutants-'));
  cpSync(ROOT, scratch, {
    recursive: true,
    filter: (source) => {
      const path = relative(ROOT, source);
      return !path.split('/').some((segment) => SKIPPED.has(segment));
    },
  });
  symlinkSync(join(ROOT, 'node_modules'), join(scratch, 'node_modules'), 'dir');
  return scratch;
}

function run(command: string, args: readonly string[], cwd: string, timeoutMs: number) {
  const started = Date.now();
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  return {
    status: result.status,
    timedOut: result.error !== undefined && (result.error as NodeJS.ErrnoException).code === 'ETIMEDOUT',
    output: `${result.stdout ?? ''}${result.stderr ?? ''}`,
    ms: Date.now() - started,
  };
}

function build(scratch: string): { ok: boolean; output: string } {
  const result = run(process.execPath, ['scripts/build-lambda.mjs'], scratch, 5 * 60_000);
  return { ok: result.status === 0, output: result.output };
}

function runTests(scratch: string, tests: readonly string[], match: readonly string[] = []) {
  const avaCli = join(ROOT, 'node_modules', 'ava', 'entrypoints', 'cli.mjs');
  const args = [avaCli, ...tests, ...match.flatMap((pattern) => ['--match', pattern])];
  return run(process.execPath, args, scratch, PLANT_TIMEOUT_MS);
}

/** The last lines of ava's summary that name failed tests, for the log. */
function failedTitles(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => /✘/.test(line))
    .map((line) => line.trim())
    .slice(0, 5);
}

type Outcome =
  | 'killed'
  | 'survived'
  | 'timeout (killed)'
  | 'anchor not found once'
  | 'build failed'
  | 'no test failed (tests did not run)';

/**
 * A plant is killed only when a test failed on it. ava also exits non-zero when no test matched (a `match` pattern
 * that outlived a renamed test) or a file crashed before its tests: that proves nothing about the plant.
 */
function testOutcome(result: { status: number | null; timedOut: boolean; output: string }): Outcome {
  if (result.timedOut) return 'timeout (killed)';
  if (result.status === 0) return 'survived';
  return /✘ \[fail\]:/.test(result.output) ? 'killed' : 'no test failed (tests did not run)';
}

interface Row {
  readonly plant: Plant;
  readonly outcome: Outcome;
  readonly seconds: number;
  readonly detail: string;
}

function formatTable(rows: readonly Row[]): string {
  const lines = [
    '| plant | tests run | result | time | depends on |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((row) => {
      const tests = row.plant.tests.map((file) => file.replace(/^test\//, '')).join(', ');
      return `| ${row.plant.name} | ${tests} | ${row.outcome} | ${row.seconds.toFixed(0)} s | ${row.plant.dependsOn ?? ''} |`;
    }),
  ];
  return lines.join('\n');
}

function listCatalog(plants: readonly Plant[]): void {
  for (const plant of plants) {
    const count = anchorCount(plant, ROOT);
    const state = count === 1 ? 'anchor ok' : `ANCHOR FOUND ${count} TIMES`;
    console.log(`${plant.name}\n  ${plant.defect}\n  ${plant.file}: ${state}`);
    console.log(`  tests: ${plant.tests.join(', ')}${plant.dependsOn ? `\n  depends on: ${plant.dependsOn}` : ''}`);
  }
}

function main(): number {
  const options = parseOptions(process.argv.slice(2));
  const plants = PLANTS.filter((plant) => options.only === null || options.only.has(plant.name));
  if (options.list) {
    listCatalog(plants);
    return plants.every((plant) => anchorCount(plant, ROOT) === 1) ? 0 : 1;
  }
  if (options.stryker) {
    const names = options.stryker.size === 0 ? strykerModules() : [...options.stryker];
    return runStryker(names) ? 0 : 1;
  }
  const scratch = makeScratch();
  console.log(`scratch copy: ${scratch}`);
  let failed = false;
  try {
    if (options.baseline) {
      const files = [...new Set(plants.flatMap((plant) => plant.tests))];
      const built = build(scratch);
      const result = built.ok ? runTests(scratch, files) : null;
      if (result?.status !== 0) {
        console.log(`baseline FAILED (no plant): ${result ? failedTitles(result.output).join('; ') : built.output}`);
        return 1;
      }
      console.log(`baseline: ${files.length} test files pass unplanted (${(result.ms / 1000).toFixed(0)} s)`);
    }
    const rows: Row[] = [];
    for (const plant of plants) {
      const started = Date.now();
      const path = join(scratch, plant.file);
      const count = anchorCount(plant, scratch);
      if (count !== 1) {
        rows.push({ plant, outcome: 'anchor not found once', seconds: 0, detail: `found ${count} times` });
        console.log(`${plant.name}: the search string occurs ${count} times in ${plant.file}; re-anchor the plant`);
        continue;
      }
      const original = readFileSync(path, 'utf8');
      writeFileSync(
        path,
        original.replace(plant.search, () => plant.replace),
      );
      try {
        const built = build(scratch);
        if (!built.ok) {
          rows.push({ plant, outcome: 'build failed', seconds: (Date.now() - started) / 1000, detail: built.output });
          console.log(`${plant.name}: build failed\n${built.output.slice(0, 2000)}`);
          continue;
        }
        const result = runTests(scratch, plant.tests, plant.match);
        const outcome = testOutcome(result);
        const detail = outcome === 'survived' ? '' : failedTitles(result.output).join('; ');
        rows.push({ plant, outcome, seconds: (Date.now() - started) / 1000, detail });
        console.log(`${plant.name}: ${outcome} (${((Date.now() - started) / 1000).toFixed(0)} s) ${detail}`);
      } finally {
        writeFileSync(path, original);
      }
    }
    console.log(`\n${new Date().toISOString().slice(0, 10)}\n${formatTable(rows)}`);
    const killed = rows.filter((row) => row.outcome === 'killed' || row.outcome === 'timeout (killed)').length;
    console.log(`\n${killed} of ${rows.length} plants killed`);
    for (const row of rows) {
      if (row.outcome === 'killed' || row.outcome === 'timeout (killed)') continue;
      if (row.plant.dependsOn) console.log(`expected until merged (${row.plant.dependsOn}): ${row.plant.name}`);
      else failed = true;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return failed ? 1 : 0;
}

try {
  process.exitCode = main();
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  // --help is no mistake: its usage goes to standard output with status 0.
  const asked = error.message === USAGE;
  (asked ? process.stdout : process.stderr).write(`${error.message}\n`);
  process.exitCode = asked ? 0 : 2;
}
