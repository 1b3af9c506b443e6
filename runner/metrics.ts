/** What the summary reports: per operation calls, latencies and the largest response; rows read and written. */
import type { Invocation } from './transport/types';

export interface OperationStats {
  readonly calls: number;
  readonly latenciesMs: readonly number[];
  readonly largestResponseBytes: number;
  readonly largestRequestBytes: number;
}

export class Metrics {
  private readonly operations = new Map<string, { latenciesMs: number[]; largest: number; largestRequest: number }>();
  readonly startedAt = performance.now();
  /** When the first QueryData started: the throughput clock. */
  readingStartedAt: number | null = null;
  readingEndedAt: number | null = null;
  rowsRead = 0;
  pagesRead = 0;
  /** Bytes of QueryData responses. */
  bytesRead = 0;
  rowsWritten = 0;
  rowsFailed = 0;
  writeBatches = 0;

  record(operation: string, invocation: Invocation): void {
    const entry = this.operations.get(operation) ?? { latenciesMs: [], largest: 0, largestRequest: 0 };
    entry.latenciesMs.push(invocation.ms);
    entry.largest = Math.max(entry.largest, invocation.bytes);
    entry.largestRequest = Math.max(entry.largestRequest, invocation.requestBytes);
    this.operations.set(operation, entry);
    if (operation === 'QueryData') {
      this.bytesRead += invocation.bytes;
      this.readingEndedAt = performance.now();
    }
  }

  /** Operations in the order they were first called. */
  stats(): [string, OperationStats][] {
    return [...this.operations.entries()].map(([operation, entry]) => [
      operation,
      {
        calls: entry.latenciesMs.length,
        latenciesMs: entry.latenciesMs,
        largestResponseBytes: entry.largest,
        largestRequestBytes: entry.largestRequest,
      },
    ]);
  }

  /** Seconds spent reading (first QueryData call to the last answer). */
  readingSeconds(): number {
    if (this.readingStartedAt === null || this.readingEndedAt === null) return 0;
    return Math.max(0, (this.readingEndedAt - this.readingStartedAt) / 1000);
  }
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
