import test, { type ExecutionContext } from 'ava';
import { retrieveDataEvent, writeDataEvent } from '../support/events';
import { invoke } from '../support/lambda';
import { checkWriteAnswer, mariaDbStageFor, type RecordResult, type WriteAnswer } from '../support/writes';

const stage = mariaDbStageFor(test);

/** Values a message must never contain: the password and record values chosen to be recognisable. */
const SENSITIVE = 'SENSITIVE-VALUE-7f3a';

/**
 * Sends raw record strings (so that big numbers can be written as JSON number text) and checks what every answer
 * must honour: the response contract, one result per record, no password and no sensitive value in any message.
 */
async function write(
  t: ExecutionContext,
  entity: string,
  operation: string | null,
  records: readonly string[] | null,
  extra: Record<string, unknown> = {},
  remainingMs?: number,
): Promise<WriteAnswer> {
  const event = { ...writeDataEvent(stage.target, entity, operation ?? 'INSERT', [], extra), records, operation };
  return checkWriteAnswer(t, await invoke<WriteAnswer>(stage.bundle, event, remainingMs), records?.length ?? 0, [
    [stage.database.password, 'no message contains the password'],
    [SENSITIVE, 'no message contains a record value'],
  ]);
}

async function rows<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
  return (await stage.database.query(sql, params)) as T[];
}

const ok = (recordId: string): RecordResult => ({ isSuccess: true, recordId, errorMessage: null });

// ------------------------------------------------------------------------------------------------------------------

// The fixture's first row, written as AppFlow would send it (without the generated id and name_length).
const EVERY_TYPE =
  '{"flag":true,"bit_flag":true,"bits":"Cqo=","tiny":-128,"tiny_u":255,"small":-32768,"small_u":65535,' +
  '"medium":-8388608,"medium_u":16777215,"regular":-2147483648,"regular_u":4294967295,' +
  '"big":-9223372036854775808,"big_u":18446744073709551615,"price":12345678901234.123456,' +
  '"huge_decimal":12345678901234567890123456789012345.123456789012345678901234567891,"ratio":1.1,"measure":0.1,' +
  '"name":"Émilie \\"the\\" \\\\ O\'Brien 🚀","code":"abc","notes":"line1\\nline2",' +
  '"doc":{"a": [1, 2.50, {"b": null}], "big": 12345678901234567890},"raw":"AP8Q","fixed_raw":"3q2+7w==",' +
  '"blob_data":"AQI=","status":"active","tags":"a,c","born":"2024-02-29","alarm":"-12:30:00","made_in":2024,' +
  '"seen_at":"2024-03-01T12:15:30.123+02:00","updated_at":"2024-03-02T08:00:00.250000Z","location":"POINT(1 2)"}';

test('INSERT writes every column type exactly, multi-row, and reports the generated ids', async (t) => {
  const second = EVERY_TYPE.replace('"big_u":18446744073709551615', '"big_u":"18446744073709551614"')
    .replace('"seen_at":"2024-03-01T12:15:30.123+02:00"', '"seen_at":"2024-03-01 10:15:30.5"')
    .replace('"updated_at":"2024-03-02T08:00:00.250000Z"', '"updated_at":"2024-03-01T23:30:00-05:30"')
    .replace('"tags":"a,c"', '"tags":["b","c"]')
    .replace('"flag":true', '"flag":0');
  const answer = await write(t, 'all_types', 'INSERT', [EVERY_TYPE, second, '{"name":"only a name"}']);
  t.like(answer, { isSuccess: true, errorDetails: null });
  const ids = answer.writeRecordResults!.map((result) => Number(result.recordId));
  t.true(
    ids.every((id) => Number.isInteger(id) && id > 2),
    'generated ids are reported',
  );
  t.is(ids[1], ids[0]! + 1, 'the multi-row INSERT reports consecutive ids');

  // Read back through the connector: the written record is the fixture's record, digit for digit.
  const read = await invoke<{ records: string[] }>(
    stage.bundle,
    retrieveDataEvent(stage.target, 'all_types', 'id', [String(ids[0])]),
  );
  const record = JSON.parse(read.records[0]!) as Record<string, unknown>;
  const raw = read.records[0]!;
  t.true(raw.includes('"big":-9223372036854775808,"big_u":18446744073709551615,'));
  t.true(raw.includes('"huge_decimal":12345678901234567890123456789012345.123456789012345678901234567891,'));
  t.true(raw.includes('"price":12345678901234.123456,'));
  t.true(raw.includes('"doc":{"a":[1,2.50,{"b":null}],"big":12345678901234567890}'));
  t.like(record, {
    flag: true,
    bit_flag: true,
    bits: 'Cqo=',
    tiny: -128,
    tiny_u: 255,
    small_u: 65535,
    medium: -8388608,
    regular_u: 4294967295,
    ratio: 1.1,
    measure: 0.1,
    name: 'Émilie "the" \\ O\'Brien 🚀',
    code: 'abc',
    notes: 'line1\nline2',
    raw: 'AP8Q',
    fixed_raw: '3q2+7w==',
    blob_data: 'AQI=',
    status: 'active',
    tags: 'a,c',
    born: '2024-02-29',
    alarm: '-12:30:00',
    made_in: 2024,
    seen_at: '2024-03-01T10:15:30.123Z',
    updated_at: '2024-03-02T08:00:00.250000Z',
    location: 'POINT(1 2)',
  });

  const [other] = await rows<Record<string, string>>(
    'SELECT flag, big_u, tags, seen_at, updated_at FROM all_types WHERE id = ?',
    [ids[1]],
  );
  t.deepEqual({ ...other }, {
    flag: 0,
    big_u: '18446744073709551614',
    tags: 'b,c',
    seen_at: '2024-03-01 10:15:30.500',
    updated_at: '2024-03-02 05:00:00.000000',
  } as never);
  const [defaults] = await rows<{ name: string; big_u: null }>('SELECT name, big_u FROM all_types WHERE id = ?', [
    ids[2],
  ]);
  t.deepEqual({ ...defaults }, { name: 'only a name', big_u: null });
});

test('UPSERT inserts or updates only the columns present, keyed exactly on BIGINT UNSIGNED', async (t) => {
  await stage.database.query(`CREATE TABLE upsert_target (
    id BIGINT UNSIGNED NOT NULL PRIMARY KEY, a VARCHAR(20) NULL, b INT NULL, c VARCHAR(20) NOT NULL DEFAULT 'default c')`);
  await stage.database.query(
    `INSERT INTO upsert_target VALUES (1, 'old a', 1, 'kept c'), (18446744073709551614, 'neighbour', 0, 'n')`,
  );

  const answer = await write(
    t,
    'upsert_target',
    'UPSERT',
    ['{"id":1,"a":"new a"}', '{"id":18446744073709551615,"a":"max","b":2}', '{"id":"1","b":3}'],
    { idFieldNames: ['id'] },
  );
  t.deepEqual(answer, {
    isSuccess: true,
    errorDetails: null,
    writeRecordResults: [ok('1'), ok('18446744073709551615'), ok('1')],
  });
  t.deepEqual(await rows('SELECT id, a, b, c FROM upsert_target ORDER BY id'), [
    { id: '1', a: 'new a', b: 3, c: 'kept c' },
    { id: '18446744073709551614', a: 'neighbour', b: 0, c: 'n' },
    { id: '18446744073709551615', a: 'max', b: 2, c: 'default c' },
  ] as never);

  // UPDATE by the largest BIGINT UNSIGNED touches that row only, not its neighbour (no rounding through a double).
  const update = await write(t, 'upsert_target', 'UPDATE', ['{"id":18446744073709551615,"a":"updated"}']);
  t.deepEqual(update.writeRecordResults, [ok('18446744073709551615')]);
  t.deepEqual(await rows('SELECT a FROM upsert_target ORDER BY id'), [
    { a: 'new a' },
    { a: 'neighbour' },
    { a: 'updated' },
  ] as never);

  // UPSERT needs id fields that form a unique key.
  for (const idFieldNames of [null, ['a'], ['id', 'a']]) {
    const refused = await write(t, 'upsert_target', 'UPSERT', ['{"id":5,"a":"x"}'], { idFieldNames });
    t.is(refused.errorDetails?.errorCode, 'InvalidArgument');
    t.is(refused.writeRecordResults, null);
  }
  t.is((await rows('SELECT COUNT(*) AS n FROM upsert_target'))[0]!.n, '3');
});

test('UPSERT applies records in request order even when ids are equal only under the collation', async (t) => {
  await stage.database.query(
    'CREATE TABLE upsert_ci (id VARCHAR(20) NOT NULL PRIMARY KEY, x INT NULL, y INT NULL) COLLATE utf8mb4_general_ci',
  );
  await stage.database.query(`INSERT INTO upsert_ci VALUES ('abc', 0, NULL)`);
  // The middle record has another shape (it also sets y): without care it would be written after the third.
  const answer = await write(
    t,
    'upsert_ci',
    'UPSERT',
    ['{"id":"abc","x":1}', '{"id":"ABC","x":2,"y":0}', '{"id":"abc","x":3}'],
    { idFieldNames: ['id'] },
  );
  t.true(answer.isSuccess);
  t.deepEqual(await rows('SELECT id, x, y FROM upsert_ci'), [{ id: 'abc', x: 3, y: 0 }] as never);
});

test('UPSERT never updates a row that collides on a different unique key', async (t) => {
  await stage.database.query(`CREATE TABLE upsert_people (
    id INT NOT NULL PRIMARY KEY, email VARCHAR(60) NOT NULL, name VARCHAR(60) NULL, UNIQUE KEY uq_people_email (email))`);
  await stage.database.query(`INSERT INTO upsert_people VALUES (1, 'ada@example.com', 'Ada')`);
  const answer = await write(
    t,
    'upsert_people',
    'UPSERT',
    ['{"id":2,"email":"ada@example.com","name":"Mallory"}', '{"id":1,"email":"ada@example.com","name":"Ada L."}'],
    { idFieldNames: ['id'] },
  );
  t.is(answer.errorDetails?.errorCode, 'PartialWriteFailure');
  t.like(answer.writeRecordResults![0], { isSuccess: false, recordId: '2' });
  t.regex(answer.writeRecordResults![0]!.errorMessage!, /different unique key/);
  t.deepEqual(answer.writeRecordResults![1], ok('1'));
  t.deepEqual(await rows('SELECT id, email, name FROM upsert_people'), [
    { id: 1, email: 'ada@example.com', name: 'Ada L.' },
  ] as never);

  // A unique NOT NULL index other than the primary key is a valid UPSERT id.
  const byEmail = await write(t, 'upsert_people', 'UPSERT', ['{"id":1,"email":"ada@example.com","name":"Ada"}'], {
    idFieldNames: ['email'],
  });
  t.deepEqual(byEmail.writeRecordResults, [ok('ada@example.com')]);
});

test('UPDATE and DELETE by a composite key, with a result for an id that matches no row', async (t) => {
  await stage.database.query(`CREATE TABLE order_items (
    order_id INT NOT NULL, line_no SMALLINT NOT NULL, sku VARCHAR(32) NOT NULL, quantity INT NOT NULL DEFAULT 1,
    PRIMARY KEY (order_id, line_no))`);
  await stage.database.query(`INSERT INTO order_items VALUES (1, 1, 'A', 2), (1, 2, 'B', 1), (2, 1, 'A', 5)`);
  const idFieldNames = ['order_id', 'line_no'];

  const update = await write(
    t,
    'order_items',
    'UPDATE',
    [
      '{"order_id":1,"line_no":2,"quantity":9}',
      '{"order_id":1,"line_no":99,"quantity":1}',
      '{"order_id":2,"line_no":1,"quantity":5}', // the same value: still a match
      '{"order_id":1,"line_no":1}', // nothing to change besides the id: succeeds because the row exists
    ],
    { idFieldNames },
  );
  t.deepEqual(update, {
    isSuccess: false,
    errorDetails: { errorCode: 'PartialWriteFailure', errorMessage: '1 of 4 records failed', retryAfterSeconds: null },
    writeRecordResults: [
      ok('[1,2]'),
      { isSuccess: false, recordId: '[1,99]', errorMessage: 'no row matches the id fields order_id, line_no' },
      ok('[2,1]'),
      ok('[1,1]'),
    ],
  });

  // Without idFieldNames, UPDATE and DELETE use the primary key.
  const remove = await write(t, 'order_items', 'DELETE', [
    '{"order_id":2,"line_no":1,"sku":"ignored"}',
    '{"order_id":2,"line_no":1}',
  ]);
  t.deepEqual(remove.writeRecordResults, [
    ok('[2,1]'),
    { isSuccess: false, recordId: '[2,1]', errorMessage: 'no row matches the id fields order_id, line_no' },
  ]);
  t.deepEqual(await rows('SELECT order_id, line_no, sku, quantity FROM order_items ORDER BY order_id, line_no'), [
    { order_id: 1, line_no: 1, sku: 'A', quantity: 2 },
    { order_id: 1, line_no: 2, sku: 'B', quantity: 9 },
  ] as never);

  const missingId = await write(t, 'order_items', 'UPDATE', ['{"order_id":1,"quantity":3}'], { idFieldNames });
  t.like(missingId.writeRecordResults![0], {
    isSuccess: false,
    errorMessage: 'id field "line_no" is missing in the record',
  });
});

test('a failing multi-row INSERT is retried record by record: each record gets its own result', async (t) => {
  await stage.database.query(`CREATE TABLE members (
    id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, email VARCHAR(60) NOT NULL, age TINYINT UNSIGNED NULL,
    UNIQUE KEY uq_members_email (email))`);
  await stage.database.query(`INSERT INTO members (id, email) VALUES (100, '${SENSITIVE}@example.com')`);
  const answer = await write(t, 'members', 'INSERT', [
    '{"id":1,"email":"a@example.com"}',
    `{"id":2,"email":"${SENSITIVE}@example.com"}`,
    '{"id":3,"email":"c@example.com","age":30}',
    '{"id":4,"email":"d@example.com","age":300}',
    '{"id":5,"email":"e@example.com"}',
  ]);
  t.deepEqual(answer.errorDetails, {
    errorCode: 'PartialWriteFailure',
    errorMessage: '2 of 5 records failed',
    retryAfterSeconds: null,
  });
  const results = answer.writeRecordResults!;
  t.deepEqual([results[0], results[2], results[4]], [ok('1'), ok('3'), ok('5')]);
  t.like(results[1], { isSuccess: false, recordId: '2' });
  t.regex(results[1]!.errorMessage!, /duplicate value for unique key "uq_members_email"/);
  t.like(results[3], { isSuccess: false, recordId: '4' });
  t.regex(results[3]!.errorMessage!, /field "age".*from 0 to 255/);
  t.deepEqual(await rows('SELECT id FROM members ORDER BY id'), [
    { id: 1 },
    { id: 3 },
    { id: 5 },
    { id: 100 },
  ] as never);
});

test('allOrNone writes everything in one transaction, or nothing at all', async (t) => {
  await stage.database.query(`CREATE TABLE ledger (
    id INT NOT NULL PRIMARY KEY, amount DECIMAL(12,2) NOT NULL, memo VARCHAR(40) NULL)`);
  await stage.database.query(`INSERT INTO ledger VALUES (1, 10.00, 'existing')`);
  const records = ['{"id":2,"amount":"1.50"}', '{"id":3,"amount":2.25,"memo":"x"}'];

  // A duplicate key found by the database: the statement and the records before it are rolled back.
  const duplicate = await write(t, 'ledger', 'INSERT', [...records, '{"id":1,"amount":3}', '{"id":4,"amount":4}'], {
    allOrNone: true,
  });
  t.is(duplicate.isSuccess, false);
  t.is(duplicate.errorDetails?.errorCode, 'PartialWriteFailure');
  t.is(duplicate.errorDetails?.errorMessage, '4 of 4 records failed');
  const messages = duplicate.writeRecordResults!.map((result) => result.errorMessage);
  t.regex(messages[2]!, /duplicate value for unique key "PRIMARY"/);
  for (const index of [0, 1, 3]) t.is(messages[index], 'not written: another record of this all-or-none batch failed');
  t.true(duplicate.writeRecordResults!.every((result) => !result.isSuccess));

  // A bad value found before any SQL ran.
  const badValue = await write(t, 'ledger', 'INSERT', [...records, '{"id":5,"amount":"lots"}'], { allOrNone: true });
  t.regex(
    badValue.writeRecordResults![2]!.errorMessage!,
    /field "amount" \(decimal\(12,2\)\) expects a decimal number/,
  );
  t.is(badValue.writeRecordResults![0]!.errorMessage, 'not written: another record of this all-or-none batch failed');

  // An UPDATE whose id matches nothing.
  const noMatch = await write(t, 'ledger', 'UPDATE', ['{"id":1,"amount":99}', '{"id":42,"amount":1}'], {
    allOrNone: true,
  });
  t.deepEqual(
    noMatch.writeRecordResults!.map((result) => result.isSuccess),
    [false, false],
  );
  t.is(noMatch.writeRecordResults![1]!.errorMessage, 'no row matches the id field id');

  t.deepEqual(await rows('SELECT id, amount, memo FROM ledger'), [
    { id: 1, amount: '10.00', memo: 'existing' },
  ] as never);

  const fine = await write(t, 'ledger', 'INSERT', records, { allOrNone: true });
  t.deepEqual(fine, { isSuccess: true, errorDetails: null, writeRecordResults: [ok('2'), ok('3')] });
  t.deepEqual(await rows('SELECT id, amount FROM ledger ORDER BY id'), [
    { id: 1, amount: '10.00' },
    { id: 2, amount: '1.50' },
    { id: 3, amount: '2.25' },
  ] as never);
});

test('bad values fail only their record, naming the field but never the value', async (t) => {
  await stage.database.query(`CREATE TABLE strict_values (
    id INT NOT NULL PRIMARY KEY, qty INT NOT NULL, label VARCHAR(20) NULL, happened DATE NULL, payload VARBINARY(8) NULL,
    state ENUM('open','shut') NULL, doubled INT GENERATED ALWAYS AS (qty * 2) STORED)`);
  const cases: [string, RegExp][] = [
    [
      `{"id":1,"qty":"${SENSITIVE}"}`,
      /^field "qty" \(int(\(11\))?\) expects an integer; the value does not have that form$/,
    ],
    ['{"id":2,"qty":null}', /^field "qty" does not accept null$/],
    [`{"id":3,"qty":1,"colour":"${SENSITIVE}"}`, /^unknown field "colour": the entity has no such field$/],
    ['{"id":4,"qty":1,"doubled":2}', /^field "doubled" is a generated column and cannot be written$/],
    [`{"id":5,"qty":1,"label":"${SENSITIVE}"`, /^the record is not valid JSON: expected "," or "}" at position \d+/],
    ['[1,2]', /^the record is not a JSON object$/],
    [`{"id":7,"qty":1,"happened":"2023-02-29"}`, /^field "happened" \(date\) expects a date/],
    [`{"id":8,"qty":1,"payload":"${SENSITIVE}!"}`, /^field "payload" \(varbinary\(8\)\) expects base64 text/],
    [`{"id":9,"qty":1,"state":"${SENSITIVE}"}`, /^field "state" .* expects one of 'open', 'shut'/],
    [`{"id":10,"qty":{"v":"${SENSITIVE}"}}`, /^field "qty" .* expects an integer, got an object$/],
    ['{"id":11}', /^field "qty" is required: it is NOT NULL without a default$/],
    [
      `{"id":12,"qty":1,"label":"${SENSITIVE}-too-long-for-twenty-chars"}`,
      /^the value is too long for field "label" \(error 1406 ER_DATA_TOO_LONG, SQLSTATE 22001\)$/,
    ],
    [
      `{"id":13,"qty":1,"payload":"${Buffer.from(SENSITIVE).toString('base64')}"}`,
      /^the value is too long for field "payload" \(error 1406/,
    ],
    [stage.database.password, /^the record is not valid JSON/],
  ];
  const good =
    '{"id":100,"qty":3,"label":"fine","happened":"2024-05-01T00:00:00+09:00","payload":"AQID","state":"SHUT"}';
  const answer = await write(t, 'strict_values', 'INSERT', [...cases.map(([record]) => record), good]);
  t.is(answer.errorDetails?.errorMessage, `${cases.length} of ${cases.length + 1} records failed`);
  for (const [index, [, expected]] of cases.entries()) {
    const result = answer.writeRecordResults![index]!;
    t.false(result.isSuccess, `record ${index} fails`);
    t.regex(result.errorMessage ?? '', expected, `record ${index}: ${result.errorMessage}`);
  }
  t.like(answer.writeRecordResults![0], { recordId: '1' });
  t.deepEqual(answer.writeRecordResults![cases.length], ok('100'));
  t.deepEqual(
    await rows('SELECT id, qty, label, happened, HEX(payload) AS payload, state, doubled FROM strict_values'),
    [{ id: 100, qty: 3, label: 'fine', happened: '2024-05-01', payload: '010203', state: 'shut', doubled: 6 }] as never,
  );
});

test('injection attempts in the entity, field names, id fields and values change nothing else', async (t) => {
  await stage.database.query('CREATE TABLE notes (id INT NOT NULL PRIMARY KEY, body TEXT NULL)');
  await stage.database.query('CREATE TABLE victim (id INT NOT NULL PRIMARY KEY)');
  await stage.database.query('INSERT INTO victim VALUES (1), (2)');
  const evil = "x'); DROP TABLE victim; -- \\' \" `";

  const values = await write(t, 'notes', 'INSERT', [JSON.stringify({ id: 1, body: evil })]);
  t.deepEqual(values.writeRecordResults, [ok('1')]);
  t.deepEqual(await rows('SELECT body FROM notes'), [{ body: evil }] as never);

  const fields = await write(t, 'notes', 'INSERT', [
    JSON.stringify({ id: 2, 'body`) VALUES (1); DROP TABLE victim; --': 'x' }),
    JSON.stringify({ id: 3, 'body` = 1, `id': 'x' }),
  ]);
  t.true(
    fields.writeRecordResults!.every((result) => !result.isSuccess && /^unknown field/.test(result.errorMessage!)),
  );

  const entity = await write(t, 'notes` (id) VALUES (9); DROP TABLE victim; --', 'INSERT', ['{"id":9}']);
  t.is(entity.errorDetails?.errorCode, 'ResourceNotFoundError');
  const otherDatabase = await write(t, `${stage.otherDatabase.database}.secret_table`, 'DELETE', ['{"id":1}']);
  t.is(otherDatabase.errorDetails?.errorCode, 'ResourceNotFoundError');

  const ids = await write(t, 'notes', 'DELETE', ['{"id":1}'], { idFieldNames: ['id` OR 1=1 OR `id'] });
  t.is(ids.errorDetails?.errorCode, 'InvalidArgument');
  const whereValue = await write(t, 'notes', 'DELETE', [JSON.stringify({ id: '1 OR 1=1' })]);
  t.regex(whereValue.writeRecordResults![0]!.errorMessage!, /field "id" .* expects an integer/);

  t.deepEqual(await rows('SELECT id FROM victim ORDER BY id'), [{ id: 1 }, { id: 2 }] as never);
  t.deepEqual(await rows('SELECT id FROM notes'), [{ id: 1 }] as never);
  t.deepEqual(await stage.otherDatabase.query('SELECT id FROM secret_table'), [{ id: 1 }] as never);
});

test('empty or null records succeed with no results; a missing operation or a view is refused', async (t) => {
  t.deepEqual(await write(t, 'customers', 'INSERT', []), {
    isSuccess: true,
    errorDetails: null,
    writeRecordResults: [],
  });
  t.deepEqual(await write(t, 'customers', 'INSERT', null), {
    isSuccess: true,
    errorDetails: null,
    writeRecordResults: [],
  });
  const missing = await write(t, 'customers', null, ['{"email":"x@example.com"}']);
  t.like(missing, { isSuccess: false, writeRecordResults: null, errorDetails: { errorCode: 'InvalidArgument' } });
  const view = await write(t, 'line_totals', 'INSERT', ['{"order_id":1}']);
  t.like(view, { isSuccess: false, errorDetails: { errorCode: 'InvalidArgument' } });
  // A table without any key: records are written, with an empty recordId.
  const log = await write(t, 'event_log', 'INSERT', ['{"happened_at":"2024-06-01T00:00:00Z","message":"third"}']);
  // No id fields, no primary key: the recordId is omitted (null), never "".
  t.deepEqual(log.writeRecordResults, [{ isSuccess: true, recordId: null, errorMessage: null }]);
});

test('records the time budget does not cover are reported, and with allOrNone nothing is committed', async (t) => {
  await stage.database.query('CREATE TABLE slow (id INT NOT NULL PRIMARY KEY, n INT NOT NULL)');
  const ids = Array.from({ length: 20 }, (_, index) => index + 1);
  await stage.database.query(`INSERT INTO slow VALUES ${ids.map((id) => `(${id},0)`).join(',')}`);
  await stage.database.query(
    'CREATE TRIGGER slow_update BEFORE UPDATE ON slow FOR EACH ROW SET NEW.n = NEW.n + SLEEP(0.5)',
  );
  const records = ids.map((id) => JSON.stringify({ id, n: 1 }));

  // 3 s of the Lambda's time are kept back for the answer: about 4 s are left for statements of 0.5 s each, room
  // for several records even on a loaded machine, never for all 20 (10 s).
  const some = await write(t, 'slow', 'UPDATE', records, {}, 7_000);
  const results = some.writeRecordResults!;
  const written = results.filter((result) => result.isSuccess).length;
  t.true(written >= 1 && written < 20, `${written} records written in time`);
  t.is(some.errorDetails?.errorCode, 'PartialWriteFailure');
  // The budget ends either between statements or during one (stopped by its timeout): either way the records
  // after it were not attempted, and say so.
  t.regex(results[19]!.errorMessage!, /^not attempted: (time budget exhausted|the database did not answer in time)/);
  const changed = (await rows<{ n: number }>('SELECT COUNT(*) AS n FROM slow WHERE n = 1'))[0]!.n;
  t.true(Number(changed) >= written);

  // All or none: records setting n = 2 (no row holds 2 yet), and afterwards every row is as it was.
  const before = await rows('SELECT id, n FROM slow ORDER BY id');
  const twos = ids.map((id) => JSON.stringify({ id, n: 2 }));
  const none = await write(t, 'slow', 'UPDATE', twos, { allOrNone: true }, 7_000);
  t.like(none, { isSuccess: false, errorDetails: { errorCode: 'RequestTimeout' } });
  t.true(none.writeRecordResults!.every((result) => !result.isSuccess));
  t.deepEqual(await rows('SELECT id, n FROM slow ORDER BY id'), before);
});
