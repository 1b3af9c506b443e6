/**
 * `npm start -- --engine postgresql` with no database: the runner starts its own throwaway PostgreSQL, seeds the
 * demo schema in PostgreSQL types, reads the orders changed since 2024-04-01 and writes them into orders_copy with
 * UPSERT, then prints the summary — the same flow, on the same rows, as the MariaDB demo.
 */
import test from 'ava';
import { demoRows } from '../../runner/demo/schema';
import { runRunner } from './support/cli';

test('--engine postgresql without a database runs the demo end to end on a throwaway PostgreSQL', async (t) => {
  const result = await runRunner(['--engine', 'postgresql']);
  t.is(result.code, 0, result.stderr);
  t.regex(result.stderr, /starting a throwaway PostgreSQL for the demo/);
  t.regex(result.stderr, /filterExpression: updated_at > 2024-04-01T00:00:00Z/);
  t.regex(result.stderr, /first 3 of them:\n {4}\{"id":9007199254740\d+/);
  t.regex(result.stdout, /demo PostgreSQL 127\.0\.0\.1:\d+\/appflow_demo_\w+ \(tlsMode REQUIRED\)/);
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
  // The same rows as the MariaDB demo: every order updated after the window's start, once.
  const expected = demoRows().orders.filter((order) => String(order[8]) > '2024-04-01 00:00:00.000').length;
  t.true(expected > 0);
  t.regex(result.stdout, new RegExp(`rows read\\s+${expected} from orders`));
  t.regex(result.stdout, new RegExp(`rows written\\s+${expected} into orders_copy with UPSERT in 1 batch, 0 failed`));
  t.regex(result.stdout, /contract\s+every response honoured the protocol/);
  t.regex(result.stdout, /result\s+ok/);
});

test('the PostgreSQL demo with --tls-mode DISABLED logs in as a user the server lets in without TLS', async (t) => {
  const result = await runRunner(['--engine', 'postgresql', '--tls-mode', 'disabled', '--entity', 'customers']);
  t.is(result.code, 0, result.stderr);
  t.regex(result.stdout, /\(tlsMode DISABLED\)/);
  t.regex(result.stdout, /rows read\s+40 from customers/);
  t.regex(result.stdout, /result\s+ok/);
});
