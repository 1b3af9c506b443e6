/**
 * The record encoder on its own: whatever the driver hands it for a column kind (zero-padded ZEROFILL text included),
 * every record it emits is a JSON object, and numbers keep their exact value.
 */
import test from 'ava';
import fc from 'fast-check';
import type { MySqlColumn as ColumnMeta, ValueKind } from '../../handler/engines/mysql/columns';
import { createRecordEncoder } from '../../handler/engines/mysql/recordEncoder';
import { compareDecimalText } from '../../handler/values/decimal';
import { mysqlColumnOf } from '../support/mysqlColumns';

function column(name: string, kind: ValueKind, columnType: string = kind): ColumnMeta {
  return mysqlColumnOf({ name, sqlType: kind, columnType, kind });
}

const zeroPadded = (text: fc.Arbitrary<string>) =>
  fc.tuple(text, fc.nat(12)).map(([digits, zeros]) => (digits.startsWith('-') ? digits : '0'.repeat(zeros) + digits));
const integerText = fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }).map(String);
const decimalText = fc
  .tuple(integerText, fc.stringMatching(/^[0-9]{1,30}$/))
  .map(([whole, fraction]) => `${whole}.${fraction}`);
const digits = (n: number) => String(n).padStart(2, '0');
const dateText = fc
  .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 31 }))
  .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${digits(m)}-${digits(d)}`);

/** What the driver may deliver for each kind (text protocol casts and binary protocol values alike). */
const DRIVER_VALUES: Record<ValueKind, fc.Arbitrary<unknown>> = {
  integer: fc.oneof(fc.integer(), integerText, zeroPadded(integerText)),
  decimal: fc.oneof(decimalText, integerText, zeroPadded(decimalText)),
  float: fc.oneof(
    fc.float(),
    fc.float().map((f) => String(f)),
  ),
  double: fc.double(),
  'boolean-int': fc.integer({ min: -128, max: 127 }),
  'boolean-bit': fc.integer({ min: 0, max: 1 }).map((bit) => Buffer.from([bit])),
  string: fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.string({ unit: 'binary' }).map((s) => Buffer.from(s, 'utf8')),
  ),
  json: fc.oneof(fc.json(), fc.string({ unit: 'binary' })),
  bytes: fc.uint8Array({ maxLength: 20 }).map((bytes) => Buffer.from(bytes)),
  date: dateText,
  datetime: fc
    .tuple(dateText, fc.integer({ min: 0, max: 23 }), fc.option(fc.stringMatching(/^[0-9]{1,6}$/)))
    .map(([date, hour, fraction]) => `${date} ${digits(hour)}:00:00${fraction === null ? '' : `.${fraction}`}`),
  time: fc.stringMatching(/^-?[0-9]{2,3}:[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?$/),
  year: fc.oneof(fc.integer({ min: 0, max: 2155 }), fc.constantFrom('0000', '2024', '1901')),
  spatial: fc.string({ unit: 'binary' }),
};

const KINDS = Object.keys(DRIVER_VALUES) as ValueKind[];
const COLUMNS = KINDS.map((kind) => column(`c_${kind}`, kind));
COLUMNS.push(column('c_datetime3', 'datetime', 'datetime(3)'));
const ROW = fc.tuple(...COLUMNS.map((meta) => fc.option(DRIVER_VALUES[meta.kind], { freq: 5 })));

test('every record the encoder emits parses as one JSON object with every selected field', (t) => {
  const encode = createRecordEncoder(COLUMNS);
  t.notThrows(() =>
    fc.assert(
      fc.property(ROW, (row) => {
        const parsed = JSON.parse(encode(row)) as Record<string, unknown>;
        return (
          typeof parsed === 'object' &&
          parsed !== null &&
          Object.keys(parsed).join() === COLUMNS.map((meta) => meta.name).join()
        );
      }),
      { numRuns: 3000 },
    ),
  );
});

test('exact numbers keep their value, zero-padded ZEROFILL text included; floats and strings read back', (t) => {
  const single = (kind: ValueKind) => {
    const encode = createRecordEncoder([column('v', kind)]);
    return (value: unknown) => encode([value]).slice('{"v":'.length, -1);
  };
  const exact = { integer: single('integer'), decimal: single('decimal') };
  t.notThrows(() =>
    fc.assert(
      fc.property(
        fc
          .constantFrom('integer' as const, 'decimal' as const)
          .chain((kind) => fc.tuple(fc.constant(kind), DRIVER_VALUES[kind])),
        ([kind, value]) => {
          const text = exact[kind](value);
          JSON.parse(text);
          return compareDecimalText(text, String(value)) === 0;
        },
      ),
      { numRuns: 3000 },
    ),
  );
  t.is(exact.integer('00000000000000000042'), '42');
  t.is(exact.decimal('00000042.5000'), '42.5000');
  t.is(exact.decimal('0000000000.0000'), '0.0000');
  const float = single('float');
  t.notThrows(() =>
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (value) => {
        return Object.is(Math.fround(JSON.parse(float(value)) as number), value === 0 ? Math.abs(value) : value);
      }),
      { numRuns: 3000 },
    ),
  );
  const string = single('string');
  t.notThrows(() =>
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => JSON.parse(string(value)) === value),
      { numRuns: 3000 },
    ),
  );
});
