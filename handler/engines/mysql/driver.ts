/**
 * mysql2, loaded on first use: a cold Lambda that answers only configuration calls never loads it (about 45 ms of a
 * cold start), and a data call pays for it once per instance. It is a file of its own in the package
 * (dist/lambda/lazy/mysql2.mjs, see ../../lazyModules.ts).
 */
type MysqlModule = typeof import('mysql2/promise');

let mysql: Promise<MysqlModule> | undefined;

export function loadMysql(): Promise<MysqlModule> {
  mysql ??= import('../../lazy/mysql2').then((module) => module.default);
  return mysql;
}
