/**
 * Where the rows go: a file (`--out rows.jsonl`, `--out rows.csv`) or stdout (`--out -`). The file is opened before
 * the flow starts, so a bad path fails at once; the writer is made once the fields are known (after DescribeEntity).
 */
import type { TextOutput } from '../stdout';
import { csvWriter } from './csv';
import { jsonLinesWriter } from './jsonl';
import { openFileSink, stdoutSink, type TextSink } from './textSink';
import type { OutputFormat, RowWriter } from './types';

export type { OutputFormat, RowWriter } from './types';

export interface OutputSpec {
  /** File path, or `-` for stdout. */
  readonly path: string;
  readonly format: OutputFormat;
}

/** An opened destination, waiting for the column list. */
export interface RowOutput {
  readonly spec: OutputSpec;
  writer(columns: readonly string[]): RowWriter;
  /** Rows written so far. */
  readonly rows: number;
  /** Closes the destination when no writer was ever made (the flow stopped early). */
  close(): Promise<void>;
}

/** `.csv` means CSV; anything else (and stdout) means JSON Lines. */
export function formatForPath(path: string): OutputFormat {
  return /\.csv$/i.test(path) ? 'csv' : 'jsonl';
}

export async function openRowOutput(spec: OutputSpec, stdout: TextOutput): Promise<RowOutput> {
  const sink: TextSink = spec.path === '-' ? stdoutSink(stdout) : await openFileSink(spec.path);
  let made: RowWriter | undefined;
  return {
    spec,
    writer(columns) {
      made ??= spec.format === 'csv' ? csvWriter(sink, columns) : jsonLinesWriter(sink);
      return made;
    },
    get rows() {
      return made?.rows ?? 0;
    },
    async close() {
      if (made) await made.close();
      else await sink.close();
    },
  };
}
