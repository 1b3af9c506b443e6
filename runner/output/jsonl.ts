/** JSON Lines: one record per line, exactly the JSON text the connector sent. */

import type { TextSink } from './textSink';
import type { RowWriter } from './types';

export function jsonLinesWriter(sink: TextSink): RowWriter {
  let rows = 0;
  return {
    get rows() {
      return rows;
    },
    async write(_fields, text) {
      rows++;
      // Valid JSON can hold a line break only as whitespace between tokens; flatten it to keep one record per line.
      await sink.write(`${/[\r\n]/.test(text) ? text.replace(/[\r\n]+/g, ' ') : text}\n`);
    },
    async close() {
      await sink.close();
    },
  };
}
