/**
 * The destination side (WriteData): which fields AppFlow would map into the destination, the id fields, and the
 * batches — cut by count and by request size — with one result per record, partial failures counted and shown.
 */
import type { EntityDefinition, FieldDefinition, WriteOperationType } from '../handler/protocol/codecs';
import { WRITE_REQUEST_BUDGET_BYTES } from './constants';
import { describeValue } from './contract';
import { describe, requireFields } from './entities';
import { OperationFailedError, RunnerError } from './errors';
import { type FlowIdentity, writeDataEvent } from './events';
import { call, type FlowContext, violation } from './exchange';
import type { WriteOptions } from './flags';
import { plural } from './format';

const KEPT_WRITE_FAILURES = 5;

/** Whether AppFlow would map a source field into this destination field for the operation. */
function acceptsField(field: FieldDefinition, operation: WriteOperationType, idFields: ReadonlySet<string>): boolean {
  if (idFields.has(field.fieldName)) return true;
  const write = field.writeProperties;
  switch (operation) {
    case 'DELETE':
      return false;
    case 'INSERT':
      return write?.isCreatable !== false;
    case 'UPDATE':
      return write?.isUpdatable !== false;
    case 'UPSERT':
      return write?.isUpsertable !== false;
  }
}

/** Collects records into WriteData requests and sends each when it is full (by count or by request size). */
export class WriteBatcher {
  private records: string[] = [];
  private bytes = 0;
  private readonly baseBytes: number;

  constructor(
    private readonly context: FlowContext,
    private readonly identity: FlowIdentity,
    private readonly definition: EntityDefinition,
    private readonly options: WriteOptions,
    private readonly idFields: readonly string[] | null,
  ) {
    this.baseBytes = Buffer.byteLength(JSON.stringify(this.event([])));
  }

  private event(records: readonly string[]) {
    return writeDataEvent(this.context.profile, this.identity, {
      entityDefinition: this.definition,
      operation: this.options.operation,
      idFieldNames: this.idFields,
      records,
      allOrNone: this.options.allOrNone,
    });
  }

  async add(record: string): Promise<void> {
    // The record travels as a JSON string inside the JSON request: measure it escaped, plus a comma.
    const size = Buffer.byteLength(JSON.stringify(record)) + 1;
    if (this.records.length > 0 && this.baseBytes + this.bytes + size > WRITE_REQUEST_BUDGET_BYTES) await this.flush();
    this.records.push(record);
    this.bytes += size;
    if (this.records.length >= this.options.batchSize) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.records.length === 0) return;
    const records = this.records;
    this.records = [];
    this.bytes = 0;
    const response = await call(this.context, 'WriteDataRequest', this.event(records));
    const { metrics, report, record } = this.context;
    metrics.writeBatches++;
    const results = response.writeRecordResults ?? null;
    if (results === null || results.length !== records.length) {
      report.add(
        violation(
          'WriteData',
          'writeRecordResults',
          `one result per record (${records.length})`,
          describeValue(results),
        ),
      );
    }
    let failed = 0;
    if (results === null) {
      if (!response.isSuccess) failed = records.length;
    } else {
      for (const result of results) {
        if (result.isSuccess) continue;
        failed++;
        if (record.writeFailures.length < KEPT_WRITE_FAILURES) {
          record.writeFailures.push(`${result.recordId ?? '?'}: ${result.errorMessage ?? '(no errorMessage)'}`);
        }
      }
      if (failed > 0 && response.isSuccess) {
        report.add(violation('WriteData', 'isSuccess', 'false (PartialWriteFailure) when a record failed', 'true'));
      }
    }
    const written = Math.min(records.length, (results?.length ?? records.length) - failed);
    metrics.rowsWritten += Math.max(0, written);
    metrics.rowsFailed += failed;
    if (failed > 0 && this.options.allOrNone) {
      throw new OperationFailedError(
        'WriteData',
        `${plural(failed, 'record')} failed with allOrNone, so the flow stops: ${record.writeFailures[0] ?? ''}`,
      );
    }
  }
}

export interface Destination {
  readonly batcher: WriteBatcher;
  /** Source fields the destination takes; null when it takes every field as it is. */
  readonly keep: ReadonlySet<string> | null;
}

export async function prepareDestination(
  context: FlowContext,
  identity: FlowIdentity,
  options: WriteOptions,
  entities: readonly { entityIdentifier: string; isWritable?: boolean | null | undefined }[],
  sourceFields: readonly string[],
): Promise<Destination> {
  const listed = entities.find((entity) => entity.entityIdentifier === options.table);
  if (!listed) throw new RunnerError(`--write-to ${options.table}: ListEntities does not list it`);
  if (listed.isWritable === false) {
    throw new RunnerError(`--write-to ${options.table}: the connector lists it with isWritable false (a view?)`);
  }
  const definition = await describe(context, identity, options.table);
  const primaryKey = definition.fields.filter((field) => field.isPrimaryKey === true).map((field) => field.fieldName);
  const needsIds = options.operation !== 'INSERT';
  const idFields = options.idFields ?? (needsIds ? primaryKey : null);
  if (needsIds && (!idFields || idFields.length === 0)) {
    throw new RunnerError(`--write-to ${options.table} has no primary key: pass --id-fields for ${options.operation}`);
  }
  if (idFields) {
    requireFields(idFields, definition, '--id-fields');
    for (const name of idFields) {
      const supported = definition.fields.find((field) => field.fieldName === name)?.writeProperties
        ?.supportedWriteOperations;
      if (needsIds && supported && !supported.includes(options.operation)) {
        throw new RunnerError(
          `--id-fields ${name} cannot key ${options.operation} (supportedWriteOperations: ${supported.join(', ') || 'none'})`,
        );
      }
    }
  }
  const ids = new Set(idFields ?? []);
  const accepted = new Set(
    definition.fields.filter((field) => acceptsField(field, options.operation, ids)).map((field) => field.fieldName),
  );
  const missingIds = [...ids].filter((name) => !sourceFields.includes(name));
  if (missingIds.length > 0) {
    throw new RunnerError(`the id fields ${missingIds.join(', ')} are not among the fields read (--fields)`);
  }
  const leftOut = sourceFields.filter((name) => !accepted.has(name));
  if (leftOut.length > 0) context.progress.note(`left out of the write to ${options.table}: ${leftOut.join(', ')}`);
  context.record.destination = { table: options.table, operation: options.operation };
  const batcher = new WriteBatcher(context, identity, definition, options, idFields);
  return { batcher, keep: leftOut.length > 0 ? accepted : null };
}
