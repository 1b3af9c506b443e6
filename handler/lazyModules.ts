/**
 * Heavy dependencies shared by the engines, loaded on first use. A cold Lambda that answers
 * DescribeConnectorConfiguration or ValidateConnectorRuntimeSettings never loads the AWS SDK clients, and a data
 * call pays for each only once per instance. Each is a file of its own in the package (handler/lazy/*.ts, built
 * to dist/lambda/lazy/*.mjs by scripts/build-lambda.mjs): `require` of index.js does not even parse them. Each
 * engine loads its own driver the same way (handler/engines/<name>/driver.ts).
 */
type SecretsManagerModule = typeof import('./lazy/secretsManager');
type RdsSignerModule = typeof import('./lazy/rdsSigner');

let secretsManager: Promise<SecretsManagerModule> | undefined;
let rdsSigner: Promise<RdsSignerModule> | undefined;
let rdsCertificates: Promise<readonly string[]> | undefined;

export function loadSecretsManager(): Promise<SecretsManagerModule> {
  secretsManager ??= import('./lazy/secretsManager');
  return secretsManager;
}

export function loadRdsSigner(): Promise<RdsSignerModule> {
  rdsSigner ??= import('./lazy/rdsSigner');
  return rdsSigner;
}

/** The Amazon RDS CA bundle (for tlsMode VERIFY_IDENTITY). */
export function loadRdsCertificates(): Promise<readonly string[]> {
  rdsCertificates ??= import('./lazy/rdsCertificates').then((module) => module.ca);
  return rdsCertificates;
}
