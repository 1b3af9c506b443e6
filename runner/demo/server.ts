/**
 * Which server the demo uses. By default a throwaway one that local/ starts from the installed server binaries:
 * Debian's mariadb-server for MYSQL, Debian's postgresql for POSTGRESQL. Only the engine the demo runs is looked
 * for, and only when the demo runs (not for --help, your own database or a deployed connector). As root on Debian
 * the missing package is installed (scripts/ensure-*.sh); otherwise the user is told what to install, or how to
 * point the demo at a server they have: DEMO_DATABASE_URL (TEST_MYSQL_URL / TEST_POSTGRES_URL, the tests'
 * variables, work too).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DATABASE_ENGINES, type DatabaseEngine, DEFAULT_ENGINE, ENGINES, orList } from '../../handler/engines/registry';
import { ENGINE_SERVERS } from '../engineServers';
import { TargetError, UsageError } from '../errors';

export const DEMO_SERVER_VARIABLE = 'DEMO_DATABASE_URL';

function byEngine<T>(value: (engine: DatabaseEngine) => T): Readonly<Record<DatabaseEngine, T>> {
  return Object.fromEntries(DATABASE_ENGINES.map((engine) => [engine, value(engine)])) as Record<DatabaseEngine, T>;
}

/** The tests' variables, which local/ reads itself: still honoured by the demo. */
export const TEST_SERVER_VARIABLES = byEngine((engine) => ENGINES[engine].local.urlVariable);

export const DEMO_SERVER_NAMES = byEngine((engine) => ENGINES[engine].local.product);

/** An existing server named by DEMO_DATABASE_URL: an admin login that may create a database and users. */
export interface DemoServer {
  readonly engine: DatabaseEngine;
  readonly url: string;
  /** `host:port`, without the login. */
  readonly address: string;
}

const SCHEMES: Readonly<Record<string, DatabaseEngine>> = Object.fromEntries(
  DATABASE_ENGINES.flatMap((engine) => ENGINES[engine].local.urlSchemes.map((scheme) => [scheme, engine])),
);

export const DEMO_SERVER_EXAMPLES = byEngine((engine) => ENGINES[engine].local.urlExample);
/** `mysql://… or postgresql://…`: every engine's example, for messages. */
const EXAMPLES_TEXT = orList(DATABASE_ENGINES.map((engine) => DEMO_SERVER_EXAMPLES[engine]));

export function demoServerFromUrl(url: string): DemoServer {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`${DEMO_SERVER_VARIABLE} is not a URL: use ${EXAMPLES_TEXT}`);
  }
  const engine = SCHEMES[parsed.protocol];
  if (engine === undefined || parsed.hostname === '') {
    throw new UsageError(`${DEMO_SERVER_VARIABLE} must look like ${EXAMPLES_TEXT}`);
  }
  const port = parsed.port || String(ENGINES[engine].defaultPort);
  return { engine, url, address: `${parsed.hostname}:${port}` };
}

/** What the check needs to know about the machine (injectable for the tests). */
export interface Machine {
  exists(path: string): boolean;
  /** Names in a directory, empty if it does not exist. */
  list(directory: string): string[];
  onPath(command: string): boolean;
  isRoot: boolean;
}

export const thisMachine: Machine = {
  exists: existsSync,
  list: (directory) => {
    try {
      return readdirSync(directory);
    } catch {
      return [];
    }
  },
  onPath: (command) => {
    try {
      execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  },
  isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
};

/** Whether the server binaries local/ starts a throwaway server from are installed (the paths local/ looks at). */
export function serverInstalled(engine: DatabaseEngine, machine: Machine): boolean {
  return ENGINE_SERVERS[engine].installed(machine);
}

export type DemoServerPlan =
  | { readonly kind: 'external'; readonly variable: string; readonly address: string }
  | { readonly kind: 'throwaway' }
  | { readonly kind: 'install'; readonly script: string; readonly packageName: string }
  | { readonly kind: 'missing'; readonly message: string };

/** Decides how the demo gets its server, without starting anything. */
export function planDemoServer(
  engine: DatabaseEngine,
  server: DemoServer | null,
  env: NodeJS.ProcessEnv,
  machine: Machine,
): DemoServerPlan {
  if (server !== null) return { kind: 'external', variable: DEMO_SERVER_VARIABLE, address: server.address };
  const testVariable = TEST_SERVER_VARIABLES[engine];
  const testUrl = env[testVariable];
  if (testUrl) {
    const address = (() => {
      try {
        return demoServerFromUrl(testUrl).address;
      } catch {
        return 'the server it names';
      }
    })();
    return { kind: 'external', variable: testVariable, address };
  }
  if (serverInstalled(engine, machine)) return { kind: 'throwaway' };
  const { debianPackage: packageName, ensureScript } = ENGINES[engine].local;
  if (machine.isRoot && machine.onPath('apt-get')) {
    return { kind: 'install', script: join(__dirname, '..', '..', 'scripts', ensureScript), packageName };
  }
  const name = DEMO_SERVER_NAMES[engine];
  const flag = engine === DEFAULT_ENGINE ? '' : ` --engine ${ENGINES[engine].name}`;
  return {
    kind: 'missing',
    message:
      `the demo starts a throwaway ${name}, but ${name}'s server is not installed: install it (sudo apt-get install ${packageName}), ` +
      `or point the demo at a server you have (${DEMO_SERVER_VARIABLE}=${DEMO_SERVER_EXAMPLES[engine]} npm start --${flag}), ` +
      `or read your own database (npm start -- --host HOST --database NAME --user USER; see --help)`,
  };
}

/** Installs the demo engine's package as root (the ensure script prints what it does), or explains what is missing. */
export function prepareDemoServer(plan: DemoServerPlan): void {
  if (plan.kind === 'missing') throw new TargetError(plan.message);
  if (plan.kind !== 'install') return;
  try {
    execFileSync('bash', [plan.script], { stdio: ['ignore', 'ignore', 'inherit'] });
  } catch {
    throw new TargetError(`installing ${plan.packageName} for the demo failed (${plan.script}); see the lines above`);
  }
}
