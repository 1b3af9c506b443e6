/**
 * The local AppFlow runner: `npm start -- [flags]` (see --help). Parses the command line, opens the target, plays
 * the flow, and reports: violations and the one-line error on stderr, the summary on stdout (stderr when the rows
 * go to stdout). Exit status: 0 ok, 1 failed, 2 bad command line, 3 contract violations.
 */
import { EXIT } from './constants';
import { ContractReport } from './contract';
import { withDemoDefaults } from './demo/flow';
import { OperationFailedError, RunnerError, UsageError } from './errors';
import { createFlowRecord } from './exchange';
import { type CommandLine, parseCommandLine } from './flags';
import { runFlow } from './flow';
import { helpText } from './help';
import { Metrics } from './metrics';
import { openRowOutput, type RowOutput } from './output';
import { createProgress } from './progress';
import { claimStdout } from './stdout';
import { renderSummary, renderViolations } from './summary';
import { type OpenTarget, openTarget } from './target';

function errorLine(error: unknown, debug: boolean): string {
  if (debug && error instanceof Error && error.stack) return `error: ${error.stack}\n`;
  const message = error instanceof Error ? error.message : String(error);
  return `error: ${message.split('\n')[0]}${error instanceof RunnerError || debug ? '' : ' (run with --debug for details)'}\n`;
}

function exitCodeOf(failure: unknown, violations: number, rowsFailed: number): number {
  if (failure instanceof UsageError) return EXIT.usage;
  if (violations > 0) return EXIT.contract;
  if (failure instanceof RunnerError) return failure.exitCode;
  if (failure !== null) return EXIT.failed;
  return rowsFailed > 0 ? EXIT.failed : EXIT.ok;
}

export async function main(argv: readonly string[]): Promise<number> {
  let commandLine: CommandLine;
  try {
    commandLine = parseCommandLine(argv, process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${error.message}\nRun with --help to see every flag, each with an example.\n`);
    return EXIT.usage;
  }
  if (commandLine.help) {
    process.stdout.write(helpText());
    return EXIT.ok;
  }
  const { options } = commandLine;
  const stdout = claimStdout(options.debug);
  const progress = createProgress({ quiet: options.quiet, stream: process.stderr });
  const flow = options.target.kind === 'demo' ? withDemoDefaults(options.flow) : options.flow;
  const metrics = new Metrics();
  const report = new ContractReport();
  const record = createFlowRecord();
  let output: RowOutput | null = null;
  let target: OpenTarget | null = null;
  let failure: unknown = null;
  let outputRows = 0;

  process.once('SIGINT', () => {
    progress.finish();
    process.stderr.write('interrupted\n');
    // The exit handlers of local/mariadb.ts and local/postgresql.ts remove a demo server and its files.
    process.exit(130);
  });

  try {
    // The output file first: a bad path should fail before a database is started.
    output = options.output ? await openRowOutput(options.output, stdout) : null;
    target = await openTarget(options.target, progress, options.debug);
    progress.step(`target: ${target.description}`);
    await runFlow(flow, {
      transport: target.transport,
      profile: target.profile,
      output,
      progress,
      metrics,
      report,
      record,
    });
  } catch (error) {
    failure = error;
  } finally {
    progress.finish();
    try {
      outputRows = output?.rows ?? 0;
      await output?.close();
    } catch (error) {
      failure ??= error;
    }
    await target?.close();
  }

  if (failure === null && metrics.rowsFailed > 0) {
    failure = new RunnerError(`${metrics.rowsFailed} records failed to write: ${record.writeFailures[0] ?? ''}`);
  }
  const exitCode = exitCodeOf(failure, report.total, metrics.rowsFailed);
  process.stderr.write(renderViolations(report));
  if (!options.quiet && metrics.stats().length > 0) {
    const outcome =
      failure === null && report.total === 0
        ? 'ok'
        : `failed${failure instanceof OperationFailedError ? ` at ${failure.operation}` : ''} (exit status ${exitCode})`;
    const summary = renderSummary({
      target: target?.description ?? '',
      metrics,
      report,
      record,
      output: options.output,
      outputRows,
      outcome,
    });
    if (options.output?.path === '-') process.stderr.write(summary);
    else await stdout.write(summary);
  }
  if (failure !== null) process.stderr.write(errorLine(failure, options.debug));
  else if (report.total > 0) process.stderr.write(`error: ${report.total} contract violations (listed above)\n`);
  return exitCode;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(errorLine(error, process.argv.includes('--debug')));
    process.exit(EXIT.failed);
  },
);
