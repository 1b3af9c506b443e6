/** The POSTGRESQL demo: a throwaway PostgreSQL (local/postgresql.ts) or the user's server, seeded over pg. */
import pg from 'pg';
import { externalPostgreSql, nodePostgresTls, type PostgreSqlServer, startPostgreSql } from '../../local/postgresql';
import type { DemoDatabase, DemoOptions, EngineDemo } from './database';
import { seedPostgresqlDemo } from './postgresqlSchema';

export const POSTGRESQL_DEMO: EngineDemo<PostgreSqlServer> = {
  async start(options: DemoOptions): Promise<PostgreSqlServer> {
    return options.server ? externalPostgreSql(options.server.url) : startPostgreSql();
  },

  async seed(server: PostgreSqlServer, options: DemoOptions): Promise<DemoDatabase> {
    const plain = options.tlsMode === 'DISABLED';
    const database = await server.createDatabase({ prefix: 'appflow_demo' });
    // The owner seeds over TLS (verified against the run's CA on the throwaway server); on a server of the user's
    // with --tls-mode DISABLED, without it.
    const ssl = plain && !server.caPem ? false : nodePostgresTls(server);
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
  },
};
