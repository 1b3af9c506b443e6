/** A destination for text: a file (created or truncated when opened) or the runner's stdout, buffered. */
import { type FileHandle, open } from 'node:fs/promises';
import { RunnerError } from '../errors';
import type { TextOutput } from '../stdout';

export interface TextSink {
  /** `-` for stdout, otherwise the file path. */
  readonly name: string;
  write(text: string): Promise<void>;
  close(): Promise<void>;
}

const FLUSH_AT_BYTES = 64 * 1024;

function buffered(name: string, flush: (text: string) => Promise<void>, end: () => Promise<void>): TextSink {
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
  };
}

export async function openFileSink(path: string): Promise<TextSink> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'w');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new RunnerError(`cannot write the output file ${path} (${code})`, { cause: error });
  }
  return buffered(
    path,
    async (text) => {
      await handle.write(text);
    },
    () => handle.close(),
  );
}

export function stdoutSink(stdout: TextOutput): TextSink {
  return buffered(
    '-',
    (text) => stdout.write(text),
    async () => {},
  );
}
