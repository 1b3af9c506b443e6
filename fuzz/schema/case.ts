/**
 * One case of the schema fuzzer as plain data — a table (columns of the engine's catalog, a key, a kind, its
 * behaviours), its first rows and the operations to run — so that fast-check generates, prints and shrinks the whole
 * of it as one value, plus the SQL that creates it and a runnable reproduction.
 *
 * Every table has the integer column `k` (with `k2` for a composite key) that identifies rows for the oracles,
 * columns `c1…cN` of random types, and optionally `g` (generated from k, never writable) and `tnote` (written only
 * by a BEFORE trigger).
 */
import fc from 'fast-check';
import type { SchemaDialect } from './dialect';
import { schemaDialect } from './dialects';
import { ServerText } from './exact';
import { type ColumnType, columnTypes, type Engine, type TypeFacts, typeFacts, typeFeatures } from './types';

/** `deferrable` (PostgreSQL): UNIQUE (k) DEFERRABLE INITIALLY DEFERRED, which identifies rows but is no usable key. */
export type KeyMode = 'primary' | 'composite' | 'unique' | 'none' | 'unique-nullable' | 'deferrable';
export type TableKind = 'plain' | 'view' | 'partitioned' | 'inherited' | 'myisam' | 'aria' | 'memory';
export type DefaultMode = 'none' | 'literal' | 'expression';

export interface ColumnCase {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable: boolean;
  readonly default: DefaultMode;
}

export interface Behaviours {
  /** CHECK (k <> 6): records with k 6 fail on the server. */
  readonly check: boolean;
  /** BEFORE INSERT trigger: PostgreSQL skips the row (RETURN NULL) when k = 3; MariaDB raises for k = 3. */
  readonly skipTrigger: boolean;
  /** BEFORE INSERT/UPDATE trigger setting tnote. */
  readonly changeTrigger: boolean;
  /** AFTER INSERT trigger writing an audit table. */
  readonly auditTrigger: boolean;
  /** BEFORE INSERT trigger raising an error quoting the row's text column when k = 5. */
  readonly raiseTrigger: boolean;
  /** FOREIGN KEY (k) REFERENCES a parent holding keys 1..7 (8 and above fail; ignored by MyISAM/Aria/MEMORY). */
  readonly foreignKey: boolean;
  /** PostgreSQL: ENABLE and FORCE ROW LEVEL SECURITY, a policy showing and admitting odd keys only. */
  readonly rowSecurity: boolean;
}

export interface RecordCase {
  readonly k: number | null;
  readonly k2: number;
  /** [column index, JSON value] (a value of `undefined` never occurs: absent columns are not listed). */
  readonly fields: readonly (readonly [number, unknown])[];
}

export type WriteOperation = 'INSERT' | 'UPDATE' | 'UPSERT' | 'DELETE';

export interface WriteOp {
  readonly op: 'write';
  readonly operation: WriteOperation;
  readonly allOrNone: boolean;
  /** Name the key columns as idFieldNames (else null: the connector's default, the primary key). */
  readonly ids: boolean;
  readonly records: readonly RecordCase[];
}

export type Op =
  | WriteOp
  | {
      readonly op: 'read';
      readonly maxResults: number;
      /** A filter on k or an integer column, without LIMIT. */
      readonly filter: string | null;
      readonly limit: number | null;
      /** Rows inserted, updated and deleted (raw) between the first and the second page. */
      readonly changes: boolean;
    }
  | { readonly op: 'retrieve'; readonly keys: readonly number[] }
  /** Two WriteData requests at once: the first on even keys, the second on odd ones. */
  | { readonly op: 'pair'; readonly first: WriteOp; readonly second: WriteOp };

export interface SchemaCase {
  readonly engine: Engine;
  readonly key: KeyMode;
  readonly kind: TableKind;
  readonly columns: readonly ColumnCase[];
  readonly generated: boolean;
  /** An identity column `ident` (PostgreSQL GENERATED ALWAYS AS IDENTITY; MariaDB AUTO_INCREMENT with its own UNIQUE). */
  readonly identity: boolean;
  readonly behaviours: Behaviours;
  /** First rows, inserted through the raw driver: [k, k2, value per column (null or exact)]. */
  readonly rows: readonly (readonly [number | null, number, readonly unknown[]])[];
  readonly ops: readonly Op[];
}

/** The generator's features, each switchable off by name (fuzz/schema/switches.ts). */
export function caseFeatures(c: SchemaCase): string[] {
  const d = schemaDialect(c.engine);
  const features = new Set<string>([`key:${c.key}`, `kind:${c.kind}`]);
  for (const column of c.columns) {
    for (const feature of typeFeatures(d, column.type)) features.add(feature);
    if (column.default !== 'none') features.add(`default:${column.default}`);
  }
  if (c.generated) features.add('generated-column');
  if (c.identity) features.add('identity-column');
  for (const [name, on] of Object.entries(c.behaviours)) if (on) features.add(`behaviour:${name}`);
  const facts = c.columns.map((column) => typeFacts(d, column.type));
  const noteValues = (fields: readonly (readonly [number, unknown])[]) => {
    for (const [index, value] of fields) {
      const feature = facts[index]?.valueFeature?.(value);
      if (feature) features.add(feature);
    }
  };
  for (const [, , values] of c.rows) {
    if (values.some((value) => value instanceof ServerText)) features.add('value:shown-as-null');
  }
  const writes = c.ops.flatMap((op) => (op.op === 'write' ? [op] : op.op === 'pair' ? [op.first, op.second] : []));
  for (const op of writes) for (const record of op.records) if (op.operation !== 'DELETE') noteValues(record.fields);
  const yearColumns = c.columns.filter((column) => column.type.t === 'year').map((column) => column.name);
  for (const op of c.ops) {
    if (op.op === 'read' && op.filter && yearColumns.some((name) => new RegExp(`\\b${name}\\b`).test(op.filter!))) {
      features.add('filter:year');
    }
    if (op.op === 'read' && op.changes) features.add('read:changes-between-pages');
    if (op.op === 'read' && op.limit !== null) features.add('read:limit');
    if (op.op === 'pair') features.add('write:concurrent');
    if (op.op === 'write' && op.allOrNone) features.add('write:all-or-none');
  }
  return [...features];
}

const KEY_VALUES = fc.integer({ min: 1, max: 9 });

function recordArb(
  columns: readonly ColumnCase[],
  facts: readonly TypeFacts[],
  keyed: KeyMode,
): fc.Arbitrary<RecordCase> {
  const writable = columns.map((_, index) => index);
  return fc.record({
    k: keyed === 'unique-nullable' ? fc.option(KEY_VALUES, { freq: 5 }) : KEY_VALUES,
    k2: fc.integer({ min: 1, max: 2 }),
    fields: fc
      .subarray(writable)
      .chain((indexes) =>
        fc.tuple(
          ...indexes.map((index) =>
            fc
              .oneof({ weight: 8, arbitrary: facts[index]!.values }, { weight: 1, arbitrary: fc.constant(null) })
              .map((value) => [index, value] as const),
          ),
        ),
      ),
  });
}

function writeArb(
  columns: readonly ColumnCase[],
  facts: readonly TypeFacts[],
  key: KeyMode,
  parity: 0 | 1 | null,
): fc.Arbitrary<WriteOp> {
  const keyed = key === 'primary' || key === 'composite' || key === 'unique' || key === 'deferrable';
  const records = fc.array(recordArb(columns, facts, key), { minLength: 1, maxLength: 6 });
  return fc.record({
    op: fc.constant('write' as const),
    operation: keyed
      ? fc.constantFrom<WriteOperation>('INSERT', 'INSERT', 'UPDATE', 'UPSERT', 'UPSERT', 'DELETE')
      : fc.constantFrom<WriteOperation>('INSERT', 'INSERT', 'INSERT', 'UPDATE'),
    allOrNone: fc.boolean(),
    ids: fc.boolean(),
    records:
      parity === null
        ? records
        : records.map((list) =>
            list.map((record) => ({ ...record, k: record.k === null ? null : record.k * 2 + parity })),
          ),
  });
}

const defaultArb = fc.oneof(
  { weight: 5, arbitrary: fc.constant<DefaultMode>('none') },
  { weight: 2, arbitrary: fc.constant<DefaultMode>('literal') },
  { weight: 1, arbitrary: fc.constant<DefaultMode>('expression') },
);

export function schemaCaseArb(engine: Engine): fc.Arbitrary<SchemaCase> {
  const d = schemaDialect(engine);
  return fc
    .record({
      key: fc.constantFrom<KeyMode>(
        'primary',
        'primary',
        'composite',
        'unique',
        'none',
        'unique-nullable',
        ...(d.deferrableKeys ? (['deferrable'] as const) : []),
      ),
      kind: fc.constantFrom(...d.tableKinds),
      columns: fc.array(fc.record({ type: columnTypes(d), nullable: fc.boolean(), default: defaultArb }), {
        minLength: 1,
        maxLength: 4,
      }),
      generated: fc.boolean(),
      identity: fc.boolean(),
      behaviours: fc.record({
        check: fc.boolean(),
        skipTrigger: fc.boolean(),
        changeTrigger: fc.boolean(),
        auditTrigger: fc.boolean(),
        raiseTrigger: fc.boolean(),
        foreignKey: fc.boolean(),
        rowSecurity: d.rowSecurity ? fc.boolean() : fc.constant(false),
      }),
    })
    .map((shape) => {
      // MEMORY tables hold no TEXT/BLOB; views and partitions keep their own rules below.
      const columns = shape.columns
        .map((column, index) => ({ ...column, name: `c${index + 1}` }))
        .filter((column) => !(shape.kind === 'memory' && typeFacts(d, column.type).long))
        .filter((column) => !(shape.kind === 'view' && d.viewJsonIsText && column.type.t === 'json'));
      // PostgreSQL partitions by k: the partition key must be in every unique key (and k is never null).
      const key: KeyMode =
        shape.kind === 'partitioned' &&
        (shape.key === 'unique-nullable' || shape.key === 'unique' || shape.key === 'deferrable')
          ? 'primary'
          : shape.key;
      return {
        ...shape,
        key,
        columns:
          columns.length > 0
            ? columns
            : [
                {
                  ...shape.columns[0]!,
                  name: 'c1',
                  type: { t: 'int', size: 'int', unsigned: false, zerofill: false } as ColumnType,
                },
              ],
      };
    })
    .chain((shape) => {
      const facts = shape.columns.map((column) => typeFacts(d, column.type));
      // First rows hold only values the column stores exactly (they are inserted through the raw driver).
      // PostgreSQL's NaN/±Infinity/±infinity are server texts only a raw insert stores (records show them null).
      const exactValue = (index: number) => {
        const stored = facts[index]!.values.filter(
          (value) => value !== null && typeof facts[index]!.exact(value) === 'string',
        );
        const shown = facts[index]!.shownAsNull ?? [];
        return shown.length === 0
          ? stored
          : fc.oneof(
              { weight: 3, arbitrary: stored },
              { weight: 1, arbitrary: fc.constantFrom(...shown).map((text) => new ServerText(text) as unknown) },
            );
      };
      const row = fc.tuple(
        shape.key === 'unique-nullable' ? fc.option(KEY_VALUES, { freq: 5 }) : KEY_VALUES,
        fc.integer({ min: 1, max: 2 }),
        fc.tuple(
          ...shape.columns.map((column, index) =>
            column.nullable ? fc.option(exactValue(index), { freq: 4, nil: null }) : exactValue(index),
          ),
        ),
      );
      const identity = (r: readonly [number | null, number, unknown]) =>
        shape.key === 'composite' ? `${r[0]}/${r[1]}` : String(r[0]);
      const allowed = row.filter(
        (r) => !(shape.behaviours.check && r[0] === 6) && !(shape.behaviours.foreignKey && r[0] !== null && r[0] > 7),
      );
      const rows = fc.uniqueArray(allowed, {
        maxLength: 8,
        selector: (r) =>
          shape.key === 'none' || (shape.key === 'unique-nullable' && r[0] === null) ? JSON.stringify(r) : identity(r),
      });
      const read = fc.record({
        op: fc.constant('read' as const),
        maxResults: fc.integer({ min: 1, max: 6 }),
        filter: fc.option(filterArb(shape.columns, facts), { freq: 2 }),
        limit: fc.option(fc.integer({ min: 0, max: 6 }), { freq: 4 }),
        changes: fc.boolean(),
      });
      const retrieve = fc.record({
        op: fc.constant('retrieve' as const),
        keys: fc.uniqueArray(KEY_VALUES, { minLength: 1, maxLength: 4 }),
      });
      const pair = fc.record({
        op: fc.constant('pair' as const),
        first: writeArb(shape.columns, facts, shape.key, 0),
        second: writeArb(shape.columns, facts, shape.key, 1),
      });
      const op = fc.oneof(
        { weight: 5, arbitrary: writeArb(shape.columns, facts, shape.key, null) as fc.Arbitrary<Op> },
        { weight: 3, arbitrary: read as fc.Arbitrary<Op> },
        { weight: 1, arbitrary: retrieve as fc.Arbitrary<Op> },
        { weight: 1, arbitrary: pair as fc.Arbitrary<Op> },
      );
      return fc.record({
        engine: fc.constant(engine),
        key: fc.constant(shape.key),
        kind: fc.constant(shape.kind),
        columns: fc.constant(shape.columns as readonly ColumnCase[]),
        // MEMORY tables have no generated columns; a view shows the base table's columns only as they are.
        generated: fc.constant(shape.generated && shape.kind !== 'view' && shape.kind !== 'memory'),
        // Partitioned PostgreSQL tables take identity columns from 17 on only, and an inheriting child gets the
        // NOT NULL but not the identity; a view's would be its base table's.
        identity: fc.constant(
          shape.identity && shape.kind !== 'view' && shape.kind !== 'partitioned' && shape.kind !== 'inherited',
        ),
        behaviours: fc.constant(
          shape.kind === 'view' || shape.kind === 'memory'
            ? {
                check: shape.behaviours.check && shape.kind !== 'view',
                skipTrigger: false,
                changeTrigger: false,
                auditTrigger: false,
                raiseTrigger: false,
                foreignKey: false,
                rowSecurity: false,
              }
            : shape.behaviours,
        ),
        rows,
        ops: fc.array(op, { minLength: 1, maxLength: 5 }),
      });
    });
}

/** Filters over k and the integer columns: comparisons, BETWEEN, IN, null tests, NOT, AND/OR. */
function filterArb(columns: readonly ColumnCase[], facts: readonly TypeFacts[]): fc.Arbitrary<string> {
  const names = ['k', ...columns.filter((_, index) => facts[index]!.filterable).map((column) => column.name)];
  const field = fc.constantFrom(...names);
  const number = fc.integer({ min: -3, max: 10 });
  const leaf = fc.oneof(
    fc.tuple(field, fc.constantFrom('=', '!=', '<', '<=', '>', '>='), number).map(([f, o, n]) => `${f} ${o} ${n}`),
    fc.tuple(field, number, number).map(([f, a, b]) => `${f} BETWEEN ${Math.min(a, b)} AND ${Math.max(a, b)}`),
    fc
      .tuple(field, fc.uniqueArray(number, { minLength: 1, maxLength: 3 }))
      .map(([f, list]) => `${f} IN (${list.join(', ')})`),
    fc.tuple(field, fc.constantFrom('=', '!=')).map(([f, o]) => `${f} ${o} null`),
  );
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    {
      weight: 1,
      arbitrary: fc.tuple(leaf, fc.constantFrom('AND', 'OR'), leaf).map(([a, o, b]) => `(${a}) ${o} (${b})`),
    },
    { weight: 1, arbitrary: leaf.map((a) => `NOT (${a})`) },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// SQL

/** Columns the server fills (generated, identity, trigger-written): records never set them. */
export const SERVER_FILLED = new Set(['g', 'ident', 'tnote']);
export const isServerFilled = (name: string) => SERVER_FILLED.has(name);

export interface CaseSql {
  /** The entity the connector is asked about (the table, or the view over it). */
  readonly entity: string;
  /** The table whose rows the oracles read. */
  readonly table: string;
  /** Statements creating the tables and views, in order. */
  readonly create: readonly string[];
  /** Statements creating the triggers, run after the first rows are in. */
  readonly triggers: readonly string[];
  /** Statements dropping everything (safe to run when nothing exists). */
  readonly drop: readonly string[];
  /** Column names of the table in order, and each one's facts. */
  readonly columns: readonly { readonly name: string; readonly facts: TypeFacts }[];
}

function literalDefault(d: SchemaDialect, type: ColumnType): string | null {
  switch (type.t) {
    case 'int':
    case 'year':
      return type.t === 'year' ? '2000' : '7';
    case 'domain':
      return '3';
    case 'decimal':
      return '0';
    case 'double':
      return '1.5';
    case 'bool':
      return d.falseLiteral;
    case 'varchar':
    case 'char':
    case 'text':
      return "'d'";
    case 'date':
      return "'2000-01-01'";
    case 'datetime':
      return "'2000-01-01 00:00:00'";
    case 'enum':
      return "'a'";
    case 'binary':
      return null;
    case 'uuid':
      return "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'";
    case 'intArray':
      return "'{1,2}'";
    case 'box':
      return "'(1,1),(0,0)'";
    case 'real':
      return '1.5';
    case 'set':
      return "'a'";
    // No literal default for these: a BIT literal, a JSON text or a geometry is not what the fuzzer checks here.
    case 'bit':
    case 'bitString':
    case 'json':
    case 'spatial':
      return null;
  }
}

function expressionDefault(d: SchemaDialect, type: ColumnType): string | null {
  switch (type.t) {
    case 'int':
    case 'domain':
      return '(1 + 1)';
    // 0 fits every DECIMAL(p,s), even DECIMAL(1,1) (which cannot hold 2: "Invalid default value").
    case 'decimal':
      return '(1 - 1)';
    case 'datetime':
      return d.currentTimestamp(type.digits);
    case 'date':
      return d.currentDate;
    case 'varchar':
    case 'text':
      // One character: fits VARCHAR(1).
      return "(lower('X'))";
    default:
      return null;
  }
}

export function caseSql(c: SchemaCase, name: string, quote: (name: string) => string): CaseSql {
  const d = schemaDialect(c.engine);
  const q = quote;
  const table = name;
  const view = `${name}_v`;
  const audit = `${name}_audit`;
  const child = `${name}_child`;
  const facts = c.columns.map((column) => typeFacts(d, column.type));
  const int = (size: 'small' | 'int') => typeFacts(d, { t: 'int', size, unsigned: false, zerofill: false });
  const kType = int('int').sql;
  const defs: string[] = [`${q('k')} ${kType} ${c.key === 'unique-nullable' ? 'NULL' : 'NOT NULL'}`];
  if (c.key === 'composite') defs.push(`${q('k2')} ${int('small').sql} NOT NULL`);
  c.columns.forEach((column, index) => {
    let def = `${q(column.name)} ${facts[index]!.sql} ${column.nullable ? 'NULL' : 'NOT NULL'}`;
    const literal = column.default === 'literal' ? literalDefault(d, column.type) : null;
    const expression = column.default === 'expression' ? expressionDefault(d, column.type) : null;
    if (literal !== null && (d.longLiteralDefaults || !facts[index]!.long)) def += ` DEFAULT ${literal}`;
    if (expression !== null) def += ` DEFAULT ${expression}`;
    defs.push(def);
  });
  if (c.generated) defs.push(d.generatedColumn(q));
  if (c.identity) defs.push(...d.identityColumn(q));
  const note = { t: 'varchar', length: 40, collation: d.exactCollation } as const;
  if (c.behaviours.changeTrigger) defs.push(`${q('tnote')} VARCHAR(40) NULL`);
  const keyColumns = c.key === 'composite' ? `${q('k')}, ${q('k2')}` : q('k');
  if (c.key === 'primary' || c.key === 'composite') defs.push(`PRIMARY KEY (${keyColumns})`);
  if (c.key === 'unique' || c.key === 'unique-nullable') defs.push(`UNIQUE (${keyColumns})`);
  if (c.key === 'deferrable') defs.push(`UNIQUE (${keyColumns}) DEFERRABLE INITIALLY DEFERRED`);
  const parent = `${name}_parent`;
  if (c.behaviours.foreignKey) defs.push(`FOREIGN KEY (${q('k')}) REFERENCES ${q(parent)} (${q('k')})`);
  if (c.behaviours.check) defs.push(`CHECK (${q('k')} <> 6)`);
  const create = [
    ...(c.behaviours.foreignKey
      ? [
          `CREATE TABLE ${q(parent)} (${q('k')} ${kType} NOT NULL PRIMARY KEY)${d.parentTableOptions}`,
          // 51: the key the read oracle inserts between pages.
          `INSERT INTO ${q(parent)} VALUES (1), (2), (3), (4), (5), (6), (7), (51)`,
        ]
      : []),
    `CREATE TABLE ${q(table)} (${defs.join(', ')})${d.tableOptions(c.kind, q)}`,
  ];
  if (c.kind === 'partitioned') {
    create.push(`CREATE TABLE ${q(`${name}_p1`)} PARTITION OF ${q(table)} FOR VALUES FROM (MINVALUE) TO (5)`);
    create.push(`CREATE TABLE ${q(`${name}_p2`)} PARTITION OF ${q(table)} FOR VALUES FROM (5) TO (MAXVALUE)`);
  }
  if (c.kind === 'inherited') create.push(`CREATE TABLE ${q(child)} () INHERITS (${q(table)})`);
  if (c.kind === 'view') create.push(`CREATE VIEW ${q(view)} AS SELECT * FROM ${q(table)}`);
  if (c.behaviours.auditTrigger) create.push(`CREATE TABLE ${q(audit)} (${q('k')} ${kType} NULL)`);
  const text = c.columns.find((_, index) => facts[index]!.dataType === 'String')?.name ?? null;
  const triggers = d.triggers(q, name, c.behaviours, text);
  if (c.behaviours.rowSecurity) {
    // After the first rows: the connector's login owns the table, so FORCE makes the policy apply to it.
    triggers.push(`ALTER TABLE ${q(table)} ENABLE ROW LEVEL SECURITY`);
    triggers.push(`ALTER TABLE ${q(table)} FORCE ROW LEVEL SECURITY`);
    triggers.push(`CREATE POLICY odd_keys ON ${q(table)} USING (k IS NULL OR k % 2 = 1)`);
  }
  const columns = [
    { name: 'k', facts: int('int') },
    ...(c.key === 'composite' ? [{ name: 'k2', facts: int('small') }] : []),
    ...c.columns.map((column, index) => ({ name: column.name, facts: facts[index]! })),
    ...(c.generated ? [{ name: 'g', facts: int('int') }] : []),
    ...(c.identity ? [{ name: 'ident', facts: int('int') }] : []),
    ...(c.behaviours.changeTrigger ? [{ name: 'tnote', facts: typeFacts(d, note) }] : []),
  ];
  return { entity: c.kind === 'view' ? view : table, table, create, triggers, drop: d.drop(q, name), columns };
}

/** Where the first rows go: inherited tables put every other row in the child (which the parent's entity must not show). */
export function rowTarget(c: SchemaCase, sql: CaseSql, index: number): string {
  return c.kind === 'inherited' && index % 2 === 1 ? `${sql.table}_child` : sql.table;
}
