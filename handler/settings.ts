/**
 * The connector's runtime settings (scope CONNECTOR_PROFILE): which database engine, where the database is and how
 * to reach it. AppFlow sends every value as a string. Credentials are not here: they live in the Secrets Manager
 * secret.
 */
import { identifierProblem } from './engines/mysql/identifiers';
import { InvalidArgumentError } from './errors';
import type { ConnectorRuntimeSetting } from './protocol/codecs';

export const TLS_MODES = ['DISABLED', 'REQUIRED', 'VERIFY_IDENTITY'] as const;
export type TlsMode = (typeof TLS_MODES)[number];

/**
 * Database engines (runtime setting `engine`, matched without regard to case). MYSQL: MySQL, MariaDB and Aurora
 * MySQL. POSTGRESQL: PostgreSQL and Aurora PostgreSQL. modules/constants.ts mirrors this list.
 */
export const DATABASE_ENGINES = ['MYSQL', 'POSTGRESQL'] as const;
export type DatabaseEngine = (typeof DATABASE_ENGINES)[number];

export interface ConnectionSettings {
  readonly engine: DatabaseEngine;
  readonly host: string;
  readonly port: number;
  readonly database: string;
  /** POSTGRESQL: the schema whose tables and views are the entities (default `public`). MYSQL: always null. */
  readonly schema: string | null;
  readonly tlsMode: TlsMode;
}

export const DEFAULT_ENGINE: DatabaseEngine = 'MYSQL';
/** Each engine's well-known port, used when the profile gives none. */
export const DEFAULT_PORTS: Readonly<Record<DatabaseEngine, number>> = { MYSQL: 3306, POSTGRESQL: 5432 };
/** The schema a PostgreSQL profile reads when it names none: where CREATE TABLE puts tables by default. */
export const DEFAULT_SCHEMA = 'public';
export const DEFAULT_TLS_MODE: TlsMode = 'REQUIRED';
/** PostgreSQL cuts longer identifiers to NAMEDATALEN - 1 bytes, so a longer schema name can never match. */
const POSTGRESQL_IDENTIFIER_MAX_BYTES = 63;

/** What DescribeConnectorConfiguration declares; the keys are a public contract (Terraform profile_properties). */
export const RUNTIME_SETTINGS: readonly ConnectorRuntimeSetting[] = [
  {
    key: 'engine',
    dataType: 'String',
    required: false,
    label: 'Database engine',
    description:
      `${DEFAULT_ENGINE} (default): MySQL, MariaDB or Aurora MySQL. POSTGRESQL: PostgreSQL or Aurora PostgreSQL. ` +
      'Matched without regard to case.',
    scope: 'CONNECTOR_PROFILE',
    connectorSuppliedValueOptions: [...DATABASE_ENGINES],
  },
  {
    key: 'host',
    dataType: 'String',
    required: true,
    label: 'Host',
    description: 'Host name or IP address of the database server, reachable from the connector Lambda.',
    scope: 'CONNECTOR_PROFILE',
    connectorSuppliedValueOptions: null,
  },
  {
    key: 'port',
    dataType: 'Integer',
    required: false,
    label: 'Port',
    description:
      `TCP port of the server (1-65535). Default ${DEFAULT_PORTS.MYSQL} for MYSQL, ` +
      `${DEFAULT_PORTS.POSTGRESQL} for POSTGRESQL.`,
    scope: 'CONNECTOR_PROFILE',
    connectorSuppliedValueOptions: null,
  },
  {
    key: 'database',
    dataType: 'String',
    required: true,
    label: 'Database',
    description:
      'Database to connect to. MYSQL: its tables and views are the entities. POSTGRESQL: the entities are those of ' +
      'its schema `schema`. Other databases are never listed.',
    scope: 'CONNECTOR_PROFILE',
    connectorSuppliedValueOptions: null,
  },
  {
    key: 'schema',
    dataType: 'String',
    required: false,
    label: 'Schema (PostgreSQL)',
    description:
      `POSTGRESQL only (default ${DEFAULT_SCHEMA}): the schema whose tables and views are the entities; nothing of ` +
      'another schema is listed or read. Names are exact: Employees is not employees. Leave empty for MYSQL.',
    scope: 'CONNECTOR_PROFILE',
    connectorSuppliedValueOptions: null,
  },
  {
    key: 'tlsMode',
    dataType: 'String',
    required: false,
    label: 'TLS mode',
    description:
      'REQUIRED (default): encrypt, do not verify the certificate. VERIFY_IDENTITY: encrypt and verify the server ' +
      'certificate and host name against the system CAs, the Amazon RDS CA bundle and a CA named by the ' +
      "Lambda's NODE_EXTRA_CA_CERTS. DISABLED: no encryption.",
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
  const upper = engine.toUpperCase();
  return DATABASE_ENGINES.find((known) => known === upper) ?? null;
}

function engineProblem(engine: string | undefined): string | null {
  return engineOf(engine) === null ? `must be one of ${DATABASE_ENGINES.join(', ')}` : null;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why `name` cannot be a PostgreSQL database or schema name, or null when it can be one: 1 to 63 bytes of UTF-8,
 * any character but NUL (PostgreSQL cuts longer names, so they never match the name the server keeps).
 */
function postgresqlIdentifierProblem(name: string): string | null {
  if (name.length === 0) return 'is empty';
  if (name.includes('\u0000')) return 'contains a NUL character';
  // A lone UTF-16 surrogate has no UTF-8 form: the server would receive a different name.
  if (LONE_SURROGATE.test(name)) return 'contains a lone UTF-16 surrogate';
  if (Buffer.byteLength(name, 'utf8') > POSTGRESQL_IDENTIFIER_MAX_BYTES) {
    return `is longer than ${POSTGRESQL_IDENTIFIER_MAX_BYTES} bytes (PostgreSQL would cut it)`;
  }
  return null;
}

// Legal in quoted names, but never what someone meant to type into a form.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

function databaseProblem(database: string | undefined, engine: DatabaseEngine | null): string | null {
  if (database === undefined || database === '') return 'is required';
  if (CONTROL_CHARACTER.test(database)) return 'contains a control character';
  return engine === 'POSTGRESQL' ? postgresqlIdentifierProblem(database) : identifierProblem(database);
}

function schemaProblem(schema: string | undefined, engine: DatabaseEngine | null): string | null {
  if (schema === undefined || schema === '') return null;
  if (engine === 'MYSQL') {
    return 'is for engine POSTGRESQL only: a MySQL database has no schemas inside it (name it as database instead)';
  }
  if (CONTROL_CHARACTER.test(schema)) return 'contains a control character';
  return postgresqlIdentifierProblem(schema);
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
    schema: engine === 'POSTGRESQL' ? values.schema || DEFAULT_SCHEMA : null,
    tlsMode: (values.tlsMode || DEFAULT_TLS_MODE) as TlsMode,
  };
}
