/**
 * A throwaway MariaDB with the demo schema (runner/demo/schema.ts) for one runner test file, and the flags that point
 * the runner at it. The password goes through DB_PASSWORD, as the runner's help recommends.
 */

import { type MariaDbServer, startMariaDb, type TestDatabase } from '../../../local/mariadb';
import { seedDemo } from '../../../runner/demo/schema';

export interface RunnerStage {
  readonly server: MariaDbServer;
  readonly database: TestDatabase;
  /** --host, --port, --database, --user for the local target. */
  readonly localArgs: readonly string[];
  /** DB_PASSWORD. */
  readonly env: Record<string, string>;
  /** Rows of a query as the database user. */
  rows<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  teardown(): Promise<void>;
}

export async function startRunnerStage(): Promise<RunnerStage> {
  const server = await startMariaDb();
  const database = await server.createDatabase({ prefix: 'runner' });
  await seedDemo((sql, params) => database.query(sql, params));
  return {
    server,
    database,
    localArgs: [
      '--host',
      database.host,
      '--port',
      String(database.port),
      '--database',
      database.database,
      '--user',
      database.user,
    ],
    env: { DB_PASSWORD: database.password },
    async rows<T>(sql: string, params?: unknown[]) {
      return (await database.query(sql, params)) as T[];
    },
    teardown: () => server.stop(),
  };
}
