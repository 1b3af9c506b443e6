/**
 * The AppFlow custom-connector wire contract as io-ts codecs: the single source of both the run-time checks and
 * the TypeScript types. See ../shared/reference/appflow-protocol.md (§1) for every property.
 *
 * Decoding rules (the official SDKs' behaviour, kept here on purpose):
 * - unknown extra properties are tolerated (io-ts `type` ignores them);
 * - optional properties may be absent or null (`optional(...)`);
 * - enum values are matched by their exact spelling (`"BasicAuth"`, not `"BASIC_AUTH"`).
 */
import * as t from 'io-ts';

/** A property that may be absent or null. */
function optional<C extends t.Mixed>(codec: C) {
  return t.union([codec, t.null, t.undefined]);
}

function enumeration<const V extends string>(name: string, values: readonly V[]) {
  const keys = Object.fromEntries(values.map((v) => [v, null])) as { [K in V]: null };
  return t.keyof(keys, name);
}

/** Integers only: `maxResults: 1.5` or `"10"` is a malformed request. */
const Integer = t.refinement(t.number, Number.isSafeInteger, 'integer');

export const ErrorCodes = [
  'InvalidArgument',
  'InvalidCredentials',
  'AccessDenied',
  'RequestTimeout',
  'RateLimitExceeded',
  'ServiceUnavailable',
  'ClientError',
  'ServerError',
  'UnknownError',
  'PartialWriteFailure',
  'ResourceNotFoundError',
] as const;
export const ErrorCode = enumeration('ErrorCode', ErrorCodes);
export type ErrorCode = t.TypeOf<typeof ErrorCode>;

export const AuthenticationTypes = ['BasicAuth', 'OAuth2', 'ApiKey', 'CustomAuth'] as const;
export const AuthenticationType = enumeration('AuthenticationType', AuthenticationTypes);
export type AuthenticationType = t.TypeOf<typeof AuthenticationType>;

export const FieldDataTypes = [
  'String',
  'Integer',
  'Float',
  'Double',
  'Long',
  'Short',
  'BigInteger',
  'BigDecimal',
  'ByteArray',
  'Boolean',
  'Date',
  'DateTime',
  'Struct',
  'Map',
  'List',
] as const;
export const FieldDataType = enumeration('FieldDataType', FieldDataTypes);
export type FieldDataType = t.TypeOf<typeof FieldDataType>;

export const ConnectorOperators = [
  'PROJECTION',
  'LESS_THAN',
  'GREATER_THAN',
  'BETWEEN',
  'LESS_THAN_OR_EQUAL_TO',
  'GREATER_THAN_OR_EQUAL_TO',
  'EQUAL_TO',
  'CONTAINS',
  'NOT_EQUAL_TO',
  'ADDITION',
  'SUBTRACTION',
  'MULTIPLICATION',
  'DIVISION',
  'MASK_ALL',
  'MASK_FIRST_N',
  'MASK_LAST_N',
  'VALIDATE_NON_NULL',
  'VALIDATE_NON_ZERO',
  'VALIDATE_NON_NEGATIVE',
  'VALIDATE_NUMERIC',
  'NO_OP',
] as const;
export const ConnectorOperator = enumeration('ConnectorOperator', ConnectorOperators);
export type ConnectorOperator = t.TypeOf<typeof ConnectorOperator>;

export const WriteOperationTypes = ['INSERT', 'UPDATE', 'UPSERT', 'DELETE'] as const;
export const WriteOperationType = enumeration('WriteOperationType', WriteOperationTypes);
export type WriteOperationType = t.TypeOf<typeof WriteOperationType>;

export const ConnectorRuntimeSettingScopes = [
  'CONNECTOR_PROFILE',
  'SOURCE',
  'DESTINATION',
  'SOURCE_AND_DESTINATION',
] as const;
export const ConnectorRuntimeSettingScope = enumeration('ConnectorRuntimeSettingScope', ConnectorRuntimeSettingScopes);
export type ConnectorRuntimeSettingScope = t.TypeOf<typeof ConnectorRuntimeSettingScope>;

export const ConnectorRuntimeSettingDataType = enumeration('ConnectorRuntimeSettingDataType', [
  'String',
  'Date',
  'DateTime',
  'Long',
  'Integer',
  'Boolean',
  'Url',
]);
export const ConnectorMode = enumeration('ConnectorMode', ['SOURCE', 'DESTINATION']);
export const TriggerType = enumeration('TriggerType', ['SCHEDULED', 'ONDEMAND']);
export const TriggerFrequency = enumeration('TriggerFrequency', [
  'BYMINUTE',
  'HOURLY',
  'DAILY',
  'WEEKLY',
  'MONTHLY',
  'ONCE',
]);
export const DataTransferType = enumeration('DataTransferType', ['RECORD', 'FILE']);
export const TimeUnit = enumeration('TimeUnit', [
  'NANOSECONDS',
  'MICROSECONDS',
  'MILLISECONDS',
  'SECONDS',
  'MINUTES',
  'HOURS',
  'DAYS',
]);

// ---------------------------------------------------------------------------------------------------------------
// Shared types
// ---------------------------------------------------------------------------------------------------------------

export const StringMap = t.record(t.string, t.string, 'StringMap');
export type StringMap = t.TypeOf<typeof StringMap>;

export const Credentials = t.type(
  {
    secretArn: optional(t.string),
    authenticationType: optional(AuthenticationType),
  },
  'Credentials',
);
export type Credentials = t.TypeOf<typeof Credentials>;

export const Entity = t.intersection(
  [
    t.type({ entityIdentifier: t.string, hasNestedEntities: t.boolean }),
    t.partial({
      isWritable: optional(t.boolean),
      label: optional(t.string),
      description: optional(t.string),
      customProperties: optional(StringMap),
    }),
  ],
  'Entity',
);
export type Entity = t.TypeOf<typeof Entity>;

export const RangeConstraint = t.type({ minRange: t.number, maxRange: t.number }, 'RangeConstraint');

export const FieldConstraints = t.partial(
  {
    allowedLengthRange: optional(RangeConstraint),
    allowedValueRange: optional(RangeConstraint),
    allowedValues: optional(t.array(t.string)),
    allowedValuesRegexPattern: optional(t.string),
    allowedDateFormat: optional(t.string),
  },
  'FieldConstraints',
);

export const ReadOperationProperty = t.partial(
  {
    isRetrievable: optional(t.boolean),
    isNullable: optional(t.boolean),
    isQueryable: optional(t.boolean),
    isTimestampFieldForIncrementalQueries: optional(t.boolean),
  },
  'ReadOperationProperty',
);

export const WriteOperationProperty = t.partial(
  {
    isCreatable: optional(t.boolean),
    isUpdatable: optional(t.boolean),
    isNullable: optional(t.boolean),
    isUpsertable: optional(t.boolean),
    isDefaultedOnCreate: optional(t.boolean),
    supportedWriteOperations: optional(t.array(WriteOperationType)),
  },
  'WriteOperationProperty',
);

export const FieldDefinition = t.intersection(
  [
    t.type({ fieldName: t.string, dataType: FieldDataType }),
    t.partial({
      dataTypeLabel: optional(t.string),
      label: optional(t.string),
      description: optional(t.string),
      isPrimaryKey: optional(t.boolean),
      defaultValue: optional(t.string),
      isDeprecated: optional(t.boolean),
      constraints: optional(FieldConstraints),
      readProperties: optional(ReadOperationProperty),
      writeProperties: optional(WriteOperationProperty),
      filterOperators: optional(t.array(ConnectorOperator)),
      customProperties: optional(StringMap),
    }),
  ],
  'FieldDefinition',
);
export type FieldDefinition = t.TypeOf<typeof FieldDefinition>;

export const EntityDefinition = t.intersection(
  [t.type({ entity: Entity, fields: t.array(FieldDefinition) }), t.partial({ customProperties: optional(StringMap) })],
  'EntityDefinition',
);
export type EntityDefinition = t.TypeOf<typeof EntityDefinition>;

export const ConnectorContext = t.intersection(
  [
    t.type({
      connectorRuntimeSettings: optional(StringMap),
      credentials: optional(Credentials),
    }),
    t.partial({
      // Both SDKs require apiVersion; we tolerate its absence (protocol reference §8).
      apiVersion: optional(t.string),
      flowName: optional(t.string),
      executionId: optional(t.string),
      connectorProfileLabel: optional(t.string),
      entityDefinition: optional(EntityDefinition),
    }),
  ],
  'ConnectorContext',
);
export type ConnectorContext = t.TypeOf<typeof ConnectorContext>;

export const ErrorDetails = t.type(
  {
    errorCode: ErrorCode,
    errorMessage: t.string,
    retryAfterSeconds: optional(Integer),
  },
  'ErrorDetails',
);
export type ErrorDetails = t.TypeOf<typeof ErrorDetails>;

export const CacheControl = t.type({ timeToLive: Integer, timeToLiveUnit: optional(TimeUnit) }, 'CacheControl');
export type CacheControl = t.TypeOf<typeof CacheControl>;

export const WriteRecordResult = t.type(
  { isSuccess: t.boolean, recordId: optional(t.string), errorMessage: optional(t.string) },
  'WriteRecordResult',
);
export type WriteRecordResult = t.TypeOf<typeof WriteRecordResult>;

// ---------------------------------------------------------------------------------------------------------------
// Requests: one codec per `type` value. The `type` itself is checked by the dispatcher, not here.
// ---------------------------------------------------------------------------------------------------------------

export const ValidateConnectorRuntimeSettingsRequest = t.intersection(
  [
    t.type({ scope: ConnectorRuntimeSettingScope, connectorRuntimeSettings: optional(StringMap) }),
    t.partial({ authenticationType: optional(AuthenticationType) }),
  ],
  'ValidateConnectorRuntimeSettingsRequest',
);
export type ValidateConnectorRuntimeSettingsRequest = t.TypeOf<typeof ValidateConnectorRuntimeSettingsRequest>;

export const ValidateCredentialsRequest = t.intersection(
  [t.type({ credentials: Credentials }), t.partial({ connectorRuntimeSettings: optional(StringMap) })],
  'ValidateCredentialsRequest',
);
export type ValidateCredentialsRequest = t.TypeOf<typeof ValidateCredentialsRequest>;

export const DescribeConnectorConfigurationRequest = t.partial(
  { locale: optional(t.string), connectorLabel: optional(t.string) },
  'DescribeConnectorConfigurationRequest',
);
export type DescribeConnectorConfigurationRequest = t.TypeOf<typeof DescribeConnectorConfigurationRequest>;

export const ListEntitiesRequest = t.intersection(
  [
    t.type({ connectorContext: ConnectorContext }),
    t.partial({ entitiesPath: optional(t.string), maxResult: optional(Integer), nextToken: optional(t.string) }),
  ],
  'ListEntitiesRequest',
);
export type ListEntitiesRequest = t.TypeOf<typeof ListEntitiesRequest>;

export const DescribeEntityRequest = t.type(
  { entityIdentifier: t.string, connectorContext: ConnectorContext },
  'DescribeEntityRequest',
);
export type DescribeEntityRequest = t.TypeOf<typeof DescribeEntityRequest>;

export const QueryDataRequest = t.intersection(
  [
    t.type({ entityIdentifier: t.string, connectorContext: ConnectorContext }),
    t.partial({
      selectedFieldNames: optional(t.array(t.string)),
      filterExpression: optional(t.string),
      maxResults: optional(Integer),
      nextToken: optional(t.string),
    }),
  ],
  'QueryDataRequest',
);
export type QueryDataRequest = t.TypeOf<typeof QueryDataRequest>;

export const RetrieveDataRequest = t.intersection(
  [
    t.type({ entityIdentifier: t.string, connectorContext: ConnectorContext }),
    t.partial({
      selectedFieldNames: optional(t.array(t.string)),
      idFieldName: optional(t.string),
      ids: optional(t.array(t.string)),
    }),
  ],
  'RetrieveDataRequest',
);
export type RetrieveDataRequest = t.TypeOf<typeof RetrieveDataRequest>;

export const WriteDataRequest = t.intersection(
  [
    t.type({ entityIdentifier: t.string, connectorContext: ConnectorContext }),
    t.partial({
      operation: optional(WriteOperationType),
      idFieldNames: optional(t.array(t.string)),
      records: optional(t.array(t.string)),
      allOrNone: optional(t.boolean),
    }),
  ],
  'WriteDataRequest',
);
export type WriteDataRequest = t.TypeOf<typeof WriteDataRequest>;

/** The eight `type` values (with their `Request` suffix) and the codec of each body. */
export const RequestCodecs = {
  ValidateConnectorRuntimeSettingsRequest,
  ValidateCredentialsRequest,
  DescribeConnectorConfigurationRequest,
  ListEntitiesRequest,
  DescribeEntityRequest,
  QueryDataRequest,
  RetrieveDataRequest,
  WriteDataRequest,
} as const;
export type RequestType = keyof typeof RequestCodecs;

// ---------------------------------------------------------------------------------------------------------------
// Responses. No `type` property, `isSuccess` and `errorDetails` always present (null when unset).
// Used by the tests and by the local runner to check that every answer honours the contract.
// ---------------------------------------------------------------------------------------------------------------

const ResponseBase = t.type({ isSuccess: t.boolean, errorDetails: optional(ErrorDetails) });

export const ConnectorRuntimeSetting = t.intersection(
  [
    t.type({
      key: t.string,
      dataType: ConnectorRuntimeSettingDataType,
      required: t.boolean,
      label: t.string,
      description: t.string,
      scope: ConnectorRuntimeSettingScope,
    }),
    t.partial({ connectorSuppliedValueOptions: optional(t.array(t.string)) }),
  ],
  'ConnectorRuntimeSetting',
);
export type ConnectorRuntimeSetting = t.TypeOf<typeof ConnectorRuntimeSetting>;

export const AuthParameter = t.intersection([
  t.type({ key: t.string, required: t.boolean, label: t.string, description: t.string }),
  t.partial({ sensitiveField: optional(t.boolean), connectorSuppliedValues: optional(t.array(t.string)) }),
]);

export const CustomAuthConfig = t.type({ authenticationType: t.string, authParameters: t.array(AuthParameter) });

export const AuthenticationConfig = t.partial(
  {
    isBasicAuthSupported: optional(t.boolean),
    isApiKeyAuthSupported: optional(t.boolean),
    isOAuth2Supported: optional(t.boolean),
    isCustomAuthSupported: optional(t.boolean),
    oAuth2Defaults: t.null,
    customAuthConfig: optional(t.array(CustomAuthConfig)),
  },
  'AuthenticationConfig',
);

export const DescribeConnectorConfigurationResponse = t.intersection(
  [
    ResponseBase,
    t.type({
      connectorOwner: t.string,
      connectorName: t.string,
      connectorVersion: t.string,
      connectorModes: t.array(ConnectorMode),
      authenticationConfig: AuthenticationConfig,
      connectorRuntimeSetting: optional(t.array(ConnectorRuntimeSetting)),
      supportedApiVersions: t.array(t.string),
      operatorsSupported: t.array(ConnectorOperator),
      supportedTriggerTypes: t.array(TriggerType),
      triggerFrequenciesSupported: t.array(TriggerFrequency),
      supportedWriteOperations: t.array(WriteOperationType),
      logoURL: optional(t.string),
      supportedDataTransferTypes: t.array(DataTransferType),
    }),
  ],
  'DescribeConnectorConfigurationResponse',
);
export type DescribeConnectorConfigurationResponse = t.TypeOf<typeof DescribeConnectorConfigurationResponse>;

export const ValidateConnectorRuntimeSettingsResponse = t.intersection(
  [ResponseBase, t.type({ errorsByInputField: optional(StringMap) })],
  'ValidateConnectorRuntimeSettingsResponse',
);
export type ValidateConnectorRuntimeSettingsResponse = t.TypeOf<typeof ValidateConnectorRuntimeSettingsResponse>;

export const ValidateCredentialsResponse = t.intersection([ResponseBase, t.type({})], 'ValidateCredentialsResponse');
export type ValidateCredentialsResponse = t.TypeOf<typeof ValidateCredentialsResponse>;

export const ListEntitiesResponse = t.intersection(
  [
    ResponseBase,
    t.type({
      entities: optional(t.array(Entity)),
      nextToken: optional(t.string),
      cacheControl: optional(CacheControl),
    }),
  ],
  'ListEntitiesResponse',
);
export type ListEntitiesResponse = t.TypeOf<typeof ListEntitiesResponse>;

export const DescribeEntityResponse = t.intersection(
  [ResponseBase, t.type({ entityDefinition: optional(EntityDefinition), cacheControl: optional(CacheControl) })],
  'DescribeEntityResponse',
);
export type DescribeEntityResponse = t.TypeOf<typeof DescribeEntityResponse>;

export const QueryDataResponse = t.intersection(
  [ResponseBase, t.type({ records: optional(t.array(t.string)), nextToken: optional(t.string) })],
  'QueryDataResponse',
);
export type QueryDataResponse = t.TypeOf<typeof QueryDataResponse>;

export const RetrieveDataResponse = t.intersection(
  [ResponseBase, t.type({ records: optional(t.array(t.string)) })],
  'RetrieveDataResponse',
);
export type RetrieveDataResponse = t.TypeOf<typeof RetrieveDataResponse>;

export const WriteDataResponse = t.intersection(
  [ResponseBase, t.type({ writeRecordResults: optional(t.array(WriteRecordResult)) })],
  'WriteDataResponse',
);
export type WriteDataResponse = t.TypeOf<typeof WriteDataResponse>;

/** The response codec for each request type. */
export const ResponseCodecs = {
  ValidateConnectorRuntimeSettingsRequest: ValidateConnectorRuntimeSettingsResponse,
  ValidateCredentialsRequest: ValidateCredentialsResponse,
  DescribeConnectorConfigurationRequest: DescribeConnectorConfigurationResponse,
  ListEntitiesRequest: ListEntitiesResponse,
  DescribeEntityRequest: DescribeEntityResponse,
  QueryDataRequest: QueryDataResponse,
  RetrieveDataRequest: RetrieveDataResponse,
  WriteDataRequest: WriteDataResponse,
} as const satisfies Record<RequestType, t.Mixed>;
