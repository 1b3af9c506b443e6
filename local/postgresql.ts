/**
 * A throwaway PostgreSQL server for the tests (and later the local runner): `postgres` from Debian's `postgresql`
 * package, on a free loopback port, with a temporary directory holding the data, the unix socket, the log and a CA
 * plus server certificate generated for the run. It is stopped by pid and removed when the test process ends.
 *
 * The server is set up so that the mistakes a connector can make show:
 * - its time zone is `Etc/GMT-3` (UTC+03:00), so a session that is not set to UTC gives shifted timestamps;
 * - pg_hba.conf accepts every database user only over TLS (`hostssl … scram-sha-256`), except members of the role
 *   `appflow_plain` (`host`), which `createDatabase` makes the second user of each database, for TLS-mode tests;
 * - the users' passwords contain `&`, `#`, both quotes and a backslash.
 *
 * `initdb` and `postgres` refuse to run as root. When this process is root (sessions and CI are), the server runs as
 * the system user `appflowtest`, created once (useradd --system) if it is missing, and owns the temporary directory.
 *
 * The `pg` client is not a dependency yet: setup SQL goes through the `psql` client (postgresql-client), with
 * connection settings and passwords in its environment and values as psql variables (`\getenv`), never in a shell
 * command line or spliced into SQL text.
 *
 * Set `TEST_POSTGRES_URL=postgresql://admin:password@host:port/database` to use an existing server instead: the
 * helper then only creates (and drops) uniquely named databases and users on it. The admin account needs CREATEDB
 * and CREATEROLE. TLS enforcement for the first user then depends on that server's pg_hba.conf.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGINES } from '../handler/engines/registry';
import { certificateNamesLoopback, generateCertificates, type ServerTlsOptions } from './certificates';
import { freeLoopbackPort } from './ports';
import { registerTestSecret } from './secretRegistry';

/** The unprivileged system user the server runs as when this process is root. */
export const SERVER_SYSTEM_USER = 'appflowtest';
/** The server's time zone: UTC+03:00 (the POSIX sign is inverted in Etc/GMT names). */
export const SERVER_TIME_ZONE = 'Etc/GMT-3';
/** Database users in this role may connect without TLS; every other database user must use TLS. */
const PLAIN_ROLE = 'appflow_plain';
const ADMIN_USER = 'appflow_admin';
const LOOPBACK = '127.0.0.1';

export type SslMode = 'disable' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';

/** Everything `psql` needs to reach a database as one user. */
export interface PsqlConnection {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** libpq's sslmode; default `prefer`. */
  readonly sslmode?: SslMode;
  /** A CA file for `verify-ca` / `verify-full`. */
  readonly sslrootcert?: string;
}

export interface PostgreSqlDatabase {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  /** Owns the database; may connect only over TLS (on the throwaway server). */
  readonly user: string;
  /** Contains `&`, `#`, a single and a double quote and a backslash. */
  readonly password: string;
  /** A member of `user` (so it reaches the same tables) that may connect without TLS. */
  readonly plainUser: string;
  readonly plainPassword: string;
  /** Runs SQL as `user` over TLS (verified against the run's CA when there is one); see `runPsql`. */
  query(sql: string, variables?: Readonly<Record<string, string>>): Promise<string[][]>;
}

export interface PostgreSqlServer {
  readonly host: string;
  readonly port: number;
  /** The admin (superuser on the throwaway server) on the `postgres` database. */
  readonly admin: PsqlConnection;
  /** PEM of the CA that signed the server certificate (null for an external server or one without TLS). */
  readonly caPem: string | null;
  /** The same CA as a file, for libpq's sslrootcert (null for an external server or one without TLS). */
  readonly caFile: string | null;
  /** The temporary directory with data, socket, log and certificates (null for an external server). */
  readonly directory: string | null;
  /** The postmaster's process id (null for an external server or while stopped). */
  readonly pid: number | null;
  /** Runs SQL as the admin; see `runPsql`. */
  adminQuery(sql: string, variables?: Readonly<Record<string, string>>): Promise<string[][]>;
  /** Creates a database owned by a new TLS-only user, plus a second user allowed without TLS. */
  createDatabase(options?: { prefix?: string }): Promise<PostgreSqlDatabase>;
  /**
   * Stops the server keeping its data: `clean` is PostgreSQL's fast shutdown (SIGINT), `immediate` its immediate
   * shutdown (SIGQUIT, recovery at the next start), `crash` kills the postmaster and every backend (SIGKILL).
   */
  shutdown(mode?: 'clean' | 'immediate' | 'crash'): Promise<void>;
  /** Starts a stopped server again on the same port with the same data. */
  start(): Promise<void>;
  /** shutdown(mode) then start(). */
  restart(mode?: 'clean' | 'immediate' | 'crash'): Promise<void>;
  /** Stops the server and removes its directory (external server: drops what this helper created). */
  stop(): Promise<void>;
}

/** A psql run that failed; `message` is psql's own error output (it never contains the password). */
export class PsqlError extends Error {
  readonly exitCode: number | null;
  constructor(message: string, exitCode: number | null) {
    super(message);
    this.name = 'PsqlError';
    this.exitCode = exitCode;
  }
}

/** Characters that must survive every layer untouched: `&`, `#`, both quotes and a backslash. */
/**
 * node-postgres's `ssl` option for a client of `server`: verified against the run's CA on the throwaway server (its
 * certificate names localhost), TLS without verification on a server of the user's (no CA known here).
 */
export function nodePostgresTls(
  server: Pick<PostgreSqlServer, 'caPem'>,
): { readonly ca: string; readonly servername: string } | { readonly rejectUnauthorized: false } {
  return server.caPem ? { ca: server.caPem, servername: 'localhost' } : { rejectUnauthorized: false };
}

export function awkwardPostgresPassword(): string {
  const password = `p&ss#w'rd"\\${randomBytes(6).toString('hex')}`;
  registerTestSecret(password);
  return password;
}

/** `"name"` with any `"` doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** An environment without the caller's PG* settings, so nothing but `connection` decides where psql goes. */
function psqlEnvironment(connection: PsqlConnection): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('PG')) env[key] = value;
  }
  return {
    ...env,
    PGHOST: connection.host,
    PGPORT: String(connection.port),
    PGUSER: connection.user,
    PGPASSWORD: connection.password,
    PGDATABASE: connection.database,
    PGSSLMODE: connection.sslmode ?? 'prefer',
    ...(connection.sslrootcert ? { PGSSLROOTCERT: connection.sslrootcert } : {}),
    PGCONNECT_TIMEOUT: '5',
    PGPASSFILE: '/dev/null',
    PGAPPNAME: 'appflow-test-setup',
  };
}

/**
 * Runs SQL (several statements allowed) through `psql` and returns the rows all its statements print, one after
 * the other, each a list of column texts (NULL reads as '', like the empty string). `variables` become psql variables: write `:'name'` for a quoted literal and
 * `:"name"` for a quoted identifier; their values travel in psql's environment, not on its command line. Errors are
 * reported tersely (no statement text, so no interpolated value, in the message).
 */
export async function runPsql(
  connection: PsqlConnection,
  sql: string,
  variables: Readonly<Record<string, string>> = {},
): Promise<string[][]> {
  const env = psqlEnvironment(connection);
  let script = '';
  for (const [name, value] of Object.entries(variables)) {
    if (!VARIABLE_NAME.test(name)) throw new Error(`not a psql variable name: ${name}`);
    env[`APPFLOW_PSQL_${name}`] = value;
    script += `\\getenv ${name} APPFLOW_PSQL_${name}\n`;
  }
  script += `${sql}\n`;
  const args = [
    '--no-psqlrc',
    '--no-password',
    '--quiet',
    // CSV quotes values that hold separators, quotes or newlines, so every row reads back exactly.
    '--csv',
    '--tuples-only',
    '--set=ON_ERROR_STOP=1',
    '--set=VERBOSITY=terse',
  ];
  const child = spawn(psqlBinary(), args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const closed = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  child.stdin.on('error', () => {
    // psql may exit (e.g. refused connection) before reading its input; the exit code tells.
  });
  child.stdin.end(script);
  const code = await closed;
  if (code !== 0) {
    throw new PsqlError(Buffer.concat(stderr).toString('utf8').trim() || `psql exited with ${code}`, code);
  }
  return parseCsv(Buffer.concat(stdout).toString('utf8'));
}

/** psql's CSV output (RFC 4180: fields quoted with `"` when needed, `""` inside): rows of fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field.length > 0 || row.length > 0) rows.push([...row, field]);
  return rows;
}

function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((entry) => /^\d+$/.test(entry) && existsSync(join(root, entry, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0]) return join(root, versions[0], 'bin');
  throw new Error(
    "PostgreSQL's server was not found in /usr/lib/postgresql/*/bin. Install Debian's postgresql " +
      '(bash scripts/ensure-postgresql.sh) or set TEST_POSTGRES_URL to an existing server.',
  );
}

function psqlBinary(): string {
  for (const candidate of ['/usr/bin/psql', '/usr/local/bin/psql']) {
    if (existsSync(candidate)) return candidate;
  }
  return 'psql';
}

interface Account {
  readonly uid: number;
  readonly gid: number;
}

function lookupAccount(name: string): Account | null {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8', stdio: 'pipe' }).trim());
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8', stdio: 'pipe' }).trim());
    return { uid, gid };
  } catch {
    return null;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** As root: the account the server runs as, created once if missing. Otherwise null (run as ourselves). */
async function serverAccount(): Promise<Account | null> {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  let lastError: unknown;
  for (let attempt = 0; attempt < 30; attempt++) {
    const account = lookupAccount(SERVER_SYSTEM_USER);
    if (account) return account;
    try {
      execFileSync(
        'useradd',
        [
          '--system',
          '--no-create-home',
          '--home-dir',
          '/nonexistent',
          '--shell',
          '/usr/sbin/nologin',
          SERVER_SYSTEM_USER,
        ],
        { stdio: 'pipe' },
      );
    } catch (error) {
      // Another test file may be creating the same user right now (the passwd lock is taken): look again.
      lastError = error;
      await sleep(100);
    }
  }
  throw new Error(`could not create the system user ${SERVER_SYSTEM_USER}: ${String(lastError)}`);
}

function makeServerHandle(
  admin: PsqlConnection,
  ca: { pem: string; file: string; namesLoopback?: boolean } | null,
  lifecycle: {
    directory: string;
    pid(): number | null;
    shutdown(mode: 'clean' | 'immediate' | 'crash'): Promise<void>;
    start(): Promise<void>;
    stop(): Promise<void>;
  } | null,
): PostgreSqlServer {
  const adminQuery = (sql: string, variables?: Readonly<Record<string, string>>) => runPsql(admin, sql, variables);
  const createdDatabases: string[] = [];
  const createdUsers: string[] = [];

  const createDatabase = async (options?: { prefix?: string }): Promise<PostgreSqlDatabase> => {
    const prefix = options?.prefix ?? 'appflow';
    if (!/^[a-z][a-z0-9_]{0,40}$/.test(prefix)) throw new Error(`database prefix must be a lower-case word: ${prefix}`);
    const suffix = randomBytes(4).toString('hex');
    const database = `${prefix}_${suffix}`;
    const user = `u_${suffix}`;
    const plainUser = `plain_${suffix}`;
    const password = awkwardPostgresPassword();
    const plainPassword = awkwardPostgresPassword();
    createdUsers.push(plainUser, user);
    // The plain user is a member of the owner, so it reaches the owner's tables; on the throwaway server it is
    // also a member of PLAIN_ROLE, which pg_hba.conf lets in without TLS. Other databases' users may not connect
    // (PostgreSQL lets PUBLIC connect to every database by default).
    const plainRoleGrant = lifecycle ? `GRANT ${PLAIN_ROLE} TO :"plain_user";` : '';
    await adminQuery(
      `CREATE ROLE :"user" LOGIN PASSWORD :'password';
       CREATE ROLE :"plain_user" LOGIN PASSWORD :'plain_password' IN ROLE :"user";
       ${plainRoleGrant}
       CREATE DATABASE :"database" OWNER :"user" ENCODING 'UTF8' TEMPLATE template0;
       REVOKE CONNECT, TEMPORARY ON DATABASE :"database" FROM PUBLIC;`,
      { user, plain_user: plainUser, password, plain_password: plainPassword, database },
    );
    createdDatabases.push(database);
    const connection: PsqlConnection = {
      host: admin.host,
      port: admin.port,
      user,
      password,
      database,
      ...clientTls(admin, ca),
    };
    return {
      host: admin.host,
      port: admin.port,
      database,
      user,
      password,
      plainUser,
      plainPassword,
      query: (sql, variables) => runPsql(connection, sql, variables),
    };
  };

  return {
    host: admin.host,
    port: admin.port,
    admin,
    caPem: ca?.pem ?? null,
    caFile: ca?.file ?? null,
    directory: lifecycle?.directory ?? null,
    get pid() {
      return lifecycle ? lifecycle.pid() : null;
    },
    adminQuery,
    createDatabase,
    async shutdown(mode = 'clean') {
      if (!lifecycle) throw new Error('an external server (TEST_POSTGRES_URL) cannot be stopped by the tests');
      await lifecycle.shutdown(mode);
    },
    async start() {
      if (!lifecycle) throw new Error('an external server (TEST_POSTGRES_URL) cannot be started by the tests');
      await lifecycle.start();
    },
    async restart(mode = 'clean') {
      if (!lifecycle) throw new Error('an external server (TEST_POSTGRES_URL) cannot be restarted by the tests');
      await lifecycle.shutdown(mode);
      await lifecycle.start();
    },
    async stop() {
      if (lifecycle) {
        await lifecycle.stop();
        return;
      }
      // External server: remove only what this helper created.
      for (const database of createdDatabases) {
        await adminQuery('DROP DATABASE IF EXISTS :"database" WITH (FORCE)', { database });
      }
      for (const user of createdUsers) await adminQuery('DROP ROLE IF EXISTS :"user"', { user });
    },
  };
}

/** The process ids whose parent is `parent` (Linux /proc). */
function childProcesses(parent: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    if (processStatus(Number(entry))?.parent === parent) children.push(Number(entry));
  }
  return children;
}

/** True while the process exists and has not exited (a zombie, state Z or X, has released its memory). */
function isRunningProcess(pid: number): boolean {
  const status = processStatus(pid);
  return status !== null && status.state !== 'Z' && status.state !== 'X';
}

/** State and parent from /proc/PID/stat; the command name may hold spaces and parentheses, so read after the last ')'. */
function processStatus(pid: number): { state: string; parent: number } | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const [state, parent] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return state === undefined || parent === undefined ? null : { state, parent: Number(parent) };
}

/**
 * How the helper's own psql connections use TLS: verified against the run's CA when its certificate names the
 * loopback address, encrypted only when it names something else (on purpose), none when the server offers none.
 */
function clientTls(
  admin: PsqlConnection,
  ca: { file: string; namesLoopback?: boolean } | null,
): Pick<PsqlConnection, 'sslmode' | 'sslrootcert'> {
  if (admin.sslmode === 'disable') return { sslmode: 'disable' };
  if (ca && ca.namesLoopback !== false) return { sslmode: 'verify-full', sslrootcert: ca.file };
  return { sslmode: 'require' };
}

/** Wraps an existing server named by a `postgresql://admin:password@host:port/database?sslmode=…` URL. */
export function externalPostgreSql(url: string): PostgreSqlServer {
  const parsed = new URL(url);
  const sslmode = parsed.searchParams.get('sslmode');
  const admin: PsqlConnection = {
    host: parsed.hostname,
    port: Number(parsed.port || ENGINES.POSTGRESQL.defaultPort),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || ENGINES.POSTGRESQL.local.adminDatabase,
    ...(sslmode ? { sslmode: sslmode as SslMode } : {}),
  };
  return makeServerHandle(admin, null, null);
}

export interface PostgreSqlStartOptions {
  /** Server settings that replace the small defaults, e.g. `{ shared_buffers: '512MB' }` (throwaway server only). */
  readonly settings?: Readonly<Record<string, string>>;
  /**
   * Whether the server offers TLS, and the names its certificate holds (default: TLS for 127.0.0.1/localhost).
   * Without TLS, pg_hba.conf lets every user in without it.
   */
  readonly tls?: ServerTlsOptions;
}

/** Starts a throwaway server, or wraps the one named by TEST_POSTGRES_URL. */
export async function startPostgreSql(options: PostgreSqlStartOptions = {}): Promise<PostgreSqlServer> {
  const external = process.env[ENGINES.POSTGRESQL.local.urlVariable];
  if (external) return externalPostgreSql(external);
  return startThrowawayPostgreSql(options);
}

/**
 * The postmaster writes its pid on line 1 of postmaster.pid and its state on line 8; `ready` means it accepts
 * connections. The pid tells a fresh file from one a killed server left behind.
 */
function postmasterReady(dataDir: string, pid: number | undefined): boolean {
  try {
    const lines = readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
    return lines[0]?.trim() === String(pid) && lines[7]?.trim() === 'ready';
  } catch {
    return false;
  }
}

/** Starts a throwaway server in a new temporary directory (ignores TEST_POSTGRES_URL). */
export async function startThrowawayPostgreSql(options: PostgreSqlStartOptions = {}): Promise<PostgreSqlServer> {
  const binDir = postgresBinDir();
  const account = await serverAccount();
  const baseDir = mkdtempSync(join(process.env.TEST_TMPDIR ?? tmpdir(), 'appflow-postgresql-'));
  const removeDirectory = () => rmSync(baseDir, { recursive: true, force: true });
  const asServer = account ? { uid: account.uid, gid: account.gid } : {};
  const own = (path: string) => {
    if (account) chownSync(path, account.uid, account.gid);
  };
  const dataDir = join(baseDir, 'data');
  const certDir = join(baseDir, 'certs');
  const logFile = join(baseDir, 'postgresql.log');
  const adminPassword = randomBytes(18).toString('base64url');
  registerTestSecret(adminPassword);
  const offersTls = options.tls?.enabled ?? true;
  const namesLoopback = certificateNamesLoopback(options.tls);
  let certificates: { ca: string; cert: string; key: string } | null = null;
  try {
    own(baseDir);
    mkdirSync(certDir);
    if (offersTls) {
      certificates = generateCertificates(certDir, options.tls?.certificateNames);
      // The server refuses a key that others can read; it must own it.
      chmodSync(certificates.key, 0o600);
      own(certificates.key);
      own(certificates.cert);
    }
    const passwordFile = join(baseDir, 'admin-password');
    writeFileSync(passwordFile, `${adminPassword}\n`, { mode: 0o600 });
    own(passwordFile);
    try {
      execFileSync(
        join(binDir, 'initdb'),
        [
          `--pgdata=${dataDir}`,
          `--username=${ADMIN_USER}`,
          `--pwfile=${passwordFile}`,
          '--auth=scram-sha-256',
          '--encoding=UTF8',
          '--locale=C',
          '--no-sync',
          '--no-instructions',
        ],
        { stdio: 'pipe', cwd: baseDir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' }, ...asServer },
      );
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString('utf8') ?? '';
      throw new Error(
        `initdb failed${account ? ` (as ${SERVER_SYSTEM_USER}; is ${baseDir} reachable by it?)` : ''}:\n${stderr}`,
      );
    } finally {
      rmSync(passwordFile, { force: true });
    }
    const hba = [
      '# TYPE  DATABASE  USER             ADDRESS       METHOD',
      `host    all       ${ADMIN_USER}    ${LOOPBACK}/32  scram-sha-256`,
      `host    all       +${PLAIN_ROLE}   ${LOOPBACK}/32  scram-sha-256`,
      `${offersTls ? 'hostssl' : 'host   '} all       all              ${LOOPBACK}/32  scram-sha-256`,
      '',
    ].join('\n');
    writeFileSync(join(dataDir, 'pg_hba.conf'), hba);
    own(join(dataDir, 'pg_hba.conf'));
  } catch (error) {
    removeDirectory();
    throw error;
  }

  const port = await freeLoopbackPort();
  const serverArgs = [
    '-D',
    dataDir,
    '-c',
    `listen_addresses=${LOOPBACK}`,
    '-c',
    `port=${port}`,
    '-c',
    `unix_socket_directories=${baseDir}`,
    '-c',
    'unix_socket_permissions=0700',
    ...(certificates
      ? ['-c', 'ssl=on', '-c', `ssl_cert_file=${certificates.cert}`, '-c', `ssl_key_file=${certificates.key}`]
      : ['-c', 'ssl=off']),
    '-c',
    `timezone=${SERVER_TIME_ZONE}`,
    '-c',
    'password_encryption=scram-sha-256',
    // Fast and small: nothing here has to survive a power cut. synchronous_commit stays on, so a committed row
    // survives a killed server (shutdown('crash')), as it would in production.
    '-c',
    'fsync=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'shared_buffers=16MB',
    '-c',
    'huge_pages=off',
    '-c',
    'max_connections=100',
    // A failing statement (e.g. CREATE ROLE … PASSWORD) must not be copied into the log.
    '-c',
    'log_min_error_statement=panic',
    '-c',
    'logging_collector=off',
    // Later -c options win: the caller's settings replace the defaults above.
    ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
  ];
  const spawnServer = (): ChildProcess => {
    const log = openSync(logFile, 'a');
    try {
      // detached: the postmaster leads its own process group, so a crash can take every backend with it.
      return spawn(join(binDir, 'postgres'), serverArgs, {
        stdio: ['ignore', log, log],
        detached: true,
        cwd: baseDir,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' },
        ...asServer,
      });
    } finally {
      closeSync(log);
    }
  };
  let child = spawnServer();
  // A process killed by a signal keeps exitCode null: look at both.
  const running = () => child.exitCode === null && child.signalCode === null;
  const killGroup = (pid: number | undefined) => {
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  /**
   * Kills the postmaster and every process it started. A group kill is not enough: PostgreSQL calls setsid() in each
   * child (miscinit.c, InitPostmasterChild), so its backends and auxiliary processes lead their own groups. Stopped
   * first, the postmaster cannot start another child between the listing and the kill.
   */
  const killServer = (pid: number): number[] => {
    try {
      process.kill(pid, 'SIGSTOP');
    } catch {
      return [];
    }
    const processes = [pid, ...childProcesses(pid)];
    for (const each of processes) {
      try {
        process.kill(each, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    return processes;
  };
  const removeEverything = () => {
    killGroup(child.pid);
    removeDirectory();
  };
  // A test process that dies must not leave a server or a directory behind.
  process.once('exit', removeEverything);

  const waitForServer = async () => {
    const started = Date.now();
    while (Date.now() - started < 60_000) {
      if (!running()) {
        const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
        throw new Error(`postgres exited with code ${child.exitCode ?? child.signalCode}:\n${log}`);
      }
      if (postmasterReady(dataDir, child.pid)) return;
      await sleep(25);
    }
    throw new Error('postgres did not accept connections within 60 s');
  };
  const halt = async (mode: 'clean' | 'immediate' | 'crash') => {
    const pid = child.pid;
    if (pid === undefined) return;
    let killed: number[] = [];
    if (running()) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      if (mode === 'crash') killed = killServer(pid);
      else process.kill(pid, mode === 'clean' ? 'SIGINT' : 'SIGQUIT');
      const timer = setTimeout(() => killGroup(pid), 15_000);
      await exited;
      clearTimeout(timer);
    }
    // A killed child still attached to the shared memory blocks the next start ("pre-existing shared memory block is
    // still in use"): wait until each has exited (a zombie no longer holds memory).
    for (let waited = 0; killed.some(isRunningProcess) && waited < 10_000; waited += 25) await sleep(25);
    const survivors = killed.filter(isRunningProcess);
    if (survivors.length > 0) throw new Error(`postgres processes ${survivors.join(', ')} outlived SIGKILL for 10 s`);
  };

  const admin: PsqlConnection = {
    host: LOOPBACK,
    port,
    user: ADMIN_USER,
    password: adminPassword,
    database: 'postgres',
    ...(certificates === null
      ? { sslmode: 'disable' as const }
      : namesLoopback
        ? { sslmode: 'verify-full' as const, sslrootcert: certificates.ca }
        : { sslmode: 'require' as const }),
  };
  try {
    await waitForServer();
    await runPsql(admin, `CREATE ROLE ${PLAIN_ROLE} NOLOGIN`);
  } catch (error) {
    process.removeListener('exit', removeEverything);
    removeEverything();
    throw error;
  }
  return makeServerHandle(
    admin,
    certificates ? { pem: readFileSync(certificates.ca, 'utf8'), file: certificates.ca, namesLoopback } : null,
    {
      directory: baseDir,
      pid: () => (running() ? (child.pid ?? null) : null),
      shutdown: halt,
      async start() {
        if (running()) return;
        child = spawnServer();
        await waitForServer();
      },
      async stop() {
        await halt('immediate');
        removeDirectory();
        process.removeListener('exit', removeEverything);
      },
    },
  );
}
