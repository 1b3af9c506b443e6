/**
 * Parts 3 and 4: page latency against depth.
 *
 * - The Java sample's strategy, as the SQL it issues for every QueryData call (protocol reference §6.6):
 *   `SELECT COUNT(*) AS cnt FROM t`, then `SELECT <columns> FROM t LIMIT <offset>, <n>` (PostgreSQL:
 *   `LIMIT <n> OFFSET <offset>`) with no ORDER BY, over the text protocol (as JDBC does by default), rows decoded by
 *   the engine's client library (bench/driver.ts) and nothing else.
 * - The connector: QueryData through the bundle's handler in this process (warm instance), continuing from the
 *   nextToken its own full read issued for that page, answer serialized with JSON.stringify.
 * Each point is measured `samples` times, the two strategies interleaved; the median is reported.
 */
import type { ConnectionTarget, ConnectorBundle } from './connector';
import { expectSuccess, invokeSerialized, queryDataEvent } from './connector';
import type { RawDriver } from './driver';
import { TABLE } from './seed';
import { median, timed } from './stats';

export interface DepthPoint {
  /** Requested depth, as a fraction of the table (0 = first page, 1 = last page). */
  readonly depth: number;
  readonly page: number;
  /** Rows before this page. */
  readonly offset: number;
  readonly connectorMs: number;
  readonly connectorRecords: number;
  readonly offsetCountMs: number;
  readonly offsetSelectMs: number;
  /** COUNT(*) + page SELECT: what one QueryData call of the Java sample costs in SQL. */
  readonly offsetTotalMs: number;
}

export interface DepthResults {
  readonly pageSize: number;
  readonly samples: number;
  readonly points: readonly DepthPoint[];
}

/** Page indices for the requested depths (deduplicated, in order). */
export function depthPages(
  depths: readonly number[],
  rows: number,
  pageSize: number,
): { depth: number; page: number }[] {
  const lastPage = Math.max(0, Math.ceil(rows / pageSize) - 1);
  const seen = new Set<number>();
  const pages: { depth: number; page: number }[] = [];
  for (const depth of depths) {
    const page = Math.round(Math.min(1, Math.max(0, depth)) * lastPage);
    if (seen.has(page)) continue;
    seen.add(page);
    pages.push({ depth, page });
  }
  return pages.sort((a, b) => a.page - b.page);
}

export interface DepthOptions {
  readonly bundle: ConnectorBundle;
  readonly target: ConnectionTarget;
  readonly driver: RawDriver;
  readonly pageSize: number;
  readonly samples: number;
  readonly pages: readonly { depth: number; page: number }[];
  readonly tokens: Readonly<Record<number, string>>;
  readonly log: (message: string) => void;
}

export async function measureDepths(options: DepthOptions): Promise<DepthResults> {
  const offsetReader = await options.driver.openOffsetReader();
  const samples = options.pages.map(() => ({
    connector: [] as number[],
    records: 0,
    count: [] as number[],
    select: [] as number[],
  }));
  try {
    const connectorPage = async (page: number) => {
      const token = page === 0 ? null : options.tokens[page];
      if (token === undefined) throw new Error(`no nextToken recorded for page ${page}`);
      const event = queryDataEvent(options.target, TABLE, options.pageSize, token);
      return timed(() => invokeSerialized(options.bundle, event));
    };
    // One untimed call per point: the instance is warm (secret, pool, metadata), as between AppFlow's calls.
    for (const { page } of options.pages) {
      const { result } = await connectorPage(page);
      expectSuccess(result.response, `QueryData page ${page}`);
    }
    for (let sample = 0; sample < options.samples; sample++) {
      for (const [index, { page }] of options.pages.entries()) {
        const connector = await connectorPage(page);
        expectSuccess(connector.result.response, `QueryData page ${page}`);
        samples[index]!.connector.push(connector.ms);
        samples[index]!.records = (connector.result.response.records as unknown[]).length;

        const count = await timed(() => offsetReader.count());
        const select = await timed(() => offsetReader.page(page * options.pageSize, options.pageSize));
        samples[index]!.count.push(count.ms);
        samples[index]!.select.push(select.ms);
      }
      options.log(`  depth sample ${sample + 1}/${options.samples} done`);
    }
  } finally {
    await offsetReader.close();
  }
  return {
    pageSize: options.pageSize,
    samples: options.samples,
    points: options.pages.map(({ depth, page }, index) => {
      const point = samples[index]!;
      const offsetCountMs = median(point.count);
      const offsetSelectMs = median(point.select);
      return {
        depth,
        page,
        offset: page * options.pageSize,
        connectorMs: median(point.connector),
        connectorRecords: point.records,
        offsetCountMs,
        offsetSelectMs,
        offsetTotalMs: median(point.count.map((count, sample) => count + point.select[sample]!)),
      };
    }),
  };
}
