/**
 * What DescribeEntity, ListEntities and ValidateCredentials say of a PostgreSQL schema, through the built bundle:
 * domain defaults and NOT NULL through domains over domains, tables reachable through column privileges only, a
 * misspelled schema, expression defaults that have no value, and a DEFERRABLE primary key that cannot take UPSERT.
 */
import { randomBytes } from 'node:crypto';
import test from 'ava';
import { defaultsShown } from '../../support/engineStage';
import { secretArnFor } from '../../support/events';
import { invoke } from '../../support/lambda';
import { type PostgreSqlAnswer, type PostgreSqlStage, startPostgreSqlStage } from '../../support/postgresqlStage';

interface Field {
  fieldName: string;
  dataTypeLabel: string;
  defaultValue: string | null;
  readProperties: { isNullable: boolean };
  writeProperties: { isNullable: boolean; isDefaultedOnCreate: boolean; supportedWriteOperations: string[] };
}

interface RecordResult {
  isSuccess: boolean;
  recordId?: string | null;
  errorMessage?: string | null;
}

let stage: PostgreSqlStage;

test.before(async () => {
  stage = await startPostgreSqlStage({ schema: 'Sales', secretName: 'postgresql-catalog' });
  await stage.sql(`
    CREATE DOMAIN inner_count AS int NOT NULL DEFAULT 7;
    CREATE DOMAIN outer_count AS inner_count;
    CREATE DOMAIN required_text AS text NOT NULL;
    CREATE DOMAIN labelled AS text NOT NULL DEFAULT 'unlabelled';
    CREATE DOMAIN money10 AS numeric(10,2);
    CREATE DOMAIN positive_money AS money10 CHECK (VALUE > 0);
    CREATE TABLE domains (
      id int PRIMARY KEY,
      counted inner_count,
      nested outer_count,
      label labelled,
      own_label labelled DEFAULT 'own',
      price positive_money,
      required required_text
    );
    -- Changed after outer_count was created: outer_count keeps the default it copied (7), inner_count now has 9.
    ALTER DOMAIN inner_count SET DEFAULT 9;

    CREATE SEQUENCE numbers;
    CREATE TABLE defaults (
      id int PRIMARY KEY,
      created timestamptz NOT NULL DEFAULT now(),
      stamped timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
      today date NOT NULL DEFAULT 'now'::text::date,
      numbered bigint NOT NULL DEFAULT nextval('numbers'),
      two int NOT NULL DEFAULT (1 + 1),
      word text NOT NULL DEFAULT 'it''s',
      minus int NOT NULL DEFAULT -1,
      ratio numeric(5,2) NOT NULL DEFAULT 1.5,
      flag boolean NOT NULL DEFAULT true,
      code varchar(8) NOT NULL DEFAULT 'abc',
      nothing text DEFAULT NULL
    );

    CREATE TABLE deferred_key (id int PRIMARY KEY DEFERRABLE, code text NOT NULL UNIQUE, note text);
    CREATE TABLE deferred_only (id int PRIMARY KEY DEFERRABLE INITIALLY DEFERRED, note text);
    CREATE TABLE plain_key (id int PRIMARY KEY, note text);

    CREATE TABLE column_granted (id int PRIMARY KEY, name text, salary numeric);
    INSERT INTO column_granted VALUES (1, 'Ada', 100), (2, 'Grace', 200);
    CREATE DOMAIN plain_count AS int CHECK (VALUE >= 0);
    CREATE DOMAIN counted_again AS plain_count;
    CREATE TABLE domain_arrays (id int PRIMARY KEY, counts counted_again[]);
    CREATE TABLE column_written (id int PRIMARY KEY, name text, salary numeric);
    CREATE TABLE not_granted (id int PRIMARY KEY);
    CREATE SCHEMA "Sales2";
  `);
});
test.after.always(async () => {
  await stage?.teardown();
});

async function describe(entity: string, arn?: string): Promise<Map<string, Field>> {
  const answer = await invoke<PostgreSqlAnswer & { entityDefinition: { fields: Field[] } | null }>(stage.bundle, {
    type: 'DescribeEntityRequest',
    entityIdentifier: entity,
    connectorContext: stage.connectorContext(arn),
  });
  if (!answer.isSuccess) throw new Error(JSON.stringify(answer.errorDetails));
  return new Map(answer.entityDefinition!.fields.map((field) => [field.fieldName, field]));
}

async function write(
  entity: string,
  operation: string,
  records: Record<string, unknown>[],
  idFieldNames: string[] | null = null,
): Promise<RecordResult[]> {
  const answer = await invoke<PostgreSqlAnswer & { writeRecordResults: RecordResult[] | null }>(stage.bundle, {
    type: 'WriteDataRequest',
    entityIdentifier: entity,
    operation,
    idFieldNames,
    records: records.map((record) => JSON.stringify(record)),
    allOrNone: false,
    connectorContext: stage.connectorContext(),
  });
  if (!answer.isSuccess && !answer.writeRecordResults) throw new Error(JSON.stringify(answer.errorDetails));
  return answer.writeRecordResults ?? [];
}

test('a NOT NULL domain with a DEFAULT is defaulted on create, through a domain over a domain too', async (t) => {
  const fields = await describe('domains');
  const facts = (name: string) => {
    const field = fields.get(name)!;
    return {
      nullable: field.writeProperties.isNullable,
      defaulted: field.writeProperties.isDefaultedOnCreate,
      value: field.defaultValue,
    };
  };
  t.deepEqual(facts('counted'), { nullable: false, defaulted: true, value: '9' });
  // outer_count is not NOT NULL itself, the domain under it is.
  t.deepEqual(facts('nested'), { nullable: false, defaulted: true, value: '7' });
  t.deepEqual(facts('label'), { nullable: false, defaulted: true, value: 'unlabelled' });
  t.deepEqual(facts('own_label'), { nullable: false, defaulted: true, value: 'own' });
  t.deepEqual(facts('required'), { nullable: false, defaulted: false, value: null });
  // A domain over a domain over numeric(10,2) is numeric(10,2).
  t.like(fields.get('price'), { dataType: 'BigDecimal' } as Partial<Field>);

  // The server agrees: a record that leaves the defaulted fields out is written and gets the domains' defaults.
  const [written] = await write('domains', 'INSERT', [{ id: 1, required: 'r' }]);
  t.true(written!.isSuccess, JSON.stringify(written));
  const read = await stage.query('domains', { filterExpression: 'id = 1' });
  t.deepEqual(
    (read.records ?? []).map((record) => JSON.parse(record)),
    [{ id: 1, counted: 9, nested: 7, label: 'unlabelled', own_label: 'own', price: null, required: 'r' }],
  );
  // And one that leaves out the required one is refused.
  const [refused] = await write('domains', 'INSERT', [{ id: 2 }]);
  t.false(refused!.isSuccess);
  t.regex(refused!.errorMessage ?? '', /required/);
});

test('only constant defaults are default values; expressions are defaulted on create without a value', async (t) => {
  const fields = await describe('defaults');
  const shown = defaultsShown(fields.values());
  t.deepEqual(shown, {
    id: [null, false],
    created: [null, true],
    stamped: [null, true],
    today: [null, true],
    numbered: [null, true],
    two: [null, true],
    word: ["it's", true],
    minus: ['-1', true],
    // numeric(5,2) stores DEFAULT 1.5 as 1.50, and a record shows it so: the default is shown in record form.
    ratio: ['1.50', true],
    flag: ['true', true],
    code: ['abc', true],
    nothing: [null, true],
  });
  // Every constant shown is what the server stores when the field is left out.
  const [written] = await write('defaults', 'INSERT', [{ id: 1 }]);
  t.true(written!.isSuccess, JSON.stringify(written));
  const [record] = (await stage.query('defaults')).records ?? [];
  const stored = JSON.parse(record!) as Record<string, unknown>;
  t.like(stored, { word: "it's", minus: -1, flag: true, code: 'abc', two: 2, nothing: null });
  t.is(String(stored.ratio), '1.5');
});

test('a DEFERRABLE primary key is not offered for UPSERT (ON CONFLICT cannot use it); an immediate unique key is', async (t) => {
  const deferred = await describe('deferred_key');
  t.true(deferred.get('id')!.writeProperties.supportedWriteOperations.length > 0);
  t.false(deferred.get('id')!.writeProperties.supportedWriteOperations.includes('UPSERT'));
  t.deepEqual(deferred.get('code')!.writeProperties.supportedWriteOperations, ['UPDATE', 'UPSERT', 'DELETE']);
  const only = await describe('deferred_only');
  t.deepEqual(only.get('id')!.writeProperties.supportedWriteOperations, ['UPDATE', 'DELETE']);
  const plain = await describe('plain_key');
  t.deepEqual(plain.get('id')!.writeProperties.supportedWriteOperations, ['UPDATE', 'UPSERT', 'DELETE']);

  // What is offered works: UPSERT by the unique key inserts, then updates.
  for (const note of ['first', 'second']) {
    const [result] = await write('deferred_key', 'UPSERT', [{ id: 1, code: 'c1', note }], ['code']);
    t.true(result!.isSuccess, JSON.stringify(result));
  }
  const rows = await stage.sql('SELECT id, code, note FROM deferred_key');
  t.deepEqual(rows, [['1', 'c1', 'second']]);
});

// Two GRANTs on one database or schema at once can fail with "tuple concurrently updated" (each rewrites the
// object's ACL row), and ava runs this file's tests concurrently: roles are made one at a time.
let rolesMade: Promise<unknown> = Promise.resolve();

function roleWithColumnGrants(grants = 'GRANT SELECT (id, name) ON column_granted'): Promise<string> {
  const made = rolesMade.then(() => newRoleWithColumnGrants(grants));
  rolesMade = made.catch(() => {});
  return made;
}

async function newRoleWithColumnGrants(grants: string): Promise<string> {
  const user = `colgrant_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  await stage.server.adminQuery(`CREATE ROLE :"user" LOGIN PASSWORD :'password'`, { user, password });
  await stage.server.adminQuery('GRANT CONNECT ON DATABASE :"database" TO :"user"', {
    user,
    database: stage.db.database,
  });
  await stage.sql(`GRANT USAGE ON SCHEMA :"schema" TO :"user"; ${grants} TO :"user";`, {
    schema: stage.schema,
    user,
  });
  const arn = secretArnFor(user);
  stage.secrets.putSecret(arn, { username: user, password });
  return arn;
}

test('a table readable through column privileges only is listed, described with the columns it may read, and read', async (t) => {
  const arn = await roleWithColumnGrants();
  const listed = await invoke<PostgreSqlAnswer & { entities: { entityIdentifier: string }[] }>(stage.bundle, {
    type: 'ListEntitiesRequest',
    entitiesPath: null,
    maxResult: 100,
    nextToken: null,
    connectorContext: stage.connectorContext(arn),
  });
  t.true(listed.isSuccess, JSON.stringify(listed.errorDetails));
  t.deepEqual(
    listed.entities.map((entity) => entity.entityIdentifier),
    ['column_granted'],
  );

  const fields = await describe('column_granted', arn);
  t.deepEqual([...fields.keys()], ['id', 'name']);
  t.true((fields.get('id') as unknown as { isPrimaryKey: boolean }).isPrimaryKey);

  const read = await stage.query('column_granted', { connectorContext: stage.connectorContext(arn) });
  t.true(read.isSuccess, JSON.stringify(read.errorDetails));
  t.deepEqual(
    (read.records ?? []).map((record) => JSON.parse(record)),
    [
      { id: 1, name: 'Ada' },
      { id: 2, name: 'Grace' },
    ],
  );
  const hidden = await stage.query('not_granted', { connectorContext: stage.connectorContext(arn) });
  t.like(hidden, { isSuccess: false, errorDetails: { errorCode: 'ResourceNotFoundError' } });
});

test.serial(
  'a misspelled schema is refused by ValidateCredentials and ListEntities, naming the schemas the user can see',
  async (t) => {
    t.deepEqual(await stage.validate(), { isSuccess: true, errorDetails: null });

    const wrong = await stage.validate(undefined, { schema: 'sales' });
    t.like(wrong, { isSuccess: false, errorDetails: { errorCode: 'InvalidArgument' } });
    const message = wrong.errorDetails!.errorMessage;
    t.regex(message, /schema "sales" does not exist/);
    // The one equal but for case comes first.
    t.regex(message, /may use: "Sales", /);
    t.regex(message, /"public"/);

    const listed = await invoke<PostgreSqlAnswer>(stage.bundle, {
      type: 'ListEntitiesRequest',
      entitiesPath: null,
      maxResult: 100,
      nextToken: null,
      connectorContext: stage.connectorContext(undefined, { schema: 'sales' }),
    });
    t.like(listed, { isSuccess: false, errorDetails: { errorCode: 'InvalidArgument' } });
    t.regex(listed.errorDetails!.errorMessage, /"Sales"/);

    // An existing schema without tables still lists nothing, successfully.
    const empty = await invoke<PostgreSqlAnswer & { entities: unknown[] }>(stage.bundle, {
      type: 'ListEntitiesRequest',
      entitiesPath: null,
      maxResult: 100,
      nextToken: null,
      connectorContext: stage.connectorContext(undefined, { schema: 'Sales2' }),
    });
    t.like(empty, { isSuccess: true, entities: [] });
  },
);

test.serial('the schemas named in the message are bounded', async (t) => {
  await stage.sql(Array.from({ length: 30 }, (_, index) => `CREATE SCHEMA many_${index};`).join('\n'));
  const wrong = await stage.validate(undefined, { schema: 'nope' });
  t.false(wrong.isSuccess);
  const message = wrong.errorDetails!.errorMessage;
  const named = message.slice(message.indexOf('may use:')).match(/"[^"]+"/g) ?? [];
  t.is(named.length, 20, message);
  t.regex(message, /, and more$/);
});

test('a role that may only write some columns (no column to read) sees the columns it may write', async (t) => {
  const arn = await roleWithColumnGrants('GRANT INSERT (id, name), UPDATE (name) ON column_written');
  const fields = await describe('column_written', arn);
  t.deepEqual([...fields.keys()], ['id', 'name']);
  const answer = await invoke<PostgreSqlAnswer & { writeRecordResults: RecordResult[] | null }>(stage.bundle, {
    type: 'WriteDataRequest',
    entityIdentifier: 'column_written',
    operation: 'INSERT',
    idFieldNames: null,
    records: [JSON.stringify({ id: 10, name: 'Barbara' })],
    allOrNone: false,
    connectorContext: stage.connectorContext(arn),
  });
  t.true(answer.writeRecordResults?.[0]?.isSuccess, JSON.stringify(answer));
  t.deepEqual(await stage.sql('SELECT name, salary FROM column_written WHERE id = 10'), [['Barbara', '']]);
});

test('an array of a domain over a domain over integer is a list of numbers, read and written', async (t) => {
  const fields = await describe('domain_arrays');
  t.like(fields.get('counts'), { dataType: 'List' } as Partial<Field>);
  const [written] = await write('domain_arrays', 'INSERT', [{ id: 1, counts: [1, 2, 30] }]);
  t.true(written!.isSuccess, JSON.stringify(written));
  const read = await stage.query('domain_arrays');
  t.deepEqual(
    (read.records ?? []).map((record) => JSON.parse(record)),
    [{ id: 1, counts: [1, 2, 30] }],
  );
});
