/**
 * Settings that point at the wrong thing, through the built bundle: the `engine` setting of one database engine
 * with the `port` of the other one's server, and a `database` the user may not use (which MariaDB does not tell
 * apart from one that does not exist). Each answer names the setting to fix instead of a bare driver error or a
 * time-out.
 */
import test from 'ava';
import { type ConnectionTarget, secretArnFor, validateCredentialsEvent } from '../support/events';
import { invoke, loadHandler } from '../support/lambda';
import { type MariaDbServer, startMariaDb, type TestDatabase } from '../support/mariadb';
import { type PostgreSqlDatabase, type PostgreSqlServer, startThrowawayPostgreSql } from '../support/postgresql';
import { type SecretsEndpoint, startSecretsEndpoint } from '../support/secretsEndpoint';

interface Answer {
  isSuccess: boolean;
  errorDetails: { errorCode: string; errorMessage: string } | null;
}

let secrets: SecretsEndpoint;
let mariadb: MariaDbServer;
let postgresql: PostgreSqlServer;
let mysqlDb: TestDatabase;
let pgDb: PostgreSqlDatabase;
const bundle = loadHandler();
const mysqlSecret = secretArnFor('wrong-target-mysql');
const pgSecret = secretArnFor('wrong-target-pg');

test.before(async () => {
  secrets = await startSecretsEndpoint();
  secrets.exportEnvironment();
  [mariadb, postgresql] = await Promise.all([startMariaDb(), startThrowawayPostgreSql()]);
  [mysqlDb, pgDb] = await Promise.all([mariadb.createDatabase(), postgresql.createDatabase()]);
  secrets.putSecret(mysqlSecret, { username: mysqlDb.user, password: mysqlDb.password });
  secrets.putSecret(pgSecret, { username: pgDb.user, password: pgDb.password });
});
test.after.always(async () => {
  await bundle.shutdown();
  await Promise.all([mariadb?.stop(), postgresql?.stop()]);
  await secrets?.close();
});

const validate = (target: ConnectionTarget) => invoke<Answer>(bundle, validateCredentialsEvent(target));

for (const tlsMode of ['REQUIRED', 'DISABLED']) {
  test(`engine POSTGRESQL with a MariaDB port (tlsMode ${tlsMode}) says the port is no PostgreSQL server`, async (t) => {
    const answer = await validate({
      engine: 'POSTGRESQL',
      host: mysqlDb.host,
      port: mysqlDb.port,
      database: pgDb.database,
      secretArn: pgSecret,
      tlsMode,
    });
    t.false(answer.isSuccess);
    t.is(answer.errorDetails?.errorCode, 'InvalidArgument', answer.errorDetails?.errorMessage);
    t.regex(answer.errorDetails!.errorMessage, /did not answer as PostgreSQL/);
    t.regex(answer.errorDetails!.errorMessage, /check the engine and port settings/);
  });

  test(`engine MYSQL with a PostgreSQL port (tlsMode ${tlsMode}) says the port is no MySQL server`, async (t) => {
    const started = Date.now();
    const answer = await validate({
      engine: 'MYSQL',
      host: pgDb.host,
      port: pgDb.port,
      database: mysqlDb.database,
      secretArn: mysqlSecret,
      tlsMode,
    });
    t.false(answer.isSuccess);
    // Retryable: a MySQL server too busy to greet looks the same from here, and must not stop a flow for good.
    t.is(answer.errorDetails?.errorCode, 'ServiceUnavailable', answer.errorDetails?.errorMessage);
    t.regex(answer.errorDetails!.errorMessage, /did not answer as MySQL/);
    t.regex(answer.errorDetails!.errorMessage, /no MySQL handshake/);
    t.regex(answer.errorDetails!.errorMessage, /check the engine and port settings/);
    t.log(`answered after ${Date.now() - started} ms`);
  });
}

test('a database the user may not use, or that does not exist, is AccessDenied naming the database setting', async (t) => {
  const answer = await validate({
    host: mysqlDb.host,
    port: mysqlDb.port,
    database: `${mysqlDb.database}_missing`,
    secretArn: mysqlSecret,
  });
  t.false(answer.isSuccess);
  t.is(answer.errorDetails?.errorCode, 'AccessDenied', answer.errorDetails?.errorMessage);
  t.regex(answer.errorDetails!.errorMessage, /does not exist or the user may not use it/);
  t.regex(answer.errorDetails!.errorMessage, /`database` setting/);
});
