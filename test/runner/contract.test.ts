import test from 'ava';
import { ContractReport, checkResponse } from '../../runner/contract';
import type { Invocation } from '../../runner/transport/types';

function invocation(payload: unknown, extra: Partial<Invocation> = {}): Invocation {
  const body = JSON.stringify(payload) ?? 'null';
  return {
    payload,
    unparsedBody: null,
    bytes: Buffer.byteLength(body),
    requestBytes: 100,
    ms: 5,
    functionError: null,
    ...extra,
  };
}

test('a good response decodes without violations', (t) => {
  const checked = checkResponse(
    'QueryDataRequest',
    invocation({ isSuccess: true, errorDetails: null, records: ['{"a":1}'], nextToken: null }),
  );
  t.deepEqual(checked.violations, []);
  t.truthy(checked.value);
});

test('each broken property becomes one violation naming the operation, the property and the expectation', (t) => {
  const checked = checkResponse(
    'DescribeEntityRequest',
    invocation({
      errorDetails: null,
      entityDefinition: {
        entity: { entityIdentifier: 'x', hasNestedEntities: 'no' },
        fields: [{ fieldName: 'a', dataType: 'Text' }],
      },
      cacheControl: null,
    }),
  );
  t.is(checked.value, null);
  t.deepEqual(checked.violations, [
    { operation: 'DescribeEntity', property: 'isSuccess', expected: 'boolean', got: 'nothing' },
    {
      operation: 'DescribeEntity',
      property: 'entityDefinition.entity.hasNestedEntities',
      expected: 'boolean',
      got: 'a string ("no")',
    },
    {
      operation: 'DescribeEntity',
      property: 'entityDefinition.fields[0].dataType',
      expected:
        'FieldDataType (one of String, Integer, Float, Double, Long, Short, BigInteger, BigDecimal, … 15 values)',
      got: 'a string ("Text")',
    },
  ]);
});

test('rules beyond the codec: errorDetails on failure, the 6 MB limit, the time limits, JSON at all', (t) => {
  const failure = checkResponse(
    'ValidateCredentialsRequest',
    invocation({ isSuccess: false, errorDetails: null }, { ms: 12_000 }),
  );
  t.deepEqual(
    failure.violations.map((violation) => violation.property),
    ['(latency)', 'errorDetails'],
  );
  const large = checkResponse(
    'QueryDataRequest',
    invocation({ isSuccess: true, errorDetails: null, records: [], nextToken: null }, { bytes: 7_000_000 }),
  );
  t.regex(large.violations[0]!.expected, /at most 6291456 bytes/);
  const text = checkResponse('QueryDataRequest', invocation(undefined, { unparsedBody: 'Internal error' }));
  t.deepEqual(text.violations, [
    { operation: 'QueryData', property: '(response)', expected: 'a JSON document', got: 'text ("Internal error")' },
  ]);
});

test('the report keeps three violations of a kind and counts the rest', (t) => {
  const report = new ContractReport();
  for (let index = 0; index < 10; index++) {
    report.add({ operation: 'QueryData', property: `records[${index}]`, expected: 'string', got: 'an object' });
  }
  t.is(report.total, 10);
  t.is(report.violations.length, 3);
  t.deepEqual(report.omitted(), [['QueryData records[]: expected string', 7]]);
});
