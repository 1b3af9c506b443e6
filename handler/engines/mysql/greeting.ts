/**
 * The TCP stream mysql2 connects over, watched for the server's greeting. A MySQL or MariaDB server speaks first:
 * its handshake packet (Initial Handshake, MySQL Client/Server Protocol, "Connection Phase") follows the accepted
 * connection at once. A PostgreSQL server speaks only after the client's startup message, so mysql2 pointed at one
 * would wait silently for its whole connect time-out. When the connection is accepted but no byte has come by the
 * end of the connect time-out, the stream fails with NO_MYSQL_HANDSHAKE instead of mysql2's bare ETIMEDOUT, so the
 * error can say what to check (the engine and port settings). Waiting the whole budget (not less) keeps a slow but
 * real server from being mistaken for another kind of server.
 */
import net from 'node:net';
import { LIMITS } from '../../protocol/constants';

/** The code of the error a connection fails with when the server accepted it but never sent a greeting. */
export const NO_MYSQL_HANDSHAKE = 'NO_MYSQL_HANDSHAKE';

/** Fires a little before mysql2's own connect timer (same budget), so this error wins the race. */
const MARGIN_MS = 100;

/** mysql2's `stream` option: a factory of TCP sockets to `host:port` that fail clearly without a greeting. */
export function greetingWatchedStream(
  host: string,
  port: number,
  prepare?: (socket: net.Socket) => void,
): () => net.Socket {
  return () => {
    const started = Date.now();
    const socket = net.connect(port, host);
    prepare?.(socket);
    // What mysql2 does for a socket it opens itself (enableKeepAlive, TCP_NODELAY).
    socket.setNoDelay(true);
    socket.once('connect', () => {
      socket.setKeepAlive(true, 0);
      const waitMs = Math.max(0, LIMITS.connectTimeoutMs - (Date.now() - started) - MARGIN_MS);
      const timer = setTimeout(() => {
        const error = Object.assign(
          new Error(
            `the server accepted the connection but sent no MySQL handshake within ${LIMITS.connectTimeoutMs} ms`,
          ),
          { code: NO_MYSQL_HANDSHAKE, fatal: true },
        );
        socket.destroy(error);
      }, waitMs);
      timer.unref();
      socket.once('data', () => clearTimeout(timer));
      socket.once('close', () => clearTimeout(timer));
    });
    return socket;
  };
}
