import test from 'ava';
import { buildFilter, splitTrailingLimit } from '../../runner/filter';

const since = new Date('2024-03-01T00:00:00Z');
const until = new Date('2024-04-01T12:30:00.250Z');

test('the filter, the incremental window and the limit combine the way AppFlow writes them', (t) => {
  t.deepEqual(buildFilter(null, null, 'DateTime', null), { expression: null, clientLimit: null, dslLimit: null });
  t.is(buildFilter("a = 'x'", null, 'DateTime', null).expression, "a = 'x'");
  t.is(
    buildFilter(null, { field: 'updated_at', since, until: null }, 'DateTime', null).expression,
    'updated_at > 2024-03-01T00:00:00Z',
  );
  t.is(
    buildFilter("a = 'x' OR b = 1", { field: 'updated_at', since, until }, 'DateTime', 100).expression,
    "(a = 'x' OR b = 1) AND updated_at BETWEEN 2024-03-01T00:00:00Z AND 2024-04-01T12:30:00.250Z LIMIT 100",
  );
  t.is(
    buildFilter(null, { field: 'born', since, until }, 'Date', null).expression,
    'born BETWEEN 2024-03-01 AND 2024-04-01',
  );
  t.deepEqual(buildFilter(null, null, 'DateTime', 10), { expression: 'LIMIT 10', clientLimit: null, dslLimit: 10 });
});

test('a limit under 10 cannot be written in the DSL and is left to the runner', (t) => {
  t.deepEqual(buildFilter("a = 'x'", null, 'DateTime', 9), { expression: "a = 'x'", clientLimit: 9, dslLimit: null });
});

test('a LIMIT written into --filter is moved behind the window, and cannot be given twice', (t) => {
  t.deepEqual(splitTrailingLimit("a = 'x' LIMIT 50"), { expression: "a = 'x'", limit: 50 });
  t.deepEqual(splitTrailingLimit("a = 'LIMIT 50'"), { expression: "a = 'LIMIT 50'", limit: null });
  t.is(
    buildFilter("a = 'x' limit 50", { field: 'u', since, until: null }, 'DateTime', null).expression,
    "(a = 'x') AND u > 2024-03-01T00:00:00Z LIMIT 50",
  );
  t.throws(() => buildFilter("a = 'x' LIMIT 50", null, 'DateTime', 20), { message: /give the limit once/ });
});
