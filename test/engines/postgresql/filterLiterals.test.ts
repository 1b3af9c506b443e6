/**
 * PostgreSQL through the BUILT bundle: a filter literal (or a RetrieveData id) that the column's own type cannot
 * read — `''` for a time, `'nope'` for a uuid, `'2'` for a bit(1), `'x'` for an inet — is the request's mistake:
 * InvalidArgument, like any other bad literal, never a database error (ClientError). Literals the type reads still
 * compare as that type. Found by the fuzz run on PostgreSQL (fuzz/run.ts --engine postgresql, property filters).
 */
import test from 'ava';
import { secretArnFor } from '../../support/events';
import { type ConnectorBundle, invoke, loadHandler } from '../../support/lambda';
import { type PostgreSqlDatabase, type PostgreSqlServer, startThrowawayPostgreSql } from '../../support/postgresql';
import { type SecretsEndpoint, startSecretsEndpoint } from '../../support/secretsEndpoint';

let server: PostgreSqlServer;
let db: PostgreSqlDatabase;
let secrets: SecretsEndpoint;
let bundle: ConnectorBundle;
const secretArn = secretArnFor('postgresql-filter-literals');

test.before(async () => {
  secrets = await startSecretsEndpoint();
  secrets.exportEnvironment();
  server = await startThrowawayPostgreSql();
  db = await server.createDatabase();
  await db.query(`
    CREATE TABLE typed (id uuid PRIMARY KEY, at time NOT NULL, flag bit(1) NOT NULL, host inet NOT NULL);
    INSERT INTO typed VALUES ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '12:30:00', B'1', '192.0.2.1'),
                             ('b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12', '08:00:00', B'0', '198.51.100.7');
  `);
  secrets.putSecret(secretArn, { username: db.user, password: db.password });
  bundle = loadHandler();
});

test.after.always(async () => {
  await bundle?.shutdown();
  await server?.stop();
  await secrets?.close();
});

function connectorContext() {
  return {
    connectorRuntimeSettings: {
      engine: 'POSTGRESQL',
      host: db.host,
      port: String(db.port),
      database: db.database,
      schema: 'public',
      tlsMode: 'REQUIRED',
    },
    credentials: { secretArn, authenticationType: 'BasicAuth' },
    apiVersion: 'v1',
    flowName: 'pg-flow',
    executionId: '3f0f6e4c-9b7a-4d7e-8a53-2b1c0d9e7f13',
    connectorProfileLabel: 'pg-profile',
    entityDefinition: null,
  };
}

interface Answer {
  isSuccess: boolean;
  errorDetails: { errorCode: string; errorMessage: string } | null;
  records?: string[] | null;
}

const query = (filterExpression: string) =>
  invoke<Answer>(bundle, {
    type: 'QueryDataRequest',
    entityIdentifier: 'typed',
    selectedFieldNames: ['id'],
    filterExpression,
    maxResults: 100,
    nextToken: null,
    connectorContext: connectorContext(),
  });

for (const filter of [
  "at > ''",
  "id = 'nope'",
  "flag IN ('2')",
  "host = 'x'",
  // Rejected at bind time, whatever the rest of the filter selects.
  "id = null AND flag != ' '",
]) {
  test(`QueryData: ${filter} is InvalidArgument, not a database error`, async (t) => {
    const answer = await query(filter);
    t.like(answer, { isSuccess: false, errorDetails: { errorCode: 'InvalidArgument' } }, JSON.stringify(answer));
    t.false(JSON.stringify(answer).includes("'"), 'the message does not quote the literal');
  });
}

test('QueryData: literals the column type reads still compare as that type', async (t) => {
  const ids = async (filter: string) =>
    ((await query(filter)).records ?? []).map((record) => (JSON.parse(record) as { id: string }).id);
  t.deepEqual(await ids("at > '09:00'"), ['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11']);
  t.deepEqual(await ids("flag = '0'"), ['b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12']);
  t.deepEqual(await ids("id = 'B0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A12'"), ['b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12']);
});

test('RetrieveData: an id the key type cannot read is InvalidArgument', async (t) => {
  const answer = await invoke<Answer>(bundle, {
    type: 'RetrieveDataRequest',
    entityIdentifier: 'typed',
    selectedFieldNames: null,
    idFieldName: 'id',
    ids: ['nope'],
    connectorContext: connectorContext(),
  });
  t.like(answer, { isSuccess: false, errorDetails: { errorCode: 'InvalidArgument' } }, JSON.stringify(answer));
});
