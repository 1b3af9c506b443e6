/**
 * Two connector instances writing overlapping keys in opposite orders, through the built bundle against MariaDB:
 * the server breaks the deadlock by rolling one statement back, the connector runs it again, and every record ends
 * written (a re-run converges); when no retry fits in the time budget, the rolled-back records are "not written"
 * and the answer is retryable and says "deadlock".
 */
import { createRequire } from 'node:module';
import test from 'ava';
import { type ConnectorStage, startConnectorStage } from '../support/environment';
import { writeDataEvent } from '../support/events';
import { BUNDLE_PATH, type ConnectorBundle, invoke } from '../support/lambda';

let stage: ConnectorStage;
/** A second warm instance: the bundle loaded again, with pools of its own. */
let other: ConnectorBundle;
test.before(async () => {
  stage = await startConnectorStage({ seed: false });
  const load = createRequire(__filename);
  const cached = load.cache[BUNDLE_PATH];
  delete load.cache[BUNDLE_PATH];
  other = load(BUNDLE_PATH) as ConnectorBundle;
  if (cached) load.cache[BUNDLE_PATH] = cached;
  if (other === stage.bundle) throw new Error('the second instance is the first one');
});
test.after.always(async () => {
  await other?.shutdown();
  await stage?.teardown();
});

interface WriteAnswer {
  isSuccess: boolean;
  errorDetails: { errorCode: string; errorMessage: string; retryAfterSeconds: number | null } | null;
  writeRecordResults: { isSuccess: boolean; errorMessage: string | null }[] | null;
}

function upsert(bundle: ConnectorBundle, ids: readonly number[], value: string, remainingMs?: number) {
  const records = ids.map((id) => JSON.stringify({ id, v: value }));
  const event = { ...writeDataEvent(stage.target, 'contended', 'UPSERT', [], { idFieldNames: ['id'] }), records };
  return invoke<WriteAnswer>(bundle, event, remainingMs);
}

async function deadlocks(): Promise<number> {
  const [row] = (await stage.server.adminQuery("SHOW GLOBAL STATUS LIKE 'Innodb_deadlocks'")) as { Value: string }[];
  return Number(row!.Value);
}

test.serial.before(async () => {
  await stage.database.query('CREATE TABLE contended (id INT NOT NULL PRIMARY KEY, v VARCHAR(10) NOT NULL)');
  await stage.database.query("INSERT INTO contended VALUES (1, 'start'), (2, 'start'), (3, 'start')");
  // Each row update takes a moment once its row lock is held, so the two writers surely cross.
  await stage.database.query(
    'CREATE TRIGGER contended_slow BEFORE UPDATE ON contended FOR EACH ROW BEGIN IF NEW.id < 3 THEN DO SLEEP(0.8); END IF; END',
  );
  // Both instances warm (secret, pool, table metadata), so that their writes start together.
  for (const bundle of [stage.bundle, other]) t_ok(await upsert(bundle, [3], 'warm'));
});

function t_ok(answer: WriteAnswer): void {
  if (!answer.isSuccess) throw new Error(`warm-up failed: ${JSON.stringify(answer)}`);
}

test.serial('two writers upserting the same keys in opposite orders both end written', async (t) => {
  const before = await deadlocks();
  const [forward, backward] = await Promise.all([upsert(stage.bundle, [1, 2], 'A'), upsert(other, [2, 1], 'B')]);
  t.true(forward.isSuccess, JSON.stringify(forward));
  t.true(backward.isSuccess, JSON.stringify(backward));
  t.true((await deadlocks()) > before, 'the server did detect a deadlock (the test provoked what it tests)');
  const stored = (await stage.database.query('SELECT v FROM contended WHERE id < 3 ORDER BY id')) as { v: string }[];
  // The writer the server rolled back ran again after the other one: both rows carry its value.
  t.true(stored[0]!.v === stored[1]!.v && ['A', 'B'].includes(stored[0]!.v), JSON.stringify(stored));
});

test.serial(
  'a deadlock on every attempt: retried a bounded number of times, then "not written" and retryable',
  async (t) => {
    await stage.database.query('CREATE TABLE always_deadlocked (id INT NOT NULL PRIMARY KEY, v VARCHAR(10) NOT NULL)');
    await stage.database.query("INSERT INTO always_deadlocked VALUES (1, 'kept')");
    // What the server answers the victim of a deadlock (error 1213, SQLSTATE 40001), on every attempt.
    await stage.database.query(`CREATE TRIGGER always_deadlocked_now BEFORE INSERT ON always_deadlocked FOR EACH ROW
    SIGNAL SQLSTATE '40001' SET MESSAGE_TEXT = 'Deadlock found', MYSQL_ERRNO = 1213`);
    const started = Date.now();
    const records = ['{"id":2,"v":"a"}', '{"id":3,"v":"b"}', '{"id":4,"v":"c"}'];
    for (const allOrNone of [false, true]) {
      const event = { ...writeDataEvent(stage.target, 'always_deadlocked', 'INSERT', [], { allOrNone }), records };
      const answer = await invoke<WriteAnswer>(stage.bundle, event);
      t.is(answer.errorDetails?.errorCode, 'ServiceUnavailable', JSON.stringify(answer));
      t.is(answer.errorDetails?.retryAfterSeconds, 30);
      t.regex(answer.errorDetails!.errorMessage, /deadlock/);
      for (const result of answer.writeRecordResults!) {
        t.false(result.isSuccess);
        t.regex(result.errorMessage!, /^not written: deadlock/);
      }
    }
    t.true(Date.now() - started < 20_000, 'the retries are bounded');
    const stored = (await stage.database.query('SELECT id FROM always_deadlocked')) as { id: number }[];
    t.deepEqual(
      stored.map((row) => row.id),
      [1],
    );
  },
);
