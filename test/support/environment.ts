/**
 * The whole stage for a runtime test file: a throwaway MariaDB with the fixture schema, a second database that must
 * stay invisible, the local Secrets Manager endpoint holding the database user's secret, and the built bundle.
 */
import type { ConnectionTarget } from './events';
import { secretArnFor } from './events';
import { seedFixtures, seedOtherDatabase } from './fixtures';
import { type ConnectorBundle, loadHandler } from './lambda';
import { type MariaDbServer, startMariaDb, type TestDatabase } from './mariadb';
import { type SecretsEndpoint, startSecretsEndpoint } from './secretsEndpoint';

export interface ConnectorStage {
  readonly server: MariaDbServer;
  readonly database: TestDatabase;
  readonly otherDatabase: TestDatabase;
  readonly secrets: SecretsEndpoint;
  readonly bundle: ConnectorBundle;
  /** Settings and secret ARN pointing at `database`. */
  readonly target: ConnectionTarget;
  teardown(): Promise<void>;
}

/**
 * `secrets`: an endpoint already serving this process (the AWS endpoint variables are process-wide, so stages of
 * two engines in one file share one); it is then neither exported again nor closed at teardown.
 */
export async function startConnectorStage(
  options: { seed?: boolean; secrets?: SecretsEndpoint } = {},
): Promise<ConnectorStage> {
  const secrets = options.secrets ?? (await startSecretsEndpoint());
  if (!options.secrets) secrets.exportEnvironment();
  const server = await startMariaDb();
  const database = await server.createDatabase();
  if (options.seed ?? true) await seedFixtures(database);
  const otherDatabase = await seedOtherDatabase(server);
  const secretArn = secretArnFor(`conn-${database.database}`);
  secrets.putSecret(secretArn, { username: database.user, password: database.password });
  const bundle = loadHandler();
  const target: ConnectionTarget = { host: database.host, port: database.port, database: database.database, secretArn };
  return {
    server,
    database,
    otherDatabase,
    secrets,
    bundle,
    target,
    async teardown() {
      await bundle.shutdown();
      await server.stop();
      if (!options.secrets) await secrets.close();
    },
  };
}
