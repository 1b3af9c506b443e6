/**
 * The demo's database: a throwaway MariaDB (local/mariadb.ts) or, for --engine postgresql, a throwaway PostgreSQL
 * (local/postgresql.ts), or an existing server named by DEMO_DATABASE_URL (or the tests' TEST_MYSQL_URL /
 * TEST_POSTGRES_URL), with one new database, a user with an awkward password, and the seeded demo schema.
 * Everything the demo created is removed at the end. The demo logs in, and seeds, without TLS when --tls-mode
 * DISABLED asks for it, so a server without TLS works too.
 */
import mysql from 'mysql2/promise';
import pg from 'pg';
import { startMariaDb } from '../../local/mariadb';
import { externalPostgreSql, startPostgreSql } from '../../local/postgresql';
import { TargetError } from '../errors';
import type { Engine } from '../flags';
import { seedPostgresqlDemo } from './postgresqlSchema';
import { seedDemo } from './schema';
import { DEMO_SERVER_NAMES, type DemoServer } from './server';

export { DEMO_SERVER_NAMES } from './server';

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
  /** An existing server to use instead of a throwaway one (DEMO_DATABASE_URL). */
  readonly server: DemoServer | null;
}

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

/** A server that offers no TLS answers the TLS request so (mysql2's and pg's wording). */
function isNoTlsServer(error: unknown): boolean {
  const failure = error as { code?: string; message?: string };
  return (
    failure?.code === 'HANDSHAKE_NO_SSL_SUPPORT' ||
    /does not support (SSL|secure) connections?/i.test(failure?.message ?? '')
  );
}

async function seeded<S extends Server>(
  server: S,
  options: DemoOptions,
  seed: () => Promise<DemoDatabase>,
): Promise<DemoDatabase> {
  try {
    return await seed();
  } catch (error) {
    await server.stop();
    if (isNoTlsServer(error)) {
      const where = options.server ? ` at ${options.server.address}` : '';
      throw new TargetError(
        `the server${where} offers no TLS, and the demo logs in with tlsMode ${options.tlsMode}: run with --tls-mode DISABLED (or DB_TLS_MODE=DISABLED) if a connection without encryption is acceptable`,
        { cause: error },
      );
    }
    throw new TargetError(`the demo could not seed its database: ${(error as Error).message}`, { cause: error });
  }
}

async function startMariaDbDemo(options: DemoOptions): Promise<DemoDatabase> {
  const server = await started('MYSQL', () => {
    // local/mariadb.ts uses the server its TEST_MYSQL_URL names instead of starting one.
    if (options.server) process.env.TEST_MYSQL_URL = options.server.url;
    return startMariaDb();
  });
  const plain = options.tlsMode === 'DISABLED';
  return seeded(server, options, async () => {
    const database = await server.createDatabase({ prefix: 'appflow_demo', requireTls: !plain });
    // Seeded by the demo's own user, over TLS unless the flow goes without it (a server may offer none).
    const connection = await mysql.createConnection({
      host: database.host,
      port: database.port,
      user: database.user,
      password: database.password,
      database: database.database,
      ...(plain ? {} : { ssl: { rejectUnauthorized: false } }),
      timezone: 'Z',
    });
    try {
      await connection.query("SET time_zone = '+00:00'");
      await seedDemo(async (sql, params) => (await connection.query(sql, params))[0]);
    } finally {
      await connection.end();
    }
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
  const server = await started('POSTGRESQL', async () =>
    options.server ? externalPostgreSql(options.server.url) : startPostgreSql(),
  );
  const plain = options.tlsMode === 'DISABLED';
  return seeded(server, options, async () => {
    const database = await server.createDatabase({ prefix: 'appflow_demo' });
    // The owner seeds over TLS (verified against the run's CA on the throwaway server); on a server of the user's
    // with --tls-mode DISABLED, without it.
    const ssl = server.caPem
      ? { ca: server.caPem, servername: 'localhost' }
      : plain
        ? false
        : { rejectUnauthorized: false };
    const client = new pg.Client({
      host: database.host,
      port: database.port,
      user: database.user,
      password: database.password,
      database: database.database,
      ssl,
    });
    await client.connect();
    try {
      await seedPostgresqlDemo((sql, params) => client.query(sql, params), options.schema);
    } finally {
      await client.end();
    }
    // The owner may connect only over TLS; its plain member reaches the same tables without.
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

/** Each engine's demo: its throwaway server (or the user's), seeded with the same tables. */
const DEMOS: Readonly<Record<Engine, (options: DemoOptions) => Promise<DemoDatabase>>> = {
  MYSQL: startMariaDbDemo,
  POSTGRESQL: startPostgreSqlDemo,
};

export async function startDemoDatabase(engine: Engine, options: DemoOptions): Promise<DemoDatabase> {
  return DEMOS[engine](options);
}
