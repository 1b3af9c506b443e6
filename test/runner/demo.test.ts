/**
 * `npm start` with no database, on each engine (`--engine <name>`, or no flag for the default engine): the runner
 * starts its own throwaway server, seeds the demo schema in the engine's types, reads the orders changed since
 * 2024-04-01 and writes them into orders_copy with UPSERT, then prints the summary — the same flow, on the same rows,
 * on every engine.
 */
import test from 'ava';
import { DATABASE_ENGINES, DEFAULT_ENGINE, ENGINES } from '../../handler/engines/registry';
import { demoRows } from '../../runner/demo/schema';
import { runRunner } from './support/cli';

for (const engine of DATABASE_ENGINES) {
  const product = ENGINES[engine].local.product;
  const engineArgs = engine === DEFAULT_ENGINE ? [] : ['--engine', ENGINES[engine].name];

  test(`${product}: without a database the demo flow runs end to end on a throwaway server and prints the summary`, async (t) => {
    const result = await runRunner(engineArgs);
    t.is(result.code, 0, result.stderr);
    t.regex(result.stderr, new RegExp(`starting a throwaway ${product} for the demo`));
    t.regex(result.stderr, /filterExpression: updated_at > 2024-04-01T00:00:00Z/);
    t.regex(result.stderr, /first 3 of them:\n {4}\{"id":9007199254740\d+/);
    t.regex(result.stdout, new RegExp(`demo ${product} 127\\.0\\.0\\.1:\\d+/appflow_demo_\\w+ \\(tlsMode REQUIRED\\)`));
    for (const operation of [
      'DescribeConnectorConfiguration',
      'ValidateConnectorRuntimeSettings',
      'ValidateCredentials',
      'ListEntities',
      'DescribeEntity',
      'QueryData',
      'WriteData',
    ]) {
      t.regex(result.stdout, new RegExp(`\\n  ${operation}\\s+\\d+\\s+[\\d.]+\\s+[\\d.]+\\s+[\\d.]+ K?B\\s+[\\d.]+%`));
    }
    const read = /rows read\s+(\d+) from orders/.exec(result.stdout);
    const written = /rows written\s+(\d+) into orders_copy with UPSERT in 1 batch, 0 failed/.exec(result.stdout);
    t.truthy(read);
    t.is(written?.[1], read?.[1]);
    // The same rows on every engine: every order updated after the window's start, once.
    const expected = demoRows().orders.filter((order) => String(order[8]) > '2024-04-01 00:00:00.000').length;
    t.true(expected > 0);
    t.regex(result.stdout, new RegExp(`rows read\\s+${expected} from orders`));
    t.regex(result.stdout, new RegExp(`rows written\\s+${expected} into orders_copy with UPSERT in 1 batch, 0 failed`));
    t.regex(result.stdout, /contract\s+every response honoured the protocol/);
    t.regex(result.stdout, /result\s+ok/);
  });

  test(`${product}: the demo with --tls-mode DISABLED logs in as a user the server lets in without TLS`, async (t) => {
    const result = await runRunner([...engineArgs, '--tls-mode', 'disabled', '--entity', 'customers']);
    t.is(result.code, 0, result.stderr);
    t.regex(result.stdout, new RegExp(`demo ${product} .*\\(tlsMode DISABLED\\)`));
    t.regex(result.stdout, /rows read\s+40 from customers/);
    t.regex(result.stdout, /result\s+ok/);
  });
}
