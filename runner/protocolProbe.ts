/**
 * Which wire protocol a server speaks, asked only after a login failed, so that `--engine mysql` pointed at a
 * PostgreSQL port (or the reverse) is reported as that instead of a time-out or a TLS error.
 *
 * The probe waits for a server that speaks first to greet, then asks the question of the engine whose server waits
 * for the client (only one question can be asked on one connection). Each engine's signatures: engineServers.ts.
 */
import { connect } from 'node:net';
import { DATABASE_ENGINES } from '../handler/engines/registry';
import type { DatabaseEngine } from '../handler/settings';
import { ENGINE_SERVERS } from './engineServers';

/** How long a server that speaks first may take to send its greeting before the probe asks its question. */
const GREETING_WAIT_MS = 400;
/** Generous: it runs only after a failed login, and a loaded machine answers slowly. */
const PROBE_TIMEOUT_MS = 5000;

/** The engine whose question the probe asks. */
const ASKED = DATABASE_ENGINES.find((engine) => ENGINE_SERVERS[engine].question)!;
const QUESTION = ENGINE_SERVERS[ASKED].question!;

export function protocolOfFirstBytes(bytes: Buffer, asked: boolean): DatabaseEngine | null {
  const greeter = DATABASE_ENGINES.find((engine) => ENGINE_SERVERS[engine].greets?.(bytes));
  if (greeter !== undefined) return greeter;
  return asked && QUESTION.answered(bytes) ? ASKED : null;
}

/** The engine whose protocol the server at host:port speaks, or null when it cannot be told (or not reached). */
export function probeProtocol(host: string, port: number): Promise<DatabaseEngine | null> {
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    let asked = false;
    let settled = false;
    const socket = connect({ host, port });
    const finish = (engine: DatabaseEngine | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(ask);
      clearTimeout(giveUp);
      socket.destroy();
      resolve(engine);
    };
    const ask = setTimeout(() => {
      asked = true;
      socket.write(QUESTION.bytes);
    }, GREETING_WAIT_MS);
    const giveUp = setTimeout(() => finish(null), PROBE_TIMEOUT_MS);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const engine = protocolOfFirstBytes(received, asked);
      if (engine !== null || received.length >= 5) finish(engine);
    });
    socket.on('error', () => finish(null));
    socket.on('close', () => finish(null));
  });
}
