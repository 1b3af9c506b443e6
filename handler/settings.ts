/**
 * The connector's runtime settings (scope CONNECTOR_PROFILE): which database engine, where the database is and how
 * to reach it. AppFlow sends every value as a string. Credentials are not here: they live in the Secrets Manager
 * secret.
 */
import {
  DATABASE_ENGINES,
  type DatabaseEngine,
  DEFAULT_ENGINE,
  DEFAULT_PORTS,
  defaultSchemaOf,
  ENGINES,
  engineNamed,
  hasSchemaSetting,
  NO_SCHEMA_ENGINES,
  nameProblem,
  orList,
  SCHEMA_ENGINES,
} from './engines/registry';
import { InvalidArgumentError } from './errors';
import type { ConnectorRuntimeSetting } from './protocol/codecs';

export const TLS_MODES = ['DISABLED', 'REQUIRED', 'VERIFY_IDENTITY'] as const;
export type TlsMode = (typeof TLS_MODES)[number];

/** Database engines (runtime setting `engine`, matched without regard to case): handler/engines/registry.ts. */
export { DATABASE_ENGINES, type DatabaseEngine, DEFAULT_ENGINE, DEFAULT_PORTS };

export interface ConnectionSettings {
  readonly engine: DatabaseEngine;
  readonly host: string;
  readonly port: number;
  readonly database: string;
  /** An engine with a schema setting (POSTGRESQL): the schema whose tables and views are the entities (default
   *  `public`). Other engines (MYSQL): always null. */
  readonly schema: string | null;
  readonly tlsMode: TlsMode;
}

export const DEFAULT_TLS_MODE: TlsMode = 'REQUIRED';

// AppFlow's API allows only [\s\w/!@#+=.-] in a runtime setting's description, at most 1024 characters
// (API_ConnectorRuntimeSetting.html): no commas, colons, quotes, backticks or parentheses. Dashes and "or" do their work.

/** `a or b or c`, within AppFlow's description alphabet. */
const alternatives = (items: readonly string[]) => items.join(' or ');

/** `MYSQL - MySQL or MariaDB or Aurora MySQL. POSTGRESQL - PostgreSQL or Aurora PostgreSQL. Default MYSQL.` */
const ENGINE_DESCRIPTION = `${DATABASE_ENGINES.map(
  (engine) => `${engine} - ${alternatives(ENGINES[engine].products)}.`,
).join(' ')} Default ${DEFAULT_ENGINE}.`;
/** What `database` means per engine: its tables, or those of its schema named in the `schema` setting. */
const DATABASE_DESCRIPTION = DATABASE_ENGINES.map((engine) =>
  hasSchemaSetting(engine)
    ? `${engine} - the entities are those of its schema named in the schema setting.`
    : `${engine} - its tables and views are the entities.`,
).join(' ');
const SCHEMA_DEFAULTS = SCHEMA_ENGINES.map((engine) => `default ${defaultSchemaOf(engine)}`).join(' or ');
const DEFAULT_PORTS_DESCRIPTION = DATABASE_ENGINES.map((engine) => `${DEFAULT_PORTS[engine]} for ${engine}`).join(
  ' and ',
);

/** What DescribeConnectorConfiguration declares; the keys are a public contract (Terraform profile_properties). */
export const RUNTIME_SETTINGS: readonly ConnectorRuntimeSetting[] = [
  {
    key: 'engine',
    dataType: 'String',
    required: false,
    label: 'Database engine',
    description: `${ENGINE_DESCRIPTION} Matched without regard to case.`,
    scope: 'CONNECTOR_PROFILE',
    connectorSuppliedValueOptions: [...DATABASE_ENGINES],
  },
  {
    key: 'host',
    dataType: 'String',
    required: true,
    label: 'Host',
    description: 'Host name or IP address of the database server - reachable from the connector Lambda.',
    scope: 'CONNECTOR_PROFILE',
    connectorSuppliedValueOptions: null,
  },
  {
    key: 'port',
    dataType: 'Integer',
    required: false,
    label: 'Port',
    description: `TCP port of the server from 1 to 65535. Default ${DEFAULT_PORTS_DESCRIPTION}.`,
    scope: 'CONNECTOR_PROFILE',
    connectorSuppliedValueOptions: null,
  },
  {
    key: 'database',
    dataType: 'String',
    required: true,
    label: 'Database',
    description: `Database to connect to. ${DATABASE_DESCRIPTION} Other databases are never listed.`,
    scope: 'CONNECTOR_PROFILE',
    connectorSuppliedValueOptions: null,
  },
  {
    key: 'schema',
    dataType: 'String',
    required: false,
    label: `Schema (${SCHEMA_ENGINES.map((engine) => ENGINES[engine].label).join(', ')})`,
    description:
      `${alternatives(SCHEMA_ENGINES)} only - ${SCHEMA_DEFAULTS}. The schema whose tables and views are the ` +
      'entities - nothing of another schema is listed or read. Names are exact - Employees is not employees. Leave ' +
      `empty for ${alternatives(NO_SCHEMA_ENGINES)}.`,
    scope: 'CONNECTOR_PROFILE',
    connectorSuppliedValueOptions: null,
  },
  {
    key: 'tlsMode',
    dataType: 'String',
    required: false,
    label: 'TLS mode',
    description:
      'REQUIRED - encrypt without verifying the certificate. VERIFY_IDENTITY - encrypt and verify the server ' +
      'certificate and host name against the system CAs and the Amazon RDS CA bundle and a CA named by the ' +
      'NODE_EXTRA_CA_CERTS variable of the Lambda. DISABLED - no encryption. Default REQUIRED.',
    scope: 'CONNECTOR_PROFILE',
    connectorSuppliedValueOptions: [...TLS_MODES],
  },
];

const KNOWN_KEYS = new Set(RUNTIME_SETTINGS.map((setting) => setting.key));

// RFC 1123 host names, IPv4 and IPv6 literals (optionally in brackets).
const HOST_NAME =
  /^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const IPV6 = /^\[?[0-9A-Fa-f:.]{2,45}\]?$/;

function hostProblem(host: string | undefined): string | null {
  if (host === undefined || host.trim() === '') return 'is required';
  if (host !== host.trim()) return 'must not start or end with spaces';
  if (IPV4.test(host) || HOST_NAME.test(host)) return null;
  if (host.includes(':') && IPV6.test(host)) return null;
  return 'must be a host name (letters, digits, hyphens and dots) or an IP address';
}

function portProblem(port: string | undefined): string | null {
  if (port === undefined || port === '') return null;
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) return 'must be an integer from 1 to 65535';
  return null;
}

/** The engine named by `engine` (any case), the default when empty, or null when it names no known engine. */
function engineOf(engine: string | undefined): DatabaseEngine | null {
  if (engine === undefined || engine === '') return DEFAULT_ENGINE;
  return engineNamed(engine) ?? null;
}

function engineProblem(engine: string | undefined): string | null {
  return engineOf(engine) === null ? `must be one of ${DATABASE_ENGINES.join(', ')}` : null;
}

// Legal in quoted names, but never what someone meant to type into a form.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

function databaseProblem(database: string | undefined, engine: DatabaseEngine | null): string | null {
  if (database === undefined || database === '') return 'is required';
  if (CONTROL_CHARACTER.test(database)) return 'contains a control character';
  // An unknown engine is reported under `engine`; the name is then checked by the default engine's rules.
  return nameProblem(engine ?? DEFAULT_ENGINE, database);
}

function schemaProblem(schema: string | undefined, engine: DatabaseEngine | null): string | null {
  if (schema === undefined || schema === '') return null;
  if (engine !== null && !hasSchemaSetting(engine)) {
    return (
      `is for engine ${orList(SCHEMA_ENGINES)} only: a ${ENGINES[engine].label} database has no schemas inside it ` +
      '(name it as database instead)'
    );
  }
  if (CONTROL_CHARACTER.test(schema)) return 'contains a control character';
  return nameProblem(engine ?? SCHEMA_ENGINES[0]!, schema);
}

function tlsModeProblem(mode: string | undefined): string | null {
  if (mode === undefined || mode === '') return null;
  return (TLS_MODES as readonly string[]).includes(mode) ? null : `must be one of ${TLS_MODES.join(', ')}`;
}

/** Problems per setting key for CONNECTOR_PROFILE settings; empty when all are valid. */
export function connectionSettingProblems(settings: Readonly<Record<string, string>>): Record<string, string> {
  const problems: Record<string, string> = {};
  // An unknown engine is reported once, under `engine`; the other names are then checked by their own rules only.
  const engine = engineOf(settings.engine);
  const checks: [string, string | null][] = [
    ['engine', engineProblem(settings.engine)],
    ['host', hostProblem(settings.host)],
    ['port', portProblem(settings.port)],
    ['database', databaseProblem(settings.database, engine)],
    ['schema', schemaProblem(settings.schema, engine)],
    ['tlsMode', tlsModeProblem(settings.tlsMode)],
  ];
  for (const [key, problem] of checks) {
    if (problem) problems[key] = `${key} ${problem}`;
  }
  return problems;
}

/** Keys this connector does not know, for the given scope's settings. */
export function unknownSettingKeys(settings: Readonly<Record<string, string>>): string[] {
  return Object.keys(settings).filter((key) => !KNOWN_KEYS.has(key));
}

/**
 * Reads the connection settings of a data or metadata call. For data calls AppFlow merges the profile's settings
 * with the flow's, so unknown keys are ignored here (they are reported by ValidateConnectorRuntimeSettings).
 */
export function parseConnectionSettings(
  settings: Readonly<Record<string, string>> | null | undefined,
): ConnectionSettings {
  const values = settings ?? {};
  const problems = connectionSettingProblems(values);
  const messages = Object.values(problems);
  if (messages.length > 0) {
    throw new InvalidArgumentError(`connectorRuntimeSettings: ${messages.join('; ')}`);
  }
  const engine = engineOf(values.engine)!;
  return {
    engine,
    host: values.host!.replace(/^\[(.*)\]$/, '$1'),
    port: values.port ? Number(values.port) : DEFAULT_PORTS[engine],
    database: values.database!,
    schema: hasSchemaSetting(engine) ? values.schema || defaultSchemaOf(engine) : null,
    tlsMode: (values.tlsMode || DEFAULT_TLS_MODE) as TlsMode,
  };
}
