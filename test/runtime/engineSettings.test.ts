// The engine selection contract: the runtime settings `engine` and `schema` as AppFlow sees them through the built
// bundle (DescribeConnectorConfiguration, ValidateConnectorRuntimeSettings), and what the connection settings of a
// data call become (engine, port and schema defaults), read with the handler's own parser.
import test from 'ava';
import { isRight } from 'fp-ts/Either';
import { ValidateConnectorRuntimeSettingsResponse } from '../../handler/protocol/codecs';
import { parseConnectionSettings } from '../../handler/settings';
import { describeConnectorConfigurationEvent, validateConnectorRuntimeSettingsEvent } from '../support/events';
import { invoke, loadHandler } from '../support/lambda';

const bundle = loadHandler();

interface Setting {
  key: string;
  dataType: string;
  required: boolean;
  label: string;
  description: string;
  scope: string;
  connectorSuppliedValueOptions?: string[] | null;
}

interface Validation {
  isSuccess: boolean;
  errorsByInputField: Record<string, string> | null;
  errorDetails: { errorCode: string; errorMessage: string } | null;
}

const validate = async (settings: Record<string, string>, scope = 'CONNECTOR_PROFILE') => {
  const response = await invoke<Validation>(bundle, validateConnectorRuntimeSettingsEvent(settings, scope));
  if (!isRight(ValidateConnectorRuntimeSettingsResponse.decode(response))) throw new Error('malformed response');
  return response;
};

test('DescribeConnectorConfiguration offers engine and schema as optional profile settings, described', async (t) => {
  const response = await invoke(bundle, describeConnectorConfigurationEvent());
  const settings = response.connectorRuntimeSetting as Setting[];
  t.deepEqual(
    settings.map((setting) => setting.key),
    ['engine', 'host', 'port', 'database', 'schema', 'tlsMode'],
  );
  const byKey = new Map(settings.map((setting) => [setting.key, setting]));

  const engine = byKey.get('engine')!;
  t.like(engine, { dataType: 'String', required: false, scope: 'CONNECTOR_PROFILE' });
  // AppFlow shows connector-supplied options as a choice list.
  t.deepEqual(engine.connectorSuppliedValueOptions, ['MYSQL', 'POSTGRESQL']);
  // Worded within AppFlow's description alphabet (no commas, colons or parentheses: configuration.test.ts).
  t.regex(engine.description, /MYSQL - MySQL or MariaDB or Aurora MySQL\./);
  t.regex(engine.description, /POSTGRESQL - PostgreSQL or Aurora PostgreSQL\./);
  t.regex(engine.description, /Default MYSQL\./);

  const schema = byKey.get('schema')!;
  t.like(schema, { dataType: 'String', required: false, scope: 'CONNECTOR_PROFILE' });
  t.is(schema.connectorSuppliedValueOptions, null);
  t.regex(schema.description, /POSTGRESQL only - default public\./);
  t.regex(schema.description, /Employees is not employees/);

  // The port's default depends on the engine, and says so.
  t.regex(byKey.get('port')!.description, /Default 3306 for MYSQL and 5432 for POSTGRESQL/);
  t.regex(byKey.get('tlsMode')!.description, /NODE_EXTRA_CA_CERTS/);
});

test('ValidateConnectorRuntimeSettings matches engine names without regard to case', async (t) => {
  for (const engine of ['mysql', 'MySQL', 'MYSQL', 'POSTGRESQL', 'postgresql', 'PostgreSQL']) {
    const response = await validate({ engine, host: 'db.example.com', database: 'hr' });
    t.deepEqual(response, { isSuccess: true, errorDetails: null, errorsByInputField: null }, engine);
  }
  // Left out or empty: MYSQL, as before the setting existed.
  t.is((await validate({ host: 'db.example.com', database: 'hr' })).isSuccess, true);
  t.is((await validate({ engine: '', host: 'db.example.com', database: 'hr' })).isSuccess, true);
});

test('ValidateConnectorRuntimeSettings refuses an unknown engine and lists the engines there are', async (t) => {
  for (const engine of ['oracle', 'MARIADB', ' MYSQL', 'postgres']) {
    const response = await validate({ engine, host: 'db.example.com', database: 'hr' });
    t.is(response.isSuccess, false, engine);
    t.deepEqual(response.errorsByInputField, { engine: 'engine must be one of MYSQL, POSTGRESQL' }, engine);
    t.like(response.errorDetails, { errorCode: 'InvalidArgument' });
  }
});

test('ValidateConnectorRuntimeSettings refuses a schema for MYSQL, named or by default', async (t) => {
  for (const engine of [undefined, 'MYSQL', 'mysql']) {
    const settings = { host: 'db.example.com', database: 'hr', schema: 'hr', ...(engine ? { engine } : {}) };
    const response = await validate(settings);
    t.is(response.isSuccess, false, String(engine));
    t.deepEqual(Object.keys(response.errorsByInputField!), ['schema']);
    t.regex(response.errorsByInputField!.schema!, /^schema is for engine POSTGRESQL only/);
  }
  // An empty schema is a schema left out.
  t.is((await validate({ host: 'db.example.com', database: 'hr', schema: '' })).isSuccess, true);
});

test('ValidateConnectorRuntimeSettings takes any PostgreSQL schema name up to 63 bytes, exactly as typed', async (t) => {
  const accepted = ['public', 'Employees', 'HR data', 'trailing ', 'a"b', 'Ünïcödé', '😀', 'é'.repeat(31) + 'x'];
  for (const schema of accepted) {
    const response = await validate({ engine: 'POSTGRESQL', host: 'db.example.com', database: 'hr', schema });
    t.is(response.isSuccess, true, JSON.stringify(schema));
  }
  const refused: [string, RegExp][] = [
    ['é'.repeat(32), /longer than 63 bytes/], // 32 characters, 64 bytes
    ['x'.repeat(64), /longer than 63 bytes/],
    ['a\u0000b', /control character/],
    ['tab\there', /control character/],
    ['half\uD83D', /lone UTF-16 surrogate/],
  ];
  for (const [schema, reason] of refused) {
    const response = await validate({ engine: 'POSTGRESQL', host: 'db.example.com', database: 'hr', schema });
    t.is(response.isSuccess, false, JSON.stringify(schema));
    t.regex(response.errorsByInputField?.schema ?? '', reason, JSON.stringify(schema));
  }
});

test('a PostgreSQL database name follows PostgreSQL rules, not MySQL ones', async (t) => {
  // MySQL refuses names outside the Basic Multilingual Plane and a trailing space; PostgreSQL does not.
  for (const database of ['db😀', 'trailing ']) {
    t.is((await validate({ engine: 'POSTGRESQL', host: 'db', database })).isSuccess, true, database);
    t.is((await validate({ engine: 'MYSQL', host: 'db', database })).isSuccess, false, database);
  }
  const long = await validate({ engine: 'POSTGRESQL', host: 'db', database: 'é'.repeat(32) });
  t.regex(long.errorsByInputField?.database ?? '', /longer than 63 bytes/);
});

test('engine and schema belong to the connection, not to a flow', async (t) => {
  const response = await validate({ engine: 'POSTGRESQL', schema: 'hr' }, 'SOURCE');
  t.is(response.isSuccess, false);
  t.deepEqual(Object.keys(response.errorsByInputField!).sort(), ['engine', 'schema']);
});

test('the connection settings of a data call carry the engine, its default port and the schema', (t) => {
  t.deepEqual(parseConnectionSettings({ host: 'db', database: 'hr' }), {
    engine: 'MYSQL',
    host: 'db',
    port: 3306,
    database: 'hr',
    schema: null,
    tlsMode: 'REQUIRED',
  });
  t.like(parseConnectionSettings({ engine: 'mysql', host: 'db', database: 'hr', schema: '' }), {
    engine: 'MYSQL',
    port: 3306,
    schema: null,
  });
  t.like(parseConnectionSettings({ engine: 'postgresql', host: 'db', database: 'hr' }), {
    engine: 'POSTGRESQL',
    port: 5432,
    schema: 'public',
  });
  t.like(
    parseConnectionSettings({ engine: 'POSTGRESQL', host: 'db', port: '6432', database: 'hr', schema: 'Payroll' }),
    {
      engine: 'POSTGRESQL',
      port: 6432,
      schema: 'Payroll',
    },
  );
  t.throws(() => parseConnectionSettings({ engine: 'oracle', host: 'db', database: 'hr' }), {
    message: /engine must be one of MYSQL, POSTGRESQL/,
  });
  t.throws(() => parseConnectionSettings({ host: 'db', database: 'hr', schema: 'hr' }), {
    message: /schema is for engine POSTGRESQL only/,
  });
});
