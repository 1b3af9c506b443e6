/**
 * `--describe`: what DescribeEntity answered, as a table a user can read — each field's AppFlow type (and the
 * database's type label), key, nullability, whether it can be filtered on and drive incremental reads, what a
 * write may do with it — and the entity's incremental-capable fields in one line.
 */
import type { EntityDefinition, FieldDefinition } from '../handler/protocol/codecs';
import { plural } from './format';

function yesNo(value: boolean | null | undefined): string {
  return value === true ? 'yes' : value === false ? 'no' : '–';
}

/** Fields AppFlow would offer for incremental flows (the connector flags them). */
export function incrementalFields(definition: EntityDefinition): string[] {
  return definition.fields
    .filter((field) => field.readProperties?.isTimestampFieldForIncrementalQueries === true)
    .map((field) => field.fieldName);
}

function writeSummary(field: FieldDefinition): string {
  const write = field.writeProperties;
  if (!write) return '–';
  const can = [
    write.isCreatable ? 'insert' : null,
    write.isUpdatable ? 'update' : null,
    write.isUpsertable ? 'upsert' : null,
  ].filter((item) => item !== null);
  const keyFor = write.supportedWriteOperations?.length ? ` (id for ${write.supportedWriteOperations.join(', ')})` : '';
  const generated = write.isDefaultedOnCreate ? ', defaulted on insert' : '';
  return `${can.length ? can.join(', ') : 'read-only'}${generated}${keyFor}`;
}

export function renderDescription(definition: EntityDefinition): string {
  const entity = definition.entity;
  const rows: string[][] = [['field', 'type', 'key', 'nullable', 'filter', 'incremental', 'write']];
  for (const field of definition.fields) {
    rows.push([
      field.fieldName,
      field.dataTypeLabel && field.dataTypeLabel !== field.dataType
        ? `${field.dataType} (${field.dataTypeLabel})`
        : field.dataType,
      field.isPrimaryKey ? 'primary' : '',
      yesNo(field.readProperties?.isNullable ?? field.writeProperties?.isNullable),
      field.filterOperators?.length ? 'yes' : 'no',
      field.readProperties?.isTimestampFieldForIncrementalQueries ? 'yes' : '',
      writeSummary(field),
    ]);
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const table = rows.map((row) => `  ${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ')}`.trimEnd());
  const incremental = incrementalFields(definition);
  const writable = entity.isWritable === false ? 'read-only (isWritable false)' : 'writable';
  const lines = [
    `${entity.entityIdentifier} (DescribeEntity): ${plural(definition.fields.length, 'field')}, ${writable}` +
      (entity.description ? ` — ${entity.description}` : ''),
    ...table,
    `  incremental reads (--incremental-field): ${incremental.length ? incremental.join(', ') : 'no field qualifies'}`,
  ];
  return `${lines.join('\n')}\n`;
}
