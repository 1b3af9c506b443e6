import type { RecordField } from '../records';

export type OutputFormat = 'jsonl' | 'csv';

/** Writes the records of one flow in one format. */
export interface RowWriter {
  readonly rows: number;
  /** One record: its properties (exact value text) and its whole JSON text. */
  write(fields: readonly RecordField[], text: string): Promise<void>;
  close(): Promise<void>;
}
