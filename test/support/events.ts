/**
 * AppFlow request events for tests, built by the one set of builders (runner/events.ts), shaped exactly as AppFlow
 * sends them (protocol reference §1.4). Each takes the parts a test cares about and fills the rest with realistic
 * values; `extra` replaces or adds top-level properties.
 */
import type { WriteOperationType } from '../../handler/protocol/codecs';
import {
  type ConnectionTarget,
  connectorContext as contextOf,
  describeConnectorConfigurationEvent as describeConnectorConfiguration,
  describeEntityEvent as describeEntity,
  type FlowIdentity,
  LOCAL_ACCOUNT,
  listEntitiesEvent as listEntities,
  profileFor,
  queryDataEvent as queryData,
  retrieveDataEvent as retrieveData,
  validateConnectorRuntimeSettingsEvent as validateConnectorRuntimeSettings,
  validateCredentialsEvent as validateCredentials,
  writeDataEvent as writeData,
} from '../../runner/events';

export { type ConnectionTarget, runtimeSettingsFor, secretArnFor } from '../../runner/events';
export const TEST_ACCOUNT = LOCAL_ACCOUNT;

const TEST_FLOW: FlowIdentity = {
  executionId: '3f0f6e4c-9b7a-4d7e-8a53-2b1c0d9e7f11',
  flowName: 'test-flow',
  profileLabel: 'test-profile',
};

export function connectorContext(target: ConnectionTarget, extra: Record<string, unknown> = {}) {
  return { ...contextOf(profileFor(target), TEST_FLOW), ...extra };
}

export function describeConnectorConfigurationEvent(extra: Record<string, unknown> = {}) {
  return { ...describeConnectorConfiguration(), ...extra };
}

export function validateConnectorRuntimeSettingsEvent(
  settings: Record<string, string>,
  scope = 'CONNECTOR_PROFILE',
  extra: Record<string, unknown> = {},
) {
  return { ...validateConnectorRuntimeSettings(settings, scope), ...extra };
}

export function validateCredentialsEvent(target: ConnectionTarget, extra: Record<string, unknown> = {}) {
  return { ...validateCredentials(profileFor(target)), ...extra };
}

export function listEntitiesEvent(target: ConnectionTarget, extra: Record<string, unknown> = {}) {
  return { ...listEntities(profileFor(target), TEST_FLOW, null), ...extra };
}

export function describeEntityEvent(
  target: ConnectionTarget,
  entityIdentifier: string,
  extra: Record<string, unknown> = {},
) {
  return { ...describeEntity(profileFor(target), TEST_FLOW, entityIdentifier), ...extra };
}

export function queryDataEvent(
  target: ConnectionTarget,
  entityIdentifier: string,
  extra: Record<string, unknown> = {},
) {
  const page = {
    entityDefinition: null,
    entityIdentifier,
    selectedFieldNames: null,
    filterExpression: null,
    maxResults: 1000,
    nextToken: null,
  };
  return { ...queryData(profileFor(target), TEST_FLOW, page), ...extra };
}

export function retrieveDataEvent(
  target: ConnectionTarget,
  entityIdentifier: string,
  idFieldName: string,
  ids: string[],
  extra: Record<string, unknown> = {},
) {
  const call = { entityDefinition: null, entityIdentifier, selectedFieldNames: null, idFieldName, ids };
  return { ...retrieveData(profileFor(target), TEST_FLOW, call), ...extra };
}

export function writeDataEvent(
  target: ConnectionTarget,
  entityIdentifier: string,
  operation: string,
  records: readonly Record<string, unknown>[],
  extra: Record<string, unknown> = {},
) {
  const batch = {
    entityDefinition: null,
    entityIdentifier,
    // Tests also send operations AppFlow does not know, to see them refused.
    operation: operation as WriteOperationType,
    idFieldNames: null,
    records: records.map((record) => JSON.stringify(record)),
    allOrNone: false,
  };
  return { ...writeData(profileFor(target), TEST_FLOW, batch), ...extra };
}
