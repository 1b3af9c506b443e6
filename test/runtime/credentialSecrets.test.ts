/**
 * The profile's secret as AppFlow hands it over when it creates a profile: possibly not visible in Secrets Manager
 * for a moment (ValidateCredentials runs right then), and for IAM profiles in a layout AWS does not document. Runs
 * through the built bundle against the throwaway MariaDB and the loopback Secrets Manager.
 */
import { Signer } from '@aws-sdk/rds-signer';
import test from 'ava';
import { registerTestSecret } from '../../local/secretRegistry';
import { type ConnectorStage, startConnectorStage } from '../support/environment';
import { secretArnFor, validateCredentialsEvent } from '../support/events';
import { invoke } from '../support/lambda';

let stage: ConnectorStage;

test.before(async () => {
  stage = await startConnectorStage();
});
test.after.always(async () => {
  await stage?.teardown();
});

test('a secret Secrets Manager does not show yet is asked for again, and the credentials validate', async (t) => {
  const arn = secretArnFor('just-created');
  stage.secrets.putSecret(arn, { username: stage.database.user, password: stage.database.password });
  stage.secrets.notFoundFor(arn, 2);

  const started = Date.now();
  const response = await invoke(stage.bundle, validateCredentialsEvent({ ...stage.target, secretArn: arn }));
  t.deepEqual(response, { isSuccess: true, errorDetails: null });
  t.is(stage.secrets.calls(arn), 3, 'not found twice, then the secret');
  t.true(Date.now() - started < 10_000);
});

test('a secret that never appears → ResourceNotFoundError within the 10-second budget', async (t) => {
  const arn = secretArnFor('never-created');
  const started = Date.now();
  const response = await invoke(stage.bundle, validateCredentialsEvent({ ...stage.target, secretArn: arn }));
  const elapsed = Date.now() - started;
  t.like(response, { isSuccess: false, errorDetails: { errorCode: 'ResourceNotFoundError' } });
  t.true(stage.secrets.calls(arn) > 1, 'asked again before giving up');
  t.true(elapsed < 10_000, `answered after ${elapsed} ms`);
});

test('the retries stop early enough for a Lambda with little time left', async (t) => {
  const arn = secretArnFor('late');
  stage.secrets.putSecret(arn, { username: stage.database.user, password: stage.database.password });
  stage.secrets.notFoundFor(arn, 10);
  const started = Date.now();
  // 5 s left in the Lambda: the deadline is 2 s after the safety margin, the reserve for the database 2 s.
  const response = await invoke(stage.bundle, validateCredentialsEvent({ ...stage.target, secretArn: arn }), 5_000);
  t.like(response, { isSuccess: false, errorDetails: { errorCode: 'ResourceNotFoundError' } });
  t.true(Date.now() - started < 2_000);
});

/**
 * A CustomAuth ValidateCredentials for `user`, whose secret holds `secret`. MariaDB cannot verify RDS tokens, so the
 * user's password is set to the token the connector will sign (deterministic within one second, see iamAuth.test.ts).
 */
async function validateIam(user: string, secret: Record<string, string>): Promise<Record<string, unknown>> {
  await stage.server.adminQuery(`CREATE USER ?@'%' IDENTIFIED BY 'placeholder' REQUIRE SSL`, [user]);
  await stage.server.adminQuery(`GRANT SELECT ON \`${stage.database.database}\`.* TO ?@'%'`, [user]);
  const arn = secretArnFor(`iam-${user}`);
  stage.secrets.putSecret(arn, secret);
  const event = {
    ...validateCredentialsEvent({ ...stage.target, secretArn: arn }),
    credentials: { secretArn: arn, authenticationType: 'CustomAuth' },
  };
  let response: Record<string, unknown> = {};
  for (let attempt = 0; attempt < 5 && response.isSuccess !== true; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 5));
    const token = await new Signer({
      hostname: stage.target.host,
      port: stage.target.port,
      username: user,
      region: 'us-east-1',
    }).getAuthToken();
    registerTestSecret(token);
    await stage.server.adminQuery(`ALTER USER ?@'%' IDENTIFIED BY ?`, [user, token]);
    response = await invoke(stage.bundle, event);
    // A failure other than a token from another second (InvalidCredentials) will not heal by retrying.
    if ((response.errorDetails as { errorCode?: string } | null)?.errorCode !== 'InvalidCredentials') break;
  }
  return response;
}

test.serial('a CustomAuth profile whose secret holds only the user name logs in with IAM', async (t) => {
  t.deepEqual(await validateIam('iam_flat', { username: 'iam_flat' }), { isSuccess: true, errorDetails: null });
});

test.serial('a CustomAuth profile whose secret names customAuthenticationType IAM logs in with IAM', async (t) => {
  t.deepEqual(await validateIam('iam_typed', { customAuthenticationType: 'IAM', username: 'iam_typed' }), {
    isSuccess: true,
    errorDetails: null,
  });
});

test('a CustomAuth profile of another custom type is refused, naming the supported one', async (t) => {
  const arn = secretArnFor('kerberos');
  stage.secrets.putSecret(arn, { customAuthenticationType: 'KERBEROS', username: 'someone' });
  const response = await invoke(stage.bundle, {
    ...validateCredentialsEvent({ ...stage.target, secretArn: arn }),
    credentials: { secretArn: arn, authenticationType: 'CustomAuth' },
  });
  t.like(response, { isSuccess: false, errorDetails: { errorCode: 'InvalidCredentials' } });
  t.regex(JSON.stringify(response), /supports IAM/);
});
