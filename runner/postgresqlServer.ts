/** A PostgreSQL server, as the runner finds its binaries and recognizes its protocol (engineServers.ts). */
import { join } from 'node:path';
import type { EngineServer } from './engineServers';

export const POSTGRESQL_SERVER: EngineServer = {
  installed: (machine) =>
    machine
      .list('/usr/lib/postgresql')
      .some((version) => machine.exists(join('/usr/lib/postgresql', version, 'bin', 'postgres'))),
  /**
   * A PostgreSQL server waits for the client; to an SSLRequest (length 8, code 80877103) it answers one byte, `S` or
   * `N`. PostgreSQL manual, "Frontend/Backend Protocol › Message Flow › SSL Session Encryption" (§55.2.10 in 15).
   */
  question: {
    bytes: Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]),
    answered: (bytes) => bytes.length >= 1 && (bytes[0] === 0x53 || bytes[0] === 0x4e),
  },
};
