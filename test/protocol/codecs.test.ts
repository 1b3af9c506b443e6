/**
 * The AppFlow wire contract (handler/protocol/codecs.ts, constants.ts), checked without a server: every request a
 * flow sends decodes (unknown extra properties tolerated, optional properties absent or null), each malformed one is
 * refused with a message naming the property and what it must be (never the value), the enumerations are spelt
 * exactly as AppFlow spells them, and every response shape the connector answers with is accepted by its codec.
 */
import test, { type ExecutionContext } from 'ava';
import { isLeft, isRight } from 'fp-ts/Either';
import type * as t from 'io-ts';
import { describeDecodeErrors } from '../../handler/decodeErrors';
import {
  AuthenticationConfig,
  AuthParameter,
  CacheControl,
  ConnectorContext,
  ConnectorRuntimeSetting,
  Credentials,
  CustomAuthConfig,
  Entity,
  EntityDefinition,
  ErrorDetails,
  FieldConstraints,
  FieldDefinition,
  ReadOperationProperty,
  RequestCodecs,
  ResponseCodecs,
  StringMap,
  WriteOperationProperty,
  WriteRecordResult,
} from '../../handler/protocol/codecs';
import { API_VERSION, LIMITS } from '../../handler/protocol/constants';

const context = { connectorRuntimeSettings: { engine: 'MYSQL' }, credentials: { secretArn: 'arn:x' } };

function accepts(t: ExecutionContext, codec: t.Decoder<unknown, unknown>, value: unknown, label?: string): void {
  const decoded = codec.decode(value);
  t.is(
    isLeft(decoded) ? describeDecodeErrors('x', decoded.left) : 'accepted',
    'accepted',
    label ?? JSON.stringify(value),
  );
}

/** The message a malformed value gets (the dispatcher's InvalidArgument text), or 'accepted'. */
function problem(codec: t.Decoder<unknown, unknown>, value: unknown, type = 'Request'): string {
  const decoded = codec.decode(value);
  return isRight(decoded) ? 'accepted' : describeDecodeErrors(type, decoded.left);
}

/**
 * The message says `malformed TYPE: PATH must be NAME (got KIND)` for the property (decodeErrors.ts words it). It
 * names the path (array indexes only, never a union member's number), what the property must be (an
 * optional property's null and undefined unsaid) and the kind that came: exactly, or with `…` for a long name.
 */
function says(t: ExecutionContext, actual: string, expected: string): void {
  const match = /^(malformed [^:]+: )(\S+) must be (.+) \(got ([^)]+)\)$/.exec(expected);
  if (!match) throw new Error(`bad expectation ${expected}`);
  const [, head, path, name, kind] = match;
  if (name !== '…') {
    t.is(actual, expected);
    return;
  }
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  t.regex(actual, new RegExp(`^${literal(head!)}${literal(path!)} must be .+ \\(got ${literal(kind!)}\\)$`), expected);
}

/** An enumeration accepts exactly these spellings, each one, and no other (not the upper case nor the lower case). */
function enumerationIs(
  t: ExecutionContext,
  name: string,
  check: (value: string) => string,
  values: readonly string[],
): void {
  for (const value of values) t.is(check(value), 'accepted', `${name} ${value}`);
  const others = [
    ...values.map((value) => value.toLowerCase()),
    ...values.map((value) => value.toUpperCase()),
    '',
    'OTHER',
  ].filter((value) => !values.includes(value));
  for (const value of others) t.not(check(value), 'accepted', `${name} ${value}`);
}

test('constants: the API version and each limit as documented', (t) => {
  t.is(API_VERSION, 'v1');
  t.deepEqual(LIMITS, {
    responseBudgetBytes: 5_500_000,
    defaultPageSize: 1000,
    fetchChunkRows: 1000,
    dataOperationBudgetMs: 30_000,
    metadataOperationBudgetMs: 10_000,
    safetyMarginMs: 3_000,
    pageTimeShare: 0.6,
    connectTimeoutMs: 5_000,
    secretTtlMs: 300_000,
    tableMetadataTtlMs: 30_000,
    metadataCacheSeconds: 600,
    maxRetrieveIds: 1000,
    maxPlaceholdersPerStatement: 60_000,
    maxTokenLength: 2048,
    retryAfterSeconds: 30,
  });
});

test('the eight request types, each with its response codec', (t) => {
  const types = [
    'ValidateConnectorRuntimeSettingsRequest',
    'ValidateCredentialsRequest',
    'DescribeConnectorConfigurationRequest',
    'ListEntitiesRequest',
    'DescribeEntityRequest',
    'QueryDataRequest',
    'RetrieveDataRequest',
    'WriteDataRequest',
  ];
  t.deepEqual(Object.keys(RequestCodecs), types);
  t.deepEqual(Object.keys(ResponseCodecs), types);
  for (const type of types) {
    t.is((RequestCodecs as Record<string, t.Mixed>)[type]!.name, type);
    t.is((ResponseCodecs as Record<string, t.Mixed>)[type]!.name, type.replace(/Request$/, 'Response'));
  }
});

test('requests: the smallest valid body of each type decodes, extra properties tolerated', (t) => {
  const extra = { type: 'ignored here', somethingNew: [1, { a: 2 }] };
  const bodies: Record<keyof typeof RequestCodecs, object> = {
    ValidateConnectorRuntimeSettingsRequest: { scope: 'CONNECTOR_PROFILE', connectorRuntimeSettings: null },
    ValidateCredentialsRequest: { credentials: {} },
    DescribeConnectorConfigurationRequest: {},
    ListEntitiesRequest: { connectorContext: { connectorRuntimeSettings: null, credentials: null } },
    DescribeEntityRequest: { entityIdentifier: 'db.t', connectorContext: context },
    QueryDataRequest: { entityIdentifier: 'db.t', connectorContext: context },
    RetrieveDataRequest: { entityIdentifier: 'db.t', connectorContext: context },
    WriteDataRequest: { entityIdentifier: 'db.t', connectorContext: context },
  };
  for (const [type, body] of Object.entries(bodies)) {
    const codec = RequestCodecs[type as keyof typeof RequestCodecs];
    accepts(t, codec, body, type);
    accepts(t, codec, { ...body, ...extra }, type);
  }
  // A ConnectorContext's two properties may be null or absent.
  accepts(t, RequestCodecs.ListEntitiesRequest, { connectorContext: {} });
});

test('requests: every optional property may be given, absent or null', (t) => {
  const full = {
    entityIdentifier: 'db.t',
    connectorContext: {
      connectorRuntimeSettings: { engine: 'POSTGRESQL', database: 'd' },
      credentials: { secretArn: 'arn:aws:secretsmanager:x', authenticationType: 'CustomAuth' },
      apiVersion: 'v1',
      flowName: 'f',
      executionId: 'e',
      connectorProfileLabel: 'p',
      entityDefinition: {
        entity: { entityIdentifier: 'db.t', hasNestedEntities: false },
        fields: [{ fieldName: 'id', dataType: 'Long' }],
      },
    },
    selectedFieldNames: ['id'],
    filterExpression: 'id > 1',
    maxResults: 10,
    nextToken: 'n',
    idFieldName: 'id',
    ids: ['1'],
    operation: 'UPSERT',
    idFieldNames: ['id'],
    records: ['{"id":1}'],
    allOrNone: true,
    entitiesPath: 'db',
    maxResult: 5,
    scope: 'SOURCE',
    authenticationType: 'BasicAuth',
    credentials: { secretArn: null, authenticationType: null },
    locale: 'en',
    connectorLabel: 'c',
  };
  const nulled = Object.fromEntries(Object.entries(full).map(([key, value]) => [key, value]));
  for (const [type, codec] of Object.entries(RequestCodecs)) {
    accepts(t, codec, full, type);
    const required = new Set(['entityIdentifier', 'connectorContext', 'scope', 'credentials']);
    for (const key of Object.keys(full)) {
      if (required.has(key)) continue;
      accepts(t, codec, { ...nulled, [key]: null }, `${type} ${key}: null`);
      const { [key]: _absent, ...without } = full as Record<string, unknown>;
      accepts(t, codec, without, `${type} ${key} absent`);
    }
  }
  const contextKeys = ['apiVersion', 'flowName', 'executionId', 'connectorProfileLabel', 'entityDefinition'];
  for (const key of contextKeys) {
    accepts(t, ConnectorContext, { ...full.connectorContext, [key]: null }, key);
    accepts(t, ConnectorContext, { ...full.connectorContext, [key]: undefined }, key);
  }
  // Both SDKs require apiVersion; the connector tolerates its absence.
  accepts(t, ConnectorContext, { connectorRuntimeSettings: null, credentials: null });
});

test('requests: a malformed property is refused, naming it and what it must be, never the value', (t) => {
  const r = RequestCodecs;
  const q = { entityIdentifier: 'db.t', connectorContext: context };
  says(
    t,
    problem(r.QueryDataRequest, { ...q, maxResults: 1.5 }),
    'malformed Request: maxResults must be integer (got a number)',
  );
  says(
    t,
    problem(r.QueryDataRequest, { ...q, maxResults: '10' }),
    'malformed Request: maxResults must be integer (got a string)',
  );
  says(
    t,
    problem(r.QueryDataRequest, { ...q, maxResults: 2 ** 53 }),
    'malformed Request: maxResults must be integer (got a number)',
  );
  t.is(problem(r.QueryDataRequest, { ...q, maxResults: -3 }), 'accepted');
  says(
    t,
    problem(r.QueryDataRequest, { ...q, filterExpression: 5 }),
    'malformed Request: filterExpression must be string (got a number)',
  );
  says(
    t,
    problem(r.QueryDataRequest, { ...q, selectedFieldNames: ['a', 7] }),
    'malformed Request: selectedFieldNames[1] must be string (got a number)',
  );
  says(
    t,
    problem(r.QueryDataRequest, { ...q, nextToken: {} }),
    'malformed Request: nextToken must be string (got an object)',
  );
  says(
    t,
    problem(r.QueryDataRequest, { connectorContext: context }),
    'malformed Request: entityIdentifier must be string (got nothing)',
  );
  says(
    t,
    problem(r.QueryDataRequest, { entityIdentifier: 'db.t', connectorContext: 'x' }),
    'malformed Request: connectorContext must be an object (got a string)',
  );
  says(
    t,
    problem(r.QueryDataRequest, { ...q, connectorContext: { ...context, credentials: { secretArn: 1 } } }),
    'malformed Request: connectorContext.credentials.secretArn must be string (got a number)',
  );
  says(
    t,
    problem(r.QueryDataRequest, { ...q, connectorContext: { ...context, connectorRuntimeSettings: { a: 1 } } }),
    'malformed Request: connectorContext.connectorRuntimeSettings.a must be string (got a number)',
  );
  says(
    t,
    problem(r.QueryDataRequest, { ...q, connectorContext: { ...context, apiVersion: 1 } }),
    'malformed Request: connectorContext.apiVersion must be string (got a number)',
  );
  for (const key of ['flowName', 'executionId', 'connectorProfileLabel']) {
    says(
      t,
      problem(r.QueryDataRequest, { ...q, connectorContext: { ...context, [key]: false } }),
      `malformed Request: connectorContext.${key} must be string (got a boolean)`,
    );
  }
  says(
    t,
    problem(r.DescribeEntityRequest, { entityIdentifier: 'db.t' }),
    'malformed Request: connectorContext must be an object (got nothing)',
  );
  says(
    t,
    problem(r.DescribeEntityRequest, { connectorContext: context }),
    'malformed Request: entityIdentifier must be string (got nothing)',
  );
  says(
    t,
    problem(r.RetrieveDataRequest, { ...q, ids: [1] }),
    'malformed Request: ids[0] must be string (got a number)',
  );
  says(
    t,
    problem(r.RetrieveDataRequest, { ...q, idFieldName: [] }),
    'malformed Request: idFieldName must be string (got an array)',
  );
  says(
    t,
    problem(r.RetrieveDataRequest, { ...q, selectedFieldNames: 'id' }),
    'malformed Request: selectedFieldNames must be Array<string> (got a string)',
  );
  says(
    t,
    problem(r.RetrieveDataRequest, { connectorContext: context }),
    'malformed Request: entityIdentifier must be string (got nothing)',
  );
  says(
    t,
    problem(r.WriteDataRequest, { ...q, records: [{ id: 1 }] }),
    'malformed Request: records[0] must be string (got an object)',
  );
  says(
    t,
    problem(r.WriteDataRequest, { ...q, allOrNone: 'true' }),
    'malformed Request: allOrNone must be boolean (got a string)',
  );
  says(
    t,
    problem(r.WriteDataRequest, { ...q, operation: 'Insert' }),
    'malformed Request: operation must be WriteOperationType (got a string)',
  );
  says(
    t,
    problem(r.WriteDataRequest, { ...q, idFieldNames: [null] }),
    'malformed Request: idFieldNames[0] must be string (got null)',
  );
  says(
    t,
    problem(r.WriteDataRequest, { connectorContext: context }),
    'malformed Request: entityIdentifier must be string (got nothing)',
  );
  says(
    t,
    problem(r.ListEntitiesRequest, { connectorContext: context, maxResult: 2.5 }),
    'malformed Request: maxResult must be integer (got a number)',
  );
  says(
    t,
    problem(r.ListEntitiesRequest, { connectorContext: context, entitiesPath: 1 }),
    'malformed Request: entitiesPath must be string (got a number)',
  );
  says(
    t,
    problem(r.ListEntitiesRequest, { connectorContext: context, nextToken: 1 }),
    'malformed Request: nextToken must be string (got a number)',
  );
  says(t, problem(r.ListEntitiesRequest, {}), 'malformed Request: connectorContext must be an object (got nothing)');
  says(
    t,
    problem(r.ValidateConnectorRuntimeSettingsRequest, { scope: 'source', connectorRuntimeSettings: null }),
    'malformed Request: scope must be ConnectorRuntimeSettingScope (got a string)',
  );
  says(
    t,
    problem(r.ValidateConnectorRuntimeSettingsRequest, { connectorRuntimeSettings: {} }),
    'malformed Request: scope must be ConnectorRuntimeSettingScope (got nothing)',
  );
  accepts(t, r.ValidateConnectorRuntimeSettingsRequest, { scope: 'SOURCE' });
  says(
    t,
    problem(r.ValidateConnectorRuntimeSettingsRequest, {
      scope: 'SOURCE',
      connectorRuntimeSettings: null,
      authenticationType: 'BASIC_AUTH',
    }),
    'malformed Request: authenticationType must be AuthenticationType (got a string)',
  );
  says(
    t,
    problem(r.ValidateCredentialsRequest, {}),
    'malformed Request: credentials must be Credentials (got nothing)',
  );
  says(
    t,
    problem(r.ValidateCredentialsRequest, { credentials: {}, connectorRuntimeSettings: [] }),
    'malformed Request: connectorRuntimeSettings must be StringMap (got an array)',
  );
  says(
    t,
    problem(r.ValidateCredentialsRequest, { credentials: { authenticationType: 'basicauth' } }),
    'malformed Request: credentials.authenticationType must be AuthenticationType (got a string)',
  );
  says(
    t,
    problem(r.DescribeConnectorConfigurationRequest, { locale: 1 }),
    'malformed Request: locale must be string (got a number)',
  );
  says(
    t,
    problem(r.DescribeConnectorConfigurationRequest, { connectorLabel: 1 }),
    'malformed Request: connectorLabel must be string (got a number)',
  );
  const secret = 'hunter2-secret';
  t.false(problem(r.QueryDataRequest, { ...q, maxResults: secret }).includes(secret));
});

test('enumerations: exactly the spellings AppFlow uses', (t) => {
  const scope = (value: string) =>
    problem(RequestCodecs.ValidateConnectorRuntimeSettingsRequest, { scope: value, connectorRuntimeSettings: null });
  enumerationIs(t, 'scope', scope, ['CONNECTOR_PROFILE', 'SOURCE', 'DESTINATION', 'SOURCE_AND_DESTINATION']);
  const authentication = (value: string) => problem(Credentials, { authenticationType: value });
  enumerationIs(t, 'authenticationType', authentication, ['BasicAuth', 'OAuth2', 'ApiKey', 'CustomAuth']);
  const operation = (value: string) =>
    problem(RequestCodecs.WriteDataRequest, { entityIdentifier: 'e', connectorContext: context, operation: value });
  enumerationIs(t, 'operation', operation, ['INSERT', 'UPDATE', 'UPSERT', 'DELETE']);
  const dataType = (value: string) => problem(FieldDefinition, { fieldName: 'f', dataType: value });
  enumerationIs(t, 'dataType', dataType, [
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
  ]);
  const filterOperator = (value: string) =>
    problem(FieldDefinition, { fieldName: 'f', dataType: 'String', filterOperators: [value] });
  enumerationIs(t, 'filterOperators', filterOperator, [
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
  ]);
  const writeOperation = (value: string) => problem(WriteOperationProperty, { supportedWriteOperations: [value] });
  enumerationIs(t, 'supportedWriteOperations', writeOperation, ['INSERT', 'UPDATE', 'UPSERT', 'DELETE']);
  const errorCode = (value: string) => problem(ErrorDetails, { errorCode: value, errorMessage: 'm' });
  enumerationIs(t, 'errorCode', errorCode, [
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
  ]);
  const settingType = (value: string) => problem(ConnectorRuntimeSetting, { ...setting, dataType: value });
  enumerationIs(t, 'ConnectorRuntimeSetting.dataType', settingType, [
    'String',
    'Date',
    'DateTime',
    'Long',
    'Integer',
    'Boolean',
    'Url',
  ]);
  const timeUnit = (value: string) => problem(CacheControl, { timeToLive: 600, timeToLiveUnit: value });
  enumerationIs(t, 'timeToLiveUnit', timeUnit, [
    'NANOSECONDS',
    'MICROSECONDS',
    'MILLISECONDS',
    'SECONDS',
    'MINUTES',
    'HOURS',
    'DAYS',
  ]);
  const config = (key: string) => (value: string) =>
    problem(ResponseCodecs.DescribeConnectorConfigurationRequest, { ...configuration, [key]: [value] });
  enumerationIs(t, 'connectorModes', config('connectorModes'), ['SOURCE', 'DESTINATION']);
  enumerationIs(t, 'supportedTriggerTypes', config('supportedTriggerTypes'), ['SCHEDULED', 'ONDEMAND']);
  enumerationIs(t, 'triggerFrequenciesSupported', config('triggerFrequenciesSupported'), [
    'BYMINUTE',
    'HOURLY',
    'DAILY',
    'WEEKLY',
    'MONTHLY',
    'ONCE',
  ]);
  enumerationIs(t, 'supportedDataTransferTypes', config('supportedDataTransferTypes'), ['RECORD', 'FILE']);
  enumerationIs(t, 'operatorsSupported', config('operatorsSupported'), ['PROJECTION', 'EQUAL_TO', 'NO_OP']);
  enumerationIs(t, 'supportedWriteOperations', config('supportedWriteOperations'), ['INSERT', 'DELETE']);
});

test('enumerations and refinements are named in the message by their own name', (t) => {
  says(
    t,
    problem(FieldDefinition, { fieldName: 'f', dataType: 'string' }, 'X'),
    'malformed X: dataType must be FieldDataType (got a string)',
  );
  says(
    t,
    problem(FieldDefinition, { fieldName: 'f', dataType: 'String', filterOperators: ['EQUALS'] }, 'X'),
    'malformed X: filterOperators[0] must be ConnectorOperator (got a string)',
  );
  says(
    t,
    problem(ErrorDetails, { errorCode: 'Oops', errorMessage: 'm' }, 'X'),
    'malformed X: errorCode must be ErrorCode (got a string)',
  );
  says(
    t,
    problem(ErrorDetails, { errorCode: 'ServerError', errorMessage: 'm', retryAfterSeconds: 0.5 }, 'X'),
    'malformed X: retryAfterSeconds must be integer (got a number)',
  );
  says(
    t,
    problem(ConnectorRuntimeSetting, { ...setting, dataType: 'string' }, 'X'),
    'malformed X: dataType must be ConnectorRuntimeSettingDataType (got a string)',
  );
  says(
    t,
    problem(CacheControl, { timeToLive: 1, timeToLiveUnit: 'seconds' }, 'X'),
    'malformed X: timeToLiveUnit must be TimeUnit (got a string)',
  );
  says(t, problem(CacheControl, { timeToLive: 1.5 }, 'X'), 'malformed X: timeToLive must be integer (got a number)');
  const config = (key: string, value: unknown) =>
    problem(ResponseCodecs.DescribeConnectorConfigurationRequest, { ...configuration, [key]: [value] }, 'X');
  t.is(config('connectorModes', 'BOTH'), 'malformed X: connectorModes[0] must be ConnectorMode (got a string)');
  t.is(
    config('supportedTriggerTypes', 'EVENT'),
    'malformed X: supportedTriggerTypes[0] must be TriggerType (got a string)',
  );
  t.is(
    config('triggerFrequenciesSupported', 'YEARLY'),
    'malformed X: triggerFrequenciesSupported[0] must be TriggerFrequency (got a string)',
  );
  t.is(
    config('supportedDataTransferTypes', 'STREAM'),
    'malformed X: supportedDataTransferTypes[0] must be DataTransferType (got a string)',
  );
  t.is(
    config('supportedWriteOperations', 'MERGE'),
    'malformed X: supportedWriteOperations[0] must be WriteOperationType (got a string)',
  );
  says(t, problem(StringMap, [], 'X'), 'malformed X: (request) must be StringMap (got an array)');
  says(t, problem(Credentials, 'c', 'X'), 'malformed X: (request) must be Credentials (got a string)');
  says(t, problem(Entity, 1, 'X'), 'malformed X: (request) must be … (got a number)');
  says(t, problem(EntityDefinition, 1, 'X'), 'malformed X: (request) must be … (got a number)');
  says(t, problem(FieldDefinition, 1, 'X'), 'malformed X: (request) must be … (got a number)');
  says(t, problem(FieldConstraints, 1, 'X'), 'malformed X: (request) must be FieldConstraints (got a number)');
  says(
    t,
    problem(ReadOperationProperty, 1, 'X'),
    'malformed X: (request) must be ReadOperationProperty (got a number)',
  );
  says(
    t,
    problem(WriteOperationProperty, 1, 'X'),
    'malformed X: (request) must be WriteOperationProperty (got a number)',
  );
  says(t, problem(ErrorDetails, 1, 'X'), 'malformed X: (request) must be ErrorDetails (got a number)');
  says(t, problem(CacheControl, 1, 'X'), 'malformed X: (request) must be CacheControl (got a number)');
  says(t, problem(WriteRecordResult, 1, 'X'), 'malformed X: (request) must be WriteRecordResult (got a number)');
  says(t, problem(ConnectorRuntimeSetting, 1, 'X'), 'malformed X: (request) must be … (got a number)');
  says(t, problem(AuthenticationConfig, 1, 'X'), 'malformed X: (request) must be AuthenticationConfig (got a number)');
  says(
    t,
    problem(FieldDefinition, { fieldName: 'f', dataType: 'String', constraints: { allowedLengthRange: 1 } }, 'X'),
    'malformed X: constraints.allowedLengthRange must be RangeConstraint (got a number)',
  );
});

const setting = {
  key: 'engine',
  dataType: 'String',
  required: true,
  label: 'Engine',
  description: 'MYSQL or POSTGRESQL',
  scope: 'CONNECTOR_PROFILE',
};

const configuration = {
  isSuccess: true,
  errorDetails: null,
  connectorOwner: 'o',
  connectorName: 'n',
  connectorVersion: '1.0',
  connectorModes: ['SOURCE', 'DESTINATION'],
  authenticationConfig: {
    isCustomAuthSupported: true,
    customAuthConfig: [
      {
        authenticationType: 'secret',
        authParameters: [{ key: 'secretArn', required: true, label: 'Secret', description: 'd' }],
      },
    ],
  },
  connectorRuntimeSetting: [setting],
  supportedApiVersions: ['v1'],
  operatorsSupported: ['PROJECTION'],
  supportedTriggerTypes: ['SCHEDULED', 'ONDEMAND'],
  triggerFrequenciesSupported: ['BYMINUTE'],
  supportedWriteOperations: ['INSERT'],
  logoURL: null,
  supportedDataTransferTypes: ['RECORD'],
};

const errorDetails = { errorCode: 'ServerError', errorMessage: 'database unreachable', retryAfterSeconds: 30 };

test('responses: each answer shape the connector gives is accepted, a failure with its errorDetails too', (t) => {
  const r = ResponseCodecs;
  const fail = { isSuccess: false, errorDetails };
  accepts(t, r.DescribeConnectorConfigurationRequest, configuration);
  accepts(t, r.ValidateConnectorRuntimeSettingsRequest, {
    isSuccess: true,
    errorDetails: null,
    errorsByInputField: null,
  });
  accepts(t, r.ValidateConnectorRuntimeSettingsRequest, { ...fail, errorsByInputField: { engine: 'must be …' } });
  accepts(t, r.ValidateCredentialsRequest, { isSuccess: true, errorDetails: null });
  accepts(t, r.ValidateCredentialsRequest, fail);
  const entity = {
    entityIdentifier: 'db.t',
    hasNestedEntities: false,
    isWritable: true,
    label: 't',
    description: null,
  };
  accepts(t, r.ListEntitiesRequest, {
    isSuccess: true,
    errorDetails: null,
    entities: [entity, { entityIdentifier: 'db', hasNestedEntities: true, customProperties: { a: 'b' } }],
    nextToken: null,
    cacheControl: { timeToLive: 600, timeToLiveUnit: 'SECONDS' },
  });
  accepts(t, r.ListEntitiesRequest, { ...fail, entities: null, nextToken: null, cacheControl: null });
  const field = {
    fieldName: 'id',
    dataType: 'Long',
    dataTypeLabel: 'bigint',
    label: 'id',
    description: null,
    isPrimaryKey: true,
    defaultValue: null,
    isDeprecated: false,
    constraints: {
      allowedLengthRange: { minRange: 0, maxRange: 10 },
      allowedValueRange: { minRange: -1, maxRange: 1 },
      allowedValues: ['a'],
      allowedValuesRegexPattern: null,
      allowedDateFormat: 'yyyy-MM-dd',
    },
    readProperties: {
      isRetrievable: true,
      isNullable: false,
      isQueryable: true,
      isTimestampFieldForIncrementalQueries: false,
    },
    writeProperties: {
      isCreatable: true,
      isUpdatable: false,
      isNullable: false,
      isUpsertable: true,
      isDefaultedOnCreate: true,
      supportedWriteOperations: ['INSERT', 'UPSERT'],
    },
    filterOperators: ['EQUAL_TO'],
    customProperties: { columnType: 'bigint' },
  };
  accepts(t, r.DescribeEntityRequest, {
    isSuccess: true,
    errorDetails: null,
    entityDefinition: { entity, fields: [field], customProperties: null },
    cacheControl: { timeToLive: 600, timeToLiveUnit: null },
  });
  accepts(t, r.DescribeEntityRequest, { ...fail, entityDefinition: null, cacheControl: null });
  accepts(t, r.QueryDataRequest, { isSuccess: true, errorDetails: null, records: ['{"id":1}'], nextToken: 'n' });
  accepts(t, r.QueryDataRequest, { ...fail, records: null, nextToken: null });
  accepts(t, r.RetrieveDataRequest, { isSuccess: true, errorDetails: null, records: [] });
  accepts(t, r.RetrieveDataRequest, { ...fail, records: null });
  accepts(t, r.WriteDataRequest, {
    isSuccess: true,
    errorDetails: null,
    writeRecordResults: [
      { isSuccess: true, recordId: '1', errorMessage: null },
      { isSuccess: false, recordId: null, errorMessage: 'field "x" (int) expects a number, got a string' },
    ],
  });
  accepts(t, r.WriteDataRequest, { ...fail, writeRecordResults: null });
  accepts(t, AuthParameter, { key: 'k', required: false, label: 'l', description: 'd', sensitiveField: true });
  accepts(t, AuthParameter, {
    key: 'k',
    required: false,
    label: 'l',
    description: 'd',
    connectorSuppliedValues: ['a'],
  });
  accepts(t, CustomAuthConfig, { authenticationType: 'x', authParameters: [] });
  accepts(t, AuthenticationConfig, {
    isBasicAuthSupported: false,
    isApiKeyAuthSupported: false,
    isOAuth2Supported: false,
    isCustomAuthSupported: true,
    oAuth2Defaults: null,
    customAuthConfig: null,
  });
  accepts(t, ConnectorRuntimeSetting, { ...setting, connectorSuppliedValueOptions: ['MYSQL', 'POSTGRESQL'] });
  accepts(t, ConnectorRuntimeSetting, { ...setting, connectorSuppliedValueOptions: null });
});

test('responses: isSuccess and errorDetails are always present; each required property is checked', (t) => {
  const r = ResponseCodecs;
  for (const [type, codec] of Object.entries(r)) {
    t.not(problem(codec, { errorDetails: null }), 'accepted', `${type} without isSuccess`);
    t.not(problem(codec, { isSuccess: 'true', errorDetails: null }), 'accepted', `${type} isSuccess as text`);
  }
  says(
    t,
    problem(r.ValidateCredentialsRequest, { isSuccess: false, errorDetails: { errorCode: 'ServerError' } }, 'X'),
    'malformed X: errorDetails.errorMessage must be string (got nothing)',
  );
  says(
    t,
    problem(r.ValidateCredentialsRequest, { isSuccess: false, errorDetails: { errorMessage: 'm' } }, 'X'),
    'malformed X: errorDetails.errorCode must be ErrorCode (got nothing)',
  );
  says(
    t,
    problem(
      r.ValidateCredentialsRequest,
      { isSuccess: false, errorDetails: { ...errorDetails, retryAfterSeconds: '30' } },
      'X',
    ),
    'malformed X: errorDetails.retryAfterSeconds must be integer (got a string)',
  );
  accepts(t, r.ValidateCredentialsRequest, {
    isSuccess: false,
    errorDetails: { errorCode: 'ServerError', errorMessage: 'm' },
  });
  // Each required property of each response: absent is refused.
  const required: [t.Mixed, object, string[]][] = [
    [
      r.DescribeConnectorConfigurationRequest,
      configuration,
      [
        'connectorOwner',
        'connectorName',
        'connectorVersion',
        'connectorModes',
        'authenticationConfig',
        'supportedApiVersions',
        'operatorsSupported',
        'supportedTriggerTypes',
        'triggerFrequenciesSupported',
        'supportedWriteOperations',
        'supportedDataTransferTypes',
      ],
    ],
    // The responses' other properties are optional (absent or null): isSuccess is checked above.
    [WriteRecordResult, { isSuccess: true }, ['isSuccess']],
    [ConnectorRuntimeSetting, setting, Object.keys(setting)],
    [
      AuthParameter,
      { key: 'k', required: true, label: 'l', description: 'd' },
      ['key', 'required', 'label', 'description'],
    ],
    [CustomAuthConfig, { authenticationType: 'x', authParameters: [] }, ['authenticationType', 'authParameters']],
    [CacheControl, { timeToLive: 1 }, ['timeToLive']],
    [Entity, { entityIdentifier: 'e', hasNestedEntities: false }, ['entityIdentifier', 'hasNestedEntities']],
    [
      EntityDefinition,
      { entity: { entityIdentifier: 'e', hasNestedEntities: false }, fields: [] },
      ['entity', 'fields'],
    ],
    [FieldDefinition, { fieldName: 'f', dataType: 'String' }, ['fieldName', 'dataType']],
  ];
  for (const [codec, valid, keys] of required) {
    accepts(t, codec, valid, codec.name);
    for (const key of keys) {
      const { [key]: _absent, ...without } = valid as Record<string, unknown>;
      t.not(problem(codec, without), 'accepted', `${codec.name} without ${key}`);
    }
  }
  // Wrong kinds inside the answer shapes.
  const wrong: [t.Mixed, object][] = [
    [r.DescribeConnectorConfigurationRequest, { ...configuration, connectorOwner: 1 }],
    [r.DescribeConnectorConfigurationRequest, { ...configuration, connectorName: 1 }],
    [r.DescribeConnectorConfigurationRequest, { ...configuration, connectorVersion: 1 }],
    [r.DescribeConnectorConfigurationRequest, { ...configuration, supportedApiVersions: [1] }],
    [r.DescribeConnectorConfigurationRequest, { ...configuration, logoURL: 1 }],
    [r.DescribeConnectorConfigurationRequest, { ...configuration, authenticationConfig: { oAuth2Defaults: {} } }],
    [r.DescribeConnectorConfigurationRequest, { ...configuration, authenticationConfig: { customAuthConfig: [{}] } }],
    [r.DescribeConnectorConfigurationRequest, { ...configuration, authenticationConfig: { isBasicAuthSupported: 1 } }],
    [r.DescribeConnectorConfigurationRequest, { ...configuration, authenticationConfig: { isApiKeyAuthSupported: 1 } }],
    [r.DescribeConnectorConfigurationRequest, { ...configuration, authenticationConfig: { isOAuth2Supported: 1 } }],
    [r.DescribeConnectorConfigurationRequest, { ...configuration, authenticationConfig: { isCustomAuthSupported: 1 } }],
    [r.DescribeConnectorConfigurationRequest, { ...configuration, connectorRuntimeSetting: [{}] }],
    [ConnectorRuntimeSetting, { ...setting, connectorSuppliedValueOptions: [1] }],
    [ConnectorRuntimeSetting, { ...setting, required: 'yes' }],
    [AuthParameter, { key: 'k', required: true, label: 'l', description: 'd', sensitiveField: 'yes' }],
    [AuthParameter, { key: 'k', required: true, label: 'l', description: 'd', connectorSuppliedValues: [1] }],
    [CustomAuthConfig, { authenticationType: 'x', authParameters: [{}] }],
    [r.ValidateConnectorRuntimeSettingsRequest, { isSuccess: true, errorDetails: null, errorsByInputField: { a: 1 } }],
    [
      r.ListEntitiesRequest,
      { isSuccess: true, errorDetails: null, entities: [{}], nextToken: null, cacheControl: null },
    ],
    [r.ListEntitiesRequest, { isSuccess: true, errorDetails: null, entities: [], nextToken: 1, cacheControl: null }],
    [r.ListEntitiesRequest, { isSuccess: true, errorDetails: null, entities: [], nextToken: null, cacheControl: {} }],
    [r.DescribeEntityRequest, { isSuccess: true, errorDetails: null, entityDefinition: {}, cacheControl: null }],
    [r.DescribeEntityRequest, { isSuccess: true, errorDetails: null, entityDefinition: null, cacheControl: 1 }],
    [r.QueryDataRequest, { isSuccess: true, errorDetails: null, records: [1], nextToken: null }],
    [r.QueryDataRequest, { isSuccess: true, errorDetails: null, records: null, nextToken: 1 }],
    [r.RetrieveDataRequest, { isSuccess: true, errorDetails: null, records: [1] }],
    [r.WriteDataRequest, { isSuccess: true, errorDetails: null, writeRecordResults: [{ isSuccess: 'no' }] }],
    [WriteRecordResult, { isSuccess: true, recordId: 1, errorMessage: null }],
    [WriteRecordResult, { isSuccess: true, recordId: null, errorMessage: 1 }],
    [Entity, { entityIdentifier: 'e', hasNestedEntities: false, isWritable: 'yes' }],
    [Entity, { entityIdentifier: 'e', hasNestedEntities: false, label: 1 }],
    [Entity, { entityIdentifier: 'e', hasNestedEntities: false, description: 1 }],
    [Entity, { entityIdentifier: 'e', hasNestedEntities: false, customProperties: { a: 1 } }],
    [Entity, { entityIdentifier: 1, hasNestedEntities: false }],
    [Entity, { entityIdentifier: 'e', hasNestedEntities: 'no' }],
    [
      EntityDefinition,
      { entity: { entityIdentifier: 'e', hasNestedEntities: false }, fields: [], customProperties: 1 },
    ],
    [EntityDefinition, { entity: { entityIdentifier: 'e', hasNestedEntities: false }, fields: [{}] }],
    [CacheControl, { timeToLive: '1', timeToLiveUnit: null }],
  ];
  const fieldKinds: Record<string, unknown> = {
    dataTypeLabel: 1,
    label: 1,
    description: 1,
    isPrimaryKey: 'yes',
    defaultValue: 1,
    isDeprecated: 'no',
    constraints: 1,
    readProperties: 1,
    writeProperties: 1,
    filterOperators: 'EQUAL_TO',
    customProperties: { a: 1 },
    fieldName: 1,
  };
  for (const [key, value] of Object.entries(fieldKinds))
    wrong.push([FieldDefinition, { fieldName: 'f', dataType: 'String', [key]: value }]);
  const constraintKinds: Record<string, unknown> = {
    allowedLengthRange: { minRange: 0 },
    allowedValueRange: { maxRange: 0 },
    allowedValues: [1],
    allowedValuesRegexPattern: 1,
    allowedDateFormat: 1,
  };
  for (const [key, value] of Object.entries(constraintKinds)) wrong.push([FieldConstraints, { [key]: value }]);
  wrong.push([FieldConstraints, { allowedLengthRange: { minRange: 0, maxRange: '1' } }]);
  wrong.push([FieldConstraints, { allowedValueRange: { minRange: '0', maxRange: 1 } }]);
  for (const key of ['isRetrievable', 'isNullable', 'isQueryable', 'isTimestampFieldForIncrementalQueries']) {
    wrong.push([ReadOperationProperty, { [key]: 'yes' }]);
  }
  for (const key of ['isCreatable', 'isUpdatable', 'isNullable', 'isUpsertable', 'isDefaultedOnCreate']) {
    wrong.push([WriteOperationProperty, { [key]: 'yes' }]);
  }
  for (const [codec, value] of wrong)
    t.not(problem(codec, value), 'accepted', `${codec.name} ${JSON.stringify(value)}`);
});

test("each codec's name, which messages print as what a property must be", (t) => {
  const named: [t.Mixed, string][] = [
    [StringMap, 'StringMap'],
    [Credentials, 'Credentials'],
    [Entity, 'Entity'],
    [EntityDefinition, 'EntityDefinition'],
    [FieldDefinition, 'FieldDefinition'],
    [FieldConstraints, 'FieldConstraints'],
    [ReadOperationProperty, 'ReadOperationProperty'],
    [WriteOperationProperty, 'WriteOperationProperty'],
    [ConnectorContext, 'ConnectorContext'],
    [ErrorDetails, 'ErrorDetails'],
    [CacheControl, 'CacheControl'],
    [WriteRecordResult, 'WriteRecordResult'],
    [ConnectorRuntimeSetting, 'ConnectorRuntimeSetting'],
    [AuthenticationConfig, 'AuthenticationConfig'],
  ];
  for (const [codec, name] of named) t.is(codec.name, name);
});
