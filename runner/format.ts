/** Number formatting shared by the progress line and the summary. */

export function count(value: number): string {
  return value.toLocaleString('en-US');
}

export function bytes(value: number): string {
  if (value < 1024) return `${value} B`;
  if (value < 1024 * 1024) return `${(value / 1024).toFixed(1)} KB`;
  return `${(value / 1024 / 1024).toFixed(2)} MB`;
}

export function milliseconds(value: number): string {
  return value < 10 ? value.toFixed(1) : String(Math.round(value));
}

export function megabytesPerSecond(byteCount: number, seconds: number): string {
  if (seconds <= 0) return '– MB/s';
  return `${(byteCount / 1024 / 1024 / seconds).toFixed(2)} MB/s`;
}

export function plural(value: number, word: string, words = `${word}s`): string {
  return `${count(value)} ${value === 1 ? word : words}`;
}
