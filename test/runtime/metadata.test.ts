import { type AddressInfo, createServer, type Socket } from 'node:net';
import test from 'ava';
import { isRight } from 'fp-ts/Either';
import { DescribeEntityResponse, ListEntitiesResponse } from '../../handler/protocol/codecs';
import { type ConnectorStage, startConnectorStage } from '../support/environment';
import { describeEntityEvent, listEntitiesEvent, secretArnFor, validateCredentialsEvent } from '../support/events';
import { capturedLogs, containsSecret, invoke } from '../support/lambda';

let stage: ConnectorStage;
test.before(async () => {
  stage = await startConnectorStage();
});
test.after.always(async () => {
  await stage?.teardown();
});

interface Field {
  fieldName: string;
  dataType: string;
  dataTypeLabel: string;
  isPrimaryKey: boolean;
  defaultValue: string | null;
  constraints: { allowedValues: string[] | null; allowedLengthRange: { maxRange: number } | null } | null;
  readProperties: { isNullable: boolean; isTimestampFieldForIncrementalQueries: boolean; isQueryable: boolean };
  writeProperties: {
    isCreatable: boolean;
    isUpdatable: boolean;
    isDefaultedOnCreate: boolean;
    supportedWriteOperations: string[];
  };
  filterOperators: string[];
}

test('ValidateCredentials connects over TLS with the secret and answers success', async (t) => {
  const response = await invoke(stage.bundle, validateCredentialsEvent(stage.target));
  t.deepEqual(response, { isSuccess: true, errorDetails: null });
});

test('ValidateCredentials: wrong password → InvalidCredentials; missing secret → ResourceNotFoundError; unreadable → AccessDenied', async (t) => {
  const wrongArn = secretArnFor('wrong-password');
  stage.secrets.putSecret(wrongArn, { username: stage.database.user, password: 'not-the-password' });
  const wrong = await invoke(stage.bundle, validateCredentialsEvent({ ...stage.target, secretArn: wrongArn }));
  t.like(wrong, { isSuccess: false, errorDetails: { errorCode: 'InvalidCredentials' } }, JSON.stringify(wrong));
  t.notRegex(JSON.stringify(wrong), /not-the-password/);

  const missing = await invoke(
    stage.bundle,
    validateCredentialsEvent({ ...stage.target, secretArn: secretArnFor('nobody') }),
  );
  t.like(missing, { isSuccess: false, errorDetails: { errorCode: 'ResourceNotFoundError' } });

  const deniedArn = secretArnFor('denied');
  stage.secrets.failSecret(
    deniedArn,
    'AccessDeniedException',
    'User is not authorized to perform secretsmanager:GetSecretValue',
  );
  const denied = await invoke(stage.bundle, validateCredentialsEvent({ ...stage.target, secretArn: deniedArn }));
  t.like(denied, { isSuccess: false, errorDetails: { errorCode: 'AccessDenied' } });

  const garbledArn = secretArnFor('garbled');
  stage.secrets.putSecret(garbledArn, 'password=hunter2');
  const garbled = await invoke(stage.bundle, validateCredentialsEvent({ ...stage.target, secretArn: garbledArn }));
  t.like(garbled, { isSuccess: false, errorDetails: { errorCode: 'InvalidCredentials' } });
  t.notRegex(JSON.stringify(garbled), /hunter2/);
});

test('ValidateCredentials answers within 10 s with ServiceUnavailable when nothing listens or the host does not answer', async (t) => {
  const closed = await invoke(stage.bundle, validateCredentialsEvent({ ...stage.target, port: 1 }));
  t.like(closed, { isSuccess: false, errorDetails: { errorCode: 'ServiceUnavailable' } });
  t.true(((closed.errorDetails as { retryAfterSeconds: number }).retryAfterSeconds ?? 0) > 0);

  // A host that accepts the TCP connection and then says nothing (a hung server, a black-holing proxy), on
  // loopback: the connector must give up on its own, well inside AppFlow's 10 s.
  const sockets: Socket[] = [];
  const silentServer = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silentServer.listen(0, '127.0.0.1', resolve));
  const silentPort = (silentServer.address() as AddressInfo).port;
  try {
    const started = Date.now();
    const silent = await invoke(stage.bundle, validateCredentialsEvent({ ...stage.target, port: silentPort }));
    t.true(Date.now() - started < 10_000, `answered after ${Date.now() - started} ms`);
    t.like(silent, { isSuccess: false, errorDetails: { errorCode: 'ServiceUnavailable' } });
  } finally {
    for (const socket of sockets) socket.destroy();
    silentServer.close();
  }
});

test('tlsMode VERIFY_IDENTITY refuses the test server certificate (not signed by a trusted CA); DISABLED is refused by a REQUIRE SSL user', async (t) => {
  const verify = await invoke(stage.bundle, validateCredentialsEvent({ ...stage.target, tlsMode: 'VERIFY_IDENTITY' }));
  t.like(verify, { isSuccess: false, errorDetails: { errorCode: 'ClientError' } });
  t.regex((verify.errorDetails as { errorMessage: string }).errorMessage, /certificate/);
  const plain = await invoke(stage.bundle, validateCredentialsEvent({ ...stage.target, tlsMode: 'DISABLED' }));
  t.like(plain, { isSuccess: false, errorDetails: { errorCode: 'InvalidCredentials' } });
});

test('ListEntities lists tables and views of the configured database only, with comments and writability', async (t) => {
  const response = await invoke(stage.bundle, listEntitiesEvent(stage.target));
  t.true(isRight(ListEntitiesResponse.decode(response)));
  const entities = response.entities as {
    entityIdentifier: string;
    isWritable: boolean;
    description: string;
    hasNestedEntities: boolean;
  }[];
  t.deepEqual(
    entities.map((entity) => entity.entityIdentifier),
    ['active_items', 'all_types', 'customers', 'event_log', 'line_totals', 'order_lines'],
  );
  const byName = new Map(entities.map((entity) => [entity.entityIdentifier, entity]));
  t.is(byName.get('all_types')!.description, 'every column type');
  t.is(byName.get('active_items')!.isWritable, true, 'a simple view is updatable');
  t.is(byName.get('line_totals')!.isWritable, false, 'an aggregate view cannot be written');
  t.false(entities.some((entity) => entity.hasNestedEntities));
  t.false(JSON.stringify(response).includes('secret_table'));
  t.like(response.cacheControl, { timeToLiveUnit: 'SECONDS' });
  t.is(response.nextToken, null);
});

test('ListEntities pages by maxResult and nextToken without repeating or skipping', async (t) => {
  const names: string[] = [];
  let nextToken: string | null = null;
  let pages = 0;
  do {
    const response = await invoke(stage.bundle, listEntitiesEvent(stage.target, { maxResult: 4, nextToken }));
    names.push(...(response.entities as { entityIdentifier: string }[]).map((entity) => entity.entityIdentifier));
    nextToken = response.nextToken as string | null;
    pages++;
  } while (nextToken && pages < 10);
  t.is(pages, 2);
  t.deepEqual(names, ['active_items', 'all_types', 'customers', 'event_log', 'line_totals', 'order_lines']);

  const forged = await invoke(stage.bundle, listEntitiesEvent(stage.target, { nextToken: "' OR 1=1 --" }));
  t.like(forged, { isSuccess: false, errorDetails: { errorCode: 'InvalidArgument' } });
  // A well-formed token for a name no table can have (found by the fuzzer: it used to reach information_schema).
  const impossible = Buffer.from('e1:\u{1F600}').toString('base64url');
  const emoji = await invoke(stage.bundle, listEntitiesEvent(stage.target, { nextToken: impossible }));
  t.like(emoji, { isSuccess: false, errorDetails: { errorCode: 'InvalidArgument' } });
});

test('ListEntities pages names that differ only in case without skipping any', async (t) => {
  const other = await stage.server.createDatabase({ prefix: 'cased' });
  await other.query('CREATE TABLE `Tbl` (id INT PRIMARY KEY)');
  await other.query('CREATE TABLE `tbl` (id INT PRIMARY KEY)');
  await other.query('CREATE TABLE `tbm` (id INT PRIMARY KEY)');
  const arn = secretArnFor(`cased-${other.database}`);
  stage.secrets.putSecret(arn, { username: other.user, password: other.password });
  const target = { host: other.host, port: other.port, database: other.database, secretArn: arn };
  const names: string[] = [];
  let nextToken: string | null = null;
  for (let page = 0; page < 10; page++) {
    const response = await invoke(stage.bundle, listEntitiesEvent(target, { maxResult: 1, nextToken }));
    names.push(...(response.entities as { entityIdentifier: string }[]).map((entity) => entity.entityIdentifier));
    nextToken = response.nextToken as string | null;
    if (!nextToken) break;
  }
  t.deepEqual(names, ['Tbl', 'tbl', 'tbm']);
});

test('DescribeEntity maps every column type faithfully', async (t) => {
  const response = await invoke(stage.bundle, describeEntityEvent(stage.target, 'all_types'));
  t.true(isRight(DescribeEntityResponse.decode(response)));
  const definition = response.entityDefinition as {
    entity: { entityIdentifier: string; isWritable: boolean };
    fields: Field[];
  };
  t.like(definition.entity, { entityIdentifier: 'all_types', isWritable: true });
  const fields = new Map(definition.fields.map((field) => [field.fieldName, field]));
  const types = Object.fromEntries(definition.fields.map((field) => [field.fieldName, field.dataType]));
  t.deepEqual(types, {
    id: 'Integer',
    flag: 'Boolean',
    bit_flag: 'Boolean',
    bits: 'ByteArray',
    tiny: 'Short',
    tiny_u: 'Short',
    small: 'Short',
    small_u: 'Integer',
    medium: 'Integer',
    medium_u: 'Integer',
    regular: 'Integer',
    regular_u: 'Long',
    big: 'Long',
    big_u: 'BigInteger',
    price: 'BigDecimal',
    huge_decimal: 'BigDecimal',
    ratio: 'Float',
    measure: 'Double',
    name: 'String',
    code: 'String',
    notes: 'String',
    doc: 'Struct',
    raw: 'ByteArray',
    fixed_raw: 'ByteArray',
    blob_data: 'ByteArray',
    status: 'String',
    tags: 'String',
    born: 'Date',
    alarm: 'String',
    made_in: 'Integer',
    seen_at: 'DateTime',
    updated_at: 'DateTime',
    location: 'String',
    name_length: 'Integer',
  });
  const id = fields.get('id')!;
  t.true(id.isPrimaryKey);
  t.false(id.readProperties.isNullable);
  t.true(id.writeProperties.isDefaultedOnCreate, 'auto-increment');
  t.false(id.writeProperties.isUpdatable);
  t.deepEqual(id.writeProperties.supportedWriteOperations, ['UPDATE', 'UPSERT', 'DELETE']);
  t.is(fields.get('big_u')!.dataTypeLabel, 'bigint(20) unsigned');
  t.is(fields.get('doc')!.dataTypeLabel, 'json');
  t.deepEqual(fields.get('status')!.constraints!.allowedValues, ['new', 'active', 'closed']);
  t.is(fields.get('name')!.constraints!.allowedLengthRange!.maxRange, 100);
  t.is(fields.get('name')!.defaultValue, 'unnamed');
  t.true(fields.get('name')!.writeProperties.isDefaultedOnCreate, 'has a default');
  t.is(fields.get('code')!.defaultValue, null);
  t.true(fields.get('updated_at')!.readProperties.isTimestampFieldForIncrementalQueries);
  t.true(fields.get('seen_at')!.readProperties.isTimestampFieldForIncrementalQueries);
  // A DATE holds whole days: not offered for instant windows (README, Type mapping).
  t.false(fields.get('born')!.readProperties.isTimestampFieldForIncrementalQueries);
  t.false(fields.get('name')!.readProperties.isTimestampFieldForIncrementalQueries);
  t.deepEqual(fields.get('updated_at')!.filterOperators, [
    'EQUAL_TO',
    'LESS_THAN',
    'LESS_THAN_OR_EQUAL_TO',
    'GREATER_THAN',
    'GREATER_THAN_OR_EQUAL_TO',
    'BETWEEN',
  ]);
  t.deepEqual(fields.get('name')!.filterOperators, ['CONTAINS', 'EQUAL_TO', 'NOT_EQUAL_TO']);
  t.deepEqual(fields.get('doc')!.filterOperators, []);
  t.false(fields.get('doc')!.readProperties.isQueryable);
  const generated = fields.get('name_length')!;
  t.false(generated.writeProperties.isCreatable);
  t.false(generated.writeProperties.isUpdatable);
});

test('DescribeEntity: composite keys, views and unknown entities', async (t) => {
  const lines = await invoke(stage.bundle, describeEntityEvent(stage.target, 'order_lines'));
  const fields = (lines.entityDefinition as { fields: Field[] }).fields;
  t.deepEqual(
    fields.filter((field) => field.isPrimaryKey).map((field) => field.fieldName),
    ['order_id', 'line_no'],
  );

  const view = await invoke(stage.bundle, describeEntityEvent(stage.target, 'line_totals'));
  const viewFields = view.entityDefinition as { entity: { isWritable: boolean }; fields: Field[] };
  t.false(viewFields.entity.isWritable);
  t.false(viewFields.fields.some((field) => field.writeProperties.isCreatable));

  for (const name of [
    'no_such_table',
    'secret_table',
    `${stage.otherDatabase.database}.secret_table`,
    'all_types`; DROP TABLE customers; --',
  ]) {
    const missing = await invoke(stage.bundle, describeEntityEvent(stage.target, name));
    t.like(
      missing,
      { isSuccess: false, entityDefinition: null, errorDetails: { errorCode: 'ResourceNotFoundError' } },
      name,
    );
  }
  const stillThere = (await stage.database.query('SELECT COUNT(*) AS n FROM customers')) as { n: number }[];
  t.is(Number(stillThere[0]!.n), 2);
});

test.after('nothing this file did logged the database password', (t) => {
  t.false(containsSecret(capturedLogs(), stage.database.password));
  t.true(capturedLogs().includes('"requestType":"DescribeEntityRequest"'), 'the logs were captured');
});
