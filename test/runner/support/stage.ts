/**
 * A throwaway server of one engine with the demo schema (runner/demo/) for one runner test file, and the flags that
 * point the runner at it. Every engine's stage has the same interface: the target's flags, DB_PASSWORD (the password
 * goes through the environment, as the runner's help recommends) and `rows(sql, params)`, a query as the database's
 * owner with values bound. What differs per engine is the table below: how its server starts, how a session of the
 * owner is opened, and which demo seed fits its types.
 */
import pg from 'pg';
import { type DatabaseEngine, DEFAULT_ENGINE, ENGINES } from '../../../handler/engines/registry';
import { type MariaDbServer, startMariaDb, type TestDatabase } from '../../../local/mariadb';
import {
  nodePostgresTls,
  type PostgreSqlDatabase,
  type PostgreSqlServer,
  startPostgreSql,
} from '../../../local/postgresql';
import { seedPostgresqlDemo } from '../../../runner/demo/postgresqlSchema';
import { seedDemo } from '../../../runner/demo/schema';

/** What each engine's local helper (local/) starts and creates. A new engine fails to compile until it is here. */
interface LocalHelpers {
  MYSQL: { server: MariaDbServer; database: TestDatabase };
  POSTGRESQL: { server: PostgreSqlServer; database: PostgreSqlDatabase };
}
type ServerOf<E extends DatabaseEngine> = LocalHelpers[E]['server'];
type DatabaseOf<E extends DatabaseEngine> = LocalHelpers[E]['database'];

/** Rows of a query as the database's owner (values bound with the engine's placeholders). */
export type Rows = <T = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;

/** What the runner's target flags name: where a database is and who uses it. */
export interface RunnerTarget {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string;
}

export interface RunnerStage<E extends DatabaseEngine = DatabaseEngine> {
  readonly engine: E;
  readonly server: ServerOf<E>;
  readonly database: DatabaseOf<E>;
  /** --engine (left out for the default engine), --host, --port, --database, --user for the local target. */
  readonly localArgs: readonly string[];
  /** DB_PASSWORD. */
  readonly env: Record<string, string>;
  rows: Rows;
  teardown(): Promise<void>;
}

/**
 * The runner's flags for `target` on `engine`. The default engine gets no --engine flag, so the tests also run the
 * command line users type most.
 */
export function targetArgs(engine: DatabaseEngine, target: RunnerTarget): string[] {
  return [
    ...(engine === DEFAULT_ENGINE ? [] : ['--engine', ENGINES[engine].name]),
    '--host',
    target.host,
    '--port',
    String(target.port),
    '--database',
    target.database,
    '--user',
    target.user,
  ];
}

/** The environment that gives the runner `target`'s password. */
export function targetEnv(target: RunnerTarget): Record<string, string> {
  return { DB_PASSWORD: target.password };
}

interface EngineStage<E extends DatabaseEngine> {
  start(): Promise<ServerOf<E>>;
  /** The runner's database on `server` and a session of its owner (closed before the server stops). */
  open(server: ServerOf<E>): Promise<{ database: DatabaseOf<E>; rows: Rows; close(): Promise<void> }>;
  /** Creates the demo tables and rows through `query`. */
  seed(query: (sql: string, params?: unknown[]) => Promise<unknown>): Promise<void>;
}

const ENGINE_STAGES: { [E in DatabaseEngine]: EngineStage<E> } = {
  MYSQL: {
    start: () => startMariaDb(),
    async open(server) {
      const database = await server.createDatabase({ prefix: 'runner' });
      const rows: Rows = async <T>(sql: string, params?: unknown[]) => (await database.query(sql, params)) as T[];
      return { database, rows, close: async () => {} };
    },
    seed: seedDemo,
  },
  POSTGRESQL: {
    start: () => startPostgreSql(),
    async open(server) {
      const database = await server.createDatabase({ prefix: 'runner' });
      const client = new pg.Client({
        host: database.host,
        port: database.port,
        user: database.user,
        password: database.password,
        database: database.database,
        ssl: nodePostgresTls(server),
        options: '-c TimeZone=UTC',
      });
      await client.connect();
      const rows: Rows = async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[];
      return { database, rows, close: () => client.end() };
    },
    seed: (query) => seedPostgresqlDemo(query),
  },
};

export async function startRunnerStage<E extends DatabaseEngine>(engine: E): Promise<RunnerStage<E>> {
  const stage: EngineStage<E> = ENGINE_STAGES[engine];
  const server = await stage.start();
  try {
    const { database, rows, close } = await stage.open(server);
    await stage.seed(rows);
    return {
      engine,
      server,
      database,
      localArgs: targetArgs(engine, database),
      env: targetEnv(database),
      rows,
      async teardown() {
        await close();
        await server.stop();
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
