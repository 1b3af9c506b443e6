/**
 * The requests AppFlow sends, shaped exactly as AppFlow sends them (protocol reference §1.4): explicit nulls,
 * BasicAuth credentials, runtime settings as strings, the entity definition echoed back on data calls. The one set
 * of builders for the runner, the tests (test/support/events.ts adapts them), the benchmark and the fuzzer.
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
  /** The flow and profile names the connector context carries (default: the runner's). */
  readonly flowName?: string;
  readonly profileLabel?: string;
}

/** The account of the secrets AppFlow would make (tests, benchmark, fuzzer). */
export const LOCAL_ACCOUNT = '123456789012';

/** An AppFlow-style secret ARN (AppFlow names its secrets `appflow!<account>-...`). */
export function secretArnFor(name: string): string {
  return `arn:aws:secretsmanager:us-east-1:${LOCAL_ACCOUNT}:secret:appflow!${LOCAL_ACCOUNT}-${name}-Ab12Cd`;
}

/** A database and the secret of its login, as tests, benchmark and fuzzer hold them. */
export interface ConnectionTarget {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly secretArn: string;
  /** Runtime setting `tlsMode` (absent: REQUIRED). */
  readonly tlsMode?: string;
  /** Runtime setting `engine` (absent: not sent, the connector's default). */
  readonly engine?: string;
  /** Runtime setting `schema` (engines with a schema setting only). */
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

export function profileFor(target: ConnectionTarget): ConnectionProfile {
  return { runtimeSettings: runtimeSettingsFor(target), secretArn: target.secretArn };
}

function credentials(profile: ConnectionProfile) {
  return { secretArn: profile.secretArn, authenticationType: 'BasicAuth' as const };
}

export function connectorContext(
  profile: ConnectionProfile,
  identity: FlowIdentity,
  entityDefinition: EntityDefinition | null = null,
) {
  return {
    connectorRuntimeSettings: { ...profile.runtimeSettings },
    credentials: credentials(profile),
    apiVersion: API_VERSION,
    flowName: identity.flowName ?? FLOW_NAME,
    executionId: identity.executionId,
    connectorProfileLabel: identity.profileLabel ?? PROFILE_LABEL,
    entityDefinition,
  };
}

export function describeConnectorConfigurationEvent() {
  return { type: 'DescribeConnectorConfigurationRequest', locale: 'en-US', connectorLabel: CONNECTOR_LABEL } as const;
}

/** `authenticationType`: sent by the runner as the console does; left out when null. */
export function validateConnectorRuntimeSettingsEvent(
  settings: Readonly<Record<string, string>>,
  scope = 'CONNECTOR_PROFILE',
  authenticationType: string | null = null,
) {
  return {
    type: 'ValidateConnectorRuntimeSettingsRequest',
    scope,
    connectorRuntimeSettings: { ...settings },
    ...(authenticationType === null ? {} : { authenticationType }),
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

/** The entity of a data call: its definition as DescribeEntity gave it (AppFlow echoes it), or only its name. */
export type EntityOfCall =
  | { readonly entityDefinition: EntityDefinition }
  | { readonly entityDefinition: null; readonly entityIdentifier: string };

function entityIdentifierOf(call: EntityOfCall): string {
  return call.entityDefinition === null ? call.entityIdentifier : call.entityDefinition.entity.entityIdentifier;
}

export type QueryPage = EntityOfCall & {
  /** null: every field. */
  readonly selectedFieldNames: readonly string[] | null;
  readonly filterExpression: string | null;
  readonly maxResults: number;
  readonly nextToken: string | null;
};

export function queryDataEvent(profile: ConnectionProfile, identity: FlowIdentity, page: QueryPage) {
  return {
    type: 'QueryDataRequest',
    entityIdentifier: entityIdentifierOf(page),
    selectedFieldNames: page.selectedFieldNames === null ? null : [...page.selectedFieldNames],
    filterExpression: page.filterExpression,
    maxResults: page.maxResults,
    nextToken: page.nextToken,
    connectorContext: connectorContext(profile, identity, page.entityDefinition),
  } as const;
}

export type RetrieveCall = EntityOfCall & {
  readonly selectedFieldNames: readonly string[] | null;
  readonly idFieldName: string;
  readonly ids: readonly string[];
};

export function retrieveDataEvent(profile: ConnectionProfile, identity: FlowIdentity, call: RetrieveCall) {
  return {
    type: 'RetrieveDataRequest',
    entityIdentifier: entityIdentifierOf(call),
    selectedFieldNames: call.selectedFieldNames === null ? null : [...call.selectedFieldNames],
    idFieldName: call.idFieldName,
    ids: [...call.ids],
    connectorContext: connectorContext(profile, identity, call.entityDefinition),
  } as const;
}

export type WriteBatch = EntityOfCall & {
  readonly operation: WriteOperationType;
  readonly idFieldNames: readonly string[] | null;
  /** Each record as JSON text, as AppFlow sends it. */
  readonly records: readonly string[];
  readonly allOrNone: boolean;
};

export function writeDataEvent(profile: ConnectionProfile, identity: FlowIdentity, batch: WriteBatch) {
  return {
    type: 'WriteDataRequest',
    entityIdentifier: entityIdentifierOf(batch),
    operation: batch.operation,
    idFieldNames: batch.idFieldNames ? [...batch.idFieldNames] : null,
    records: [...batch.records],
    allOrNone: batch.allOrNone,
    connectorContext: connectorContext(profile, identity, batch.entityDefinition),
  } as const;
}
