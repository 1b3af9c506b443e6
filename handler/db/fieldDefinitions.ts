/**
 * DescribeEntity's view of a table: the AppFlow Entity and a FieldDefinition per column, with read and write
 * properties that tell AppFlow what it may do with each field.
 */
import type { ConnectorOperator, Entity, FieldDataType, FieldDefinition, WriteOperationType } from '../protocol/codecs';
import type { ColumnMeta, TableMeta } from './columns';
import type { TableSummary } from './schema';

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

/** Value ranges that a JSON number states exactly (BIGINT bounds do not fit a double, so they are left out). */
const INTEGER_RANGES: Record<string, [number, number, number]> = {
  tinyint: [-128, 127, 255],
  smallint: [-32768, 32767, 65535],
  mediumint: [-8388608, 8388607, 16777215],
  int: [-2147483648, 2147483647, 4294967295],
};

function constraintsFor(column: ColumnMeta): FieldDefinition['constraints'] {
  const lengthLimited =
    column.kind === 'string' && column.maxLength !== null && column.enumValues === null && column.sqlType !== 'set';
  const range = column.kind === 'integer' ? INTEGER_RANGES[column.sqlType] : undefined;
  if (!lengthLimited && !range && !column.enumValues && column.kind !== 'date') return null;
  return {
    allowedLengthRange: lengthLimited ? { minRange: 0, maxRange: column.maxLength! } : null,
    allowedValueRange: range
      ? { minRange: column.unsigned ? 0 : range[0], maxRange: column.unsigned ? range[2] : range[1] }
      : null,
    allowedValues: column.enumValues ? [...column.enumValues] : null,
    allowedValuesRegexPattern: null,
    allowedDateFormat: column.kind === 'date' ? 'yyyy-MM-dd' : null,
  };
}

/** Operations for which the column may serve as an id field. */
function idOperationsFor(column: ColumnMeta, table: TableMeta): WriteOperationType[] {
  if (!table.writable || column.kind === 'json' || column.kind === 'spatial') return [];
  if (column.primaryKey || column.uniqueKey) return ['UPDATE', 'UPSERT', 'DELETE'];
  return ['UPDATE', 'DELETE'];
}

export function fieldDefinitionFor(column: ColumnMeta, table: TableMeta): FieldDefinition {
  const writable = table.writable && !column.generated;
  const operators = filterOperatorsFor(column.dataType);
  return {
    fieldName: column.name,
    dataType: column.dataType,
    dataTypeLabel: column.columnType,
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
      isTimestampFieldForIncrementalQueries: column.kind === 'datetime',
    },
    writeProperties: {
      isCreatable: writable,
      isUpdatable: writable && !column.primaryKey,
      isNullable: column.nullable,
      isUpsertable: writable,
      isDefaultedOnCreate: column.defaultedOnCreate,
      supportedWriteOperations: idOperationsFor(column, table),
    },
    filterOperators: operators,
    customProperties: null,
  };
}

export function entityFor(table: TableSummary, databaseName: string): Entity {
  return {
    entityIdentifier: table.name,
    hasNestedEntities: false,
    isWritable: table.writable,
    label: table.name,
    description: table.comment ?? `${table.isView ? 'View' : 'Table'} ${databaseName}.${table.name}`,
    customProperties: null,
  };
}
