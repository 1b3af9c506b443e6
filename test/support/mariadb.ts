// The throwaway MariaDB lives in local/ because the runner and the benchmark use it too.
export {
  type AdminConnectionOptions,
  awkwardPassword,
  freeLoopbackPort,
  type MariaDbServer,
  type StartOptions,
  startMariaDb,
  type TestDatabase,
} from '../../local/mariadb';
