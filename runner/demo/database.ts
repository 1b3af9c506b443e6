/**
 * The demo's database: a throwaway MariaDB (local/mariadb.ts; TEST_MYSQL_URL selects an existing server instead) or,
 * for --engine postgresql, a throwaway PostgreSQL (local/postgresql.ts; TEST_POSTGRES_URL), with one database, a
 * user with an awkward password, and the seeded demo schema. Everything is removed at the end.
 */
import pg from 'pg';
import { startMariaDb } from '../../local/mariadb';
import { startPostgreSql } from '../../local/postgresql';
import { TargetError } from '../errors';
import type { Engine } from '../flags';
import { seedPostgresqlDemo } from './postgresqlSchema';
import { seedDemo } from './schema';

export interface DemoDatabase {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string;
  stop(): Promise<void>;
}

export interface DemoOptions {
  /** POSTGRESQL: the schema the tables go into (null: public). */
  readonly schema: string | null;
  /** The tlsMode the flow will use: with DISABLED the demo's user must be one the server lets in without TLS. */
  readonly tlsMode: string;
}

export const DEMO_SERVER_NAMES: Readonly<Record<Engine, string>> = { MYSQL: 'MariaDB', POSTGRESQL: 'PostgreSQL' };

interface Server {
  stop(): Promise<void>;
}

async function started<S extends Server>(engine: Engine, start: () => Promise<S>): Promise<S> {
  try {
    return await start();
  } catch (error) {
    throw new TargetError(
      `the demo could not start its throwaway ${DEMO_SERVER_NAMES[engine]}: ${(error as Error).message.split('\n')[0]}`,
      { cause: error },
    );
  }
}

async function seeded<S extends Server>(server: S, seed: () => Promise<DemoDatabase>): Promise<DemoDatabase> {
  try {
    return await seed();
  } catch (error) {
    await server.stop();
    throw new TargetError(`the demo could not seed its database: ${(error as Error).message}`, { cause: error });
  }
}

async function startMariaDbDemo(options: DemoOptions): Promise<DemoDatabase> {
  const server = await started('MYSQL', () => startMariaDb());
  return seeded(server, async () => {
    const database = await server.createDatabase({
      prefix: 'appflow_demo',
      requireTls: options.tlsMode !== 'DISABLED',
    });
    await seedDemo((sql, params) => database.query(sql, params));
    return {
      host: database.host,
      port: database.port,
      database: database.database,
      user: database.user,
      password: database.password,
      stop: () => server.stop(),
    };
  });
}

async function startPostgreSqlDemo(options: DemoOptions): Promise<DemoDatabase> {
  const server = await started('POSTGRESQL', () => startPostgreSql());
  return seeded(server, async () => {
    const database = await server.createDatabase({ prefix: 'appflow_demo' });
    // The owner seeds over TLS (verified against the run's CA when the server is the throwaway one).
    const client = new pg.Client({
      host: database.host,
      port: database.port,
      user: database.user,
      password: database.password,
      database: database.database,
      ssl: server.caPem ? { ca: server.caPem, servername: 'localhost' } : { rejectUnauthorized: false },
    });
    await client.connect();
    try {
      await seedPostgresqlDemo((sql, params) => client.query(sql, params), options.schema);
    } finally {
      await client.end();
    }
    // The owner may connect only over TLS; its plain member reaches the same tables without.
    const plain = options.tlsMode === 'DISABLED';
    return {
      host: database.host,
      port: database.port,
      database: database.database,
      user: plain ? database.plainUser : database.user,
      password: plain ? database.plainPassword : database.password,
      stop: () => server.stop(),
    };
  });
}

export async function startDemoDatabase(engine: Engine, options: DemoOptions): Promise<DemoDatabase> {
  return engine === 'POSTGRESQL' ? startPostgreSqlDemo(options) : startMariaDbDemo(options);
}
