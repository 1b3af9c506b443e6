/** The benchmark's MariaDB stage: a throwaway server tuned for the load, seeded by seed.ts, read through mysql2. */
import { startMariaDb } from '../local/mariadb';
import { secretArnFor } from './connector';
import { mysqlDriver } from './mysqlDriver';
import { COLUMNS, generateRow, seed } from './seed';
import { progressEvery, type Stage, type StageOptions } from './stage';

export async function mysqlStage({ rows, tlsMode, secrets, log }: StageOptions): Promise<Stage> {
  const server = await startMariaDb({
    extraArgs: [
      '--innodb-buffer-pool-size=1G',
      '--innodb-log-file-size=512M',
      '--innodb-log-buffer-size=64M',
      '--max-allowed-packet=64M',
      '--innodb-doublewrite=0',
      // Flush the freshly loaded pages quickly (the default assumes a 200-IOPS disk), see seed.ts settle().
      '--innodb-io-capacity=20000',
      '--innodb-io-capacity-max=40000',
    ],
  });
  try {
    const database = await server.createDatabase({ prefix: 'bench', requireTls: tlsMode !== 'DISABLED' });
    const versionRows = (await server.adminQuery('SELECT VERSION() AS version')) as { version: string }[];
    log(`seeding ${rows.toLocaleString('en-US')} rows...`);
    const seeded = await seed({ ...server.admin, database: database.database }, rows, {
      onProgress: progressEvery(log),
    });
    log(`  seeded in ${seeded.seconds.toFixed(1)} s, flushed in ${seeded.settleSeconds.toFixed(1)} s`);
    const secretArn = secretArnFor(`bench-${database.database}`);
    secrets.putSecret(secretArn, { username: database.user, password: database.password });
    const connection = {
      host: database.host,
      port: database.port,
      user: database.user,
      password: database.password,
      database: database.database,
      ...(tlsMode === 'DISABLED' ? {} : { ssl: { rejectUnauthorized: false, minVersion: 'TLSv1.2' } }),
    };
    return {
      target: { host: database.host, port: database.port, database: database.database, secretArn, tlsMode },
      driver: mysqlDriver(connection),
      values: (id, variant) => {
        const row = generateRow(id, variant);
        return COLUMNS.map((column) => row[column]);
      },
      version: versionRows[0]?.version ?? 'unknown',
      seeded,
      stop: () => server.stop(),
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
