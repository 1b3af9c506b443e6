/**
 * A throwaway PostgreSQL with the demo schema (runner/demo/postgresqlSchema.ts) for one runner test file, and the
 * flags that point the runner at it with --engine postgresql. The password goes through DB_PASSWORD, as the
 * runner's help recommends.
 */
import pg from 'pg';
import { type PostgreSqlDatabase, type PostgreSqlServer, startPostgreSql } from '../../../local/postgresql';
import { seedPostgresqlDemo } from '../../../runner/demo/postgresqlSchema';

export interface PostgresqlRunnerStage {
  readonly server: PostgreSqlServer;
  readonly database: PostgreSqlDatabase;
  /** --engine, --host, --port, --database, --user for the local target. */
  readonly localArgs: readonly string[];
  /** DB_PASSWORD. */
  readonly env: Record<string, string>;
  /** Rows of a query as the database's owner (values bound). */
  rows<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  teardown(): Promise<void>;
}

export async function startPostgresqlRunnerStage(): Promise<PostgresqlRunnerStage> {
  const server = await startPostgreSql();
  try {
    const database = await server.createDatabase({ prefix: 'runner' });
    const client = new pg.Client({
      host: database.host,
      port: database.port,
      user: database.user,
      password: database.password,
      database: database.database,
      ssl: server.caPem ? { ca: server.caPem, servername: 'localhost' } : { rejectUnauthorized: false },
      options: '-c TimeZone=UTC',
    });
    await client.connect();
    await seedPostgresqlDemo((sql, params) => client.query(sql, params));
    return {
      server,
      database,
      localArgs: [
        '--engine',
        'postgresql',
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
        return (await client.query(sql, params)).rows as T[];
      },
      async teardown() {
        await client.end();
        await server.stop();
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
