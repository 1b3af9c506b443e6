/**
 * `npm start` with no arguments: the runner starts its own throwaway MariaDB, seeds the demo schema, reads the
 * orders changed since 2024-04-01 and writes them into orders_copy with UPSERT, then prints the summary.
 */
import test from 'ava';
import { runRunner } from './support/cli';

test('with no arguments the demo flow runs end to end and prints the summary', async (t) => {
  const result = await runRunner([]);
  t.is(result.code, 0, result.stderr);
  t.regex(result.stderr, /starting a throwaway MariaDB for the demo/);
  t.regex(result.stderr, /filterExpression: updated_at > 2024-04-01T00:00:00Z/);
  t.regex(result.stderr, /first 3 of them:\n {4}\{"id":9007199254740\d+/);
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
  t.regex(result.stdout, /contract\s+every response honoured the protocol/);
  t.regex(result.stdout, /result\s+ok/);
});

test('the demo with --tls-mode DISABLED logs in as a user the server lets in without TLS', async (t) => {
  const result = await runRunner(['--tls-mode', 'disabled', '--entity', 'customers']);
  t.is(result.code, 0, result.stderr);
  t.regex(result.stdout, /demo MariaDB .*\(tlsMode DISABLED\)/);
  t.regex(result.stdout, /rows read\s+40 from customers/);
  t.regex(result.stdout, /result\s+ok/);
});
