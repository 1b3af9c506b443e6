/**
 * Everything the connector knows about each of AppFlow's eight request types, in one table: the codec that decodes
 * the event, the operation that answers it, AppFlow's time limit for the call, and the shape of a failed answer.
 * The table's type checks that every request type has an entry and that each operation accepts what its codec
 * decodes, so a ninth request type is one entry here and the compiler names whatever else it needs.
 */
import type * as t from 'io-ts';
import type { OperationContext } from './dependencies';
import { describeConnectorConfiguration } from './operations/describeConnectorConfiguration';
import { describeEntity } from './operations/describeEntity';
import { listEntities } from './operations/listEntities';
import { queryData } from './operations/queryData';
import { retrieveData } from './operations/retrieveData';
import { validateConnectorRuntimeSettings } from './operations/validateConnectorRuntimeSettings';
import { validateCredentials } from './operations/validateCredentials';
import { writeData } from './operations/writeData';
import { RequestCodecs, type RequestType } from './protocol/codecs';
import { LIMITS } from './protocol/constants';

export interface RequestHandling<K extends RequestType> {
  readonly codec: (typeof RequestCodecs)[K];
  readonly operation: (request: t.TypeOf<(typeof RequestCodecs)[K]>, context: OperationContext) => Promise<object>;
  /** AppFlow's limit for answering: 30 s for QueryData, RetrieveData and WriteData, 10 s for the rest. */
  readonly budgetMs: number;
  /**
   * A failed answer: `nullFields` are the operation-specific properties, all null, or `answer` supplies them
   * (DescribeConnectorConfiguration's required properties must be present even in a failure).
   */
  readonly failure:
    | { readonly nullFields: Readonly<Record<string, null>> }
    | { readonly answer: () => Promise<Readonly<Record<string, unknown>>> };
}

const DATA = LIMITS.dataOperationBudgetMs;
const METADATA = LIMITS.metadataOperationBudgetMs;

export const REQUEST_TYPES: { readonly [K in RequestType]: RequestHandling<K> } = {
  ValidateConnectorRuntimeSettingsRequest: {
    codec: RequestCodecs.ValidateConnectorRuntimeSettingsRequest,
    operation: validateConnectorRuntimeSettings,
    budgetMs: METADATA,
    failure: { nullFields: { errorsByInputField: null } },
  },
  ValidateCredentialsRequest: {
    codec: RequestCodecs.ValidateCredentialsRequest,
    operation: validateCredentials,
    budgetMs: METADATA,
    failure: { nullFields: {} },
  },
  DescribeConnectorConfigurationRequest: {
    codec: RequestCodecs.DescribeConnectorConfigurationRequest,
    operation: describeConnectorConfiguration,
    budgetMs: METADATA,
    failure: { answer: () => describeConnectorConfiguration({}) },
  },
  ListEntitiesRequest: {
    codec: RequestCodecs.ListEntitiesRequest,
    operation: listEntities,
    budgetMs: METADATA,
    failure: { nullFields: { entities: null, nextToken: null, cacheControl: null } },
  },
  DescribeEntityRequest: {
    codec: RequestCodecs.DescribeEntityRequest,
    operation: describeEntity,
    budgetMs: METADATA,
    failure: { nullFields: { entityDefinition: null, cacheControl: null } },
  },
  QueryDataRequest: {
    codec: RequestCodecs.QueryDataRequest,
    operation: queryData,
    budgetMs: DATA,
    failure: { nullFields: { records: null, nextToken: null } },
  },
  RetrieveDataRequest: {
    codec: RequestCodecs.RetrieveDataRequest,
    operation: retrieveData,
    budgetMs: DATA,
    failure: { nullFields: { records: null } },
  },
  WriteDataRequest: {
    codec: RequestCodecs.WriteDataRequest,
    operation: writeData,
    budgetMs: DATA,
    failure: { nullFields: { writeRecordResults: null } },
  },
};

export function isRequestType(value: unknown): value is RequestType {
  return typeof value === 'string' && Object.hasOwn(REQUEST_TYPES, value);
}
