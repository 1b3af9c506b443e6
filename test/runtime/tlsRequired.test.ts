/**
 * tlsMode REQUIRED (the default) means encrypted or nothing: against a server that offers no TLS at all the
 * connection fails with ClientError ("TLS refused", README errors table), and the credentials are never sent in
 * clear text. The same server is reachable with tlsMode DISABLED, so the refusal is about TLS, not the login.
 * Both engines, each on a throwaway server started without TLS.
 */
import test from 'ava';
import { type ConnectionTarget, secretArnFor, validateCredentialsEvent } from '../support/events';
import { type ConnectorBundle, invoke, loadHandler } from '../support/lambda';
import { type MariaDbServer, startMariaDb } from '../support/mariadb';
import { type PostgreSqlServer, startThrowawayPostgreSql } from '../support/postgresql';
import { type SecretsEndpoint, startSecretsEndpoint } from '../support/secretsEndpoint';

interface Answer {
  isSuccess: boolean;
  errorDetails: { errorCode: string; errorMessage: string; retryAfterSeconds?: number | null } | null;
}

let secrets: SecretsEndpoint;
let bundle: ConnectorBundle;
let mariaDb: MariaDbServer;
let postgreSql: PostgreSqlServer;
const targets: Record<string, ConnectionTarget> = {};

test.before(async () => {
  secrets = await startSecretsEndpoint();
  secrets.exportEnvironment();
  mariaDb = await startMariaDb({ tls: { enabled: false } });
  const mysqlDatabase = await mariaDb.createDatabase({ requireTls: false });
  const mysqlArn = secretArnFor('tls-required-mysql');
  secrets.putSecret(mysqlArn, { username: mysqlDatabase.user, password: mysqlDatabase.password });
  targets.MYSQL = {
    host: '127.0.0.1',
    port: mysqlDatabase.port,
    database: mysqlDatabase.database,
    secretArn: mysqlArn,
  };

  postgreSql = await startThrowawayPostgreSql({ tls: { enabled: false } });
  const postgresDatabase = await postgreSql.createDatabase();
  const postgresArn = secretArnFor('tls-required-postgresql');
  secrets.putSecret(postgresArn, { username: postgresDatabase.user, password: postgresDatabase.password });
  targets.POSTGRESQL = {
    host: '127.0.0.1',
    port: postgresDatabase.port,
    database: postgresDatabase.database,
    secretArn: postgresArn,
    engine: 'POSTGRESQL',
    schema: 'public',
  };
  bundle = loadHandler();
});

test.after.always(async () => {
  await bundle?.shutdown();
  await mariaDb?.stop();
  await postgreSql?.stop();
  await secrets?.close();
});

for (const engine of ['MYSQL', 'POSTGRESQL']) {
  test(`${engine}: tlsMode REQUIRED fails with ClientError when the server offers no TLS`, async (t) => {
    const target = targets[engine]!;
    // The server really offers no TLS, and the login is good: DISABLED connects.
    t.deepEqual(await invoke<Answer>(bundle, validateCredentialsEvent({ ...target, tlsMode: 'DISABLED' })), {
      isSuccess: true,
      errorDetails: null,
    });
    for (const tlsMode of ['REQUIRED', 'VERIFY_IDENTITY']) {
      const refused = await invoke<Answer>(bundle, validateCredentialsEvent({ ...target, tlsMode }));
      t.is(refused.isSuccess, false, tlsMode);
      t.is(refused.errorDetails?.errorCode, 'ClientError', tlsMode);
      t.regex(refused.errorDetails?.errorMessage ?? '', /TLS|SSL|secure/i, tlsMode);
    }
  });
}
