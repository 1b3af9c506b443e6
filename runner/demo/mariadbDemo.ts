/** The MYSQL demo: a throwaway MariaDB (local/mariadb.ts) or the user's server, seeded over mysql2. */
import mysql from 'mysql2/promise';
import { type MariaDbServer, startMariaDb } from '../../local/mariadb';
import type { DemoDatabase, DemoOptions, EngineDemo } from './database';
import { seedDemo } from './schema';

export const MARIADB_DEMO: EngineDemo<MariaDbServer> = {
  start(options: DemoOptions): Promise<MariaDbServer> {
    // local/mariadb.ts uses the server its TEST_MYSQL_URL names instead of starting one.
    if (options.server) process.env.TEST_MYSQL_URL = options.server.url;
    return startMariaDb();
  },

  async seed(server: MariaDbServer, options: DemoOptions): Promise<DemoDatabase> {
    const plain = options.tlsMode === 'DISABLED';
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
  },
};
