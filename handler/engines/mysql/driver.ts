/**
 * mysql2, loaded on first use: a cold Lambda that answers only configuration calls never initialises it (about
 * 45 ms of a cold start), and a data call pays for it once per instance.
 */
type MysqlModule = typeof import('mysql2/promise');

let mysql: Promise<MysqlModule> | undefined;

export function loadMysql(): Promise<MysqlModule> {
  // mysql2 is CommonJS: its exports come back under `default` or spread as names, depending on the loader.
  mysql ??= import('mysql2/promise').then(
    (module) => ((module as unknown as { default?: MysqlModule }).default ?? module) as MysqlModule,
  );
  return mysql;
}
