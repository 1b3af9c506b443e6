/**
 * What an engine's stage is: its throwaway server, seeded, with its own client library beside the connector. One
 * implementation per engine (mysqlStage.ts, postgresqlStage.ts); benchmark.ts runs the measurements against any.
 */
import type { SecretsEndpoint } from '../local/secretsEndpoint';
import type { ConnectionTarget } from './connector';
import type { RawDriver } from './driver';
import type { SeedResult } from './seed';

/** A seeded database the measurements run against, and how to stop its server. */
export interface Stage {
  readonly target: ConnectionTarget;
  readonly driver: RawDriver;
  /** A row's values in COLUMNS order, as the driver binds them. */
  readonly values: (id: number, variant: number) => unknown[];
  /** The server's version, `10.11.19-…`, `15.14 …` (the report puts the product before it). */
  readonly version: string;
  readonly seeded: SeedResult;
  stop(): Promise<void>;
}

export interface StageOptions {
  readonly rows: number;
  readonly tlsMode: 'REQUIRED' | 'DISABLED';
  readonly secrets: SecretsEndpoint;
  readonly log: (message: string) => void;
}

export const progressEvery = (log: (message: string) => void) => (done: number) => {
  if (done % 100_000 === 0) log(`  ${done.toLocaleString('en-US')} rows`);
};
