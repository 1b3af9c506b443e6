/**
 * What the runner knows of each engine's server without a driver: whether its binaries are installed (the demo's
 * throwaway server) and how its wire protocol answers (protocolProbe.ts). One entry per engine of the registry, in a
 * file about that engine (mysqlServer.ts, postgresqlServer.ts): a new engine does not compile until it has one.
 */
import type { DatabaseEngine } from '../handler/engines/registry';
import type { Machine } from './demo/server';
import { MYSQL_SERVER } from './mysqlServer';
import { POSTGRESQL_SERVER } from './postgresqlServer';

export interface EngineServer {
  /** Whether the server binaries local/ starts a throwaway server from are installed (the paths local/ looks at). */
  installed(machine: Machine): boolean;
  /** Whether `bytes` begin what the server sends on connect, unasked (absent: the server waits for the client). */
  greets?(bytes: Buffer): boolean;
  /** What the probe sends when no server spoke first, and whether `bytes` begin the server's answer to it. */
  readonly question?: { readonly bytes: Buffer; answered(bytes: Buffer): boolean };
}

export const ENGINE_SERVERS: Readonly<Record<DatabaseEngine, EngineServer>> = {
  MYSQL: MYSQL_SERVER,
  POSTGRESQL: POSTGRESQL_SERVER,
};
