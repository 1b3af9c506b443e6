/**
 * The short version of the fuzz run (`npm run fuzz` is the long one): every property of fuzz/properties.ts, a few
 * hundred cases each, with fixed seeds so that the suite is deterministic. The properties run one after another:
 * they share one stage, and the write property watches the whole database.
 */
import test from 'ava';
import { isolateServerTmpdir } from '../../fuzz/database';
import {
  closeFuzzContext,
  createFuzzContext,
  type FuzzContext,
  forbiddenForms,
  PROPERTIES,
} from '../../fuzz/properties';
import { type ConnectorStage, startConnectorStage } from '../support/environment';
import { capturedLogs } from '../support/lambda';

const SEED = 20_240_301;
const RUNS: Record<string, number> = {
  'random-events': 600,
  'mutated-events': 500,
  filters: 500,
  tokens: 400,
  writes: 300,
};

let stage: ConnectorStage;
let context: FuzzContext;
let restoreTmpdir: (() => void) | undefined;

test.before(async () => {
  restoreTmpdir = isolateServerTmpdir();
  stage = await startConnectorStage();
  context = await createFuzzContext(stage);
});

test.after('nothing the fuzzing did logged the database password (raw or JSON-escaped)', (t) => {
  const logs = capturedLogs();
  for (const form of forbiddenForms(stage.database.password)) t.false(logs.includes(form));
});

test.after.always(async () => {
  if (context) await closeFuzzContext(context);
  await stage?.teardown();
  restoreTmpdir?.();
});

for (const [index, property] of PROPERTIES.entries()) {
  test.serial(`fuzz ${property.name}: ${property.title}`, async (t) => {
    const numRuns = RUNS[property.name] ?? 200;
    const result = await property.run(context, { numRuns, seed: SEED + index });
    t.log(`${result.cases} cases in ${(result.ms / 1000).toFixed(1)} s: ${result.summary}`);
    t.true(result.cases >= numRuns);
  });
}
