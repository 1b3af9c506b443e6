// The throwaway PostgreSQL lives in local/ like the MariaDB one, so the runner can use it too.
export {
  awkwardPostgresPassword,
  externalPostgreSql,
  type PostgreSqlDatabase,
  type PostgreSqlServer,
  type PsqlConnection,
  PsqlError,
  quoteIdentifier,
  runPsql,
  SERVER_SYSTEM_USER,
  SERVER_TIME_ZONE,
  type SslMode,
  startPostgreSql,
  startThrowawayPostgreSql,
} from '../../local/postgresql';
