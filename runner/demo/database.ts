/**
 * The demo's database: a throwaway MariaDB (local/mariadb.ts; TEST_MYSQL_URL selects an existing server instead)
 * with one database, a user with an awkward password, and the seeded demo schema. Everything is removed at the end.
 */
import { startMariaDb } from '../../local/mariadb';
import { TargetError } from '../errors';
import { seedDemo } from './schema';

export interface DemoDatabase {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string;
  stop(): Promise<void>;
}

export async function startDemoDatabase(): Promise<DemoDatabase> {
  let server: Awaited<ReturnType<typeof startMariaDb>>;
  try {
    server = await startMariaDb();
  } catch (error) {
    throw new TargetError(
      `the demo could not start its throwaway MariaDB: ${(error as Error).message.split('\n')[0]}`,
      {
        cause: error,
      },
    );
  }
  try {
    const database = await server.createDatabase({ prefix: 'appflow_demo' });
    await seedDemo((sql, params) => database.query(sql, params));
    return {
      host: database.host,
      port: database.port,
      database: database.database,
      user: database.user,
      password: database.password,
      stop: () => server.stop(),
    };
  } catch (error) {
    await server.stop();
    throw new TargetError(`the demo could not seed its database: ${(error as Error).message}`, { cause: error });
  }
}
