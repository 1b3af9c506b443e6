/**
 * The TCP socket of a VERIFY_IDENTITY connection to a MySQL server given by IP address.
 *
 * mysql2 (lib/base/connection.js startTLS) asks Node's tls.connect to check the server's identity but, rightly,
 * gives it no `servername` for an IP address (SNI carries host names only, RFC 6066 section 3) and no `host`.
 * Node's TLS client then checks the certificate against the name of the socket's own connection, and when it has
 * none against 'localhost' (Node lib/_tls_wrap.js onConnectSecure: `options.servername || options.host ||
 * options.socket._host || 'localhost'`). A socket mysql2 opens by IP address has none, so without this a server
 * reached at 10.0.0.5 passed with any trusted certificate issued to "localhost", and one with the right IP address
 * SAN was refused. The socket mysql2 gets (greeting.ts) carries the address it connects to, so the check is against that address (the
 * certificate's IP address SANs, tls.checkServerIdentity).
 */
import { isIP, type Socket } from 'node:net';

/**
 * Makes a socket about to connect to `host` carry that address as the name Node's TLS client checks the server's
 * certificate against, when `host` is an IP address (a host name needs nothing: net.connect records it itself).
 */
export function carryIpHostForIdentity(socket: Socket, host: string): void {
  if (isIP(host) === 0) return;
  // Read by Node's TLS client as the name to check the certificate against (see above).
  (socket as Socket & { _host: string | null })._host = host;
}
