/**
 * tlsMode VERIFY_IDENTITY refuses a certificate that a trusted CA signed for another name (issue 17 item 1), on
 * both engines, for a host given by name and by IP address. Each engine gets two throwaway servers whose CAs the
 * connector trusts (NODE_EXTRA_CA_CERTS):
 * - one whose certificate names `localhost` but the IP address 127.0.0.2 (not 127.0.0.1),
 * - one whose certificate names 127.0.0.1 but the DNS name db.elsewhere.test (not localhost).
 * So each spelling of the same loopback address is accepted by one server and refused by the other: only a check
 * of the name against the certificate tells them apart (a chain check alone accepts all four).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { type ConnectionTarget, secretArnFor, validateCredentialsEvent } from '../support/events';
import { type ConnectorBundle, invoke, loadHandler } from '../support/lambda';
import { type MariaDbServer, startMariaDb } from '../support/mariadb';
import { type PostgreSqlServer, startThrowawayPostgreSql } from '../support/postgresql';
import { type SecretsEndpoint, startSecretsEndpoint } from '../support/secretsEndpoint';

/** localhost is right, 127.0.0.1 is not. */
const NAMES_LOCALHOST = ['DNS:localhost', 'IP:127.0.0.2'];
/** 127.0.0.1 is right, localhost is not. */
const NAMES_LOOPBACK_IP = ['DNS:db.elsewhere.test', 'IP:127.0.0.1'];

interface Answer {
  isSuccess: boolean;
  errorDetails: { errorCode: string; errorMessage: string } | null;
}

let secrets: SecretsEndpoint;
let bundle: ConnectorBundle;
let directory: string;
const mariaDbServers: MariaDbServer[] = [];
const postgreSqlServers: PostgreSqlServer[] = [];
/** Per engine and certificate: the connection target (its host replaced per case). */
const targets = new Map<string, ConnectionTarget>();

test.before(async () => {
  secrets = await startSecretsEndpoint();
  secrets.exportEnvironment();
  directory = mkdtempSync(join(tmpdir(), 'tls-identity-'));
  const caPems: string[] = [];
  for (const [label, names] of [
    ['localhost', NAMES_LOCALHOST],
    ['ip', NAMES_LOOPBACK_IP],
  ] as const) {
    const mariaDb = await startMariaDb({ tls: { certificateNames: names } });
    mariaDbServers.push(mariaDb);
    const mariaDbDatabase = await mariaDb.createDatabase();
    const mysqlArn = secretArnFor(`tls-identity-mysql-${label}`);
    secrets.putSecret(mysqlArn, { username: mariaDbDatabase.user, password: mariaDbDatabase.password });
    targets.set(`MYSQL ${label}`, {
      host: '127.0.0.1',
      port: mariaDbDatabase.port,
      database: mariaDbDatabase.database,
      secretArn: mysqlArn,
      tlsMode: 'VERIFY_IDENTITY',
    });

    const postgreSql = await startThrowawayPostgreSql({ tls: { certificateNames: names } });
    postgreSqlServers.push(postgreSql);
    const postgreSqlDatabase = await postgreSql.createDatabase();
    const postgresArn = secretArnFor(`tls-identity-postgresql-${label}`);
    secrets.putSecret(postgresArn, { username: postgreSqlDatabase.user, password: postgreSqlDatabase.password });
    targets.set(`POSTGRESQL ${label}`, {
      host: '127.0.0.1',
      port: postgreSqlDatabase.port,
      database: postgreSqlDatabase.database,
      secretArn: postgresArn,
      tlsMode: 'VERIFY_IDENTITY',
      engine: 'POSTGRESQL',
      schema: 'public',
    });
    for (const pem of [mariaDb.caPem, postgreSql.caPem]) {
      if (pem === null) throw new Error('a throwaway server has no CA');
      caPems.push(pem);
    }
  }
  // Every CA is trusted: a refusal can only come from the name.
  const caFile = join(directory, 'cas.pem');
  writeFileSync(caFile, caPems.join('\n'));
  process.env.NODE_EXTRA_CA_CERTS = caFile;
  bundle = loadHandler();
});

test.after.always(async () => {
  delete process.env.NODE_EXTRA_CA_CERTS;
  await bundle?.shutdown();
  for (const server of mariaDbServers) await server.stop();
  for (const server of postgreSqlServers) await server.stop();
  await secrets?.close();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

async function validate(engine: string, certificate: string, host: string): Promise<Answer> {
  const target = targets.get(`${engine} ${certificate}`);
  if (!target) throw new Error(`no server for ${engine} ${certificate}`);
  return invoke<Answer>(bundle, validateCredentialsEvent({ ...target, host }));
}

for (const engine of ['MYSQL', 'POSTGRESQL']) {
  test(`${engine}: VERIFY_IDENTITY accepts a trusted certificate that names the host (DNS name, IP address)`, async (t) => {
    t.deepEqual(await validate(engine, 'localhost', 'localhost'), { isSuccess: true, errorDetails: null });
    t.deepEqual(await validate(engine, 'ip', '127.0.0.1'), { isSuccess: true, errorDetails: null });
  });

  test(`${engine}: VERIFY_IDENTITY refuses a trusted certificate issued to another DNS name`, async (t) => {
    const refused = await validate(engine, 'ip', 'localhost');
    t.is(refused.isSuccess, false);
    t.is(refused.errorDetails?.errorCode, 'ClientError');
    t.regex(refused.errorDetails?.errorMessage ?? '', /certificate/i);
    t.regex(refused.errorDetails?.errorMessage ?? '', /localhost/);
  });

  test(`${engine}: VERIFY_IDENTITY refuses a trusted certificate whose IP address SAN is another address`, async (t) => {
    const refused = await validate(engine, 'localhost', '127.0.0.1');
    t.is(refused.isSuccess, false);
    t.is(refused.errorDetails?.errorCode, 'ClientError');
    t.regex(refused.errorDetails?.errorMessage ?? '', /certificate/i);
    t.regex(refused.errorDetails?.errorMessage ?? '', /127\.0\.0\.1/);
  });
}
