/**
 * The planted-defect catalog of `npm run mutants` stays runnable: every plant's anchor is found exactly once in its
 * file, its replacement changes the code, and every test file it maps to exists. A refactor that moves an anchored
 * line (as the shared TLS options did) fails here, in `npm test`, instead of in the next slow mutants run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { PLANTS } from '../../mutants/catalog';

const root = join(__dirname, '..', '..');

test('every plant is anchored exactly once and maps to test files that exist', (t) => {
  t.true(PLANTS.length >= 30, `the catalog lists ${PLANTS.length} plants`);
  const names = new Set<string>();
  for (const plant of PLANTS) {
    t.false(names.has(plant.name), `plant name ${plant.name} is unique`);
    names.add(plant.name);
    const text = readFileSync(join(root, plant.file), 'utf8');
    t.is(text.split(plant.search).length - 1, 1, `${plant.name}: anchor found once in ${plant.file}`);
    t.not(plant.search, plant.replace, `${plant.name}: the replacement changes the code`);
    t.true(plant.tests.length > 0, `${plant.name}: maps to at least one test file`);
    for (const file of plant.tests) t.true(existsSync(join(root, file)), `${plant.name}: ${file} exists`);
  }
});
