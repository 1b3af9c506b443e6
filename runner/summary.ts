/**
 * The report at the end of a run: contract violations (each with operation, property, expectation and what
 * arrived), then a table per operation — calls, median and max latency, largest response against Lambda's 6 MB
 * limit — and the rows read, written and saved.
 */
import { LAMBDA_PAYLOAD_LIMIT_BYTES } from './constants';
import type { ContractReport } from './contract';
import type { FlowRecord } from './exchange';
import { bytes, count, megabytesPerSecond, milliseconds, plural } from './format';
import { type Metrics, median } from './metrics';
import type { OutputSpec } from './output';

export function renderViolations(report: ContractReport): string {
  if (report.total === 0) return '';
  const lines = [`Contract violations (${report.total}):`];
  for (const violation of report.violations) {
    lines.push(
      `  ✗ ${violation.operation} ${violation.property}: expected ${violation.expected}, got ${violation.got}`,
    );
  }
  for (const [kind, omitted] of report.omitted()) lines.push(`  … and ${count(omitted)} more of: ${kind}`);
  return `${lines.join('\n')}\n`;
}

function table(rows: string[][], rightAligned: ReadonlySet<number>): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) =>
    `  ${row.map((cell, column) => (rightAligned.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('   ')}`.trimEnd(),
  );
}

export interface SummaryInput {
  readonly target: string;
  readonly metrics: Metrics;
  readonly report: ContractReport;
  readonly record: FlowRecord;
  readonly output: OutputSpec | null;
  readonly outputRows: number;
  /** What happened to the output file when the run did not finish (kept as a .partial file, or left unchanged). */
  readonly outputNote?: string | undefined;
  /** The one-line outcome: `ok` or the failure. */
  readonly outcome: string;
}

export function renderSummary(input: SummaryInput): string {
  const { metrics, record } = input;
  const rows: string[][] = [['operation', 'calls', 'median ms', 'max ms', 'largest response', 'of 6 MB']];
  for (const [operation, stats] of metrics.stats()) {
    rows.push([
      operation,
      count(stats.calls),
      milliseconds(median(stats.latenciesMs)),
      milliseconds(Math.max(...stats.latenciesMs)),
      bytes(stats.largestResponseBytes),
      `${((stats.largestResponseBytes / LAMBDA_PAYLOAD_LIMIT_BYTES) * 100).toFixed(2)}%`,
    ]);
  }
  const lines = ['', `Summary — ${input.target}`, '', ...table(rows, new Set([1, 2, 3, 4, 5])), ''];
  const facts: [string, string][] = [];
  if (record.source !== null) {
    facts.push([
      'rows read',
      `${count(metrics.rowsRead)} from ${record.source} in ${plural(metrics.pagesRead, 'page')} ` +
        `(${bytes(metrics.bytesRead)}, ${megabytesPerSecond(metrics.bytesRead, metrics.readingSeconds())})`,
    ]);
  } else if (record.entities !== null) {
    const listed = `${count(record.entities.length)} listed`;
    if (record.requested === null) facts.push(['entities', `${listed} (no --entity given, nothing read)`]);
    else if (record.described !== null)
      facts.push(['entities', `${listed}; ${record.requested} described (--describe), nothing read`]);
    else if (!record.entities.includes(record.requested)) {
      facts.push(['entities', `${listed}; --entity ${record.requested} is not among them, nothing read`]);
    } else facts.push(['entities', `${listed}; ${record.requested} not read (the flow stopped before QueryData)`]);
  }
  if (record.filterExpression) facts.push(['filter', record.filterExpression]);
  if (record.destination) {
    const write = metrics.stats().find(([operation]) => operation === 'WriteData')?.[1];
    facts.push([
      'rows written',
      `${count(metrics.rowsWritten)} into ${record.destination.table} with ${record.destination.operation} in ` +
        `${plural(metrics.writeBatches, 'batch', 'batches')}, ${count(metrics.rowsFailed)} failed` +
        (write ? ` (largest request ${bytes(write.largestRequestBytes)})` : ''),
    ]);
    for (const failure of record.writeFailures) facts.push(['', `failed ${failure}`]);
  }
  if (input.output) {
    const format = input.output.format === 'csv' ? 'CSV' : 'JSON Lines';
    facts.push([
      'output',
      `${input.output.path === '-' ? 'stdout' : input.output.path} (${format}, ${plural(input.outputRows, 'row')})` +
        (input.outputNote ? ` — ${input.outputNote}` : ''),
    ]);
  } else if (record.source !== null) {
    facts.push(['output', 'rows not kept (add --out FILE.jsonl, FILE.csv or -)']);
  }
  facts.push([
    'contract',
    input.report.total === 0
      ? 'every response honoured the protocol'
      : `${plural(input.report.total, 'violation')} (listed above)`,
  ]);
  facts.push(['result', input.outcome]);
  const width = Math.max(...facts.map(([label]) => label.length));
  for (const [label, text] of facts) lines.push(`  ${label.padEnd(width)}   ${text}`);
  return `${lines.join('\n')}\n`;
}
