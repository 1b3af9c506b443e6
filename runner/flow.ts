/**
 * The flow, played the way AppFlow plays it: DescribeConnectorConfiguration → ValidateConnectorRuntimeSettings →
 * ValidateCredentials → ListEntities → DescribeEntity → QueryData page after page → WriteData batch after batch.
 * Every answer goes through the contract checks; the flow stops at an answer it cannot use (a function error,
 * isSuccess false, a response that does not fit the codec) and goes on after violations it can live with.
 */
import { randomUUID } from 'node:crypto';
import { checkConfiguration } from './configuration';
import { describeValue, type ResponseOf } from './contract';
import { describe, fieldNames, incrementalFieldType, listAllEntities, requireFields } from './entities';
import { ContractBrokenError, RunnerError } from './errors';
import {
  describeConnectorConfigurationEvent,
  type FlowIdentity,
  queryDataEvent,
  validateConnectorRuntimeSettingsEvent,
  validateCredentialsEvent,
} from './events';
import { call, type FlowContext, violation } from './exchange';
import { buildFilter } from './filter';
import type { FlowOptions } from './flags';
import { count, plural } from './format';
import { joinRecord, type RecordField, splitRecord } from './records';
import { valueProblem } from './recordTypes';
import { prepareDestination } from './writeBack';

const PREVIEW_LENGTH = 240;

export async function runFlow(flow: FlowOptions, context: FlowContext): Promise<void> {
  const { progress, metrics, report, record, profile } = context;
  const identity: FlowIdentity = { executionId: randomUUID() };
  record.requested = flow.entity;

  const configuration = await call(
    context,
    'DescribeConnectorConfigurationRequest',
    describeConnectorConfigurationEvent(),
  );
  checkConfiguration(configuration, flow, context);
  progress.step(
    `✓ DescribeConnectorConfiguration    ${configuration.connectorOwner} ${configuration.connectorName} ${configuration.connectorVersion}, modes ${configuration.connectorModes.join('+')}`,
  );

  await call(
    context,
    'ValidateConnectorRuntimeSettingsRequest',
    validateConnectorRuntimeSettingsEvent(profile.runtimeSettings, 'CONNECTOR_PROFILE', 'BasicAuth'),
    (response) => Object.values(response.errorsByInputField ?? {}).join('; '),
  );
  progress.step(`✓ ValidateConnectorRuntimeSettings  ${Object.keys(profile.runtimeSettings).join(', ')}`);

  await call(context, 'ValidateCredentialsRequest', validateCredentialsEvent(profile));
  progress.step('✓ ValidateCredentials               the connector logged in to the database');

  const entities = await listAllEntities(context, identity);
  record.entities = entities.map((entity) => entity.entityIdentifier);
  progress.step(`✓ ListEntities                      ${plural(entities.length, 'entity', 'entities')}`);
  if (flow.entity === null) {
    for (const entity of entities) {
      progress.step(
        `    ${entity.entityIdentifier}${entity.isWritable === false ? '  (read-only)' : ''}${entity.hasNestedEntities ? '  (folder)' : ''}`,
      );
    }
    progress.step('  pass --entity NAME to read one of them');
    return;
  }
  if (!entities.some((entity) => entity.entityIdentifier === flow.entity)) {
    const names = record.entities.slice(0, 20).join(', ');
    const more = record.entities.length > 20 ? ', …' : '';
    throw new RunnerError(
      `--entity ${flow.entity}: ListEntities does not list it (entities: ${names || 'none'}${more}); names are exact, case included`,
    );
  }

  const definition = await describe(context, identity, flow.entity);
  progress.step(`✓ DescribeEntity                    ${flow.entity}: ${plural(definition.fields.length, 'field')}`);
  if (flow.describe) {
    record.described = definition;
    return;
  }
  record.source = flow.entity;
  const selected = flow.fields ?? fieldNames(definition);
  requireFields(selected, definition, '--fields');
  const windowType = flow.incremental ? incrementalFieldType(definition, flow.incremental.field) : 'DateTime';
  const filter = buildFilter(flow.filter, flow.incremental, windowType, flow.limit);
  record.filterExpression = filter.expression;
  if (filter.expression) progress.step(`  filterExpression: ${filter.expression}`);
  if (filter.clientLimit !== null) {
    progress.note(
      `--limit ${filter.clientLimit}: the filter language's LIMIT needs at least 10, so the runner stops after ${filter.clientLimit} rows itself`,
    );
  }

  const destination = flow.write ? await prepareDestination(context, identity, flow.write, entities, selected) : null;
  if (destination && flow.write) {
    progress.step(`✓ DescribeEntity                    ${flow.write.table} (destination, ${flow.write.operation})`);
  }

  const writer = context.output?.writer(selected) ?? null;
  const selectedTypes = new Map(
    definition.fields
      .filter((field) => selected.includes(field.fieldName))
      .map((field) => [field.fieldName, field.dataType]),
  );
  const maxResults = filter.clientLimit !== null ? Math.min(flow.pageSize, filter.clientLimit) : flow.pageSize;
  const seenTokens = new Set<string>();
  const preview = flow.preview ?? 0;
  let token: string | null = null;
  let limitReported = false;
  metrics.readingStartedAt = performance.now();
  const total = filter.dslLimit ?? filter.clientLimit;

  reading: while (true) {
    const page: ResponseOf<'QueryDataRequest'> = await call(
      context,
      'QueryDataRequest',
      queryDataEvent(profile, identity, {
        entityDefinition: definition,
        selectedFieldNames: selected,
        filterExpression: filter.expression,
        maxResults,
        nextToken: token,
      }),
    );
    metrics.pagesRead++;
    const records = page.records ?? [];
    if (records.length > maxResults) {
      report.add(violation('QueryData', 'records', `at most ${maxResults} records (maxResults)`, `${records.length}`));
    }
    for (let index = 0; index < records.length; index++) {
      if (filter.clientLimit !== null && metrics.rowsRead >= filter.clientLimit) break reading;
      const text = records[index]!;
      const fields = splitRecord(text);
      if (!fields) {
        report.add(
          violation('QueryData', `records[${index}]`, 'a JSON object serialized as a string', describeValue(text)),
        );
        continue;
      }
      for (const field of fields) {
        const dataType = selectedTypes.get(field.name);
        const problem = dataType ? valueProblem(dataType, field.raw) : 'only the selectedFieldNames';
        if (problem) {
          const got = dataType
            ? `${field.raw.length > 60 ? `${field.raw.slice(0, 60)}…` : field.raw}`
            : 'an extra field';
          report.add(violation('QueryData', `records[${index}].${field.name}`, problem, got));
        }
      }
      metrics.rowsRead++;
      if (record.preview.length < preview) {
        record.preview.push(text.length > PREVIEW_LENGTH ? `${text.slice(0, PREVIEW_LENGTH)}…` : text);
      }
      await writer?.write(fields, text);
      if (destination) {
        const kept: RecordField[] | null = destination.keep
          ? fields.filter((field) => destination.keep!.has(field.name))
          : null;
        await destination.batcher.add(kept ? joinRecord(kept) : text);
      }
    }
    if (filter.dslLimit !== null && metrics.rowsRead > filter.dslLimit && !limitReported) {
      limitReported = true;
      report.add(
        violation(
          'QueryData',
          'records',
          `at most ${filter.dslLimit} records in all pages (LIMIT ${filter.dslLimit})`,
          `${metrics.rowsRead} so far`,
        ),
      );
    }
    progress.update({
      rowsRead: metrics.rowsRead,
      pagesRead: metrics.pagesRead,
      bytesRead: metrics.bytesRead,
      rowsWritten: metrics.rowsWritten,
      seconds: metrics.readingSeconds(),
      total,
    });
    if (filter.clientLimit !== null && metrics.rowsRead >= filter.clientLimit) break;
    const next: string | null = page.nextToken ?? null;
    if (next === null) break;
    if (seenTokens.has(next)) {
      report.add(
        violation(
          'QueryData',
          'nextToken',
          'a token not returned before in this read',
          'a repeated token (the read would never end)',
        ),
      );
      throw new ContractBrokenError('QueryData');
    }
    seenTokens.add(next);
    token = next;
  }
  await destination?.batcher.flush();
  // The last line shows the rows written by the final batch too.
  progress.update({
    rowsRead: metrics.rowsRead,
    pagesRead: metrics.pagesRead,
    bytesRead: metrics.bytesRead,
    rowsWritten: metrics.rowsWritten,
    seconds: metrics.readingSeconds(),
    total,
  });
  progress.finish();
  progress.step(
    `✓ QueryData                         ${plural(metrics.rowsRead, 'row')} of ${flow.entity} in ${plural(metrics.pagesRead, 'page')}`,
  );
  if (record.preview.length > 0) {
    progress.step(`  first ${record.preview.length} of them:`);
    for (const line of record.preview) progress.step(`    ${line}`);
  }
  if (destination && flow.write) {
    const failed = metrics.rowsFailed > 0 ? `, ${count(metrics.rowsFailed)} failed` : '';
    progress.step(
      `${metrics.rowsFailed > 0 ? '✗' : '✓'} WriteData                         ${plural(metrics.rowsWritten, 'row')} into ${flow.write.table} with ${flow.write.operation} in ${plural(metrics.writeBatches, 'batch', 'batches')}${failed}`,
    );
  }
}
