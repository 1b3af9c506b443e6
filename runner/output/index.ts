/**
 * Where the rows go: a file (`--out rows.jsonl`, `--out rows.csv`) or stdout (`--out -`). The file is opened (as
 * `<file>.partial`) before the flow starts, so a bad path fails at once, and takes its name only when the run
 * finishes; the writer is made once the fields are known (after DescribeEntity).
 */
import type { TextOutput } from '../stdout';
import { csvWriter } from './csv';
import { jsonLinesWriter } from './jsonl';
import { type FileSink, openFileSink, stdoutSink, type TextSink } from './textSink';
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
  /**
   * Closes the destination. A file takes its place when the run `succeeded`; otherwise the previous file is left
   * as it was, and the rows read (if any) stay in the .partial file. Returns what to tell the user, or null.
   */
  finish(succeeded: boolean): Promise<string | null>;
  /** For an interrupt (synchronous): saves what is buffered and says where the incomplete rows are. */
  interrupted(): string | null;
}

function keptNote(file: FileSink, rows: number, why: string): string {
  return rows > 0
    ? `${why}: the ${rows === 1 ? 'row' : `${rows} rows`} read so far are in ${file.partialPath} (incomplete); ${file.name} was left as it was`
    : `${why}: ${file.name} was left as it was`;
}

/** `.csv` means CSV; anything else (and stdout) means JSON Lines. */
export function formatForPath(path: string): OutputFormat {
  return /\.csv$/i.test(path) ? 'csv' : 'jsonl';
}

export async function openRowOutput(spec: OutputSpec, stdout: TextOutput): Promise<RowOutput> {
  const file = spec.path === '-' ? null : await openFileSink(spec.path);
  const sink: TextSink = file ?? stdoutSink(stdout);
  let made: RowWriter | undefined;
  const rows = () => made?.rows ?? 0;
  return {
    spec,
    writer(columns) {
      made ??= spec.format === 'csv' ? csvWriter(sink, columns) : jsonLinesWriter(sink);
      return made;
    },
    get rows() {
      return rows();
    },
    async finish(succeeded) {
      if (file === null) {
        if (made) await made.close();
        else await sink.close();
        return null;
      }
      if (succeeded) {
        // A writer completes the file (CSV: the header even without rows) before it takes its name.
        if (made) await made.close();
        await file.commit();
        return null;
      }
      await file.abandon(rows() > 0);
      return keptNote(file, rows(), 'the run did not finish');
    },
    interrupted() {
      if (file === null) return null;
      file.flushNow();
      return keptNote(file, rows(), 'interrupted');
    },
  };
}
