/**
 * The registry of engines: every fact about an engine that code outside its folder needs, as plain data. Settings
 * validation, the construct and the Terraform module, the runner, the local servers, the benchmark and the fuzzer
 * read engines from here, so adding an engine is its folder (handler/engines/<name>/) and one entry below.
 *
 * This file imports nothing: the construct and settings validation load it without loading a driver. The Engine
 * implementations themselves are chosen in handler/engines/index.ts.
 */

/** What a database name (or a schema name) may be on an engine's server. */
export interface NameRules {
  /** The longest name the server keeps, in `unit`s. */
  readonly maxLength: number;
  /** `characters`: UTF-16 code units of the Basic Multilingual Plane; `bytes`: bytes of UTF-8. */
  readonly unit: 'characters' | 'bytes';
  /** Names are stored in a character set without characters outside the Basic Multilingual Plane (utf8mb3). */
  readonly bmpOnly: boolean;
  /** The server refuses a name that ends with a space. */
  readonly noTrailingSpace: boolean;
}

/**
 * The entities' namespace inside the connection: the database itself (MySQL), or a schema of it named by the
 * runtime setting `schema` (PostgreSQL), with the schema read when the profile names none.
 */
export type NamespaceSetting =
  | { readonly setting: 'database' }
  | { readonly setting: 'schema'; readonly default: string };

/** The throwaway server of tests, runner demo and benchmark (local/), and how a user names one of their own. */
export interface LocalServerFacts {
  /** The server product local/ starts: what messages call it. */
  readonly product: string;
  /** The variable naming an existing server the tests (and the demo) use instead of a throwaway one. */
  readonly urlVariable: string;
  /** URL schemes (with the colon, as URL.protocol gives them) that name a server of this engine. */
  readonly urlSchemes: readonly string[];
  /** An admin URL as the user would write it. */
  readonly urlExample: string;
  /** The database an admin URL without a path connects to (null: none, the server needs none). */
  readonly adminDatabase: string | null;
  /** Debian's package with the server binaries, and the script that installs it (scripts/). */
  readonly debianPackage: string;
  readonly ensureScript: string;
}

export interface EngineEntry {
  /** The engine's folder under handler/engines/ and its `Engine.name`; also its lower-case spelling in flags. */
  readonly name: string;
  /** The engine's name in messages. */
  readonly label: string;
  /** Its name where the protocol, not the product, is meant (the runner's wrong-engine message). */
  readonly protocolLabel: string;
  /** The products the engine serves, for the settings' descriptions. */
  readonly products: readonly string[];
  /** The well-known port, used when the profile gives none. */
  readonly defaultPort: number;
  /** What the runtime setting `database` (and `schema`, when it has one) may be. */
  readonly names: NameRules;
  readonly namespace: NamespaceSetting;
  /** The registered connector's description (the AppFlow console shows it beside the label). */
  readonly connectorDescription: string;
  /** The label the CDKTF app registers the connector under when CONNECTOR_LABEL is unset. */
  readonly connectorLabel: string;
  readonly local: LocalServerFacts;
}

/** The engines, by the runtime setting `engine`'s value (matched without regard to case). The first is the default. */
export const ENGINES = {
  MYSQL: {
    name: 'mysql',
    label: 'MySQL',
    protocolLabel: 'MySQL/MariaDB',
    products: ['MySQL', 'MariaDB', 'Aurora MySQL'],
    defaultPort: 3306,
    // https://mariadb.com/kb/en/identifier-names/ and MySQL 8.0 manual, 11.2.1 "Identifier Length Limits".
    names: { maxLength: 64, unit: 'characters', bmpOnly: true, noTrailingSpace: true },
    namespace: { setting: 'database' },
    connectorDescription: 'Amazon AppFlow custom connector for MySQL and MariaDB',
    // What every MYSQL deployment so far was registered under.
    connectorLabel: 'MySqlConnector',
    local: {
      product: 'MariaDB',
      urlVariable: 'TEST_MYSQL_URL',
      urlSchemes: ['mysql:', 'mariadb:'],
      urlExample: 'mysql://admin:password@host:3306',
      adminDatabase: null,
      debianPackage: 'mariadb-server',
      ensureScript: 'ensure-mariadb.sh',
    },
  },
  POSTGRESQL: {
    name: 'postgresql',
    label: 'PostgreSQL',
    protocolLabel: 'PostgreSQL',
    products: ['PostgreSQL', 'Aurora PostgreSQL'],
    defaultPort: 5432,
    // PostgreSQL cuts longer identifiers to NAMEDATALEN - 1 bytes, so a longer name can never match.
    names: { maxLength: 63, unit: 'bytes', bmpOnly: false, noTrailingSpace: false },
    // Where CREATE TABLE puts tables by default.
    namespace: { setting: 'schema', default: 'public' },
    connectorDescription: 'Amazon AppFlow custom connector for PostgreSQL',
    connectorLabel: 'PostgreSqlConnector',
    local: {
      product: 'PostgreSQL',
      urlVariable: 'TEST_POSTGRES_URL',
      urlSchemes: ['postgresql:', 'postgres:'],
      urlExample: 'postgresql://admin:password@host:5432/postgres',
      adminDatabase: 'postgres',
      debianPackage: 'postgresql',
      ensureScript: 'ensure-postgresql.sh',
    },
  },
} as const satisfies Readonly<Record<string, EngineEntry>>;

/** The runtime setting `engine`'s values. */
export type DatabaseEngine = keyof typeof ENGINES;
/** The engines' folder names, `Engine.name`. */
export type EngineName = (typeof ENGINES)[DatabaseEngine]['name'];

/** Every engine, in the registry's order (the order AppFlow's choice list shows). */
export const DATABASE_ENGINES = Object.keys(ENGINES) as readonly DatabaseEngine[] as readonly [
  DatabaseEngine,
  ...DatabaseEngine[],
];
/** The engine of a profile that names none (MYSQL, as before the setting existed). */
export const DEFAULT_ENGINE: DatabaseEngine = DATABASE_ENGINES[0];
/** Each engine's well-known port, used when the profile gives none. */
export const DEFAULT_PORTS = Object.fromEntries(
  DATABASE_ENGINES.map((engine) => [engine, ENGINES[engine].defaultPort]),
) as Readonly<Record<DatabaseEngine, number>>;
/** The engines' names (folders, `Engine.name`), in the registry's order. */
export const ENGINE_NAMES = DATABASE_ENGINES.map((engine) => ENGINES[engine].name) as readonly EngineName[];

export function engineEntry(engine: DatabaseEngine): EngineEntry {
  return ENGINES[engine];
}

/** The registry key of an engine's folder name (`postgresql` → `POSTGRESQL`). */
export function engineOfName(name: EngineName): DatabaseEngine {
  return DATABASE_ENGINES.find((engine) => ENGINES[engine].name === name)!;
}

/** The engine named by `text` in any case (`postgresql`, `PostgreSQL`), or undefined. */
export function engineNamed(text: string): DatabaseEngine | undefined {
  const upper = text.toUpperCase();
  return DATABASE_ENGINES.find((engine) => engine === upper);
}

/** The engines whose entities are those of a schema named by the runtime setting `schema`. */
export const SCHEMA_ENGINES = DATABASE_ENGINES.filter((engine) => ENGINES[engine].namespace.setting === 'schema');

/** The engines whose entities are those of the database itself (a schema is refused). */
export const NO_SCHEMA_ENGINES = DATABASE_ENGINES.filter((engine) => ENGINES[engine].namespace.setting !== 'schema');

/** Whether `engine` reads a schema named by the setting `schema` (else `schema` is refused). */
export function hasSchemaSetting(engine: DatabaseEngine): boolean {
  return ENGINES[engine].namespace.setting === 'schema';
}

/** The schema an engine reads when the profile names none, or null for an engine without schemas. */
export function defaultSchemaOf(engine: DatabaseEngine): string | null {
  const namespace: NamespaceSetting = ENGINES[engine].namespace;
  return namespace.setting === 'schema' ? namespace.default : null;
}

/** `a`, `a or b`, `a, b or c`. */
export function orList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/** `3306 for MYSQL, 5432 for POSTGRESQL`: each engine's default port, for descriptions. */
export function defaultPortsText(): string {
  return DATABASE_ENGINES.map((engine) => `${ENGINES[engine].defaultPort} for ${engine}`).join(', ');
}

/** `MYSQL (MySQL, MariaDB, Aurora MySQL) or POSTGRESQL (PostgreSQL, Aurora PostgreSQL)`, for descriptions. */
export function enginesText(): string {
  return orList(DATABASE_ENGINES.map((engine) => `${engine} (${ENGINES[engine].products.join(', ')})`));
}

/**
 * Why `name` cannot be a database or schema name of `engine`, or null when it can be one. The checks in order: empty,
 * characters the server cannot keep, length, NUL, a trailing space.
 */
export function nameProblem(engine: DatabaseEngine, name: string): string | null {
  const { label, names } = ENGINES[engine] as EngineEntry;
  if (name.length === 0) return 'is empty';
  if (names.bmpOnly && /[\uD800-\uDFFF]/.test(name)) {
    return `contains a character ${label} does not allow in names (outside the Basic Multilingual Plane)`;
  }
  // A lone UTF-16 surrogate has no UTF-8 form: the server would receive a different name.
  if (LONE_SURROGATE.test(name)) return 'contains a lone UTF-16 surrogate';
  if (names.unit === 'characters' && name.length > names.maxLength) {
    return `is longer than ${names.maxLength} characters`;
  }
  if (names.unit === 'bytes' && Buffer.byteLength(name, 'utf8') > names.maxLength) {
    return `is longer than ${names.maxLength} bytes (${label} would cut it)`;
  }
  if (name.includes('\u0000')) return 'contains a NUL character';
  if (names.noTrailingSpace && name.endsWith(' ')) return 'ends with a space';
  return null;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
