// Engine selection in the infrastructure: the construct and the CDKTF app send `engine`, the engine's default port
// and `schema` as profile properties, refuse a schema with MYSQL at synth time, and hand the same check to
// Terraform when the values are only known at plan time. The rules come from one table (modules/input-rules.ts).
import test from 'ava';
import { TerraformVariable, Testing } from 'cdktf';
import { ConnectorStack, configFromEnvironment } from '../../modules/connector-stack';
import { RULES, SCHEMA_NEEDS_POSTGRESQL } from '../../modules/input-rules';
import { onlyResource, type Synthesized, stubBundle, synthConnector, synthError } from './support';

type Profile = {
  connector_profile_config: {
    connector_profile_properties: { custom_connector: { profile_properties: Record<string, string> | string } };
  };
  lifecycle?: { precondition?: { condition: string; error_message: string }[] };
};

const profileOf = (json: Synthesized) => onlyResource(json, 'aws_appflow_connector_profile').body as Profile;
const propertiesOf = (json: Synthesized) =>
  profileOf(json).connector_profile_config.connector_profile_properties.custom_connector.profile_properties;

test('by default the profile names engine MYSQL, port 3306 and no schema', (t) => {
  t.deepEqual(propertiesOf(synthConnector().json), {
    engine: 'MYSQL',
    host: 'hr-db.cluster-abc123.eu-west-1.rds.amazonaws.com',
    port: '3306',
    database: 'hr',
    tlsMode: 'REQUIRED',
  });
  t.is(profileOf(synthConnector().json).lifecycle, undefined);
});

test('a POSTGRESQL profile gets port 5432 unless one is given, its schema exactly, the engine in upper case', (t) => {
  const postgresql = synthConnector((_, required) => ({ ...required, engine: 'postgresql', schema: 'Payroll Data' }));
  t.deepEqual(propertiesOf(postgresql.json), {
    engine: 'POSTGRESQL',
    host: 'hr-db.cluster-abc123.eu-west-1.rds.amazonaws.com',
    port: '5432',
    database: 'hr',
    schema: 'Payroll Data',
    tlsMode: 'REQUIRED',
  });
  const ownPort = synthConnector((_, required) => ({ ...required, engine: 'POSTGRESQL', port: 6432 }));
  t.like(propertiesOf(ownPort.json), { engine: 'POSTGRESQL', port: '6432' });
  // Without a schema the profile leaves it out (AppFlow refuses empty properties); the connector reads public.
  t.false('schema' in (propertiesOf(ownPort.json) as object));
  const mysqlOwnPort = synthConnector((_, required) => ({ ...required, engine: 'MySQL', port: 3307 }));
  t.like(propertiesOf(mysqlOwnPort.json), { engine: 'MYSQL', port: '3307' });
});

const refusals: [string, Record<string, unknown>, RegExp][] = [
  [
    'an unknown engine',
    { engine: 'oracle' },
    /engine must be one of MYSQL, POSTGRESQL \(in any case\) \(got "oracle"\)/,
  ],
  [
    'a schema with the default engine',
    { schema: 'hr' },
    /schema is for engine POSTGRESQL only .*\(engine is "MYSQL"\)/,
  ],
  ['a schema with MYSQL', { engine: 'mysql', schema: 'hr' }, /schema is for engine POSTGRESQL only/],
  ['an empty schema', { engine: 'POSTGRESQL', schema: '' }, /schema must be a PostgreSQL schema name/],
  ['a schema of 64 bytes', { engine: 'POSTGRESQL', schema: 'é'.repeat(32) }, /at most 63 bytes of UTF-8/],
  ['a schema with a newline', { engine: 'POSTGRESQL', schema: 'hr\n' }, /without control characters/],
];
for (const [name, props, message] of refusals) {
  test(`synth fails on ${name}, naming the prop`, (t) => {
    t.regex(synthError((_, required) => ({ ...required, ...props })) ?? 'no error', message);
  });
}

test('the schema rule takes any name PostgreSQL keeps whole, in JavaScript as in Terraform', (t) => {
  for (const schema of ['public', 'Employees', 'HR data', 'a"b', '😀', `${'é'.repeat(31)}x`]) {
    t.true(RULES.schema.accepts(schema), schema);
  }
  for (const schema of ['', 'é'.repeat(32), 'x'.repeat(64), 'tab\there']) t.false(RULES.schema.accepts(schema), schema);
  // 63 bytes is 84 base64 characters, 64 bytes is 88: the Terraform form counts bytes, not characters.
  t.regex(RULES.schema.terraformCondition('var.db_schema'), /length\(base64encode\(var\.db_schema\)\) <= 84/);
  t.true(RULES.engine.accepts('PostgreSQL'));
  t.false(RULES.engine.accepts('postgres'));
  t.true(SCHEMA_NEEDS_POSTGRESQL.accepts('postgresql', 'hr'));
  t.true(SCHEMA_NEEDS_POSTGRESQL.accepts('MYSQL', undefined));
  t.false(SCHEMA_NEEDS_POSTGRESQL.accepts('MYSQL', 'hr'));
});

test('with the engine as a Terraform value, Terraform picks the port and checks the schema at plan time', (t) => {
  const { json } = synthConnector((scope, required) => ({
    ...required,
    engine: new TerraformVariable(scope, 'db_engine', { type: 'string' }).stringValue,
    schema: 'hr',
  }));
  const properties = propertiesOf(json) as Record<string, string>;
  t.is(properties.engine, `\${upper(var.db_engine)}`);
  t.is(properties.port, `\${tostring(upper(var.db_engine) == "POSTGRESQL" ? 5432 : (3306))}`);
  t.is(properties.schema, 'hr');
  t.deepEqual(profileOf(json).lifecycle?.precondition, [
    {
      condition: `\${"hr" == null || try(upper(var.db_engine) == "POSTGRESQL", false)}`,
      error_message: 'The schema is for engine POSTGRESQL only (a MySQL database has no schemas inside it).',
    },
  ]);
});

test('a schema that may be null at plan time is left out of the profile by Terraform', (t) => {
  const { json } = synthConnector((scope, required) => ({
    ...required,
    engine: 'POSTGRESQL',
    schema: new TerraformVariable(scope, 'db_schema', { type: 'string' }).stringValue,
  }));
  const properties = propertiesOf(json) as string;
  t.is(typeof properties, 'string');
  t.true(properties.startsWith(`\${zipmap(`), properties);
  t.true(properties.includes('["schema", var.db_schema]'), properties);
  t.true(properties.includes('["port", "5432"]'), properties);
  t.true(properties.includes('if pair[1] != null'), properties);
  // References stay bare inside the expression (CDKTF would otherwise leave nested ${...} that Terraform rejects).
  t.false(properties.slice(2).includes(`\${`), properties);
});

test('the app reads DB_ENGINE and DB_SCHEMA, and the port follows the engine', (t) => {
  const required = { DB_HOST: 'pg.example.internal', DB_NAME: 'hr', DB_USERNAME: 'appflow_reader' };
  const config = configFromEnvironment({ ...required, DB_ENGINE: 'postgresql', DB_SCHEMA: 'payroll' });
  t.like(config, { engine: 'postgresql', schema: 'payroll', port: undefined });
  const synthesized = JSON.parse(
    Testing.synth(new ConnectorStack(Testing.app(), 'connector', { ...config, bundleDirectory: stubBundle() })),
  ) as Synthesized;
  t.like(propertiesOf(synthesized), { engine: 'POSTGRESQL', port: '5432', schema: 'payroll' });

  const mysqlWithSchema = {
    ...configFromEnvironment({ ...required, DB_SCHEMA: 'payroll' }),
    bundleDirectory: stubBundle(),
  };
  t.throws(() => new ConnectorStack(Testing.app(), 'connector', mysqlWithSchema), {
    message: /schema is for engine POSTGRESQL only/,
  });
});
