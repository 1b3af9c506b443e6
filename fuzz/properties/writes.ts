/**
 * Property 5, `writes`: random records written with random operations, ids and allOrNone to a dedicated table.
 */
import fc from 'fast-check';
import { connectorContext, writeDataEvent } from '../../test/support/events';
import { HOSTILE_STRINGS, jsonValue, weirdString } from '../arbitraries';
import { fingerprintDifferences } from '../database';
import { OutcomeStats, safeStringify, violated } from '../harness';
import { exercise, type FuzzProperty, runProperty, TARGET_TABLE } from './shared';

const INJECTION_KEYS = [
  'id`; DROP TABLE x; --',
  'id`',
  '`id`',
  'ID',
  'Id',
  'name ',
  ' name',
  'id,name',
  `${TARGET_TABLE}.id`,
  '(SELECT 1)',
  'id) VALUES (1); DELETE FROM all_types; --',
  'qty` = 0, `price',
  'qty = qty + 1',
  '__proto__',
  'constructor',
  '',
  '\u0000',
  'sku',
  'payload',
  'name_length',
  'updated_at',
];

const COLUMN_NAMES = ['id', 'name', 'qty', 'price', 'created'] as const;

const idValue = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -1, max: 12 }) },
  { weight: 2, arbitrary: fc.integer({ min: -1, max: 12 }).map(String) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(
      1.5,
      '1.0',
      ' 1',
      '1e0',
      2 ** 31,
      -(2 ** 31) - 1,
      '0x1',
      '',
      null,
      true,
      {},
      [1],
    ),
  },
  { weight: 1, arbitrary: fc.integer() },
);

const columnValue: Record<(typeof COLUMN_NAMES)[number], fc.Arbitrary<unknown>> = {
  id: idValue,
  name: fc.oneof(
    fc.string({ maxLength: 22 }),
    fc.string({ unit: 'grapheme', maxLength: 22 }),
    fc.constantFrom(...HOSTILE_STRINGS.filter((s) => s.length < 60)),
    fc.constantFrom<unknown>(
      null,
      42,
      true,
      ['a'],
      { a: 1 },
      'x'.repeat(21),
      'é'.repeat(20),
      '\ud83d\ude00'.repeat(10),
    ),
  ),
  qty: fc.oneof(
    fc.integer({ min: -5, max: 100 }),
    fc.constantFrom<unknown>(null, '7', '7.5', 7.5, 2 ** 31, -(2 ** 31), 1e20, 'many', true, '', [1]),
  ),
  price: fc.oneof(
    fc.double({ min: -2e6, max: 2e6, noNaN: true }),
    fc.stringMatching(/^-?[0-9]{1,7}(\.[0-9]{1,4})?$/),
    fc.constantFrom<unknown>(null, '1e3', 1e-9, '12.345', 999999.99, 1000000, '-0', 'abc', true, {}),
  ),
  created: fc.oneof(
    fc
      .date({ min: new Date('0999-01-01'), max: new Date('9999-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString()),
    fc.constantFrom<unknown>(
      null,
      '2024-01-01',
      '2024-01-01 10:00:00',
      '2024-01-01T10:00:00',
      '2024-01-01T10:00:00+02:00',
      '2024-02-30T00:00:00Z',
      '0000-00-00 00:00:00',
      'now()',
      '',
      0,
      1700000000000,
      true,
    ),
  ),
};

const recordEntry: fc.Arbitrary<[string, unknown]> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc
      .constantFrom(...COLUMN_NAMES)
      .chain((key) => columnValue[key].map((value) => [key, value] as [string, unknown])),
  },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...INJECTION_KEYS), jsonValue) },
  { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 6 }), jsonValue) },
);

/** Values every column accepts: records made of them should be written (unless their id collides). */
const validColumnValue: Record<(typeof COLUMN_NAMES)[number], fc.Arbitrary<unknown>> = {
  id: fc.integer({ min: 0, max: 12 }),
  name: fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom(null, 'Émilie', "O'Brien", '`x`', '\\', '\ud83d\ude00')),
  qty: fc.integer({ min: -1000, max: 1000 }),
  price: fc.oneof(
    fc.integer({ min: -99_999_999, max: 99_999_999 }).map((cents) => (cents / 100).toFixed(2)),
    fc.integer({ min: -999_999, max: 999_999 }),
    fc.constant(null),
  ),
  created: fc.oneof(
    fc
      .date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
      .map((d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z')),
    fc.constant(null),
  ),
};

const validRecord: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    validColumnValue.id,
    fc.subarray(['name', 'qty', 'price', 'created'] as const),
    validColumnValue.name,
    validColumnValue.qty,
    validColumnValue.price,
    validColumnValue.created,
  )
  .map(([id, keys, name, qty, price, created]) => {
    const values = { name, qty, price, created };
    return { id, ...Object.fromEntries(keys.map((key) => [key, values[key]])) };
  });

/** A record as AppFlow sends it (JSON text), plus the object it came from (null when the text is not an object). */
interface RecordCase {
  readonly text: string;
  readonly value: Record<string, unknown> | null;
}

const recordCase: fc.Arbitrary<RecordCase> = fc.oneof(
  { weight: 12, arbitrary: validRecord.map((value) => ({ text: JSON.stringify(value), value })) },
  {
    weight: 6,
    arbitrary: fc.uniqueArray(recordEntry, { maxLength: 6, selector: ([key]) => key }).map((entries) => {
      const value = Object.fromEntries(entries) as Record<string, unknown>;
      return { text: JSON.stringify(value), value };
    }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<RecordCase>(
      { text: '{"id":4,"id":6}', value: null },
      { text: '{"id":4,"name":"x","name":"y"}', value: null },
      { text: '[{"id":4}]', value: null },
      { text: '"{\\"id\\":4}"', value: null },
      { text: 'null', value: null },
      { text: '', value: null },
      { text: '{"id":4', value: null },
      { text: '{"id":4}  trailing', value: null },
      { text: "{'id':4}", value: null },
      { text: '\ufeff{"id":4}', value: null },
      { text: '{"id":4 /* c */}', value: null },
      { text: '{"id":4,"qty":1e400}', value: null },
      { text: '{"id":12345678901234567890}', value: null },
      { text: '{"id":4,"name":"\\ud800"}', value: null },
    ),
  },
  { weight: 1, arbitrary: weirdString.map((text) => ({ text, value: null })) },
);

const writeCase = fc.record({
  operation: fc.constantFrom('INSERT', 'UPSERT', 'UPDATE', 'DELETE'),
  records: fc.array(recordCase, { maxLength: 8 }),
  idFieldNames: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom<unknown>(null, ['id']) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<unknown>(
        [],
        ['name'],
        ['id', 'name'],
        ['qty'],
        ['nope'],
        ['id`; DROP TABLE x; --'],
        ['id', 'id'],
        ['ID'],
      ),
    },
  ),
  allOrNone: fc.oneof({ weight: 3, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.constant(null) }),
  definition: fc.constantFrom('none', 'full', 'narrow'),
});

export const writes: FuzzProperty = {
  name: 'writes',
  title: 'random records written: never outside the target table, never partial with allOrNone',
  weight: 2,
  async run(context, options) {
    const stats = new OutcomeStats();
    const { target } = context.stage;
    const { watcher } = context;
    const order = 'id';
    const { sql } = context.stage;
    await watcher.query(`DELETE FROM ${sql.quote(TARGET_TABLE)}`);
    await watcher.query(sql.targetSeed(TARGET_TABLE));
    const seedDump = await watcher.dump(TARGET_TABLE, order);
    const full = context.definitions.get(TARGET_TABLE)!;
    const narrow = { ...full, fields: full.fields.filter((field) => ['id', 'name'].includes(field.fieldName)) };
    const counters = { allSucceeded: 0, rolledBack: 0, changed: 0 };

    const property = fc.asyncProperty(writeCase, async (input) => {
      // Every case starts from the seed rows, so that a counterexample replays (and shrinks) on its own.
      let before = await watcher.dump(TARGET_TABLE, order);
      if (before !== seedDump) {
        await watcher.query(`DELETE FROM ${sql.quote(TARGET_TABLE)}`);
        await watcher.query(sql.targetSeed(TARGET_TABLE));
        before = await watcher.dump(TARGET_TABLE, order);
      }
      const othersBefore = await watcher.fingerprint(TARGET_TABLE);
      const entityDefinition = input.definition === 'full' ? full : input.definition === 'narrow' ? narrow : null;
      const event = {
        ...writeDataEvent(target, TARGET_TABLE, input.operation, [], {
          idFieldNames: input.idFieldNames,
          allOrNone: input.allOrNone,
          connectorContext: connectorContext(target, { entityDefinition }),
        }),
        records: input.records.map((record) => record.text),
      };
      const checked = (await exercise(context, event, stats))!;
      const after = await watcher.dump(TARGET_TABLE, order);
      const othersAfter = await watcher.fingerprint(TARGET_TABLE);
      const changedElsewhere = fingerprintDifferences(othersBefore, othersAfter);
      const changed = after !== before;
      const show = () => `\nanswer: ${checked.text.slice(0, 1500)}\ntable before: ${before}\ntable after: ${after}`;

      // (a) never a write outside the target table (nor a schema change anywhere).
      if (changedElsewhere.length > 0) violated(`the write changed ${changedElsewhere.join(', ')}${show()}`);
      const results = checked.response.writeRecordResults as { isSuccess: boolean; recordId?: string | null }[] | null;
      // (c) one result per record, or no results and nothing written.
      if (results === null || results === undefined) {
        if (checked.response.isSuccess) violated(`a successful WriteData has no writeRecordResults${show()}`);
        if (changed) violated(`the request was refused as a whole, yet the table changed${show()}`);
      } else if (results.length !== input.records.length) {
        violated(`${results.length} results for ${input.records.length} records${show()}`);
      }
      const list = results ?? [];
      const allSucceeded = list.length === input.records.length && list.every((result) => result.isSuccess);
      if (checked.response.isSuccess !== allSucceeded && input.records.length > 0) {
        violated(`isSuccess ${checked.response.isSuccess} disagrees with the per-record results${show()}`);
      }
      // (b) allOrNone: all written, or the table byte-for-byte unchanged and no record claiming success.
      if (input.allOrNone === true && !allSucceeded) {
        if (changed) violated(`allOrNone with a failed record, yet the table changed (partial write)${show()}`);
        if (list.some((result) => result.isSuccess)) {
          violated(`allOrNone rolled back, yet a record is reported written${show()}`);
        }
      }
      // No silent writes: when every record failed, nothing may have changed.
      if (list.length > 0 && list.every((result) => !result.isSuccess) && changed) {
        violated(`every record failed, yet the table changed${show()}`);
      }
      // Successful records did what they say, for plain integer ids on the primary key.
      if (input.idFieldNames === null || safeStringify(input.idFieldNames) === '["id"]') {
        const rows = JSON.parse(after.slice(0, after.lastIndexOf(' checksum '))) as { id: number | string }[];
        const ids = new Set(rows.map((row) => String(row.id)));
        list.forEach((result, index) => {
          const value = input.records[index]?.value;
          const id = value?.id;
          if (!result.isSuccess || typeof id !== 'number' || !Number.isSafeInteger(id)) return;
          if (result.recordId !== String(id)) {
            violated(`record ${index} (id ${id}) is reported with recordId ${safeStringify(result.recordId)}${show()}`);
          }
          if (input.operation === 'DELETE' && ids.has(String(id))) {
            violated(`record ${index} was reported deleted, yet row id ${id} is still there${show()}`);
          }
          if (input.operation !== 'DELETE' && !ids.has(String(id))) {
            violated(`record ${index} was reported written, yet there is no row id ${id}${show()}`);
          }
        });
      }
      if (allSucceeded) counters.allSucceeded++;
      else if (input.allOrNone === true) counters.rolledBack++;
      if (changed) counters.changed++;
    });
    return runProperty(
      context,
      this.name,
      options,
      stats,
      property,
      () =>
        `all records written ${counters.allSucceeded}, allOrNone rolled back ${counters.rolledBack}, ` +
        `table changed ${counters.changed}`,
    );
  },
};
