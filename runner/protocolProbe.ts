/**
 * Which wire protocol a server speaks, asked only after a login failed, so that `--engine mysql` pointed at a
 * PostgreSQL port (or the reverse) is reported as that instead of a time-out or a TLS error.
 *
 * A MySQL/MariaDB server speaks first: on connect it sends its handshake packet, a 3-byte length, a sequence number
 * 0 and protocol version 10 (or an error packet, 0xFF, e.g. when the host is blocked). MySQL manual, "Client/Server
 * Protocol › Connection Lifecycle › Connection Phase › Initial Handshake"
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake.html).
 * A PostgreSQL server waits for the client; to an SSLRequest (length 8, code 80877103) it answers one byte, `S` or
 * `N`. PostgreSQL manual, "Frontend/Backend Protocol › Message Flow › SSL Session Encryption" (§55.2.10 in 15).
 */
import { connect } from 'node:net';
import type { DatabaseEngine } from '../handler/settings';

/** How long a MySQL server may take to send its greeting before the probe asks PostgreSQL's question. */
const GREETING_WAIT_MS = 400;
/** Generous: it runs only after a failed login, and a loaded machine answers slowly. */
const PROBE_TIMEOUT_MS = 5000;

const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

export function protocolOfFirstBytes(bytes: Buffer, askedPostgres: boolean): DatabaseEngine | null {
  if (bytes.length >= 5 && bytes[3] === 0 && (bytes[4] === 10 || bytes[4] === 0xff)) return 'MYSQL';
  if (askedPostgres && bytes.length >= 1 && (bytes[0] === 0x53 || bytes[0] === 0x4e)) return 'POSTGRESQL';
  return null;
}

/** The engine whose protocol the server at host:port speaks, or null when it cannot be told (or not reached). */
export function probeProtocol(host: string, port: number): Promise<DatabaseEngine | null> {
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    let askedPostgres = false;
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
      askedPostgres = true;
      socket.write(SSL_REQUEST);
    }, GREETING_WAIT_MS);
    const giveUp = setTimeout(() => finish(null), PROBE_TIMEOUT_MS);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const engine = protocolOfFirstBytes(received, askedPostgres);
      if (engine !== null || received.length >= 5) finish(engine);
    });
    socket.on('error', () => finish(null));
    socket.on('close', () => finish(null));
  });
}
