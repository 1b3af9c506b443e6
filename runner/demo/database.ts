/**
 * The demo's database: the engine's throwaway server (local/, by its demo: mariadbDemo.ts, postgresqlDemo.ts), or an
 * existing server named by DEMO_DATABASE_URL (or the tests' TEST_MYSQL_URL / TEST_POSTGRES_URL), with one new
 * database, a user with an awkward password, and the seeded demo schema.
 * Everything the demo created is removed at the end. The demo logs in, and seeds, without TLS when --tls-mode
 * DISABLED asks for it, so a server without TLS works too.
 */
import { TargetError } from '../errors';
import type { Engine } from '../flags';
import { MARIADB_DEMO } from './mariadbDemo';
import { POSTGRESQL_DEMO } from './postgresqlDemo';
import { DEMO_SERVER_NAMES, type DemoServer } from './server';

export { DEMO_SERVER_NAMES } from './server';

export interface DemoDatabase {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string;
  stop(): Promise<void>;
}

export interface DemoOptions {
  /** POSTGRESQL: the schema the tables go into (null: public). */
  readonly schema: string | null;
  /** The tlsMode the flow will use: with DISABLED the demo's user must be one the server lets in without TLS. */
  readonly tlsMode: string;
  /** An existing server to use instead of a throwaway one (DEMO_DATABASE_URL). */
  readonly server: DemoServer | null;
}

interface Server {
  stop(): Promise<void>;
}

/** An engine's demo (mariadbDemo.ts, postgresqlDemo.ts): its server, and one new database on it, seeded. */
export interface EngineDemo<S extends Server = Server> {
  /** Starts the throwaway server, or reaches the user's (options.server). */
  start(options: DemoOptions): Promise<S>;
  /** Creates the demo's database and user on the server and seeds the tables. */
  seed(server: S, options: DemoOptions): Promise<DemoDatabase>;
}

async function started<S extends Server>(engine: Engine, start: () => Promise<S>): Promise<S> {
  try {
    return await start();
  } catch (error) {
    throw new TargetError(
      `the demo could not start its throwaway ${DEMO_SERVER_NAMES[engine]}: ${(error as Error).message.split('\n')[0]}`,
      { cause: error },
    );
  }
}

/** A server that offers no TLS answers the TLS request so (mysql2's and pg's wording). */
function isNoTlsServer(error: unknown): boolean {
  const failure = error as { code?: string; message?: string };
  return (
    failure?.code === 'HANDSHAKE_NO_SSL_SUPPORT' ||
    /does not support (SSL|secure) connections?/i.test(failure?.message ?? '')
  );
}

async function seeded<S extends Server>(
  server: S,
  options: DemoOptions,
  seed: () => Promise<DemoDatabase>,
): Promise<DemoDatabase> {
  try {
    return await seed();
  } catch (error) {
    await server.stop();
    if (isNoTlsServer(error)) {
      const where = options.server ? ` at ${options.server.address}` : '';
      throw new TargetError(
        `the server${where} offers no TLS, and the demo logs in with tlsMode ${options.tlsMode}: run with --tls-mode DISABLED (or DB_TLS_MODE=DISABLED) if a connection without encryption is acceptable`,
        { cause: error },
      );
    }
    throw new TargetError(`the demo could not seed its database: ${(error as Error).message}`, { cause: error });
  }
}

/** Each engine's demo: its throwaway server (or the user's), seeded with the same tables. */
const DEMOS: Readonly<Record<Engine, EngineDemo>> = { MYSQL: MARIADB_DEMO, POSTGRESQL: POSTGRESQL_DEMO };

export async function startDemoDatabase(engine: Engine, options: DemoOptions): Promise<DemoDatabase> {
  const demo = DEMOS[engine];
  const server = await started(engine, () => demo.start(options));
  return seeded(server, options, () => demo.seed(server, options));
}
