/**
 * What the runner shows while the flow runs, on stderr: one line per finished step, and while reading a live line
 * with rows, pages, MB/s, rows written and a bar. On a terminal the live line redraws in place; otherwise (a pipe, a
 * CI log) it becomes a plain line at most once a second, and the last state is always printed when reading ends.
 * --quiet shows nothing but errors.
 */
import { count, megabytesPerSecond, plural } from './format';

export interface ProgressState {
  readonly rowsRead: number;
  readonly pagesRead: number;
  readonly bytesRead: number;
  readonly rowsWritten: number;
  readonly seconds: number;
  /** The expected number of rows when known (a LIMIT), which turns the bar into a percentage. */
  readonly total: number | null;
}

export interface Progress {
  /** A finished step: one line. */
  step(text: string): void;
  /** A remark worth reading (a client-side cap, fields left out of a write). */
  note(text: string): void;
  /** Reading or writing advanced. */
  update(state: ProgressState): void;
  /** Removes the live line. */
  finish(): void;
}

export interface ProgressOptions {
  readonly quiet: boolean;
  readonly stream: NodeJS.WriteStream;
}

const BAR_WIDTH = 20;
const REDRAW_EVERY_MS = 80;
const PLAIN_EVERY_MS = 1000;

export function describeState(state: ProgressState): string {
  return (
    `${plural(state.rowsRead, 'row')} · ${plural(state.pagesRead, 'page')} · ` +
    `${megabytesPerSecond(state.bytesRead, state.seconds)}` +
    (state.rowsWritten > 0 ? ` · ${count(state.rowsWritten)} written` : '')
  );
}

function bar(state: ProgressState, frame: number): string {
  if (state.total !== null && state.total > 0) {
    const filled = Math.min(BAR_WIDTH, Math.round((state.rowsRead / state.total) * BAR_WIDTH));
    return `[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}]`;
  }
  // Unknown total: a block that moves back and forth while pages arrive.
  const block = 6;
  const span = BAR_WIDTH - block;
  const position = frame % (2 * span) < span ? frame % (2 * span) : 2 * span - (frame % (2 * span));
  return `[${'░'.repeat(position)}${'█'.repeat(block)}${'░'.repeat(span - position)}]`;
}

function terminalProgress(stream: NodeJS.WriteStream): Progress {
  let live: ProgressState | null = null;
  let lastDraw = 0;
  let frame = 0;
  const clear = () => stream.write('\r\x1b[2K');
  const draw = () => {
    if (!live) return;
    // The counts come first, so that a narrow terminal cuts the bar, not the numbers; a terminal that does not
    // say its width gets the whole line.
    const line = `  reading ${describeState(live)} ${bar(live, frame)}`;
    const width = stream.columns ? Math.max(20, stream.columns - 1) : line.length;
    clear();
    stream.write(line.length > width ? line.slice(0, width) : line);
  };
  const print = (text: string) => {
    if (live) clear();
    stream.write(`${text}\n`);
    draw();
  };
  return {
    step: (text) => print(text),
    note: (text) => print(`  note: ${text}`),
    update(state) {
      live = state;
      frame++;
      const now = performance.now();
      if (now - lastDraw >= REDRAW_EVERY_MS) {
        lastDraw = now;
        draw();
      }
    },
    finish() {
      if (live) clear();
      live = null;
    },
  };
}

function plainProgress(stream: NodeJS.WriteStream): Progress {
  let lastPrinted = Number.NEGATIVE_INFINITY;
  /** The newest state not printed yet (lines are at most one a second): printed by finish, so none is lost. */
  let unprinted: ProgressState | null = null;
  const printState = (state: ProgressState) => {
    lastPrinted = performance.now();
    unprinted = null;
    stream.write(`  reading: ${describeState(state)}\n`);
  };
  return {
    step: (text) => stream.write(`${text}\n`),
    note: (text) => stream.write(`  note: ${text}\n`),
    update(state) {
      if (performance.now() - lastPrinted < PLAIN_EVERY_MS) {
        unprinted = state;
        return;
      }
      printState(state);
    },
    finish() {
      if (unprinted) printState(unprinted);
    },
  };
}

const silent: Progress = { step() {}, note() {}, update() {}, finish() {} };

export function createProgress(options: ProgressOptions): Progress {
  if (options.quiet) return silent;
  return options.stream.isTTY ? terminalProgress(options.stream) : plainProgress(options.stream);
}
