// The infrastructure repeats a few facts the Lambda owns (runtime-setting keys and defaults, engines and their
// ports, TLS modes, log levels, the IAM custom authentication type, API version). These tests fail when the two
// drift apart.
import test from 'ava';
import type { LogLevel as HandlerLogLevel } from '../../handler/logger';
import { API_VERSION } from '../../handler/protocol/constants';
import { IAM_AUTHENTICATION_TYPE } from '../../handler/secrets';
import {
  DEFAULT_ENGINE,
  DEFAULT_TLS_MODE,
  DATABASE_ENGINES as HANDLER_DATABASE_ENGINES,
  DEFAULT_PORTS as HANDLER_DEFAULT_PORTS,
  TLS_MODES as HANDLER_TLS_MODES,
  RUNTIME_SETTINGS,
} from '../../handler/settings';
import {
  CONNECTOR_API_VERSION,
  DATABASE_ENGINES,
  DEFAULT_PORTS,
  DEFAULTS,
  IAM_CUSTOM_AUTHENTICATION_TYPE,
  type LogLevel,
  PROFILE_PROPERTY_KEYS,
  TLS_MODES,
} from '../../modules/constants';
import { onlyResource, synthConnector } from './support';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

test('the profile sets exactly the CONNECTOR_PROFILE runtime settings the connector declares', (t) => {
  const declared = RUNTIME_SETTINGS.filter((setting) => setting.scope === 'CONNECTOR_PROFILE').map(
    (setting) => setting.key,
  );
  const sentKeys = (json: ReturnType<typeof synthConnector>['json']) => {
    const profile = onlyResource(json, 'aws_appflow_connector_profile').body as {
      connector_profile_config: { connector_profile_properties: { custom_connector: { profile_properties: object } } };
    };
    return Object.keys(
      profile.connector_profile_config.connector_profile_properties.custom_connector.profile_properties,
    );
  };

  // Every setting is sent for PostgreSQL with a schema; a MySQL profile leaves out the schema, which MYSQL refuses.
  const postgresql = synthConnector((_, required) => ({ ...required, engine: 'POSTGRESQL', schema: 'hr' })).json;
  t.deepEqual(sentKeys(postgresql).sort(), [...declared].sort());
  t.deepEqual(sentKeys(synthConnector().json).sort(), declared.filter((key) => key !== 'schema').sort());
  t.deepEqual(Object.values(PROFILE_PROPERTY_KEYS).sort(), [...declared].sort());
});

test('engines, TLS modes, defaults, log levels, the IAM authentication type and the API version match the handler', (t) => {
  const logLevelsMatch: Same<LogLevel, HandlerLogLevel> = true;
  t.true(logLevelsMatch);
  t.deepEqual([...TLS_MODES], [...HANDLER_TLS_MODES]);
  t.is(DEFAULTS.tlsMode, DEFAULT_TLS_MODE);
  t.deepEqual([...DATABASE_ENGINES], [...HANDLER_DATABASE_ENGINES]);
  t.is(DEFAULTS.engine, DEFAULT_ENGINE);
  t.deepEqual(DEFAULT_PORTS, HANDLER_DEFAULT_PORTS);
  t.is(CONNECTOR_API_VERSION, API_VERSION);
  t.is(IAM_CUSTOM_AUTHENTICATION_TYPE, IAM_AUTHENTICATION_TYPE);
});
