import test from 'ava';
import { isRight } from 'fp-ts/Either';
import {
  DescribeConnectorConfigurationResponse,
  ValidateConnectorRuntimeSettingsResponse,
} from '../../handler/protocol/codecs';
import { describeConnectorConfigurationEvent, validateConnectorRuntimeSettingsEvent } from '../support/events';
import { invoke, loadHandler } from '../support/lambda';

const bundle = loadHandler();

test('DescribeConnectorConfiguration declares both modes, BasicAuth, the four write operations and the runtime settings', async (t) => {
  const response = await invoke(bundle, describeConnectorConfigurationEvent());
  t.true(isRight(DescribeConnectorConfigurationResponse.decode(response)));
  t.is(response.isSuccess, true);
  t.is(response.errorDetails, null);
  t.false('type' in response);
  t.deepEqual(response.connectorModes, ['SOURCE', 'DESTINATION']);
  t.deepEqual(response.supportedWriteOperations, ['INSERT', 'UPDATE', 'UPSERT', 'DELETE']);
  t.deepEqual(response.supportedTriggerTypes, ['SCHEDULED', 'ONDEMAND']);
  t.deepEqual(response.supportedApiVersions, ['v1']);
  t.deepEqual(response.supportedDataTransferTypes, ['RECORD']);
  t.like(response.authenticationConfig, { isBasicAuthSupported: true, isCustomAuthSupported: true });
  const [iam] = (
    response.authenticationConfig as {
      customAuthConfig: { authenticationType: string; authParameters: { key: string }[] }[];
    }
  ).customAuthConfig;
  t.is(iam!.authenticationType, 'IAM');
  t.deepEqual(
    iam!.authParameters.map((parameter) => parameter.key),
    ['username'],
  );
  const settings = response.connectorRuntimeSetting as {
    key: string;
    label: string;
    description: string;
    scope: string;
    required: boolean;
  }[];
  t.deepEqual(
    settings.map((setting) => [setting.key, setting.scope, setting.required]),
    [
      ['engine', 'CONNECTOR_PROFILE', false],
      ['host', 'CONNECTOR_PROFILE', true],
      ['port', 'CONNECTOR_PROFILE', false],
      ['database', 'CONNECTOR_PROFILE', true],
      ['schema', 'CONNECTOR_PROFILE', false],
      ['tlsMode', 'CONNECTOR_PROFILE', false],
    ],
  );
  for (const setting of settings) {
    t.true(setting.label.length > 0 && setting.description.length > 10, setting.key);
  }
  // AppFlow's API allows only these characters in a runtime setting's or an auth parameter's description, at most
  // 1024 (API_ConnectorRuntimeSetting.html, API_AuthParameter.html): a comma or a colon there is not what AppFlow
  // stores for the connector.
  const appflowDescription = /^[\s\w/!@#+=.-]{0,1024}$/;
  const parameters = (
    response.authenticationConfig as { customAuthConfig: { authParameters: { key: string; description: string }[] }[] }
  ).customAuthConfig.flatMap((config) => config.authParameters);
  for (const { key, description } of [...settings, ...parameters]) {
    t.regex(description, appflowDescription, key);
  }
  // AppFlow reserves names starting with aws, amazon or appflow.
  for (const name of [response.connectorOwner, response.connectorName] as string[]) {
    t.false(/^(aws|amazon|appflow)/i.test(name), name);
  }
});

test('ValidateConnectorRuntimeSettings accepts good settings and names every bad one', async (t) => {
  const good = await invoke(
    bundle,
    validateConnectorRuntimeSettingsEvent({
      host: 'db.example.com',
      port: '3307',
      database: 'hr',
      tlsMode: 'VERIFY_IDENTITY',
    }),
  );
  t.deepEqual(good, { isSuccess: true, errorDetails: null, errorsByInputField: null });

  const ipv6 = await invoke(bundle, validateConnectorRuntimeSettingsEvent({ host: '[2001:db8::1]', database: 'hr' }));
  t.is(ipv6.isSuccess, true);

  const bad = await invoke(
    bundle,
    validateConnectorRuntimeSettingsEvent({
      host: 'bad host!',
      port: '70000',
      database: '',
      tlsMode: 'required',
      extra: 'x',
    }),
  );
  t.true(isRight(ValidateConnectorRuntimeSettingsResponse.decode(bad)));
  t.is(bad.isSuccess, false);
  t.deepEqual(Object.keys(bad.errorsByInputField as object).sort(), ['database', 'extra', 'host', 'port', 'tlsMode']);
  t.like(bad.errorDetails, { errorCode: 'InvalidArgument' });
  t.regex((bad.errorsByInputField as Record<string, string>).port!, /1 to 65535/);
  t.regex((bad.errorsByInputField as Record<string, string>).tlsMode!, /DISABLED, REQUIRED, VERIFY_IDENTITY/);
});

test('ValidateConnectorRuntimeSettings refuses database names MySQL cannot have', async (t) => {
  for (const database of ['db\u{1F600}', '\t\n', 'x'.repeat(65), 'trailing ']) {
    const response = await invoke(bundle, validateConnectorRuntimeSettingsEvent({ host: 'db', database }));
    t.is(response.isSuccess, false, JSON.stringify(database));
    t.truthy((response.errorsByInputField as Record<string, string>).database);
  }
});

test('ValidateConnectorRuntimeSettings for a flow scope rejects connection settings there', async (t) => {
  const empty = await invoke(bundle, validateConnectorRuntimeSettingsEvent({}, 'SOURCE'));
  t.is(empty.isSuccess, true);
  const misplaced = await invoke(bundle, validateConnectorRuntimeSettingsEvent({ host: 'db' }, 'DESTINATION'));
  t.is(misplaced.isSuccess, false);
  t.truthy((misplaced.errorsByInputField as Record<string, string>).host);
});

test('an unknown or missing type fails the invocation, as the official SDKs do', async (t) => {
  await t.throwsAsync(() => bundle.handler({ type: 'QueryData' }), {
    message: /unsupported AppFlow request type: "QueryData"/,
  });
  await t.throwsAsync(() => bundle.handler({}), { message: /unsupported AppFlow request type: missing/ });
  await t.throwsAsync(() => bundle.handler(null), { message: /unsupported/ });
  await t.throwsAsync(() => bundle.handler({ type: 'constructor' }), { message: /unsupported/ });
});

test('a known type with a malformed body is answered with InvalidArgument naming the property', async (t) => {
  const response = await invoke(bundle, { type: 'QueryDataRequest', entityIdentifier: 5, connectorContext: {} });
  t.is(response.isSuccess, false);
  t.is(response.records, null);
  t.is(response.nextToken, null);
  const details = response.errorDetails as { errorCode: string; errorMessage: string };
  t.is(details.errorCode, 'InvalidArgument');
  t.regex(details.errorMessage, /entityIdentifier must be string \(got a number\)/);

  const badScope = await invoke(bundle, {
    type: 'ValidateConnectorRuntimeSettingsRequest',
    scope: 'EVERYWHERE',
    connectorRuntimeSettings: {},
  });
  t.regex((badScope.errorDetails as { errorMessage: string }).errorMessage, /scope must be/);

  const badMax = await invoke(bundle, {
    type: 'ListEntitiesRequest',
    maxResult: 1.5,
    connectorContext: { connectorRuntimeSettings: null, credentials: null },
  });
  t.regex((badMax.errorDetails as { errorMessage: string }).errorMessage, /maxResult must be integer/);

  const badConfig = await invoke(bundle, { type: 'DescribeConnectorConfigurationRequest', locale: 7 });
  t.true(isRight(DescribeConnectorConfigurationResponse.decode(badConfig)));
  t.is(badConfig.isSuccess, false);
});
