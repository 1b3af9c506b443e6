/**
 * WriteData semantics a user relies on, through the built bundle against a real MariaDB: request order, exact
 * outcomes on tables that cannot roll back, explicit key values, DECIMAL scale, SET members, partial UPSERTs,
 * statement-level failures (triggers), system-versioned tables, and a large mixed batch read back row by row.
 */
import test from 'ava';
import { checkedWriter, mariaDbSender, mariaDbStageFor, outcomes, type RecordResult } from '../support/writes';

const stage = mariaDbStageFor(test, { seed: false });

/** A value that must never appear in an answer. */
const SENSITIVE = 'SENSITIVE-VALUE-91c2';

const write = checkedWriter(mariaDbSender(stage), () => [
  [stage.database.password, 'no message contains the password'],
  [SENSITIVE, 'no message contains a record value'],
]);

async function rows<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
  return ((await stage.database.query(sql, params)) as T[]).map((row) => ({ ...row }));
}

async function sql(statement: string): Promise<void> {
  await stage.database.query(statement);
}

const ok = (recordId: string): RecordResult => ({ isSuccess: true, recordId, errorMessage: null });

// ------------------------------------------------------------------------------------------------------------------

// Serial: it runs before the other tests of this file, alone on this file's server, so the statement counter is ours.
test.serial('uniform batches still go out as multi-row statements', async (t) => {
  await sql('CREATE TABLE bulk (id INT NOT NULL PRIMARY KEY, amount DECIMAL(10,2) NOT NULL, label VARCHAR(20) NULL)');
  const inserts = async () => Number((await rows<{ Value: string }>("SHOW GLOBAL STATUS LIKE 'Com_insert'"))[0]!.Value);
  const records = Array.from({ length: 2000 }, (_, index) =>
    JSON.stringify({ id: index + 1, amount: `${index}.25`, label: `l${index}` }),
  );
  for (const operation of ['INSERT', 'UPSERT']) {
    const before = await inserts();
    const answer = await write(t, 'bulk', operation, records, { idFieldNames: ['id'] });
    t.true(answer.isSuccess);
    t.is((await inserts()) - before, 1, `${operation}: 2,000 records of one shape in one statement`);
  }
  t.is((await rows('SELECT COUNT(*) AS n FROM bulk'))[0]!.n, '2000');
});

test('a view over a table that cannot roll back: every outcome is exact, no row written twice', async (t) => {
  await sql('CREATE TABLE aria_log (msg VARCHAR(5) NOT NULL, n INT NULL) ENGINE=Aria');
  await sql('CREATE VIEW aria_log_view AS SELECT msg, n FROM aria_log');
  await sql('CREATE TABLE myisam_log (msg VARCHAR(5) NOT NULL) ENGINE=MyISAM');
  await sql('CREATE VIEW myisam_log_view AS SELECT msg FROM myisam_log');

  for (const [view, table] of [
    ['aria_log_view', 'aria_log'],
    ['myisam_log_view', 'myisam_log'],
  ]) {
    // The second record is refused by the server in the middle of what would be one multi-row statement.
    const answer = await write(t, view!, 'INSERT', [
      '{"msg":"a"}',
      `{"msg":"${SENSITIVE}"}`,
      '{"msg":"c"}',
      '{"msg":"d"}',
    ]);
    t.deepEqual(outcomes(answer), [true, false, true, true], view);
    t.regex(answer.writeRecordResults![1]!.errorMessage!, /^the value is too long for field "msg" \(error 1406/);
    t.deepEqual(await rows(`SELECT msg FROM ${table} ORDER BY msg`), [
      { msg: 'a' },
      { msg: 'c' },
      { msg: 'd' },
    ] as never);

    // Nothing could be rolled back: allOrNone is refused up front and nothing is written.
    const refused = await write(t, view!, 'INSERT', ['{"msg":"e"}'], { allOrNone: true });
    t.like(refused, { isSuccess: false, errorDetails: { errorCode: 'InvalidArgument' }, writeRecordResults: null });
    t.regex(refused.errorDetails!.errorMessage, /allOrNone/);
    const direct = await write(t, table!, 'INSERT', ['{"msg":"e"}'], { allOrNone: true });
    t.like(direct, { errorDetails: { errorCode: 'InvalidArgument' } });
    t.is((await rows(`SELECT COUNT(*) AS n FROM ${table}`))[0]!.n, '3');
  }
});

test('a table that cannot roll back: a failure after the row was stored says the row may have been written', async (t) => {
  await sql('CREATE TABLE plain_log (id INT NOT NULL PRIMARY KEY, kind INT NOT NULL) ENGINE=MyISAM');
  await sql(`CREATE TRIGGER plain_log_check BEFORE INSERT ON plain_log FOR EACH ROW
    IF NEW.kind = 1 THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'kind 1 is refused'; END IF`);
  const before = await write(t, 'plain_log', 'INSERT', ['{"id":1,"kind":0}', '{"id":2,"kind":1}', '{"id":3,"kind":0}']);
  t.deepEqual(outcomes(before), [true, false, true]);
  // The SIGNAL's own text is the trigger's: only its number, code and SQLSTATE are returned.
  t.is(
    before.writeRecordResults![1]!.errorMessage,
    "a trigger or stored routine refused the record with SIGNAL (error 1644 ER_SIGNAL_EXCEPTION, SQLSTATE 45000); its text is not returned, as it may hold the record's values",
  );
  t.deepEqual(await rows('SELECT id FROM plain_log ORDER BY id'), [{ id: 1 }, { id: 3 }] as never);

  // An AFTER trigger fails once the row is stored: MyISAM keeps it, and the result must not pretend otherwise.
  await sql(`CREATE TRIGGER plain_log_after AFTER INSERT ON plain_log FOR EACH ROW
    IF NEW.kind = 2 THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'kind 2 is refused late'; END IF`);
  const after = await write(t, 'plain_log', 'INSERT', ['{"id":4,"kind":2}', '{"id":5,"kind":0}']);
  t.deepEqual(outcomes(after), [false, true]);
  t.regex(
    after.writeRecordResults![0]!.errorMessage!,
    /^a trigger or stored routine refused the record with SIGNAL .*; the table cannot roll back, so the row may have been written/,
  );
  t.deepEqual(await rows('SELECT id FROM plain_log ORDER BY id'), [
    { id: 1 },
    { id: 3 },
    { id: 4 },
    { id: 5 },
  ] as never);
});

test('an explicit id 0 on an AUTO_INCREMENT key is written as given; an absent or null id is generated', async (t) => {
  await sql('CREATE TABLE counters (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, label VARCHAR(20) NOT NULL)');
  const first = await write(t, 'counters', 'INSERT', ['{"id":0,"label":"zero"}']);
  t.deepEqual(first.writeRecordResults, [ok('0')]);
  const again = await write(t, 'counters', 'UPSERT', ['{"id":0,"label":"zero again"}'], { idFieldNames: ['id'] });
  t.deepEqual(again.writeRecordResults, [ok('0')]);
  const twice = await write(t, 'counters', 'UPSERT', ['{"id":0,"label":"zero thrice"}'], { idFieldNames: ['id'] });
  t.deepEqual(twice.writeRecordResults, [ok('0')]);
  const duplicate = await write(t, 'counters', 'INSERT', ['{"id":0,"label":"dup"}']);
  t.regex(duplicate.writeRecordResults![0]!.errorMessage!, /duplicate value for unique key "PRIMARY"/);

  const generated = await write(t, 'counters', 'INSERT', ['{"label":"absent"}', '{"id":null,"label":"null"}']);
  const ids = generated.writeRecordResults!.map((result) => Number(result.recordId));
  t.true(ids[0]! > 0 && ids[1] === ids[0]! + 1, `generated ids ${ids}`);
  t.deepEqual(await rows('SELECT id, label FROM counters ORDER BY id'), [
    { id: 0, label: 'zero thrice' },
    { id: ids[0], label: 'absent' },
    { id: ids[1], label: 'null' },
  ] as never);
});

test('records are applied in request order: a self-referencing foreign key and generated ids', async (t) => {
  await sql(`CREATE TABLE staff (
    id INT NOT NULL PRIMARY KEY, name VARCHAR(20) NOT NULL, manager_id INT NULL, title VARCHAR(20) NULL,
    CONSTRAINT fk_staff_manager FOREIGN KEY (manager_id) REFERENCES staff (id))`);
  // Managers come before their reports; the shapes alternate (the middle record also has a title).
  const batch = [
    '{"id":1,"name":"ceo","manager_id":null}',
    '{"id":2,"name":"cto","manager_id":1,"title":"CTO"}',
    '{"id":3,"name":"dev","manager_id":2}',
    '{"id":4,"name":"intern","manager_id":3,"title":"intern"}',
    '{"id":5,"name":"dev2","manager_id":4}',
  ];
  for (const operation of ['INSERT', 'UPSERT']) {
    await sql('DELETE FROM staff ORDER BY id DESC');
    const answer = await write(t, 'staff', operation, batch, { idFieldNames: ['id'] });
    t.deepEqual(answer, {
      isSuccess: true,
      errorDetails: null,
      writeRecordResults: [ok('1'), ok('2'), ok('3'), ok('4'), ok('5')],
    });
    t.deepEqual(await rows('SELECT id, manager_id FROM staff ORDER BY id'), [
      { id: 1, manager_id: null },
      { id: 2, manager_id: 1 },
      { id: 3, manager_id: 2 },
      { id: 4, manager_id: 3 },
      { id: 5, manager_id: 4 },
    ] as never);
  }

  await sql('CREATE TABLE sequence_log (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, a INT NULL, b INT NULL)');
  const records = ['{"a":1}', '{"b":2}', '{"a":3}', '{"a":4,"b":4}', '{"a":5}', '{"a":6}'];
  const answer = await write(t, 'sequence_log', 'INSERT', records);
  const ids = answer.writeRecordResults!.map((result) => Number(result.recordId));
  t.deepEqual(
    ids,
    [...ids].sort((left, right) => left - right),
    `generated ids follow the request order: ${ids}`,
  );
  const stored = await rows<{ id: string; a: number | null; b: number | null }>(
    'SELECT id, a, b FROM sequence_log ORDER BY id',
  );
  t.deepEqual(
    stored.map((row) => [Number(row.id), row.a ?? row.b]),
    ids.map((id, index) => [id, index + 1]),
  );
});

test('DECIMAL values with more fraction digits than the scale are refused, not rounded', async (t) => {
  await sql('CREATE TABLE amounts (id INT NOT NULL PRIMARY KEY, d DECIMAL(6,2) NULL, tiny DECIMAL(65,30) NULL)');
  const answer = await write(t, 'amounts', 'INSERT', [
    '{"id":1,"d":1.005}',
    '{"id":2,"tiny":1e-40}',
    '{"id":3,"d":"1.500000"}',
    '{"id":4,"d":12345.1}',
    '{"id":5,"d":-9999.99}',
    '{"id":6,"d":1.10e1,"tiny":"1e-30"}',
    '{"id":7,"d":"0.001"}',
    '{"id":8,"d":10000}',
  ]);
  t.deepEqual(outcomes(answer), [false, false, true, false, true, true, false, false]);
  const messages = answer.writeRecordResults!.map((result) => result.errorMessage);
  t.regex(messages[0]!, /^field "d" \(decimal\(6,2\)\) allows 2 digits after the decimal point; the value has more/);
  t.regex(messages[1]!, /^field "tiny" \(decimal\(65,30\)\) allows 30 digits after the decimal point/);
  t.regex(
    messages[3]!,
    /^field "d" \(decimal\(6,2\)\) allows 4 digits before the decimal point; the value is out of range/,
  );
  t.regex(messages[6]!, /allows 2 digits after the decimal point/);
  t.regex(messages[7]!, /allows 4 digits before the decimal point/);
  t.deepEqual(await rows('SELECT id, d, tiny FROM amounts ORDER BY id'), [
    { id: 3, d: '1.50', tiny: null },
    { id: 5, d: '-9999.99', tiny: null },
    { id: 6, d: '11.00', tiny: '0.000000000000000000000000000001' },
  ] as never);
});

test('SET members are checked per record; a truncation the server reports fails only its record', async (t) => {
  await sql("CREATE TABLE tagged (id INT NOT NULL PRIMARY KEY, tags SET('a','b','c') NULL)");
  const answer = await write(t, 'tagged', 'INSERT', [
    `{"id":1,"tags":"a,${SENSITIVE}"}`,
    '{"id":2,"tags":["b","c"]}',
    '{"id":3,"tags":"C,a"}',
    '{"id":4,"tags":""}',
    `{"id":5,"tags":["a","${SENSITIVE}"]}`,
  ]);
  t.deepEqual(outcomes(answer), [false, true, true, true, false]);
  t.regex(
    answer.writeRecordResults![0]!.errorMessage!,
    /^field "tags" \(set\('a','b','c'\)\) expects members of 'a', 'b', 'c'/,
  );
  t.deepEqual(await rows('SELECT id, tags FROM tagged ORDER BY id'), [
    { id: 2, tags: 'b,c' },
    { id: 3, tags: 'a,c' },
    { id: 4, tags: '' },
  ] as never);

  // A trigger stores a value the column cannot hold: the server's "Data truncated" fails that record only.
  await sql("CREATE TABLE graded (id INT NOT NULL PRIMARY KEY, score INT NOT NULL, grade ENUM('pass','fail') NULL)");
  await sql(
    "CREATE TRIGGER graded_grade BEFORE INSERT ON graded FOR EACH ROW SET NEW.grade = IF(NEW.score > 100, 'bogus', 'pass')",
  );
  const graded = await write(t, 'graded', 'INSERT', [
    '{"id":1,"score":50}',
    '{"id":2,"score":500}',
    '{"id":3,"score":70}',
  ]);
  t.is(graded.errorDetails?.errorCode, 'PartialWriteFailure');
  t.deepEqual(outcomes(graded), [true, false, true]);
  t.regex(graded.writeRecordResults![1]!.errorMessage!, /the value does not fit field "grade": data truncated/);
  t.deepEqual(await rows('SELECT id FROM graded ORDER BY id'), [{ id: 1 }, { id: 3 }] as never);
});

test('UPSERT of some columns of an existing row works although other columns are NOT NULL without default', async (t) => {
  await sql(`CREATE TABLE accounts (
    id INT NOT NULL PRIMARY KEY, amt INT NOT NULL, owner VARCHAR(20) NOT NULL, note VARCHAR(20) NULL)`);
  await sql("INSERT INTO accounts VALUES (1, 1, 'ann', 'keep'), (2, 2, 'bob', NULL)");
  const records = [
    '{"id":1,"amt":5}',
    '{"id":7,"amt":7}',
    '{"id":3,"amt":8,"owner":"cy"}',
    '{"id":2,"amt":9}',
    '{"id":1,"note":"changed"}',
  ];
  const answer = await write(t, 'accounts', 'UPSERT', records, { idFieldNames: ['id'] });
  t.deepEqual(answer.writeRecordResults, [
    ok('1'),
    {
      isSuccess: false,
      recordId: '7',
      errorMessage: 'no row matches the id field id, and a new row needs field "owner" (NOT NULL without a default)',
    },
    ok('3'),
    ok('2'),
    ok('1'),
  ]);
  t.deepEqual(await rows('SELECT id, amt, owner, note FROM accounts ORDER BY id'), [
    { id: 1, amt: 5, owner: 'ann', note: 'changed' },
    { id: 2, amt: 9, owner: 'bob', note: null },
    { id: 3, amt: 8, owner: 'cy', note: null },
  ] as never);

  // In one transaction: the missing row fails the batch, nothing is changed.
  const none = await write(t, 'accounts', 'UPSERT', ['{"id":1,"amt":100}', '{"id":8,"note":"x"}'], {
    idFieldNames: ['id'],
    allOrNone: true,
  });
  t.deepEqual(outcomes(none), [false, false]);
  t.regex(none.writeRecordResults![1]!.errorMessage!, /needs fields "amt", "owner"/);
  t.is((await rows('SELECT amt FROM accounts WHERE id = 1'))[0]!.amt, 5);
  const all = await write(t, 'accounts', 'UPSERT', ['{"id":1,"amt":100}', '{"id":2,"note":"y"}'], {
    idFieldNames: ['id'],
    allOrNone: true,
  });
  t.true(all.isSuccess);
  t.deepEqual(await rows('SELECT id, amt, note FROM accounts WHERE id < 3 ORDER BY id'), [
    { id: 1, amt: 100, note: 'changed' },
    { id: 2, amt: 9, note: 'y' },
  ] as never);
});

test('a trigger failing on some records fails only those records, naming the real cause', async (t) => {
  await sql('CREATE TABLE audit_parent (id INT NOT NULL PRIMARY KEY)');
  await sql('INSERT INTO audit_parent VALUES (1)');
  await sql(`CREATE TABLE audit_child (parent_id INT NOT NULL,
    CONSTRAINT fk_audit_parent FOREIGN KEY (parent_id) REFERENCES audit_parent (id))`);
  await sql('CREATE TABLE watched (id INT NOT NULL PRIMARY KEY, kind INT NOT NULL)');
  await sql(`CREATE TRIGGER watched_insert AFTER INSERT ON watched FOR EACH ROW BEGIN
    IF NEW.kind = 1 THEN INSERT INTO missing_audit_table VALUES (NEW.id); END IF;
    IF NEW.kind = 2 THEN INSERT INTO audit_child VALUES (NEW.id * 100); END IF;
    IF NEW.kind = 3 THEN INSERT INTO audit_child VALUES (1 DIV 0); END IF;
  END`);
  const records = [0, 1, 0, 2, 0, 3, 0].map((kind, index) => JSON.stringify({ id: index + 1, kind }));
  const answer = await write(t, 'watched', 'INSERT', records);
  t.is(answer.errorDetails?.errorCode, 'PartialWriteFailure');
  t.is(answer.errorDetails?.errorMessage, '3 of 7 records failed');
  t.deepEqual(outcomes(answer), [true, false, true, false, true, false, true]);
  const messages = answer.writeRecordResults!.map((result) => result.errorMessage ?? '');
  t.regex(messages[1]!, /table "missing_audit_table" does not exist/);
  t.notRegex(messages[1]!, /changed while the request ran/);
  t.regex(messages[3]!, /foreign key "fk_audit_parent" fails/);
  t.regex(messages[5]!, /\(error 1365 ER_DIVISION_BY_ZERO, SQLSTATE 22012\)/);
  t.deepEqual(await rows('SELECT id FROM watched ORDER BY id'), [{ id: 1 }, { id: 3 }, { id: 5 }, { id: 7 }] as never);

  // The same failure inside an all-or-none batch names its record and rolls everything back.
  const none = await write(t, 'watched', 'INSERT', ['{"id":10,"kind":0}', '{"id":11,"kind":1}'], { allOrNone: true });
  t.is(none.errorDetails?.errorCode, 'PartialWriteFailure');
  t.regex(none.writeRecordResults![1]!.errorMessage!, /table "missing_audit_table" does not exist/);
  t.is(none.writeRecordResults![0]!.errorMessage, 'not written: another record of this all-or-none batch failed');
  t.is((await rows('SELECT COUNT(*) AS n FROM watched WHERE id >= 10'))[0]!.n, '0');
});

test('UPSERT, UPDATE and DELETE on a system-versioned table with explicit period columns', async (t) => {
  await sql(`CREATE TABLE prices (
    id INT NOT NULL PRIMARY KEY, amt DECIMAL(8,2) NOT NULL,
    valid_from TIMESTAMP(6) GENERATED ALWAYS AS ROW START, valid_to TIMESTAMP(6) GENERATED ALWAYS AS ROW END,
    PERIOD FOR SYSTEM_TIME (valid_from, valid_to)) WITH SYSTEM VERSIONING`);
  const upsert = await write(t, 'prices', 'UPSERT', ['{"id":1,"amt":1}', '{"id":2,"amt":2}', '{"id":1,"amt":3}'], {
    idFieldNames: ['id'],
  });
  t.deepEqual(upsert.writeRecordResults, [ok('1'), ok('2'), ok('1')]);
  // Without idFieldNames the primary key is (id): the period end MariaDB adds to every unique key is not part of it.
  const update = await write(t, 'prices', 'UPDATE', ['{"id":2,"amt":20}']);
  t.deepEqual(update.writeRecordResults, [ok('2')]);
  const remove = await write(t, 'prices', 'DELETE', ['{"id":1}']);
  t.deepEqual(remove.writeRecordResults, [ok('1')]);
  t.deepEqual(await rows('SELECT id, amt FROM prices ORDER BY id'), [{ id: 2, amt: '20.00' }] as never);
  // The history keeps the deleted row and the value the UPDATE replaced.
  t.deepEqual(await rows('SELECT id, amt FROM prices FOR SYSTEM_TIME ALL WHERE valid_to < NOW(6) ORDER BY id'), [
    { id: 1, amt: '3.00' },
    { id: 2, amt: '2.00' },
  ] as never);

  // The period columns are generated by the server: never written.
  const period = await write(t, 'prices', 'UPSERT', ['{"id":3,"amt":1,"valid_from":"2020-01-01T00:00:00Z"}'], {
    idFieldNames: ['id'],
  });
  t.regex(period.writeRecordResults![0]!.errorMessage!, /field "valid_from" is a generated column/);
  const byPeriod = await write(t, 'prices', 'UPSERT', ['{"id":3,"amt":1}'], { idFieldNames: ['id', 'valid_to'] });
  t.is(byPeriod.errorDetails?.errorCode, 'InvalidArgument');
});

// ------------------------------------------------------------------------------------------------------------------

interface Person {
  id: number;
  email: string;
  name: string;
  team_id: number | null;
  note: string | null;
}

test('a 500-record batch mixing shapes and failures: every result matches the table, with and without allOrNone', async (t) => {
  await sql('CREATE TABLE teams (id INT NOT NULL PRIMARY KEY)');
  await sql('INSERT INTO teams VALUES (1), (2), (3)');
  const create = (name: string) =>
    sql(`CREATE TABLE ${name} (
      id INT NOT NULL PRIMARY KEY, email VARCHAR(40) NOT NULL, name VARCHAR(10) NOT NULL, team_id INT NULL,
      note VARCHAR(30) NULL, UNIQUE KEY uq_${name}_email (email),
      CONSTRAINT fk_${name}_team FOREIGN KEY (team_id) REFERENCES teams (id))`);
  await create('people');
  await create('people_all');
  for (const table of ['people', 'people_all']) {
    await sql(`INSERT INTO ${table} (id, email, name) VALUES (10000, 'taken@example.com', 'existing')`);
  }

  const wanted: Person[] = [];
  const records: string[] = [];
  const bad = new Map<number, RegExp>();
  for (let index = 0; index < 500; index++) {
    const person: Person = {
      id: index + 1,
      email: `p${index}@example.com`,
      name: `n${index}`,
      team_id: index % 4 === 0 ? null : (index % 3) + 1,
      note: index % 7 === 0 ? `note ${index}` : null,
    };
    // Shapes vary: some records leave out team_id or note altogether.
    const record: Record<string, unknown> = { id: person.id, email: person.email, name: person.name };
    if (person.team_id !== null || index % 8 === 0) record.team_id = person.team_id;
    if (person.note !== null) record.note = person.note;
    if (index === 37) {
      record.email = 'taken@example.com';
      bad.set(index, /duplicate value for unique key "uq_people(_all)?_email"/);
    } else if (index === 150) {
      record.name = { nested: true };
      bad.set(index, /field "name" .* expects a string, got an object/);
    } else if (index === 251) {
      record.name = `${SENSITIVE}-too-long`;
      bad.set(index, /^the value is too long for field "name"/);
    } else if (index === 252) {
      record.team_id = 99;
      bad.set(index, /foreign key "fk_people(_all)?_team" fails: the referenced row does not exist/);
    } else if (index === 400) {
      record.email = 'p399@example.com'; // the same email as the record just before it
      bad.set(index, /duplicate value for unique key/);
    } else {
      wanted.push(person);
    }
    records.push(JSON.stringify(record));
  }

  const answer = await write(t, 'people', 'INSERT', records);
  t.is(answer.errorDetails?.errorMessage, `${bad.size} of 500 records failed`);
  for (const [index, result] of answer.writeRecordResults!.entries()) {
    const expected = bad.get(index);
    if (expected) {
      t.false(result.isSuccess, `record ${index} fails`);
      t.regex(result.errorMessage ?? '', expected, `record ${index}`);
    } else {
      t.deepEqual(result, ok(String(index + 1)), `record ${index}`);
    }
  }
  const stored = await rows<Person>('SELECT id, email, name, team_id, note FROM people WHERE id < 10000 ORDER BY id');
  t.deepEqual(stored, wanted as never, 'the table holds exactly the records reported written');

  const none = await write(t, 'people_all', 'INSERT', records, { allOrNone: true });
  t.is(none.errorDetails?.errorCode, 'PartialWriteFailure');
  t.true(none.writeRecordResults!.every((result) => !result.isSuccess));
  // The record refused before any SQL ran is named; nothing is written.
  t.regex(none.writeRecordResults![150]!.errorMessage!, bad.get(150)!);
  t.is((await rows('SELECT COUNT(*) AS n FROM people_all'))[0]!.n, '1');

  // Without the record refused up front, the database finds the first culprit; still nothing is written.
  const withoutEarly = records.map((record, index) =>
    index === 150 ? records[149]!.replace('"id":150', '"id":151').replace('p149@', 'x149@') : record,
  );
  const rolledBack = await write(t, 'people_all', 'INSERT', withoutEarly, { allOrNone: true });
  t.is(rolledBack.errorDetails?.errorCode, 'PartialWriteFailure');
  t.regex(rolledBack.writeRecordResults![37]!.errorMessage!, bad.get(37)!);
  t.true(rolledBack.writeRecordResults!.every((result) => !result.isSuccess));
  t.is((await rows('SELECT COUNT(*) AS n FROM people_all'))[0]!.n, '1');

  // The good records alone: all written in one transaction.
  const good = records.filter((_, index) => !bad.has(index));
  const all = await write(t, 'people_all', 'INSERT', good, { allOrNone: true });
  t.true(all.isSuccess);
  const allStored = await rows<Person>(
    'SELECT id, email, name, team_id, note FROM people_all WHERE id < 10000 ORDER BY id',
  );
  t.deepEqual(allStored, wanted as never);
});
