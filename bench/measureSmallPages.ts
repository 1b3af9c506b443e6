/**
 * Small pages: what a QueryData call costs beyond its rows, when AppFlow asks for 1 or 100 records. A warm
 * instance answers the second page of a read of that size (continuing from the first page's nextToken, answer
 * serialized), against the engine's client library reading the same rows in one statement (the Java sample's
 * `LIMIT n` page at offset n, rows decoded and nothing else). Interleaved, median of `samples`; target ≤ 2.
 */
import type { ConnectionTarget, ConnectorBundle } from './connector';
import { expectSuccess, invokeSerialized, queryDataEvent } from './connector';
import type { RawDriver } from './driver';
import { TABLE } from './seed';
import { median, timed } from './stats';

export interface SmallPage {
  readonly rows: number;
  readonly connectorMs: number;
  readonly rawMs: number;
}

export async function measureSmallPages(options: {
  readonly bundle: ConnectorBundle;
  readonly target: ConnectionTarget;
  readonly driver: RawDriver;
  readonly samples: number;
  readonly sizes?: readonly number[];
}): Promise<SmallPage[]> {
  const reader = await options.driver.openOffsetReader();
  try {
    const results: SmallPage[] = [];
    for (const rows of options.sizes ?? [1, 100]) {
      const first = await invokeSerialized(options.bundle, queryDataEvent(options.target, TABLE, rows, null));
      expectSuccess(first.response, `QueryData of ${rows} rows`);
      const token = first.response.nextToken as string;
      const event = queryDataEvent(options.target, TABLE, rows, token);
      // Untimed once each: the instance has its pool, metadata and pace, the driver its connection.
      await invokeSerialized(options.bundle, event);
      await reader.page(rows, rows);
      const connector: number[] = [];
      const raw: number[] = [];
      for (let sample = 0; sample < options.samples; sample++) {
        const page = await timed(() => invokeSerialized(options.bundle, event));
        expectSuccess(page.result.response, `QueryData of ${rows} rows`);
        connector.push(page.ms);
        raw.push((await timed(() => reader.page(rows, rows))).ms);
      }
      results.push({ rows, connectorMs: median(connector), rawMs: median(raw) });
    }
    return results;
  } finally {
    await reader.close();
  }
}
