/**
 * The runner's stdout belongs to the runner: rows with `--out -`, and the summary. A connector bundle loaded
 * in-process logs JSON lines to `process.stdout`; once stdout is claimed, those lines go to stderr with --debug and
 * are dropped otherwise, so they can never corrupt the rows.
 */
export interface TextOutput {
  /** Writes text, waiting for the stream to drain when its buffer is full. */
  write(text: string): Promise<void>;
}

let claimed: TextOutput | undefined;

export function claimStdout(showConnectorLogs: boolean): TextOutput {
  if (claimed) return claimed;
  const original = process.stdout.write.bind(process.stdout) as (chunk: string) => boolean;
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    if (showConnectorLogs) process.stderr.write(chunk);
    const callback = rest.find((item) => typeof item === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof process.stdout.write;
  // `runner ... --out - | head` closes the pipe early: that is the reader's choice, not a failure.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  claimed = {
    write: (text) =>
      new Promise<void>((resolve) => {
        if (original(text)) resolve();
        else process.stdout.once('drain', () => resolve());
      }),
  };
  return claimed;
}
