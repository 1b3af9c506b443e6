/**
 * The requests the runner sends, shaped exactly as AppFlow sends them (protocol reference §1.4): explicit nulls,
 * BasicAuth credentials, runtime settings as strings, the entity definition echoed back on data calls.
 */
import type { EntityDefinition, WriteOperationType } from '../handler/protocol/codecs';
import { API_VERSION, CONNECTOR_LABEL, FLOW_NAME, PROFILE_LABEL } from './constants';

/** Where the connector finds the database: the runtime settings and the secret holding user name and password. */
export interface ConnectionProfile {
  /** CONNECTOR_PROFILE runtime settings: host, port, database, tlsMode (all strings). */
  readonly runtimeSettings: Readonly<Record<string, string>>;
  readonly secretArn: string;
}

export interface FlowIdentity {
  /** A fresh id per run, like AppFlow's execution id. */
  readonly executionId: string;
}

function credentials(profile: ConnectionProfile) {
  return { secretArn: profile.secretArn, authenticationType: 'BasicAuth' as const };
}

function connectorContext(
  profile: ConnectionProfile,
  identity: FlowIdentity,
  entityDefinition: EntityDefinition | null = null,
) {
  return {
    connectorRuntimeSettings: { ...profile.runtimeSettings },
    credentials: credentials(profile),
    apiVersion: API_VERSION,
    flowName: FLOW_NAME,
    executionId: identity.executionId,
    connectorProfileLabel: PROFILE_LABEL,
    entityDefinition,
  };
}

export function describeConnectorConfigurationEvent() {
  return { type: 'DescribeConnectorConfigurationRequest', locale: 'en-US', connectorLabel: CONNECTOR_LABEL } as const;
}

export function validateConnectorRuntimeSettingsEvent(profile: ConnectionProfile) {
  return {
    type: 'ValidateConnectorRuntimeSettingsRequest',
    scope: 'CONNECTOR_PROFILE',
    connectorRuntimeSettings: { ...profile.runtimeSettings },
    authenticationType: 'BasicAuth',
  } as const;
}

export function validateCredentialsEvent(profile: ConnectionProfile) {
  return {
    type: 'ValidateCredentialsRequest',
    credentials: credentials(profile),
    connectorRuntimeSettings: { ...profile.runtimeSettings },
  } as const;
}

export function listEntitiesEvent(profile: ConnectionProfile, identity: FlowIdentity, nextToken: string | null) {
  return {
    type: 'ListEntitiesRequest',
    entitiesPath: null,
    maxResult: 1000,
    nextToken,
    connectorContext: connectorContext(profile, identity),
  } as const;
}

export function describeEntityEvent(profile: ConnectionProfile, identity: FlowIdentity, entityIdentifier: string) {
  return {
    type: 'DescribeEntityRequest',
    entityIdentifier,
    connectorContext: connectorContext(profile, identity),
  } as const;
}

export interface QueryPage {
  readonly entityDefinition: EntityDefinition;
  readonly selectedFieldNames: readonly string[];
  readonly filterExpression: string | null;
  readonly maxResults: number;
  readonly nextToken: string | null;
}

export function queryDataEvent(profile: ConnectionProfile, identity: FlowIdentity, page: QueryPage) {
  return {
    type: 'QueryDataRequest',
    entityIdentifier: page.entityDefinition.entity.entityIdentifier,
    selectedFieldNames: [...page.selectedFieldNames],
    filterExpression: page.filterExpression,
    maxResults: page.maxResults,
    nextToken: page.nextToken,
    connectorContext: connectorContext(profile, identity, page.entityDefinition),
  } as const;
}

export interface WriteBatch {
  readonly entityDefinition: EntityDefinition;
  readonly operation: WriteOperationType;
  readonly idFieldNames: readonly string[] | null;
  readonly records: readonly string[];
  readonly allOrNone: boolean;
}

export function writeDataEvent(profile: ConnectionProfile, identity: FlowIdentity, batch: WriteBatch) {
  return {
    type: 'WriteDataRequest',
    entityIdentifier: batch.entityDefinition.entity.entityIdentifier,
    operation: batch.operation,
    idFieldNames: batch.idFieldNames ? [...batch.idFieldNames] : null,
    records: [...batch.records],
    allOrNone: batch.allOrNone,
    connectorContext: connectorContext(profile, identity, batch.entityDefinition),
  } as const;
}
