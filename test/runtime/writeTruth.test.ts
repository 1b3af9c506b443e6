/**
 * WriteData tells the truth on MariaDB, through the built bundle: messages carry names, numbers and our own words but
 * never a record's value (a trigger's SIGNAL text, a cast or constraint message); a COMMIT whose outcome is unknown
 * is "not confirmed"; the prepared statements an instance keeps on the server are bounded. Both engines:
 * writeTruthAcrossEngines.test.ts (allOrNone culprits, ids through a view).
 */
import { randomBytes } from 'node:crypto';
import test from 'ava';
import mysql from 'mysql2/promise';
import { triggersVisible } from '../../handler/engines/mysql/writes';
import { queryDataEvent, secretArnFor } from '../support/events';
import { capturedLogs, containsSecret, invoke } from '../support/lambda';
import { checkedWriter, mariaDbSender, mariaDbStageFor, messages } from '../support/writes';

/** A value that must never appear in an answer or a log line. */
const SENSITIVE = 'ada.sensitive@example.com';

const stage = mariaDbStageFor(test, { seed: false, loggedValue: SENSITIVE });

const write = checkedWriter(mariaDbSender(stage), () => [
  [SENSITIVE, 'no message contains a record value'],
  ['sensitive', 'no message contains part of a record value'],
]);

async function rows<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]> {
  return ((await stage.database.query(sql, params)) as T[]).map((row) => ({ ...row }));
}

test('a trigger SIGNAL that quotes the record, a CHECK, a cast and a truncation never return the value', async (t) => {
  await stage.database.query(`CREATE TABLE signed_up (
    id INT NOT NULL PRIMARY KEY, email VARCHAR(40) NOT NULL, age INT NULL,
    CONSTRAINT age_is_adult CHECK (age IS NULL OR age >= 18))`);
  await stage.database.query(`CREATE TRIGGER signed_up_check BEFORE INSERT ON signed_up FOR EACH ROW BEGIN
    DECLARE said VARCHAR(128) DEFAULT CONCAT('email ', NEW.email, ' is refused');
    IF NEW.id = 1 THEN
      SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = said;
    ELSEIF NEW.id = 2 THEN
      SIGNAL SQLSTATE '22007' SET MESSAGE_TEXT = said, MYSQL_ERRNO = 1292;
    END IF;
  END`);
  const answer = await write(t, 'signed_up', 'INSERT', [
    JSON.stringify({ id: 1, email: SENSITIVE }),
    JSON.stringify({ id: 2, email: SENSITIVE }),
    JSON.stringify({ id: 3, email: SENSITIVE, age: 7 }),
    JSON.stringify({ id: 4, email: `${SENSITIVE}-far-too-long-for-forty` }),
    JSON.stringify({ id: 5, email: 'fine@example.com', age: 30 }),
  ]);
  t.deepEqual(
    answer.writeRecordResults!.map((result) => result.isSuccess),
    [false, false, false, false, true],
  );
  t.deepEqual(messages(answer).slice(0, 4), [
    "a trigger or stored routine refused the record with SIGNAL (error 1644 ER_SIGNAL_EXCEPTION, SQLSTATE 45000); its text is not returned, as it may hold the record's values",
    // A SIGNAL that borrows a server error's number and state still says nothing of its own text.
    'the value is not valid for its field (error 1292 ER_TRUNCATED_WRONG_VALUE, SQLSTATE 22007)',
    'check constraint "age_is_adult" is violated (error 4025, SQLSTATE 23000)',
    'the value is too long for field "email" (error 1406 ER_DATA_TOO_LONG, SQLSTATE 22001)',
  ]);
  t.deepEqual(await rows('SELECT id FROM signed_up'), [{ id: 5 }] as never);
});

// Serial: the server's count of prepared statements is global; no other test of this file runs meanwhile.
test.serial('an instance keeps at most 64 prepared statements on the server after 300 varied calls', async (t) => {
  await stage.database.query('CREATE TABLE varied (id INT NOT NULL PRIMARY KEY, note VARCHAR(20) NULL)');
  let next = 1;
  for (let call = 0; call < 300; call++) {
    if (call % 3 === 2) {
      // Reads with a different page size each time (the statement's text varies with it).
      const answer = await invoke<{ isSuccess: boolean }>(
        stage.bundle,
        queryDataEvent(stage.target, 'varied', { maxResults: 1 + call }),
      );
      t.true(answer.isSuccess);
      continue;
    }
    // Inserts of a different number of rows each time: one statement text per row count.
    const count = 1 + (call % 150);
    const records = Array.from({ length: count }, () => JSON.stringify({ id: next++, note: 'n' }));
    const answer = await write(t, 'varied', 'INSERT', records);
    t.true(answer.isSuccess);
  }
  const [status] = await rows<{ Value: string }>("SHOW GLOBAL STATUS LIKE 'Prepared_stmt_count'");
  const open = Number(status!.Value);
  t.log(`prepared statements open on the server after 300 calls: ${open}`);
  t.true(open <= 64, `at most 2 connections × 32 statements; ${open} are open`);
});

test.serial('a COMMIT whose outcome is unknown (the connection is lost during it) is "not confirmed"', async (t) => {
  await stage.database.query('CREATE TABLE ledger_lines (id INT NOT NULL PRIMARY KEY, amount INT NOT NULL)');
  const admin = await mysql.createConnection({ ...stage.server.admin });
  try {
    // BACKUP STAGE BLOCK_COMMIT lets statements run but holds every COMMIT until the backup stage ends.
    await admin.query('BACKUP STAGE START');
    await admin.query('BACKUP STAGE FLUSH');
    await admin.query('BACKUP STAGE BLOCK_DDL');
    await admin.query('BACKUP STAGE BLOCK_COMMIT');
    const pending = write(t, 'ledger_lines', 'INSERT', ['{"id":1,"amount":5}', '{"id":2,"amount":6}'], {
      allOrNone: true,
    });
    // The connector's session waits in COMMIT: end it there.
    let killed = false;
    for (let tries = 0; tries < 200 && !killed; tries++) {
      const [waiting] = (await admin.query(
        "SELECT ID AS id FROM information_schema.PROCESSLIST WHERE USER = ? AND INFO = 'COMMIT'",
        [stage.database.user],
      )) as unknown as [{ id: number }[]];
      if (waiting.length > 0) {
        await admin.query(`KILL CONNECTION ${Number(waiting[0]!.id)}`);
        killed = true;
      } else await new Promise((resolve) => setTimeout(resolve, 50));
    }
    t.true(killed, 'the connector reached COMMIT');
    const answer = await pending;
    t.false(answer.isSuccess);
    for (const message of messages(answer)) t.regex(message!, /^not confirmed: the outcome of COMMIT is unknown/);
    t.not(answer.errorDetails?.errorCode, 'PartialWriteFailure');
    t.not(answer.errorDetails?.retryAfterSeconds, null);
  } finally {
    await admin.query('BACKUP STAGE END').catch(() => {});
    await admin.end();
  }
});

test('a table whose trigger writes a table that cannot roll back is written one record per statement, never retried', async (t) => {
  await stage.database.query('CREATE TABLE audit_trail (id INT NOT NULL) ENGINE=MyISAM');
  await stage.database.query('CREATE TABLE audited (id INT NOT NULL PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB');
  await stage.database.query(
    'CREATE TRIGGER audited_log AFTER INSERT ON audited FOR EACH ROW INSERT INTO audit_trail VALUES (NEW.id)',
  );
  await stage.database.query('INSERT INTO audited VALUES (3, 0)');
  await stage.database.query('DELETE FROM audit_trail');
  // Record 3 collides: a multi-row statement would fail after its trigger logged records 1 and 2 in MyISAM, and
  // a retry record by record would log them twice.
  const answer = await write(t, 'audited', 'INSERT', [
    '{"id":1,"v":1}',
    '{"id":2,"v":2}',
    '{"id":3,"v":3}',
    '{"id":4,"v":4}',
  ]);
  t.deepEqual(
    answer.writeRecordResults!.map((result) => result.isSuccess),
    [true, true, false, true],
  );
  const logged = await rows<{ id: number }>('SELECT id FROM audit_trail ORDER BY id');
  t.deepEqual(
    logged.map((row) => row.id),
    [1, 2, 4],
    'each written record logged once',
  );
  const refused = await write(t, 'audited', 'INSERT', ['{"id":5,"v":5}'], { allOrNone: true });
  t.is(refused.errorDetails?.errorCode, 'InvalidArgument');
});

test('UPDATE and DELETE by a FLOAT id find the row QueryData showed with that value', async (t) => {
  await stage.database.query(
    'CREATE TABLE measured (f FLOAT NOT NULL PRIMARY KEY, d DOUBLE NOT NULL, note VARCHAR(8))',
  );
  await stage.database.query("INSERT INTO measured VALUES (0.1, 0.1, 'a'), (2.5, 2.5, 'b'), (1e-7, 1e-7, 'c')");
  const shown = await invoke<{ records: string[] }>(stage.bundle, queryDataEvent(stage.target, 'measured'));
  const ids = shown.records.map((record) => JSON.parse(record).f as number);
  t.deepEqual(ids, [1e-7, 0.1, 2.5]);
  const updated = await write(
    t,
    'measured',
    'UPDATE',
    ids.map((f) => JSON.stringify({ f, note: 'seen' })),
  );
  t.true(updated.isSuccess, JSON.stringify(updated));
  t.deepEqual(
    (await rows<{ note: string }>('SELECT note FROM measured')).map((row) => row.note),
    ['seen', 'seen', 'seen'],
  );
  // A value no stored FLOAT shows as finds nothing, although it rounds to the same float32.
  const near = await write(t, 'measured', 'UPDATE', ['{"f":0.10000000001,"note":"x"}']);
  t.is(near.writeRecordResults![0]!.errorMessage, 'no row matches the id field f');
  const deleted = await write(t, 'measured', 'DELETE', ['{"f":0.1}']);
  t.true(deleted.isSuccess, JSON.stringify(deleted));
  const byDouble = await write(t, 'measured', 'UPDATE', ['{"d":2.5,"note":"dbl"}'], { idFieldNames: ['d'] });
  t.true(byDouble.isSuccess, JSON.stringify(byDouble));
  t.is(String((await rows('SELECT COUNT(*) AS n FROM measured'))[0]!.n), '2');
});

test('UPDATE and DELETE by a TINYINT(1) id shown true find the row stored as 2; an id shown by two rows is refused', async (t) => {
  await stage.database.query('CREATE TABLE flags (b TINYINT(1) NOT NULL PRIMARY KEY, note VARCHAR(8))');
  await stage.database.query("INSERT INTO flags VALUES (0, 'zero'), (2, 'two')");
  const shown = await invoke<{ records: string[] }>(stage.bundle, queryDataEvent(stage.target, 'flags'));
  t.deepEqual(
    shown.records.map((record) => JSON.parse(record).b),
    [false, true],
  );
  const updated = await write(t, 'flags', 'UPDATE', ['{"b":true,"note":"seen"}', '{"b":false,"note":"seen0"}']);
  t.true(updated.isSuccess, JSON.stringify(updated));
  t.deepEqual(await rows('SELECT b, note FROM flags ORDER BY b'), [
    { b: 0, note: 'seen0' },
    { b: 2, note: 'seen' },
  ] as never);
  const deleted = await write(t, 'flags', 'DELETE', ['{"b":true}']);
  t.true(deleted.isSuccess, JSON.stringify(deleted));
  await stage.database.query("INSERT INTO flags VALUES (1, 'one'), (3, 'three')");
  const ambiguous = await write(t, 'flags', 'UPDATE', ['{"b":true,"note":"x"}']);
  t.regex(ambiguous.writeRecordResults![0]!.errorMessage!, /^the id does not identify one row/);
  t.deepEqual(await rows('SELECT note FROM flags WHERE b <> 0 ORDER BY b'), [
    { note: 'one' },
    { note: 'three' },
  ] as never);
});

test('every log line is redacted: a registered password in any logged field never reaches the log', async (t) => {
  // A call that reads the secret registers the password as sensitive.
  await stage.database.query('CREATE TABLE logged (id INT NOT NULL PRIMARY KEY)');
  t.true((await write(t, 'logged', 'DELETE', ['{"id":999}'])).writeRecordResults !== null);
  // An unsupported request type is logged as it came: here, the password itself.
  // The thrown error is logged by the Lambda runtime itself, so its message is redacted too.
  const thrown = await t.throwsAsync(invoke(stage.bundle, { type: `x${stage.database.password}` }));
  t.false(containsSecret(String(thrown?.message), stage.database.password));
  t.regex(String(thrown?.message), /unsupported AppFlow request type: "x\*\*\*"/);
  await t.throwsAsync(invoke(stage.bundle, { type: stage.database.password }));
  t.false(containsSecret(capturedLogs(), stage.database.password));
  t.regex(capturedLogs(), /"unsupported request type",[^\n]*"requestType":"x\*\*\*"/);
});

test.serial(
  'a server out of prepared statements (1461) answers a retryable code, reads and writes alike',
  async (t) => {
    await stage.database.query('CREATE TABLE exhausted (id INT NOT NULL PRIMARY KEY)');
    const [before] = await rows<{ value: string }>('SELECT @@GLOBAL.max_prepared_stmt_count AS value');
    await stage.server.adminQuery('SET GLOBAL max_prepared_stmt_count = 0');
    try {
      const read = await invoke<{ errorDetails: { errorCode: string; retryAfterSeconds: number | null } | null }>(
        stage.bundle,
        queryDataEvent(stage.target, 'exhausted', { maxResults: 777 }),
      );
      t.like(read.errorDetails, { errorCode: 'ServiceUnavailable', retryAfterSeconds: 30 });
      const written = await write(t, 'exhausted', 'INSERT', ['{"id":1}', '{"id":2}', '{"id":3}']);
      t.is(written.errorDetails?.errorCode, 'ServiceUnavailable', JSON.stringify(written));
      t.is(written.errorDetails?.retryAfterSeconds, 30);
    } finally {
      await stage.server.adminQuery(`SET GLOBAL max_prepared_stmt_count = ${Number(before!.value)}`);
    }
  },
);

test('a user who cannot see the triggers (no TRIGGER privilege): a failed multi-row statement is never run again, so a trigger writing MyISAM logs nothing twice', async (t) => {
  // NOW(6) is the statement's start time: rows logged by one statement share it.
  await stage.database.query('CREATE TABLE hidden_audit (id INT NOT NULL, at DATETIME(6) NOT NULL) ENGINE=MyISAM');
  await stage.database.query('CREATE TABLE guarded (id INT NOT NULL PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB');
  await stage.database.query(
    'CREATE TRIGGER guarded_log AFTER INSERT ON guarded FOR EACH ROW INSERT INTO hidden_audit VALUES (NEW.id, NOW(6))',
  );
  await stage.database.query('CREATE TABLE visible_ok (id INT NOT NULL PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB');
  await stage.database.query(
    'CREATE TRIGGER visible_ok_check BEFORE INSERT ON visible_ok FOR EACH ROW SET NEW.v = NEW.v + 0',
  );
  await stage.database.query('INSERT INTO guarded VALUES (3, 0)');
  await stage.database.query('INSERT INTO visible_ok VALUES (3, 0)');
  await stage.database.query('DELETE FROM hidden_audit');
  // A least-privilege user: it may write both tables, and may see the triggers of visible_ok only.
  const user = `nt_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  const schema = `\`${stage.database.database}\``;
  await stage.server.adminQuery(`CREATE USER ?@'%' IDENTIFIED BY ?`, [user, password]);
  await stage.server.adminQuery(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${schema}.* TO ?@'%'`, [user]);
  await stage.server.adminQuery(`GRANT TRIGGER ON ${schema}.visible_ok TO ?@'%'`, [user]);
  const secretArn = secretArnFor(user);
  stage.secrets.putSecret(secretArn, { username: user, password });
  const target = { ...stage.target, secretArn };
  const batch = ['{"id":1,"v":1}', '{"id":2,"v":2}', '{"id":3,"v":3}', '{"id":4,"v":4}'];

  // Hidden triggers: the statement failed on record 3 after the trigger logged 1 and 2 in MyISAM; running its
  // records again one by one would log them twice. Its records all fail with the statement's error.
  const hidden = await write(t, 'guarded', 'INSERT', batch, {}, target);
  t.deepEqual(
    hidden.writeRecordResults!.map((result) => result.isSuccess),
    [false, false, false, false],
  );
  for (const message of messages(hidden)) {
    t.regex(message!, /^not written: the statement holding this record and 3 other\(s\) failed: .*PRIMARY/);
    t.regex(message!, /TRIGGER privilege/);
  }
  const logged = await rows<{ id: number }>('SELECT id FROM hidden_audit ORDER BY id');
  t.deepEqual(
    logged.map((row) => row.id),
    [1, 2],
    'nothing logged twice (the rows of the undone statement stay in MyISAM, once)',
  );
  t.deepEqual(
    (await rows<{ id: number }>('SELECT id FROM guarded ORDER BY id')).map((row) => row.id),
    [3],
  );
  // allOrNone works on it, and is not run again either.
  const whole = await write(t, 'guarded', 'INSERT', batch, { allOrNone: true }, target);
  t.is(whole.errorDetails?.errorCode, 'PartialWriteFailure', JSON.stringify(whole));
  t.deepEqual(
    (await rows<{ id: number }>('SELECT id FROM hidden_audit ORDER BY id')).map((row) => row.id),
    [1, 1, 2, 2],
    'the second batch logged 1 and 2 once more, not twice',
  );
  // A uniform batch that succeeds still goes in multi-row statements, each record logged once.
  const many = Array.from({ length: 40 }, (_, index) => JSON.stringify({ id: 100 + index, v: index }));
  const fast = await write(t, 'guarded', 'INSERT', many, {}, target);
  t.true(fast.isSuccess, JSON.stringify(fast.errorDetails));
  const [logged40] = await rows<{ n: unknown; statements: unknown }>(
    'SELECT COUNT(*) AS n, COUNT(DISTINCT at) AS statements FROM hidden_audit WHERE id >= 100',
  );
  t.is(String(logged40!.n), '40');
  t.true(Number(logged40!.statements) <= 2, `40 records in ${logged40!.statements} statements`);

  // Visible triggers (the TRIGGER privilege on the table), none reaching a table that cannot roll back: the failed
  // statement is run again record by record, so each record gets its own outcome.
  const visible = await write(t, 'visible_ok', 'INSERT', batch, {}, target);
  t.deepEqual(
    visible.writeRecordResults!.map((result) => result.isSuccess),
    [true, true, false, true],
  );
});

// MySQL 8 lists no trigger of a table to a user without the TRIGGER privilege for it; the connector then asks the
// privilege tables. The same query runs on MariaDB: each way of holding the privilege counts, no other does.
test('whether the user holds the TRIGGER privilege for a table is read from its own global, schema and table grants', async (t) => {
  await stage.database.query('CREATE TABLE priv_a (id INT PRIMARY KEY)');
  await stage.database.query('CREATE TABLE priv_b (id INT PRIMARY KEY)');
  const schema = `\`${stage.database.database}\``;
  const visibleTo = async (grants: readonly string[], table: string) => {
    const user = `tv_${randomBytes(4).toString('hex')}`;
    const password = randomBytes(12).toString('hex');
    await stage.server.adminQuery(`CREATE USER ?@'%' IDENTIFIED BY ?`, [user, password]);
    for (const grant of grants) await stage.server.adminQuery(`GRANT ${grant} TO ?@'%'`, [user]);
    const connection = await mysql.createConnection({
      host: stage.database.host,
      port: stage.database.port,
      user,
      password,
      database: stage.database.database,
    });
    try {
      const runner = {
        execute: async (sql: string, params?: readonly unknown[]) =>
          (await connection.execute(sql, params as never))[0] as never,
      };
      return await triggersVisible(runner, table, 5000);
    } finally {
      await connection.end();
    }
  };
  t.false(await visibleTo([`SELECT, INSERT ON ${schema}.*`], 'priv_a'));
  t.false(await visibleTo([`SELECT, INSERT ON ${schema}.*`, `TRIGGER ON ${schema}.priv_b`], 'priv_a'));
  t.true(await visibleTo([`SELECT, INSERT ON ${schema}.*`, `TRIGGER ON ${schema}.priv_a`], 'priv_a'));
  t.true(await visibleTo([`SELECT, INSERT, TRIGGER ON ${schema}.*`], 'priv_a'));
  t.true(await visibleTo(['TRIGGER ON *.*'], 'priv_a'));
  t.false(await visibleTo([`SELECT ON ${schema}.priv_a`, 'TRIGGER ON other_schema.*'], 'priv_a'));
});
