/**
 * tlsMode VERIFY_IDENTITY trusts a CA named by the Lambda's NODE_EXTRA_CA_CERTS (a private CA in front of the
 * database), besides the system's and Amazon RDS's: Node itself ignores that file once a pool passes its own `ca`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { type ConnectorStage, startConnectorStage } from '../support/environment';
import { validateCredentialsEvent } from '../support/events';
import { invoke } from '../support/lambda';

let stage: ConnectorStage;
let directory: string;

test.before(async () => {
  stage = await startConnectorStage({ seed: false });
  directory = mkdtempSync(join(tmpdir(), 'extra-ca-'));
});

test.after.always(async () => {
  delete process.env.NODE_EXTRA_CA_CERTS;
  rmSync(directory, { recursive: true, force: true });
  await stage?.teardown();
});

test.serial('VERIFY_IDENTITY refuses the run CA, then trusts it once NODE_EXTRA_CA_CERTS names its file', async (t) => {
  t.truthy(stage.server.caPem, 'the test server has a CA of its own');
  // Pools are kept per host name: each case connects under its own spelling of the server's address, so the second
  // case opens a new pool with the CAs in effect at that moment.
  delete process.env.NODE_EXTRA_CA_CERTS;
  const refused = await invoke(
    stage.bundle,
    validateCredentialsEvent({ ...stage.target, host: '127.0.0.1', tlsMode: 'VERIFY_IDENTITY' }),
  );
  t.like(refused, { isSuccess: false, errorDetails: { errorCode: 'ClientError' } });
  t.regex((refused.errorDetails as { errorMessage: string }).errorMessage, /certificate/);

  const caFile = join(directory, 'ca.pem');
  writeFileSync(caFile, `# a bundle may hold comments and several certificates\n${stage.server.caPem}`);
  process.env.NODE_EXTRA_CA_CERTS = caFile;
  const trusted = await invoke(
    stage.bundle,
    validateCredentialsEvent({ ...stage.target, host: 'localhost', tlsMode: 'VERIFY_IDENTITY' }),
  );
  t.deepEqual(trusted, { isSuccess: true, errorDetails: null });
});
