/**
 * The connector's runtime settings (scope CONNECTOR_PROFILE): where the database is and how to reach it.
 * AppFlow sends every value as a string. Credentials are not here: they live in the Secrets Manager secret.
 */
import { identifierProblem } from './db/identifiers';
import { InvalidArgumentError } from './errors';
import type { ConnectorRuntimeSetting } from './protocol/codecs';

export const TLS_MODES = ['DISABLED', 'REQUIRED', 'VERIFY_IDENTITY'] as const;
export type TlsMode = (typeof TLS_MODES)[number];

export interface ConnectionSettings {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly tlsMode: TlsMode;
}

export const DEFAULT_PORT = 3306;
export const DEFAULT_TLS_MODE: TlsMode = 'REQUIRED';

/** What DescribeConnectorConfiguration declares; the keys are a public contract (Terraform profile_properties). */
export const RUNTIME_SETTINGS: readonly ConnectorRuntimeSetting[] = [
  {
    key: 'host',
    dataType: 'String',
    required: true,
    label: 'Host',
    description: 'Host name or IP address of the MySQL or MariaDB server, reachable from the connector Lambda.',
    scope: 'CONNECTOR_PROFILE',
    connectorSuppliedValueOptions: null,
  },
  {
    key: 'port',
    dataType: 'Integer',
    required: false,
    label: 'Port',
    description: `TCP port of the server (1-65535). Default ${DEFAULT_PORT}.`,
    scope: 'CONNECTOR_PROFILE',
    connectorSuppliedValueOptions: null,
  },
  {
    key: 'database',
    dataType: 'String',
    required: true,
    label: 'Database',
    description: 'Database (schema) whose tables and views are offered as entities. Other databases are never listed.',
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
      'certificate and host name against the system CAs and the Amazon RDS CA bundle. DISABLED: no encryption.',
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

function databaseProblem(database: string | undefined): string | null {
  if (database === undefined || database === '') return 'is required';
  // Legal in quoted names, but never what someone meant to type into a form.
  if (/[\u0000-\u001f\u007f]/.test(database)) return 'contains a control character';
  return identifierProblem(database);
}

function tlsModeProblem(mode: string | undefined): string | null {
  if (mode === undefined || mode === '') return null;
  return (TLS_MODES as readonly string[]).includes(mode) ? null : `must be one of ${TLS_MODES.join(', ')}`;
}

/** Problems per setting key for CONNECTOR_PROFILE settings; empty when all are valid. */
export function connectionSettingProblems(settings: Readonly<Record<string, string>>): Record<string, string> {
  const problems: Record<string, string> = {};
  const checks: [string, string | null][] = [
    ['host', hostProblem(settings.host)],
    ['port', portProblem(settings.port)],
    ['database', databaseProblem(settings.database)],
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
  return {
    host: values.host!.replace(/^\[(.*)\]$/, '$1'),
    port: values.port ? Number(values.port) : DEFAULT_PORT,
    database: values.database!,
    tlsMode: (values.tlsMode || DEFAULT_TLS_MODE) as TlsMode,
  };
}
