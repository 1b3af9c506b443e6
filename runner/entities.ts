/** The metadata steps: every page of ListEntities, DescribeEntity, and the checks of field names against it. */
import type { EntityDefinition } from '../handler/protocol/codecs';
import { describeValue, type ResponseOf } from './contract';
import { incrementalFields } from './describe';
import { ContractBrokenError, RunnerError } from './errors';
import { describeEntityEvent, type FlowIdentity, listEntitiesEvent } from './events';
import { call, type FlowContext, violation } from './exchange';

export async function listAllEntities(context: FlowContext, identity: FlowIdentity) {
  const entities: ResponseOf<'ListEntitiesRequest'>['entities'] & object = [];
  const seen = new Set<string>();
  let token: string | null = null;
  do {
    const page: ResponseOf<'ListEntitiesRequest'> = await call(
      context,
      'ListEntitiesRequest',
      listEntitiesEvent(context.profile, identity, token),
    );
    entities.push(...(page.entities ?? []));
    token = page.nextToken ?? null;
    if (token !== null && seen.has(token)) {
      context.report.add(violation('ListEntities', 'nextToken', 'a token not returned before', 'a repeated token'));
      throw new ContractBrokenError('ListEntities');
    }
    if (token !== null) seen.add(token);
  } while (token !== null);
  return entities;
}

export async function describe(
  context: FlowContext,
  identity: FlowIdentity,
  entity: string,
): Promise<EntityDefinition> {
  const response = await call(context, 'DescribeEntityRequest', describeEntityEvent(context.profile, identity, entity));
  const definition = response.entityDefinition;
  if (!definition) {
    context.report.add(
      violation(
        'DescribeEntity',
        'entityDefinition',
        'an EntityDefinition when isSuccess is true',
        describeValue(definition),
      ),
    );
    throw new ContractBrokenError('DescribeEntity');
  }
  if (definition.entity.entityIdentifier !== entity) {
    context.report.add(
      violation(
        'DescribeEntity',
        'entityDefinition.entity.entityIdentifier',
        JSON.stringify(entity),
        JSON.stringify(definition.entity.entityIdentifier),
      ),
    );
  }
  return definition;
}

export function fieldNames(definition: EntityDefinition): string[] {
  return definition.fields.map((field) => field.fieldName);
}

export function requireFields(names: readonly string[], definition: EntityDefinition, flag: string): void {
  const known = new Set(fieldNames(definition));
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new RunnerError(
      `${flag}: ${unknown.join(', ')} ${unknown.length === 1 ? 'is not a field' : 'are not fields'} of ${definition.entity.entityIdentifier} (fields: ${fieldNames(definition).join(', ')})`,
    );
  }
}

/** The fields of this entity that --incremental-field may name, for messages. */
function eligible(definition: EntityDefinition): string {
  const fields = incrementalFields(definition);
  return fields.length > 0
    ? `fields that can: ${fields.join(', ')}`
    : `no field of ${definition.entity.entityIdentifier} can (read it whole, or filter with --filter)`;
}

export function incrementalFieldType(definition: EntityDefinition, field: string): 'Date' | 'DateTime' {
  const spec = definition.fields.find((candidate) => candidate.fieldName === field);
  if (!spec) {
    throw new RunnerError(
      `--incremental-field: ${field} is not a field of ${definition.entity.entityIdentifier}; ${eligible(definition)}`,
    );
  }
  if (spec.dataType !== 'Date' && spec.dataType !== 'DateTime') {
    throw new RunnerError(
      `--incremental-field ${field} is a ${spec.dataType} field; incremental reads need a Date or DateTime field; ${eligible(definition)}`,
    );
  }
  if (spec.readProperties?.isTimestampFieldForIncrementalQueries !== true) {
    throw new RunnerError(
      `--incremental-field ${field} is not flagged isTimestampFieldForIncrementalQueries, so AppFlow would not offer it for incremental flows; ${eligible(definition)}`,
    );
  }
  return spec.dataType;
}
