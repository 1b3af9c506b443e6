/**
 * IAM database authentication. MariaDB cannot verify RDS tokens, but it can check a password: the test makes the
 * database user's password equal to the token the connector will sign (SigV4 tokens are deterministic within one
 * second for the same credentials, host, port, user and region), so the whole path — secret → signer → TLS login
 * with the token — runs for real.
 */
import { Signer } from '@aws-sdk/rds-signer';
import test from 'ava';
import { RdsIamTokenSource } from '../../handler/iamAuth';
import { registerTestSecret } from '../../local/secretRegistry';
import { type ConnectorStage, startConnectorStage } from '../support/environment';
import { queryDataEvent, secretArnFor, validateCredentialsEvent } from '../support/events';
import { capturedLogs, invoke } from '../support/lambda';

let stage: ConnectorStage;
const IAM_USER = 'iam_reader';
const IAM_ARN = secretArnFor('iam');

test.before(async () => {
  stage = await startConnectorStage();
  await stage.server.adminQuery(`CREATE USER ?@'%' IDENTIFIED BY 'placeholder' REQUIRE SSL`, [IAM_USER]);
  await stage.server.adminQuery(`GRANT SELECT ON \`${stage.database.database}\`.* TO ?@'%'`, [IAM_USER]);
  stage.secrets.putSecret(IAM_ARN, { customAuthenticationType: 'IAM', username: IAM_USER });
});
test.after.always(async () => {
  await stage?.teardown();
});

const iamEvent = (event: { connectorContext?: unknown; credentials?: unknown }) => {
  const credentials = { secretArn: IAM_ARN, authenticationType: 'CustomAuth' };
  if (event.credentials) return { ...event, credentials };
  return { ...event, connectorContext: { ...(event.connectorContext as object), credentials } };
};

test('tokens are presigned rds-db:connect URLs for the user, reused for 10 minutes', async (t) => {
  let now = 1_700_000_000_000;
  const source = new RdsIamTokenSource(
    () => 'eu-west-1',
    () => now,
  );
  const request = { host: 'db.example.com', port: 3306, username: 'reader' };
  const token = await source.get(request);
  t.regex(token, /^db\.example\.com:3306\/\?Action=connect&DBUser=reader&X-Amz-Algorithm=AWS4-HMAC-SHA256&/);
  t.regex(token, /X-Amz-Credential=AKIDTESTTESTTEST%2F\d{8}%2Feu-west-1%2Frds-db%2Faws4_request/);
  t.regex(token, /X-Amz-Expires=900/);
  t.is(await source.get(request), token, 'cached');
  now += 10 * 60_000 + 1;
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  t.not(await source.get(request), token, 'renewed before the 15-minute life ends');
});

test.serial('the connector logs in with a signed token over TLS, and never logs the token', async (t) => {
  let response: Record<string, unknown> = {};
  let token = '';
  for (let attempt = 0; attempt < 5 && response.isSuccess !== true; attempt++) {
    // Start at the beginning of a second, so that the test and the connector sign within the same one.
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 5));
    token = await new Signer({
      hostname: stage.target.host,
      port: stage.target.port,
      username: IAM_USER,
      region: 'us-east-1',
    }).getAuthToken();
    registerTestSecret(token);
    await stage.server.adminQuery(`ALTER USER ?@'%' IDENTIFIED BY ?`, [IAM_USER, token]);
    response = await invoke(stage.bundle, iamEvent(validateCredentialsEvent(stage.target)));
  }
  t.deepEqual(response, { isSuccess: true, errorDetails: null });
  const read = await invoke(
    stage.bundle,
    iamEvent(queryDataEvent(stage.target, 'customers', { selectedFieldNames: ['email'] })),
  );
  t.deepEqual(read.records, ['{"email":"ada@example.com"}', '{"email":"grace@example.com"}']);
  t.false(capturedLogs().includes(token));
  t.false(capturedLogs().includes('X-Amz-Signature'));
});

test.serial('a token the database rejects → InvalidCredentials, without the token in the message', async (t) => {
  await stage.server.adminQuery(`ALTER USER ?@'%' IDENTIFIED BY 'not-a-token'`, [IAM_USER]);
  const sessions = (await stage.server.adminQuery(
    'SELECT ID AS id FROM information_schema.PROCESSLIST WHERE USER = ?',
    [IAM_USER],
  )) as { id: number }[];
  for (const { id } of sessions) await stage.server.adminQuery(`KILL CONNECTION ${Number(id)}`);
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  const response = await invoke(stage.bundle, iamEvent(validateCredentialsEvent(stage.target)));
  t.like(response, { isSuccess: false, errorDetails: { errorCode: 'InvalidCredentials' } });
  t.false(JSON.stringify(response).includes('X-Amz'));
});

test('IAM authentication refuses tlsMode DISABLED', async (t) => {
  const response = await invoke(
    stage.bundle,
    iamEvent(validateCredentialsEvent({ ...stage.target, tlsMode: 'DISABLED' })),
  );
  t.like(response, { isSuccess: false, errorDetails: { errorCode: 'InvalidArgument' } });
  t.regex((response.errorDetails as { errorMessage: string }).errorMessage, /needs TLS/);
});

test('a custom authentication type other than IAM is refused clearly', async (t) => {
  const arn = secretArnFor('custom-other');
  stage.secrets.putSecret(arn, { customAuthenticationType: 'JDBC', username: 'x', password: 'y' });
  const response = await invoke(stage.bundle, {
    ...validateCredentialsEvent(stage.target),
    credentials: { secretArn: arn, authenticationType: 'CustomAuth' },
  });
  t.like(response, { isSuccess: false, errorDetails: { errorCode: 'InvalidCredentials' } });
  t.regex((response.errorDetails as { errorMessage: string }).errorMessage, /supports IAM/);
});
