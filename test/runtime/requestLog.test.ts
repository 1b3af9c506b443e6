/**
 * The "request finished" line each invocation logs says where its time went (handler/phases.ts): the secret, the
 * connection, the table's metadata and the statements, so a slow call in CloudWatch explains itself, and a cold
 * start shows apart from a warm one. Serial: each test reads the log lines its own calls added.
 */
import test from 'ava';
import { type ConnectorStage, startConnectorStage } from '../support/environment';
import { describeConnectorConfigurationEvent, queryDataEvent, writeDataEvent } from '../support/events';
import { invoke, logLinesDuring } from '../support/lambda';

let stage: ConnectorStage;
test.before(async () => {
  stage = await startConnectorStage({ seed: false });
  await stage.database.query('CREATE TABLE timed (id INT PRIMARY KEY, label VARCHAR(20) NOT NULL)');
  await stage.database.query("INSERT INTO timed VALUES (1, 'one'), (2, 'two'), (3, 'three')");
});
test.after.always(async () => {
  await stage?.teardown();
});

type FinishedLine = Record<string, unknown> & { durationMs: number };

/** The "request finished" line of the one call `call` makes. */
async function finishedLineOf(call: () => Promise<unknown>): Promise<FinishedLine> {
  const { lines } = await logLinesDuring('request finished', call);
  if (lines.length !== 1) throw new Error(`expected one "request finished" line, got ${lines.length}`);
  return lines[0] as FinishedLine;
}

const PHASE_FIELDS = ['secretMs', 'connectMs', 'catalogMs', 'readMs', 'writeMs'];

function phasesOf(line: FinishedLine): Record<string, number> {
  return Object.fromEntries(
    PHASE_FIELDS.filter((field) => field in line).map((field) => [field, line[field] as number]),
  );
}

test.serial('a QueryData line splits its time into secret, connect, catalog and read', async (t) => {
  const cold = await finishedLineOf(() => invoke(stage.bundle, queryDataEvent(stage.target, 'timed')));
  const coldPhases = phasesOf(cold);
  t.deepEqual(Object.keys(coldPhases).sort(), ['catalogMs', 'connectMs', 'readMs', 'secretMs']);
  for (const ms of Object.values(coldPhases)) t.true(Number.isFinite(ms) && ms >= 0);
  // The phases are parts of the call: together no longer than it (durationMs counts whole milliseconds).
  const total = Object.values(coldPhases).reduce((sum, ms) => sum + ms, 0);
  t.true(total <= cold.durationMs + 1.5, `phases ${JSON.stringify(coldPhases)} within ${cold.durationMs} ms`);

  // The first call loaded the driver and opened a TLS connection; the next reuses the pool and the cached metadata.
  const warm = phasesOf(await finishedLineOf(() => invoke(stage.bundle, queryDataEvent(stage.target, 'timed'))));
  t.true(warm.connectMs! < coldPhases.connectMs!, `warm ${warm.connectMs} ms < cold ${coldPhases.connectMs} ms`);
  t.true(warm.secretMs! < coldPhases.secretMs!, `warm ${warm.secretMs} ms < cold ${coldPhases.secretMs} ms`);
});

test.serial('a WriteData line has a write phase and no read phase', async (t) => {
  const line = await finishedLineOf(() =>
    invoke(stage.bundle, writeDataEvent(stage.target, 'timed', 'INSERT', [{ id: 4, label: 'four' }])),
  );
  t.is(line.isSuccess, true);
  t.deepEqual(Object.keys(phasesOf(line)).sort(), ['catalogMs', 'connectMs', 'secretMs', 'writeMs']);
});

test.serial('a call that never reaches the database has no phase fields', async (t) => {
  const line = await finishedLineOf(() => invoke(stage.bundle, describeConnectorConfigurationEvent()));
  t.deepEqual(phasesOf(line), {});
  t.is(typeof line.durationMs, 'number');
});
