/**
 * The short version of the fuzz run (`npm run fuzz` is the long one) for one engine: every property of
 * fuzz/properties/, a few hundred cases each, with fixed seeds so that the suite is deterministic. The properties
 * run one after another: they share one stage, and the write property watches the whole database.
 */
import test from 'ava';
import { closeFuzzContext, createFuzzContext, type FuzzContext, PROPERTIES } from '../../fuzz/properties';
import type { FuzzEngine, FuzzStage } from '../../fuzz/stage';
import { startFuzzStage } from '../../fuzz/starters';
import { capturedLogs, forbiddenForms } from '../support/lambda';

const SEED = 20_240_301;
const RUNS: Record<string, number> = {
  'random-events': 600,
  'mutated-events': 500,
  filters: 500,
  tokens: 400,
  writes: 300,
  // Each case is a whole table (DDL, rows, several requests): ~30-150 ms here.
  schemas: 60,
};

export function fuzzSuite(engine: FuzzEngine): void {
  let stage: FuzzStage | undefined;
  let context: FuzzContext | undefined;

  test.before(async () => {
    stage = await startFuzzStage(engine);
    context = await createFuzzContext(stage);
  });

  test.after('nothing the fuzzing did logged the database password (raw or JSON-escaped)', (t) => {
    const logs = capturedLogs();
    for (const form of forbiddenForms(stage!.password)) t.false(logs.includes(form));
  });

  test.after.always(async () => {
    if (context) await closeFuzzContext(context);
    await stage?.teardown();
  });

  for (const [index, property] of PROPERTIES.entries()) {
    test.serial(`fuzz ${engine} ${property.name}: ${property.title}`, async (t) => {
      const numRuns = RUNS[property.name] ?? 200;
      const result = await property.run(context!, { numRuns, seed: SEED + index });
      t.log(`${result.cases} cases in ${(result.ms / 1000).toFixed(1)} s: ${result.summary}`);
      t.true(result.cases >= numRuns);
    });
  }
}
