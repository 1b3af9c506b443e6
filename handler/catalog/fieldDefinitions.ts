/**
 * DescribeEntity's view of a table: the AppFlow Entity and a FieldDefinition per column, with read and write
 * properties that tell AppFlow what it may do with each field.
 */
import type { ColumnMeta, TableMeta, TableSummary } from '../engines/engine';
import type { ConnectorOperator, Entity, FieldDataType, FieldDefinition, WriteOperationType } from '../protocol/codecs';
import { upsertKeysOf } from './upsertKeys';

const NUMERIC_OPERATORS: ConnectorOperator[] = [
  'NOT_EQUAL_TO',
  'EQUAL_TO',
  'LESS_THAN',
  'LESS_THAN_OR_EQUAL_TO',
  'GREATER_THAN',
  'GREATER_THAN_OR_EQUAL_TO',
];
const DATE_OPERATORS: ConnectorOperator[] = [
  'EQUAL_TO',
  'LESS_THAN',
  'LESS_THAN_OR_EQUAL_TO',
  'GREATER_THAN',
  'GREATER_THAN_OR_EQUAL_TO',
  'BETWEEN',
];

/** The operators AppFlow may offer on a field (the SDKs' defaults per data type). */
export function filterOperatorsFor(dataType: FieldDataType): ConnectorOperator[] {
  switch (dataType) {
    case 'Integer':
    case 'Float':
    case 'Double':
    case 'Long':
    case 'Short':
    case 'BigInteger':
    case 'BigDecimal':
      return [...NUMERIC_OPERATORS];
    case 'Date':
    case 'DateTime':
      return [...DATE_OPERATORS];
    case 'String':
      return ['CONTAINS', 'EQUAL_TO', 'NOT_EQUAL_TO'];
    case 'Boolean':
      return ['EQUAL_TO', 'NOT_EQUAL_TO'];
    case 'Map':
    case 'List':
      return ['CONTAINS'];
    case 'Struct':
    case 'ByteArray':
      return [];
  }
}

function constraintsFor(column: ColumnMeta): FieldDefinition['constraints'] {
  const { lengthLimit, valueRange, enumValues, dateFormat } = column;
  if (lengthLimit === null && !valueRange && !enumValues && dateFormat === null) return null;
  return {
    allowedLengthRange: lengthLimit === null ? null : { minRange: 0, maxRange: lengthLimit },
    allowedValueRange: valueRange ? { minRange: valueRange.min, maxRange: valueRange.max } : null,
    allowedValues: enumValues ? [...enumValues] : null,
    allowedValuesRegexPattern: null,
    allowedDateFormat: dateFormat,
  };
}

/** Operations for which the column may serve as an id field: UPSERT only on a key that can decide a conflict. */
function idOperationsFor(column: ColumnMeta, table: TableMeta): WriteOperationType[] {
  if (!table.updatable || !column.comparable) return [];
  const upsertKey = upsertKeysOf(table).some((key) => key.includes(column.name));
  if (upsertKey && table.insertable) return ['UPDATE', 'UPSERT', 'DELETE'];
  return ['UPDATE', 'DELETE'];
}

export function fieldDefinitionFor(column: ColumnMeta, table: TableMeta): FieldDefinition {
  const writable = table.writable && column.writable;
  const operators = filterOperatorsFor(column.dataType);
  return {
    fieldName: column.name,
    dataType: column.dataType,
    dataTypeLabel: column.declaredType,
    label: column.name,
    description: column.comment,
    isPrimaryKey: column.primaryKey,
    defaultValue: column.defaultValue,
    isDeprecated: false,
    constraints: constraintsFor(column),
    readProperties: {
      isRetrievable: true,
      isNullable: column.nullable,
      isQueryable: operators.length > 0,
      // DATETIME/TIMESTAMP only. A DATE holds whole days: an instant window cannot pick out rows of a day that
      // keep arriving after its midnight without reading the day again in every window, so DATE is not offered.
      isTimestampFieldForIncrementalQueries: column.incrementalTimestamp,
    },
    writeProperties: {
      isCreatable: writable && table.insertable,
      isUpdatable: writable && table.updatable && !column.primaryKey,
      isNullable: column.nullable,
      isUpsertable: writable && table.insertable && table.updatable,
      isDefaultedOnCreate: column.defaultedOnCreate,
      supportedWriteOperations: idOperationsFor(column, table),
    },
    filterOperators: operators,
    customProperties: null,
  };
}

/** `namespace`: where the table lives (MySQL's database, PostgreSQL's schema), for a default description. */
export function entityFor(table: TableSummary, namespace: string): Entity {
  return {
    entityIdentifier: table.name,
    hasNestedEntities: false,
    isWritable: table.writable,
    label: table.name,
    description: table.comment ?? `${table.isView ? 'View' : 'Table'} ${namespace}.${table.name}`,
    customProperties: null,
  };
}
