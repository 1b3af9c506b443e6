import type { Database } from '../../handler/engines/engine';
import type { PostgreSqlPools } from '../../handler/engines/postgresql/connection';
import type { PostgreSqlDatabase } from '../../local/postgresql';

// The throwaway PostgreSQL lives in local/ like the MariaDB one, so the runner can use it too.
export {
  awkwardPostgresPassword,
  externalPostgreSql,
  nodePostgresTls,
  type PostgreSqlDatabase,
  type PostgreSqlServer,
  type PsqlConnection,
  PsqlError,
  quoteIdentifier,
  runPsql,
  SERVER_SYSTEM_USER,
  SERVER_TIME_ZONE,
  type SslMode,
  startPostgreSql,
  startThrowawayPostgreSql,
} from '../../local/postgresql';

/** The engine's Database on `db`'s `public` schema as its plain (non-owner) user, without TLS, from `pools`. */
export function plainPublicDatabase(pools: PostgreSqlPools, db: PostgreSqlDatabase): Promise<Database> {
  return pools.get(
    {
      host: db.host,
      port: db.port,
      database: db.database,
      tlsMode: 'DISABLED',
      engine: 'POSTGRESQL',
      schema: 'public',
    },
    { username: db.plainUser, password: db.plainPassword },
  );
}

/**
 * Runs `lockSql` in a transaction of `holder` and keeps that transaction open, holding what it locked, until
 * `release()`, which resolves once the transaction has ended.
 */
export async function holdLock(holder: Database, lockSql: string): Promise<{ release(): Promise<void> }> {
  let letGo: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    letGo = resolve;
  });
  let locked: () => void = () => {};
  const isLocked = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const holding = holder.transaction(async (runner) => {
    await runner.execute(lockSql);
    locked();
    await held;
  });
  await Promise.race([isLocked, holding]);
  return {
    release: async () => {
      letGo();
      await holding;
    },
  };
}
