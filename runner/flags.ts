/**
 * The command line: every flag with its description and an example (the --help text is generated from this table),
 * parsed strictly with node's util.parseArgs and checked into RunnerOptions. Which target runs follows from the
 * flags: --function → a deployed Lambda; --host (or DB_HOST) → the local bundle against that database; neither →
 * the demo (a throwaway MariaDB, or PostgreSQL with --engine postgresql, with a seeded schema and a preset flow).
 */
import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  DATABASE_ENGINES,
  type DatabaseEngine,
  DEFAULT_ENGINE,
  DEFAULT_PORTS,
  defaultPortsText,
  defaultSchemaOf,
  hasSchemaSetting,
  orList,
  ENGINES as REGISTRY,
  SCHEMA_ENGINES,
} from '../handler/engines/registry';
import type { WriteOperationType } from '../handler/protocol/codecs';
import { TLS_MODES } from '../handler/settings';
import { DEFAULT_BATCH_SIZE, DEFAULT_INCREMENTAL_LOOKBACK_DAYS, DEFAULT_PAGE_SIZE } from './constants';
import { DEMO_SERVER_VARIABLE, type DemoServer, demoServerFromUrl } from './demo/server';
import { UsageError } from './errors';
import { formatForPath, type OutputFormat, type OutputSpec } from './output';
import { defaultProfilesPath, loadProfile, type ProfileValues } from './profiles';
import { closestFlag } from './suggest';
import { DEFAULT_BUNDLE_PATH } from './transport/bundle';

export const FLAG_GROUPS = {
  flow: 'What to read',
  output: 'Where the rows go',
  write: 'Write-back (WriteData)',
  local: 'Local target: the bundle in this process, against your database',
  profiles: 'Profiles: connection settings kept in a file, so you need not export DB_* for every run',
  deployed: 'Deployed target: a connector Lambda in your AWS account',
  general: 'General',
} as const;

export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** Placeholder for the value in --help. */
  readonly value?: string;
  readonly group: keyof typeof FLAG_GROUPS;
  readonly description: string;
  readonly example: string;
  /** Environment variable read when the flag is absent. */
  readonly env?: string;
  /** Older names of the variable, still read when `env` is unset. */
  readonly envAliases?: readonly string[];
}

export const FLAGS = {
  entity: {
    type: 'string',
    value: 'NAME',
    group: 'flow',
    description:
      'Table or view to read (an entityIdentifier from ListEntities). Without it the runner lists the entities and stops (the demo reads orders).',
    example: '--entity orders',
  },
  fields: {
    type: 'string',
    value: 'A,B',
    group: 'flow',
    description: 'Fields to read (selectedFieldNames), comma-separated. Default: every field of the entity.',
    example: '--fields id,status,total',
  },
  filter: {
    type: 'string',
    value: 'EXPR',
    group: 'flow',
    description:
      "A filter in AppFlow's filter language, sent as filterExpression. Strings in quotes, dates and times bare.",
    example: `--filter "status = 'paid' AND total > 100"`,
  },
  'incremental-field': {
    type: 'string',
    value: 'FIELD',
    group: 'flow',
    description:
      'Read incrementally on this DateTime field (MySQL DATETIME or TIMESTAMP, PostgreSQL timestamp or timestamptz: the ones flagged isTimestampFieldForIncrementalQueries): adds FIELD > SINCE, or FIELD BETWEEN SINCE AND UNTIL.',
    example: '--incremental-field updated_at',
  },
  since: {
    type: 'string',
    value: 'TIME',
    group: 'flow',
    description: `Start of the incremental window, ISO 8601 (UTC unless an offset is given). Default: ${DEFAULT_INCREMENTAL_LOOKBACK_DAYS} days ago, like AppFlow's first incremental run.`,
    example: '--since 2024-03-01T00:00:00Z',
  },
  until: {
    type: 'string',
    value: 'TIME',
    group: 'flow',
    description: 'End of the incremental window (inclusive, BETWEEN). Default: open-ended.',
    example: '--until 2024-04-01',
  },
  limit: {
    type: 'string',
    value: 'N',
    group: 'flow',
    description:
      "Read at most N rows in total: appends LIMIT N to the filter. The filter language's LIMIT needs N >= 10; a smaller N is applied by the runner.",
    example: '--limit 100',
  },
  'page-size': {
    type: 'string',
    value: 'N',
    group: 'flow',
    description: `Rows per QueryData page (maxResults). Default ${DEFAULT_PAGE_SIZE}, as AppFlow.`,
    example: '--page-size 250',
  },
  describe: {
    type: 'boolean',
    group: 'flow',
    description:
      'Show what DescribeEntity answers for --entity — every field with its type, key, nullability, the write operations it takes and whether it can drive incremental reads — and stop without reading.',
    example: '--entity orders --describe',
  },
  preview: {
    type: 'string',
    value: 'N',
    group: 'output',
    description: 'Show the first N rows read in the report. Default 3 in the demo, 0 otherwise.',
    example: '--preview 5',
  },
  out: {
    type: 'string',
    value: 'FILE|-',
    group: 'output',
    description:
      'Write the rows to FILE (.csv → CSV, anything else → JSON Lines), or to stdout with -. Default: rows are counted, not kept.',
    example: '--out orders.jsonl',
  },
  format: {
    type: 'string',
    value: 'jsonl|csv',
    group: 'output',
    description: 'Format of --out when the file name does not say it (stdout is JSON Lines by default).',
    example: '--out - --format csv',
  },
  'write-to': {
    type: 'string',
    value: 'TABLE',
    group: 'write',
    description:
      'Write the rows read into this table with WriteData (a destination flow), batch after batch as pages arrive.',
    example: '--write-to orders_copy',
  },
  'write-operation': {
    type: 'string',
    value: 'OP',
    group: 'write',
    description: 'INSERT (default), UPSERT, UPDATE or DELETE.',
    example: '--write-operation UPSERT',
  },
  'id-fields': {
    type: 'string',
    value: 'A,B',
    group: 'write',
    description:
      "Key fields for UPSERT, UPDATE and DELETE (idFieldNames). Default: the destination's primary key from DescribeEntity.",
    example: '--id-fields id',
  },
  'batch-size': {
    type: 'string',
    value: 'N',
    group: 'write',
    description: `Records per WriteData request. Default ${DEFAULT_BATCH_SIZE}; a batch is also cut before its request reaches 5.5 MB.`,
    example: '--batch-size 200',
  },
  'all-or-none': {
    type: 'boolean',
    group: 'write',
    description:
      'Send allOrNone: true (the connector writes each batch in one transaction) and stop at the first failure.',
    example: '--all-or-none',
  },
  engine: {
    type: 'string',
    value: 'ENGINE',
    group: 'local',
    env: 'DB_ENGINE',
    description:
      `Database engine (runtime setting engine, sent in every mode): ${orList(DATABASE_ENGINES.map((engine) => `${engine} (${engine === DEFAULT_ENGINE ? 'default; ' : ''}${REGISTRY[engine].products.join(', ')})`))}, any case. ` +
      `Also picks the default port, and the demo server (a throwaway ${orList(DATABASE_ENGINES.map((engine) => REGISTRY[engine].local.product))}).`,
    example: `--engine ${REGISTRY[SCHEMA_ENGINES[0]!].name}`,
  },
  schema: {
    type: 'string',
    value: 'NAME',
    group: 'local',
    env: 'DB_SCHEMA',
    description: `${orList(SCHEMA_ENGINES.map((engine) => REGISTRY[engine].label))} only: the schema whose tables and views are the entities (runtime setting schema). Default: the connector's, ${orList(SCHEMA_ENGINES.map((engine) => defaultSchemaOf(engine)!))}. Names are exact.`,
    example: `--engine ${REGISTRY[SCHEMA_ENGINES[0]!].name} --schema sales`,
  },
  host: {
    type: 'string',
    value: 'HOST',
    group: 'local',
    env: 'DB_HOST',
    description: 'Database host (runtime setting host). Also used in deployed mode, as the profile would hold it.',
    example: '--host 127.0.0.1',
  },
  port: {
    type: 'string',
    value: 'PORT',
    group: 'local',
    env: 'DB_PORT',
    description: `Database port (runtime setting port). Default ${defaultPortsText()}.`,
    example: `--port ${DEFAULT_PORTS[DEFAULT_ENGINE]}`,
  },
  database: {
    type: 'string',
    value: 'NAME',
    group: 'local',
    env: 'DB_NAME',
    description: `Database to connect to (runtime setting database). ${DATABASE_ENGINES.map((engine) => (hasSchemaSetting(engine) ? `${engine}: those of --schema in it` : `${engine}: its tables are the entities`)).join('; ')}.`,
    example: '--database shop',
  },
  user: {
    type: 'string',
    value: 'USER',
    group: 'local',
    env: 'DB_USERNAME',
    envAliases: ['DB_USER'],
    description:
      'Database user, served to the bundle from a local Secrets Manager endpoint (secret username). DB_USERNAME is the variable npm run synth reads too; DB_USER is still read.',
    example: '--user appflow_reader',
  },
  password: {
    type: 'string',
    value: 'PASSWORD',
    group: 'local',
    env: 'DB_PASSWORD',
    description:
      'Database password (secret password). Prefer DB_PASSWORD: a flag shows in the process list. Never printed.',
    example: 'DB_PASSWORD=... (or --password ...)',
  },
  'tls-mode': {
    type: 'string',
    value: 'MODE',
    group: 'local',
    env: 'DB_TLS_MODE',
    description:
      'Runtime setting tlsMode: REQUIRED (default), VERIFY_IDENTITY or DISABLED. In the demo, DISABLED logs in as a user the server lets in without TLS.',
    example: '--tls-mode VERIFY_IDENTITY',
  },
  bundle: {
    type: 'string',
    value: 'PATH',
    group: 'local',
    description:
      "The connector bundle to run in-process. Default the project's dist/lambda/index.js (npm start builds it).",
    example: '--bundle dist/lambda/index.js',
  },
  function: {
    type: 'string',
    value: 'NAME|ARN',
    group: 'deployed',
    description:
      'Invoke this deployed connector function with the Lambda Invoke API instead of the local bundle (standard AWS credential chain; AWS_ENDPOINT_URL_LAMBDA is honoured). Needs --secret-arn, --host and --database.',
    example: '--function appflow-mysql-connector',
  },
  'secret-arn': {
    type: 'string',
    value: 'ARN',
    group: 'deployed',
    description: 'The Secrets Manager secret ({"username","password"}) the deployed connector reads.',
    example: '--secret-arn arn:aws:secretsmanager:eu-west-1:123456789012:secret:appflow!123456789012-shop-AbCdEf',
  },
  region: {
    type: 'string',
    value: 'REGION',
    group: 'deployed',
    description: "AWS region of the function. Default: the ARN's region, then AWS_REGION or the profile's.",
    example: '--region eu-west-1',
  },
  profile: {
    type: 'string',
    value: 'NAME',
    group: 'profiles',
    description:
      'Take the connection settings (engine, host, port, database, schema, user, tlsMode; function, secretArn, region) that flags and DB_* variables leave unset from this profile of the profiles file. Precedence: flags, then variables, then the profile.',
    example: '--profile shop --entity orders',
  },
  profiles: {
    type: 'string',
    value: 'FILE',
    group: 'profiles',
    env: 'APPFLOW_RUNNER_PROFILES',
    description:
      'The profiles file (JSON: {"profiles": {"NAME": {"host": "...", "port": 3306, ...}}}). Default ~/.config/appflow-connector/runner-profiles.json.',
    example: '--profiles ./team-profiles.json --profile shop',
  },
  'save-profile': {
    type: 'string',
    value: 'NAME',
    group: 'profiles',
    description:
      'Save the connection settings given by flags and variables as profile NAME (file readable by you only) and stop. The password is left out unless --save-password is given.',
    example: '--host db.internal --database shop --user reader --save-profile shop',
  },
  'save-password': {
    type: 'boolean',
    group: 'profiles',
    description:
      'With --save-profile: store the password too (DB_PASSWORD or --password), in clear text in the profiles file. Prefer DB_PASSWORD at run time.',
    example: '--save-profile shop --save-password',
  },
  quiet: {
    type: 'boolean',
    short: 'q',
    group: 'general',
    description: 'Print nothing but errors and contract violations.',
    example: '--quiet',
  },
  debug: {
    type: 'boolean',
    group: 'general',
    description: "Show stack traces, and the local bundle's own log lines on stderr (LOG_LEVEL=DEBUG).",
    example: '--debug',
  },
  help: {
    type: 'boolean',
    short: 'h',
    group: 'general',
    description: 'Show this help.',
    example: '--help',
  },
} as const satisfies Record<string, FlagSpec>;

export type FlagName = keyof typeof FLAGS;

export { TLS_MODES };
/** The connector's engines and each one's well-known port, as handler/settings.ts states them. */
export const ENGINES = DATABASE_ENGINES;
export type Engine = DatabaseEngine;
export { DEFAULT_PORTS };
export const WRITE_OPERATIONS = ['INSERT', 'UPSERT', 'UPDATE', 'DELETE'] as const;
/** The project's own bundle (what `npm run build` makes), wherever the runner is started from. */
export { DEFAULT_BUNDLE_PATH };

/** The runtime settings of the connection profile (all strings, as AppFlow sends them). */
export interface ProfileSettings {
  readonly engine: Engine;
  /** POSTGRESQL: the schema when --schema names one (null: the connector's default, public). MYSQL: null. */
  readonly schema: string | null;
  readonly host: string;
  readonly port: string;
  readonly database: string;
  readonly tlsMode: string;
}

export type TargetOptions =
  | {
      readonly kind: 'demo';
      readonly bundlePath: string;
      readonly engine: Engine;
      /** An existing server the demo uses instead of starting a throwaway one (DEMO_DATABASE_URL), or null. */
      readonly server: DemoServer | null;
      /** POSTGRESQL: the schema the demo tables are created in and read from (null: public). */
      readonly schema: string | null;
      readonly tlsMode: string;
    }
  | {
      readonly kind: 'local';
      readonly bundlePath: string;
      readonly settings: ProfileSettings;
      readonly user: string;
      readonly password: string;
    }
  | {
      readonly kind: 'deployed';
      readonly functionName: string;
      readonly region: string | undefined;
      readonly secretArn: string;
      readonly settings: ProfileSettings;
    };

export interface WriteOptions {
  readonly table: string;
  readonly operation: WriteOperationType;
  /** Null: the destination's primary key. */
  readonly idFields: readonly string[] | null;
  readonly batchSize: number;
  readonly allOrNone: boolean;
}

export interface IncrementalOptions {
  readonly field: string;
  readonly since: Date;
  readonly until: Date | null;
}

export interface FlowOptions {
  /** Null: list the entities and stop. */
  readonly entity: string | null;
  /** Show the entity's DescribeEntity answer and stop before reading. */
  readonly describe: boolean;
  readonly fields: readonly string[] | null;
  readonly filter: string | null;
  readonly incremental: IncrementalOptions | null;
  readonly limit: number | null;
  readonly pageSize: number;
  readonly write: WriteOptions | null;
  /** Rows shown in the report; null: the default (3 in the demo, 0 otherwise). */
  readonly preview: number | null;
}

/** `--save-profile NAME`: what to write where, instead of running a flow. */
export interface SaveProfile {
  readonly path: string;
  readonly name: string;
  readonly values: ProfileValues;
}

export interface RunnerOptions {
  readonly target: TargetOptions;
  /** Remarks about the command line the user should read (an unset password, a readable profiles file). */
  readonly notes: readonly string[];
  readonly flow: FlowOptions;
  readonly output: OutputSpec | null;
  readonly quiet: boolean;
  readonly debug: boolean;
}

export type CommandLine =
  | { readonly help: true }
  | { readonly help: false; readonly save: SaveProfile; readonly notes: readonly string[] }
  | { readonly help: false; readonly save: null; readonly options: RunnerOptions };

type Values = { [K in FlagName]?: (typeof FLAGS)[K]['type'] extends 'boolean' ? boolean : string };

/** The closest known flag to a mistyped one, if any is close. */
export function suggestFlag(flag: string): string | null {
  return closestFlag(flag, Object.keys(FLAGS));
}

function explainParseError(error: Error & { code?: string }): UsageError {
  const quoted = /'([^']+)'/.exec(error.message)?.[1] ?? '';
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const suggestion = suggestFlag(quoted);
      return new UsageError(`unknown flag ${quoted}${suggestion ? ` (did you mean ${suggestion}?)` : ''}`);
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UsageError(`unexpected argument ${JSON.stringify(quoted)}: every value follows a flag`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const flag = /--[\w-]+/.exec(quoted)?.[0] ?? quoted;
      if (/does not take an argument/.test(error.message)) return new UsageError(`${flag} takes no value`);
      return new UsageError(`${flag} needs a value (e.g. ${exampleOf(flag)})`);
    }
    default:
      return new UsageError(error.message);
  }
}

function exampleOf(flag: string): string {
  const spec = (FLAGS as Record<string, FlagSpec>)[flag.replace(/^-+/, '')];
  return spec?.example ?? flag;
}

function integer(flag: string, value: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | null {
  if (value === undefined) return null;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(
      `--${flag} must be a whole number${max === Number.MAX_SAFE_INTEGER ? ` of at least ${min}` : ` from ${min} to ${max}`}, not ${JSON.stringify(value)}`,
    );
  }
  return Number(value);
}

function list(flag: string, value: string | undefined): string[] | null {
  if (value === undefined) return null;
  const items = value.split(',').map((item) => item.trim());
  if (items.some((item) => item === ''))
    throw new UsageError(`--${flag} is a comma-separated list without empty names`);
  return items;
}

function oneOf<const V extends string>(flag: string, value: string | undefined, allowed: readonly V[]): V | null {
  if (value === undefined) return null;
  const upper = value.toUpperCase();
  if (!(allowed as readonly string[]).includes(upper)) {
    throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}, not ${JSON.stringify(value)}`);
  }
  return upper as V;
}

/** ISO 8601 date or date-time; without an offset it is UTC. */
export function parseInstant(flag: string, value: string): Date {
  const match = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/.exec(
    value.trim(),
  );
  const instant = match ? new Date(`${match[1]}T${match[2] ?? '00:00:00'}${match[3] ?? 'Z'}`) : null;
  if (!instant || Number.isNaN(instant.getTime())) {
    throw new UsageError(
      `--${flag} must be an ISO 8601 date or time such as 2024-03-01 or 2024-03-01T10:00:00Z, not ${JSON.stringify(value)}`,
    );
  }
  return instant;
}

function incrementalOptions(values: Values, now: Date): IncrementalOptions | null {
  const field = values['incremental-field'];
  if (field === undefined) {
    if (values.since !== undefined || values.until !== undefined) {
      throw new UsageError('--since and --until need --incremental-field (the timestamp field they apply to)');
    }
    return null;
  }
  const since =
    values.since !== undefined
      ? parseInstant('since', values.since)
      : new Date(now.getTime() - DEFAULT_INCREMENTAL_LOOKBACK_DAYS * 24 * 3600 * 1000);
  const until = values.until !== undefined ? parseInstant('until', values.until) : null;
  if (until && until.getTime() <= since.getTime()) throw new UsageError('--until must be later than --since');
  return { field, since, until };
}

function writeOptions(values: Values): WriteOptions | null {
  const table = values['write-to'];
  if (table === undefined) {
    for (const flag of ['write-operation', 'id-fields', 'batch-size', 'all-or-none'] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} needs --write-to (the destination table)`);
    }
    return null;
  }
  return {
    table,
    operation: oneOf('write-operation', values['write-operation'], WRITE_OPERATIONS) ?? 'INSERT',
    idFields: list('id-fields', values['id-fields']),
    batchSize: integer('batch-size', values['batch-size'], 1) ?? DEFAULT_BATCH_SIZE,
    allOrNone: values['all-or-none'] ?? false,
  };
}

/**
 * Paths the user types are relative to where the user is: npm runs scripts in the project root but sets INIT_CWD
 * to the directory `npm start` was typed in.
 */
export function userDirectory(env: NodeJS.ProcessEnv): string {
  return env.INIT_CWD || process.cwd();
}

function userPath(path: string, env: NodeJS.ProcessEnv): string {
  return isAbsolute(path) ? path : resolve(userDirectory(env), path);
}

function outputSpec(values: Values, env: NodeJS.ProcessEnv): OutputSpec | null {
  const format = values.format === undefined ? null : values.format.toLowerCase();
  if (format !== null && format !== 'jsonl' && format !== 'csv') {
    throw new UsageError(`--format must be jsonl or csv, not ${JSON.stringify(values.format)}`);
  }
  if (values.out === undefined) {
    if (format !== null) throw new UsageError('--format needs --out (a file, or - for stdout)');
    return null;
  }
  const path = values.out === '-' ? '-' : userPath(values.out, env);
  return { path, format: (format as OutputFormat | null) ?? formatForPath(values.out) };
}

/** The flags whose value may also come from a variable or a profile. */
type SettingFlag = 'engine' | 'schema' | 'host' | 'port' | 'database' | 'user' | 'password' | 'tls-mode';

/** Where each connection setting comes from: the flag, else its variable (or an older name), else the profile. */
function settingsReader(values: Values, env: NodeJS.ProcessEnv, profile: ProfileValues) {
  const variable = (flag: SettingFlag): { name: string; value: string } | undefined => {
    const spec: FlagSpec = FLAGS[flag];
    for (const name of [spec.env, ...(spec.envAliases ?? [])]) {
      if (name !== undefined && env[name] !== undefined && env[name] !== '') return { name, value: env[name] };
    }
    return undefined;
  };
  const setting = (flag: SettingFlag): string | undefined => values[flag] ?? variable(flag)?.value ?? profile[flag];
  return { setting, variable };
}

function demoServer(env: NodeJS.ProcessEnv, engineGiven: Engine | null): { server: DemoServer | null; engine: Engine } {
  const url = env[DEMO_SERVER_VARIABLE];
  if (url === undefined || url === '') return { server: null, engine: engineGiven ?? DEFAULT_ENGINE };
  const server = demoServerFromUrl(url);
  if (engineGiven !== null && engineGiven !== server.engine) {
    throw new UsageError(
      `${DEMO_SERVER_VARIABLE} names a ${REGISTRY[server.engine].protocolLabel} server but --engine/DB_ENGINE is ${engineGiven}: drop --engine, or run with --engine ${REGISTRY[server.engine].name}`,
    );
  }
  return { server, engine: server.engine };
}

function targetOptions(values: Values, env: NodeJS.ProcessEnv, profile: ProfileValues): TargetOptions {
  const { setting } = settingsReader(values, env, profile);
  const host = setting('host');
  const portText = setting('port');
  const database = setting('database');
  const tlsMode = oneOf('tls-mode', setting('tls-mode'), TLS_MODES) ?? 'REQUIRED';
  const engineGiven = oneOf('engine', setting('engine'), ENGINES);
  const engine = engineGiven ?? DEFAULT_ENGINE;
  const schemaText = setting('schema');
  if (schemaText !== undefined && !hasSchemaSetting(engine)) {
    throw new UsageError(
      `--schema/DB_SCHEMA is for ${orList(SCHEMA_ENGINES.map((name) => `--engine ${REGISTRY[name].name}`))}: a ${REGISTRY[engine].label} database has no schemas inside it (name it with --database)`,
    );
  }
  const schema = schemaText ?? null;
  const port = String(integer('port', portText, 1, 65535) ?? DEFAULT_PORTS[engine]);
  const bundlePath = values.bundle === undefined ? DEFAULT_BUNDLE_PATH : userPath(values.bundle, env);
  const functionName = values.function ?? profile.function;

  if (functionName !== undefined) {
    for (const flag of ['user', 'password', 'bundle'] as const) {
      if (values[flag] !== undefined) {
        throw new UsageError(
          `--${flag} is for the local bundle; a deployed connector reads its login from --secret-arn`,
        );
      }
    }
    const secretArn = values['secret-arn'] ?? profile['secret-arn'];
    if (secretArn === undefined) {
      throw new UsageError('--function needs --secret-arn (the secret holding {"username","password"})');
    }
    if (host === undefined || database === undefined) {
      throw new UsageError(
        '--function needs --host and --database (DB_HOST, DB_NAME: the runtime settings of the connection profile)',
      );
    }
    return {
      kind: 'deployed',
      functionName,
      region: values.region ?? profile.region,
      secretArn,
      settings: { engine, schema, host, port, database, tlsMode },
    };
  }
  for (const flag of ['secret-arn', 'region'] as const) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag} is for a deployed connector: add --function`);
  }
  if (host === undefined) {
    const given = (['port', 'database', 'user', 'password'] as const).filter((flag) => setting(flag) !== undefined);
    if (given.length > 0) {
      const names = given.map((flag) => `--${flag}/${FLAGS[flag].env}`).join(', ');
      throw new UsageError(
        `${names} given without --host/DB_HOST: name the database server too (or give none for the demo)`,
      );
    }
    const demo = demoServer(env, engineGiven);
    return { kind: 'demo', bundlePath, engine: demo.engine, server: demo.server, schema, tlsMode };
  }
  const user = setting('user');
  if (database === undefined) throw new UsageError('--host needs --database (or DB_NAME)');
  if (user === undefined) {
    throw new UsageError('--host needs --user (or DB_USERNAME) and the password in DB_PASSWORD');
  }
  return {
    kind: 'local',
    bundlePath,
    settings: { engine, schema, host, port, database, tlsMode },
    user,
    password: setting('password') ?? '',
  };
}

function profileValues(values: Values, path: string): { values: ProfileValues; notes: string[] } {
  if (values.profile === undefined) return { values: {}, notes: [] };
  const loaded = loadProfile(path, values.profile);
  return { values: loaded.values, notes: [...loaded.notes] };
}

/** The connection settings `--save-profile` keeps: what flags and variables give, the password only if asked. */
function profileToSave(values: Values, env: NodeJS.ProcessEnv, path: string, profile: ProfileValues): SaveProfile {
  const name = values['save-profile']!;
  if (name.trim() === '') throw new UsageError('--save-profile needs a profile name');
  const { setting } = settingsReader(values, env, profile);
  const saved: ProfileValues = {};
  for (const flag of ['engine', 'host', 'port', 'database', 'schema', 'user', 'tls-mode'] as const) {
    const value = setting(flag);
    if (value !== undefined) saved[flag] = value;
  }
  if (saved.engine !== undefined) oneOf('engine', saved.engine, ENGINES);
  if (saved['tls-mode'] !== undefined) oneOf('tls-mode', saved['tls-mode'], TLS_MODES);
  if (saved.port !== undefined) integer('port', saved.port, 1, 65535);
  for (const flag of ['function', 'secret-arn', 'region'] as const) {
    const value = values[flag] ?? profile[flag];
    if (value !== undefined) saved[flag] = value;
  }
  if (values['save-password']) {
    const password = setting('password');
    if (password === undefined)
      throw new UsageError('--save-password: give the password in DB_PASSWORD (or --password)');
    saved.password = password;
  }
  if (saved.host === undefined && saved.function === undefined) {
    throw new UsageError('--save-profile: give at least --host (DB_HOST) or --function to save');
  }
  return { path, name, values: saved };
}

/** Parses argv (without node and the script) and the environment; throws UsageError for anything wrong. */
export function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv, now = new Date()): CommandLine {
  let values: Values;
  try {
    const options = Object.fromEntries(
      Object.entries(FLAGS).map(([name, spec]) => [
        name,
        'short' in spec ? { type: spec.type, short: spec.short } : { type: spec.type },
      ]),
    );
    values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values as Values;
  } catch (error) {
    throw explainParseError(error as Error & { code?: string });
  }
  if (values.help) return { help: true };
  const profilesPath = userPath(values.profiles ?? defaultProfilesPath(env), env);
  const profile = profileValues(values, profilesPath);
  if (values['save-password'] && values['save-profile'] === undefined) {
    throw new UsageError('--save-password needs --save-profile NAME');
  }
  if (values['save-profile'] !== undefined) {
    return { help: false, save: profileToSave(values, env, profilesPath, profile.values), notes: profile.notes };
  }
  const target = targetOptions(values, env, profile.values);
  const notes = [...profile.notes];
  if (target.kind === 'local' && settingsReader(values, env, profile.values).setting('password') === undefined) {
    notes.push('no password given (DB_PASSWORD is unset): the login is tried without one');
  }
  const limit = integer('limit', values.limit, 1);
  const flow: FlowOptions = {
    entity: values.entity ?? null,
    describe: values.describe ?? false,
    fields: list('fields', values.fields),
    filter: values.filter === undefined || values.filter.trim() === '' ? null : values.filter,
    incremental: incrementalOptions(values, now),
    limit,
    pageSize: integer('page-size', values['page-size'], 1) ?? DEFAULT_PAGE_SIZE,
    write: writeOptions(values),
    preview: integer('preview', values.preview, 0),
  };
  if (flow.describe && flow.entity === null && target.kind !== 'demo') {
    throw new UsageError('--describe needs --entity (the table to describe)');
  }
  if (flow.describe) {
    const reading = (['out', 'write-to', 'fields', 'filter', 'incremental-field', 'limit'] as const).filter(
      (flag) => values[flag] !== undefined,
    );
    if (reading.length > 0) {
      throw new UsageError(
        `--describe reads nothing, so ${reading.map((flag) => `--${flag}`).join(', ')} would do nothing: drop it`,
      );
    }
  }
  if (flow.entity === null && target.kind !== 'demo') {
    const needEntity = (['fields', 'filter', 'incremental-field', 'limit', 'write-to', 'out'] as const).filter(
      (flag) => values[flag] !== undefined,
    );
    if (needEntity.length > 0) {
      const names = needEntity.map((flag) => `--${flag}`).join(', ');
      throw new UsageError(`${names} ${needEntity.length === 1 ? 'needs' : 'need'} --entity (the table to read)`);
    }
  }
  return {
    help: false,
    save: null,
    options: {
      target,
      notes,
      flow,
      output: outputSpec(values, env),
      quiet: values.quiet ?? false,
      debug: values.debug ?? false,
    },
  };
}
