/**
 * The progress line: counts before the bar (a terminal that does not say its width still shows them), the last
 * state printed when reading ends (plain lines are at most one a second), singular counts.
 */
import test from 'ava';
import { createProgress, describeState, type ProgressState } from '../../runner/progress';

/** A stand-in for process.stderr that keeps what is written. */
function stream(isTTY: boolean, columns?: number) {
  const written: string[] = [];
  const fake = {
    isTTY,
    columns,
    write(text: string) {
      written.push(text);
      return true;
    },
  } as unknown as NodeJS.WriteStream;
  return { fake, text: () => written.join('') };
}

const state = (rowsRead: number, rowsWritten = 0): ProgressState => ({
  rowsRead,
  pagesRead: 1,
  bytesRead: 2048,
  rowsWritten,
  seconds: 0.5,
  total: null,
});

test('a terminal that does not say its width gets the counts, before the bar', (t) => {
  const { fake, text } = stream(true, undefined);
  const progress = createProgress({ quiet: false, stream: fake });
  progress.update(state(1234));
  t.regex(text(), /reading 1,234 rows · 1 page · [\d.]+ MB\/s \[[░█]+\]/);
});

test('a narrow terminal cuts the bar, not the counts', (t) => {
  const { fake, text } = stream(true, 50);
  createProgress({ quiet: false, stream: fake }).update(state(1234));
  t.regex(text(), /reading 1,234 rows · 1 page/);
  t.notRegex(text(), /\]/);
});

test('plain progress prints the last state when reading ends, writes included', (t) => {
  const { fake, text } = stream(false);
  const progress = createProgress({ quiet: false, stream: fake });
  progress.update(state(1));
  progress.update(state(1, 1));
  progress.finish();
  t.is(text(), '  reading: 1 row · 1 page · 0.00 MB/s\n  reading: 1 row · 1 page · 0.00 MB/s · 1 written\n');
});

test('counts are singular for one', (t) => {
  t.regex(describeState(state(1)), /^1 row · 1 page/);
  t.regex(describeState(state(2)), /^2 rows · 1 page/);
});
