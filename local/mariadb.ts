/**
 * A throwaway MariaDB server for the tests, the local runner and the benchmark: `mariadbd` from Debian's `mariadb-server`, on a free loopback port, with
 * a temporary data directory and TLS enabled with a certificate generated for the run. It is stopped by pid and
 * removed when the test process ends.
 *
 * Set `TEST_MYSQL_URL=mysql://admin:password@host:port` to use an existing MySQL/MariaDB server instead: the helper
 * then only creates (and drops) uniquely named databases and users on it. The admin account needs CREATE, DROP,
 * CREATE USER and GRANT OPTION.
 */

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { ENGINES } from '../handler/engines/registry';
import { generateCertificates, type ServerTlsOptions } from './certificates';
import { freeLoopbackPort } from './ports';
import { registerTestSecret } from './secretRegistry';

export interface AdminConnectionOptions {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
}

export interface MariaDbServer {
  readonly admin: AdminConnectionOptions;
  /** PEM of the CA that signed the server certificate (null for an external server). */
  readonly caPem: string | null;
  /** The process id of the server this helper started, or null for an external server. */
  readonly pid: number | null;
  /** Stops the server (clean shutdown, or SIGKILL for 'crash') keeping its data; only for servers this helper started. */
  shutdown(mode?: 'clean' | 'crash'): Promise<void>;
  /** Starts a stopped server again on the same port with the same data. */
  start(): Promise<void>;
  /** Runs SQL as the admin user (multiple statements allowed). */
  adminQuery(sql: string, params?: unknown[]): Promise<unknown>;
  /**
   * Creates a database and a user that may use only that database (over TLS unless `requireTls` is false; a server
   * started without TLS needs false).
   */
  createDatabase(options?: { prefix?: string; requireTls?: boolean }): Promise<TestDatabase>;
  stop(): Promise<void>;
}

export interface TestDatabase {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  /** Contains `&`, `#`, a single and a double quote: characters that break naive URL or SQL building. */
  readonly password: string;
  /** A mysql2 connection as the database's own user, for fixtures and read-backs. */
  connect(): Promise<mysql.Connection>;
  /** Runs SQL (multiple statements allowed) as the database's own user. */
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

const MARIADBD_CANDIDATES = ['/usr/sbin/mariadbd', '/usr/bin/mariadbd', '/usr/sbin/mysqld'];

function findExecutable(candidates: readonly string[], name: string): string {
  for (const candidate of candidates) {
    if (existsSync(candidate)) return candidate;
  }
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      `${name} was not found. Install Debian's mariadb-server (apt-get install -y mariadb-server) ` +
        'or set TEST_MYSQL_URL to an existing server.',
    );
  }
}

async function waitForServer(admin: AdminConnectionOptions, child: ChildProcess, logFile: string): Promise<void> {
  const started = Date.now();
  let lastError: unknown;
  while (Date.now() - started < 60_000) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
      throw new Error(`mariadbd exited with code ${child.exitCode}:\n${log}`);
    }
    try {
      const connection = await mysql.createConnection({ ...admin, connectTimeout: 1000 });
      await connection.end();
      return;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`mariadbd did not accept connections within 60 s: ${String(lastError)}`);
}

/** Characters that must survive every layer untouched: `&`, `#`, a single and a double quote. */
export function awkwardPassword(): string {
  const password = `p&ss#w'rd"${randomBytes(6).toString('hex')}`;
  registerTestSecret(password);
  return password;
}

interface ServerLifecycle {
  shutdown(mode?: 'clean' | 'crash'): Promise<void>;
  start(): Promise<void>;
  pid(): number | null;
}

function makeServerHandle(
  admin: AdminConnectionOptions,
  caPem: string | null,
  lifecycle: ServerLifecycle | null,
  stop: () => Promise<void>,
  offersTls = true,
) {
  const adminQuery = async (sql: string, params?: unknown[]) => {
    const connection = await mysql.createConnection({ ...admin, multipleStatements: true });
    try {
      const [rows] = await connection.query(sql, params);
      return rows;
    } finally {
      await connection.end();
    }
  };
  const createdDatabases: string[] = [];
  const createdUsers: string[] = [];

  const createDatabase = async (options?: { prefix?: string; requireTls?: boolean }): Promise<TestDatabase> => {
    const suffix = randomBytes(4).toString('hex');
    const database = `${options?.prefix ?? 'appflow'}_${suffix}`;
    const user = `u_${suffix}`;
    const password = awkwardPassword();
    const requireTls = options?.requireTls ?? true;
    await adminQuery(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
    await adminQuery(`CREATE USER ?@'%' IDENTIFIED BY ?${requireTls ? ' REQUIRE SSL' : ''}`, [user, password]);
    await adminQuery(`GRANT ALL PRIVILEGES ON \`${database}\`.* TO ?@'%'`, [user]);
    createdDatabases.push(database);
    createdUsers.push(user);
    const connectOptions = {
      host: admin.host,
      port: admin.port,
      user,
      password,
      database,
      // The fixtures' own connections: encrypted when the server offers TLS, the certificate not checked (a test
      // server may hold one issued to another name on purpose).
      ...(offersTls ? { ssl: { rejectUnauthorized: false } } : {}),
      multipleStatements: true,
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
      timezone: 'Z',
    } as const;
    const connect = async () => {
      const connection = await mysql.createConnection(connectOptions);
      await connection.query("SET time_zone = '+00:00'");
      return connection;
    };
    return {
      host: admin.host,
      port: admin.port,
      database,
      user,
      password,
      connect,
      async query(sql, params) {
        const connection = await connect();
        try {
          const [rows] = await connection.query(sql, params);
          return rows;
        } finally {
          await connection.end();
        }
      },
    };
  };

  const handle: MariaDbServer = {
    admin,
    caPem,
    get pid() {
      return lifecycle ? lifecycle.pid() : null;
    },
    adminQuery,
    createDatabase,
    async shutdown(mode) {
      if (!lifecycle) throw new Error('an external server (TEST_MYSQL_URL) cannot be stopped by the tests');
      await lifecycle.shutdown(mode);
    },
    async start() {
      if (!lifecycle) throw new Error('an external server (TEST_MYSQL_URL) cannot be started by the tests');
      await lifecycle.start();
    },
    async stop() {
      if (!lifecycle) {
        // External server: remove only what this helper created.
        for (const database of createdDatabases) await adminQuery(`DROP DATABASE IF EXISTS \`${database}\``);
        for (const user of createdUsers) await adminQuery(`DROP USER IF EXISTS ?@'%'`, [user]);
      }
      await stop();
    },
  };
  return handle;
}

function externalServer(url: string): MariaDbServer {
  const parsed = new URL(url);
  const admin = {
    host: parsed.hostname,
    port: Number(parsed.port || ENGINES.MYSQL.defaultPort),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  };
  return makeServerHandle(admin, null, null, async () => {});
}

export interface StartOptions {
  /** Extra mariadbd options, e.g. `--innodb-buffer-pool-size=512M`. */
  readonly extraArgs?: readonly string[];
  /** Whether the server offers TLS, and the names its certificate holds (default: TLS for 127.0.0.1/localhost). */
  readonly tls?: ServerTlsOptions;
}

/** Starts a throwaway server (or wraps the one named by TEST_MYSQL_URL). */
export async function startMariaDb(options: StartOptions = {}): Promise<MariaDbServer> {
  const external = process.env[ENGINES.MYSQL.local.urlVariable];
  if (external) return externalServer(external);

  const mariadbd = findExecutable(MARIADBD_CANDIDATES, 'mariadbd');
  const installDb = findExecutable(['/usr/bin/mariadb-install-db', '/usr/bin/mysql_install_db'], 'mariadb-install-db');
  const baseDir = mkdtempSync(join(process.env.TEST_TMPDIR ?? tmpdir(), 'appflow-mariadb-'));
  const dataDir = join(baseDir, 'data');
  const certDir = join(baseDir, 'certs');
  mkdirSync(certDir);
  const offersTls = options.tls?.enabled ?? true;
  const certificates = offersTls ? generateCertificates(certDir, options.tls?.certificateNames) : null;
  const runAsRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const userArgs = runAsRoot ? ['--user=root'] : [];
  const serverTmpDir = join(baseDir, 'tmp');
  mkdirSync(serverTmpDir);
  execFileSync(
    installDb,
    [
      '--no-defaults',
      `--datadir=${dataDir}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      ...userArgs,
    ],
    // The bootstrap server's temporary tables go to $TMPDIR: two installs sharing /tmp (parallel test files)
    // delete each other's #sql files at start-up ("Unknown table 'mysql.tmp_proxies_priv'").
    { stdio: 'pipe', env: { ...process.env, TMPDIR: serverTmpDir } },
  );
  const port = await freeLoopbackPort();
  const logFile = join(baseDir, 'mariadbd.log');
  const serverArgs = [
    '--no-defaults',
    `--datadir=${dataDir}`,
    `--socket=${join(baseDir, 'mariadbd.sock')}`,
    `--pid-file=${join(baseDir, 'mariadbd.pid')}`,
    `--log-error=${logFile}`,
    // Its own tmpdir: MariaDB deletes every #sql* file in its tmpdir at start-up, which would destroy the temporary
    // tables of servers other test files are running at the same time.
    `--tmpdir=${serverTmpDir}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    '--skip-name-resolve',
    ...(certificates
      ? [`--ssl-ca=${certificates.ca}`, `--ssl-cert=${certificates.cert}`, `--ssl-key=${certificates.key}`]
      : ['--skip-ssl']),
    '--innodb-flush-log-at-trx-commit=2',
    '--skip-log-bin',
    '--max-connections=200',
    ...userArgs,
    ...(options.extraArgs ?? []),
  ];
  const admin = { host: '127.0.0.1', port, user: 'root', password: '' };
  let child: ChildProcess = spawn(mariadbd, serverArgs, { stdio: 'ignore', detached: false });
  // A process killed by a signal keeps exitCode null: look at both.
  const running = () => child.exitCode === null && child.signalCode === null;
  const killNow = () => {
    if (running() && child.pid !== undefined) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  const removeEverything = () => {
    killNow();
    rmSync(baseDir, { recursive: true, force: true });
  };
  // A test process that dies must not leave a server or a data directory behind.
  process.once('exit', removeEverything);
  try {
    await waitForServer(admin, child, logFile);
  } catch (error) {
    removeEverything();
    throw error;
  }
  const halt = async (signal: 'SIGTERM' | 'SIGKILL') => {
    if (!running() || child.pid === undefined) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(child.pid, signal);
    const timer = setTimeout(killNow, 15_000);
    await exited;
    clearTimeout(timer);
  };
  const lifecycle: ServerLifecycle = {
    async shutdown(mode = 'clean') {
      await halt(mode === 'crash' ? 'SIGKILL' : 'SIGTERM');
    },
    async start() {
      if (running()) return;
      child = spawn(mariadbd, serverArgs, { stdio: 'ignore', detached: false });
      await waitForServer(admin, child, logFile);
    },
    pid: () => child.pid ?? null,
  };
  const stop = async () => {
    await halt('SIGTERM');
    rmSync(baseDir, { recursive: true, force: true });
    process.removeListener('exit', removeEverything);
  };
  const caPem = certificates ? readFileSync(certificates.ca, 'utf8') : null;
  return makeServerHandle(admin, caPem, lifecycle, stop, offersTls);
}

/** Kept for the tests and tools that import it from here. */
export { freeLoopbackPort } from './ports';
