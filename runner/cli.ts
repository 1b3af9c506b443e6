/**
 * The local AppFlow runner: `npm start -- [flags]` (see --help). Parses the command line, opens the target, plays
 * the flow, and reports: violations and the one-line error on stderr, the summary on stdout (stderr when the rows
 * go to stdout). Exit status: 0 ok, 1 failed, 2 bad command line, 3 contract violations.
 */
import { ENGINES, engineNamed } from '../handler/engines/registry';
import { EXIT } from './constants';
import { ContractReport } from './contract';
import { withDemoDefaults } from './demo/flow';
import { renderDescription } from './describe';
import { OperationFailedError, RunnerError, UsageError } from './errors';
import type { ConnectionProfile } from './events';
import { createFlowRecord } from './exchange';
import { type CommandLine, parseCommandLine } from './flags';
import { runFlow } from './flow';
import { plural } from './format';
import { helpText } from './help';
import { Metrics } from './metrics';
import { openRowOutput, type RowOutput } from './output';
import { saveProfile } from './profiles';
import { createProgress } from './progress';
import { probeProtocol } from './protocolProbe';
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

/**
 * When the login failed, asks the server which protocol it speaks: `--engine mysql` at a PostgreSQL port (or the
 * reverse) otherwise shows as a time-out or a TLS error.
 */
async function wrongEngine(failure: unknown, profile: ConnectionProfile | undefined): Promise<RunnerError | null> {
  if (!(failure instanceof OperationFailedError) || profile === undefined) return null;
  if (failure.operation !== 'ValidateCredentials') return null;
  const { engine, host, port } = profile.runtimeSettings;
  if (!host || !port || !engine) return null;
  const spoken = await probeProtocol(host, Number(port));
  if (spoken === null || spoken === engine) return null;
  const given = engineNamed(engine);
  const flag = ENGINES[spoken].name;
  return new OperationFailedError(
    'ValidateCredentials',
    `the server at ${host}:${port} speaks the ${ENGINES[spoken].protocolLabel} protocol, not ${given === undefined ? engine : ENGINES[given].protocolLabel}'s: run with --engine ${flag} (or DB_ENGINE=${flag}); the connector said: ${failure.message.replace(/^ValidateCredentials failed: /, '')}`,
  );
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
  if (commandLine.save !== null) {
    for (const note of commandLine.notes) process.stderr.write(`note: ${note}\n`);
    const { path, name, values } = commandLine.save;
    saveProfile(path, name, values);
    const password = values.password !== undefined ? ' with the password (the file is readable by you only)' : '';
    process.stdout.write(
      `saved profile ${name} to ${path}${password}\nuse it with: npm start -- --profile ${name}${values.password === undefined ? ' (the password from DB_PASSWORD)' : ''}\n`,
    );
    return EXIT.ok;
  }
  const { options } = commandLine;
  const stdout = claimStdout(options.debug);
  const progress = createProgress({ quiet: options.quiet, stream: process.stderr });
  for (const note of options.notes) progress.note(note);
  const flow = options.target.kind === 'demo' ? withDemoDefaults(options.flow) : options.flow;
  const metrics = new Metrics();
  const report = new ContractReport();
  const record = createFlowRecord();
  let output: RowOutput | null = null;
  let target: OpenTarget | null = null;
  let failure: unknown = null;
  let outputRows = 0;
  let outputNote: string | null = null;

  process.once('SIGINT', () => {
    progress.finish();
    const note = output?.interrupted() ?? null;
    process.stderr.write(`interrupted${note ? ` — ${note.replace(/^interrupted: /, '')}` : ''}\n`);
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
      targetKind: options.target.kind,
    });
  } catch (error) {
    failure = (await wrongEngine(error, target?.profile)) ?? error;
  } finally {
    progress.finish();
    try {
      outputRows = output?.rows ?? 0;
      outputNote = (await output?.finish(failure === null)) ?? null;
    } catch (error) {
      failure ??= error;
    }
    await target?.close();
  }

  if (failure === null && metrics.rowsFailed > 0) {
    failure = new RunnerError(
      `${plural(metrics.rowsFailed, 'record')} failed to write: ${record.writeFailures[0] ?? ''}`,
    );
  }
  const exitCode = exitCodeOf(failure, report.total, metrics.rowsFailed);
  process.stderr.write(renderViolations(report));
  if (record.described !== null) await stdout.write(renderDescription(record.described));
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
      outputNote: outputNote ?? undefined,
      outcome,
    });
    if (options.output?.path === '-') process.stderr.write(summary);
    else await stdout.write(summary);
  }
  if (failure !== null) process.stderr.write(errorLine(failure, options.debug));
  else if (report.total > 0) process.stderr.write(`error: ${report.total} contract violations (listed above)\n`);
  if (outputNote !== null && options.quiet) process.stderr.write(`note: ${outputNote}\n`);
  return exitCode;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(errorLine(error, process.argv.includes('--debug')));
    process.exit(EXIT.failed);
  },
);
