import test from 'ava';
import { isRight } from 'fp-ts/Either';
import { QueryDataResponse, RetrieveDataResponse } from '../../handler/protocol/codecs';
import { queryDataEvent, retrieveDataEvent } from '../support/events';
import { invoke } from '../support/lambda';
import { mariaDbStageFor } from '../support/writes';

const stage = mariaDbStageFor(test);

// The exact text of the first fixture row's record: numbers keep every digit, JSON stays JSON.
const FIRST_RECORD =
  '{"id":1,"flag":true,"bit_flag":true,"bits":"Cqo=","tiny":-128,"tiny_u":255,"small":-32768,"small_u":65535,' +
  '"medium":-8388608,"medium_u":16777215,"regular":-2147483648,"regular_u":4294967295,' +
  '"big":-9223372036854775808,"big_u":18446744073709551615,"price":12345678901234.123456,' +
  '"huge_decimal":12345678901234567890123456789012345.123456789012345678901234567891,"ratio":1.1,"measure":0.1,' +
  '"name":"Émilie \\"the\\" \\\\ O\'Brien","code":"abc","notes":"line1\\nline2",' +
  '"doc":{"a": [1, 2.50, {"b": null}], "big": 12345678901234567890},"raw":"AP8Q","fixed_raw":"3q2+7w==",' +
  '"blob_data":"AQI=","status":"active","tags":"a,c","born":"2024-02-29","alarm":"-12:30:00","made_in":2024,' +
  '"seen_at":"2024-03-01T10:15:30.123Z","updated_at":"2024-03-02T08:00:00.250000Z","location":"POINT(1 2)",' +
  '"name_length":22}';

test('QueryData renders every column type with exact, typed JSON values', async (t) => {
  const response = await invoke(stage.bundle, queryDataEvent(stage.target, 'all_types'));
  t.true(isRight(QueryDataResponse.decode(response)));
  t.like(response, { isSuccess: true, errorDetails: null, nextToken: null });
  const records = response.records as string[];
  t.is(records.length, 2);
  t.is(records[0], FIRST_RECORD);
  // Every record is a JSON object a Java ISO_DATE_TIME parser accepts.
  const parsed = JSON.parse(records[0]!);
  t.is(typeof parsed.flag, 'boolean');
  t.is(typeof parsed.doc, 'object');
  t.regex(parsed.seen_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  const nulls = JSON.parse(records[1]!);
  t.is(nulls.flag, null);
  t.is(nulls.doc, null);
  t.is(nulls.updated_at, '2024-01-01T00:00:00.000000Z');
});

test('QueryData projects selectedFieldNames in the order given and rejects unknown fields', async (t) => {
  const response = await invoke(
    stage.bundle,
    queryDataEvent(stage.target, 'all_types', { selectedFieldNames: ['big_u', 'id'] }),
  );
  t.deepEqual(response.records, ['{"big_u":18446744073709551615,"id":1}', '{"big_u":null,"id":2}']);

  for (const field of ['nope', 'id, (SELECT 1)', 'id`', '`id`']) {
    const bad = await invoke(
      stage.bundle,
      queryDataEvent(stage.target, 'all_types', { selectedFieldNames: ['id', field] }),
    );
    t.like(bad, { isSuccess: false, records: null, errorDetails: { errorCode: 'InvalidArgument' } }, field);
  }
});

test('QueryData honours the entity definition AppFlow sends back: fields it does not list cannot be read', async (t) => {
  const entityDefinition = {
    entity: { entityIdentifier: 'customers', hasNestedEntities: false, isWritable: true },
    fields: [{ fieldName: 'email', dataType: 'String' }],
  };
  const event = queryDataEvent(stage.target, 'customers');
  const response = await invoke(stage.bundle, {
    ...event,
    connectorContext: { ...event.connectorContext, entityDefinition },
  });
  t.deepEqual(response.records, ['{"email":"ada@example.com"}', '{"email":"grace@example.com"}']);
  const sneaky = await invoke(stage.bundle, {
    ...event,
    selectedFieldNames: ['full_name'],
    connectorContext: { ...event.connectorContext, entityDefinition },
  });
  t.like(sneaky, { isSuccess: false, errorDetails: { errorCode: 'InvalidArgument' } });
});

test('QueryData on an unknown entity or another database answers ResourceNotFoundError', async (t) => {
  for (const entity of ['missing', 'secret_table', `${stage.otherDatabase.database}.secret_table`, '../secret_table']) {
    const response = await invoke(stage.bundle, queryDataEvent(stage.target, entity));
    t.like(response, { isSuccess: false, errorDetails: { errorCode: 'ResourceNotFoundError' } }, entity);
    t.false(JSON.stringify(response).includes('do not read'));
  }
});

test('QueryData reads views and keyless tables', async (t) => {
  const view = await invoke(stage.bundle, queryDataEvent(stage.target, 'active_items'));
  t.deepEqual(view.records, ['{"id":1,"name":"Émilie \\"the\\" \\\\ O\'Brien","status":"active"}']);
  const keyless = await invoke(stage.bundle, queryDataEvent(stage.target, 'event_log'));
  t.deepEqual(keyless.records, [
    '{"happened_at":"2024-01-01T00:00:00Z","message":"first"}',
    '{"happened_at":"2024-01-01T00:00:00Z","message":"first"}',
    '{"happened_at":"2024-01-02T00:00:00Z","message":"second"}',
  ]);
});

test('zero dates read as null', async (t) => {
  const connection = await stage.database.connect();
  await connection.query("SET SESSION sql_mode = ''");
  await connection.query('CREATE TABLE lax_dates (id INT PRIMARY KEY, d DATE, dt DATETIME)');
  await connection.query(
    "INSERT INTO lax_dates VALUES (1, '0000-00-00', '0000-00-00 00:00:00'), (2, '2024-05-00', '2024-01-01 01:02:03')",
  );
  await connection.end();
  const response = await invoke(stage.bundle, queryDataEvent(stage.target, 'lax_dates'));
  t.deepEqual(response.records, ['{"id":1,"d":null,"dt":null}', '{"id":2,"d":null,"dt":"2024-01-01T01:02:03Z"}']);
});

test('RetrieveData fetches by id with the same rendering, converting string ids by type', async (t) => {
  const response = await invoke(stage.bundle, retrieveDataEvent(stage.target, 'all_types', 'id', ['2', '1', '99']));
  t.true(isRight(RetrieveDataResponse.decode(response)));
  t.is((response.records as string[])[0], FIRST_RECORD);
  t.is((response.records as string[]).length, 2);

  const byEmail = await invoke(stage.bundle, {
    ...retrieveDataEvent(stage.target, 'customers', 'email', ['grace@example.com', "x' OR '1'='1"]),
    selectedFieldNames: ['full_name'],
  });
  t.deepEqual(byEmail.records, ['{"full_name":"Grace"}']);

  const big = await invoke(
    stage.bundle,
    retrieveDataEvent(stage.target, 'all_types', 'big_u', ['18446744073709551615']),
  );
  t.is((big.records as string[]).length, 1, 'BIGINT UNSIGNED ids compare exactly');
  const notQuite = await invoke(
    stage.bundle,
    retrieveDataEvent(stage.target, 'all_types', 'big_u', ['18446744073709551614']),
  );
  t.deepEqual(notQuite.records, [], 'one less must not match (a double comparison would)');

  const badId = await invoke(stage.bundle, retrieveDataEvent(stage.target, 'all_types', 'id', ['1 OR 1=1']));
  t.like(badId, { isSuccess: false, records: null, errorDetails: { errorCode: 'InvalidArgument' } });
  const badField = await invoke(stage.bundle, retrieveDataEvent(stage.target, 'all_types', 'nope', ['1']));
  t.like(badField, { isSuccess: false, errorDetails: { errorCode: 'InvalidArgument' } });
});
