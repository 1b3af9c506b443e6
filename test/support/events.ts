/**
 * Factories for AppFlow request events, shaped exactly as AppFlow sends them (protocol reference §1.4).
 * Each takes the parts a test cares about and fills the rest with realistic values.
 */
export const TEST_ACCOUNT = '123456789012';

/** An AppFlow-style secret ARN (AppFlow names its secrets `appflow!<account>-...`). */
export function secretArnFor(name: string): string {
  return `arn:aws:secretsmanager:us-east-1:${TEST_ACCOUNT}:secret:appflow!${TEST_ACCOUNT}-${name}-Ab12Cd`;
}

export interface ConnectionTarget {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly secretArn: string;
  readonly tlsMode?: string;
  /** Runtime setting `engine` (absent: the connector's default, MYSQL). */
  readonly engine?: string;
  /** Runtime setting `schema` (POSTGRESQL only). */
  readonly schema?: string;
}

export function runtimeSettingsFor(target: ConnectionTarget): Record<string, string> {
  return {
    host: target.host,
    port: String(target.port),
    database: target.database,
    tlsMode: target.tlsMode ?? 'REQUIRED',
    ...(target.engine === undefined ? {} : { engine: target.engine }),
    ...(target.schema === undefined ? {} : { schema: target.schema }),
  };
}

export function connectorContext(target: ConnectionTarget, extra: Record<string, unknown> = {}) {
  return {
    connectorRuntimeSettings: runtimeSettingsFor(target),
    credentials: { secretArn: target.secretArn, authenticationType: 'BasicAuth' },
    apiVersion: 'v1',
    flowName: 'test-flow',
    executionId: '3f0f6e4c-9b7a-4d7e-8a53-2b1c0d9e7f11',
    connectorProfileLabel: 'test-profile',
    entityDefinition: null,
    ...extra,
  };
}

export function describeConnectorConfigurationEvent(extra: Record<string, unknown> = {}) {
  return { type: 'DescribeConnectorConfigurationRequest', locale: 'en-US', connectorLabel: 'MySqlConnector', ...extra };
}

export function validateConnectorRuntimeSettingsEvent(
  settings: Record<string, string>,
  scope = 'CONNECTOR_PROFILE',
  extra: Record<string, unknown> = {},
) {
  return { type: 'ValidateConnectorRuntimeSettingsRequest', scope, connectorRuntimeSettings: settings, ...extra };
}

export function validateCredentialsEvent(target: ConnectionTarget, extra: Record<string, unknown> = {}) {
  return {
    type: 'ValidateCredentialsRequest',
    credentials: { secretArn: target.secretArn, authenticationType: 'BasicAuth' },
    connectorRuntimeSettings: runtimeSettingsFor(target),
    ...extra,
  };
}

export function listEntitiesEvent(target: ConnectionTarget, extra: Record<string, unknown> = {}) {
  return {
    type: 'ListEntitiesRequest',
    entitiesPath: null,
    maxResult: 1000,
    nextToken: null,
    connectorContext: connectorContext(target),
    ...extra,
  };
}

export function describeEntityEvent(
  target: ConnectionTarget,
  entityIdentifier: string,
  extra: Record<string, unknown> = {},
) {
  return { type: 'DescribeEntityRequest', entityIdentifier, connectorContext: connectorContext(target), ...extra };
}

export function queryDataEvent(
  target: ConnectionTarget,
  entityIdentifier: string,
  extra: Record<string, unknown> = {},
) {
  return {
    type: 'QueryDataRequest',
    entityIdentifier,
    selectedFieldNames: null,
    filterExpression: null,
    maxResults: 1000,
    nextToken: null,
    connectorContext: connectorContext(target),
    ...extra,
  };
}

export function retrieveDataEvent(
  target: ConnectionTarget,
  entityIdentifier: string,
  idFieldName: string,
  ids: string[],
  extra: Record<string, unknown> = {},
) {
  return {
    type: 'RetrieveDataRequest',
    entityIdentifier,
    selectedFieldNames: null,
    idFieldName,
    ids,
    connectorContext: connectorContext(target),
    ...extra,
  };
}

export function writeDataEvent(
  target: ConnectionTarget,
  entityIdentifier: string,
  operation: string,
  records: readonly Record<string, unknown>[],
  extra: Record<string, unknown> = {},
) {
  return {
    type: 'WriteDataRequest',
    entityIdentifier,
    operation,
    idFieldNames: null,
    records: records.map((record) => JSON.stringify(record)),
    allOrNone: false,
    connectorContext: connectorContext(target),
    ...extra,
  };
}
