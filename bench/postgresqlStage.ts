/** The benchmark's PostgreSQL stage: a throwaway server sized like the MariaDB one, seeded and read through pg. */
import { startPostgreSql } from '../local/postgresql';
import { secretArnFor } from './connector';
import { postgresqlDriver, postgresqlValues, seedPostgresql } from './postgresqlDriver';
import { progressEvery, type Stage, type StageOptions } from './stage';

export async function postgresqlStage({ rows, tlsMode, secrets, log }: StageOptions): Promise<Stage> {
  // Buffers and WAL sized like the MariaDB server's (1 GB buffer pool, a large redo log), so that neither engine
  // reads the table through a buffer cache far smaller than it.
  const server = await startPostgreSql({
    settings: {
      shared_buffers: '1GB',
      max_wal_size: '4GB',
      wal_buffers: '64MB',
      checkpoint_timeout: '30min',
      maintenance_work_mem: '256MB',
    },
  });
  try {
    const database = await server.createDatabase({ prefix: 'bench' });
    const [[version] = []] = await server.adminQuery('SHOW server_version');
    log(`seeding ${rows.toLocaleString('en-US')} rows...`);
    // The owner seeds over TLS without verification; seeding is not what is measured.
    const owner = {
      host: database.host,
      port: database.port,
      user: database.user,
      password: database.password,
      database: database.database,
      ssl: { rejectUnauthorized: false },
    } as const;
    const checkpoint = async () => {
      // Needs the admin's rights; an external server's admin may lack them.
      await server.adminQuery('CHECKPOINT').catch(() => {});
    };
    const seeded = await seedPostgresql(owner, rows, checkpoint, { onProgress: progressEvery(log) });
    log(
      `  seeded in ${seeded.seconds.toFixed(1)} s, vacuumed and checkpointed in ${seeded.settleSeconds.toFixed(1)} s`,
    );
    // The owner may connect only over TLS; its plain member (same tables) is the login when TLS is DISABLED.
    const login =
      tlsMode === 'DISABLED'
        ? { user: database.plainUser, password: database.plainPassword }
        : { user: database.user, password: database.password };
    const secretArn = secretArnFor(`bench-${database.database}`);
    secrets.putSecret(secretArn, { username: login.user, password: login.password });
    const connection = {
      ...owner,
      ...login,
      ssl: tlsMode === 'DISABLED' ? (false as const) : ({ rejectUnauthorized: false } as const),
    };
    return {
      target: {
        engine: 'POSTGRESQL',
        host: database.host,
        port: database.port,
        database: database.database,
        secretArn,
        tlsMode,
      },
      driver: postgresqlDriver(connection),
      values: postgresqlValues,
      version: version ?? 'unknown',
      seeded,
      stop: () => server.stop(),
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
