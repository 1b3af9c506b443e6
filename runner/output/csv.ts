/**
 * CSV (RFC 4180): a header of the selected fields, CRLF line ends, a cell quoted when it holds a quote, a comma, a
 * line break or leading/trailing spaces. A null is an empty cell; an empty string is `""`, so the two stay apart.
 * Numbers keep the connector's exact digits; JSON values (objects, arrays) are their JSON text.
 */
import { plainValue } from '../records';
import type { TextSink } from './textSink';
import type { RowWriter } from './types';

export function csvCell(value: string | null): string {
  if (value === null) return '';
  if (value === '' || /[",\r\n]/.test(value) || value !== value.trim()) return `"${value.replace(/"/g, '""')}"`;
  return value;
}

export function csvWriter(sink: TextSink, columns: readonly string[]): RowWriter {
  let rows = 0;
  let headerWritten = false;
  const writeHeader = async () => {
    if (headerWritten) return;
    headerWritten = true;
    await sink.write(`${columns.map(csvCell).join(',')}\r\n`);
  };
  return {
    get rows() {
      return rows;
    },
    async write(fields) {
      await writeHeader();
      rows++;
      const byName = new Map(fields.map((field) => [field.name, field.raw]));
      const cells = columns.map((column) => {
        const raw = byName.get(column);
        return csvCell(raw === undefined ? null : plainValue(raw));
      });
      await sink.write(`${cells.join(',')}\r\n`);
    },
    async close() {
      await writeHeader();
      await sink.close();
    },
  };
}
