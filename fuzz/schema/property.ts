/**
 * Property 7, `schemas`: random tables of the engine's type catalog (fuzz/schema/case.ts), filled with edge values,
 * driven through the built bundle, and checked against oracles that read the server through the raw driver and
 * share no code with the connector's value conversion:
 *
 * - round trip: a value WriteData accepted is stored exactly as sent (the server's text, fuzz/schema/exact.ts); a
 *   value the column cannot hold exactly is refused for its record, never altered; QueryData's rendering of a row,
 *   written back with UPDATE, changes nothing;
 * - read completeness: the multiset of records of a full paged read (random page sizes, filters, LIMIT, rows
 *   inserted and deleted between pages) equals the raw rows the reference filter evaluator selects, for the rows
 *   that existed throughout; RetrieveData returns exactly the rows of the ids asked for;
 * - write truth: replaying the records reported written, in order, on the table before the request gives the table
 *   after it (a record reported written changed its row as its operation says; one reported failed changed
 *   nothing), also for two writers at once and under triggers; allOrNone is all or nothing; a recordId is the
 *   record's own key;
 * - secrecy: no text value written or stored appears in an errorMessage or a log line;
 * - metadata: DescribeEntity's fields, types, nullability, primary key, generated columns and literal defaults
 *   agree with the DDL, and a new row's omitted column holds the default DescribeEntity stated.
 *
 * A failure message carries a runnable reproduction (DDL, rows, events) of the case fast-check shrank.
 */
import fc from 'fast-check';
import { InvalidArgumentError } from '../../handler/errors';
import { type FilterField, parseFilter } from '../../handler/filter';
import { describeEntityEvent, queryDataEvent, retrieveDataEvent, writeDataEvent } from '../../test/support/events';
import { matchesFilter, type Row } from '../../test/support/filterEvaluator';
import { capturedLogs, containsSecret } from '../../test/support/lambda';
import { type CheckedResponse, call, checkOutcome, OutcomeStats, safeStringify, violated } from '../harness';
import type { FuzzContext, FuzzProperty, PropertyResult } from '../properties/shared';
import {
  type CaseSql,
  caseFeatures,
  caseSql,
  isServerFilled,
  type Op,
  type RecordCase,
  rowTarget,
  type SchemaCase,
  schemaCaseArb,
  type WriteOp,
} from './case';
import type { SchemaDialect } from './dialect';
import { schemaDialect } from './dialects';
import { REFUSE, ServerText } from './exact';
import { reproduction } from './repro';
import { activeKnownDefects } from './switches';

type Snapshot = Record<string, string | null>[];

interface CaseRun {
  readonly context: FuzzContext;
  readonly c: SchemaCase;
  readonly dialect: SchemaDialect;
  readonly sql: CaseSql;
  readonly stats: OutcomeStats;
  /** Events sent so far (for the reproduction). */
  readonly events: unknown[];
  /** Text values written or stored: never in a message or log line. */
  readonly secrets: Set<string>;
  definition: { fields: FieldLike[] } | null;
}

interface FieldLike {
  fieldName: string;
  dataType: string;
  isPrimaryKey?: boolean;
  defaultValue?: string | null;
  readProperties?: { isNullable?: boolean | null } | null;
  writeProperties?: { isNullable?: boolean | null; isCreatable?: boolean | null; isUpdatable?: boolean | null } | null;
}

let tableCounter = 0;

function fail(run: CaseRun, message: string): never {
  violated(`${message}\n\n${reproduction(run.c, run.sql, run.context.stage.sql.quote, run.events)}`);
}

/** The table's rows have a key (the write model tracks rows by it). */
const keyed = (c: SchemaCase) =>
  c.key === 'primary' || c.key === 'composite' || c.key === 'unique' || c.key === 'deferrable';
/**
 * The entity the connector sees pages by that key (a view has none; a deferrable unique key is no key: both are
 * read by offset).
 */
const keyedEntity = (c: SchemaCase) => keyed(c) && c.kind !== 'view' && c.key !== 'deferrable';

function identity(c: SchemaCase, row: { k?: unknown; k2?: unknown }): string {
  return c.key === 'composite' ? `${row.k}/${row.k2}` : String(row.k);
}

async function snapshot(run: CaseRun): Promise<Snapshot> {
  const q = run.context.stage.sql.quote;
  const select = run.sql.columns.map(({ name, facts }) => `${facts.read(q(name))} AS ${q(name)}`).join(', ');
  // An inheriting table's entity is its own rows only; the child is an entity of its own (the connector reads and
  // writes `ONLY` the named table: handler/engines/postgresql/dialect.ts, readSource).
  const from = run.c.kind === 'inherited' ? `ONLY ${q(run.sql.table)}` : q(run.sql.table);
  const rows = (await run.context.watcher.query(`SELECT ${select} FROM ${from}`)) as Record<string, unknown>[];
  return rows.map((row) => {
    const out: Record<string, string | null> = {};
    for (const { name, facts } of run.sql.columns) {
      const value = row[name];
      out[name] =
        value === null || value === undefined
          ? null
          : facts.normalize(Buffer.isBuffer(value) ? value.toString('utf8') : String(value));
    }
    return out;
  });
}

/**
 * A stored row as records must show it: server texts shown as `null` (PostgreSQL NaN, ±Infinity, ±infinity;
 * docs/types.md, "Values written back") are null, for reads and filters alike.
 */
function shownRow(run: CaseRun, row: Record<string, string | null>): Record<string, string | null> {
  const out = { ...row };
  for (const { name, facts } of run.sql.columns) {
    const value = out[name];
    if (value !== null && value !== undefined && facts.shownAsNull?.includes(value)) out[name] = null;
  }
  return out;
}

function rowText(row: Record<string, string | null>): string {
  return JSON.stringify(
    Object.keys(row)
      .sort()
      .map((key) => [key, row[key]]),
  );
}

/**
 * The text values of records (String fields): a digit string sent to a number column is no secret text (it may
 * legitimately equal a range limit a message names).
 */
function recordTexts(run: CaseRun, records: readonly Record<string, unknown>[]): unknown[] {
  const text = new Set(run.sql.columns.filter(({ facts }) => facts.dataType === 'String').map(({ name }) => name));
  return records.flatMap((record) =>
    Object.entries(record)
      .filter(([name]) => text.has(name))
      .map(([, value]) => value),
  );
}

function noteSecrets(run: CaseRun, values: Iterable<unknown>): void {
  for (const value of values) {
    if (
      typeof value === 'string' &&
      [...value].length >= 4 &&
      /[A-Za-z0-9]/.test(value) &&
      !/^(true|false|null)$/i.test(value)
    ) {
      run.secrets.add(value);
    }
  }
}

function snapshotSecrets(run: CaseRun, rows: Snapshot): void {
  const stringColumns = run.sql.columns.filter(({ facts }) => facts.dataType === 'String').map(({ name }) => name);
  noteSecrets(
    run,
    rows.flatMap((row) => stringColumns.map((name) => row[name])),
  );
}

/** The secrecy oracle over one answer's messages. */
function checkMessages(run: CaseRun, checked: CheckedResponse): void {
  const messages: string[] = [];
  if (checked.response.errorDetails) messages.push(checked.response.errorDetails.errorMessage);
  for (const result of (checked.response.writeRecordResults ?? []) as { errorMessage?: string | null }[]) {
    if (result.errorMessage) messages.push(result.errorMessage);
  }
  for (const message of messages) {
    for (const secret of run.secrets) {
      if (message.includes(secret))
        fail(
          run,
          `secrecy: the value ${JSON.stringify(secret)} appears in the errorMessage ${JSON.stringify(message)}`,
        );
    }
  }
}

async function exercise(run: CaseRun, event: Record<string, unknown>): Promise<CheckedResponse> {
  run.events.push(event);
  const mark = run.context.strays.mark();
  const outcome = await call(run.context.stage.bundle, event);
  const checked = checkOutcome(event, outcome, run.context.secrets)!;
  run.stats.record(event, outcome, checked);
  run.context.strays.assertNoneSince(mark, run.context.secrets);
  checkMessages(run, checked);
  return checked;
}

// ---------------------------------------------------------------------------------------------------------------
// Setup and metadata

async function createCase(run: CaseRun): Promise<void> {
  const { watcher } = run.context;
  const q = run.context.stage.sql.quote;
  for (const statement of [...run.sql.drop, ...run.sql.create]) await watcher.query(statement);
  for (const [index, [k, k2, values]] of run.c.rows.entries()) {
    const target = rowTarget(run.c, run.sql, index);
    const names = run.sql.columns.filter(({ name }) => !isServerFilled(name));
    const cells: unknown[] = [target !== run.sql.table && k !== null ? k + 100 : k];
    if (run.c.key === 'composite') cells.push(k2);
    run.c.columns.forEach((column, i) => {
      const value = values[i];
      const facts = names.find((entry) => entry.name === column.name)!.facts;
      const canonical = value === null ? null : value instanceof ServerText ? value.text : facts.exact(value);
      cells.push(
        canonical === null || canonical === REFUSE ? null : (facts.input ?? ((text: string) => text))(canonical),
      );
    });
    const placeholders = names.map(({ facts }, i) => facts.bind(run.dialect.parameter(i + 1)));
    await watcher.query(
      `INSERT INTO ${q(target)} (${names.map(({ name }) => q(name)).join(', ')}) VALUES (${placeholders.join(', ')})`,
      cells.map((cell) => (cell === null ? null : String(cell))),
    );
  }
  for (const statement of run.sql.triggers) await watcher.query(statement);
}

async function checkMetadata(run: CaseRun): Promise<void> {
  const event = describeEntityEvent(run.context.stage.target, run.sql.entity);
  const checked = await exercise(run, event);
  if (!checked.response.isSuccess) fail(run, `metadata: DescribeEntity failed: ${checked.text.slice(0, 800)}`);
  const definition = checked.response.entityDefinition as { fields: FieldLike[] };
  run.definition = definition;
  const names = run.sql.columns.map(({ name }) => name);
  const got = definition.fields.map((field) => field.fieldName);
  if (safeStringify([...got].sort()) !== safeStringify([...names].sort())) {
    fail(run, `metadata: DescribeEntity lists fields ${safeStringify(got)}, the table has ${safeStringify(names)}`);
  }
  const primary =
    run.c.kind === 'view' ? [] : run.c.key === 'primary' ? ['k'] : run.c.key === 'composite' ? ['k', 'k2'] : [];
  for (const field of definition.fields) {
    const column = run.sql.columns.find(({ name }) => name === field.fieldName)!;
    const spec = run.c.columns.find(({ name }) => name === field.fieldName);
    if (field.dataType !== column.facts.dataType) {
      fail(
        run,
        `metadata: field ${field.fieldName} (${column.facts.sql}) is described as ${field.dataType}, the README maps it to ${column.facts.dataType}`,
      );
    }
    const nullable = field.writeProperties?.isNullable ?? field.readProperties?.isNullable;
    const declared = spec
      ? spec.nullable
      : field.fieldName === 'k'
        ? run.c.key === 'unique-nullable'
        : field.fieldName !== 'k2';
    const cautious = run.c.kind === 'view' && run.dialect.viewColumnsNullable && nullable === true;
    if (
      nullable !== undefined &&
      nullable !== null &&
      nullable !== declared &&
      !isServerFilled(field.fieldName) &&
      !cautious
    ) {
      fail(
        run,
        `metadata: field ${field.fieldName} is described ${nullable ? '' : 'not '}nullable, declared ${declared ? 'NULL' : 'NOT NULL'}`,
      );
    }
    if (
      (primary.length > 0 || run.c.kind === 'view') &&
      Boolean(field.isPrimaryKey) !== primary.includes(field.fieldName)
    ) {
      fail(run, `metadata: field ${field.fieldName} is ${field.isPrimaryKey ? '' : 'not '}described as primary key`);
    }
    if (field.fieldName === 'g' && (field.writeProperties?.isCreatable || field.writeProperties?.isUpdatable)) {
      fail(run, 'metadata: the generated column g is described as writable');
    }
    if (
      field.fieldName === 'ident' &&
      run.dialect.identityAlwaysGenerated &&
      (field.writeProperties?.isCreatable || field.writeProperties?.isUpdatable)
    ) {
      fail(run, 'metadata: the GENERATED ALWAYS identity column ident is described as writable');
    }
    // A PostgreSQL view's column has no default of its own: an INSERT through the view gets the column type's
    // (a domain's DEFAULT), not the base column's expression (checked on PostgreSQL 15: a view over
    // `c1 d5 NOT NULL DEFAULT (1 + 1)`, d5 DEFAULT 5, stores 5), so stating the domain's default is right there. Domains are in PostgreSQL's catalog only.
    const viewGetsDomainDefault = run.c.kind === 'view' && spec?.type.t === 'domain' && spec.type.withDefault;
    if (
      spec?.default === 'expression' &&
      !viewGetsDomainDefault &&
      field.defaultValue !== undefined &&
      field.defaultValue !== null
    ) {
      fail(
        run,
        `metadata: field ${field.fieldName} has an expression default, described as the value ${JSON.stringify(field.defaultValue)}`,
      );
    }
  }
}

/** The default DescribeEntity states for a column, canonical (null when it states none). */
function statedDefault(run: CaseRun, name: string): string | null | typeof REFUSE {
  const field = run.definition?.fields.find((f) => f.fieldName === name);
  if (!field || field.defaultValue === undefined || field.defaultValue === null) return null;
  const facts = run.sql.columns.find((column) => column.name === name)!.facts;
  const stated = field.defaultValue;
  // A stated default is text: read it as the record value it stands for.
  const asValue = facts.dataType === 'Boolean' ? stated === 'true' || stated === '1' : stated;
  return facts.exact(asValue);
}

// ---------------------------------------------------------------------------------------------------------------
// Writes

function idFieldNames(c: SchemaCase, op: WriteOp): string[] | null {
  return op.ids ? (c.key === 'composite' ? ['k', 'k2'] : ['k']) : null;
}

function recordObject(c: SchemaCase, record: RecordCase, operation: string): Record<string, unknown> {
  const object: Record<string, unknown> = { k: record.k };
  if (c.key === 'composite') object.k2 = record.k2;
  if (operation === 'DELETE') return object;
  for (const [index, value] of record.fields) object[c.columns[index]!.name] = value;
  return object;
}

function applyModel(
  run: CaseRun,
  state: Map<string, Record<string, string | null>>,
  op: WriteOp,
  results: { isSuccess: boolean; recordId?: string | null }[],
  inserted: Record<string, string | null>[],
): void {
  const { c } = run;
  op.records.forEach((record, index) => {
    const result = results[index]!;
    if (!result.isSuccess) return;
    const id = identity(c, record);
    const object = recordObject(c, record, op.operation);
    const values: Record<string, string | null> = {};
    for (const [name, value] of Object.entries(object)) {
      const facts = run.sql.columns.find((column) => column.name === name)!.facts;
      const exact = value === null ? null : facts.exact(value);
      if (exact === REFUSE) {
        fail(
          run,
          `round trip: record ${index} (${op.operation}) was reported written although ${name}'s value ${safeStringify(value)} cannot be stored exactly in ${facts.sql}: it must be refused, never altered`,
        );
      }
      values[name] = exact;
    }
    // An empty recordId says "no id known" (an INSERT into a table without a primary key and no idFieldNames).
    if (
      keyed(c) &&
      result.recordId !== undefined &&
      result.recordId !== null &&
      result.recordId !== '' &&
      op.operation !== 'DELETE'
    ) {
      const expectedId = c.key === 'composite' ? [record.k, record.k2] : record.k;
      const got = (() => {
        try {
          return JSON.parse(result.recordId);
        } catch {
          return result.recordId;
        }
      })();
      if (String(got) !== String(expectedId) && safeStringify(got) !== safeStringify(expectedId)) {
        fail(
          run,
          `write truth: record ${index} (key ${safeStringify(expectedId)}) is reported with recordId ${safeStringify(result.recordId)}`,
        );
      }
    }
    if (!keyed(c)) {
      // Keyless: the model is the list of rows; the id fields select every row holding those values.
      const ids = idFieldNames(c, op) ?? [];
      const matches = inserted.filter((row) => ids.length > 0 && ids.every((name) => row[name] === values[name]));
      if (op.operation === 'INSERT' || (op.operation === 'UPSERT' && matches.length === 0)) inserted.push(values);
      else if (matches.length === 0)
        fail(
          run,
          `write truth: record ${index} was reported ${op.operation === 'DELETE' ? 'deleted' : 'updated'}, but no row matched its id fields`,
        );
      else if (op.operation === 'DELETE') for (const row of matches) inserted.splice(inserted.indexOf(row), 1);
      else for (const row of matches) Object.assign(row, values);
      return;
    }
    const existing = state.get(id);
    switch (op.operation) {
      case 'INSERT':
        if (existing)
          fail(run, `write truth: record ${index} was reported inserted, but a row with key ${id} was already there`);
        state.set(id, values);
        break;
      case 'UPDATE':
        if (!existing)
          fail(run, `write truth: record ${index} was reported updated, but there was no row with key ${id}`);
        state.set(id, { ...existing, ...values });
        break;
      case 'UPSERT':
        state.set(id, existing ? { ...existing, ...values } : values);
        break;
      case 'DELETE':
        if (!existing)
          fail(run, `write truth: record ${index} was reported deleted, but there was no row with key ${id}`);
        state.delete(id);
        break;
    }
  });
}

function resultsOf(
  run: CaseRun,
  op: WriteOp,
  checked: CheckedResponse,
): { isSuccess: boolean; recordId?: string | null; errorMessage?: string | null }[] {
  const results = checked.response.writeRecordResults as
    | { isSuccess: boolean; recordId?: string | null }[]
    | null
    | undefined;
  if (!results) {
    if (checked.response.isSuccess) fail(run, 'write truth: a successful WriteData has no writeRecordResults');
    return op.records.map(() => ({ isSuccess: false }));
  }
  if (results.length !== op.records.length)
    fail(run, `write truth: ${results.length} results for ${op.records.length} records`);
  const all = results.every((result) => result.isSuccess);
  if (checked.response.isSuccess !== all)
    fail(run, `write truth: isSuccess ${checked.response.isSuccess} disagrees with the record results`);
  if (op.allOrNone && !all && results.some((result) => result.isSuccess)) {
    fail(run, 'write truth: an allOrNone request with a failed record reports another record written');
  }
  return results;
}

/** Compares the model with the table after the writes. */
function compareModel(
  run: CaseRun,
  before: Snapshot,
  after: Snapshot,
  state: Map<string, Record<string, string | null>>,
  inserted: Record<string, string | null>[],
  what: string,
): void {
  const { c } = run;
  const show = () => `\ntable before: ${safeStringify(before)}\ntable after: ${safeStringify(after)}`;
  const tracked = (name: string) => !isServerFilled(name);
  if (keyed(c)) {
    const actual = new Map(after.map((row) => [identity(c, row), row]));
    for (const id of new Set([...state.keys(), ...actual.keys()])) {
      const want = state.get(id);
      const got = actual.get(id);
      if (want && !got)
        fail(
          run,
          `write truth: after ${what}, the row with key ${id} should be there (as the results report), but is not${show()}`,
        );
      if (!want && got)
        fail(run, `write truth: after ${what}, a row with key ${id} is there that no record reported written${show()}`);
      const wasThere = before.some((row) => identity(c, row) === id);
      for (const { name } of run.sql.columns) {
        if (!tracked(name) || !want || !got) continue;
        if (name in want) {
          if (want[name] !== got[name]) {
            fail(
              run,
              `round trip / write truth: after ${what}, row ${id} holds ${name} = ${safeStringify(got[name])}, expected ${safeStringify(want[name])}${show()}`,
            );
          }
        } else if (!wasThere) {
          // A new row's omitted column holds the default DescribeEntity stated (metadata oracle).
          const stated = statedDefault(run, name);
          if (typeof stated === 'string' && got[name] !== stated) {
            fail(
              run,
              `metadata: a new row's omitted column ${name} holds ${safeStringify(got[name])}, DescribeEntity states the default ${safeStringify(stated)}${show()}`,
            );
          }
        }
      }
    }
    return;
  }
  // Keyless: every model row (the rows before, changed and added as reported) matches one row of the table on the
  // values it knows, and there is no other row. A full matching is searched (augmenting paths, Kuhn): a greedy choice
  // can give a row to a model row that knows fewer values and leave another without its only row.
  const model = [...inserted].sort((a, b) => Object.keys(b).length - Object.keys(a).length);
  if (model.length !== after.length) {
    fail(
      run,
      `write truth: after ${what}, the table has ${after.length} rows, the reported results make ${model.length}${show()}`,
    );
  }
  const fits = model.map((want) =>
    after.map((row) => Object.entries(want).every(([name, value]) => !tracked(name) || row[name] === value)),
  );
  const holder = new Array<number>(after.length).fill(-1); // table row -> model row
  const place = (index: number, seen: boolean[]): boolean => {
    for (let at = 0; at < after.length; at++) {
      if (!fits[index]![at] || seen[at]) continue;
      seen[at] = true;
      if (holder[at] === -1 || place(holder[at]!, seen)) {
        holder[at] = index;
        return true;
      }
    }
    return false;
  };
  for (const [index, want] of model.entries()) {
    if (!place(index, new Array<boolean>(after.length).fill(false))) {
      fail(
        run,
        `round trip / write truth: after ${what}, no row of the table holds ${safeStringify(want)} as the reported results say${show()}`,
      );
    }
  }
}

async function runWrite(run: CaseRun, op: WriteOp): Promise<void> {
  const target = run.context.stage.target;
  const before = await snapshot(run);
  snapshotSecrets(run, before);
  const records = op.records.map((record) => recordObject(run.c, record, op.operation));
  noteSecrets(run, recordTexts(run, records));
  const event = writeDataEvent(target, run.sql.entity, op.operation, records, {
    allOrNone: op.allOrNone,
    idFieldNames: idFieldNames(run.c, op),
  });
  const checked = await exercise(run, event);
  const after = await snapshot(run);
  const results = resultsOf(run, op, checked);
  const state = new Map(keyed(run.c) ? before.map((row) => [identity(run.c, row), row] as const) : []);
  const inserted = keyed(run.c) ? [] : before.map((row) => ({ ...row }));
  applyModel(run, state, op, results, inserted);
  compareModel(run, before, after, state, inserted, `${op.operation} event #${run.events.length}`);
}

async function runPair(run: CaseRun, first: WriteOp, second: WriteOp): Promise<void> {
  const target = run.context.stage.target;
  const before = await snapshot(run);
  snapshotSecrets(run, before);
  const events = [first, second].map((op) => {
    const records = op.records.map((record) => recordObject(run.c, record, op.operation));
    noteSecrets(run, recordTexts(run, records));
    return writeDataEvent(target, run.sql.entity, op.operation, records, {
      allOrNone: op.allOrNone,
      idFieldNames: idFieldNames(run.c, op),
    });
  });
  const [a, b] = await Promise.all(events.map((event) => exercise(run, event)));
  const after = await snapshot(run);
  const state = new Map(keyed(run.c) ? before.map((row) => [identity(run.c, row), row] as const) : []);
  const inserted = keyed(run.c) ? [] : before.map((row) => ({ ...row }));
  // Even and odd keys: the two requests touch disjoint rows, so their effects commute.
  applyModel(run, state, first, resultsOf(run, first, a!), inserted);
  applyModel(run, state, second, resultsOf(run, second, b!), inserted);
  compareModel(
    run,
    before,
    after,
    state,
    inserted,
    `two writers at once (events #${run.events.length - 1} and #${run.events.length})`,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Reads

/** A record as canonical texts (what each value stands for), through the oracle's own reading of values. */
/**
 * A record's JSON read exactly: a number whose text a double would change (a BIGINT beyond 2^53, a DECIMAL's
 * `42.5000`) is kept as its text. (A small scanner: Node 22's JSON.parse offers no source text to a reviver.)
 */
export function parseExactly(text: string): unknown {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (char === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (char === '-' || (char >= '0' && char <= '9')) {
      const token = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i))![0];
      const plain = /^-?\d+(\.\d+)?$/.test(token);
      out += plain && String(Number(token)) !== token ? `"${token}"` : token;
      i += token.length;
    } else {
      out += char;
      i++;
    }
  }
  return JSON.parse(out);
}

function canonicalRecord(run: CaseRun, record: string): Record<string, string | null> {
  const parsed = parseExactly(record) as Record<string, unknown>;
  const out: Record<string, string | null> = {};
  for (const { name, facts } of run.sql.columns) {
    const value = parsed[name];
    if (value === null || value === undefined) out[name] = null;
    else {
      const exact = facts.exact(value);
      out[name] = exact === REFUSE ? `unreadable rendering ${safeStringify(value)}` : exact;
    }
  }
  return out;
}

function filterRow(run: CaseRun, row: Record<string, string | null>): Row {
  const out: Record<string, number | null> = {};
  for (const { name, facts } of run.sql.columns) {
    if (name === 'k' || facts.filterable) out[name] = row[name] === null ? null : Number(row[name]);
  }
  return out;
}

async function runRead(run: CaseRun, op: Extract<Op, { op: 'read' }>): Promise<void> {
  const { c } = run;
  const q = run.context.stage.sql.quote;
  const reference = (await snapshot(run)).map((row) => shownRow(run, row));
  snapshotSecrets(run, reference);
  // Rows change between pages only where the read pages by key: offset paging promises stability only while the
  // data does not change (README, "Paging").
  const changes = op.changes && keyedEntity(c) && op.limit === null && reference.length > 0;
  const expression =
    op.filter === null && op.limit === null
      ? null
      : `${op.filter ?? ''}${op.limit === null ? '' : ` LIMIT ${op.limit}`}`.trim();
  let expected: Snapshot | 'InvalidArgument';
  let limit: number | null = null;
  try {
    const filter = expression === null ? null : parseFilter(expression);
    const fields = new Map<string, FilterField>(
      run.sql.columns.map(({ name, facts }) => [name, { name, dataType: facts.dataType as never }]),
    );
    expected =
      filter === null ? reference : reference.filter((row) => matchesFilter(filter, filterRow(run, row), fields));
    limit = filter?.limit ?? null;
  } catch (error) {
    if (!(error instanceof InvalidArgumentError)) throw error;
    expected = 'InvalidArgument';
  }
  const selected = run.sql.columns.map(({ name }) => name);
  const records: string[] = [];
  const touched = new Set<string>();
  let nextToken: string | null = null;
  let page = 0;
  do {
    const event = queryDataEvent(run.context.stage.target, run.sql.entity, {
      maxResults: op.maxResults,
      selectedFieldNames: selected,
      filterExpression: expression,
      nextToken,
    });
    const checked = await exercise(run, event);
    if (!checked.response.isSuccess) {
      if (expected === 'InvalidArgument' && checked.response.errorDetails?.errorCode === 'InvalidArgument') return;
      fail(run, `read completeness: QueryData failed: ${checked.text.slice(0, 800)}`);
    }
    if (expected === 'InvalidArgument')
      fail(
        run,
        `read completeness: the filter ${expression} is refused by the reference evaluator, the connector read it`,
      );
    const pageRecords = (checked.response.records ?? []) as string[];
    if (pageRecords.length > op.maxResults)
      fail(run, `read completeness: a page of ${pageRecords.length} records for maxResults ${op.maxResults}`);
    records.push(...pageRecords);
    nextToken = (checked.response.nextToken as string | null | undefined) ?? null;
    if (++page === 1 && changes && nextToken) {
      // Between pages: the row with the highest key is deleted, and a copy of the lowest one inserted with k 51 (odd: row-level security admits it).
      const ids = reference.map((row) => identity(c, row)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
      const highest = reference.find((row) => identity(c, row) === ids.at(-1))!;
      const lowest = reference.find((row) => identity(c, row) === ids[0])!;
      touched.add(identity(c, highest));
      touched.add(identity(c, { ...lowest, k: '51' }));
      const where =
        c.key === 'composite' ? `${q('k')} = ${highest.k} AND ${q('k2')} = ${highest.k2}` : `${q('k')} = ${highest.k}`;
      await run.context.watcher.query(`DELETE FROM ${q(run.sql.table)} WHERE ${where}`);
      const copied = run.sql.columns.filter(({ name }) => !isServerFilled(name)).map(({ name }) => q(name));
      const keyWhere =
        c.key === 'composite' ? `${q('k')} = ${lowest.k} AND ${q('k2')} = ${lowest.k2}` : `${q('k')} = ${lowest.k}`;
      await run.context.watcher.query(
        `INSERT INTO ${q(run.sql.table)} (${copied.join(', ')}) SELECT ${copied.map((name) => (name === q('k') ? '51' : name)).join(', ')} FROM ${q(run.sql.table)} WHERE ${keyWhere}`,
      );
      run.events.push({
        between: `pages 1 and 2: deleted key ${identity(c, highest)}, inserted a copy of key ${identity(c, lowest)} as k 51`,
      });
    }
  } while (nextToken);
  const got = records.map((record) => canonicalRecord(run, record));
  const show = () =>
    `\nfilter: ${expression}\nexpected (raw): ${safeStringify(expected)}\nrecords: ${safeStringify(records)}`;
  if (limit !== null) {
    if (got.length !== Math.min(limit, expected.length))
      fail(run, `read completeness: LIMIT ${limit} read ${got.length} records of ${expected.length} matching${show()}`);
    const pool = expected.map(rowText);
    for (const row of got) {
      const at = pool.indexOf(rowText(row));
      if (at < 0)
        fail(
          run,
          `read completeness: the record ${rowText(row)} is not a matching row as the server stores it${show()}`,
        );
      pool.splice(at, 1);
    }
    return;
  }
  const pool = got.map(rowText);
  for (const row of expected) {
    if (touched.has(identity(c, row))) continue;
    const at = pool.indexOf(rowText(row));
    if (at < 0)
      fail(
        run,
        `read completeness: the row ${rowText(row)} (unchanged during the read) is missing or shown differently${show()}`,
      );
    pool.splice(at, 1);
  }
  for (const text of pool) {
    const row = JSON.parse(text) as [string, string | null][];
    const id = identity(c, Object.fromEntries(row));
    if (!touched.has(id))
      fail(run, `read completeness: the record ${text} is read twice, or is not a row of the table${show()}`);
  }
  const counts = new Map<string, number>();
  for (const row of got) counts.set(identity(c, row), (counts.get(identity(c, row)) ?? 0) + 1);
  if (keyedEntity(c)) {
    for (const [id, count] of counts)
      if (count > 1) fail(run, `read completeness: key ${id} is read ${count} times${show()}`);
  }
  if (!changes && keyed(c) && c.kind !== 'view' && c.behaviours.check === false) await writeBack(run, records);
}

/**
 * Whether the case's BEFORE trigger refuses (raiseTrigger, k = 5) or skips (skipTrigger, k = 3) an UPDATE of this
 * key: only where it fires on UPDATE too (the engine's `triggers`, fuzz/schema/dialect.ts).
 */
function refusedOnUpdate(c: SchemaCase, key: unknown): boolean {
  if (!schemaDialect(c.engine).triggersFireOnUpdate) return false;
  const k = Number(key);
  return (c.behaviours.raiseTrigger && k === 5) || (c.behaviours.skipTrigger && k === 3);
}

function hasShownNull(run: CaseRun, name: string, object: Record<string, unknown>): boolean {
  const facts = run.sql.columns.find((column) => column.name === name)?.facts;
  return (facts?.shownAsNull?.length ?? 0) > 0 && object[name] === null;
}

/** QueryData's rendering of a row, written back with UPDATE, changes nothing. */
async function writeBack(run: CaseRun, records: string[]): Promise<void> {
  if (records.length === 0) return;
  const writable = new Set(run.sql.columns.map(({ name }) => name).filter((name) => !isServerFilled(name)));
  // Written back as the records read, numbers exactly as rendered (parseExactly keeps their text).
  const objects = records
    .map((record) =>
      Object.fromEntries(Object.entries(parseExactly(record) as object).filter(([name]) => writable.has(name))),
    )
    .filter((object) => !refusedOnUpdate(run.c, object.k))
    // A NOT NULL column holding a value shown as null (NaN, infinity) cannot take its record back: the null is
    // refused, as docs/types.md says such values are written back as NULL.
    .filter((object) => !run.c.columns.some((column) => !column.nullable && hasShownNull(run, column.name, object)))
    .slice(0, 3);
  if (objects.length === 0) return;
  const before = await snapshot(run);
  const event = writeDataEvent(run.context.stage.target, run.sql.entity, 'UPDATE', objects, {
    idFieldNames: run.c.key === 'composite' ? ['k', 'k2'] : ['k'],
  });
  const checked = await exercise(run, event);
  const after = await snapshot(run);
  const strip = (rows: Snapshot) =>
    rows.map((row) => rowText(Object.fromEntries(Object.entries(row).filter(([name]) => name !== 'tnote')))).sort();
  // A value shown as null is written back as null and stays NULL (docs/types.md): the table after is the table
  // before as records show it, compared raw (a NaN left in place, or a NULL turned into NaN, is a change).
  const written = new Set(objects.map((object) => identity(run.c, object)));
  const shownBefore = before.map((row) => (written.has(identity(run.c, row)) ? shownRow(run, row) : row));
  if (safeStringify(strip(shownBefore)) !== safeStringify(strip(after))) {
    fail(
      run,
      `round trip: writing QueryData's records back (UPDATE) changed the table\nbefore: ${safeStringify(before)}\nafter: ${safeStringify(after)}\nanswer: ${checked.text.slice(0, 800)}`,
    );
  }
  if (!checked.response.isSuccess) {
    fail(
      run,
      `round trip: the connector refuses its own rendering of a row written back (UPDATE): ${checked.text.slice(0, 800)}`,
    );
  }
}

async function runRetrieve(run: CaseRun, keys: readonly number[]): Promise<void> {
  if (run.c.key !== 'primary') return;
  const reference = (await snapshot(run)).map((row) => shownRow(run, row));
  snapshotSecrets(run, reference);
  const ids = keys.map(String);
  const event = retrieveDataEvent(run.context.stage.target, run.sql.entity, 'k', ids);
  const checked = await exercise(run, event);
  if (!checked.response.isSuccess) fail(run, `read completeness: RetrieveData failed: ${checked.text.slice(0, 800)}`);
  const got = ((checked.response.records ?? []) as string[])
    .map((record) => rowText(canonicalRecord(run, record)))
    .sort();
  const want = reference
    .filter((row) => ids.includes(String(row.k)))
    .map(rowText)
    .sort();
  if (safeStringify(got) !== safeStringify(want)) {
    fail(
      run,
      `read completeness: RetrieveData of ids ${safeStringify(ids)} returned ${safeStringify(got)}, the table holds ${safeStringify(want)}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The property

export async function setupSchemaFuzzing(context: FuzzContext): Promise<void> {
  for (const statement of schemaDialect(context.stage.engine).setup) await context.watcher.query(statement);
}

export interface SchemaCounters {
  cases: number;
  features: Map<string, number>;
}

export async function runSchemaCase(
  context: FuzzContext,
  c: SchemaCase,
  stats: OutcomeStats,
  counters: SchemaCounters,
): Promise<void> {
  const name = `fz_${process.pid}_${++tableCounter}`;
  const sql = caseSql(c, name, context.stage.sql.quote);
  const dialect = schemaDialect(c.engine);
  const run: CaseRun = { context, c, dialect, sql, stats, events: [], secrets: new Set(), definition: null };
  const logStart = capturedLogs().length;
  counters.cases++;
  for (const feature of caseFeatures(c)) counters.features.set(feature, (counters.features.get(feature) ?? 0) + 1);
  try {
    try {
      await createCase(run);
    } catch (error) {
      throw new Error(
        `fuzz generator: the case's DDL or rows do not run: ${(error as Error).message}\n\n${reproduction(c, sql, context.stage.sql.quote, [])}`,
      );
    }
    await checkMetadata(run);
    for (const op of c.ops) {
      if (op.op === 'write') await runWrite(run, op);
      else if (op.op === 'pair') await runPair(run, op.first, op.second);
      else if (op.op === 'read') await runRead(run, op);
      else await runRetrieve(run, op.keys);
    }
    const logs = capturedLogs().slice(logStart);
    for (const secret of run.secrets) {
      if (containsSecret(logs, secret)) {
        fail(run, `secrecy: the value ${JSON.stringify(secret)} appears in a log line`);
      }
    }
  } finally {
    for (const statement of sql.drop) await context.watcher.query(statement).catch(() => undefined);
  }
}

export const schemas: FuzzProperty = {
  name: 'schemas',
  title: 'random tables of the type catalog: round trip, read completeness, write truth, secrecy, metadata',
  weight: 0.05,
  async run(context, options): Promise<PropertyResult> {
    const stats = new OutcomeStats();
    const counters: SchemaCounters = { cases: 0, features: new Map() };
    await setupSchemaFuzzing(context);
    const disabled = activeKnownDefects(context.stage.engine, options.knownDefects);
    const arbitrary = schemaCaseArb(context.stage.engine).filter(
      (c) => !caseFeatures(c).some((feature) => disabled.has(feature)),
    );
    const property = fc.asyncProperty(arbitrary, async (c) => {
      await runSchemaCase(context, c, stats, counters);
    });
    const started = performance.now();
    await fc.assert(property, {
      numRuns: options.numRuns,
      seed: options.seed,
      timeout: 60_000,
      ...(options.interruptAfterMs === undefined
        ? {}
        : { interruptAfterTimeLimit: options.interruptAfterMs, markInterruptAsFailure: false }),
    });
    const ms = performance.now() - started;
    const top = [...counters.features.entries()]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([feature, count]) => `${feature} ${count}`);
    return {
      name: this.name,
      cases: stats.cases,
      ms,
      summary: `${counters.cases} tables; ${stats.summary()}; features: ${top.join(', ')}${disabled.size ? `; switched off (known defects): ${[...disabled].join(', ')}` : ''}`,
      samples: stats.samples,
      notable: stats.notable,
    };
  },
};
