/**
 * A destination for text, buffered: the runner's stdout, or a file. A file is written as `<path>.partial` and renamed
 * to its path only when the run finishes, so a run that fails or is interrupted never replaces a previous file with
 * an empty or incomplete one; its rows stay in the .partial file, which says what it is.
 */
import { writeSync } from 'node:fs';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { RunnerError } from '../errors';
import type { TextOutput } from '../stdout';

export interface TextSink {
  /** `-` for stdout, otherwise the file path. */
  readonly name: string;
  write(text: string): Promise<void>;
  close(): Promise<void>;
}

/** A file sink: closed by `commit` (the file takes its place) or `abandon` (the previous file stays). */
export interface FileSink extends TextSink {
  /** Where the rows are until the run finishes. */
  readonly partialPath: string;
  /** Flushes, closes and renames the partial file to its path. */
  commit(): Promise<void>;
  /** Flushes and closes; keeps the partial file when `keep`, else removes it. */
  abandon(keep: boolean): Promise<void>;
  /** For an interrupt, which cannot wait: writes what is buffered to the partial file at once. */
  flushNow(): void;
}

const FLUSH_AT_BYTES = 64 * 1024;

function buffered(
  name: string,
  flush: (text: string) => Promise<void>,
  end: () => Promise<void>,
): TextSink & { takePending(): string } {
  let pending: string[] = [];
  let pendingLength = 0;
  const drain = async () => {
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    pendingLength = 0;
    await flush(text);
  };
  return {
    name,
    async write(text) {
      pending.push(text);
      pendingLength += text.length;
      if (pendingLength >= FLUSH_AT_BYTES) await drain();
    },
    async close() {
      await drain();
      await end();
    },
    takePending() {
      const text = pending.join('');
      pending = [];
      pendingLength = 0;
      return text;
    },
  };
}

export const PARTIAL_SUFFIX = '.partial';

export async function openFileSink(path: string): Promise<FileSink> {
  const partialPath = `${path}${PARTIAL_SUFFIX}`;
  let handle: FileHandle;
  try {
    handle = await open(partialPath, 'w');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new RunnerError(`cannot write the output file ${path} (${code})`, { cause: error });
  }
  let closed = false;
  const sink = buffered(
    path,
    async (text) => {
      await handle.write(text);
    },
    async () => {
      if (closed) return;
      closed = true;
      await handle.close();
    },
  );
  return {
    ...sink,
    name: path,
    write: sink.write,
    close: sink.close,
    partialPath,
    async commit() {
      await sink.close();
      await rename(partialPath, path);
    },
    async abandon(keep) {
      await sink.close();
      if (!keep) await rm(partialPath, { force: true });
    },
    flushNow() {
      if (closed) return;
      const text = sink.takePending();
      if (text) writeSync(handle.fd, text);
    },
  };
}

export function stdoutSink(stdout: TextOutput): TextSink {
  return buffered(
    '-',
    (text) => stdout.write(text),
    async () => {},
  );
}
