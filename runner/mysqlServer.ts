/** A MySQL/MariaDB server, as the runner finds its binaries and recognizes its protocol (engineServers.ts). */
import type { EngineServer } from './engineServers';

export const MYSQL_SERVER: EngineServer = {
  installed: (machine) =>
    ['/usr/sbin/mariadbd', '/usr/bin/mariadbd', '/usr/sbin/mysqld'].some(machine.exists) || machine.onPath('mariadbd'),
  /**
   * A MySQL/MariaDB server speaks first: on connect it sends its handshake packet, a 3-byte length, a sequence number
   * 0 and protocol version 10 (or an error packet, 0xFF, e.g. when the host is blocked). MySQL manual, "Client/Server
   * Protocol › Connection Lifecycle › Connection Phase › Initial Handshake"
   * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake.html).
   */
  greets: (bytes) => bytes.length >= 5 && bytes[3] === 0 && (bytes[4] === 10 || bytes[4] === 0xff),
};
