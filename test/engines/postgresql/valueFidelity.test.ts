/**
 * PostgreSQL values are stored as sent or refused (through the built bundle, PostgreSQL 15): time, timetz and
 * interval are read only in strict forms (no special words, no input forms the server would round or reinterpret),
 * an interval column's fields and precision never drop a part of the value, real and double precision never round a
 * value beyond their binary precision, and filters on numeric columns use no `'infinity'::numeric` (PostgreSQL 14+).
 */
import test, { type ExecutionContext } from 'ava';
import type { TableMeta } from '../../../handler/engines/engine';
import { renderCondition } from '../../../handler/engines/postgresql/dialect';
import { invoke } from '../../support/lambda';
import { type PostgreSqlStage, startPostgreSqlStage } from '../../support/postgresqlStage';

let stage: PostgreSqlStage;

test.before(async () => {
  stage = await startPostgreSqlStage({ schema: 'value_fidelity', secretName: 'postgresql-value-fidelity' });
  await stage.sql(`CREATE TABLE v (k integer PRIMARY KEY, i0 interval(0) NULL, is0 interval second(0) NULL,
    t0 time(0) NULL, tz0 timetz(0) NULL, t time NULL, tz timetz NULL, t3 time(3) NULL, i interval NULL,
    iym interval year to month NULL, idh interval day to hour NULL, r real NULL, d double precision NULL,
    n numeric NULL, vb varbit(3) NULL, b3 bit(3) NULL)`);
});
test.after.always(async () => {
  await stage?.teardown();
});

interface Result {
  isSuccess: boolean;
  errorMessage: string | null;
}

/** A JSON number written as this exact text (a JavaScript number would round it first). */
class Raw {
  constructor(readonly text: string) {}
}

async function write(t: ExecutionContext, records: Record<string, unknown>[]): Promise<Result[]> {
  const answer = await invoke<{ writeRecordResults: Result[] | null }>(stage.bundle, {
    type: 'WriteDataRequest',
    entityIdentifier: 'v',
    operation: 'INSERT',
    idFieldNames: null,
    records: records.map((record) =>
      JSON.stringify(record, (_, value) => (value instanceof Raw ? `RAW:${value.text}` : value)).replace(
        /"RAW:([^"]*)"/g,
        '$1',
      ),
    ),
    allOrNone: false,
    connectorContext: stage.connectorContext(),
  });
  t.is(answer.writeRecordResults?.length, records.length, JSON.stringify(answer));
  return answer.writeRecordResults ?? [];
}

/** Writes one record per case (keys from `first`); each must be refused, and nothing stored. */
async function expectRefused(t: ExecutionContext, first: number, cases: readonly [string, unknown][]) {
  const results = await write(
    t,
    cases.map(([field, value], index) => ({ k: first + index, [field]: value })),
  );
  const accepted = results.flatMap((result, index) =>
    result.isSuccess ? [`${cases[index]![0]} ${JSON.stringify(cases[index]![1])}`] : [],
  );
  t.deepEqual(accepted, [], 'every case is refused');
  const stored = await stage.sql(`SELECT k FROM v WHERE k >= ${first} AND k < ${first + cases.length}`);
  t.deepEqual(stored, [], 'nothing was stored');
  return results.map((result) => result.errorMessage ?? '');
}

test('time, timetz and interval texts the server would round or reinterpret are refused per record', async (t) => {
  const messages = await expectRefused(t, 1000, [
    ['i0', '0.01 minutes'],
    ['i0', '500 milliseconds'],
    ['i0', 'PT0.01M'],
    ['i0', '0.00001 days'],
    ['i0', '0.5 seconds'],
    ['is0', '0.5'],
    ['is0', '1.5'],
    ['t0', '040506.5'],
    ['t0', 'T040506.5'],
    ['t0', '04:05:06.5'],
    ['tz0', '040506.5+02'],
    ['t3', '120000.0005'],
    ['t3', '12:00:00.0005'],
    ['t', 'now'],
    ['tz', 'now'],
    ['t', 'allballs'],
    ['tz', 'allballs'],
    ['t', '12:00:00+02'],
    ['t', 'noon'],
    ['i', 'now'],
    ['i', '1 day 2 hours'],
    ['iym', '1 year 2 mons 3 days'],
    ['iym', 'P1Y2M3D'],
    ['idh', '1 day 02:30:00'],
    ['i0', '00:00:00.5'],
  ]);
  t.true(messages.every((message) => /^field "\w+" \(/.test(message) && !message.includes('database error')));
  t.regex(messages[0]!, /keeps 0 digits of a second's fraction|expects an interval/);
  t.regex(messages[13]!, /expects a time of day/);
  t.regex(messages[21]!, /field "iym" \(interval year to month\) keeps whole months/);
  t.regex(messages[23]!, /field "idh" \(interval day to hour\) keeps whole hours/);
});

test('time, timetz and interval in the strict forms are stored exactly as sent', async (t) => {
  const results = await write(t, [
    {
      k: 1,
      i0: '1 year 2 mons -3 days 04:05:06',
      is0: 'PT1M30S',
      t0: '04:05:06',
      tz0: '04:05:06+02',
      t3: '12:00:00.123',
    },
    { k: 2, t: '24:00:00', tz: '23:59:59.999999-14:59', i: '-1 days +00:00:01.5', iym: '-1 years -2 mons' },
    { k: 3, t: '00:00', tz: '12:30:00Z', i: 'P1Y2M1W3DT4H5M6.789S', idh: '1 day 05:00:00', i0: 'PT0.000S' },
    { k: 4, i: '2562047788:00:54.775807', t3: '12:00:00.1200' },
  ]);
  t.deepEqual(
    results.map((result) => result.errorMessage),
    [null, null, null, null],
  );
  const rows = await stage.sql(`SELECT k, concat_ws(' | ', i0, is0, t0, tz0, t, tz, t3, i, iym, idh) FROM v
    WHERE k < 100 ORDER BY k`);
  t.deepEqual(rows, [
    ['1', '1 year 2 mons -3 days +04:05:06 | 00:01:30 | 04:05:06 | 04:05:06+02 | 12:00:00.123'],
    ['2', '24:00:00 | 23:59:59.999999-14:59 | -1 days +00:00:01.5 | -1 years -2 mons'],
    ['3', '00:00:00 | 00:00:00 | 12:30:00+00 | 1 year 2 mons 10 days 04:05:06.789 | 1 day 05:00:00'],
    ['4', '12:00:00.12 | 2562047788:00:54.775807'],
  ]);
});

test('real and double precision refuse a value their binary float would change, naming the field', async (t) => {
  const messages = await expectRefused(t, 2000, [
    ['r', 16777217],
    ['r', new Raw('16777217.0')],
    ['r', '16777217'],
    ['r', 0.1000000001],
    ['r', 1.23456789],
    ['r', 1e39],
    ['r', 1e-50],
    ['d', new Raw('9007199254740993')],
    ['d', '0.10000000000000000001'],
    ['d', new Raw('1e-400')],
  ]);
  t.is(
    messages[0],
    'field "r" (real) holds single precision binary floats; the value is not one (it would be stored rounded)',
  );
  t.regex(messages[7]!, /^field "d" \(double precision\) holds double precision binary floats/);
  const results = await write(t, [
    { k: 2103, r: 0.1, d: 0.1 },
    { k: 2104, r: 16777216, d: 9007199254740992 },
    { k: 2105, r: '3.4028235e38', d: '-1.7976931348623157e308' },
    { k: 2106, r: 1e-45, d: 5e-324 },
  ]);
  t.deepEqual(
    results.map((result) => result.errorMessage),
    [null, null, null, null],
  );
  const rows = await stage.sql('SELECT k, r, d FROM v WHERE k BETWEEN 2103 AND 2106 ORDER BY k');
  t.deepEqual(rows, [
    ['2103', '0.1', '0.1'],
    ['2104', '1.6777216e+07', '9.007199254740992e+15'],
    ['2105', '3.4028235e+38', '-1.7976931348623157e+308'],
    ['2106', '1e-45', '5e-324'],
  ]);
});

test('numeric values shown as null are told apart with SQL valid on PostgreSQL 12 and 13 too', async (t) => {
  await stage.sql(`INSERT INTO v (k, n) VALUES (300, 1.5), (301, 'NaN'), (302, 'Infinity'), (303, '-Infinity'),
    (304, NULL), (305, -7)`);
  const column = { name: 'n', kind: 'numeric', sqlType: 'numeric' };
  const table = { columnsByName: new Map([['n', column]]) } as unknown as TableMeta;
  const comparison = renderCondition(
    { type: 'compare', column: 'n', op: '<', value: { kind: 'exact', text: '2', scale: 0 } } as never,
    table,
  );
  const isNull = renderCondition({ type: 'isNull', column: 'n', negated: false } as never, table);
  for (const statement of [comparison, isNull]) {
    // 'infinity'::numeric is an input syntax error before PostgreSQL 14 (22P02).
    t.notRegex(statement.sql, /infinity'::numeric/i);
  }
  const ids = async (filterExpression: string) => {
    const answer = await stage.query('v', { filterExpression: `k >= 300 AND k < 400 AND (${filterExpression})` });
    if (!answer.isSuccess) throw new Error(JSON.stringify(answer.errorDetails));
    return (answer.records ?? []).map((record) => (JSON.parse(record) as { k: number }).k).sort((a, b) => a - b);
  };
  t.deepEqual(await ids('n < 2'), [300, 305]);
  t.deepEqual(await ids('n = null'), [301, 302, 303, 304]);
  t.deepEqual(await ids('n != null'), [300, 305]);
  t.deepEqual(await ids('NOT (n > 0)'), [301, 302, 303, 304, 305]);
});

test('bit strings are written as the 0/1 text records show; an x or b prefix PostgreSQL would reinterpret is refused', async (t) => {
  const messages = await expectRefused(t, 5000, [
    ['vb', 'x'],
    ['vb', 'x5'],
    ['vb', 'b1'],
    ['b3', 'x7'],
    ['b3', '1 0'],
  ]);
  for (const message of messages) t.regex(message, /^field "(vb|b3)" .*a bit string of 0 and 1 digits/);
  const written = await write(t, [
    { k: 5100, vb: '', b3: '101' },
    { k: 5101, vb: '011', b3: '000' },
  ]);
  t.deepEqual(
    written.map((result) => result.isSuccess),
    [true, true],
  );
  t.deepEqual(await stage.sql('SELECT k, vb::text, b3::text FROM v WHERE k >= 5100 ORDER BY k'), [
    ['5100', '', '101'],
    ['5101', '011', '000'],
  ]);
});
